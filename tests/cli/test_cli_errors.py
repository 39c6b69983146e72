"""Exit codes and one-line errors: bad input (2), settings (3), not found (4), API errors (1)."""

from __future__ import annotations

import pytest
from cli_helpers import Cli, assert_one_error_line

from sinch_numbers.testing.emulator import EmulatorProcess

ORDER_ID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

# (arguments, what the one error line must name). None of these may reach the network: the
# test gives no credentials, so a case that did would exit 3 instead of 2.
BAD_INPUTS: list[tuple[list[str], list[str]]] = [
    (["requirements", "AUS", "MOBILE"], ["'REGION'", "'AUS'", "two-letter"]),
    (["requirements", "AU", "FOO"], ["'TYPE'", "'FOO'", "MOBILE, LOCAL, TOLL_FREE"]),
    (["requirements", "A1", "MOBILE"], ["'REGION'"]),
    (["requirements"], ["Missing argument", "REGION"]),
    (["requirements", "AU"], ["Missing argument", "TYPE"]),
    (["requirements", "AU", "MOBILE", "--skeleton", "xml"], ["--skeleton", "python, yaml, json"]),
    (["requirements", "AU", "MOBILE", "--json", "--skeleton", "json"], ["--json", "--skeleton"]),
    (["requirements", "AU", "MOBILE", "extra"], ["unexpected extra argument", "extra"]),
    (["requirements", "AU", "MOBILE", "--no-such-flag"], ["No such option", "--no-such-flag"]),
    (["search", "AU", "MOBILE", "--size", "0"], ["--size"]),
    (["search", "AU", "MOBILE", "--size", "many"], ["--size"]),
    (["search", "AU", "MOBILE", "--capability", "MMS"], ["--capability", "SMS, VOICE"]),
    (["search", "AU", "MOBILE", "--search-pattern", "START"], ["--search-pattern", "--pattern"]),
    (
        ["search", "AU", "MOBILE", "--pattern", "1", "--search-pattern", "MIDDLE"],
        ["--search-pattern", "START, CONTAINS, END"],
    ),
    (["search", "AU", "MOBILE", "--pattern", "12a"], ["--pattern", "digit"]),
    (["search", "USA", "LOCAL"], ["'REGION'"]),
    (["search", "AU", "MOBILE", "--auth-method", "digest"], ["--auth-method", "oauth2, basic"]),
    (["search", "AU", "MOBILE", "--emulator", "localhost"], ["--emulator", "base URL"]),
    (
        ["search", "AU", "MOBILE", "--emulator", "http://127.0.0.1:1", "--numbers-url", "http://x"],
        ["--emulator", "--numbers-url"],
    ),
    (["order", "show", "../../etc"], ["'ORDER_ID'"]),
    (["order", "show"], ["Missing argument", "ORDER_ID"]),
    (["order", "show", "has space"], ["'ORDER_ID'"]),
    (["order", "watch", ORDER_ID, "--interval", "0"], ["--interval"]),
    (["order", "watch", ORDER_ID, "--interval", "fast"], ["--interval"]),
    (["order", "watch", ORDER_ID, "--timeout", "-1"], ["--timeout"]),
    (["order", "frobnicate", ORDER_ID], ["No such command", "frobnicate"]),
    (["frobnicate"], ["No such command", "frobnicate"]),
]


