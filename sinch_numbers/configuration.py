"""The settings a user gives sinch_numbers, one row each: the one place each ``SINCH_*`` variable
and each ``sinch:*`` stack key is named.

A leaf module (it imports nothing of the package), so every layer reads its names from here: the
API client resolves the ``connection`` rows (``api.settings``), the provider and the lookups read
the stack keys and the ``provider`` rows (``core.settings``, ``core.journal``), the CLI derives
its connection flags and their help from the rows that have a stack key (a flag takes the place
of the stack key), and ``tests/docs`` checks the README's configuration table against this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Scope = Literal["connection", "provider"]
"""``connection``: where and how to call the API, read by everything that calls it (the client,
the resources, the lookups and the CLI). ``provider``: what the resources do in the plugin."""


@dataclass(frozen=True)
class Setting:
    name: str
    """The setting's name in code: the client's argument, the key of a resolved mapping."""
    variable: str
    """The environment variable, the fallback of the stack key (or of the CLI's flag)."""
    meaning: str
    """What it does, in one line (no markup); the docs' row begins with it."""
    scope: Scope
    stack_key: str | None = None
    """The ``sinch:*`` stack config key, when a stack may set it."""
    default: str | None = None
    """The value taken when it is unset (None: no one value)."""
    default_text: str | None = None
    """How the docs put a default that is not one value."""
    required: bool = False
    secret: bool = False
    choices: tuple[str, ...] = ()
    """The values it takes, when it takes one of a few."""

    @property
    def flag(self) -> str | None:
        """The CLI's flag: the connection settings a stack may set, named as the setting."""
        if self.scope != "connection" or self.stack_key is None:
            return None
        return "--" + self.name.replace("_", "-")

    @property
    def shown_default(self) -> str:
        """The default as the docs' tables write it (without markup)."""
        if self.required:
            return "required"
        if self.default_text is not None:
            return self.default_text
        return self.default or ""


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "project_id",
        "SINCH_PROJECT_ID",
        "Sinch project id",
        "connection",
        stack_key="sinch:projectId",
        required=True,
    ),
    Setting(
        "key_id",
        "SINCH_KEY_ID",
        "Access key id",
        "connection",
        stack_key="sinch:keyId",
        required=True,
    ),
    Setting(
        "key_secret",
        "SINCH_KEY_SECRET",
        "Access key secret",
        "connection",
        stack_key="sinch:keySecret",
        required=True,
        secret=True,
    ),
    Setting(
        "numbers_url",
        "SINCH_NUMBERS_URL",
        "Numbers API base URL",
        "connection",
        stack_key="sinch:numbersUrl",
        default="https://numbers.api.sinch.com",
    ),
    Setting(
        "auth_url",
        "SINCH_AUTH_URL",
        "OAuth2 token URL",
        "connection",
        stack_key="sinch:authUrl",
        default="https://auth.sinch.com/oauth2/token",
    ),
    Setting(
        "auth_method",
        "SINCH_AUTH_METHOD",
        "oauth2 (recommended) or basic (Sinch: testing only, heavily rate limited)",
        "connection",
        stack_key="sinch:authMethod",
        default="oauth2",
        choices=("oauth2", "basic"),
    ),
    Setting(
        "offline_check",
        "SINCH_OFFLINE_CHECK",
        "true accepts a preview that could not look the requirements up (API unreachable)",
        "provider",
        stack_key="sinch:offlineCheck",
        default="false",
        choices=("true", "false"),
    ),
    Setting(
        "show_cost",
        "SINCH_SHOW_COST",
        "false stops preview from pricing what an up would buy",
        "provider",
        stack_key="sinch:showCost",
        default="true",
        choices=("true", "false"),
    ),
    Setting(
        "state_dir",
        "SINCH_NUMBERS_STATE_DIR",
        "where the provider notes orders it created and has not yet handed to the engine",
        "provider",
        default_text="$XDG_STATE_HOME/sinch-numbers",
    ),
    Setting(
        "http_timeout",
        "SINCH_HTTP_TIMEOUT",
        "seconds for every HTTP wait (connect, read, write, pool) and for the whole of each "
        "attempt of a call",
        "connection",
        default_text="connect 5 s, read 30 s, 120 s for each attempt",
    ),
)

# Each row by name, for code that reads one setting (a test checks the names match the rows).
(
    PROJECT_ID,
    KEY_ID,
    KEY_SECRET,
    NUMBERS_URL,
    AUTH_URL,
    AUTH_METHOD,
    OFFLINE_CHECK,
    SHOW_COST,
    STATE_DIR,
    HTTP_TIMEOUT,
) = SETTINGS

BY_NAME: Mapping[str, Setting] = {setting.name: setting for setting in SETTINGS}


def default_of(setting: Setting) -> str:
    """The value ``setting`` takes when unset (a setting that has one)."""
    assert setting.default is not None, f"{setting.name} has no one default"
    return setting.default


STACK_KEYS: Mapping[str, str] = {s.name: s.stack_key for s in SETTINGS if s.stack_key is not None}
"""Each stack key, by setting name."""
CONNECTION_VARIABLES: Mapping[str, str] = {
    s.name: s.variable for s in SETTINGS if s.scope == "connection"
}
"""The variables of where and how to call the API, by setting name."""
FLAGS: Mapping[str, str] = {s.name: s.flag for s in SETTINGS if s.flag is not None}
"""The CLI's connection flag of each setting that has one, by setting name."""
