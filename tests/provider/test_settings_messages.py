"""Setting problems, through the real plugin, name what a Pulumi user typed: the stack key and
its variable (``sinch:keyId`` / ``SINCH_KEY_ID``), never the client's argument names or a value.

Missing credentials leave preview green (checked offline, with a warning); a malformed setting is
a check failure, and so is a refused key or project, naming the keys to check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sinch_numbers.testing import ProgramResult, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.conftest import Stack

MakeStack = Callable[..., Stack]
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
# Set but empty: the plugin ignores the developer's own SINCH_* variables, if any.
NO_SINCH_ENV = {
    "SINCH_PROJECT_ID": "",
    "SINCH_KEY_ID": "",
    "SINCH_KEY_SECRET": "",
    "SINCH_NUMBERS_URL": "",
    "SINCH_AUTH_URL": "",
    "SINCH_AUTH_METHOD": "",
}
ARGUMENT_NAMES = ("key_id", "key_secret", "project_id", "numbers_url", "auth_url", "(env ")
KEY_HINT = "check sinch:keyId (or SINCH_KEY_ID) and sinch:keySecret (or SINCH_KEY_SECRET)"
US_LOCAL = {"region_code": "US", "number_type": "LOCAL", "registration": None, "attachments": None}


def failures(result: ProgramResult) -> list[str]:
    return [reason for pairs in result.check_failures.values() for _prop, reason in pairs]


def warnings(result: ProgramResult) -> list[str]:
    # pulumi.log.warn reaches the plugin's stderr as "warning: ..." lines.
    return [text for _severity, text in result.messages if text.startswith("warning: ")]


def assert_user_words(text: str, *hidden: str) -> None:
    """``text`` names no argument of the client and shows none of ``hidden``."""
    for name in ARGUMENT_NAMES:
        assert name not in text.replace("sinch:", "").replace("SINCH_", ""), (name, text)
    for value in hidden:
        assert value not in text


def unconfigured(make_stack: MakeStack, **inputs: Any) -> Stack:
    stack = make_stack(env=NO_SINCH_ENV, **inputs)
    stack.runner.config.clear()
    return stack


def test_missing_credentials_leave_preview_green_and_name_the_stack_keys(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = unconfigured(make_stack)
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    (warning,) = [w for w in warnings(preview) if "checked offline" in w]
    assert "sinch:projectId (or SINCH_PROJECT_ID)" in warning
    assert "sinch:keyId (or SINCH_KEY_ID)" in warning
    assert "sinch:keySecret (or SINCH_KEY_SECRET)" in warning
    assert_user_words(warning)


def test_up_without_credentials_names_the_stack_keys(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = unconfigured(make_stack)
    stack.runner.config["sinch:keyId"] = emu.credentials.key_id
    up = stack.runner.up()
    assert not up.ok
    assert up.error is not None
    assert "missing Sinch settings: sinch:projectId (or SINCH_PROJECT_ID), sinch:keySecret" in (
        up.error
    )
    assert "sinch:keyId" not in up.error
    assert_user_words(up.error, emu.credentials.key_id)
    assert emu.orders() == []


# Every malformed setting, with and without KYC data, is a case of tests/unit/
# test_setting_failures.py; one goes through the plugin's preview and up here.
@pytest.mark.parametrize(
    ("key", "value", "named"),
    [("sinch:numbersUrl", "not a url", "malformed URL in sinch:numbersUrl")],
)
@pytest.mark.parametrize("kyc", [True], ids=["with KYC data"])
def test_a_malformed_setting_fails_the_check_naming_the_key(
    emu: EmulatorProcess, make_stack: MakeStack, key: str, value: str, named: str, kyc: bool
) -> None:
    stack = make_stack(**({} if kyc else US_LOCAL))
    stack.runner.config[key] = value
    preview = stack.runner.preview()
    assert not preview.ok
    (reason,) = failures(preview)
    assert named in reason
    assert "not configured" not in reason
    assert "checked offline" not in preview.output
    assert_user_words(reason, value)
    assert stack.runner.up().ok is False
    assert emu.orders() == []


def test_a_malformed_variable_is_named_as_the_variable(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(env={"SINCH_AUTH_URL": "ftp://auth.example"})
    del stack.runner.config["sinch:authUrl"]
    preview = stack.runner.preview()
    assert not preview.ok
    (reason,) = failures(preview)
    assert "malformed URL in SINCH_AUTH_URL" in reason
    assert_user_words(reason, "auth.example")


def test_a_malformed_timeout_fails_the_check(emu: EmulatorProcess, make_stack: MakeStack) -> None:
    stack = make_stack(env={"SINCH_HTTP_TIMEOUT": "soon"})
    preview = stack.runner.preview()
    assert not preview.ok
    assert failures(preview) == ["sinch: SINCH_HTTP_TIMEOUT must be a positive number of seconds"]


def test_a_wrong_secret_names_the_key_settings(emu: EmulatorProcess, make_stack: MakeStack) -> None:
    wrong = "not-the-emulator-secret"
    stack = make_stack()
    stack.runner.config["sinch:keySecret"] = Secret(wrong)

    preview = stack.runner.preview()
    assert not preview.ok, "a green preview means checked: a refused key fails it"
    (failure,) = [f for f in failures(preview) if "could not look up" in f]
    assert "HTTP 401" in failure
    assert KEY_HINT in failure
    assert_user_words(failure, wrong)

    up = stack.runner.up()
    assert not up.ok
    assert up.error is not None
    assert "HTTP 401" in up.error
    assert KEY_HINT in up.error
    assert_user_words(up.error, wrong)
    assert CREATE not in emu.stats()


def test_a_wrong_secret_on_refresh_names_the_key_settings(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    stack.runner.config["sinch:keySecret"] = Secret("rotated-away")
    # A plain refresh runs with the settings saved at the last up, as the engine's does.
    assert stack.runner.refresh().ok
    refreshed = stack.runner.refresh(run_program=True)
    assert not refreshed.ok
    assert refreshed.error is not None
    assert KEY_HINT in refreshed.error
    assert_user_words(refreshed.error, "rotated-away")


def test_a_wrong_project_names_the_project_key(emu: EmulatorProcess, make_stack: MakeStack) -> None:
    stack = make_stack(**US_LOCAL)
    stack.runner.config["sinch:projectId"] = "someone-elses-project"
    up = stack.runner.up()
    assert not up.ok
    assert up.error is not None
    assert "HTTP 403" in up.error
    assert "check sinch:projectId (or SINCH_PROJECT_ID)" in up.error
    assert emu.orders() == []
