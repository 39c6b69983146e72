"""The ``pulumi.dynamic`` plugin process, started and spoken to the way the engine does it.

:class:`PluginProcess` launches ``python -u -m pulumi.dynamic`` exactly as the CLI's
``pulumi-resource-pulumi-python`` shim does, serves it a stand-in engine, collects what it prints
and makes the gRPC calls (each one recorded). What the calls mean, and their marshalling, is
:class:`~sinch_numbers.testing.plugin.DynamicProviderPlugin`'s.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2_grpc

from sinch_numbers.core.journal import ENV_STATE_DIR

from .project import PLUGIN_PACKAGE, normalise_config, read_project_name
from .values import reveal

__all__ = ["CallRecord", "EngineLogRecord", "PluginCallError", "PluginStartError"]


class PluginStartError(RuntimeError):
    """The plugin process did not come up."""


class PluginCallError(Exception):
    """A gRPC call to the plugin failed; ``details`` is what the engine would show (a traceback)."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{method} failed with {code.name}: {details}")
        self.method = method
        self.code = code
        self.details = details


@dataclass(frozen=True)
class CallRecord:
    method: str
    urn: str


@dataclass(frozen=True)
class EngineLogRecord:
    severity: str
    message: str
    urn: str


class _FakeEngine(engine_pb2_grpc.EngineServicer):
    # The dynamic plugin ignores the engine address today (pulumi.log goes to stderr); this server
    # exists so a future SDK that does phone home is captured instead of failing.
    def __init__(self) -> None:
        self.logs: list[EngineLogRecord] = []
        self._lock = threading.Lock()

    def Log(self, request: Any, context: Any) -> Any:
        severity = engine_pb2.LogSeverity.Name(request.severity)
        with self._lock:
            self.logs.append(EngineLogRecord(severity, request.message, request.urn))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


