"""Run a real Pulumi program under ``pulumi.runtime.set_mocks``, forwarding dynamic resources to
the real ``pulumi.dynamic`` plugin process through
:class:`~sinch_numbers.testing.simulator.EngineSimulator`.

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
import runpy
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import set_all_config
from pulumi.runtime.stack import run_in_stack

from . import _pulumi_private as private
from . import state_file as state_files
from .mocks import EngineMocks, HarnessMonitor
from .plugin import DynamicProviderPlugin
from .plugin_process import PluginCallError
from .project import make_urn, normalise_config, program_environment, read_project_name
from .results import ProgramResult, summarize
from .simulator import EngineError, EngineSimulator, Op, OperationResult, ResourceState
from .values import Secret

__all__ = ["ProgramRunner"]


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
            or read_project_name(self.project_dir)
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
        monitor = HarnessMonitor(mocks)
        config, secret_keys = self._program_config()
        error: str | None = None

        def run() -> None:
            nonlocal error
            loop = asyncio.new_event_loop()
            loop.set_exception_handler(_quiet_unretrieved)
            asyncio.set_event_loop(loop)
            try:
                private.set_placeholder_root()
                pulumi.runtime.set_mocks(
                    mocks,
                    project=self.project,
                    stack=self.stack,
                    preview=preview,
                    monitor=monitor,
                    logger=self.logger,
                )
                private.reset_root_and_outputs()
                set_all_config(config, secret_keys)
                with program_environment(self.project_dir if self._main_py else None, self.env):
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
                    self.simulator.plan_deletions(wanted, steps_result)
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
    return normalise_config(config, plugin.project)


def _quiet_unretrieved(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # A failed registration leaves the SDK's futures holding the same exception the run already
    # reports as its error; asyncio would log each one again as "never retrieved".
    if "never retrieved" in str(context.get("message", "")):
        return
    loop.default_exception_handler(context)


def _describe(exc: BaseException) -> str:
    # The engine shows the whole traceback of a failed program; it is kept as `details`.
    return "".join(traceback.format_exception(exc))
