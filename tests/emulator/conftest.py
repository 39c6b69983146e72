"""The emulator suite; the session emulator, `emulator` and `api` are in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.testing.emulator import EmulatorProcess


@pytest.fixture
def raw(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """An unauthenticated client on the server root."""
    with httpx.Client(base_url=emulator.url, timeout=15.0) as client:
        yield client


@pytest.fixture
def client(emulator: EmulatorProcess) -> Iterator[SinchNumbersClient]:
    """The project's own API client, pointed at the emulator."""
    creds = emulator.credentials
    with SinchNumbersClient(
        project_id=creds.project_id,
        key_id=creds.key_id,
        key_secret=creds.key_secret,
        numbers_url=emulator.url,
        auth_url=emulator.token_url,
    ) as instance:
        yield instance
