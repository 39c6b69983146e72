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

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCliRunner
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, OneOrder, au_registration

_SLOW_REGISTRATION = {"path": r"/registration$", "action": "latency", "method": "PUT"}


def _interrupt(
    emu: EmulatorProcess,
    runner: MakeRunner,
    target: str,
    *,
    latency_ms: int = 4000,
    stop_plugins: bool = True,
    **options: Any,
) -> tuple[PulumiCliRunner, OneOrder, str]:
    program = OneOrder()
    stack = runner(program, **options)
    printed: list[str] = []
    stack.on_output = printed.append
    emu.add_fault(latency_ms=latency_ms, **_SLOW_REGISTRATION)

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
    if stop_plugins:
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


def test_fixing_a_registration_value_after_a_killed_run_still_finds_the_first_order(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    # The order sits IN_REVIEW (or will): a second one for a corrected registration would be
    # billed too if both are approved. The record's key names the declaration, not its KYC.
    stack, program, order_id = _interrupt(emu, cli_runner, "plugin")
    program.inputs["registration"] = au_registration(lastName="Citizen-Corrected")
    emu.reset_stats()
    again = stack.up()
    assert not again.ok, "a KYC fix after a killed run must not order again"
    assert CREATE not in emu.stats()
    assert len(emu.orders()) == 1
    assert f'adopt_order_id="{order_id}"' in (again.error or "")


def test_an_order_a_live_orphaned_plugin_is_still_creating_is_in_progress_not_interrupted(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    # A killed `pulumi` leaves its plugin running, still inside create: that order is being
    # created right now, and must be neither called interrupted nor offered for adoption.
    stack, _program, order_id = _interrupt(
        emu, cli_runner, "cli", latency_ms=120_000, stop_plugins=False
    )
    try:
        assert stack.run_cli("cancel", "--yes").returncode == 0
        emu.reset_stats()
        busy = stack.up()
        assert not busy.ok
        assert "creating this order right now" in (busy.error or "")
        assert "adopt_order_id" not in (busy.error or "")
        assert CREATE not in emu.stats()
    finally:
        assert stack.stop_leftover_plugins() >= 1, "the orphaned plugin was alive until now"
    # Its creator is gone now: the same order is an interrupted create, named for adoption.
    again = stack.up()
    assert not again.ok
    assert f'adopt_order_id="{order_id}"' in (again.error or "")
    assert len(emu.orders()) == 1


def test_a_second_stack_with_the_same_inputs_orders_its_own_while_the_first_creates(
    emu: EmulatorProcess, cli_runner: MakeRunner, tmp_path: Path
) -> None:
    # Two stacks on one machine, one record: the first's order is live, not interrupted, and
    # not the second's to adopt (destroying either would release the other's number).
    shared = {"SINCH_NUMBERS_STATE_DIR": str(tmp_path / "one-machine")}
    first = cli_runner(OneOrder(), stack="first", env=shared)
    second = cli_runner(OneOrder(), stack="second", env=shared)
    emu.add_fault(latency_ms=4000, **_SLOW_REGISTRATION)
    results: dict[str, Any] = {}
    creating = threading.Thread(target=lambda: results.update(first=first.up()))
    creating.start()
    try:
        while not emu.orders() and creating.is_alive():
            threading.Event().wait(0.05)
        first_order = emu.orders()[0]["idNumberOrder"]
        meanwhile = second.up()
    finally:
        creating.join(120)
    assert results["first"].ok, results["first"].error
    assert "interrupted" not in (meanwhile.error or "")
    assert first_order not in (meanwhile.error or "")
    assert meanwhile.ok, meanwhile.error
    assert first.resource("order").id == first_order
    assert second.resource("order").id != first_order
    assert len(emu.orders()) == 2


def test_a_record_carried_by_a_ci_cache_stops_a_fresh_runner_from_ordering_again(
    emu: EmulatorProcess, cli_runner: MakeRunner, tmp_path: Path
) -> None:
    """The GitHub Actions sequence of examples/github-actions: the job is killed after the order
    exists; the cache step (``if: always()``) saves SINCH_NUMBERS_STATE_DIR; the next job, on a
    fresh runner (new workspace, new PULUMI_HOME), restores it to another path and runs `up`
    against the same backend."""
    runner_one = tmp_path / "runner-1" / "sinch-numbers-state"
    killed, program, order_id = _interrupt(
        emu, cli_runner, "cli", env={"SINCH_NUMBERS_STATE_DIR": str(runner_one)}
    )
    cache = tmp_path / "actions-cache"
    shutil.copytree(runner_one, cache)  # actions/cache save, after the killed step
    runner_two = tmp_path / "runner-2" / "sinch-numbers-state"
    shutil.copytree(cache, runner_two)  # actions/cache restore on the fresh runner
    fresh = cli_runner(program, env={"SINCH_NUMBERS_STATE_DIR": str(runner_two)})
    fresh.backend = killed.backend  # the same backend (a cloud or bucket backend in CI)
    assert fresh.pulumi_home != killed.pulumi_home
    assert fresh.project_dir != killed.project_dir
    emu.reset_stats()
    assert fresh.run_cli("cancel", "--yes").returncode == 0
    again = fresh.up()
    assert not again.ok, "the fresh runner must not order again"
    assert CREATE not in emu.stats()
    assert f'adopt_order_id="{order_id}"' in (again.error or "")
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    program.inputs["adopt_order_id"] = order_id
    recovered = fresh.up()
    assert recovered.ok, recovered.error
    assert fresh.resource("order").id == order_id
    assert len(emu.orders()) == 1
