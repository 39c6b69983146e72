"""Where an order's numbers route SMS, voice and callbacks: desired (inputs) against applied.

Sinch has no call to change an order, only its active numbers once the order is COMPLETED. So a
routing change before completion is kept as *pending* and applied by a PATCH of each number once
the order completes; it never replaces the order (that would leave two orders that can both be
billed). What was applied is recorded in the order's progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sinch_numbers.api.models import (
    VOICE_ID_FOR_TYPE,
    ActiveNumber,
    Capability,
    NumberOrder,
    SmsConfigurationUpdate,
    UpdateActiveNumberRequest,
    VoiceConfiguration,
)
from sinch_numbers.core.common_properties import ConfigurationProperties, RoutingProperties

_SMS = RoutingProperties.sms_configuration.name
_VOICE = RoutingProperties.voice_configuration.name
_CALLBACK = RoutingProperties.callback_url.name
_DISPLAY_NAME = ConfigurationProperties.display_name.name
ROUTING_INPUTS = RoutingProperties.names()
_CAPABILITY_FOR = {_SMS: Capability.SMS, _VOICE: Capability.VOICE}
"""What each routing input needs the number to carry; the API refuses routing it cannot."""


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
        callback = _clean(values.get(_CALLBACK))
        return cls(
            sms=_clean(values.get(_SMS)),
            voice=_clean(values.get(_VOICE)),
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
            _SMS: dict(self.sms) if self.sms else None,
            _VOICE: dict(self.voice) if self.voice else None,
            _CALLBACK: self.callback_url,
        }

    def removed_voice(self, applied: Routing) -> bool:
        """Voice routing set on the numbers but no longer wanted: the API cannot unlink it."""
        return applied.voice is not None and self.voice is None

    def lacking(self, capabilities: Any) -> list[str]:
        """The routing set here that a number with ``capabilities`` cannot carry, one failure
        each (``sms_configuration: the number has no SMS capability``); unknown capabilities
        (not a list) lack nothing."""
        if not isinstance(capabilities, list):
            return []
        wanted = {_SMS: self.sms, _VOICE: self.voice}
        return [
            f"{key}: the number has no {capability.value} capability"
            for key, capability in _CAPABILITY_FOR.items()
            if wanted[key] is not None and capability not in capabilities
        ]


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
        changes[_SMS] = SmsConfigurationUpdate(
            service_plan_id=str(sms.get("service_plan_id") or ""),
            campaign_id=str(sms.get("campaign_id") or ""),
        )
    if desired.voice != applied.voice and desired.voice is not None:
        changes[_VOICE] = VoiceConfiguration.model_validate(dict(desired.voice))
    if desired.callback_url != applied.callback_url:
        changes[_CALLBACK] = desired.callback_url or ""
    return UpdateActiveNumberRequest(**changes) if changes else None


@dataclass(frozen=True)
class Configuration:
    """A number's display name and routing in input form, normalised for comparison."""

    display_name: str | None = None
    routing: Routing = field(default_factory=Routing)

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Configuration:
        """From inputs or stored outputs (``display_name``, ``sms_configuration``, ... keys)."""
        name = values.get(_DISPLAY_NAME)
        return cls(name if isinstance(name, str) and name else None, Routing.of(values))

    @classmethod
    def carried_by(cls, number: ActiveNumber) -> Configuration:
        """What the number carries, or will once Sinch has provisioned what it was given."""
        sms = number.sms_configuration
        voice = number.voice_configuration
        routing: dict[str, Any] = {_CALLBACK: number.callback_url}
        if sms is not None:
            scheduled = sms.scheduled_provisioning
            source = scheduled if scheduled is not None and scheduled.under_way else sms
            routing[_SMS] = {
                "service_plan_id": source.service_plan_id,
                "campaign_id": source.campaign_id,
            }
        if voice is not None:
            scheduled_voice = voice.scheduled_voice_provisioning
            voice_source = (
                scheduled_voice
                if scheduled_voice is not None and scheduled_voice.under_way
                else voice
            )
            # The API names a type even when no voice routing is set; only an id means routing.
            voice_type = voice_source.type
            if voice_type is not None:
                id_key = VOICE_ID_FOR_TYPE[voice_type]
                voice_id = getattr(voice_source, id_key)
                if voice_id:
                    routing[_VOICE] = {"type": voice_type.value, id_key: voice_id}
        return cls(number.display_name, Routing.of(routing))

    def to_dict(self) -> dict[str, Any]:
        return {_DISPLAY_NAME: self.display_name, **self.routing.to_dict()}

    def seen_as(self, wanted: Configuration) -> Configuration:
        """This configuration as far as ``wanted`` sets anything: what a stack manages."""
        mine, theirs = self.routing, wanted.routing
        return Configuration(
            self.display_name if wanted.display_name is not None else None,
            Routing(
                sms=mine.sms if theirs.sms is not None else None,
                voice=mine.voice if theirs.voice is not None else None,
                callback_url=mine.callback_url if theirs.callback_url is not None else None,
            ),
        )

    def patch_to(self, desired: Configuration) -> UpdateActiveNumberRequest | None:
        """The PATCH from this configuration to ``desired``; None when nothing differs.

        Removed SMS routing, callback URL or display name are sent as ``""``, which clears them.
        """
        request = patch_request(desired.routing, self.routing)
        if desired.display_name != self.display_name:
            request = (request or UpdateActiveNumberRequest()).model_copy(
                update={_DISPLAY_NAME: desired.display_name or ""}
            )
        return request
