"""Where an order's numbers route SMS, voice and callbacks: desired (inputs) against applied.

Sinch has no call to change an order, only its active numbers once the order is COMPLETED. So a
routing change before completion is kept as *pending* and applied by a PATCH of each number once
the order completes; it never replaces the order (that would leave two orders that can both be
billed). What was applied is recorded in the order's progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.models import (
    NumberOrder,
    SmsConfigurationUpdate,
    UpdateActiveNumberRequest,
    VoiceConfiguration,
)

ROUTING_INPUTS = ("sms_configuration", "voice_configuration", "callback_url")


def _clean(value: Any) -> Any:
    """Compare as the engine stores values: empty strings and None fields are absent."""
    if isinstance(value, Mapping):
        cleaned = {str(k): _clean(v) for k, v in value.items() if v not in (None, "")}
        return cleaned or None
    return None if value == "" else value


@dataclass(frozen=True)
class Routing:
    """The three routing inputs, in input form (snake_case dicts), normalised for comparison."""

    sms: Mapping[str, Any] | None = None
    voice: Mapping[str, Any] | None = None
    callback_url: str | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Routing:
        """From inputs or stored outputs (``sms_configuration``, ... keys)."""
        callback = _clean(values.get("callback_url"))
        return cls(
            sms=_clean(values.get("sms_configuration")),
            voice=_clean(values.get("voice_configuration")),
            callback_url=callback if isinstance(callback, str) else None,
        )

    @classmethod
    def of_order(cls, order: NumberOrder) -> Routing:
        """What an order asks its numbers to carry, as far as Sinch echoes it (no callback)."""
        sms = order.sms_configuration
        voice = order.voice_configuration
        return cls(
            sms=_clean(sms.model_dump(mode="json", exclude_none=True)) if sms else None,
            voice=_clean(voice.model_dump(mode="json", exclude_none=True)) if voice else None,
        )

    @classmethod
    def from_dict(cls, raw: Any) -> Routing | None:
        return cls.of(raw) if isinstance(raw, Mapping) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sms_configuration": dict(self.sms) if self.sms else None,
            "voice_configuration": dict(self.voice) if self.voice else None,
            "callback_url": self.callback_url,
        }

    def removed_voice(self, applied: Routing) -> bool:
        """Voice routing set on the numbers but no longer wanted: the API cannot unlink it."""
        return applied.voice is not None and self.voice is None


def voice_removal_refusal(subject: str) -> str:
    """Why voice routing stays; ``subject`` is what carries it (``"order <id>"``)."""
    return (
        f"voice_configuration: cannot be removed from {subject}: the Numbers API "
        "documents no way to unlink voice routing from a number. Keep it, or set the routing "
        "you want instead"
    )


def patch_request(desired: Routing, applied: Routing) -> UpdateActiveNumberRequest | None:
    """The PATCH that takes the numbers from ``applied`` to ``desired``; None if nothing differs.

    Removing SMS routing unlinks it (``""`` ids, as documented); removing the callback URL
    sends ``""``. Voice cannot be unlinked (see :func:`voice_removal_refusal`).
    """
    changes: dict[str, Any] = {}
    if desired.sms != applied.sms:
        sms = desired.sms or {}
        changes["sms_configuration"] = SmsConfigurationUpdate(
            service_plan_id=str(sms.get("service_plan_id") or ""),
            campaign_id=str(sms.get("campaign_id") or ""),
        )
    if desired.voice != applied.voice and desired.voice is not None:
        changes["voice_configuration"] = VoiceConfiguration.model_validate(dict(desired.voice))
    if desired.callback_url != applied.callback_url:
        changes["callback_url"] = desired.callback_url or ""
    return UpdateActiveNumberRequest(**changes) if changes else None
