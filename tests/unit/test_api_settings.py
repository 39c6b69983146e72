"""Settings: arguments, environment fallback, and errors that name settings but not values."""

from __future__ import annotations

import httpx
import pytest

from sinch_numbers.api import (
    DEFAULT_AUTH_URL,
    DEFAULT_NUMBERS_URL,
    ClientSettings,
    ConfigurationError,
    SinchNumbersClient,
)
from tests.unit.conftest import KEY_SECRET, FakeSinch


def test_environment_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINCH_PROJECT_ID", "env-project")
    monkeypatch.setenv("SINCH_KEY_ID", "env-key")
    monkeypatch.setenv("SINCH_KEY_SECRET", KEY_SECRET)
    settings = ClientSettings.resolve()
    assert settings.project_id == "env-project"
    assert settings.key_id == "env-key"
    assert settings.key_secret == KEY_SECRET
    assert settings.numbers_url == DEFAULT_NUMBERS_URL
    assert settings.auth_url == DEFAULT_AUTH_URL
    assert KEY_SECRET not in repr(settings)


def test_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINCH_PROJECT_ID", "env-project")
    monkeypatch.setenv("SINCH_NUMBERS_URL", "https://env.example")
    settings = ClientSettings.resolve(
        project_id="arg-project",
        key_id="k",
        key_secret="s",
        numbers_url="http://127.0.0.1:8080/",
    )
    assert settings.project_id == "arg-project"
    assert settings.numbers_url == "http://127.0.0.1:8080"


def test_url_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINCH_NUMBERS_URL", "http://localhost:9000")
    monkeypatch.setenv("SINCH_AUTH_URL", "http://localhost:9000/oauth2/token")
    settings = ClientSettings.resolve(project_id="p", key_id="k", key_secret="s")
    assert settings.numbers_url == "http://localhost:9000"
    assert settings.auth_url == "http://localhost:9000/oauth2/token"


def test_missing_settings_are_all_named() -> None:
    with pytest.raises(ConfigurationError) as caught:
        SinchNumbersClient(key_id="present-key-id")
    message = str(caught.value)
    for name in ("project_id", "SINCH_PROJECT_ID", "key_secret", "SINCH_KEY_SECRET"):
        assert name in message
    assert "SINCH_KEY_ID" not in message
    assert "present-key-id" not in message


def test_empty_values_count_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINCH_KEY_SECRET", "  ")
    with pytest.raises(ConfigurationError, match="key_secret"):
        ClientSettings.resolve(project_id="p", key_id="k", key_secret="")


def test_malformed_url_is_named_not_shown() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientSettings.resolve(
            project_id="p", key_id="k", key_secret="s", numbers_url="ftp://weird-host-canary"
        )
    assert "malformed URL in numbers_url:" in str(caught.value)
    assert "weird-host-canary" not in str(caught.value)
    assert (caught.value.missing, caught.value.malformed) == ((), ("numbers_url",))


def test_a_malformed_value_names_where_it_came_from() -> None:
    names = {
        "numbers_url": "sinch:numbersUrl",
        "auth_url": "sinch:authUrl",
        "key_id": "sinch:keyId",
    }
    environ = {"SINCH_AUTH_URL": "not a url", "SINCH_PROJECT_ID": "p", "SINCH_KEY_SECRET": "s"}
    with pytest.raises(ConfigurationError) as caught:
        ClientSettings.resolve(numbers_url="ftp://x", environ=environ, names=names)
    message = str(caught.value)
    assert message == (
        "missing Sinch settings: sinch:keyId (or SINCH_KEY_ID); malformed URL in "
        "sinch:numbersUrl, SINCH_AUTH_URL: must be an absolute http or https URL"
    )
    assert caught.value.missing == ("key_id",)
    assert caught.value.malformed == ("numbers_url", "auth_url")


def test_names_default_to_the_argument_names() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientSettings.resolve(project_id="p", key_id="k", environ={})
    assert str(caught.value) == "missing Sinch settings: key_secret (or SINCH_KEY_SECRET)"
    settings = ClientSettings.resolve(
        project_id="p", key_id="k", key_secret="s", environ={}, names={"key_id": "--key-id"}
    )
    assert settings.label("key_id") == "--key-id (or SINCH_KEY_ID)"
    assert settings.label("key_secret") == "key_secret (or SINCH_KEY_SECRET)"


def test_invalid_auth_method_and_retries(fake: FakeSinch) -> None:
    transport = httpx.MockTransport(fake)
    with pytest.raises(ConfigurationError, match="auth_method"):
        SinchNumbersClient(
            project_id="p",
            key_id="k",
            key_secret="s",
            auth_method="digest",  # type: ignore[arg-type]
            transport=transport,
        )
    with pytest.raises(ConfigurationError, match="max_retries"):
        SinchNumbersClient(
            project_id="p", key_id="k", key_secret="s", max_retries=-1, transport=transport
        )


def test_default_timeouts_are_explicit(fake: FakeSinch) -> None:
    client = SinchNumbersClient(
        project_id="p", key_id="k", key_secret="s", transport=httpx.MockTransport(fake)
    )
    timeout = client._http.timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 30.0, 30.0, 10.0)
    client.close()
