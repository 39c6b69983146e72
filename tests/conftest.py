"""Shared fixtures: one real emulator process on loopback for the session, reset per test.

Folders whose tests need other emulator options (tests/provider, tests/reliability,
tests/examples) define their own ``emulator`` fixture, which overrides this one there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.loopback import TrickleServer

# Hypothesis' per-example deadline and its too-slow health check are timed assertions, and
# timings on a loaded CI machine are noise: examples are judged by what they do, never by how
# long they take.
settings.register_profile(
    "sinch-numbers", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("sinch-numbers")


@pytest.fixture(autouse=True)
def _own_create_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own record of interrupted creates (plugins inherit the variable), so
    a test that kills a run cannot make another test's create refuse to order."""
    monkeypatch.setenv("SINCH_NUMBERS_STATE_DIR", str(tmp_path / "sinch-numbers-state"))


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorProcess]:
    # Manual review keeps every test in control of when an order leaves IN_REVIEW.
    process = EmulatorProcess(review_policy="manual")
    process.start()
    yield process
    assert process.stop() == 0


@pytest.fixture
def emulator(emulator_server: EmulatorProcess) -> EmulatorProcess:
    emulator_server.reset()
    return emulator_server


@pytest.fixture
def api(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """API calls under /v1/projects/{projectId}, with Basic auth (it survives clock moves)."""
    creds = emulator.credentials
    with httpx.Client(
        base_url=f"{emulator.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=15.0,
    ) as client:
        yield client


@pytest.fixture
def trickle() -> Iterator[Callable[..., TrickleServer]]:
    made: list[TrickleServer] = []

    def start(**options: Any) -> TrickleServer:
        server = TrickleServer(**options)
        made.append(server)
        return server

    yield start
    for server in made:
        server.close()
