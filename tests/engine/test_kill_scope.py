"""`PulumiCliRunner.kill_when` kills only what the runner started, never another run on the machine.

A CI machine runs several jobs at once, and a developer may have a `pulumi` of their own running:
a process that runs the same `pulumi` binary, or a plugin that shares the runner's Pulumi home,
is not the runner's to kill. Each test starts such a bystander, interrupts the runner's own run,
and checks that the run was interrupted and the bystander is still alive.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.engine.conftest import MakeRunner
from tests.engine.programs import LOOKUP, OneOrder

# The run is in progress while the requirements lookup is held up: that is when it is killed.
_SLOW_LOOKUP = {"path": r"numberOrders:lookupNumberRequirements$", "action": "latency"}


@contextmanager
def _bystander(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A process this test starts, and stops by its own id when the test ends."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=30)


@contextmanager
def _another_pulumi_run(cli: PulumiCli) -> Iterator[subprocess.Popen[bytes]]:
    """The same `pulumi` binary, busy with a run of someone else's: `pulumi whoami` against a
    backend on loopback that accepts the connection and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        env = {
            **os.environ,
            "PULUMI_BACKEND_URL": f"http://127.0.0.1:{silent.getsockname()[1]}",
            "PULUMI_ACCESS_TOKEN": "pul-bystander",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
        }
        silent.settimeout(60)
        with _bystander([str(cli.executable), "--non-interactive", "whoami"], env) as process:
            connection, _ = silent.accept()  # it has asked the backend: it is running
            with connection:
                yield process


@contextmanager
def _plugin_sharing_the_home(runner: PulumiCliRunner) -> Iterator[subprocess.Popen[bytes]]:
    """A dynamic-provider plugin of another run that uses the same Pulumi home (a shared
    PULUMI_HOME, as on a CI machine that caches it): same home, same command line shape."""
    env = {**os.environ, "PULUMI_HOME": str(runner.pulumi_home)}
    code = "import sys, time; time.sleep(600)"
    with _bystander([sys.executable, "-c", code, "-m", "pulumi.dynamic"], env) as process:
        yield process


@pytest.mark.parametrize("target", ["cli", "plugin"])
def test_kill_when_kills_only_the_runners_own_processes(
    emu: EmulatorProcess, cli_runner: MakeRunner, cli: PulumiCli, target: str
) -> None:
    stack: PulumiCliRunner = cli_runner(OneOrder())
    emu.add_fault(latency_ms=4000, times=None, **_SLOW_LOOKUP)
    bystander_of = _another_pulumi_run(cli) if target == "cli" else _plugin_sharing_the_home(stack)
    with bystander_of as bystander:
        assert bystander.poll() is None
        stack.kill_when(lambda: emu.stats().get(LOOKUP, 0) > 0, target=target)
        killed = stack.up()
        emu.clear_faults()
        assert not killed.ok, "the runner's own run was interrupted"
        assert bystander.poll() is None, "a process the runner did not start was killed"
    stack.stop_leftover_plugins()
