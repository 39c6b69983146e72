"""The simulator must agree with the real engine: each scenario runs through both, and what each
operation did is compared record for record.

Per operation: whether it succeeded, the operation per resource, the stack outputs and which of
them are secret, the resource's output keys and which are secret, the check failures, and every
API call the emulator saw. Values that differ between any two runs (order ids, times) are
normalised; everything else must be equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from sinch_numbers.testing import ProgramResult, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.conftest import ROOT, MakeRunner
from tests.engine.programs import OneOrder, au_registration

_ORDER_ID = re.compile(r"\b[0-9a-z]{26}\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")


def _normal(value: Any) -> Any:
    if isinstance(value, Secret):
        return ("secret", _normal(value.value))
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, str):
        return _TIME.sub("<time>", _ORDER_ID.sub("<order id>", value))
    return value


class Recorder:
    """What each operation of a scenario did, in a form two runs can be compared in."""

    def __init__(self, stack: Any, emu: EmulatorProcess) -> None:
        self.stack = stack
        self.emu = emu
        self.records: list[dict[str, Any]] = []

    def run(self, label: str, operation: Callable[[], ProgramResult]) -> ProgramResult:
        self.emu.reset_stats()
        result = operation()
        resources = {
            state.name: {
                "output keys": sorted(k for k in state.outputs if k != "__provider"),
                "secret keys": sorted(state.secret_keys - {"__provider"}),
                "state": state.outputs.get("state"),
            }
            for state in self.stack.state.values()
        }
        self.records.append(
            {
                "operation": label,
                "ok": result.ok,
                "ops": {name: op.value for name, op in result.ops().items()},
                # A failed up's stack outputs are a race in the real engine: the program's
                # exports reach the state or not depending on when its error lands (seen under
                # load), so only a successful operation's outputs are compared.
                "stack outputs": (
                    _normal(result.outputs) if result.kind != "preview" and result.ok else None
                ),
                "resources": resources,
                "check failures": sorted(
                    pair for pairs in result.check_failures.values() for pair in pairs
                ),
                "api calls": self.emu.stats(),
            }
        )
        return result


def _lifecycle(stack: Any, emu: EmulatorProcess, program: OneOrder) -> Recorder:
    record = Recorder(stack, emu)
    record.run("preview", stack.preview)
    up = record.run("up", stack.up)
    record.run("up again", stack.up)
    emu.review(up.outputs["order_id"], "approve")
    record.run("refresh", stack.refresh)
    program.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    record.run("up after a routing change", stack.up)
    record.run("destroy", stack.destroy)
    return record


def _bad_kyc_then_fault_then_resume(
    stack: Any, emu: EmulatorProcess, program: OneOrder
) -> Recorder:
    record = Recorder(stack, emu)
    program.inputs["registration"] = au_registration(phoneNumber="0400 000 000")
    record.run("preview with bad KYC", stack.preview)
    program.inputs["registration"] = au_registration()
    emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)
    record.run("up failing at submit", stack.up)
    emu.clear_faults()
    record.run("up resuming", stack.up)
    emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)
    return record


def _rejection(stack: Any, emu: EmulatorProcess, program: OneOrder) -> Recorder:
    record = Recorder(stack, emu)
    up = record.run("up", stack.up)
    emu.review(up.outputs["order_id"], "reject", "documents do not match")
    record.run("up with refresh", lambda: stack.up(refresh=True))
    record.run("destroy", stack.destroy)
    return record


def _protected(stack: Any, emu: EmulatorProcess, program: OneOrder) -> Recorder:
    record = Recorder(stack, emu)
    program.options = {"protect": True}
    record.run("up", stack.up)
    record.run("destroy refused", stack.destroy)
    program.options = {}
    record.run("up unprotecting", stack.up)
    record.run("destroy", stack.destroy)
    return record


SCENARIOS = {
    "lifecycle": _lifecycle,
    "bad KYC, a fault, the resume": _bad_kyc_then_fault_then_resume,
    "rejection": _rejection,
    "protect": _protected,
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_simulator_agrees_with_the_engine(
    cli_runner: MakeRunner, sim_runner: MakeRunner, emu: EmulatorProcess, scenario: str
) -> None:
    runs: dict[str, list[dict[str, Any]]] = {}
    for kind, make in (("cli", cli_runner), ("simulator", sim_runner)):
        emu.reset()
        emu.clear_faults()
        program = OneOrder()
        stack = make(program, project="sinch-numbers-test")
        runs[kind] = SCENARIOS[scenario](stack, emu, program).records
    for engine, simulator in zip(runs["cli"], runs["simulator"], strict=True):
        assert simulator == engine, engine["operation"]


def test_every_example_program_agrees(
    cli_runner: MakeRunner, sim_runner: MakeRunner, emu: EmulatorProcess
) -> None:
    runs: dict[str, list[dict[str, Any]]] = {}
    for kind, make in (("cli", cli_runner), ("simulator", sim_runner)):
        emu.reset()
        stack = make(ROOT / "examples" / "quickstart", project="sinch-numbers-test")
        record = Recorder(stack, emu)
        record.run("preview", stack.preview)
        record.run("up", stack.up)
        record.run("destroy", stack.destroy)
        runs[kind] = record.records
    assert runs["simulator"] == runs["cli"]
