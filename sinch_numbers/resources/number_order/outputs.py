"""The one projection every hook ends in: (inputs, the order and its progress) -> outputs.

``create``, ``update`` and ``read`` all build their outputs here, so every output key is always
written, reviewer feedback and errors are always redacted (the server's own words are kept only in
secret outputs, see ``core/redaction.py``), and the pending routing is always derived the same
way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from sinch_numbers.api.models import (
    ActiveNumber,
    Money,
    NumberOrder,
    NumberOrderState,
    NumberPrice,
    OrderNumber,
)
from sinch_numbers.core.home import HOME_OUTPUTS, SinchHome
from sinch_numbers.core.redaction import Redactor
from sinch_numbers.core.routing import Configuration, Routing
from sinch_numbers.resources.number_order.inputs import ALL_INPUTS
from sinch_numbers.resources.number_order.workflow import Step, WorkflowResult

COMPUTED_OUTPUTS = (
    "order_id",
    "state",
    "expire_time",
    "create_time",
    "update_time",
    "phone_numbers",
    "order_numbers",
    "registration_logs",
    "completed_steps",
    "failed_step",
    "last_error",
    "last_error_detail",
    "progress",
    "pending_configuration",
    "active_numbers",
    "seconds_until_expiry",
    *HOME_OUTPUTS,
)
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""

SECRET_OUTPUTS = (
    "registration",
    "attachments",
    "progress",
    "registration_logs",
    "last_error_detail",
)
"""Outputs that carry KYC data, fingerprints of it or the server's free text about the order
(reviewers' messages, a refused call's text, which may quote it); the resource marks them secret."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _order_numbers(order: NumberOrder) -> list[dict[str, Any]]:
    rows = []
    for number in order.order_numbers:
        price = number.number_price
        rows.append(
            {
                "phone_number": number.phone_number,
                "capabilities": [c.value for c in number.capabilities],
                "setup_price": price.setup_price.model_dump()
                if price and price.setup_price
                else None,
                "monthly_price": price.monthly_price.model_dump()
                if price and price.monthly_price
                else None,
                "payment_interval_months": price.payment_interval_months if price else None,
            }
        )
    return rows


def _active_number(number: ActiveNumber) -> dict[str, Any]:
    """One number of a completed order, for downstream use: its charges and what it carries."""
    return {
        "phone_number": number.phone_number,
        "next_charge_date": _iso(number.next_charge_date),
        "expire_at": _iso(number.expire_at),
        **Configuration.carried_by(number).to_dict(),
    }


def _seconds_until_expiry(order: NumberOrder, now: datetime) -> int | None:
    """While the reservation runs (CREATED): how long is left, by the local clock."""
    if order.state is not NumberOrderState.CREATED or order.expire_time is None:
        return None
    expires = order.expire_time
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return max(0, int((expires - now).total_seconds()))


def stored_order(outputs: Mapping[str, Any]) -> NumberOrder | None:
    """The order as the stack's outputs recorded it (the inverse of :func:`project`'s order
    part); None when they are not readable. For final states, which never change again."""

    def money(raw: Any) -> Money | None:
        return Money.model_validate(raw) if isinstance(raw, Mapping) else None

    try:
        numbers = [
            OrderNumber(
                phone_number=row["phone_number"],
                number_price=NumberPrice(
                    setup_price=money(row.get("setup_price")),
                    monthly_price=money(row.get("monthly_price")),
                    payment_interval_months=row.get("payment_interval_months"),
                ),
                capabilities=row.get("capabilities") or [],
            )
            for row in outputs.get("order_numbers") or []
        ]
        return NumberOrder(
            id_number_order=str(outputs["order_id"]),
            region_code=str(outputs.get("region_code") or ""),
            state=outputs.get("state"),
            number_type=outputs.get("number_type"),
            order_numbers=numbers,
            expire_time=outputs.get("expire_time"),
            create_time=outputs.get("create_time"),
            update_time=outputs.get("update_time"),
        )
    except (KeyError, TypeError, ValidationError):
        return None


def applied_routing(result: WorkflowResult, inputs: Mapping[str, Any]) -> Routing:
    """What the numbers carry; states written before it was recorded say it in their inputs."""
    return result.progress.routing or Routing.of(inputs)


def project(
    inputs: Mapping[str, Any],
    result: WorkflowResult,
    redact: Redactor,
    *,
    home: SinchHome,
    stored: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Every output of a NumberOrder, from its inputs and the order as the workflow left it.

    ``home`` is where the order was just read or made; ``stored`` are the outputs before (an
    update): what this run did not read again is kept.
    """
    order = result.order
    assert order is not None
    outputs: dict[str, Any] = {key: inputs.get(key) for key in ALL_INPUTS}
    outputs.update(
        order_id=order.id_number_order,
        state=order.state.value,
        expire_time=_iso(order.expire_time),
        create_time=_iso(order.create_time),
        update_time=_iso(order.update_time),
        phone_numbers=order.phone_numbers,
        order_numbers=_order_numbers(order),
        registration_logs=redact.logs(result.registration_logs),
        completed_steps=[s.value for s in result.completed_steps],
        failed_step=result.failed_step.value if result.failed_step else None,
        last_error=redact(result.last_error) if result.last_error else None,
        last_error_detail=redact(result.last_error_detail) if result.last_error_detail else None,
        progress=result.progress.to_dict(),
    )
    desired = Routing.of(inputs)
    pending = desired != applied_routing(result, inputs)
    outputs["pending_configuration"] = desired.to_dict() if pending else None
    numbers = result.active_numbers
    if numbers is not None:
        outputs["active_numbers"] = [_active_number(n) for n in numbers] or None
    elif stored is not None and order.state is NumberOrderState.COMPLETED:
        outputs["active_numbers"] = stored.get("active_numbers")
    else:
        outputs["active_numbers"] = None
    outputs["seconds_until_expiry"] = _seconds_until_expiry(order, now or datetime.now(UTC))
    outputs.update(home.to_outputs())
    return outputs


def project_guarded(
    inputs: Mapping[str, Any],
    result: WorkflowResult,
    redact: Redactor,
    stored: Mapping[str, Any] | None = None,
    *,
    home: SinchHome,
) -> dict[str, Any]:
    """:func:`project`, guarded: once an order exists, building its outputs must not fail, or the
    order id would never reach the engine."""
    try:
        return project(inputs, result, redact, home=home, stored=stored)
    except Exception as error:
        assert result.order is not None
        outputs = {key: inputs.get(key) for key in ALL_INPUTS}
        outputs.update(dict.fromkeys(COMPUTED_OUTPUTS))
        outputs.update(
            order_id=result.order.id_number_order,
            state=result.order.state.value,
            failed_step=(result.failed_step or Step.WAIT).value,
            last_error=f"unexpected {type(error).__name__} while recording the order; "
            "the next update reads it again",
            **home.to_outputs(),
        )
        return outputs


def redactor_of(outputs: Mapping[str, Any]) -> Redactor:
    """The redactor for stored outputs: their registration and their documents' paths."""
    attachments = outputs.get("attachments")
    paths = [
        str(a["file"])
        for a in attachments or []
        if isinstance(a, Mapping) and isinstance(a.get("file"), str)
    ]
    return Redactor.for_kyc(outputs.get("registration"), paths)
