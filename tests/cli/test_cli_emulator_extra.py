"""Without the ``emulator`` extra, both emulator entry points say in one line what to install.

A ``sitecustomize`` on PYTHONPATH puts a finder in front of ``sys.meta_path`` that refuses the
extra's modules, as if they were not installed, in the real console script's own process.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import assert_one_error_line, command, run

from sinch_numbers.testing.emulator import EmulatorProcess

BLOCKER = """
import os
import sys

_BLOCKED = set(os.environ.get("BLOCKED_MODULES", "").split(","))


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
"""

INSTALL = "pip install 'sinch-numbers[emulator]'"
Blocked = Callable[..., dict[str, str]]


@pytest.fixture
def without(tmp_path: Path, subprocess_env: dict[str, str]) -> Blocked:
    """The environment of a process in which the given modules cannot be imported."""
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)

    def env(*modules: str) -> dict[str, str]:
        return {**subprocess_env, "PYTHONPATH": str(tmp_path), "BLOCKED_MODULES": ",".join(modules)}

    return env


ENTRY_POINTS = {
    "console script": command("emulator", "--port", "0"),
    "python -m": [sys.executable, "-m", "sinch_numbers.emulator", "--port", "0"],
}


def test_the_blocker_hides_the_modules(without: Blocked) -> None:
    env = without("fastapi")
    result = run([sys.executable, "-c", "import fastapi"], env)
    assert result.returncode == 1
    assert "ModuleNotFoundError: No module named 'fastapi'" in result.stderr


@pytest.mark.parametrize("entry", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
def test_missing_web_stack(without: Blocked, entry: list[str]) -> None:
    result = run(entry, without("fastapi", "uvicorn"), timeout=30)
    assert result.returncode == 3
    assert result.stdout == ""
    line = assert_one_error_line(result.stderr, "'emulator' extra", "fastapi, uvicorn", INSTALL)
    assert "ModuleNotFoundError" not in line
    assert "python-multipart" not in line


@pytest.mark.parametrize("entry", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
def test_missing_multipart_alone(without: Blocked, entry: list[str]) -> None:
    env = without("python_multipart", "multipart")
    result = run(entry, env, timeout=30)
    assert result.returncode == 3
    line = assert_one_error_line(result.stderr, "(missing python-multipart)", INSTALL)
    assert "fastapi" not in line


def test_the_read_commands_work_without_the_extra(
    without: Blocked, emulator: EmulatorProcess
) -> None:
    env = without("fastapi", "uvicorn", "python_multipart", "multipart")
    result = run(command("requirements", "US", "LOCAL", "--json", "--emulator", emulator.url), env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is None
