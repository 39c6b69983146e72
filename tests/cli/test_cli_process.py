"""The CLI as users run it: a real ``sinch-numbers`` process, its imports and its streams."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

import httpx
import pytest
from cli_helpers import (
    REJECT_MESSAGE,
    assert_one_error_line,
    command,
    run,
    serving,
    submitted_order,
)

import sinch_numbers
from sinch_numbers.testing.emulator import EmulatorProcess


@pytest.mark.parametrize(
    "modules",
    [
        "sinch_numbers.cli",
        "sinch_numbers.cli.app, sinch_numbers.cli.render, sinch_numbers.cli.skeletons, "
        "sinch_numbers.cli.connection, sinch_numbers.cli.options, sinch_numbers.cli.failures",
    ],
)
def test_importing_the_cli_does_not_import_pulumi(modules: str) -> None:
    code = (
        f"import sys, {modules}\n"
        "heavy = sorted(m for m in ('pulumi', 'fastapi', 'uvicorn', 'grpc') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_read_commands_do_not_import_pulumi(emulator: EmulatorProcess) -> None:
    # In-process after a full command run: the lazy imports must stay light too.
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from sinch_numbers.cli import app\n"
        f"url = {emulator.url!r}\n"
        "runner = CliRunner()\n"
        "for args in (['requirements', 'AU', 'MOBILE'], ['requirements', 'AU', 'MOBILE',\n"
        "             '--skeleton', 'python'], ['search', 'AU', 'MOBILE', '--size', '1'],\n"
        "             ['order', 'show', '01jzzzzzzzzzzzzzzzzzzzzzzz'], ['numbers', 'list'],\n"
        "             ['number', 'release', '+61412000100', '--confirm', '+61412000100']):\n"
        "    runner.invoke(app, [*args, '--emulator', url])\n"
        "print('pulumi' in sys.modules, 'fastapi' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False False"


def test_requirements_json_in_a_process(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    result = run(
        command("requirements", "AU", "MOBILE", "--json", "--emulator", emulator.url),
        subprocess_env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(json.loads(result.stdout)["fields"]["rules"]) == 3


def test_search_with_environment_credentials_via_python_m(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    env = {**subprocess_env, **emulator.env()}
    args = [
        sys.executable,
        "-m",
        "sinch_numbers.cli",
        "search",
        "AU",
        "MOBILE",
        "--size",
        "2",
        "--json",
    ]
    result = run(args, env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2


def test_watch_until_rejected_in_a_process(
    emulator: EmulatorProcess, api: httpx.Client, subprocess_env: dict[str, str]
) -> None:
    order_id = submitted_order(api, emulator)
    process = subprocess.Popen(
        command("order", "watch", order_id, "--interval", "0.2", "--emulator", emulator.url),
        env=subprocess_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the watch has seen the order
        assert "IN_REVIEW" in first
        emulator.review(order_id, "reject", REJECT_MESSAGE)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 5
    assert "REJECTED" in stdout
    assert REJECT_MESSAGE not in stdout, "review text only with --show-review-text"
    assert "1 review message" in stdout
    assert_one_error_line(stderr, f"order {order_id} ended REJECTED", "--show-review-text")


def test_watch_completed_in_a_process(
    emulator: EmulatorProcess, api: httpx.Client, subprocess_env: dict[str, str]
) -> None:
    emulator.settings(review_policy="auto", review_delay_seconds=0.5)
    order_id = submitted_order(api, emulator)
    args = command(
        "order", "watch", order_id, "--interval", "0.2", "--json", "--emulator", emulator.url
    )
    result = run(args, subprocess_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["watch"]["outcome"] == "completed"


@pytest.mark.parametrize(
    ("args", "code", "named"),
    [
        (["requirements", "AUS", "FOO"], 2, ["'REGION'", "'AUS'"]),
        (["requirements", "AU", "FOO"], 2, ["'TYPE'", "'FOO'"]),
        (["search", "AU", "MOBILE"], 3, ["SINCH_PROJECT_ID", "SINCH_KEY_SECRET"]),
        (["order", "show", "01jzzzzzzzzzzzzzzzzzzzzzzz"], 3, ["missing Sinch settings"]),
    ],
)
def test_errors_in_a_process_are_one_plain_line(
    subprocess_env: dict[str, str], args: list[str], code: int, named: list[str]
) -> None:
    result = run(command(*args), subprocess_env)
    assert result.returncode == code
    assert result.stdout == ""
    line = assert_one_error_line(result.stderr, *named)
    assert "╭" not in line  # not Typer's boxed panel


def test_unknown_order_in_a_process(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    args = command("order", "show", "01jzzzzzzzzzzzzzzzzzzzzzzz", "--emulator", emulator.url)
    result = run(args, subprocess_env)
    assert result.returncode == 4
    assert_one_error_line(result.stderr, "not found")


def test_help_lists_every_command_and_the_emulator_still_works(
    subprocess_env: dict[str, str],
) -> None:
    top = run(command("--help"), subprocess_env)
    assert top.returncode == 0
    for name in ("requirements", "search", "order", "emulator"):
        assert name in top.stdout
    emulator_help = run(command("emulator", "--help"), subprocess_env)
    assert emulator_help.returncode == 0
    for flag in ("--review-policy", "--state-file", "--port"):
        assert flag in emulator_help.stdout


def test_emulator_command_starts_and_serves(subprocess_env: dict[str, str]) -> None:
    emulator = command("emulator", "--port", "0", "--review-policy", "manual")
    with serving(emulator, subprocess_env) as url:
        result = run(
            command("requirements", "US", "LOCAL", "--json", "--emulator", url), subprocess_env
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "null"


def test_bad_emulator_option_is_still_a_usage_error(subprocess_env: dict[str, str]) -> None:
    result = run(command("emulator", "--review-policy", "sometimes"), subprocess_env)
    assert result.returncode == 2
    assert_one_error_line(result.stderr, "--review-policy", "auto or manual")


def test_version_is_the_package_version(subprocess_env: dict[str, str]) -> None:
    result = run(command("--version"), subprocess_env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == f"sinch-numbers {sinch_numbers.__version__}\n"
    # The installed metadata is built from the same attribute (pyproject's dynamic version).
    assert importlib.metadata.version("sinch-numbers") == sinch_numbers.__version__
