"""Run a Pulumi program through the real Pulumi CLI, with the same face as :class:`ProgramRunner`.

:class:`PulumiCliRunner` drives ``pulumi preview`` / ``up`` / ``refresh`` / ``destroy`` with the
Automation API against a local file backend in a temporary folder: no Pulumi Cloud, no update check,
no plugin downloads, and nothing written into the project. Programs run *inline*: the Automation
API serves the language runtime from this process (``--client``), so only the ``pulumi`` binary and
the ``pulumi-resource-pulumi-python`` plugin script are needed, not the Python language host.

Results are :class:`~sinch_numbers.testing.results.ProgramResult` values, like the simulator's, so a
test can run one scenario through both and compare (the operations come from the engine's event
stream, the check failures from its diagnostics).
"""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sinch_numbers.core.journal import ENV_STATE_DIR
from sinch_numbers.core.processes import process_stat

from .cli_events import Capture, check_failures, from_export, summary
from .project import DYNAMIC_TYPE_PREFIX, normalise_config, program_environment, read_project_name
from .results import ProgramResult
from .simulator import ResourceState, resource_named
from .values import Secret

__all__ = ["CliNotFoundError", "PulumiCli", "PulumiCliRunner", "find_pulumi_cli"]

ENV_PULUMI_BIN = "SINCH_NUMBERS_PULUMI_BIN"
"""A folder with ``pulumi`` and ``pulumi-resource-pulumi-python``: what ``make pulumi`` prints."""

_PLUGIN_SCRIPT = "pulumi-resource-pulumi-python"

ENV_RUNNER_MARK = "SINCH_NUMBERS_CLI_RUNNER"
"""Set to a value of its own in every command of one runner, and inherited by the engine's
plugins: how the runner tells the processes it started from every other process on the machine."""


class CliNotFoundError(RuntimeError):
    """No usable Pulumi CLI: ``make pulumi`` builds one, or install it the official way."""


