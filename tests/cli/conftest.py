"""The CLI tests use the session emulator of tests/conftest.py (manual review, reset per test).

``cli`` runs the Typer app in-process with ``CliRunner``; ``SINCH_*`` variables from the
developer's shell are removed so that no test talks to a real account by accident.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import pytest
from cli_helpers import SINCH_VARIABLES, Cli, Run, clean_environment
from typer.testing import CliRunner

from sinch_numbers.cli import app
from sinch_numbers.testing.emulator import EmulatorProcess


@pytest.fixture
def cli() -> Cli:
    runner = CliRunner()

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        result = runner.invoke(app, list(args), env=clean_environment(env))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def on_emulator(emulator: EmulatorProcess, cli: Cli) -> Cli:
    """``cli`` with ``--emulator URL`` appended: the emulator's default credentials."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> Run:
        return cli(*args, "--emulator", emulator.url, env=env)

    return run


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """The environment for a real ``sinch-numbers`` process: no SINCH_*, no colours."""
    env = {k: v for k, v in os.environ.items() if k not in SINCH_VARIABLES}
    env.update({"NO_COLOR": "1", "COLUMNS": "160", "TTY_COMPATIBLE": "0"})
    return env
