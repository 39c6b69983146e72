"""Client settings: explicit arguments first, then ``SINCH_*`` environment variables.

The one resolution of every ``SINCH_*`` variable that says where and how to call Sinch: the
client, the provider and the CLI all resolve through :meth:`ClientSettings.resolve_from`. The
variables' names and the defaults are the rows of ``sinch_numbers.configuration``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args
from urllib.parse import urlsplit

from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.configuration import (
    AUTH_METHOD,
    AUTH_URL,
    CONNECTION_VARIABLES,
    HTTP_TIMEOUT,
    KEY_ID,
    KEY_SECRET,
    NUMBERS_URL,
    PROJECT_ID,
    SETTINGS,
    default_of,
)

DEFAULT_NUMBERS_URL = default_of(NUMBERS_URL)
DEFAULT_AUTH_URL = default_of(AUTH_URL)
_DEFAULT_AUTH_METHOD = default_of(AUTH_METHOD)

ENV_PROJECT_ID = PROJECT_ID.variable
ENV_KEY_ID = KEY_ID.variable
ENV_KEY_SECRET = KEY_SECRET.variable
ENV_NUMBERS_URL = NUMBERS_URL.variable
ENV_AUTH_URL = AUTH_URL.variable
ENV_AUTH_METHOD = AUTH_METHOD.variable
# Seconds for each HTTP wait (connect, read, write, pool) and for the whole of each attempt of a
# call, so a pipeline can bound a hung or trickling API call; optional.
ENV_HTTP_TIMEOUT = HTTP_TIMEOUT.variable

ENV_VARIABLES: Mapping[str, str] = CONNECTION_VARIABLES
"""Each setting's environment variable, by setting name (the client's argument name)."""

AuthMethod = Literal["oauth2", "basic"]
# The table's choices for auth_method (a test ties them).
AUTH_METHODS: tuple[AuthMethod, ...] = get_args(AuthMethod)

_REQUIRED = tuple(setting.name for setting in SETTINGS if setting.required)
_URLS = ("numbers_url", "auth_url")


@dataclass(frozen=True)
class ClientSettings:
    """Resolved settings. ``key_secret`` is left out of ``repr``.

    ``names`` says what the caller's users call each setting (a CLI flag, a stack key); messages
    about a setting use it, so that they name what the user typed. Missing names fall back to
    the argument names.
    """

    project_id: str
    key_id: str
    key_secret: str = field(repr=False)
    numbers_url: str = DEFAULT_NUMBERS_URL
    auth_url: str = DEFAULT_AUTH_URL
    auth_method: AuthMethod = "oauth2"
    http_timeout: float | None = None
    """Seconds for each wait and each attempt of a call; None: the client's defaults."""
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def label(self, setting: str) -> str:
        """How to set ``setting``: ``"sinch:keyId (or SINCH_KEY_ID)"``."""
        return _label(setting, self.names)

    @classmethod
    def resolve(
        cls,
        *,
        project_id: str | None = None,
        key_id: str | None = None,
        key_secret: str | None = None,
        numbers_url: str | None = None,
        auth_url: str | None = None,
        auth_method: str | None = None,
        environ: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> ClientSettings:
        """Fill each unset (None or empty) argument from its environment variable.

        Raises ``ConfigurationError`` naming every missing setting (by its name in ``names`` and
        its variable) and every malformed one (by where its value came from), never a value.
        """
        given = {
            "project_id": project_id,
            "key_id": key_id,
            "key_secret": key_secret,
            "numbers_url": numbers_url,
            "auth_url": auth_url,
            "auth_method": auth_method,
        }
        return cls.resolve_from(given, environ=environ, names=names)

    @classmethod
    def resolve_from(
        cls,
        given: Mapping[str, object],
        *,
        environ: Mapping[str, str] | None = None,
        names: Mapping[str, str] | None = None,
    ) -> ClientSettings:
        """:meth:`resolve`, from a mapping by setting name (``project_id``...), such as a
        stack's config or a command's options; other keys are not read. ``http_timeout`` comes
        from its variable only (it is how this machine calls, not what a stack says)."""
        env = os.environ if environ is None else environ
        shown = dict(names or {})
        values: dict[str, str] = {}
        sources: dict[str, str] = {}
        for name in ENV_VARIABLES:
            value = given.get(name) if name != "http_timeout" else None
            if isinstance(value, str) and value:
                values[name] = value.strip()
                sources[name] = shown.get(name, name)
            else:
                values[name] = env.get(ENV_VARIABLES[name], "").strip()
                sources[name] = ENV_VARIABLES[name]
        for name, default in (("numbers_url", DEFAULT_NUMBERS_URL), ("auth_url", DEFAULT_AUTH_URL)):
            values[name] = values[name] or default
        missing = tuple(name for name in _REQUIRED if not values[name])
        bad_urls = [name for name in _URLS if not _is_http_url(values[name])]
        auth_method = _auth_method(values["auth_method"])
        http_timeout = _seconds(values["http_timeout"])
        problems = []
        if missing:
            listed = ", ".join(_label(name, shown) for name in missing)
            problems.append(f"missing Sinch settings: {listed}")
        if bad_urls:
            listed = ", ".join(sources[name] for name in bad_urls)
            problems.append(f"malformed URL in {listed}: must be an absolute http or https URL")
        malformed = list(bad_urls)
        if auth_method is None:
            malformed.append("auth_method")
            problems.append(f"{sources['auth_method']} must be oauth2 or basic")
        if http_timeout is None and values["http_timeout"]:
            malformed.append("http_timeout")
            problems.append(f"{sources['http_timeout']} must be a positive number of seconds")
        if problems:
            raise ConfigurationError(
                "; ".join(problems), missing=missing, malformed=tuple(malformed)
            )
        assert auth_method is not None
        return cls(
            project_id=values["project_id"],
            key_id=values["key_id"],
            key_secret=values["key_secret"],
            numbers_url=values["numbers_url"].rstrip("/"),
            auth_url=values["auth_url"],
            auth_method=auth_method,
            http_timeout=http_timeout,
            names=shown,
        )


def _label(setting: str, names: Mapping[str, str]) -> str:
    name = names.get(setting, setting)
    variable = ENV_VARIABLES.get(setting)
    return f"{name} (or {variable})" if variable else name


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def _auth_method(value: str) -> AuthMethod | None:
    """The method named (unset: oauth2), or None when it names none."""
    named = value or _DEFAULT_AUTH_METHOD
    return next((method for method in AUTH_METHODS if method == named), None)


def _seconds(value: str) -> float | None:
    """A positive, finite number of seconds, or None (unset or not one)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None