@pytest.mark.parametrize(
    ("args", "named"), BAD_INPUTS, ids=[" ".join(args) or "-" for args, _ in BAD_INPUTS]
)
def test_bad_input_is_a_usage_error(cli: Cli, args: list[str], named: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert_one_error_line(result.stderr, *named)


def test_usage_errors_point_at_help(cli: Cli) -> None:
    result = cli("requirements", "AUS", "MOBILE")
    assert "(see 'sinch-numbers requirements --help')" in result.stderr


def test_no_arguments_prints_help(cli: Cli) -> None:
    result = cli()
    assert result.exit_code == 2
    for command in ("requirements", "search", "order", "emulator"):
        assert command in result.stdout


# --- settings ------------------------------------------------------------------------------------

COMMANDS = [
    ["requirements", "AU", "MOBILE"],
    ["requirements", "AU", "MOBILE", "--skeleton", "json"],
    ["search", "AU", "MOBILE"],
    ["order", "show", ORDER_ID],
    ["order", "watch", ORDER_ID],
    ["numbers", "list"],
    ["number", "release", "+61412000100", "--confirm", "+61412000100"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_missing_credentials(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert_one_error_line(
        result.stderr,
        "missing Sinch settings: --project-id (or SINCH_PROJECT_ID), --key-id (or SINCH_KEY_ID), "
        "--key-secret (or SINCH_KEY_SECRET); or use --emulator URL",
    )


def test_missing_secret_only_names_the_secret(cli: Cli, emulator: EmulatorProcess) -> None:
    env = emulator.env()
    del env["SINCH_KEY_SECRET"]
    result = cli("search", "AU", "MOBILE", env=env)
    assert result.exit_code == 3
    line = assert_one_error_line(
        result.stderr, "missing Sinch settings: --key-secret (or SINCH_KEY_SECRET);"
    )
    assert "SINCH_PROJECT_ID" not in line
    assert "key_secret" not in line  # the client's argument name, which no CLI user typed


def test_flags_fill_what_the_environment_lacks(cli: Cli, emulator: EmulatorProcess) -> None:
    env = emulator.env()
    del env["SINCH_KEY_SECRET"]
    secret = emulator.credentials.key_secret
    result = cli("search", "AU", "MOBILE", "--size", "1", "--key-secret", secret, env=env)
    assert result.exit_code == 0, result.output


def test_malformed_url_in_the_environment(cli: Cli, emulator: EmulatorProcess) -> None:
    env = {**emulator.env(), "SINCH_NUMBERS_URL": "ftp://numbers.example"}
    result = cli("search", "AU", "MOBILE", env=env)
    assert result.exit_code == 3
    line = assert_one_error_line(result.stderr, "malformed URL in SINCH_NUMBERS_URL", "http")
    assert "numbers.example" not in line
    assert "--emulator" not in line  # nothing is missing


def test_malformed_url_in_a_flag_names_the_flag(cli: Cli, emulator: EmulatorProcess) -> None:
    env = {**emulator.env(), "SINCH_NUMBERS_URL": "ftp://numbers.example"}
    result = cli("search", "AU", "MOBILE", "--auth-url", "not a url", env=env)
    assert result.exit_code == 3
    line = assert_one_error_line(result.stderr, "malformed URL in SINCH_NUMBERS_URL, --auth-url")
    assert "not a url" not in line


# --- the API says no -----------------------------------------------------------------------------


@pytest.mark.parametrize("auth_method", ["oauth2", "basic"])
def test_wrong_credentials(cli: Cli, emulator: EmulatorProcess, auth_method: str) -> None:
    env = {**emulator.env(), "SINCH_KEY_SECRET": "not-the-emulator-secret"}
    result = cli("requirements", "AU", "MOBILE", "--auth-method", auth_method, env=env)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    line = assert_one_error_line(
        result.stderr, "HTTP 401", "check --key-id (or SINCH_KEY_ID) and --key-secret (or "
    )
    assert "not-the-emulator-secret" not in line


def test_wrong_project(cli: Cli, emulator: EmulatorProcess) -> None:
    result = cli("search", "AU", "MOBILE", "--project-id", "someone-else", env=emulator.env())
    assert result.exit_code == 1
    assert_one_error_line(result.stderr, "HTTP 403", "--project-id")


def test_unreachable_api(cli: Cli) -> None:
    result = cli(
        "order",
        "show",
        ORDER_ID,
        "--numbers-url",
        "http://127.0.0.1:9",
        "--project-id",
        "p",
        "--key-id",
        "k",
        "--key-secret",
        "s",
        "--auth-method",
        "basic",
    )
    assert result.exit_code == 1
    assert_one_error_line(result.stderr, "cannot reach the Sinch API at http://127.0.0.1:9")


def test_server_error_is_an_api_error(cli: Cli, emulator: EmulatorProcess) -> None:
    emulator.add_fault("availableNumbers", status=500, times=None)
    result = cli("search", "AU", "MOBILE", env=emulator.env())
    assert result.exit_code == 1
    assert_one_error_line(result.stderr, "HTTP 500")


def test_environment_credentials_work_without_flags(cli: Cli, emulator: EmulatorProcess) -> None:
    result = cli("requirements", "AU", "LOCAL", "--json", env=emulator.env())
    assert result.exit_code == 0, result.output


def test_emulator_flag_ignores_the_environment(cli: Cli, emulator: EmulatorProcess) -> None:
    # A real account's variables must not leak into (or break) calls to a local emulator.
    env = {
        "SINCH_PROJECT_ID": "real-project",
        "SINCH_KEY_ID": "real-key",
        "SINCH_KEY_SECRET": "real-secret",
        "SINCH_NUMBERS_URL": "http://127.0.0.1:9",
    }
    result = cli("search", "AU", "MOBILE", "--size", "1", "--emulator", emulator.url, env=env)
    assert result.exit_code == 0, result.output


def test_emulator_flag_with_basic_auth(cli: Cli, emulator: EmulatorProcess) -> None:
    args = ("search", "AU", "MOBILE", "--size", "1", "--auth-method", "BASIC")
    result = cli(*args, "--emulator", emulator.url + "/")
    assert result.exit_code == 0, result.output
