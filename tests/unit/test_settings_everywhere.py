"""Every documented variable works everywhere it applies: each row of the one settings table
(``sinch_numbers.configuration``) is honoured by the CLI's settings (in process, through
``Connection.settings``) and by the provider's and lookups' resolution (``core.settings``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinch_numbers.cli.connection import Connection
from sinch_numbers.configuration import BY_NAME, SETTINGS, STACK_KEYS, Setting
from sinch_numbers.core.journal import default_directory
from sinch_numbers.core.settings import ProviderSettings, provider_settings

ACCOUNT = {"project_id": "project-1", "key_id": "key-1", "key_secret": "secret-1"}
# A value for each setting that differs from its default, and what it resolves to.
GIVEN: dict[str, tuple[str, object]] = {
    "project_id": ("project-from-env", "project-from-env"),
    "key_id": ("key-from-env", "key-from-env"),
    "key_secret": ("secret-from-env", "secret-from-env"),
    "numbers_url": ("http://127.0.0.1:9/numbers", "http://127.0.0.1:9/numbers"),
    "auth_url": ("http://127.0.0.1:9/oauth2/token", "http://127.0.0.1:9/oauth2/token"),
    "auth_method": ("basic", "basic"),
    "http_timeout": ("7.5", 7.5),
    "offline_check": ("true", True),
    "show_cost": ("false", False),
    "state_dir": ("/some/where/state", Path("/some/where/state")),
}
CONNECTION = [s for s in SETTINGS if s.scope == "connection"]
# --emulator says where and as whom (the emulator and its account): those variables are ignored.
EMULATOR_SETS = {"project_id", "key_id", "key_secret", "numbers_url", "auth_url"}
PROVIDER = [s for s in SETTINGS if s.scope == "provider"]


@pytest.fixture(autouse=True)
def _no_sinch_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(setting.variable, raising=False)


def _set(monkeypatch: pytest.MonkeyPatch, setting: Setting) -> tuple[str, object]:
    """Set the account and ``setting``'s variable: (the value, what it resolves to)."""
    for name, value in ACCOUNT.items():
        monkeypatch.setenv(BY_NAME[name].variable, value)
    value, resolved = GIVEN[setting.name]
    monkeypatch.setenv(setting.variable, value)
    return value, resolved


def _another(setting: Setting, value: str) -> str:
    """A valid value other than ``value``: what a flag or a stack key gives instead."""
    if setting.choices:
        return next(choice for choice in setting.choices if choice != value)
    return setting.default or f"{setting.name}-given"


def _resolved(settings: ProviderSettings, setting: Setting) -> object:
    return getattr(settings.client if setting.scope == "connection" else settings, setting.name)


def test_every_setting_has_a_value_here() -> None:
    assert set(GIVEN) == {s.name for s in SETTINGS}


@pytest.mark.parametrize("setting", CONNECTION, ids=lambda s: s.variable)
def test_the_cli_honours_each_connection_variable(
    monkeypatch: pytest.MonkeyPatch, setting: Setting
) -> None:
    _, resolved = _set(monkeypatch, setting)
    assert getattr(Connection().settings(), setting.name) == resolved


@pytest.mark.parametrize("setting", CONNECTION, ids=lambda s: s.variable)
def test_the_cli_keeps_how_to_call_on_the_emulator_and_drops_the_account(
    monkeypatch: pytest.MonkeyPatch, setting: Setting
) -> None:
    _, resolved = _set(monkeypatch, setting)
    settings = Connection(emulator_url="http://127.0.0.1:8787").settings()
    if setting.name in EMULATOR_SETS:
        assert getattr(settings, setting.name) != resolved
    else:
        assert getattr(settings, setting.name) == resolved  # how to call: still the variable


@pytest.mark.parametrize("setting", [s for s in CONNECTION if s.flag], ids=lambda s: s.variable)
def test_a_cli_flag_wins_over_its_variable(
    monkeypatch: pytest.MonkeyPatch, setting: Setting
) -> None:
    value, _ = _set(monkeypatch, setting)
    flag_value = _another(setting, value)
    settings = Connection(**{setting.name: flag_value}).settings()
    assert getattr(settings, setting.name) == flag_value


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.variable)
def test_the_provider_honours_each_variable(
    monkeypatch: pytest.MonkeyPatch, setting: Setting
) -> None:
    _, resolved = _set(monkeypatch, setting)
    if setting.name == "state_dir":
        assert default_directory() == resolved
    else:
        assert _resolved(provider_settings({}), setting) == resolved


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.stack_key], ids=lambda s: s.variable)
def test_a_stack_key_wins_over_its_variable(
    monkeypatch: pytest.MonkeyPatch, setting: Setting
) -> None:
    value, _ = _set(monkeypatch, setting)
    stack_value = _another(setting, value)
    resolved = _resolved(provider_settings({setting.name: stack_value}), setting)
    assert str(resolved).lower() == stack_value
    assert STACK_KEYS[setting.name] == setting.stack_key


def test_the_cli_reads_no_provider_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI orders nothing and checks no declaration: a provider setting, even malformed,
    # cannot fail one of its commands.
    for name, value in ACCOUNT.items():
        monkeypatch.setenv(BY_NAME[name].variable, value)
    for setting in PROVIDER:
        monkeypatch.setenv(setting.variable, "not-a-value")
    assert Connection().settings().project_id == ACCOUNT["project_id"]


def test_the_client_takes_its_choices_and_defaults_from_the_table() -> None:
    from sinch_numbers.api.settings import AUTH_METHODS, ClientSettings

    assert BY_NAME["auth_method"].choices == AUTH_METHODS
    assert ClientSettings("p", "k", "s").auth_method == BY_NAME["auth_method"].default
    assert ClientSettings("p", "k", "s").numbers_url == BY_NAME["numbers_url"].default
    assert ClientSettings("p", "k", "s").auth_url == BY_NAME["auth_url"].default


def test_the_cli_help_of_each_flag_comes_from_the_table() -> None:
    from sinch_numbers.cli.connection import _OPTIONS

    helps = {p.name: p.annotation.__metadata__[0].help for p in _OPTIONS}
    for setting in CONNECTION:
        if setting.flag is None:
            continue
        assert helps[setting.name].startswith(setting.meaning)
        assert f"env: {setting.variable}" in helps[setting.name]


def test_each_named_row_is_the_row_of_its_name() -> None:
    import sinch_numbers.configuration as configuration

    for setting in SETTINGS:
        assert getattr(configuration, setting.name.upper()) is setting