class PluginProcess:
    """One ``python -m pulumi.dynamic`` process and its channel; a new config needs a new one."""

    def __init__(
        self,
        project_dir: str | os.PathLike[str] = ".",
        *,
        config: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        inherit_env: bool = True,
        project: str | None = None,
        stack: str = "test",
        extra_pythonpath: Sequence[str | os.PathLike[str]] = (),
        python: str = sys.executable,
        start_timeout: float = 30.0,
        call_timeout: float = 120.0,
        on_output: Callable[[str], None] | None = None,
    ) -> None:
        self.project_dir = Path(project_dir).resolve()
        # Called with each line the plugin prints, as it prints it (a demo shows progress live).
        self.on_output = on_output
        self.project = project or read_project_name(self.project_dir) or self.project_dir.name
        self.stack = stack
        self.config: dict[str, Any] = normalise_config(config or {}, self.project)
        self.env: dict[str, str] = dict(env or {})
        self.inherit_env = inherit_env
        self.extra_pythonpath = [str(Path(p).resolve()) for p in extra_pythonpath]
        self.python = python
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout

        self._proc: subprocess.Popen[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: Any = None
        self._engine = _FakeEngine()
        self._engine_server: grpc.Server | None = None
        self._engine_addr = ""
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        # Every line in arrival order, as (severity the engine shows it with, text).
        self._lines: list[tuple[str, str]] = []
        self._out_lock = threading.Condition()
        self._readers: list[threading.Thread] = []
        self._port_ready = threading.Event()
        self._port: int | None = None
        self._calls: list[CallRecord] = []
        self._calls_lock = threading.Lock()
        self._own_record: Path | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def engine_address(self) -> str:
        if self._engine_server is None:
            raise RuntimeError("plugin not started")
        return self._engine_addr

    def start(self) -> None:
        if self._proc is not None:
            raise RuntimeError("plugin already started")
        self._engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self._engine, self._engine_server)
        engine_port = self._engine_server.add_insecure_port("127.0.0.1:0")
        self._engine_server.start()
        self._engine_addr = f"127.0.0.1:{engine_port}"

        self._port_ready.clear()
        self._port = None
        # Calls are per process: a restarted plugin starts a fresh record with its bring-up.
        self.clear_calls()
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            self._argv(),
            cwd=self.project_dir,
            env=self._process_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._proc.stdout is not None
        assert self._proc.stderr is not None
        self._readers = [
            threading.Thread(target=self._pump, args=(self._proc.stdout, True), daemon=True),
            threading.Thread(target=self._pump, args=(self._proc.stderr, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        try:
            self._connect()
        except BaseException:
            # Whatever failed, the process and the engine server must not outlive the attempt.
            self.close()
            raise

    def _argv(self) -> list[str]:
        """The engine's command line: its shim runs `python -u -m pulumi.dynamic <engine>`."""
        return [self.python, "-u", "-m", "pulumi.dynamic", self._engine_addr]

    def _connect(self) -> None:
        if not self._port_ready.wait(self.start_timeout) or self._port is None:
            raise PluginStartError(
                f"pulumi.dynamic did not print its port within {self.start_timeout}s;"
                f" stderr:\n{self.stderr_text()}"
            )
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self._port}")
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        except grpc.FutureTimeoutError:
            raise PluginStartError(
                f"pulumi.dynamic printed port {self._port} but did not answer on it within "
                f"{self.start_timeout}s"
            ) from None
        self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        self._bring_up()

    def restart(
        self, *, config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        """New process (configure runs once per plugin instance), optionally new config/env."""
        self.close()
        if config is not None:
            self.config = normalise_config(config, self.project)
        if env is not None:
            self.env = dict(env)
        with self._out_lock:
            self._stdout.clear()
            self._stderr.clear()
            self._lines.clear()
        self.start()

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
            self._stub = None
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            for reader in self._readers:
                reader.join(timeout=5)
            self._readers = []
        if self._engine_server is not None:
            self._engine_server.stop(0)
            self._engine_server = None

    def _private_record(self) -> Path:
        if self._own_record is None:
            self._own_record = Path(tempfile.mkdtemp(prefix="sinch-numbers-record-"))
            weakref.finalize(self, shutil.rmtree, self._own_record, True)
        return self._own_record

    def _process_env(self) -> dict[str, str]:
        env = dict(os.environ) if self.inherit_env else {"PATH": os.environ.get("PATH", "")}
        env.update(self.env)
        if ENV_STATE_DIR not in self.env:
            # Never the user's own record of interrupted creates (inherited or by default
            # under $XDG_STATE_HOME): a test's orders are noted, and looked for, in a record
            # of this plugin's own, kept across its restarts. ``env`` may name a shared one.
            env[ENV_STATE_DIR] = str(self._private_record())
        env["PULUMI_PROJECT"] = self.project
        # The engine passes the config namespaced to the plugin's own package here; for
        # `pulumi-python` that is normally nothing, the real config arrives in Configure.
        own = {
            k.split(":", 1)[1]: reveal(v)
            for k, v in self.config.items()
            if k.split(":", 1)[0] == PLUGIN_PACKAGE
        }
        env["PULUMI_CONFIG"] = json.dumps(own)
        if self.extra_pythonpath:
            parts = [*self.extra_pythonpath]
            if env.get("PYTHONPATH"):
                parts.append(env["PYTHONPATH"])
            env["PYTHONPATH"] = os.pathsep.join(parts)
        return env

    def _pump(self, stream: IO[bytes], is_stdout: bool) -> None:
        first = is_stdout
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            if first:
                first = False
                with contextlib.suppress(ValueError):
                    self._port = int(line.strip())
                self._port_ready.set()
                if self._port is not None:
                    continue
            with self._out_lock:
                (self._stdout if is_stdout else self._stderr).append(line)
                # The engine shows a plugin's stdout as info and its stderr as "info#err".
                self._lines.append(("info" if is_stdout else "info#err", line.rstrip("\n")))
                self._out_lock.notify_all()
            if self.on_output is not None:
                self.on_output(line.rstrip("\n"))
        if is_stdout:
            self._port_ready.set()

    def output_mark(self) -> int:
        """A position in the plugin's output, for :meth:`messages_since`."""
        with self._out_lock:
            return len(self._lines)

    def messages_since(self, mark: int, *, settle: float = 0.05) -> list[tuple[str, str]]:
        """The lines printed after ``mark``, as (severity, text) the engine would show.

        A call's answer can arrive before the reader threads have collected what was printed
        during it, so this first waits until no new line has come for ``settle`` seconds.
        """
        with self._out_lock:
            seen = len(self._lines)
            while self._out_lock.wait(settle) and len(self._lines) != seen:
                seen = len(self._lines)
            return list(self._lines[mark:])

    def stdout_text(self) -> str:
        """Everything the plugin printed to stdout after its port line (``print`` in providers)."""
        with self._out_lock:
            return "".join(self._stdout)

    def stderr_text(self) -> str:
        """The plugin's stderr: ``pulumi.log`` output, warnings and crash tracebacks."""
        with self._out_lock:
            return "".join(self._stderr)

    @property
    def engine_logs(self) -> list[EngineLogRecord]:
        return list(self._engine.logs)

    def wait_for_output(self, text: str, timeout: float = 10.0) -> bool:
        """Whether ``text`` shows up in stdout or stderr within ``timeout`` seconds.

        A call's gRPC answer can arrive before a reader thread has collected what the provider
        printed during that call, so a test looking for a log line waits for it here.
        """
        deadline = time.monotonic() + timeout
        with self._out_lock:
            while text not in "".join(self._stdout) + "".join(self._stderr):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._out_lock.wait(remaining)
            return True

    def output_text(self) -> str:
        """stdout + stderr + engine log messages: everything a user could see; grep it for leaks."""
        logs = "".join(f"{r.severity}: {r.message}\n" for r in self._engine.logs)
        return self.stdout_text() + self.stderr_text() + logs

    @property
    def calls(self) -> list[CallRecord]:
        with self._calls_lock:
            return list(self._calls)

    def clear_calls(self) -> None:
        with self._calls_lock:
            self._calls.clear()

    def _bring_up(self) -> None:
        """What the engine does once the plugin answers, before any resource call."""

    def _call(self, method: str, request: Any, urn: str) -> Any:
        if self._stub is None:
            raise RuntimeError("plugin not started")
        with self._calls_lock:
            self._calls.append(CallRecord(method, urn))
        try:
            return getattr(self._stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            raise self._call_error(method, exc) from None

    def _call_error(self, method: str, exc: grpc.RpcError) -> PluginCallError:
        """The error a refused call raises (a subclass may read more of the status)."""
        return PluginCallError(method, exc.code(), exc.details() or "")
