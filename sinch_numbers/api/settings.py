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


@dataclass(frozen=True)
class ClientSettings:
    """Resolved settings. ``key_secret`` is left out of ``repr``."""

    project_id: str
    key_id: str
    key_secret: str = field(repr=False)
    numbers_url: str = DEFAULT_NUMBERS_URL
    auth_url: str = DEFAULT_AUTH_URL

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
    ) -> ClientSettings:
        """Fill each unset (None or empty) argument from its environment variable.

        Raises ``ConfigurationError`` naming every missing or malformed setting, by argument name
        and environment variable, never by value.
        """
        env = os.environ if environ is None else environ

        def pick(value: str | None, variable: str) -> str:
            chosen = value if value else env.get(variable, "")
            return chosen.strip()

        values = {
            "project_id": pick(project_id, ENV_PROJECT_ID),
            "key_id": pick(key_id, ENV_KEY_ID),
            "key_secret": pick(key_secret, ENV_KEY_SECRET),
            "numbers_url": pick(numbers_url, ENV_NUMBERS_URL) or DEFAULT_NUMBERS_URL,
            "auth_url": pick(auth_url, ENV_AUTH_URL) or DEFAULT_AUTH_URL,
        }
        variables = {
            "project_id": ENV_PROJECT_ID,
            "key_id": ENV_KEY_ID,
            "key_secret": ENV_KEY_SECRET,
            "numbers_url": ENV_NUMBERS_URL,
            "auth_url": ENV_AUTH_URL,
        }
        missing = [name for name in ("project_id", "key_id", "key_secret") if not values[name]]
        malformed = [name for name in ("numbers_url", "auth_url") if not _is_http_url(values[name])]
        problems = []
        if missing:
            listed = ", ".join(f"{name} (env {variables[name]})" for name in missing)
            problems.append(f"missing Sinch settings: {listed}")
        if malformed:
            listed = ", ".join(f"{name} (env {variables[name]})" for name in malformed)
            problems.append(f"not an http(s) URL: {listed}")
        if problems:
            raise ConfigurationError("; ".join(problems))
        return cls(
            project_id=values["project_id"],
            key_id=values["key_id"],
            key_secret=values["key_secret"],
            numbers_url=values["numbers_url"].rstrip("/"),
            auth_url=values["auth_url"],
        )


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)
