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
from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.redaction import Redactor
from sinch_numbers.core.routing import Configuration, Routing
from sinch_numbers.resources.number_order.schema import (
    COMPUTED_OUTPUTS,
    INPUTS,
    SECRET_OUTPUTS,
    AttachmentFields,
    OrderActiveNumberFields,
    OrderNumberFields,
    P,
)
from sinch_numbers.resources.number_order.workflow import Step, WorkflowResult

__all__ = ["COMPUTED_OUTPUTS", "SECRET_OUTPUTS", "project", "project_guarded", "stored_order"]

_ROW = OrderNumberFields
_NUMBER = OrderActiveNumberFields


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _order_numbers(order: NumberOrder) -> list[dict[str, Any]]:
    rows = []
    for number in order.order_numbers:
        price = number.number_price
        rows.append(
            {
                _ROW.phone_number.name: number.phone_number,
                _ROW.capabilities.name: [c.value for c in number.capabilities],
                _ROW.setup_price.name: price.setup_price.model_dump()
                if price and price.setup_price
                else None,
                _ROW.monthly_price.name: price.monthly_price.model_dump()
                if price and price.monthly_price
                else None,
                _ROW.payment_interval_months.name: price.payment_interval_months if price else None,
            }
        )
    return rows


def _active_number(number: ActiveNumber) -> dict[str, Any]:
    """One number of a completed order, for downstream use: its charges and what it carries."""
    return {
        _NUMBER.phone_number.name: number.phone_number,
        _NUMBER.next_charge_date.name: _iso(number.next_charge_date),
        _NUMBER.expire_at.name: _iso(number.expire_at),
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
                phone_number=row[_ROW.phone_number.name],
                number_price=NumberPrice(
                    setup_price=money(row.get(_ROW.setup_price.name)),
                    monthly_price=money(row.get(_ROW.monthly_price.name)),
                    payment_interval_months=row.get(_ROW.payment_interval_months.name),
                ),
                capabilities=row.get(_ROW.capabilities.name) or [],
            )
            for row in outputs.get(P.order_numbers.name) or []
        ]
        return NumberOrder(
            id_number_order=str(outputs[P.order_id.name]),
            region_code=str(outputs.get(P.region_code.name) or ""),
            state=outputs.get(P.state.name),
            number_type=outputs.get(P.number_type.name),
            order_numbers=numbers,
            expire_time=outputs.get(P.expire_time.name),
            create_time=outputs.get(P.create_time.name),
            update_time=outputs.get(P.update_time.name),
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
    desired = Routing.of(inputs)
    pending = desired != applied_routing(result, inputs)
    numbers = result.active_numbers
    if numbers is not None:
        active_numbers = [_active_number(n) for n in numbers] or None
    elif stored is not None and order.state is NumberOrderState.COMPLETED:
        active_numbers = stored.get(P.active_numbers.name)
    else:
        active_numbers = None
    computed = {
        P.order_id.name: order.id_number_order,
        P.state.name: order.state.value,
        P.expire_time.name: _iso(order.expire_time),
        P.create_time.name: _iso(order.create_time),
        P.update_time.name: _iso(order.update_time),
        P.phone_numbers.name: order.phone_numbers,
        P.order_numbers.name: _order_numbers(order),
        P.registration_logs.name: redact.logs(result.registration_logs),
        P.completed_steps.name: [s.value for s in result.completed_steps],
        P.failed_step.name: result.failed_step.value if result.failed_step else None,
        P.last_error.name: redact(result.last_error) if result.last_error else None,
        P.last_error_detail.name: redact(result.last_error_detail)
        if result.last_error_detail
        else None,
        P.progress.name: result.progress.to_dict(),
        P.pending_configuration.name: desired.to_dict() if pending else None,
        P.active_numbers.name: active_numbers,
        P.seconds_until_expiry.name: _seconds_until_expiry(order, now or datetime.now(UTC)),
    }
    return _outputs(inputs, computed, home)


def _outputs(
    inputs: Mapping[str, Any], computed: Mapping[str, Any], home: SinchHome
) -> dict[str, Any]:
    """Every output: the inputs echoed, then every computed output (None unless given), the
    home last."""
    outputs: dict[str, Any] = {key: inputs.get(key) for key in INPUTS}
    outputs.update(dict.fromkeys(COMPUTED_OUTPUTS))
    outputs.update(computed)
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
        recorded = {
            P.order_id.name: result.order.id_number_order,
            P.state.name: result.order.state.value,
            P.failed_step.name: (result.failed_step or Step.WAIT).value,
            P.last_error.name: f"unexpected {type(error).__name__} while recording the order; "
            "the next update reads it again",
        }
        return _outputs(inputs, recorded, home)


def redactor_of(outputs: Mapping[str, Any]) -> Redactor:
    """The redactor for stored outputs: their registration and their documents' paths."""
    attachments = outputs.get(P.attachments.name)
    file = AttachmentFields.file.name
    paths = [
        str(a[file])
        for a in attachments or []
        if isinstance(a, Mapping) and isinstance(a.get(file), str)
    ]
    return Redactor.for_kyc(outputs.get(P.registration.name), paths)
