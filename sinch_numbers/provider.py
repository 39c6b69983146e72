"""The Pulumi dynamic provider behind ``NumberOrder``: the engine's hooks, mapped onto ``order/``.

``sinch_numbers.provider.NumberOrderProvider`` is pickled *by reference* into every user's state, so
this module path and the class name are a stable API. Nothing is pickled with it: credentials come
from ``configure`` (stack config) or the environment each time the plugin starts. This is the one
module of the order logic that speaks to Pulumi; what each hook does lives in ``order/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.settings import (
    CONFIG_KEYS,
    Connection,
    ProviderSettings,
    connection_of,
    provider_settings,
    stack_config,
)
from sinch_numbers.resources.number_order.check import check_order
from sinch_numbers.resources.number_order.create import create_order
from sinch_numbers.resources.number_order.diff import diff_order
from sinch_numbers.resources.number_order.lifecycle import delete_order, read_order, update_order
from sinch_numbers.resources.number_order.outputs import SECRET_OUTPUTS

__all__ = [
    "CONFIG_KEYS",
    "ENGINE_LOG",
    "SECRET_OUTPUTS",
    "NumberOrderError",
    "NumberOrderProvider",
    "ProviderSettings",
    "SettingsError",
    "SinchProvider",
    "program_settings",
    "provider_settings",
    "report",
    "stack_config",
]


class SettingsError(ConfigurationError, pulumi.RunError):
    """Missing or malformed Sinch settings, found while the program runs. The language host shows
    a ``pulumi.RunError`` as its message alone, one line, where it shows any other exception with
    its traceback; it stays a ``ConfigurationError`` for code that catches that."""


def program_settings() -> ProviderSettings:
    """The settings as the plugin will read them, read in the program: the ``sinch:`` stack
    config, then the ``SINCH_*`` variables. Raises :class:`SettingsError`.

    ``pulumi.runtime.get_config`` is what ``pulumi.Config("sinch").get`` reads; the secret key
    is read as plain text because a lookup must authenticate while the program runs, and it goes
    no further than the client: never into a resource, an output or a message.
    """
    try:
        return provider_settings(stack_config(pulumi.runtime.get_config))
    except ConfigurationError as error:
        raise SettingsError(str(error), missing=error.missing, malformed=error.malformed) from None


ENGINE_LOG = Log.prefixed("sinch: ", info=pulumi.log.info, warn=pulumi.log.warn)
"""Where the order logic's messages go inside the plugin: the engine's diagnostics."""


def report(message: str) -> None:
    """Progress a user should see, as the engine shows it for every sinch resource."""
    ENGINE_LOG.info(message)


class SinchProvider(ResourceProvider):
    """What every sinch provider shares: settings read fresh in each plugin process (stack
    config through ``configure``, then the environment), and nothing pickled.

    Holds no per-call state: the plugin shares one instance across up to four concurrent calls.
    """

    serialize_as_secret_always = True

    def __init__(self) -> None:
        super().__init__()
        self._config: dict[str, str] = {}

    # Pickle nothing: whatever is on the instance would land in every user's state.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._config = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def configure(self, req: ConfigureRequest) -> None:
        self._config = stack_config(req.config.get)

    def _settings(self) -> ProviderSettings:
        return provider_settings(self._config)

    def _connection(self) -> Connection:
        return connection_of(self._config)

    def _connect(self) -> Callable[[], Connection]:
        """The connection, read when the logic first needs one; a core function with this
        call's config, so the logic calls down into it rather than back up into the hook."""
        return partial(connection_of, self._config)


class NumberOrderProvider(SinchProvider):
    """Orders numbers with KYC through the Sinch Numbers API."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_order(olds, news, self._settings, ENGINE_LOG)
        return CheckResult(inputs, [CheckFailure(p, r) for p, r in failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = diff_order(self._connect(), id_, olds, news, ENGINE_LOG)
        return DiffResult(
            changes=plan.changes,
            replaces=list(plan.replaces),
            stables=None,
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        order_id, outputs = create_order(self._connection(), props, ENGINE_LOG)
        return CreateResult(order_id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = read_order(self._connection(), id_, props, ENGINE_LOG)
        if found is None:
            return ReadResult("", {})
        outputs, inputs = found
        return ReadResult(id_, outputs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(update_order(self._connection(), id_, olds, news, ENGINE_LOG))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        delete_order(self._connection(), id_, props, ENGINE_LOG)
