"""NumberOrder in the real dynamic-provider plugin, against the emulator over loopback."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pulumi
import pytest

from sinch_numbers import AttachmentArgs, NumberOrder
from sinch_numbers.testing import ProgramRunner
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "examples" / "quickstart" / "documents"
AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"


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


def au_registration(**changes: Any) -> list[Any]:
    contact = {"firstName": "Alex", "lastName": "Citizen", "phoneNumber": "+61400000000"}
    contact.update(changes)
    return [
        [
            {
                "senderId": "+61412000100",
                "purposeOfTheTraffic": "Appointment reminders",
                "intendedUseOfMobileNumbers": "Transactional",
                "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": True,
            }
        ],
        {
            "endBusinessName": "Example Clinic Pty Ltd",
            "endBusinessAddress": "1 Collins St",
            "city": "Melbourne",
            "state": "VIC",
            "country": "AU",
            "postalCode": "3000",
        },
        contact,
    ]


def au_attachments(proof: Path | None = None) -> list[AttachmentArgs]:
    return [
        AttachmentArgs(
            requirement_id=AU_PROOF, file=str(proof or DOCUMENTS / "proof-of-address.pdf")
        ),
        AttachmentArgs(
            requirement_id=AU_IDENTITY,
            file=pulumi.FileAsset(str(DOCUMENTS / "identity-document.png")),
            document_type="Passport",
        ),
    ]


def au_order(**changes: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "region_code": "AU",
        "number_type": "MOBILE",
        "quantity": 1,
        "sms_configuration": {"service_plan_id": "plan-one"},
        "registration": au_registration(),
        "attachments": au_attachments(),
    }
    inputs.update(changes)
    return {k: v for k, v in inputs.items() if v is not None}


class Stack:
    """A program with one NumberOrder whose inputs a test changes between runs."""

    def __init__(self, runner: ProgramRunner, inputs: dict[str, Any]) -> None:
        self.runner = runner
        self.inputs = inputs

    def state(self) -> Any:
        return self.runner.resource("order")

    def outputs(self) -> dict[str, Any]:
        return dict(self.state().outputs)


def one_order_program(inputs: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        order = NumberOrder("order", **inputs)
        pulumi.export("order_id", order.order_id)
        pulumi.export("state", order.state)
        pulumi.export("phone_numbers", order.phone_numbers)
        pulumi.export("registration", order.registration)

    return program


@pytest.fixture
def make_stack(emu: EmulatorProcess) -> Iterator[Callable[..., Stack]]:
    runners: list[ProgramRunner] = []

    def make(env: dict[str, str] | None = None, **inputs: Any) -> Stack:
        state = au_order(**inputs)
        runner = ProgramRunner(
            one_order_program(state),
            project_dir=ROOT,
            config=emu.stack_config(),
            env=env or {},
        )
        runner.__enter__()
        runners.append(runner)
        return Stack(runner, state)

    yield make
    for runner in runners:
        runner.close()


def active_number(emu: EmulatorProcess, phone_number: str) -> dict[str, Any]:
    """The active number as the API shows it (plain HTTP, not the project's client)."""
    creds = emu.credentials
    response = httpx.get(
        f"{emu.url}/v1/projects/{creds.project_id}/activeNumbers/{phone_number}",
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def pdf_bytes(text: str) -> bytes:
    """A different, still valid, tiny PDF per text (content changes are what tests need)."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
