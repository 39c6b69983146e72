"""The reliability suite: one emulator on loopback for the session, reset before every test.

tests/conftest.py prints the fault matrix and the fuzzing figures a run observed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.testing import ProgramRunner
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from tests.reliability.support import (
    FAST_ENV,
    ROOT,
    Kyc,
    Stack,
    make_kyc,
    order_inputs,
    program_for,
)


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual") as process:
        yield process


@pytest.fixture
def emu(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    emulator.clear_faults()
    emulator.settings(review_policy="manual")
    return emulator


@pytest.fixture
def au_kyc(emu: EmulatorProcess, tmp_path: Path) -> Kyc:
    return make_kyc(emu, "AU", "MOBILE", tmp_path / "documents")


@pytest.fixture
def make_stack(emu: EmulatorProcess, au_kyc: Kyc) -> Iterator[Callable[..., Stack]]:
    """An AU MOBILE order (registration + two mandatory documents) in its own plugin process."""
    runners: list[ProgramRunner] = []

    def make(env: dict[str, str] | None = None, **changes: Any) -> Stack:
        inputs = order_inputs(
            au_kyc, "AU", "MOBILE", sms_configuration={"service_plan_id": "plan-one"}, **changes
        )
        runner = ProgramRunner(
            program_for({"order": inputs}),
            project_dir=ROOT,
            config=emu.stack_config(),
            env=FAST_ENV if env is None else env,
        )
        runners.append(runner)
        return Stack(runner, inputs)

    yield make
    for runner in runners:
        runner.close()
