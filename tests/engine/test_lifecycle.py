"""The quickstart's whole life, through the real CLI and the simulator alike.

Each test runs once per ``kind`` ("cli": the real Pulumi CLI; "simulator": sinch_numbers.testing)
with the same assertions, on the operations, the stack outputs, the exported state and the calls
the emulator saw.
"""

from __future__ import annotations

from typing import Any

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.conftest import ROOT, MakeRunner
from tests.engine.programs import (
    LOOKUP,
    PATCH_NUMBER,
    RELEASE,
    SEARCH,
    TOKEN,
    OneOrder,
    active_number,
    changing_calls,
)

QUICKSTART = ROOT / "examples" / "quickstart"


def test_quickstart_preview_up_refresh_update_destroy(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(QUICKSTART)

    preview = stack.preview()
    assert preview.ok, preview.error
    assert preview.ops() == {"au-sms-number": Op.CREATE}
    assert emu.orders() == []
    assert set(emu.stats()) <= {TOKEN, LOOKUP, SEARCH}, "preview makes only lookups"
    assert emu.stats()[LOOKUP] == 1
    assert emu.stats()[SEARCH] == 1, "one price search for the cost line"

    up = stack.up()
    assert up.ok, up.error
    assert up.ops() == {"au-sms-number": Op.CREATE}
    orders = emu.orders()
    assert [o["idNumberOrder"] for o in orders] == [up.outputs["order_id"]]
    assert up.outputs["state"] == "IN_REVIEW"
    order_id = up.outputs["order_id"]

    emu.reset_stats()
    again = stack.up()
    assert again.ok, again.error
    assert again.ops() == {"au-sms-number": Op.SAME}
    assert changing_calls(emu.stats()) == {}, "an unchanged up changes nothing"

    emu.review(order_id, "approve")
    refreshed = stack.refresh()
    assert refreshed.ok, refreshed.error
    assert stack.resource("au-sms-number").outputs["state"] == "COMPLETED"

    phone_number = up.outputs["phone_numbers"][0]
    stack.config["servicePlanId"] = "another-service-plan"
    emu.reset_stats()
    changed = stack.up()
    assert changed.ok, changed.error
    assert changed.ops() == {"au-sms-number": Op.UPDATE}
    assert changing_calls(emu.stats()) == {PATCH_NUMBER: 1}
    number = active_number(emu, phone_number)
    assert number["smsConfiguration"]["servicePlanId"] == "another-service-plan"
    assert number["expireAt"] is None, "nothing was released"
    assert len(emu.orders()) == 1

    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert destroyed.ops() == {"au-sms-number": Op.DELETE}
    assert emu.stats().get(RELEASE) == 1
    assert active_number(emu, phone_number)["expireAt"] is not None
    assert stack.state == {}


def test_release_on_destroy_false_keeps_the_number(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    program = OneOrder(release_on_destroy=False)
    stack = runner(program)
    up = stack.up()
    assert up.ok, up.error
    emu.review(up.outputs["order_id"], "approve")
    assert stack.refresh().ok
    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert RELEASE not in emu.stats()
    phone_number = stack_phone(up.outputs)
    assert active_number(emu, phone_number)["expireAt"] is None
    assert any("stay active" in text for _severity, text in destroyed.messages), destroyed.output


def stack_phone(outputs: dict[str, Any]) -> str:
    numbers = outputs["phone_numbers"]
    assert len(numbers) == 1
    return str(numbers[0])


def test_refresh_leaves_stack_outputs_as_the_program_last_set_them(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    """The engine recomputes stack outputs only when the program runs: a plain refresh updates
    the resource, not what `pulumi stack output` shows, until the next `up`."""
    stack = runner(OneOrder())
    up = stack.up()
    emu.review(up.outputs["order_id"], "approve")
    refreshed = stack.refresh()
    assert refreshed.ok, refreshed.error
    assert stack.resource("order").outputs["state"] == "COMPLETED"
    assert refreshed.outputs["state"] == "IN_REVIEW"
    after = stack.up()
    assert after.outputs["state"] == "COMPLETED"
