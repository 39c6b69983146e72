"""The wait for review, through the real CLI: it never runs inside the create that made the order.

``NumberOrder(wait_for_completion=True)`` declares a ``NumberOrderCompletion`` child whose create
waits; the order's own create returns once the order is submitted, so the engine has saved the
order before any wait begins. A run killed or cancelled during the wait loses nothing: exactly one
order exists at Sinch and the next ``pulumi up`` (on a fresh runner, without the provider's record
of unsaved orders) waits again and converges.

What the engine does on SIGINT (pulumi v3.276.0, file backend; recorded here, asserted below):
* it prints "^C received; cancelling", calls ``Cancel`` on each provider plugin (the plugins run
  in process groups of their own: the signal never reaches them), then on its language host, which
  interrupts the program (SIGINT; a kill after 5 s); it starts no new step, waits for every create
  in flight to end, saves what they returned and exits 1 ("update canceled"); the Python SDK's
  dynamic-provider plugin answers ``Cancel`` without telling the provider;
* so a SIGINT during the order's create keeps the order (its create runs to its end and is saved)
  and the completion is not started; the next ``up`` waits;
* a SIGINT during the completion's wait held the run until review ended or the wait timed out.
  The wait now watches the program the language host runs (``EngineWatch``), which a run that
  goes on keeps until its creates end: `pulumi up` in a project folder stops the wait at once
  (test_folders.py). A program the Automation API runs inline (these tests) has no such process,
  so its wait still runs to its timeout; either way the next ``up`` waits again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sinch_numbers.testing import Op, ProgramResult
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCliRunner
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, SUBMIT, OneOrder, au_registration

_SLOW_REGISTRATION: dict[str, Any] = {
    "path": r"/registration$",
    "action": "latency",
    "method": "PUT",
}
_COMPLETION = "order-completion"


def _own_cli_pids(stack: PulumiCliRunner) -> list[int]:
    """The ``pulumi`` processes this runner started: the CLI binary, with this runner's own
    PULUMI_HOME in its environment (no other process on the machine has it)."""
    executable = str(stack.cli.executable.resolve())
    home = f"PULUMI_HOME={stack.pulumi_home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if os.readlink(entry / "exe") == executable and home in (
                entry / "environ"
            ).read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def _signal_when(
    stack: PulumiCliRunner, ready: Callable[[], bool], signum: signal.Signals
) -> threading.Thread:
    """Send ``signum`` to this runner's own ``pulumi`` once ``ready()`` holds: SIGINT is what
    a CI cancel sends first, SIGKILL what ends a job at its timeout."""

    def watch() -> None:
        while not ready():
            time.sleep(0.05)
        for pid in _own_cli_pids(stack):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    thread = threading.Thread(target=watch, daemon=True, name=f"{signum.name}-cli")
    thread.start()
    return thread


def _in_review(emu: EmulatorProcess) -> str | None:
    orders = [o for o in emu.orders() if o["state"] == "IN_REVIEW"]
    return orders[0]["idNumberOrder"] if orders else None


def _waiting(printed: list[str]) -> Callable[[], bool]:
    return lambda: any("for review" in line and "waiting" in line for line in printed)


def _fresh_runner(stack: PulumiCliRunner, tmp_path: Path, name: str) -> None:
    """What a new CI runner has: the same backend, but no record of unsaved orders."""
    stack.env["SINCH_NUMBERS_STATE_DIR"] = str(tmp_path / name)


def _names(stack: PulumiCliRunner) -> set[str]:
    """The names of the stack's resources in the engine's state."""
    return {r.urn.rsplit("::", 1)[-1] for r in stack.state.values()}


def _up_signalled_while_waiting(
    emu: EmulatorProcess, stack: PulumiCliRunner, tmp_path: Path, signum: signal.Signals
) -> tuple[ProgramResult, str]:
    """``up`` from a fresh runner, sent ``signum`` once the order is in review and the wait
    has begun; the result and the order's id."""
    printed: list[str] = []
    stack.on_output = printed.append
    _fresh_runner(stack, tmp_path, "runner-1")
    waiting = _waiting(printed)
    _signal_when(stack, lambda: _in_review(emu) is not None and waiting(), signum)
    result = stack.up()
    assert not result.ok
    order_id = _in_review(emu)
    assert order_id is not None, "the order is still in review: the wait ended, not review"
    return result, order_id


def _kept_and_converges(
    emu: EmulatorProcess, stack: PulumiCliRunner, tmp_path: Path, order_id: str
) -> None:
    """The stack holds the order and no completion; then, on a fresh runner, once review
    approves, the next up waits (again), completes, and orders nothing."""
    assert stack.resource("order").id == order_id, "the engine saved the order before the wait"
    assert _COMPLETION not in _names(stack)
    _fresh_runner(stack, tmp_path, "runner-2")
    emu.reset_stats()
    emu.review(order_id, "approve")
    again = stack.up()
    assert again.ok, again.error
    assert again.op(_COMPLETION) == Op.CREATE
    assert CREATE not in emu.stats(), "nothing was ordered again"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    completion = stack.resource(_COMPLETION)
    assert completion.id == order_id
    assert completion.outputs["state"] == "COMPLETED"
    assert stack.up().ops() == {"order": Op.SAME, _COMPLETION: Op.SAME}


