"""The emulator suite; the session emulator, `emulator` and `api` are in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sinch_numbers.testing.emulator import EmulatorProcess


@pytest.fixture
def raw(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """An unauthenticated client on the server root."""
    with httpx.Client(base_url=emulator.url, timeout=15.0) as client:
        yield client
