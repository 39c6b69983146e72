"""A malformed setting fails a new order's check naming what the user typed (the stack key, or
the variable), never a value or the client's argument names, whether the pair takes KYC data
or not. Each case runs here, in process; tests/provider/test_settings_messages.py takes one of
them through the real plugin's preview and up, and tests/reliability/test_reliability_faults.py
one bad SINCH_HTTP_TIMEOUT through an up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.core.settings import provider_settings
from sinch_numbers.resources.number_order.check import check_order
from tests.unit.bad_inputs import valid_order
from tests.unit.conftest import recording_log

ARGUMENT_NAMES = ("key_id", "key_secret", "project_id", "numbers_url", "auth_url", "(env ")
CREDENTIALS = {"project_id": "proj-1", "key_id": "key-1", "key_secret": "secret-1"}
US_LOCAL = {"region_code": "US", "number_type": "LOCAL", "quantity": 1}
SINCH_VARIABLES = (
    "SINCH_PROJECT_ID",
    "SINCH_KEY_ID",
    "SINCH_KEY_SECRET",
    "SINCH_NUMBERS_URL",
    "SINCH_AUTH_URL",
    "SINCH_AUTH_METHOD",
    "SINCH_HTTP_TIMEOUT",
    "SINCH_OFFLINE_CHECK",
    "SINCH_SHOW_COST",
)


@pytest.fixture(autouse=True)
def _no_sinch_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SINCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def assert_user_words(text: str, *hidden: str) -> None:
    """``text`` names no argument of the client and shows none of ``hidden``."""
    for name in ARGUMENT_NAMES:
        assert name not in text.replace("sinch:", "").replace("SINCH_", ""), (name, text)
    for value in hidden:
        assert value not in text


def check_new_order(
    config: dict[str, str], kyc: bool, tmp_path: Path
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(failures, log lines) of a new order's check under ``config``."""
    props: dict[str, Any] = valid_order(tmp_path / "kyc") if kyc else dict(US_LOCAL)
    log, lines = recording_log()
    _inputs, failures = check_order({}, props, lambda: provider_settings(config), log)
    return failures, lines


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("numbers_url", "not a url", "malformed URL in sinch:numbersUrl"),
        ("numbers_url", "ftp://numbers.example", "malformed URL in sinch:numbersUrl"),
        ("auth_url", "ftp://auth.example/oauth2/token", "malformed URL in sinch:authUrl"),
        ("auth_method", "digest", "sinch:authMethod must be oauth2 or basic"),
    ],
)
@pytest.mark.parametrize("kyc", [True, False], ids=["with KYC data", "without KYC data"])
def test_a_malformed_setting_fails_the_check_naming_the_key(
    tmp_path: Path, name: str, value: str, named: str, kyc: bool
) -> None:
    failures, lines = check_new_order({**CREDENTIALS, name: value}, kyc, tmp_path)
    ((prop, reason),) = failures
    assert prop == ""
    assert reason.startswith("sinch: ")
    assert named in reason
    assert "not configured" not in reason
    assert not any("checked offline" in text for _level, text in lines), lines
    assert_user_words(reason, value)


def test_a_malformed_variable_is_named_as_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SINCH_AUTH_URL", "ftp://auth.example")
    failures, _lines = check_new_order(CREDENTIALS, True, tmp_path)
    ((_prop, reason),) = failures
    assert "malformed URL in SINCH_AUTH_URL" in reason
    assert_user_words(reason, "auth.example")


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
@pytest.mark.parametrize("kyc", [True, False], ids=["with KYC data", "without KYC data"])
def test_a_bad_sinch_http_timeout_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str, kyc: bool
) -> None:
    monkeypatch.setenv("SINCH_HTTP_TIMEOUT", value)
    failures, _lines = check_new_order(CREDENTIALS, kyc, tmp_path)
    assert failures == [("", "sinch: SINCH_HTTP_TIMEOUT must be a positive number of seconds")]
