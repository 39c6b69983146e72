"""The review wait of a NumberOrderCompletion, over HTTP mocked at the transport, on a clock the
test moves: it polls with backoff, says how it stands at a bounded rate, ends on every way review
can end, and stops when the run that asked for it is gone."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from sinch_numbers.api.models import NumberOrder
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.requirements import RequirementsCache
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wait import WaitPolicy
from sinch_numbers.resources.number_order_completion.lifecycle import (
    check_completion,
    create_completion,
    diff_completion,
    stoppable_sleep,
    wait_for_review,
)
from tests.unit.scripted_orders import order_body, order_in_states


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _log(lines: list[str]) -> Log:
    return Log(info=lines.append, warn=lines.append)


def test_a_long_wait_reports_progress_at_a_bounded_rate() -> None:
    clock = _Clock()
    lines: list[str] = []
    with order_in_states(["IN_REVIEW"] * 40 + ["COMPLETED"]) as (client, _gets):
        order = NumberOrder.model_validate(order_body("IN_REVIEW"))
        done = wait_for_review(
            client,
            order,
            WaitPolicy(timeout=3600, progress_every=60),
            _log(lines),
            sleep=clock.sleep,
            clock=lambda: clock.now,
        )
    assert done.state.value == "COMPLETED"
    waited = clock.now
    progress = [line for line in lines if "still IN_REVIEW after" in line]
    # One line per minute at most, and at least one per minute of a wait that lasts minutes.
    assert int(waited // 60) - 1 <= len(progress) <= int(waited // 60), (waited, progress)
    seconds = [int(m) for line in progress for m in re.findall(r"after (\d+) s", line)]
    assert len(seconds) == len(progress)
    assert all(b - a >= 60 for a, b in itertools.pairwise(seconds)), seconds
    assert all("waiting up to" in line for line in progress)
    assert lines[-1] == "order o1: COMPLETED"


def _create(states: list[str], timeout: float | None, sleep: object = None) -> tuple[int, str]:
    """Run the completion's create; (GETs made, the error it raised, or "" when it passed)."""
    clock = _Clock()
    with order_in_states(states) as (client, gets):
        connection = Connection(client, RequirementsCache())
        try:
            create_completion(
                connection,
                {"order_id": "o1", "timeout": timeout},
                _log([]),
                sleep=sleep or clock.sleep,  # type: ignore[arg-type]
                clock=lambda: clock.now,
            )
        except NumberOrderError as error:
            return gets[0], str(error)
    return gets[0], ""


def test_create_passes_once_review_completes() -> None:
    gets, error = _create(["IN_REVIEW", "IN_REVIEW", "COMPLETED"], timeout=None)
    assert error == ""
    assert gets == 3


def test_create_fails_on_the_timeout_and_says_the_order_is_kept() -> None:
    _gets, error = _create(["IN_REVIEW"], timeout=30)
    assert "still IN_REVIEW after waiting up to 30 s" in error
    assert "order is kept" in error
    assert "`pulumi up` again" in error


def test_an_order_not_yet_submitted_is_not_waited_for() -> None:
    gets, error = _create(["CREATED"], timeout=None)
    assert gets == 1
    assert "not in review" in error


def test_expired_fails_and_names_the_replacement() -> None:
    _gets, error = _create(["IN_REVIEW", "EXPIRED"], timeout=None)
    assert "EXPIRED" in error
    assert "replaces it with a new order" in error


def test_a_stopped_wait_raises_at_once_and_keeps_the_order() -> None:
    stops = iter([False, False, True])
    gets, error = _create(
        ["IN_REVIEW"], timeout=None, sleep=stoppable_sleep(lambda: next(stops), 0.001)
    )
    assert "stopped because the run was cancelled" in error
    assert "next `pulumi up` waits again" in error
    assert gets == 1, "no GET after the stop"


