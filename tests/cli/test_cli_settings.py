"""Every documented ``SINCH_*`` variable works in the CLI as in the provider (a real process).

The CLI resolves its settings with the client's one resolution: ``SINCH_AUTH_METHOD`` chooses
how it authenticates (a flag still wins), and ``SINCH_HTTP_TIMEOUT`` bounds every wait and the
whole of each attempt, so a server that trickles bytes cannot hold a command forever.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cli_helpers import assert_one_error_line, command, run

from sinch_numbers.cli.failures import ExitCode
from sinch_numbers.configuration import CONNECTION_VARIABLES
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.programs import LOOKUP, TOKEN
from tests.loopback import TrickleServer

# Far above what the bounded command needs: a guard against a hang, never a measure of speed.
HANG_GUARD = 90.0


def _account(emulator: EmulatorProcess, base: dict[str, str], **extra: str) -> dict[str, str]:
    return {**base, **emulator.env(), **extra}


@pytest.mark.parametrize(
    ("variable_value", "flags", "token_calls"),
    [("basic", (), 0), ("oauth2", (), 1), ("basic", ("--auth-method", "oauth2"), 1)],
    ids=["variable-basic", "variable-oauth2", "flag-wins"],
)
def test_sinch_auth_method_chooses_how_the_cli_authenticates(
    emulator: EmulatorProcess,
    subprocess_env: dict[str, str],
    variable_value: str,
    flags: tuple[str, ...],
    token_calls: int,
) -> None:
    env = _account(emulator, subprocess_env, SINCH_AUTH_METHOD=variable_value)
    emulator.reset_stats()
    done = run(command("requirements", "AU", "MOBILE", *flags), env)
    assert done.returncode == ExitCode.OK, done.stderr
    stats = emulator.stats()
    assert stats.get(TOKEN, 0) == token_calls
    assert stats[LOOKUP] == 1


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("SINCH_AUTH_METHOD", "digest", "must be oauth2 or basic"),
        ("SINCH_HTTP_TIMEOUT", "soon", "must be a positive number of seconds"),
        ("SINCH_HTTP_TIMEOUT", "0", "must be a positive number of seconds"),
    ],
)
def test_a_malformed_variable_is_a_configuration_error_naming_it(
    emulator: EmulatorProcess, subprocess_env: dict[str, str], variable: str, value: str, rule: str
) -> None:
    env = _account(emulator, subprocess_env, **{variable: value})
    emulator.reset_stats()
    done = run(command("requirements", "AU", "MOBILE"), env)
    assert done.returncode == ExitCode.CONFIGURATION
    line = assert_one_error_line(done.stderr, variable, rule)
    assert value not in line.removeprefix("error: ").replace(variable, "")
    assert emulator.stats() == {}


@pytest.mark.timeout(HANG_GUARD + 30)
@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_sinch_http_timeout_bounds_a_cli_call_against_a_trickling_server(
    trickle: Callable[..., TrickleServer], subprocess_env: dict[str, str], headers: bool
) -> None:
    server = trickle(headers=headers)
    env = {
        **subprocess_env,
        "SINCH_PROJECT_ID": "project-1",
        "SINCH_KEY_ID": "key-1",
        "SINCH_KEY_SECRET": "secret-1",
        "SINCH_NUMBERS_URL": server.url,
        "SINCH_AUTH_URL": server.url + "/oauth2/token",
        "SINCH_AUTH_METHOD": "basic",
        "SINCH_HTTP_TIMEOUT": "1",
    }
    done = run(command("order", "show", "01jzzzzzzzzzzzzzzzzzzzzzzz"), env, timeout=HANG_GUARD)
    assert done.returncode == ExitCode.API_ERROR
    line = assert_one_error_line(done.stderr, "deadline")
    assert "secret-1" not in done.stdout + done.stderr
    # A read is retried (the call is idempotent): each attempt has its own deadline.
    assert server.accepted == 4, line


@pytest.mark.timeout(HANG_GUARD + 30)
def test_sinch_http_timeout_bounds_a_cli_call_on_the_emulator(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    # With --emulator the account variables are ignored, never how to call.
    emulator.add_fault(
        r"numberOrders:lookupNumberRequirements$", action="latency", latency_ms=5000, times=None
    )
    env = {**subprocess_env, "SINCH_HTTP_TIMEOUT": "1"}
    try:
        done = run(
            command("requirements", "AU", "MOBILE", "--emulator", emulator.url),
            env,
            timeout=HANG_GUARD,
        )
    finally:
        emulator.clear_faults()
    assert done.returncode == ExitCode.API_ERROR
    assert_one_error_line(done.stderr, "ReadTimeout")


def test_every_connection_variable_of_the_settings_table_reaches_a_real_cli_process(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    # Each connection row of the one settings table, set by its variable alone: the account and
    # URLs lead to the emulator, basic authentication asks for no token, and the timeout is read.
    values = {
        "project_id": emulator.credentials.project_id,
        "key_id": emulator.credentials.key_id,
        "key_secret": emulator.credentials.key_secret,
        "numbers_url": emulator.url,
        "auth_url": emulator.token_url,
        "auth_method": "basic",
        "http_timeout": "30",
    }
    assert set(values) == set(CONNECTION_VARIABLES)
    env = {
        **subprocess_env,
        **{variable: values[name] for name, variable in CONNECTION_VARIABLES.items()},
    }
    emulator.reset_stats()
    done = run(command("requirements", "AU", "MOBILE"), env)
    assert done.returncode == ExitCode.OK, done.stderr
    stats = emulator.stats()
    assert stats.get(TOKEN, 0) == 0
    assert stats[LOOKUP] == 1
