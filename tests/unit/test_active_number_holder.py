"""An ActiveNumber records the NumberOrder that holds its number (issue 16, item 7): the program
sets ``number_order_id`` when phone_number comes from an order's outputs, and the state keeps it
so that delete, which sees only the state, knows the order decides about the number."""

from __future__ import annotations

from typing import Any

from sinch_numbers.active_number import ActiveNumberProvider
from sinch_numbers.resources.active_number.check import check_number_inputs

PHONE = "+13075551000"


def _stored(**changes: Any) -> dict[str, Any]:
    return {"phone_number": PHONE, "release_on_destroy": False, **changes}


def test_the_holding_order_is_an_input_and_checked_as_text() -> None:
    assert check_number_inputs(_stored(number_order_id="o1")).failures == []
    (failure,) = check_number_inputs(_stored(number_order_id=7)).failures
    assert failure.field == "number_order_id"


def test_a_state_without_the_holding_order_plans_an_update_that_records_it() -> None:
    diff = ActiveNumberProvider().diff(PHONE, _stored(), _stored(number_order_id="o1"))
    assert diff.changes is True
    assert diff.replaces == []


def test_an_unchanged_holding_order_plans_nothing() -> None:
    stored = _stored(number_order_id="o1")
    assert ActiveNumberProvider().diff(PHONE, stored, dict(stored)).changes is False
