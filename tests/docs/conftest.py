"""Emulators for the documentation's blocks (tests/conftest.py prints the count of what ran)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

# The real-engine tier's fixtures: the Pulumi CLI, and one emulator with manual review (a block
# sees its order as `up` left it, never approved behind its back), reset for every test.
from tests.engine.conftest import cli, emu, emulator  # noqa: F401


@pytest.fixture(scope="session")
def console_emulator() -> Iterator[EmulatorProcess]:
    # The transcripts in the docs were taken against project "my-project".
    with start_emulator(review_policy="manual", project_id="my-project") as process:
        yield process
