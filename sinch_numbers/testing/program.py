"""Run a real Pulumi program under ``pulumi.runtime.set_mocks``, forwarding dynamic resources to
the real ``pulumi.dynamic`` plugin process through
:class:`~sinch_numbers.testing.plugin.EngineSimulator`.

This is a test double, not an engine: resources are processed in registration order (no
dependency graph), and protect, aliases, ignore_changes, transforms, imports, component
providers and parallelism are not modelled. Everything a dynamic provider sees (its calls, their
marshalling, its config) is what the engine would send it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import logging
import os
import re
import runpy
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import empty_pb2
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from . import state_file as state_files
from .plugin import (
    UNKNOWN,
    DynamicProviderPlugin,
    EngineError,
    EngineSimulator,
    Op,
    OperationResult,
    PluginCallError,
    ResourceSpec,
    ResourceState,
    Secret,
    Step,
    _normalise_config,
    _read_project_name,
    make_urn,
)

__all__ = ["EngineMocks", "ProgramResult", "ProgramRunner", "from_sdk", "to_sdk"]

_STACK_TYPE = "pulumi:pulumi:Stack"
_DYNAMIC_PREFIX = "pulumi-python:dynamic"


def from_sdk(value: Any) -> Any:
    """SDK wire form (wrapped secrets, ``Unknown()``) -> the harness model (Secret, UNKNOWN)."""
    if rpc.is_rpc_secret(value):
        return Secret(from_sdk(rpc.unwrap_rpc_secret(value)))
    if isinstance(value, pulumi.output.Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: from_sdk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_sdk(v) for v in value]
    return value


def to_sdk(value: Any) -> Any:
    """The harness model -> what a monitor hands back to the SDK (secrets become secret Outputs)."""
    if isinstance(value, Secret):
        return rpc.wrap_rpc_secret(to_sdk(value.value))
    if isinstance(value, dict):
        return {k: to_sdk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_sdk(v) for v in value]
    return value


@dataclass
class ProgramResult:
    kind: str
    ok: bool
    error: str | None = None
    """Why the operation failed, in one paragraph (the exception's message, not its traceback);
    the whole text the engine showed is in :attr:`details`."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """Stack outputs; a secret output is a :class:`Secret`, an unknown one (preview) is UNKNOWN."""
    steps: list[Step] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)
    """URNs the program registered, in order (all types)."""
    check_failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)
    """(severity, text) of every diagnostic the operation showed: ``("warning", "sinch: ...")``."""
    output: str = ""
    """Everything the operation printed, as a user would see it."""
    details: str | None = None
    """The failure in full, tracebacks included, as the engine shows it."""

    @property
    def warnings(self) -> list[str]:
        """What providers warned of (``pulumi.log.warn``), without the ``warning: `` prefix:
        e.g. ``"sinch: credentials are not configured, so the inputs were checked offline"``."""
        found = []
        for severity, text in self.messages:
            if text.startswith("warning: "):
                found.append(text[len("warning: ") :])
            elif severity == "warning":
                found.append(text)
        return found

    def ops(self) -> dict[str, Op]:
        """Resource name -> operation done (create/update/replace/same/delete/...)."""
        return {s.name: s.op for s in self.steps}

    def op(self, name: str) -> Op | None:
        return self.ops().get(name)


class _HarnessResourceArgs(pulumi.runtime.MockResourceArgs):
    # What the engine knows about a registration beyond what MockResourceArgs carries.
    urn: str | None = None
    additional_secret_outputs: tuple[str, ...] = ()
    delete_before_replace: bool = False
    protect: bool = False
    retain_on_delete: bool = False


class _HarnessMonitor(pulumi_mocks.MockMonitor):
    # MockMonitor hands Mocks.new_resource only typ/name/inputs; the engine also honours
    # additionalSecretOutputs and deleteBeforeReplace, so they are read off the request here.
    def __init__(self, mocks: EngineMocks) -> None:
        super().__init__(mocks)
        self.harness = mocks

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine does not qualify a child of the root stack with the stack's type (the mock
        # monitor does); state URNs must match the engine's for the simulator to find them again.
        if parent and parent == self.harness.stack_urn:
            parent = ""
        return str(super().make_urn(parent, type_, name))

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == _STACK_TYPE:
            self.harness.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        args = _HarnessResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=rpc.deserialize_properties(request.object),
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        args.urn = urn
        args.additional_secret_outputs = tuple(request.additionalSecretOutputs)
        args.delete_before_replace = bool(request.deleteBeforeReplace)
        args.protect = bool(request.protect)
        args.retain_on_delete = bool(request.retainOnDelete)
        self.harness.registered.append(urn)
        mock_id, state = self.harness.new_resource(args)
        id_ = mock_id or ""
        obj = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn == self.harness.stack_urn:
            outs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
            self.harness.stack_outputs = from_sdk(outs)
            self.harness.stack_outputs_registered = True
        return empty_pb2.Empty()


class EngineMocks(pulumi.runtime.Mocks):
    """Mocks forwarding ``pulumi-python:dynamic*`` resources to an :class:`EngineSimulator`.

    Other resource types are echoed (id ``<name>_id``, outputs = inputs) unless ``fallback``
    mocks are given.
    """

    def __init__(
        self,
        simulator: EngineSimulator,
        *,
        preview: bool,
        fallback: pulumi.runtime.Mocks | None = None,
        read_only: bool = False,
    ) -> None:
        self.simulator = simulator
        self.preview = preview
        self.fallback = fallback
        # refresh --run-program: the program runs only to compute outputs; each registration
        # answers with what the state holds, and nothing is checked, planned or changed.
        self.read_only = read_only
        self.steps_result = OperationResult("preview" if preview else "up")
        self.registered: list[str] = []
        self.stack_urn: str | None = None
        self.stack_outputs: dict[str, Any] = {}
        self.stack_outputs_registered = False

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        """Dynamic resources go to the simulator (and the plugin); returns SDK wire form.

        Under the plain ``MockMonitor`` (``set_mocks(EngineMocks(...))`` without
        :class:`ProgramRunner`) ``additional_secret_outputs`` and ``delete_before_replace`` are
        not visible here; :class:`ProgramRunner`'s monitor passes them.
        """
        if args.typ.startswith(_DYNAMIC_PREFIX) and args.custom is not False and self.read_only:
            urn = getattr(args, "urn", None) or self.simulator.urn(args.name, args.typ)
            self.registered.append(urn)
            held = self.simulator.state.get(urn)
            if held is None:
                return UNKNOWN, to_sdk(from_sdk(args.inputs))
            return held.id, to_sdk(held.outputs)
        if args.typ.startswith(_DYNAMIC_PREFIX) and args.custom is not False:
            spec = ResourceSpec(
                name=args.name,
                urn=getattr(args, "urn", None),
                inputs=from_sdk(args.inputs),
                type=args.typ,
                additional_secret_outputs=getattr(args, "additional_secret_outputs", ()),
                delete_before_replace=getattr(args, "delete_before_replace", False),
                protect=getattr(args, "protect", False),
                retain_on_delete=getattr(args, "retain_on_delete", False),
            )
            id_, state = self.simulator.register(
                spec, preview=self.preview, result=self.steps_result
            )
            return id_, to_sdk(state)
        if self.fallback is not None:
            return self.fallback.new_resource(args)
        return f"{args.name}_id", dict(args.inputs)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if self.fallback is not None:
            return self.fallback.call(args)
        return {}, None


@contextlib.contextmanager
def _program_environment(project_dir: Path | None, env: Mapping[str, str]) -> Iterator[None]:
    # The language host runs __main__.py with the project dir as cwd and first on sys.path.
    old_cwd = Path.cwd()
    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    if project_dir is not None:
        os.chdir(project_dir)
        sys.path.insert(0, str(project_dir))
    try:
        yield
    finally:
        if project_dir is not None:
            os.chdir(old_cwd)
            with contextlib.suppress(ValueError):
                sys.path.remove(str(project_dir))
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class ProgramRunner:
    """preview / up / refresh / destroy of one program and one stack, without the Pulumi CLI.

    ``program`` is a zero-argument callable, a project directory holding ``__main__.py``, or the
    path of a ``__main__.py``. ``config`` is the stack config (``{"sinch:keyId": "...",
    "sinch:keySecret": Secret("...")}``; keys without a namespace get the project's), given to the
    program (``pulumi.Config``) and to the plugin's ``Configure``. ``env`` is set for the plugin
    process and, while the program runs, for this process. State persists between calls.

    The plugin process is started afresh for each operation, as the engine starts one per command
    (``fresh_plugin_per_operation``; a shared ``plugin`` is kept unless asked otherwise).
    ``state_file`` keeps the state on disk between processes, secrets left out
    (:mod:`sinch_numbers.testing.state_file`): a test that dies leaves its orders findable.
    """

    def __init__(
        self,
        program: Callable[[], Any] | str | os.PathLike[str],
        *,
        project_dir: str | os.PathLike[str] | None = None,
        config: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        project: str | None = None,
        stack: str = "test",
        extra_pythonpath: Sequence[str | os.PathLike[str]] = (),
        fallback_mocks: pulumi.runtime.Mocks | None = None,
        logger: logging.Logger | None = None,
        plugin: DynamicProviderPlugin | None = None,
        fresh_plugin_per_operation: bool | None = None,
        state_file: str | os.PathLike[str] | None = None,
        **plugin_options: Any,
    ) -> None:
        self._program_fn: Callable[[], Any]
        main_py: Path | None = None
        if callable(program):
            self._program_fn = program
        else:
            path = Path(program).resolve()
            main_py = path / "__main__.py" if path.is_dir() else path
            if not main_py.is_file():
                raise FileNotFoundError(main_py)
            if project_dir is None:
                project_dir = main_py.parent
        self._main_py = main_py
        self.project_dir = Path(project_dir).resolve() if project_dir is not None else Path.cwd()
        self.project = (
            project
            or (plugin.project if plugin is not None else None)
            or _read_project_name(self.project_dir)
            or self.project_dir.name
        )
        self.stack = stack
        self.config: dict[str, Any] = dict(config or {})
        self.env: dict[str, str] = dict(env or {})
        self.fallback_mocks = fallback_mocks
        self.logger = logger
        # A shared plugin (e.g. one per test module) is reused while config and env match.
        self._owns_plugin = plugin is None
        # The engine starts the plugin afresh for every CLI command: per-process caches (a token,
        # looked-up requirements) do not outlive an operation. A shared plugin trades that for
        # speed, so it is kept unless asked otherwise.
        self.fresh_plugin_per_operation = (
            self._owns_plugin if fresh_plugin_per_operation is None else fresh_plugin_per_operation
        )
        self._plugin_served = False
        self.plugin = plugin or DynamicProviderPlugin(
            self.project_dir,
            config=self.config,
            env=self.env,
            project=self.project,
            stack=stack,
            extra_pythonpath=extra_pythonpath,
            **plugin_options,
        )
        self.simulator = EngineSimulator(self.plugin, project=self.project, stack=stack)
        self.stack_outputs: dict[str, Any] = {}
        """The stack outputs as the last completed ``up`` left them (``pulumi stack output``)."""
        self.saved_config: dict[str, Any] | None = None
        """The stack config as the last ``up`` saved it with the state's provider."""
        self.state_file = Path(state_file) if state_file is not None else None
        if self.state_file is not None:
            state, outputs = state_files.load(self.state_file)
            self.simulator.state.update(state)
            self.stack_outputs = outputs
            self.simulator.on_restored = state_files.fill_dropped

    # -- plumbing ---------------------------------------------------------------------------

    def __enter__(self) -> ProgramRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_plugin:
            self.plugin.close()

    @property
    def state(self) -> dict[str, ResourceState]:
        return self.simulator.state

    def resource(self, name: str) -> ResourceState:
        """The state of the resource called ``name`` (KeyError when not in state)."""
        return self.simulator.resource(name)

    def _begin(self, config: Mapping[str, Any] | None = None) -> None:
        """Start of an operation: a plugin process of its own, as the engine gives each command."""
        if self.fresh_plugin_per_operation and self._plugin_served and self.plugin.running:
            self.plugin.restart(config=self.config if config is None else config, env=self.env)
        else:
            self._ensure_plugin(config)
        self._plugin_served = True

    def _ensure_plugin(self, config: Mapping[str, Any] | None = None) -> None:
        """A plugin configured with ``config`` (default: the current stack config)."""
        chosen = self.config if config is None else config
        wanted = _normalised(self.plugin, chosen)
        if self.plugin.running and self.plugin.config == wanted and self.plugin.env == self.env:
            return
        if self.plugin.running:
            self.plugin.restart(config=chosen, env=self.env)
        else:
            self.plugin.config = wanted
            self.plugin.env = dict(self.env)
            self.plugin.start()

    def _program_config(self) -> tuple[dict[str, str], list[str]]:
        normalised = _normalised(self.plugin, self.config)
        values = {k: str(v.value if isinstance(v, Secret) else v) for k, v in normalised.items()}
        secret_keys = [k for k, v in normalised.items() if isinstance(v, Secret)]
        return values, secret_keys

    def _call_program(self) -> None:
        if self._main_py is not None:
            runpy.run_path(str(self._main_py), run_name="__main__")
        else:
            self._program_fn()

    def _run(self, preview: bool, *, read_only: bool = False) -> ProgramResult:
        self._ensure_plugin()
        mark = self.plugin.output_mark()
        mocks = EngineMocks(
            self.simulator, preview=preview, fallback=self.fallback_mocks, read_only=read_only
        )
        monitor = _HarnessMonitor(mocks)
        config, secret_keys = self._program_config()
        error: str | None = None

        def run() -> None:
            nonlocal error
            loop = asyncio.new_event_loop()
            loop.set_exception_handler(_quiet_unretrieved)
            asyncio.set_event_loop(loop)
            try:
                # A placeholder root stops set_mocks from registering a throwaway Stack, so the
                # only stack outputs the monitor sees are the program's own.
                pulumi_settings.ROOT.set(object())  # type: ignore[arg-type]
                pulumi.runtime.set_mocks(
                    mocks,
                    project=self.project,
                    stack=self.stack,
                    preview=preview,
                    monitor=monitor,
                    logger=self.logger,
                )
                pulumi_settings.ROOT.set(None)
                pulumi_settings.SETTINGS.outputs = set()
                set_all_config(config, secret_keys)
                with _program_environment(self.project_dir if self._main_py else None, self.env):
                    loop.run_until_complete(run_in_stack(self._call_program))
            except BaseException as exc:
                error = _describe(exc)
            finally:
                for task in asyncio.all_tasks(loop):
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        loop.run_until_complete(task)
                # Registrations run in the loop's executor and go on when the program fails;
                # like the engine, the run ends only once every operation in flight has ended.
                loop.run_until_complete(loop.shutdown_default_executor())
                loop.close()
                asyncio.set_event_loop(None)

        # Its own thread: the event loop set for the program must not replace the caller's, and
        # a copied context keeps the SDK's settings and config out of the caller's.
        context = contextvars.copy_context()
        worker = threading.Thread(target=context.run, args=(run,), name="pulumi-program")
        worker.start()
        worker.join()

        steps_result = mocks.steps_result
        if not preview:
            # The engine records the provider's config with the state: a plain refresh or
            # destroy later runs with these settings, not with the stack config of that day.
            self.saved_config = dict(self.config)
        if error is None and not read_only:
            # Like the engine: only a program that completed may cause deletions.
            wanted = set(mocks.registered)
            try:
                if preview:
                    for urn in reversed(list(self.simulator.state)):
                        if urn not in wanted:
                            steps_result.steps.append(
                                Step(Op.DELETE, urn, {"id": self.simulator.state[urn].id})
                            )
                else:
                    self.simulator.delete_unwanted(wanted, steps_result)
            except (EngineError, PluginCallError) as exc:
                error = str(exc)
        if not preview and mocks.stack_outputs_registered:
            self.stack_outputs = dict(mocks.stack_outputs)
        return self._result(
            "preview" if preview else "up",
            error,
            steps_result,
            mark,
            outputs=mocks.stack_outputs if preview else self.stack_outputs,
            registered=list(mocks.registered),
        )

    def _result(
        self,
        kind: str,
        error: str | None,
        steps: OperationResult,
        mark: int,
        *,
        outputs: dict[str, Any],
        registered: list[str] | None = None,
    ) -> ProgramResult:
        if self.state_file is not None and kind != "preview":
            state_files.save(self.state_file, self.simulator.state, self.stack_outputs)
        messages = self.plugin.messages_since(mark)
        for urn, failures in steps.check_failures.items():
            name, type_ = urn.split("::")[-1], urn.split("::")[-2]
            for prop, reason in failures:
                where = f": property {prop}" if prop else ""
                messages.append(
                    ("error", f"{type_} resource '{name}'{where} has a problem: {reason}")
                )
        if error is not None and not steps.check_failures:
            messages.append(("error", error))
        return ProgramResult(
            kind=kind,
            ok=error is None,
            error=summarize(error) if error is not None else None,
            details=error,
            outputs=dict(outputs),
            steps=list(steps.steps),
            registered=registered or [],
            check_failures=dict(steps.check_failures),
            messages=messages,
            output="\n".join(text for _severity, text in messages),
        )

    # -- operations -------------------------------------------------------------------------

    def preview(self, *, refresh: bool = False) -> ProgramResult:
        """Run the program with ``preview=True``: the plugin sees Check and Diff only.

        ``refresh=True`` is ``pulumi preview --refresh``: Read every resource first, and plan
        against what it returned without saving it.
        """
        if not refresh:
            self._begin()
            return self._run(preview=True)
        saved = {urn: dataclasses.replace(res) for urn, res in self.simulator.state.items()}
        try:
            return self._refreshed_first(self.refresh(), self._run, True)
        finally:
            self.simulator.state.clear()
            self.simulator.state.update(saved)
            if self.state_file is not None:
                state_files.save(self.state_file, self.simulator.state, self.stack_outputs)

    def up(self, *, refresh: bool = False) -> ProgramResult:
        """``refresh=True`` is ``pulumi up --refresh``: Read every resource, save, then run."""
        if not refresh:
            self._begin()
            return self._run(preview=False)
        return self._refreshed_first(self.refresh(), self._run, False)

    @staticmethod
    def _refreshed_first(
        refreshed: ProgramResult, run: Callable[[bool], ProgramResult], preview: bool
    ) -> ProgramResult:
        if not refreshed.ok:
            return refreshed
        result = run(preview)
        result.steps[:0] = refreshed.steps
        result.messages[:0] = refreshed.messages
        return result

    def refresh(self, *, run_program: bool = False) -> ProgramResult:
        """Read every resource in state, as ``pulumi refresh`` does.

        As with the engine, the provider runs with the settings saved at the last ``up`` (so
        rotated credentials need ``run_program=True``), and the stack outputs stay what the
        program last set. ``run_program=True`` is ``--run-program``: today's stack config, and
        the program runs afterwards to bring the stack outputs up to date.
        """
        self._begin(None if run_program else self.saved_config)
        mark = self.plugin.output_mark()
        res = self.simulator.refresh()
        if run_program and res.ok:
            rerun = self._run(preview=False, read_only=True)
            res.steps.extend(s for s in rerun.steps if s.op is not Op.REFRESH)
            if rerun.error is not None:
                res.error = rerun.error
        return self._result("refresh", res.error, res, mark, outputs=self.stack_outputs)

    def destroy(self, *, run_program: bool = False) -> ProgramResult:
        """Delete every resource in state with the provider blob saved at the last ``up``, and
        (as the engine) the settings saved then, unless ``run_program=True``."""
        self._begin(None if run_program else self.saved_config)
        mark = self.plugin.output_mark()
        res = self.simulator.destroy()
        if res.ok:
            self.stack_outputs = {}
        return self._result("destroy", res.error, res, mark, outputs=self.stack_outputs)

    def urn(self, type_: str, name: str) -> str:
        return make_urn(self.project, self.stack, type_, name)


def _normalised(plugin: DynamicProviderPlugin, config: Mapping[str, Any]) -> dict[str, Any]:
    return _normalise_config(config, plugin.project)


def _quiet_unretrieved(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # A failed registration leaves the SDK's futures holding the same exception the run already
    # reports as its error; asyncio would log each one again as "never retrieved".
    if "never retrieved" in str(context.get("message", "")):
        return
    loop.default_exception_handler(context)


def _describe(exc: BaseException) -> str:
    # The engine shows the whole traceback of a failed program; it is kept as `details`.
    return "".join(traceback.format_exception(exc))


_EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?([A-Z]\w*(?:Error|Exception|Failure)): (.+)$")


def summarize(text: str) -> str:
    """One paragraph for a failure: the message of the innermost exception a traceback ends
    with (its class name kept), or the text itself when it holds no traceback."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        match = _EXCEPTION_LINE.match(line)
        if match:
            return f"{match.group(1)}: {match.group(2)}"
    return " ".join(lines)
