"""The one projection of an ActiveNumber's outputs, written from the declaration: every input
under its own name, then what the number is at Sinch and where it was found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sinch_numbers.api.models import ActiveNumber
from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.routing import Configuration
from sinch_numbers.resources.active_number.schema import SCHEMA
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P

INPUTS = SCHEMA.inputs
COMPUTED_OUTPUTS = SCHEMA.computed_outputs
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""


def echoed(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs' part of the outputs: each input under its own name (None when unset)."""
    return {key: inputs.get(key) for key in INPUTS}


def stored_outputs(olds: Mapping[str, Any], echo: Mapping[str, Any]) -> dict[str, Any]:
    """The outputs of an update that calls nothing: the number is as stored, the inputs new
    (``echo``, as :func:`echoed` made them)."""
    return {**{key: olds.get(key) for key in COMPUTED_OUTPUTS}, **echo}


def number_outputs(number: ActiveNumber, home: SinchHome) -> dict[str, Any]:
    """The computed outputs: the number as Sinch answered it, and where it answered."""
    sms = number.sms_configuration
    voice = number.voice_configuration
    pending = {
        "sms": sms.scheduled_provisioning.status
        if sms is not None and sms.scheduled_provisioning is not None
        else None,
        "voice": voice.scheduled_voice_provisioning.status
        if voice is not None and voice.scheduled_voice_provisioning is not None
        else None,
    }
    computed: dict[str, Any] = {
        P.region_code.name: number.region_code or None,
        P.number_type.name: number.type.value if number.type is not None else None,
        P.capabilities.name: [c.value for c in number.capabilities],
        P.monthly_price.name: number.money.model_dump() if number.money is not None else None,
        P.payment_interval_months.name: number.payment_interval_months,
        P.next_charge_date.name: number.next_charge_date.isoformat()
        if number.next_charge_date
        else None,
        P.expire_at.name: number.expire_at.isoformat() if number.expire_at else None,
        P.configuration.name: Configuration.carried_by(number).to_dict(),
        P.provisioning.name: pending if any(pending.values()) else None,
        **home.to_outputs(),
    }
    return computed


def project(inputs: Mapping[str, Any], number: ActiveNumber, home: SinchHome) -> dict[str, Any]:
    """Every output of an ActiveNumber: its inputs, then the number as Sinch answered it, and
    where it answered."""
    return {**echoed(inputs), **number_outputs(number, home)}
