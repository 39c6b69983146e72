""" "Gone" is proven before anything leaves the stack (issue 16, item 1), under the real CLI and the
simulator alike.

Each test runs once per ``kind`` ("cli": the real Pulumi CLI; "simulator": sinch_numbers.testing).
Two ways a 404 for an order proves nothing: the stack now points at another Sinch project (the
order is in the old one, its number billed there), and Sinch no longer returns an order whose
number is still active. Neither may drop the order, and no ``up`` after it may order again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from tests.active_numbers import GET_NUMBER, OneNumber, activate
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, GET_ORDER, RELEASE, OneOrder, active_number

OTHER_PROJECT = "the-other-project"


@pytest.fixture(scope="module")
def two_projects() -> Iterator[EmulatorProcess]:
    """An emulator whose key may use a second project, which sees only its own orders."""
    with start_emulator(review_policy="manual", other_project_ids=OTHER_PROJECT) as process:
        yield process


def warnings(result: Any) -> list[str]:
    """The warnings a run showed: the CLI's by severity; the simulator relays a plugin's
    warning as a line of its standard error that says so."""
    return [
        text
        for severity, text in result.messages
        if severity == "warning" or text.startswith("warning: ")
    ]


def _refresh_under_the_other_project_refuses(stack: Any, emu: EmulatorProcess) -> None:
    """Point the stack at the other project and refresh with the program: refused, naming both
    projects and the setting."""
    stack.config["sinch:projectId"] = OTHER_PROJECT
    emu.reset_stats()
    refreshed = stack.refresh(run_program=True)
    assert not refreshed.ok, "a 404 under another project proves nothing"
    assert refreshed.error is not None
    assert emu.credentials.project_id in refreshed.error
    assert OTHER_PROJECT in refreshed.error
    assert "sinch:projectId" in refreshed.error


def _completed(stack: Any, emu: EmulatorProcess) -> tuple[str, str]:
    """Up, approve and refresh: the order's id and its one (now active) number."""
    up = stack.up()
    assert up.ok, up.error
    order_id = str(up.outputs["order_id"])
    emu.review(order_id, "approve")
    refreshed = stack.refresh()
    assert refreshed.ok, refreshed.error
    outputs = stack.resource("order").outputs
    assert outputs["state"] == "COMPLETED"
    (phone_number,) = outputs["phone_numbers"]
    return order_id, str(phone_number)


def test_a_changed_project_refresh_run_program_keeps_the_completed_order(
    runner: MakeRunner, two_projects: EmulatorProcess
) -> None:
    emu = two_projects
    emu.reset()
    home = emu.credentials.project_id
    stack = runner(OneOrder(), config=emu.stack_config())
    order_id, phone_number = _completed(stack, emu)
    assert stack.resource("order").outputs["project_id"] == home

    _refresh_under_the_other_project_refuses(stack, emu)
    kept = stack.resource("order").outputs
    assert (kept["order_id"], kept["state"]) == (order_id, "COMPLETED")
    assert GET_ORDER not in emu.stats(), "nothing was read in the other project"

    again = stack.up()
    assert not again.ok, "the plan refuses too: nothing is ordered in the other project"
    assert CREATE not in emu.stats()
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert active_number(emu, phone_number)["expireAt"] is None

    stack.config["sinch:projectId"] = home
    restored = stack.refresh(run_program=True)
    assert restored.ok, restored.error
    assert stack.resource("order").outputs["order_id"] == order_id


def test_an_order_sinch_forgot_while_its_number_is_active_is_kept_and_not_ordered_again(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneOrder())
    order_id, phone_number = _completed(stack, emu)
    emu.forget_order(order_id)
    emu.reset_stats()

    again = stack.up(refresh=True)
    assert again.ok, again.error
    assert again.op("order") is Op.SAME
    assert CREATE not in emu.stats(), "never ordered again"
    assert emu.orders() == []
    assert stack.resource("order").outputs["order_id"] == order_id
    assert any(phone_number in text and "billed" in text for text in warnings(again)), again.output

    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert emu.stats().get(RELEASE) == 1, "destroy still releases the number"
    assert active_number(emu, phone_number)["expireAt"] is not None
    assert stack.state == {}


def test_a_changed_project_refresh_run_program_keeps_an_active_number(
    runner: MakeRunner, two_projects: EmulatorProcess
) -> None:
    """The same for an ActiveNumber: under the other project its number answers 404, which
    used to drop it from the stack while it stayed billed in its own project."""
    emu = two_projects
    emu.reset()
    phone_number = activate(emu)
    stack = runner(OneNumber(phone_number, display_name="Support"), config=emu.stack_config())
    up = stack.up()
    assert up.ok, up.error

    _refresh_under_the_other_project_refuses(stack, emu)
    assert stack.resource("number").outputs["phone_number"] == phone_number
    assert GET_NUMBER not in emu.stats(), "nothing was read in the other project"
    assert active_number(emu, phone_number)["expireAt"] is None
