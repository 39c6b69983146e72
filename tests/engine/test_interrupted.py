"""Interrupted runs through the real CLI: `pulumi` or the provider plugin SIGKILLed while a
create is in flight, after the order exists at Sinch and before the engine could save its id.

What the engine does next (recorded here, asserted below), on pulumi v3.27x with a file backend:
* a killed `pulumi` leaves the stack locked (`pulumi cancel` unlocks it) and a pending create
  ("interrupted while creating") in the state, with the resource's inputs but no id;
* the next `pulumi up` only warns about the pending create and calls create again: without the
  provider's record of unsaved orders it would order a second time;
* `pulumi refresh --import-pending-creates URN ID` drops the pending create without reading it
  (nothing is imported), so it cannot recover the order;
* a killed plugin fails the create step; the engine keeps no pending create;
* once the order is adopted, the stale pending create stays until `refresh --clear-pending-creates`.
The provider notes each order the moment it exists and refuses to order again for the same
inputs, naming the order; `adopt_order_id` then takes it over. Exactly one order at the end.
"""

from __future__ import annotations

import pytest

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCliRunner
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, OneOrder

_SLOW_REGISTRATION = {"path": r"/registration$", "action": "latency", "method": "PUT"}


def _interrupt(
    emu: EmulatorProcess, runner: MakeRunner, target: str
) -> tuple[PulumiCliRunner, OneOrder, str]:
    program = OneOrder()
    stack = runner(program)
    printed: list[str] = []
    stack.on_output = printed.append
    emu.add_fault(latency_ms=4000, **_SLOW_REGISTRATION)

    def order_exists() -> bool:
        if not emu.orders():
            return False
        # The plugin's log line travels to the CLI over gRPC: a CLI killed the instant the
        # order exists may never print it. The kill comes once the user could have read it.
        return target != "cli" or any("adopt_order_id=" in line for line in printed)

    stack.kill_when(order_exists, target=target)
    killed = stack.up()
    assert not killed.ok
    orders = emu.orders()
    assert len(orders) == 1, "the order exists at Sinch"
    order_id = orders[0]["idNumberOrder"]
    emu.clear_faults()
    stack.stop_leftover_plugins()
    return stack, program, order_id


@pytest.mark.parametrize("target", ["cli", "plugin"])
def test_an_interrupted_create_is_never_ordered_twice_and_adoption_recovers_it(
    emu: EmulatorProcess, cli_runner: MakeRunner, target: str
) -> None:
    stack, program, order_id = _interrupt(emu, cli_runner, target)
    if target == "cli":
        # What the user saw last before the kill names the order and how to keep it.
        assert f'adopt_order_id="{order_id}"' in "\n".join(stack.transcript)
        assert [op["type"] for op in stack.pending_operations()] == ["creating"]
        locked = stack.up()
        assert not locked.ok
        assert "locked" in (locked.error or "")
        assert stack.run_cli("cancel", "--yes").returncode == 0
    else:
        assert stack.pending_operations() == []

    emu.reset_stats()
    again = stack.up()
    assert not again.ok, "the next up must not order again"
    assert CREATE not in emu.stats()
    assert len(emu.orders()) == 1
    assert "interrupted before Pulumi saved it" in (again.error or "")
    assert f'adopt_order_id="{order_id}"' in (again.error or "")

    program.inputs["adopt_order_id"] = order_id
    recovered = stack.up()
    assert recovered.ok, recovered.error
    assert recovered.ops() == {"order": Op.CREATE}
    assert stack.resource("order").id == order_id
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert emu.order(order_id)["state"] == "IN_REVIEW", "the adopted order was carried on"
    if target == "cli":
        # The engine keeps the stale pending create after the resource exists again, until a
        # refresh clears it.
        assert [op["type"] for op in stack.pending_operations()] == ["creating"]
        assert stack.refresh(clear_pending_creates=True).ok
    assert stack.pending_operations() == []
    assert stack.resource("order").id == order_id
    assert stack.up().ops() == {"order": Op.SAME}


def test_refresh_with_clear_pending_creates_keeps_the_protection(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    stack, _program, order_id = _interrupt(emu, cli_runner, "cli")
    assert stack.run_cli("cancel", "--yes").returncode == 0
    plain = stack.refresh()
    assert plain.ok, plain.error
    assert [op["type"] for op in stack.pending_operations()] == ["creating"], (
        "a non-interactive refresh leaves the pending create"
    )
    cleared = stack.refresh(clear_pending_creates=True)
    assert cleared.ok, cleared.error
    assert stack.pending_operations() == []
    again = stack.up()
    assert not again.ok
    assert order_id in (again.error or "")
    assert len(emu.orders()) == 1