@dataclass(frozen=True)
class PulumiCli:
    """A Pulumi CLI installation: the folder holding ``pulumi`` and the dynamic-provider plugin."""

    bin_dir: Path

    @property
    def executable(self) -> Path:
        return self.bin_dir / "pulumi"

    def version(self) -> str:
        done = subprocess.run(  # noqa: S603 - our own binary, fixed arguments
            [str(self.executable), "version"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
        )
        return done.stdout.strip()

    @property
    def has_language_host(self) -> bool:
        """Whether ``pulumi-language-python`` is installed (needed only outside inline programs)."""
        return self._has_host("python")

    @property
    def has_yaml_host(self) -> bool:
        """Whether ``pulumi-language-yaml`` is installed: what runs a ``runtime: yaml`` project."""
        return self._has_host("yaml")

    def _has_host(self, language: str) -> bool:
        # The engine looks for a language host beside the `pulumi` binary, then on PATH.
        name = f"pulumi-language-{language}"
        return (self.bin_dir / name).is_file() or bool(shutil.which(name))


def _usable(bin_dir: Path) -> bool:
    plugin = bin_dir / _PLUGIN_SCRIPT
    if not plugin.is_file():
        found = shutil.which(_PLUGIN_SCRIPT)
        plugin = Path(found) if found else plugin
    return os.access(bin_dir / "pulumi", os.X_OK) and os.access(plugin, os.X_OK)


def find_pulumi_cli(bin_dir: str | os.PathLike[str] | None = None) -> PulumiCli | None:
    """The CLI in ``bin_dir``, else in ``$SINCH_NUMBERS_PULUMI_BIN``, else ``pulumi`` on PATH."""
    candidates: list[Path] = []
    if bin_dir is not None:
        candidates.append(Path(bin_dir))
    if os.environ.get(ENV_PULUMI_BIN):
        candidates.append(Path(os.environ[ENV_PULUMI_BIN]))
    on_path = shutil.which("pulumi")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for candidate in candidates:
        if _usable(candidate):
            return PulumiCli(candidate.resolve())
    return None


def _venv_of_this_python() -> Path | None:
    prefix = Path(sys.prefix)
    in_venv = sys.prefix != sys.base_prefix and (prefix / "bin" / "python").exists()
    return prefix if in_venv else None


class PulumiCliRunner:
    """preview / up / refresh / destroy of one program and one stack, through the real CLI.

    ``program`` is a zero-argument callable, a project directory holding ``__main__.py``, or the
    path of a ``__main__.py``; a project directory is copied into the runner's own folder first,
    so paths relative to it keep working and the CLI writes nothing into it. ``config`` is the
    stack config, as for :class:`ProgramRunner` (``Secret`` values are set with ``--secret``).
    ``env`` reaches the CLI, and through it the provider plugin; it is also set in this process
    while the program runs. State persists between calls, in a file backend under ``work_dir``.
    """

    def __init__(
        self,
        program: Callable[[], Any] | str | os.PathLike[str],
        *,
        config: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        project: str | None = None,
        stack: str = "test",
        cli: PulumiCli | None = None,
        work_dir: str | os.PathLike[str] | None = None,
        virtualenv: str | os.PathLike[str] | None = None,
        passphrase: str = "sinch-numbers-test",  # noqa: S107 - encrypts a throwaway test stack
        on_output: Callable[[str], None] | None = None,
    ) -> None:
        found = cli or find_pulumi_cli()
        if found is None:
            raise CliNotFoundError(
                "no Pulumi CLI found: run `make pulumi` (or install the CLI) and put its bin "
                f"folder on PATH or in ${ENV_PULUMI_BIN}"
            )
        self.cli = found
        self._own_dir = work_dir is None
        self.root = Path(work_dir or tempfile.mkdtemp(prefix="sinch-numbers-cli-")).resolve()
        self.project_dir = self.root / "project"
        self.project_dir.mkdir(parents=True, exist_ok=True)
        self._program_fn: Callable[[], Any] | None = None
        self._main_py: Path | None = None
        source_name: str | None = None
        if callable(program):
            self._program_fn = program
        else:
            path = Path(program).resolve()
            source = path if path.is_dir() else path.parent
            source_name = read_project_name(source)
            shutil.copytree(
                source,
                self.project_dir,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__", ".pytest_cache"),
            )
            self._main_py = self.project_dir / (path.name if path.is_file() else "__main__.py")
            if not self._main_py.is_file():
                raise FileNotFoundError(self._main_py)
        self.project = project or source_name or "sinch-numbers-test"
        self.stack_name = stack
        self.config: dict[str, Any] = dict(config or {})
        self.env: dict[str, str] = dict(env or {})
        venv = Path(virtualenv) if virtualenv is not None else _venv_of_this_python()
        self.virtualenv = venv.resolve() if venv is not None else None
        self.passphrase = passphrase
        self.backend = self.root / "backend"
        self.pulumi_home = self.root / "home"
        self.backend.mkdir(exist_ok=True)
        self.pulumi_home.mkdir(exist_ok=True)
        self.transcript: list[str] = []
        """Every line every CLI command of this runner printed (stdout and stderr)."""
        self.on_output = on_output
        """Called with each line an operation prints, as it prints it (a demo shows it live)."""
        self.last_engine_seconds: float | None = None
        """How long the engine itself took in the last operation: from its first event to its
        summary, without starting the CLI or the Automation API's follow-up commands."""
        self._stack: Any = None
        self._applied_config: dict[str, Any] | None = None
        self._mark = f"{ENV_RUNNER_MARK}={uuid.uuid4().hex}".encode()
        self._keep_preview = False

    # -- plumbing ---------------------------------------------------------------------------

    def __enter__(self) -> PulumiCliRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stop_leftover_plugins()
        if self._own_dir:
            shutil.rmtree(self.root, ignore_errors=True)

    def cli_env(self) -> dict[str, str]:
        """The environment every command of this runner gets (a local, offline engine)."""
        env = {
            "PULUMI_BACKEND_URL": self.backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": self.passphrase,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_HOME": str(self.pulumi_home),
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            "PATH": os.pathsep.join([str(self.cli.bin_dir), os.environ.get("PATH", "")]),
        }
        name, value = self._mark.decode().split("=", 1)
        env[name] = value
        if self.virtualenv is not None:
            # With --client the engine passes no runtime options to the plugin script, which then
            # falls back to `python3` on PATH; name the virtualenv for it.
            env["PULUMI_RUNTIME_VIRTUALENV"] = str(self.virtualenv)
        # The runner's own record of interrupted creates, never the user's; ``env`` may name one.
        env[ENV_STATE_DIR] = str(self.root / "sinch-numbers-state")
        env.update(self.env)
        return env

    def _runtime_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"toolchain": "pip"}
        if self.virtualenv is not None:
            options["virtualenv"] = str(self.virtualenv)
        return options

    def _workspace_stack(self) -> Any:
        from pulumi import automation as auto

        if self._stack is None:
            root = self.root / "cli"
            if self.cli.bin_dir.name == "bin":
                root = self.cli.bin_dir.parent
            else:
                (root).mkdir(exist_ok=True)
                link = root / "bin"
                if not link.exists():
                    link.symlink_to(self.cli.bin_dir, target_is_directory=True)
            settings = auto.ProjectSettings(
                name=self.project,
                runtime=auto.ProjectRuntimeInfo(name="python", options=self._runtime_options()),
            )
            options = auto.LocalWorkspaceOptions(
                work_dir=str(self.project_dir),
                pulumi_home=str(self.pulumi_home),
                env_vars=self.cli_env(),
                project_settings=settings,
                pulumi_command=self._command_class(auto.PulumiCommand)(
                    root=str(root), skip_version_check=True
                ),
            )
            self._stack = auto.create_or_select_stack(
                stack_name=self.stack_name,
                project_name=self.project,
                program=self._run_program,
                opts=options,
            )
        self._stack.workspace.env_vars = self.cli_env()
        self._sync_config()
        return self._stack

    def _command_class(self, base: type[Any]) -> type[Any]:
        """The CLI as the Automation API runs it, except that an up may keep its preview."""
        runner = self

        class Command(base):  # type: ignore[misc]
            def run(self, args: list[str], *rest: Any, **options: Any) -> Any:
                if runner._keep_preview and args[:1] == ["up"]:
                    args = [a for a in args if a != "--skip-preview"]
                return super().run(args, *rest, **options)

        return Command

    def _sync_config(self) -> None:
        from pulumi import automation as auto

        wanted = normalise_config(self.config, self.project)
        if wanted == self._applied_config:
            return
        stack = self._stack
        previous = self._applied_config or {}
        gone = [k for k in previous if k not in wanted]
        if gone:
            stack.remove_all_config(gone)
        stack.set_all_config(
            {
                key: auto.ConfigValue(
                    value=str(value.value if isinstance(value, Secret) else value),
                    secret=isinstance(value, Secret),
                )
                for key, value in wanted.items()
            }
        )
        self._applied_config = wanted

    def _run_program(self) -> None:
        # The language host runs __main__.py with the project folder as working directory and
        # first on sys.path; an inline program gets the same, and the runner's env while it runs.
        with program_environment(self.project_dir, self.env):
            if self._main_py is not None:
                runpy.run_path(str(self._main_py), run_name="__main__")
            elif self._program_fn is not None:
                self._program_fn()

    # -- operations -------------------------------------------------------------------------

    def _operation(self, kind: str, call: Callable[..., Any], **options: Any) -> ProgramResult:
        from pulumi.automation.errors import CommandError

        capture = Capture(echo=self.on_output)
        error: str | None = None
        try:
            call(on_output=capture.line, on_error=capture.line, on_event=capture.event, **options)
        except CommandError as exc:
            error = str(exc)
        self.transcript.extend(capture.lines)
        if capture.prelude_at is not None and capture.summary_at is not None:
            self.last_engine_seconds = capture.summary_at - capture.prelude_at
        outputs: dict[str, Any] = {}
        if kind != "preview":
            outputs = self.outputs()
        return ProgramResult(
            kind=kind,
            ok=error is None,
            error=summary(capture.diagnostics, error) if error is not None else None,
            details=error,
            outputs=outputs,
            steps=list(capture.steps),
            check_failures=check_failures(capture.diagnostics),
            messages=[(severity, message) for severity, _urn, message in capture.diagnostics],
            output=capture.text,
        )

    def preview(self, **options: Any) -> ProgramResult:
        """``pulumi preview``; ``options`` are the Automation API's (``refresh=True``, ...)."""
        stack = self._workspace_stack()
        return self._operation("preview", stack.preview, **options)

    def up(self, *, with_preview: bool = False, **options: Any) -> ProgramResult:
        """``pulumi up --yes``; ``options`` are the Automation API's.

        The Automation API's up skips the preview. ``with_preview=True`` runs the plain
        ``pulumi up --yes`` a user types instead: one command in which the engine previews, then
        updates, each pass with provider plugins of its own.
        """
        stack = self._workspace_stack()
        self._keep_preview = with_preview
        try:
            return self._operation("up", stack.up, **options)
        finally:
            self._keep_preview = False

    def refresh(self, **options: Any) -> ProgramResult:
        stack = self._workspace_stack()
        return self._operation("refresh", stack.refresh, **options)

    def destroy(self, **options: Any) -> ProgramResult:
        stack = self._workspace_stack()
        return self._operation("destroy", stack.destroy, **options)

    # -- state ------------------------------------------------------------------------------

    def outputs(self) -> dict[str, Any]:
        """The stack outputs; a secret output is a :class:`Secret`."""
        stack = self._workspace_stack()
        return {
            key: Secret(value.value) if value.secret else value.value
            for key, value in stack.outputs().items()
        }

    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """``pulumi stack export`` (without ``--show-secrets`` unless asked) as parsed JSON.

        A ``show_secrets`` export is left out of :attr:`transcript`: it shows secrets on purpose.
        """
        args = ["stack", "export"] + (["--show-secrets"] if show_secrets else [])
        done = self.run_cli(*args, check=True, record=not show_secrets)
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    @property
    def state(self) -> dict[str, ResourceState]:
        """The stack's dynamic resources by URN, read from the exported state (secrets shown)."""
        deployment = self.export(show_secrets=True).get("deployment", {})
        found: dict[str, ResourceState] = {}
        for resource in deployment.get("resources") or []:
            if not str(resource.get("type", "")).startswith(DYNAMIC_TYPE_PREFIX):
                continue
            found[resource["urn"]] = ResourceState(
                urn=resource["urn"],
                id=resource.get("id", ""),
                inputs=from_export(resource.get("inputs") or {}),
                outputs=from_export(resource.get("outputs") or {}),
                additional_secret_outputs=tuple(resource.get("additionalSecretOutputs") or ()),
            )
        return found

    def resource(self, name: str) -> ResourceState:
        """The state of the resource called ``name`` (KeyError when not in state)."""
        return resource_named(self.state.values(), name)

    def pending_operations(self) -> list[dict[str, Any]]:
        deployment = self.export().get("deployment", {})
        return list(deployment.get("pending_operations") or [])

    def urn(self, type_: str, name: str) -> str:
        return f"urn:pulumi:{self.stack_name}::{self.project}::{type_}::{name}"

    def run_cli(
        self, *args: str, check: bool = False, timeout: float = 600, record: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Any ``pulumi`` command against this stack (``--stack`` and ``--non-interactive`` added).

        The stack must exist (any operation creates it). Commands that run the program need the
        Python language host, which inline runs do not: use the operations for those.
        """
        self._workspace_stack()
        done = subprocess.run(  # noqa: S603 - our own binary
            [str(self.cli.executable), *args, "--stack", self.stack_name, "--non-interactive"],
            cwd=self.project_dir,
            env={**os.environ, **self.cli_env()},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if record:
            self.transcript.extend((done.stdout + done.stderr).splitlines())
        if check and done.returncode != 0:
            raise RuntimeError(f"pulumi {' '.join(args)} failed: {done.stdout}{done.stderr}")
        return done

    def kill_when(
        self, ready: Callable[[], bool], *, target: str = "cli", poll: float = 0.05
    ) -> threading.Thread:
        """SIGKILL this runner's ``pulumi`` process (``target="cli"``) or its provider plugins
        (``target="plugin"``) once ``ready()`` holds. Start it before an operation: the
        operation then fails the way an interrupted run does.

        Only processes this runner started are killed: a ``pulumi`` this process started with
        the runner's environment, plugins that inherited it. Another run of the same binary
        (another test, another CI job, a developer's own) is never touched."""
        if target not in ("cli", "plugin"):
            raise ValueError("target must be 'cli' or 'plugin'")

        def watch() -> None:
            while not ready():
                threading.Event().wait(poll)
            pids = self._cli_pids() if target == "cli" else self._plugin_pids()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

        thread = threading.Thread(target=watch, daemon=True, name=f"kill-{target}")
        thread.start()
        return thread

    def _own_processes(self) -> list[_Process]:
        """The processes whose environment carries this runner's mark: started by it."""
        return [p for p in _processes() if self._mark in p.environ.split(b"\0")]

    def _cli_pids(self) -> list[int]:
        """This runner's ``pulumi`` commands: children of this process, with its mark."""
        target = str(self.cli.executable.resolve())
        parent = os.getpid()
        return [p.pid for p in self._own_processes() if p.exe == target and p.parent == parent]

    def _plugin_pids(self) -> list[int]:
        """This runner's plugin processes (a killed ``pulumi`` leaves them to init, so they are
        found by the mark they inherited, not by their parent)."""
        return [p.pid for p in self._own_processes() if _is_our_plugin(p.pid)]

    def stop_leftover_plugins(self) -> int:
        """Kill plugin processes a killed ``pulumi`` left running (the engine would have
        stopped them); returns how many there were."""
        pids = self._plugin_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(pids)


def _is_our_plugin(pid: int) -> bool:
    """The dynamic provider's plugin, or the package's (``pulumi-resource-sinch``)."""
    with contextlib.suppress(OSError):
        cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes()
        return b"pulumi.dynamic" in cmdline or b"pulumi-resource-sinch" in cmdline
    return False


@dataclass(frozen=True)
class _Process:
    pid: int
    parent: int
    exe: str
    environ: bytes


def _processes() -> list[_Process]:
    """The processes whose executable, parent and environment can be read."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = process_stat(int(entry.name))
        if stat is None:
            continue
        with contextlib.suppress(OSError):
            found.append(
                _Process(
                    int(entry.name),
                    stat.parent,
                    os.readlink(entry / "exe"),
                    (entry / "environ").read_bytes(),
                )
            )
    return found