def test_a_run_killed_while_waiting_for_review_keeps_the_order(
    emu: EmulatorProcess, cli_runner: MakeRunner, tmp_path: Path
) -> None:
    """Before the wait left create, the engine learnt the order only when review ended: a job
    killed at its timeout left a pending create, and a fresh runner ordered again."""
    stack = cli_runner(OneOrder(wait_for_completion=True, completion_timeout=600))
    _killed, order_id = _up_signalled_while_waiting(emu, stack, tmp_path, signal.SIGKILL)
    stack.stop_leftover_plugins()
    assert stack.run_cli("cancel", "--yes").returncode == 0, "a killed pulumi leaves a lock"
    # What the kill interrupted is the completion's create, which orders nothing.
    assert [op["type"] for op in stack.pending_operations()] == ["creating"]
    _kept_and_converges(emu, stack, tmp_path, order_id)


def test_sigint_while_the_order_is_created_keeps_it_and_the_next_up_waits(
    emu: EmulatorProcess, cli_runner: MakeRunner, tmp_path: Path
) -> None:
    stack = cli_runner(OneOrder(wait_for_completion=True, completion_timeout=600))
    _fresh_runner(stack, tmp_path, "runner-1")
    emu.add_fault(latency_ms=3000, **_SLOW_REGISTRATION)
    _signal_when(stack, lambda: bool(emu.orders()), signal.SIGINT)
    cancelled = stack.up()
    assert not cancelled.ok
    assert "canceled" in (cancelled.details or "")
    emu.clear_faults()

    orders = emu.orders()
    assert len(orders) == 1
    order_id = orders[0]["idNumberOrder"]
    # The engine waited for the in-flight create, which ran to its end, and saved it.
    assert orders[0]["state"] == "IN_REVIEW"
    assert stack.pending_operations() == []
    _kept_and_converges(emu, stack, tmp_path, order_id)


def test_sigint_while_an_inline_program_waits_for_review_loses_nothing(
    emu: EmulatorProcess, cli_runner: MakeRunner, tmp_path: Path
) -> None:
    """A program the Automation API runs inline has no language host process: the engine's
    ``Cancel`` reaches nothing the plugin can watch (the SDK's plugin answers it alone), so the
    wait runs on to its timeout. The run still fails, the order is kept and the next ``up`` waits
    again. `pulumi up` in a project folder stops the wait at once (test_folders.py)."""
    stack = cli_runner(OneOrder(wait_for_completion=True, completion_timeout=15))
    cancelled, order_id = _up_signalled_while_waiting(emu, stack, tmp_path, signal.SIGINT)
    assert "received; cancelling" in cancelled.output, "the engine heard the SIGINT"
    assert "is still IN_REVIEW after waiting up to 15 s" in (cancelled.error or "")
    assert stack.pending_operations() == []
    _kept_and_converges(emu, stack, tmp_path, order_id)


def _review_when_in_review(emu: EmulatorProcess, outcome: str, message: str) -> threading.Thread:
    def review() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            order_id = _in_review(emu)
            if order_id is not None:
                emu.review(order_id, outcome, message)
                return
            time.sleep(0.05)

    thread = threading.Thread(target=review, daemon=True)
    thread.start()
    return thread


def test_a_blocked_wait_fails_the_run_and_after_the_fix_the_same_order_is_waited_for(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    program = OneOrder(wait_for_completion=True, completion_timeout=120)
    stack = cli_runner(program)
    reviewer = _review_when_in_review(emu, "block", "Alex Citizen: proof of address unreadable")
    blocked = stack.up()
    reviewer.join()
    assert not blocked.ok
    [order] = emu.orders()
    order_id = order["idNumberOrder"]
    assert f"order {order_id} is BLOCKED by review (1 review message;" in (blocked.error or "")
    assert f"`sinch-numbers order show {order_id} --show-review-text`" in (blocked.error or "")
    assert "Citizen" not in "\n".join(stack.transcript), "the reviewer's text stays at Sinch"
    assert _COMPLETION not in _names(stack)

    program.inputs["registration"] = au_registration(lastName="Citizen-Smith")
    emu.reset_stats()
    reviewer = _review_when_in_review(emu, "approve", "")
    fixed = stack.up()
    reviewer.join()
    assert fixed.ok, fixed.error
    assert fixed.ops() == {"order": Op.UPDATE, _COMPLETION: Op.CREATE}
    assert CREATE not in emu.stats(), "the same order was resubmitted"
    assert SUBMIT in emu.stats()
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert stack.resource(_COMPLETION).outputs["state"] == "COMPLETED"


def test_up_with_refresh_waits_again_and_completes(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    """As the GitHub Actions example runs it (`up --refresh`): the engine's ``Cancel`` at the end
    of a run must not stop a wait of the same plugin process that is not cancelled."""
    program = OneOrder(wait_for_completion=True, completion_timeout=1)
    stack = cli_runner(program)
    timed_out = stack.up()
    assert not timed_out.ok
    assert "still IN_REVIEW after waiting up to 1 s" in (timed_out.error or "")
    [order] = emu.orders()

    program.inputs["completion_timeout"] = 120
    printed: list[str] = []
    stack.on_output = printed.append
    waiting = _waiting(printed)

    def approve_once_waiting() -> None:
        while not waiting():
            time.sleep(0.05)
        emu.review(order["idNumberOrder"], "approve")

    reviewer = threading.Thread(target=approve_once_waiting, daemon=True)
    reviewer.start()
    emu.reset_stats()
    again = stack.up(refresh=True)
    assert again.ok, again.error
    assert again.op(_COMPLETION) == Op.CREATE
    assert CREATE not in emu.stats()
    assert stack.resource(_COMPLETION).outputs["state"] == "COMPLETED"