@pytest.mark.parametrize(
    ("news", "failed"),
    [
        ({"order_id": "o1", "timeout": 60.0}, []),
        ({"order_id": "o1", "timeout": None}, []),
        ({"order_id": "", "timeout": None}, ["order_id"]),
        ({"order_id": "../x", "timeout": None}, ["order_id"]),
        ({"order_id": "o1", "timeout": 0.5}, ["timeout"]),
        ({"order_id": "o1", "timeout": "1h"}, ["timeout"]),
    ],
)
def test_check_names_each_broken_input(news: dict[str, object], failed: list[str]) -> None:
    _inputs, failures = check_completion(news)
    assert [prop for prop, _rule in failures] == failed
    for _prop, rule in failures:
        assert "../x" not in rule, "a rule never quotes the value"


def test_another_order_replaces_and_a_new_timeout_only_updates() -> None:
    old = {"order_id": "o1", "timeout": 60.0, "state": "COMPLETED"}
    assert diff_completion(old, {"order_id": "o2", "timeout": 60.0}) == (True, ["order_id"])
    assert diff_completion(old, {"order_id": "o1", "timeout": 90.0}) == (True, [])
    assert diff_completion(old, {"order_id": "o1", "timeout": 60.0}) == (False, [])


def test_the_engine_watch_sees_its_engine_gone() -> None:
    import os
    import subprocess
    import sys

    from sinch_numbers.resources.number_order_completion.lifecycle import EngineWatch

    assert not EngineWatch.of_this_process().gone()
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead = int(ended.stdout)
    assert EngineWatch(os.getppid(), dead).gone(), "a finished engine process is gone"
    assert EngineWatch(os.getppid() + 1, os.getppid()).gone(), "another parent: reparented"


def test_the_engine_watch_sees_the_program_its_language_host_runs_end(tmp_path: Path) -> None:
    """What a cancelled run shows the plugin: the engine's language host interrupts the program
    while the engine still waits for the create. Here this test process is the engine, a script
    named like the language host runs the program, and the program is ended by hand."""
    import os
    import signal
    import subprocess
    import time

    from sinch_numbers.core.processes import children
    from sinch_numbers.resources.number_order_completion.lifecycle import EngineWatch

    host = tmp_path / "pulumi-language-python"
    host.write_text("#!/bin/sh\nsleep 60 &\nwait\n")
    host.chmod(0o755)
    other = tmp_path / "pulumi-resource-other"
    other.write_text("#!/bin/sh\nsleep 60 &\nwait\n")
    other.chmod(0o755)
    started = [subprocess.Popen([str(host)]), subprocess.Popen([str(other)])]
    try:
        deadline = time.monotonic() + 10
        while not all(children(p.pid) for p in started) and time.monotonic() < deadline:
            time.sleep(0.01)
        engine = EngineWatch(os.getppid(), os.getpid())
        watch = engine.with_program()
        [program] = watch.program
        assert program.pid in children(started[0].pid), "the language host's child only"
        assert not watch.gone(), "the program runs: the run goes on"
        assert engine.program == (), "the watch taken before stays as it was"

        [other_child] = children(started[1].pid)
        os.kill(other_child, signal.SIGKILL)
        time.sleep(0.2)
        assert not watch.gone(), "another plugin's process is not the program"
        os.kill(program.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while not watch.gone() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watch.gone(), "the program ended: the run was cancelled"
    finally:
        for process in started:
            process.kill()
            process.wait()


def test_a_process_is_ended_once_it_exited_though_not_collected() -> None:
    import subprocess
    import sys
    import time

    from sinch_numbers.core.processes import process_stat
    from sinch_numbers.resources.number_order_completion.lifecycle import Running

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        stat = process_stat(child.pid)
        assert stat is not None
        running = Running(child.pid, stat.start_time)
        deadline = time.monotonic() + 10
        while not running.ended() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert running.ended(), "a zombie is ended"
        assert process_stat(child.pid) is not None, "not collected yet"
    finally:
        child.wait()
    assert running.ended()
    assert Running(1, "0").ended(), "another start time: the pid was reused"
