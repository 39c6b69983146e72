"""Client settings: explicit arguments first, then ``SINCH_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sinch_numbers.api.errors import ConfigurationError

DEFAULT_NUMBERS_URL = "https://numbers.api.sinch.com"
DEFAULT_AUTH_URL = "https://auth.sinch.com/oauth2/token"

ENV_PROJECT_ID = "SINCH_PROJECT_ID"
ENV_KEY_ID = "SINCH_KEY_ID"
ENV_KEY_SECRET = "SINCH_KEY_SECRET"  # noqa: S105 - the variable's name, not a secret
ENV_NUMBERS_URL = "SINCH_NUMBERS_URL"
ENV_AUTH_URL = "SINCH_AUTH_URL"

ENV_VARIABLES: Mapping[str, str] = {
    "project_id": ENV_PROJECT_ID,
    "key_id": ENV_KEY_ID,
    "key_secret": ENV_KEY_SECRET,
    "numbers_url": ENV_NUMBERS_URL,
    "auth_url": ENV_AUTH_URL,
}
"""Each setting's environment variable, by setting name (the client's argument name)."""

_REQUIRED = ("project_id", "key_id", "key_secret")
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
        stack's config or a command's options; other keys are not read."""
        env = os.environ if environ is None else environ
        shown = dict(names or {})
        values: dict[str, str] = {}
        sources: dict[str, str] = {}
        for name in ENV_VARIABLES:
            value = given.get(name)
            if isinstance(value, str) and value:
                values[name] = value.strip()
                sources[name] = shown.get(name, name)
            else:
                values[name] = env.get(ENV_VARIABLES[name], "").strip()
                sources[name] = ENV_VARIABLES[name]
        for name, default in (("numbers_url", DEFAULT_NUMBERS_URL), ("auth_url", DEFAULT_AUTH_URL)):
            values[name] = values[name] or default
        missing = tuple(name for name in _REQUIRED if not values[name])
        malformed = tuple(name for name in _URLS if not _is_http_url(values[name]))
        problems = []
        if missing:
            listed = ", ".join(_label(name, shown) for name in missing)
            problems.append(f"missing Sinch settings: {listed}")
        if malformed:
            listed = ", ".join(sources[name] for name in malformed)
            problems.append(f"malformed URL in {listed}: must be an absolute http or https URL")
        if problems:
            raise ConfigurationError("; ".join(problems), missing=missing, malformed=malformed)
        return cls(
            project_id=values["project_id"],
            key_id=values["key_id"],
            key_secret=values["key_secret"],
            numbers_url=values["numbers_url"].rstrip("/"),
            auth_url=values["auth_url"],
            names=shown,
        )


def _label(setting: str, names: Mapping[str, str]) -> str:
    name = names.get(setting, setting)
    variable = ENV_VARIABLES.get(setting)
    return f"{name} (or {variable})" if variable else name


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)
