"""What ``diff`` plans for a NumberOrder: from what changed, and the order's state.

Stored state may be stale: ``up`` does not refresh by default, and review happens on Sinch's side
between runs. A plan that orders anew or releases a number must never rest on it, so the provider
reads the order once whenever the stored state is not final and a change is planned (or the local
clock says a reservation ran out), and plans from the state Sinch gives. An unchanged order with a
final or untouched state is planned from the state alone: no API call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.models import NumberOrderState
from sinch_numbers.core.checking import changed, contains_unknown
from sinch_numbers.core.routing import ROUTING_INPUTS, Routing, voice_removal_refusal
from sinch_numbers.core.schema import Group
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.resources.number_order.schema import REPLACE_ON_CHANGE, SCHEMA, P
from sinch_numbers.resources.number_order.schema import AttachmentFields as _Attachment
from sinch_numbers.resources.number_order.workflow import Progress, is_past_expiry

_STATE_ONLY = SCHEMA.group(Group.STATE_ONLY)


class DiffRefused(SinchNumbersError):
    """The change cannot be made to this order; the message says why and what to do."""


def attachment_identity(value: Any) -> Any:
    """What identifies an uploaded document: requirement, document type and content hash."""
    if contains_unknown(value) or not isinstance(value, list):
        return value
    return sorted(
        (
            str(a.get(_Attachment.requirement_id.name)),
            str(a.get(_Attachment.document_type.name) or ""),
            str(a.get(_Attachment.sha256.name)),
        )
        for a in value
        if isinstance(a, Mapping)
    )


def kyc_changed(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    registration, attachments = P.registration.name, P.attachments.name
    return changed(olds.get(registration), news.get(registration)) or changed(
        attachment_identity(olds.get(attachments)), attachment_identity(news.get(attachments))
    )


@dataclass(frozen=True)
class Draft:
    """What differs between the stored outputs and the new inputs, before any state is known."""

    identity: tuple[str, ...] = ()
    adopts_another: bool = False
    adopt_setting: bool = False
    routing: bool = False
    kyc: bool = False
    state_only: tuple[str, ...] = ()
    incomplete: bool = False
    pending_routing: bool = False
    voice_removed: bool = False

    @classmethod
    def of(cls, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Draft:
        adopt_key = P.adopt_order_id.name
        adopt = news.get(adopt_key)
        adopts_another = contains_unknown(adopt) or bool(
            adopt and adopt != olds.get(P.order_id.name)
        )
        applied = Progress.from_dict(olds.get(P.progress.name)).routing or Routing.of(olds)

        def differ(keys: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(k for k in keys if changed(olds.get(k), news.get(k)))

        return cls(
            identity=differ(REPLACE_ON_CHANGE),
            adopts_another=adopts_another,
            adopt_setting=not adopts_another and bool(differ((adopt_key,))),
            routing=bool(differ(ROUTING_INPUTS)),
            kyc=kyc_changed(olds, news),
            state_only=differ(_STATE_ONLY),
            incomplete=bool(olds.get(P.failed_step.name) or olds.get(P.last_error.name)),
            pending_routing=olds.get(P.pending_configuration.name) is not None,
            voice_removed=not contains_unknown(news.get(P.voice_configuration.name))
            and Routing.of(news).removed_voice(applied),
        )

    @property
    def any(self) -> bool:
        return bool(
            self.identity
            or self.adopts_another
            or self.adopt_setting
            or self.routing
            or self.kyc
            or self.state_only
            or self.incomplete
            or self.pending_routing
        )


def needs_confirmation(draft: Draft, olds: Mapping[str, Any]) -> bool:
    """Whether the plan may rest on the stored state, or must read the order first."""
    stored = _state(olds.get(P.state.name))
    if stored is not None and stored.is_final:
        return False
    expired_by_clock = stored is NumberOrderState.CREATED and is_past_expiry(
        olds.get(P.expire_time.name)
    )
    return draft.any or expired_by_clock


def _state(value: Any) -> NumberOrderState | None:
    try:
        return NumberOrderState(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Plan:
    replaces: tuple[str, ...] = ()
    changes: bool = False

    @property
    def replacing(self) -> bool:
        return bool(self.replaces)


def decide(draft: Draft, state: NumberOrderState, order_id: str) -> Plan:
    """The plan for an order whose current state is ``state``; raises :class:`DiffRefused`."""
    replaces = list(draft.identity)
    if draft.adopts_another:
        replaces.append(P.adopt_order_id.name)
    if state.needs_replacement:
        replaces.append(P.state.name)
    if draft.identity and state.awaits_review:
        raise DiffRefused(_identity_refusal(draft.identity, order_id, state))
    if draft.kyc and state is NumberOrderState.IN_REVIEW and not replaces:
        raise DiffRefused(in_review_refusal(order_id))
    if draft.voice_removed and not replaces:
        raise DiffRefused(voice_removal_refusal(f"order {order_id}"))
    changes = bool(
        replaces
        or draft.adopt_setting
        or draft.routing
        or draft.kyc
        or draft.state_only
        or draft.incomplete
        or (draft.pending_routing and state is NumberOrderState.COMPLETED)
    )
    return Plan(tuple(replaces), changes)


def in_review_refusal(order_id: str) -> str:
    return (
        f"order {order_id} is IN_REVIEW: Sinch accepts no registration or document changes "
        "while an order is in review. Revert the change to registration/attachments and wait "
        "for the outcome (`pulumi refresh` shows it). A BLOCKED order accepts changes; a "
        "REJECTED one is replaced by a new order on the next `pulumi up`"
    )


def _identity_refusal(keys: tuple[str, ...], order_id: str, state: NumberOrderState) -> str:
    return (
        f"{', '.join(keys)} cannot change while order {order_id} is {state.value}: Sinch has "
        "no call to cancel an order, so ordering anew now would leave two orders that can both "
        "be billed. Wait until its review ends (`pulumi refresh` shows it; a REJECTED order is "
        "then replaced on the next `pulumi up`), or, to order anyway while this one may still "
        "be billed, give the resource a new name"
    )
