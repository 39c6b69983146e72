"""Helpers for the reliability suite: stacks built from the emulator's own KYC samples.

Every document gets distinct content, so "held once" can be asserted by hash, and a tag that leak
tests can turn into a canary.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from sinch_numbers import AttachmentArgs, NumberOrder
from sinch_numbers.testing import ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]

# Short enough that a latency fault of LATENCY_MS costs about a second, long enough that a
# loopback call on a busy 2-core runner never times out by accident.
HTTP_TIMEOUT_SECONDS = 1.0
LATENCY_MS = 1500
FAST_ENV = {"SINCH_HTTP_TIMEOUT": str(HTTP_TIMEOUT_SECONDS)}

TOKEN = "POST /oauth2/token"
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
PUT_REGISTRATION = "PUT /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
GET_REGISTRATION = "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
UPLOAD = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
SUBMIT = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/submit"
GET_ORDER = "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}"
RELEASE = "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release"

# (call, fault) -> observed outcome; filled by the fault matrix, printed at the end of the run.
MATRIX_RESULTS: dict[tuple[str, str], str] = {}
# Figures of the schemathesis run, printed at the end of the run.
FUZZ_FIGURES: dict[str, float] = {}


@dataclass(frozen=True)
class Document:
    requirement_id: str
    path: Path
    document_type: str | None
    sha256: str


@dataclass
class Kyc:
    """Registration data and mandatory documents for one region and number type."""

    registration: Any
    documents: list[Document] = field(default_factory=list)

    def attachments(self) -> list[AttachmentArgs]:
        return [
            AttachmentArgs(
                requirement_id=d.requirement_id, file=str(d.path), document_type=d.document_type
            )
            for d in self.documents
        ]

    def expected(self) -> dict[str, str]:
        """What the emulator should hold: requirement id -> file name (unique per document)."""
        return {d.requirement_id: d.path.name for d in self.documents}


def make_kyc(
    emu: EmulatorProcess, region: str, number_type: str, directory: Path, tag: str = "doc"
) -> Kyc:
    """The emulator's valid sample with its mandatory documents written under ``directory``.

    ``tag`` goes into each file's name and content (after the type's magic bytes, where neither
    the provider nor the emulator looks), so every document is distinct and traceable.
    """
    sample = emu.sample(region, number_type)
    directory.mkdir(parents=True, exist_ok=True)
    documents = []
    for item in sample.attachments:
        if not item.mandatory:
            continue
        suffix = Path(item.file_name).suffix
        path = directory / f"{tag}-{item.requirement_id}{suffix}"
        content = item.content + f"\n% {tag} {item.requirement_id}\n".encode()
        path.write_bytes(content)
        documents.append(
            Document(
                item.requirement_id,
                path,
                item.document_type,
                hashlib.sha256(content).hexdigest(),
            )
        )
    return Kyc(sample.registration, documents)


def order_inputs(kyc: Kyc | None, region: str, number_type: str, **changes: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {"region_code": region, "number_type": number_type, "quantity": 1}
    if kyc is not None:
        if kyc.registration is not None:
            inputs["registration"] = kyc.registration
        if kyc.documents:
            inputs["attachments"] = kyc.attachments()
    inputs.update(changes)
    return {k: v for k, v in inputs.items() if v is not None}


def program_for(resources: Mapping[str, dict[str, Any]]) -> Callable[[], None]:
    """A program declaring one NumberOrder per entry; reads the dict at each run, so a test may
    change inputs between runs."""

    def program() -> None:
        for name, inputs in resources.items():
            order = NumberOrder(name, **inputs)
            pulumi.export(f"{name}_order_id", order.order_id)
            pulumi.export(f"{name}_state", order.state)

    return program


class Stack:
    """One NumberOrder called ``order`` in a ProgramRunner; ``inputs`` may change between runs."""

    def __init__(self, runner: ProgramRunner, inputs: dict[str, Any]) -> None:
        self.runner = runner
        self.inputs = inputs

    def outputs(self) -> dict[str, Any]:
        return dict(self.runner.resource("order").outputs)

    def has_order(self) -> bool:
        return bool(self.runner.state)


def held_documents(emu: EmulatorProcess, order_id: str) -> dict[str, str]:
    """requirement id -> file name of what the emulator holds for that order (the admin view
    lists one entry per requirement: an upload to the same id replaces the previous one)."""
    registration = emu.order(order_id)["registration"]
    return {a["attachmentId"]: a["fileName"] for a in registration.get("attachments", [])}


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.05)


def plain(value: Any) -> Any:
    """Secrets unwrapped, recursively (what the engine sends a provider that takes no secrets)."""
    if isinstance(value, Secret):
        return plain(value.value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
