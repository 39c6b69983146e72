"""The package's provider: the engine's calls, on Pulumi's experimental provider interface,
mapped onto each resource's logic (``plugin.resources``) through the boundary (``plugin.wire``).

Every call that may block (the HTTP client is synchronous) runs on :data:`WORKERS`, a pool sized
for ``pulumi up --parallel``, never on the event loop: one blocking call there would serialise
every resource of the run.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources as package_files
from typing import TYPE_CHECKING, Any, TypeVar

from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import PropertyValue

from sinch_numbers.configuration import KEY_SECRET, STACK_KEYS
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.plugin.calls import Call, Incomplete, Plain
from sinch_numbers.plugin.engine_log import EngineLog
from sinch_numbers.plugin.wire import Names, Secrecy, engine_value, is_unknown, plain, spell

if TYPE_CHECKING:
    from sinch_numbers.core.log import Log
    from sinch_numbers.plugin.resources import PackageResource

T = TypeVar("T")

WORKER_THREADS = 64
"""Blocking calls served at once: more than the ``--parallel`` of most runs, which is what
bounds the load on the API (asyncio's own pool would give 6 threads on two cores). The API
client keeps as many connections."""
WORKERS = ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="sinch-plugin")


class InitFailed(SinchNumbersError):
    """The resource exists but did not finish: answered as ``ErrorResourceInitFailed``."""

    def __init__(
        self,
        resource_id: str,
        properties: dict[str, PropertyValue],
        inputs: dict[str, PropertyValue],
        reason: str,
    ) -> None:
        super().__init__(reason)
        self.resource_id = resource_id
        self.properties = properties
        self.inputs = inputs
        self.reason = reason


class UnknownToken(SinchNumbersError):
    """The engine asked for a resource or function this package does not have."""


class SinchPackageProvider(p.Provider):
    """The ``sinch`` package: NumberOrder, ActiveNumber, NumberOrderCompletion and the two
    lookups, over the one logic the dynamic resources use."""

    def __init__(self, engine_log: EngineLog | None = None) -> None:
        self._engine_log = engine_log or EngineLog(None)
        self._config: dict[str, str] = {}
        self._cancelled = threading.Event()
        self._resources: dict[str, PackageResource] | None = None
        self._resources_lock = threading.Lock()

    # -- what every call shares ------------------------------------------------------------

    @property
    def cancelled(self) -> threading.Event:
        """Set by the engine's Cancel: every wait in flight ends at once."""
        return self._cancelled

    def _resource(self, token: str) -> PackageResource:
        with self._resources_lock:
            if self._resources is None:
                from sinch_numbers.plugin.resources import package_resources

                self._resources = package_resources()
            found = self._resources.get(token)
        if found is None:
            raise UnknownToken(f"the {PACKAGE} package has no resource {token}")
        return found

    def _call(self, urn: str) -> Call:
        from sinch_numbers.core.settings import connection_of, provider_settings

        config = dict(self._config)
        return Call(
            urn=urn,
            log=self._log(urn),
            settings=functools.partial(provider_settings, config),
            connect=functools.partial(connection_of, config),
            cancelled=self._cancelled.is_set,
        )

    def _log(self, urn: str) -> Log:
        from sinch_numbers.core.log import Log

        engine = self._engine_log

        def info(message: str) -> None:
            engine.info(spell(message), urn=urn)

        def warn(message: str) -> None:
            engine.warn(spell(message), urn=urn)

        return Log.prefixed("sinch: ", info=info, warn=warn)

    @staticmethod
    async def _blocking(fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(WORKERS, functools.partial(fn, *args))

    # -- the provider's own configuration --------------------------------------------------

    async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
        # Generated from the declarations (python -m sinch_numbers.codegen), shipped in the wheel.
        schema = package_files.files("sinch_numbers.plugin").joinpath("schema.json")
        return p.GetSchemaResponse(schema=schema.read_text(encoding="utf-8"))

    async def check_config(self, request: p.CheckRequest) -> p.CheckResponse:
        secret_key = _config_name(KEY_SECRET.stack_key or "")
        inputs = {
            k: v.with_secret(True) if k == secret_key else v for k, v in request.new_inputs.items()
        }
        failures = [
            p.CheckFailure(k, "must be a string, true or false")
            for k, v in request.new_inputs.items()
            if k in _CONFIG_NAMES and _malformed_config(plain(v))
        ]
        return p.CheckResponse(inputs=inputs, failures=failures)

    async def diff_config(self, request: p.DiffRequest) -> p.DiffResponse:
        olds = {k: plain(v) for k, v in request.old_state.items() if k in _CONFIG_NAMES}
        news = {k: plain(v) for k, v in request.new_inputs.items() if k in _CONFIG_NAMES}
        changed = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        return p.DiffResponse(
            changes=bool(changed),
            diffs=changed,
            detailed_diff={
                k: p.PropertyDiff(p.PropertyDiffKind.UPDATE, input_diff=True) for k in changed
            },
        )

    async def configure(self, request: p.ConfigureRequest) -> p.ConfigureResponse:
        from sinch_numbers.core.settings import stack_config

        args = {k: plain(v) for k, v in request.args.items()}
        variables = dict(request.variables)

        def get(key: str) -> Any:
            name = _config_name(key)
            value = _config_text(args.get(name))
            if value:
                return value
            # Older engines send the config only as "sinch:config:<name>" variables.
            return variables.get(f"{PACKAGE}:config:{name}")

        self._config = stack_config(get)
        return p.ConfigureResponse(
            accept_secrets=True, supports_preview=True, accept_resources=False
        )

    async def cancel(self) -> None:
        # The engine also calls this at the end of every normal run: it only ends waits, so a
        # call after it (none is expected) still reads, updates and deletes.
        self._cancelled.set()

    # -- resources ---------------------------------------------------------------------------
    # Each call runs whole on a worker thread: the logic blocks, and its first use imports the
    # HTTP client and the KYC models, which must not hold the event loop either.

    async def check(self, request: p.CheckRequest) -> p.CheckResponse:
        return await self._blocking(self._check, request)

    async def diff(self, request: p.DiffRequest) -> p.DiffResponse:
        return await self._blocking(self._diff, request)

    async def create(self, request: p.CreateRequest) -> p.CreateResponse:
        return await self._blocking(self._create, request)

    async def read(self, request: p.ReadRequest) -> p.ReadResponse:
        return await self._blocking(self._read, request)

    async def update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        return await self._blocking(self._update, request)

    async def delete(self, request: p.DeleteRequest) -> None:
        await self._blocking(self._delete, request)

    async def invoke(self, request: p.InvokeRequest) -> p.InvokeResponse:
        return await self._blocking(self._invoke, request)

    def _check(self, request: p.CheckRequest) -> p.CheckResponse:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        olds = names.unwrap(request.old_inputs)
        news = names.unwrap(request.new_inputs)
        call = self._call(request.urn)
        inputs, failures = resource.check(olds.values, news.values, call)
        return p.CheckResponse(
            inputs=names.wrap(inputs, secret=news.secret),
            failures=[p.CheckFailure(names.path(field), spell(rule)) for field, rule in failures],
        )

    def _diff(self, request: p.DiffRequest) -> p.DiffResponse:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        olds = names.unwrap(request.old_state).values
        news = names.unwrap(request.new_inputs).values
        found = resource.diff(request.resource_id, olds, news, self._call(request.urn))
        replaces = [names.name(k) for k in found.replaces]
        detailed: dict[str, p.PropertyDiff] = {}
        if found.changes:
            for name in _changed_inputs(resource, olds, news):
                kind = _diff_kind(name in olds, name in news, name in found.replaces)
                detailed[names.name(name)] = p.PropertyDiff(kind, input_diff=True)
            for name in found.replaces:
                detailed.setdefault(
                    names.name(name), p.PropertyDiff(p.PropertyDiffKind.UPDATE_REPLACE, True)
                )
        return p.DiffResponse(
            changes=found.changes,
            replaces=replaces,
            diffs=sorted(detailed),
            detailed_diff=detailed,
            delete_before_replace=False,
        )

    def _create(self, request: p.CreateRequest) -> p.CreateResponse:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        given = names.unwrap(request.properties)
        if request.preview:
            outputs = resource.preview_outputs(given.values)
            return p.CreateResponse(None, names.wrap(outputs, secret=given.secret))
        try:
            resource_id, outputs = resource.create(given.values, self._call(request.urn))
        except Incomplete as incomplete:
            raise _init_failed(names, incomplete, given.secret) from None
        return p.CreateResponse(resource_id, names.wrap(outputs, secret=given.secret))

    def _read(self, request: p.ReadRequest) -> p.ReadResponse:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        state = names.unwrap(request.properties)
        inputs = names.unwrap(request.inputs)
        secret = state.secret | inputs.secret
        found = resource.read(
            request.resource_id, state.values, inputs.values, self._call(request.urn)
        )
        if found is None:
            # Proven gone: an empty id tells the engine to drop it from the stack.
            return p.ReadResponse(resource_id=None, properties={}, inputs={})
        return p.ReadResponse(
            resource_id=found.resource_id,
            properties=names.wrap(found.outputs, secret=secret),
            inputs=names.wrap(found.inputs, secret=secret),
        )

    def _update(self, request: p.UpdateRequest) -> p.UpdateResponse:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        olds = names.unwrap(request.olds)
        news = names.unwrap(request.news)
        secret = olds.secret | news.secret
        if request.preview:
            echoed = {k: v for k, v in news.values.items() if k in resource.schema.echoed_inputs}
            return p.UpdateResponse(names.wrap({**olds.values, **echoed}, secret=secret))
        try:
            outputs = resource.update(
                request.resource_id, olds.values, news.values, self._call(request.urn)
            )
        except Incomplete as incomplete:
            raise _init_failed(names, incomplete, secret) from None
        return p.UpdateResponse(names.wrap(outputs, secret=secret))

    def _delete(self, request: p.DeleteRequest) -> None:
        resource = self._resource(request.type)
        names = Names(resource.schema, resource.properties)
        state = names.unwrap(request.properties).values
        resource.delete(request.resource_id, state, self._call(request.urn))

    def _invoke(self, request: p.InvokeRequest) -> p.InvokeResponse:
        from sinch_numbers.plugin.functions import invoke

        args = {k: plain(v) for k, v in request.args.items()}
        result = invoke(request.tok, args, self._call("").settings)
        return p.InvokeResponse(return_value={k: engine_value(v) for k, v in result.items()})


# The package is named by its config keys' namespace (``sinch:``), read from the one table
# rather than from codegen, which the first answers must not wait to import.
PACKAGE = KEY_SECRET.stack_key.split(":", 1)[0] if KEY_SECRET.stack_key else "sinch"
_CONFIG_NAMES = frozenset(key.split(":", 1)[1] for key in STACK_KEYS.values())
"""The provider's inputs: each ``sinch:`` key's name (``keyId``)."""


def _config_name(stack_key: str) -> str:
    return stack_key.split(":", 1)[-1]


def _malformed_config(value: Any) -> bool:
    return value is not None and not is_unknown(value) and _config_text(value) is None


def _config_text(value: Any) -> str | None:
    """A config value as the settings read it: text; a YAML program's bare true/false (or a
    number) as the text ``pulumi config set`` would have stored; None for anything else (an
    unknown value included: the setting is then unset, as for the dynamic provider)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value if isinstance(value, str) else None


def _changed_inputs(resource: PackageResource, olds: Plain, news: Plain) -> list[str]:
    inputs = [p.name for p in resource.properties if p.input]
    return [k for k in inputs if (k in olds or k in news) and olds.get(k) != news.get(k)]


def _diff_kind(before: bool, after: bool, replaces: bool) -> p.PropertyDiffKind:
    if not before:
        return p.PropertyDiffKind.ADD_REPLACE if replaces else p.PropertyDiffKind.ADD
    if not after:
        return p.PropertyDiffKind.DELETE_REPLACE if replaces else p.PropertyDiffKind.DELETE
    return p.PropertyDiffKind.UPDATE_REPLACE if replaces else p.PropertyDiffKind.UPDATE


def _init_failed(names: Names, incomplete: Incomplete, secret: Secrecy) -> InitFailed:
    return InitFailed(
        incomplete.resource_id,
        names.wrap(incomplete.outputs, secret=secret),
        names.wrap(incomplete.inputs, secret=secret),
        spell(incomplete.reason),
    )
