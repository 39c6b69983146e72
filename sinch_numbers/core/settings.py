"""Where and how to reach Sinch, read the same way by every sinch resource and lookup: the
``sinch:*`` stack config first, the ``SINCH_*`` variables as fallback; and one connection per set
of settings per process."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.api.settings import ClientSettings
from sinch_numbers.configuration import OFFLINE_CHECK, SHOW_COST, STACK_KEYS, Setting, default_of
from sinch_numbers.core.passes import CommandNotes
from sinch_numbers.core.requirements import OnceCache, RequirementsCache, lookup_requirements

CONFIG_KEYS = STACK_KEYS
"""Each ``sinch:*`` stack key, by setting name (the rows of ``sinch_numbers.configuration``)."""
# With credentials configured, a lookup that fails fails the check; this opts into offline only.
ENV_OFFLINE_CHECK = OFFLINE_CHECK.variable
# Check says what a new order would buy and cost; "false" turns that (and its API calls) off.
ENV_SHOW_COST = SHOW_COST.variable


@dataclass(frozen=True)
class ProviderSettings:
    """Where and how to reach Sinch: stack config first, ``SINCH_*`` variables as fallback."""

    client: ClientSettings
    offline_check: bool = False
    show_cost: bool = True

    def cache_key(self) -> str:
        c = self.client
        parts = [c.project_id, c.key_id, c.key_secret, c.numbers_url, c.auth_url, c.auth_method]
        parts.append(repr(c.http_timeout))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def lookup_scope(self) -> str:
        """What a looked-up answer depends on (the project and the API), for notes kept on disk:
        no credential, nor any digest of one."""
        c = self.client
        return hashlib.sha256(f"{c.project_id}\0{c.numbers_url}".encode()).hexdigest()


@dataclass(frozen=True)
class Connection:
    """One pooled client and the caches of what was looked up through it (requirements,
    prices): shared by every resource with the same settings in a plugin process."""

    client: SinchNumbersClient
    requirements: RequirementsCache
    prices: OnceCache = field(default_factory=OnceCache)
    notes: CommandNotes | None = None
    """What the other pass of this ``pulumi`` command found (``core.passes``), if anything."""

    def requirements_for(self, region_code: str, number_type: str) -> NumberRequirements | None:
        """The pair's requirements (None: no KYC), looked up once per process, and once per
        ``pulumi up`` where its two passes can share (``core.passes``)."""
        return lookup_requirements(
            self.client, self.requirements, region_code, number_type, self.notes
        )


_CONNECTIONS: dict[str, Connection] = {}
_CONNECTIONS_LOCK = threading.Lock()


def connection_for(settings: ProviderSettings) -> Connection:
    """One pooled client and one requirements cache per set of credentials, per process.

    Every NumberOrder of a stack deserialises to the same provider instance, but a stack with
    several sets of credentials has several; sharing by settings keeps one token and one pool each.
    """
    key = settings.cache_key()
    with _CONNECTIONS_LOCK:
        connection = _CONNECTIONS.get(key)
        if connection is None:
            client = SinchNumbersClient.from_settings(settings.client)
            notes = CommandNotes.for_this_command(settings.lookup_scope())
            connection = Connection(client, RequirementsCache(), notes=notes)
            _CONNECTIONS[key] = connection
        return connection


def forget_connections() -> None:
    """Drop every connection of this process (its client, token and caches), so the next call
    starts afresh; for a process that runs programs over and over, and for tests that count the
    calls one program makes."""
    with _CONNECTIONS_LOCK:
        _CONNECTIONS.clear()


def connection_of(stack: Mapping[str, str]) -> Connection:
    """The connection for :func:`stack_config`'s result, the ``SINCH_*`` variables filling the
    gaps, read now (:func:`provider_settings`, then :func:`connection_for`). A provider hands
    the logic ``functools.partial(connection_of, config)`` to read it when first needed: the
    logic then calls down into core, never back up into the provider."""
    return connection_for(provider_settings(stack))


def stack_config(get: Callable[[str], Any]) -> dict[str, str]:
    """The ``sinch:*`` stack settings by setting name; ``get`` reads one full key (``sinch:keyId``).

    Empty and non-string values count as unset, so the environment fills them in.
    """
    config: dict[str, str] = {}
    for name, key in CONFIG_KEYS.items():
        value = get(key)
        if isinstance(value, str) and value:
            config[name] = value
    return config


def provider_settings(stack: Mapping[str, str]) -> ProviderSettings:
    """Settings from :func:`stack_config`'s result, the ``SINCH_*`` variables filling the gaps.

    Raises ``ConfigurationError`` naming each missing or malformed setting by its stack key.
    """
    config = dict(stack)
    offline = _flag(config, OFFLINE_CHECK)
    show_cost = _flag(config, SHOW_COST)
    client = client_settings(config, names=CONFIG_KEYS)
    return ProviderSettings(client, offline_check=offline, show_cost=show_cost)


def client_settings(given: Mapping[str, object], *, names: Mapping[str, str]) -> ClientSettings:
    """Where and how to call the API: ``given`` (by setting name: a stack's config, a command's
    options), then the ``SINCH_*`` variables. The provider, the lookups and the CLI resolve here;
    ``names`` is what their users call each setting (stack keys, flags), for the messages.

    Raises ``ConfigurationError`` naming each missing or malformed setting, never a value.
    """
    return ClientSettings.resolve_from(given, names=names)


def _flag(config: dict[str, str], setting: Setting) -> bool:
    """A true/false setting: the stack's value, else its variable, else the table's default."""
    name, variable = setting.name, setting.variable
    raw = (config.pop(name, None) or os.environ.get(variable, "")).strip().lower()
    if raw not in ("", "true", "false"):
        raise ConfigurationError(
            f"{setting.stack_key} (or {variable}) must be true or false", malformed=(name,)
        )
    return (raw or default_of(setting)) == "true"
