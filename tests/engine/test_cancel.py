"""A cancelled `pulumi up` through the plugin: one SIGINT, what a CI cancel sends first.

The engine calls the plugin's Cancel at once, then waits for every create in flight. A
NumberOrderCompletion waiting for a review that does not end would hold the run until its
timeout; the plugin ends the wait when cancelled instead, and the order its NumberOrder made is
in the state with its id. The next `up`, once review approves, completes without a second order.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import COMPLETION, resources
from tests.engine.programs import CREATE, GET_ORDER

pytestmark = pytest.mark.package_program("python")

TIMEOUT = 600
"""The completion's own timeout: far beyond what the test waits for the cancelled run."""
PROMPT = 120
"""A generous bound for the cancelled run to end: a fifth of the timeout, not a timing."""


def _start(project: Folder, *args: str) -> subprocess.Popen[str]:
    """``pulumi ARGS`` in its own process group: nothing the terminal or the test runner sends
    its own group reaches it, and whatever it started can be stopped together if it hangs."""
    return subprocess.Popen(
        [str(project.cli.executable), *args, "--non-interactive"],
        cwd=project.path,
        env=project.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _wait_until(
    condition: Callable[[], bool], *, within: float, process: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert process.poll() is None, "the run ended before the wait began"
        assert time.monotonic() < deadline, "the wait did not begin"
        time.sleep(0.2)


def test_one_sigint_ends_the_completion_wait_promptly_and_keeps_the_order(
    package_project: Callable[..., Folder], emu: EmulatorProcess
) -> None:
    project = package_project()
    project.ok("stack", "select", "dev", "--create")
    project.set_config({**emu.stack_config(), "completionTimeout": str(TIMEOUT)})

    up = _start(project, "up", "--yes", "--skip-preview")
    printed: list[str] = []
    assert up.stdout is not None
    reader = threading.Thread(target=lambda: printed.extend(up.stdout or ()), daemon=True)
    reader.start()
    try:
        # The wait has begun once the completion says so (its log line reaches the CLI through
        # the engine) and the order, in review, is being read.
        def waiting() -> bool:
            said = any("waiting" in line and "for review" in line for line in list(printed))
            return said and GET_ORDER in emu.stats()

        _wait_until(waiting, within=180, process=up)
        # One SIGINT to the CLI alone: the plugin hears of it only through the engine's Cancel.
        up.send_signal(signal.SIGINT)
        signalled = time.monotonic()
        up.wait(timeout=PROMPT + 60)
        took = time.monotonic() - signalled
    finally:
        if up.poll() is None:
            os.killpg(up.pid, signal.SIGKILL)
            up.wait()
    reader.join(10)
    output = "".join(printed)
    print(f"the cancelled run ended {took:.1f} s after the SIGINT")  # the report's figure (-s)
    assert up.returncode != 0, output
    assert took < PROMPT, f"the wait ran on for {took:.0f} s after the SIGINT:\n{output}"

    [order] = emu.orders()
    order_id = order["idNumberOrder"]
    assert order["state"] == "IN_REVIEW"
    [saved] = resources(project)
    assert saved["id"] == order_id, "the order is in the state with its id"
    assert resources(project, COMPLETION) == [], "the wait did not complete"

    # Review approves; the next up completes the wait with the same order.
    emu.review(order_id, "approve")
    emu.reset_stats()
    again = project.run("up", "--yes", "--skip-preview", timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert CREATE not in emu.stats(), "no second order"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    [completion] = resources(project, COMPLETION)
    assert completion["id"] == order_id
    assert completion["outputs"]["state"] == "COMPLETED"
