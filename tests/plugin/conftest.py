"""The package's provider plugin, ``pulumi-resource-sinch``, as its own process, driven over
gRPC the way the engine drives it, against the emulator over loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.package_plugin import PackagePlugin
from sinch_numbers.testing.values import Secret
from tests.engine.programs import au_registration

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "examples" / "quickstart" / "documents"
AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"
CANARY = "Canary-Kx7Q-not-for-logs"
"""Personal data planted in a registration: never in plain outputs or anything printed."""


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual") as process:
        yield process


@pytest.fixture
def emu(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    emulator.clear_faults()
    emulator.settings(review_policy="manual", latency_ms=0)
    return emulator


@pytest.fixture
def plugin(emu: EmulatorProcess, tmp_path: Path) -> Iterator[PackagePlugin]:
    with PackagePlugin(tmp_path, config=emu.stack_config(), project="proj", stack="dev") as p:
        yield p


@pytest.fixture
def make_plugin(tmp_path: Path) -> Iterator[Callable[..., PackagePlugin]]:
    started: list[PackagePlugin] = []

    def make(config: dict[str, Any], **options: Any) -> PackagePlugin:
        p = PackagePlugin(tmp_path, config=config, project="proj", stack="dev", **options)
        p.start()
        started.append(p)
        return p

    yield make
    for p in started:
        p.close()


def us_order(**changes: Any) -> dict[str, Any]:
    """A NumberOrder's inputs as a package user writes them: no KYC needed for the pair."""
    inputs: dict[str, Any] = {
        "regionCode": "US",
        "numberType": "LOCAL",
        "quantity": 1,
        "smsConfiguration": {"servicePlanId": "plan-one"},
    }
    inputs.update(changes)
    return {k: v for k, v in inputs.items() if v is not None}


def au_order(**changes: Any) -> dict[str, Any]:
    """An AU MOBILE order with its KYC, the registration and documents as secrets (as the
    engine sends a secret-marked schema input), a canary in the registration."""
    registration = au_registration(firstName=CANARY)
    attachments = [
        {"requirementId": AU_PROOF, "file": str(DOCUMENTS / "proof-of-address.pdf")},
        {
            "requirementId": AU_IDENTITY,
            "file": str(DOCUMENTS / "identity-document.png"),
            "documentType": "Passport",
        },
    ]
    inputs: dict[str, Any] = {
        "regionCode": "AU",
        "numberType": "MOBILE",
        "quantity": 1,
        "smsConfiguration": {"servicePlanId": "plan-one"},
        "registration": Secret(registration),
        "attachments": Secret(attachments),
    }
    inputs.update(changes)
    return {k: v for k, v in inputs.items() if v is not None}


def plain_text(values: Any) -> str:
    """Everything in ``values`` that is not a secret, as text to search for a canary."""
    if isinstance(values, Secret):
        return ""
    if isinstance(values, dict):
        return " ".join(f"{k} {plain_text(v)}" for k, v in values.items())
    if isinstance(values, list):
        return " ".join(plain_text(v) for v in values)
    return str(values)
