"""Drive the real ``pulumi.dynamic`` plugin process over gRPC, the way the Pulumi engine does.

The Pulumi CLI is not needed: :class:`DynamicProviderPlugin` starts ``python -u -m pulumi.dynamic``
exactly as the CLI's ``pulumi-resource-pulumi-python`` shim does, brings it up in the engine's order
and marshals every call the way the engine marshals for a provider that does not accept secrets.
:class:`EngineSimulator` adds the engine's step logic (preview / up / refresh / destroy) over one
plugin and keeps a state of resources between operations.

Values are plain Python data. A secret is :class:`Secret` (the engine's ``resource.MakeSecret``),
an unknown (preview only) is the string :data:`UNKNOWN` (the sentinel the engine puts on the wire).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Final

import grpc
import pulumi
from google.protobuf import empty_pb2, struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, provider_pb2, provider_pb2_grpc

__all__ = [
    "DEFAULT_DYNAMIC_TYPE",
    "PROVIDER_KEY",
    "UNKNOWN",
    "CallRecord",
    "CheckFailedError",
    "CheckOutcome",
    "DiffOutcome",
    "DynamicProviderPlugin",
    "EngineError",
    "EngineLogRecord",
    "EngineSimulator",
    "Op",
    "OperationResult",
    "PluginCallError",
    "PluginStartError",
    "ReadOutcome",
    "ResourceSpec",
    "ResourceState",
    "Secret",
    "Step",
    "annotate_secrets",
    "contains_secrets",
    "contains_unknowns",
    "dynamic_type",
    "import_root",
    "make_urn",
    "provider_property",
    "reveal",
]

UNKNOWN: Final[str] = rpc.UNKNOWN
"""The engine's wire sentinel for a value not known during preview."""

PROVIDER_KEY: Final[str] = "__provider"
DEFAULT_DYNAMIC_TYPE: Final[str] = "pulumi-python:dynamic:Resource"

_SIG_KEY: Final[str] = rpc._special_sig_key
_SECRET_SIG: Final[str] = rpc._special_secret_sig
_ASSET_SIG: Final[str] = rpc._special_asset_sig
_ARCHIVE_SIG: Final[str] = rpc._special_archive_sig

# The engine registers the dynamic plugin under this package name; Configure's legacy
# `variables` map is keyed "<package>:config:<key>" with it.
_PLUGIN_PACKAGE: Final[str] = "pulumi-python"


# --------------------------------------------------------------------------------------------
# Value model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    """A secret value, as the engine holds it in state."""

    value: Any

    def __repr__(self) -> str:
        # Test failure output must not print the secret itself.
        return "Secret(***)"


def is_unknown(value: Any) -> bool:
    return (isinstance(value, str) and value == UNKNOWN) or isinstance(value, pulumi.output.Unknown)


def _any_leaf(value: Any, hit: Callable[[Any], bool]) -> bool:
    """Whether ``hit`` holds for the value or anything inside it (secrets are looked into)."""
    if hit(value):
        return True
    if isinstance(value, Secret):
        return _any_leaf(value.value, hit)
    if isinstance(value, Mapping):
        return any(_any_leaf(v, hit) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_any_leaf(v, hit) for v in value)
    return False


def contains_unknowns(value: Any) -> bool:
    return _any_leaf(value, is_unknown)


def contains_secrets(value: Any) -> bool:
    return _any_leaf(value, lambda v: isinstance(v, Secret))


def reveal(value: Any) -> Any:
    """Strip every :class:`Secret` wrapper: what the engine sends a plugin without secrets."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return value


def annotate_secrets(outs: dict[str, Any] | None, ins: Mapping[str, Any] | None) -> None:
    """Re-mark outputs secret the way the engine does after a call to a plugin without secrets.

    Same-named keys only; two objects are recursed into so one secret field does not taint a
    whole structure; any other output whose input contained a secret becomes secret entirely.
    """
    if outs is None or ins is None:
        return
    for key, in_value in ins.items():
        if key not in outs:
            continue
        out_value = outs[key]
        if isinstance(out_value, dict) and isinstance(in_value, Mapping):
            annotate_secrets(out_value, in_value)
        elif not isinstance(out_value, Secret) and contains_secrets(in_value):
            outs[key] = Secret(out_value)


def _apply_additional_secret_outputs(outs: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in outs and not isinstance(outs[name], Secret):
            outs[name] = Secret(outs[name])


def _asset_hash(asset: Any) -> str | None:
    # The engine hashes assets when the program registers them; a missing file simply has no hash.
    try:
        if isinstance(asset, pulumi.StringAsset):
            return hashlib.sha256(asset.text.encode()).hexdigest()
        if isinstance(asset, pulumi.FileAsset):
            return hashlib.sha256(Path(str(asset.path)).read_bytes()).hexdigest()
    except OSError:
        return None
    return None


def _to_value(
    value: Any, *, keep_secrets: bool, keep_unknowns: bool, elide_assets: bool
) -> struct_pb2.Value | None:
    """Marshal one value like the engine's ``MarshalPropertyValue``; None means "drop it"."""
    kw = {
        "keep_secrets": keep_secrets,
        "keep_unknowns": keep_unknowns,
        "elide_assets": elide_assets,
    }
    if is_unknown(value):
        # Outside preview the engine silently drops unknowns instead of sending them.
        return struct_pb2.Value(string_value=UNKNOWN) if keep_unknowns else None
    if value is None:
        return struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
    if isinstance(value, Secret):
        inner = _to_value(value.value, **kw)
        if not keep_secrets or inner is None:
            return inner
        wrapped = struct_pb2.Struct()
        wrapped.fields[_SIG_KEY].string_value = _SECRET_SIG
        wrapped.fields["value"].CopyFrom(inner)
        return struct_pb2.Value(struct_value=wrapped)
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, int | float):
        return struct_pb2.Value(number_value=float(value))
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value)
    if isinstance(value, pulumi.Asset):
        return _asset_to_value(value, elide_assets)
    if isinstance(value, pulumi.Archive):
        return _archive_to_value(value, elide_assets)
    if isinstance(value, Mapping):
        return struct_pb2.Value(struct_value=_to_struct(value, **kw))
    if isinstance(value, list | tuple):
        items = [_to_value(v, **kw) for v in value]
        null = struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
        return struct_pb2.Value(
            list_value=struct_pb2.ListValue(values=[v if v is not None else null for v in items])
        )
    raise TypeError(f"cannot marshal a value of type {type(value).__name__} to the engine wire")


def _asset_to_value(asset: Any, elide: bool) -> struct_pb2.Value:
    obj: dict[str, Any] = {_SIG_KEY: _ASSET_SIG}
    digest = _asset_hash(asset)
    if digest is not None:
        obj["hash"] = digest
    if not elide:
        for attr in ("path", "text", "uri"):
            if hasattr(asset, attr):
                obj[attr] = str(getattr(asset, attr))
                break
    return struct_pb2.Value(
        struct_value=_to_struct(obj, keep_secrets=False, keep_unknowns=False, elide_assets=elide)
    )


def _archive_to_value(archive: Any, elide: bool) -> struct_pb2.Value:
    obj: dict[str, Any] = {_SIG_KEY: _ARCHIVE_SIG}
    if not elide:
        if hasattr(archive, "assets"):
            obj["assets"] = archive.assets
        elif hasattr(archive, "path"):
            obj["path"] = str(archive.path)
        elif hasattr(archive, "uri"):
            obj["uri"] = str(archive.uri)
    return struct_pb2.Value(
        struct_value=_to_struct(obj, keep_secrets=False, keep_unknowns=False, elide_assets=elide)
    )


def _to_struct(
    props: Mapping[str, Any], *, keep_secrets: bool, keep_unknowns: bool, elide_assets: bool
) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    for key, value in props.items():
        marshalled = _to_value(
            value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, elide_assets=elide_assets
        )
        if marshalled is not None:
            out.fields[key].CopyFrom(marshalled)
    return out


def _from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "null_value" or kind is None:
        return None
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        return value.number_value
    if kind == "string_value":
        return value.string_value
    if kind == "list_value":
        return [_from_value(v) for v in value.list_value.values]
    return _from_struct_value(value.struct_value)


def _from_struct_value(struct: struct_pb2.Struct) -> Any:
    if _SIG_KEY in struct.fields:
        sig = struct.fields[_SIG_KEY].string_value
        if sig == _SECRET_SIG:
            return Secret(_from_value(struct.fields["value"]))
        if sig in (_ASSET_SIG, _ARCHIVE_SIG):
            return rpc.deserialize_properties(struct)
    return _from_struct(struct)


def _from_struct(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    if struct is None:
        return {}
    return {k: _from_value(v) for k, v in struct.fields.items()}


# --------------------------------------------------------------------------------------------
# Helpers for building what a program would register
# --------------------------------------------------------------------------------------------


def dynamic_type(module: str = "", name: str = "Resource") -> str:
    """The type token ``class X(Resource, module=..., name=...)`` registers."""
    return f"pulumi-python:dynamic{'/' + module if module else ''}:{name}"


def make_urn(project: str, stack: str, type_: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def provider_property(provider: ResourceProvider) -> Any:
    """``__provider`` as ``pulumi.dynamic.Resource`` builds it (a :class:`Secret` by default)."""
    from pulumi.runtime._serialization import _serialize

    blob, contains = _serialize(True, serialize_provider, provider)
    if getattr(provider, "serialize_as_secret_always", True) or contains:
        return Secret(blob)
    return blob


def import_root(module: ModuleType | str) -> Path:
    """The ``sys.path`` entry that makes ``module`` importable under its current name.

    A provider class is pickled by reference (module path + class name); the plugin process must be
    able to import that module, so pass this to ``extra_pythonpath``.
    """
    mod = sys.modules[module] if isinstance(module, str) else module
    if mod.__file__ is None:
        raise ValueError(f"module {mod.__name__} has no file")
    path = Path(mod.__file__).resolve()
    depth = mod.__name__.count(".") + (2 if path.name == "__init__.py" else 1)
    return path.parents[depth - 1]


# --------------------------------------------------------------------------------------------
# Protocol level
# --------------------------------------------------------------------------------------------


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
class CheckOutcome:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]]


@dataclass(frozen=True)
class DiffOutcome:
    changes: bool | None
    """True = DIFF_SOME, False = DIFF_NONE, None = DIFF_UNKNOWN (the engine diffs inputs itself)."""
    replaces: list[str]
    stables: list[str]
    delete_before_replace: bool
    diffs: list[str]
    has_detailed_diff: bool


@dataclass(frozen=True)
class ReadOutcome:
    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None

    def __iter__(self) -> Iterator[Any]:
        return iter((self.id, self.outputs, self.inputs))


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


def _read_project_name(project_dir: Path) -> str | None:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        path = project_dir / candidate
        if path.is_file():
            # Only the top-level `name:` is needed; no YAML dependency for that.
            match = re.search(r"^name:\s*['\"]?([^'\"#\s]+)", path.read_text(), re.MULTILINE)
            if match:
                return match.group(1)
    return None


def _normalise_config(config: Mapping[str, Any], project: str) -> dict[str, Any]:
    """Stack config as the engine holds it: namespaced keys, string values (objects as JSON)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        full_key = key if ":" in key else f"{project}:{key}"
        secret = isinstance(value, Secret)
        raw = value.value if isinstance(value, Secret) else value
        text = raw if isinstance(raw, str) else json.dumps(raw)
        out[full_key] = Secret(text) if secret else text
    return out


class DynamicProviderPlugin:
    """One ``python -m pulumi.dynamic`` process, configured once with a stack config.

    Use as a context manager. Every method takes and returns plain dicts (see the module doc).
    A different stack config needs a new process: :meth:`restart`.
    """

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
        self.project = project or _read_project_name(self.project_dir) or self.project_dir.name
        self.stack = stack
        self.config: dict[str, Any] = _normalise_config(config or {}, self.project)
        self.env: dict[str, str] = dict(env or {})
        self.inherit_env = inherit_env
        self.extra_pythonpath = [str(Path(p).resolve()) for p in extra_pythonpath]
        self.python = python
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout

        self.plugin_version: str | None = None
        self.accept_secrets = False
        self.supports_preview = False
        self.handshake_implemented = False

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

    # -- lifecycle --------------------------------------------------------------------------

    def __enter__(self) -> DynamicProviderPlugin:
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
        # The engine's command line: the shim runs `python -u -m pulumi.dynamic <engine address>`.
        self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [self.python, "-u", "-m", "pulumi.dynamic", self._engine_addr],
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
            self.config = _normalise_config(config, self.project)
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

    def _process_env(self) -> dict[str, str]:
        env = dict(os.environ) if self.inherit_env else {"PATH": os.environ.get("PATH", "")}
        env.update(self.env)
        env["PULUMI_PROJECT"] = self.project
        # The engine passes the config namespaced to the plugin's own package here; for
        # `pulumi-python` that is normally nothing, the real config arrives in Configure.
        own = {
            k.split(":", 1)[1]: reveal(v)
            for k, v in self.config.items()
            if k.split(":", 1)[0] == _PLUGIN_PACKAGE
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

    # -- bring-up ---------------------------------------------------------------------------

    @property
    def default_provider_urn(self) -> str:
        return make_urn(self.project, self.stack, f"pulumi:providers:{_PLUGIN_PACKAGE}", "default")

    def _bring_up(self) -> None:
        try:
            resp = self._call(
                "Handshake",
                provider_pb2.ProviderHandshakeRequest(
                    engine_address=self._engine_addr,
                    root_directory=str(self.project_dir),
                    program_directory=str(self.project_dir),
                    configure_with_urn=True,
                    supports_views=True,
                    supports_refresh_before_update=True,
                ),
                "",
            )
            self.handshake_implemented = True
            self.accept_secrets = bool(resp.acceptSecrets)
        except PluginCallError as exc:
            if exc.code != grpc.StatusCode.UNIMPLEMENTED:
                raise
        info = self._call("GetPluginInfo", empty_pb2.Empty(), "")
        self.plugin_version = info.version

        urn = self.default_provider_urn
        try:
            # The engine's CheckConfig for the default provider; never with secrets.
            self._call(
                "CheckConfig",
                provider_pb2.CheckRequest(
                    urn=urn,
                    name="default",
                    type=f"pulumi:providers:{_PLUGIN_PACKAGE}",
                    olds=struct_pb2.Struct(),
                    news=self._marshal(self.config, secrets=False),
                ),
                urn,
            )
        except PluginCallError as exc:
            if exc.code != grpc.StatusCode.UNIMPLEMENTED:
                raise
        variables = {
            f"{_PLUGIN_PACKAGE}:config:{k}": str(reveal(v)) for k, v in self.config.items()
        }
        resp = self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=_to_struct(
                    self.config, keep_secrets=True, keep_unknowns=True, elide_assets=False
                ),
                acceptSecrets=True,
                acceptResources=True,
                sends_old_inputs=True,
                sends_old_inputs_to_delete=True,
                urn=urn,
                name="default",
                type=f"pulumi:providers:{_PLUGIN_PACKAGE}",
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, urn)),
            ),
            urn,
        )
        if not self.handshake_implemented:
            self.accept_secrets = bool(resp.acceptSecrets)
            self.supports_preview = bool(resp.supportsPreview)

    # -- calls ------------------------------------------------------------------------------

    def _call(self, method: str, request: Any, urn: str) -> Any:
        if self._stub is None:
            raise RuntimeError("plugin not started")
        with self._calls_lock:
            self._calls.append(CallRecord(method, urn))
        try:
            return getattr(self._stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            raise PluginCallError(method, exc.code(), exc.details() or "") from None

    def _marshal(
        self,
        props: Mapping[str, Any],
        *,
        secrets: bool | None = None,
        unknowns: bool = False,
        elide: bool = False,
    ) -> struct_pb2.Struct:
        keep = self.accept_secrets if secrets is None else secrets
        return _to_struct(props, keep_secrets=keep, keep_unknowns=unknowns, elide_assets=elide)

    def _annotate(self, outs: dict[str, Any] | None, ins: Mapping[str, Any] | None) -> None:
        if not self.accept_secrets:
            annotate_secrets(outs, ins)

    @staticmethod
    def _split(urn: str) -> tuple[str, str]:
        parts = urn.split("::")
        return parts[-1], parts[-2] if len(parts) >= 2 else ""

    def check(
        self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any], *, preview: bool = False
    ) -> CheckOutcome:
        """``Check`` with old and new inputs; unknowns are kept only in preview, like the engine."""
        name, type_ = self._split(urn)
        resp = self._call(
            "Check",
            provider_pb2.CheckRequest(
                urn=urn,
                name=name,
                type=type_,
                olds=self._marshal(olds, unknowns=preview),
                news=self._marshal(news, unknowns=preview),
                randomSeed=hashlib.sha256(urn.encode()).digest(),
            ),
            urn,
        )
        inputs = _from_struct(resp.inputs) if resp.HasField("inputs") else {}
        self._annotate(inputs, news)
        return CheckOutcome(inputs, [(f.property, f.reason) for f in resp.failures])

    def diff(
        self,
        urn: str,
        id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        preview: bool = False,
        ignore_changes: Sequence[str] = (),
    ) -> DiffOutcome:
        """``Diff``: ``olds`` are the old **outputs**, ``news`` the checked inputs."""
        name, type_ = self._split(urn)
        resp = self._call(
            "Diff",
            provider_pb2.DiffRequest(
                id=id,
                urn=urn,
                name=name,
                type=type_,
                olds=self._marshal(olds, unknowns=preview, elide=True),
                news=self._marshal(news, unknowns=preview, elide=True),
                old_inputs=self._marshal(old_inputs or {}, unknowns=preview, elide=True),
                ignoreChanges=list(ignore_changes),
            ),
            urn,
        )
        changes = {
            provider_pb2.DiffResponse.DIFF_SOME: True,
            provider_pb2.DiffResponse.DIFF_NONE: False,
        }.get(resp.changes)
        return DiffOutcome(
            changes=changes,
            replaces=list(resp.replaces),
            stables=list(resp.stables),
            delete_before_replace=bool(resp.deleteBeforeReplace),
            diffs=list(resp.diffs),
            has_detailed_diff=bool(resp.hasDetailedDiff),
        )

    def create(self, urn: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        name, type_ = self._split(urn)
        resp = self._call(
            "Create",
            provider_pb2.CreateRequest(
                urn=urn, name=name, type=type_, properties=self._marshal(props), preview=False
            ),
            urn,
        )
        if not resp.id:
            # The engine's own check: an empty id is an error, nothing is saved.
            raise PluginCallError(
                "Create",
                grpc.StatusCode.UNKNOWN,
                f"plugin returned empty resource.ID from create {urn}",
            )
        outs = _from_struct(resp.properties)
        self._annotate(outs, props)
        return resp.id, outs

    def read(
        self,
        urn: str,
        id: str,
        props: Mapping[str, Any],
        inputs: Mapping[str, Any] | None = None,
    ) -> ReadOutcome:
        """``Read`` (refresh): ``props`` are the old outputs. An empty id means it is gone."""
        name, type_ = self._split(urn)
        request = provider_pb2.ReadRequest(
            id=id, urn=urn, name=name, type=type_, properties=self._marshal(props, elide=True)
        )
        if inputs is not None:
            request.inputs.CopyFrom(self._marshal(inputs, elide=True))
        resp = self._call("Read", request, urn)
        outs = _from_struct(resp.properties)
        new_inputs = _from_struct(resp.inputs) if resp.HasField("inputs") else None
        self._annotate(new_inputs, inputs)
        self._annotate(outs, props)
        return ReadOutcome(resp.id, outs, new_inputs)

    def update(
        self,
        urn: str,
        id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
        ignore_changes: Sequence[str] = (),
    ) -> dict[str, Any]:
        name, type_ = self._split(urn)
        resp = self._call(
            "Update",
            provider_pb2.UpdateRequest(
                id=id,
                urn=urn,
                name=name,
                type=type_,
                olds=self._marshal(olds, elide=True),
                news=self._marshal(news),
                old_inputs=self._marshal(old_inputs or {}, elide=True),
                ignoreChanges=list(ignore_changes),
                preview=False,
            ),
            urn,
        )
        outs = _from_struct(resp.properties)
        self._annotate(outs, news)
        return outs

    def delete(
        self,
        urn: str,
        id: str,
        props: Mapping[str, Any],
        *,
        old_inputs: Mapping[str, Any] | None = None,
    ) -> None:
        """``Delete``: ``props`` are the outputs in state (their ``__provider`` picks the code)."""
        name, type_ = self._split(urn)
        self._call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=id,
                urn=urn,
                name=name,
                type=type_,
                properties=self._marshal(props, elide=True),
                old_inputs=self._marshal(old_inputs or {}, elide=True),
            ),
            urn,
        )


# --------------------------------------------------------------------------------------------
# Engine level
# --------------------------------------------------------------------------------------------


class Op(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    SAME = "same"
    DELETE = "delete"
    REFRESH = "refresh"
    REFRESH_REMOVED = "refresh-removed"


@dataclass(frozen=True)
class Step:
    op: Op
    urn: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.urn.split("::")[-1]


@dataclass
class ResourceState:
    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    additional_secret_outputs: tuple[str, ...] = ()
    protect: bool = False
    retain_on_delete: bool = False

    @property
    def name(self) -> str:
        return self.urn.split("::")[-1]

    @property
    def type(self) -> str:
        return self.urn.split("::")[-2]

    @property
    def secret_keys(self) -> frozenset[str]:
        return frozenset(k for k, v in self.outputs.items() if isinstance(v, Secret))


@dataclass(frozen=True)
class ResourceSpec:
    """What a program registers for one resource (its goal state)."""

    name: str
    inputs: Mapping[str, Any]
    provider: ResourceProvider | None = None
    """Builds ``__provider`` as ``dynamic.Resource`` does; or put ``__provider`` in ``inputs``."""
    type: str = DEFAULT_DYNAMIC_TYPE
    additional_secret_outputs: Sequence[str] = ()
    delete_before_replace: bool = False
    protect: bool = False
    """As the engine: a protected resource is neither deleted nor replaced."""
    retain_on_delete: bool = False
    """As the engine: deleting it only drops it from the state; the provider is not called."""
    urn: str | None = None
    """Set when the URN is not the plain ``urn:pulumi:<stack>::<project>::<type>::<name>``."""

    def goal_inputs(self) -> dict[str, Any]:
        news = dict(self.inputs)
        if self.provider is not None:
            news[PROVIDER_KEY] = provider_property(self.provider)
        return news


def _protected(action: str, urn: str) -> str:
    return (
        f"unable to {action} resource {urn!r} as it is currently marked for protection. To "
        "unprotect the resource, remove the `protect` flag from the resource in your Pulumi "
        "program and run `pulumi up`, or use `pulumi state unprotect`"
    )


class EngineError(Exception):
    """A step failed the way the engine would fail it."""

    def __init__(self, urn: str, message: str) -> None:
        super().__init__(f"{urn}: {message}")
        self.urn = urn


class CheckFailedError(EngineError):
    def __init__(self, urn: str, failures: list[tuple[str, str]]) -> None:
        text = "; ".join(f"{prop or '<resource>'}: {reason}" for prop, reason in failures)
        super().__init__(urn, f"check failed: {text}")
        self.failures = failures


@dataclass
class OperationResult:
    kind: str
    steps: list[Step] = field(default_factory=list)
    error: str | None = None
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per URN: outputs after the operation (in preview: what the engine would hand the program)."""
    check_failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None

    def ops(self) -> dict[str, Op]:
        """Resource name -> operation (the last one if a name appears twice)."""
        return {s.name: s.op for s in self.steps}

    def op(self, name: str) -> Op | None:
        return self.ops().get(name)


class EngineSimulator:
    """The engine's step logic over one plugin, with a state kept between operations.

    Faithful to the engine for a single dynamic provider: Check before Diff, re-Check with empty
    olds before a replacement, DIFF_UNKNOWN resolved by comparing old and new inputs, create-before-
    delete replacement unless ``delete_before_replace``, ``additional_secret_outputs``, refresh
    dropping resources whose Read returns an empty id. Not an engine: no dependency graph
    (resources are processed in the given order), no parallelism, protect, aliases, ignore_changes,
    targets, imports or provider resources.
    """

    def __init__(
        self,
        plugin: DynamicProviderPlugin,
        *,
        project: str | None = None,
        stack: str | None = None,
    ) -> None:
        self.plugin = plugin
        self.project = project or plugin.project
        self.stack = stack or plugin.stack
        self.state: dict[str, ResourceState] = {}
        self._lock = threading.RLock()
        # Called with each stored resource and its goal inputs before they are compared; returns
        # the properties it filled in (a state read from a file that did not keep them).
        self.on_restored: Callable[[ResourceState, Mapping[str, Any]], set[str]] | None = None

    @property
    def calls(self) -> list[CallRecord]:
        return self.plugin.calls

    def urn(self, spec: ResourceSpec | str, type_: str = DEFAULT_DYNAMIC_TYPE) -> str:
        if isinstance(spec, ResourceSpec):
            if spec.urn is not None:
                return spec.urn
            return make_urn(self.project, self.stack, spec.type, spec.name)
        return make_urn(self.project, self.stack, type_, spec)

    def resource(self, name: str) -> ResourceState:
        for res in self.state.values():
            if res.name == name:
                return res
        raise KeyError(name)

    # -- one registration -------------------------------------------------------------------

    def register(
        self, spec: ResourceSpec, *, preview: bool, result: OperationResult | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Process one registration; returns (id, outputs) as the engine returns them to the
        program. Raises :class:`EngineError` / :class:`PluginCallError` on failure."""
        result = result if result is not None else OperationResult("register")
        urn = self.urn(spec)
        news = spec.goal_inputs()
        aso = tuple(spec.additional_secret_outputs)
        with self._lock:
            old = self.state.get(urn)
            restored: set[str] = set()
            if old is not None and self.on_restored is not None:
                restored = self.on_restored(old, news)
            checked = self.plugin.check(urn, old.inputs if old else {}, news, preview=preview)
            if old is not None and restored:
                # What was restored compares as checked, like everything else in the state.
                self._take_checked(old, restored, checked.inputs)
            if checked.failures:
                result.check_failures[urn] = checked.failures
                raise CheckFailedError(urn, checked.failures)
            inputs = checked.inputs

            if old is None:
                if preview:
                    # supportsPreview is false: the engine answers Create itself with the inputs.
                    outs = dict(inputs)
                    _apply_additional_secret_outputs(outs, aso)
                    result.steps.append(Step(Op.CREATE, urn))
                    result.outputs[urn] = outs
                    return UNKNOWN, outs
                return self._create(urn, inputs, aso, result, Op.CREATE, None, spec)

            diff = self.plugin.diff(
                urn, old.id, old.outputs, inputs, old_inputs=old.inputs, preview=preview
            )
            changes = diff.changes
            if changes is None:
                changes = reveal(old.inputs) != reveal(inputs)
            if not changes:
                result.steps.append(Step(Op.SAME, urn))
                if not preview:
                    old.inputs = inputs
                    old.protect, old.retain_on_delete = spec.protect, spec.retain_on_delete
                result.outputs[urn] = old.outputs
                return old.id, old.outputs

            if diff.replaces and old.protect:
                raise EngineError(urn, _protected("replace", urn))
            if diff.replaces:
                # The engine recomputes defaults against empty olds before replacing.
                rechecked = self.plugin.check(urn, {}, news, preview=preview)
                if rechecked.failures:
                    result.check_failures[urn] = rechecked.failures
                    raise CheckFailedError(urn, rechecked.failures)
                inputs = rechecked.inputs
                dbr = diff.delete_before_replace or spec.delete_before_replace
                detail = {"replaces": diff.replaces, "delete_before_replace": dbr, "old_id": old.id}
                if preview:
                    outs = dict(inputs)
                    _apply_additional_secret_outputs(outs, aso)
                    result.steps.append(Step(Op.REPLACE, urn, detail))
                    result.outputs[urn] = outs
                    return UNKNOWN, outs
                if dbr:
                    self._delete_in_provider(old)
                    del self.state[urn]
                    return self._create(urn, inputs, aso, result, Op.REPLACE, detail, spec)
                new_id, outs = self._create(urn, inputs, aso, result, Op.REPLACE, detail, spec)
                # Create-before-delete: the old one goes only once the new one exists.
                self._delete_in_provider(old)
                return new_id, outs

            if preview:
                outs = dict(inputs)
                _apply_additional_secret_outputs(outs, aso)
                result.steps.append(Step(Op.UPDATE, urn, {"diffs": diff.diffs}))
                result.outputs[urn] = outs
                return old.id, outs
            outs = self.plugin.update(urn, old.id, old.outputs, inputs, old_inputs=old.inputs)
            _apply_additional_secret_outputs(outs, aso)
            self.state[urn] = ResourceState(
                urn, old.id, inputs, outs, aso, spec.protect, spec.retain_on_delete
            )
            result.steps.append(Step(Op.UPDATE, urn, {"diffs": diff.diffs}))
            result.outputs[urn] = outs
            return old.id, outs

    def _create(
        self,
        urn: str,
        inputs: dict[str, Any],
        aso: tuple[str, ...],
        result: OperationResult,
        op: Op,
        detail: Mapping[str, Any] | None = None,
        spec: ResourceSpec | None = None,
    ) -> tuple[str, dict[str, Any]]:
        new_id, outs = self.plugin.create(urn, inputs)
        _apply_additional_secret_outputs(outs, aso)
        flags = (spec.protect, spec.retain_on_delete) if spec is not None else (False, False)
        self.state[urn] = ResourceState(urn, new_id, inputs, outs, aso, *flags)
        result.steps.append(Step(op, urn, {**(detail or {}), "id": new_id}))
        result.outputs[urn] = outs
        return new_id, outs

    @staticmethod
    def _take_checked(res: ResourceState, keys: set[str], checked: Mapping[str, Any]) -> None:
        for key in keys:
            if key in checked:
                value = checked[key]
                res.inputs[key] = value
                res.outputs[key] = value if isinstance(value, Secret) else Secret(value)

    def _delete_in_provider(self, res: ResourceState) -> None:
        if not res.retain_on_delete:
            self.plugin.delete(res.urn, res.id, res.outputs, old_inputs=res.inputs)

    def delete_resource(self, urn: str, result: OperationResult | None = None) -> None:
        with self._lock:
            res = self.state[urn]
            if res.protect:
                # The engine plans the delete step, then refuses it.
                if result is not None:
                    result.steps.append(Step(Op.DELETE, urn, {"id": res.id, "refused": True}))
                raise EngineError(urn, _protected("delete", urn))
            self._delete_in_provider(res)
            del self.state[urn]
            if result is not None:
                result.steps.append(Step(Op.DELETE, urn, {"id": res.id}))

    # -- operations -------------------------------------------------------------------------

    def _run(self, kind: str, body: Callable[[OperationResult], None]) -> OperationResult:
        result = OperationResult(kind)
        try:
            body(result)
        except (EngineError, PluginCallError) as exc:
            result.error = str(exc)
        return result

    def preview(self, specs: Sequence[ResourceSpec]) -> OperationResult:
        """Check (+ Diff for existing resources) only; state is not changed."""

        def body(result: OperationResult) -> None:
            for spec in specs:
                self.register(spec, preview=True, result=result)
            wanted = {self.urn(s) for s in specs}
            for urn in reversed(list(self.state)):
                if urn not in wanted:
                    result.steps.append(Step(Op.DELETE, urn, {"id": self.state[urn].id}))

        return self._run("preview", body)

    def up(self, specs: Sequence[ResourceSpec]) -> OperationResult:
        """Register every spec in order, then delete what is in state but no longer wanted.

        Stops at the first failure (the engine's default without ``--continue-on-error``);
        what was done before it stays in state.
        """

        def body(result: OperationResult) -> None:
            for spec in specs:
                self.register(spec, preview=False, result=result)
            self.delete_unwanted({self.urn(s) for s in specs}, result)

        return self._run("up", body)

    def delete_unwanted(self, wanted: set[str], result: OperationResult) -> None:
        for urn in reversed(list(self.state)):
            if urn not in wanted:
                self.delete_resource(urn, result)

    def refresh(self) -> OperationResult:
        def body(result: OperationResult) -> None:
            with self._lock:
                for urn, res in list(self.state.items()):
                    read = self.plugin.read(urn, res.id, res.outputs, res.inputs)
                    if not read.id:
                        del self.state[urn]
                        result.steps.append(Step(Op.REFRESH_REMOVED, urn, {"id": res.id}))
                        continue
                    outs = dict(read.outputs)
                    _apply_additional_secret_outputs(outs, res.additional_secret_outputs)
                    changed = reveal(outs) != reveal(res.outputs)
                    inputs = read.inputs if read.inputs is not None else res.inputs
                    self.state[urn] = dataclasses.replace(
                        res, id=read.id, inputs=inputs, outputs=outs
                    )
                    result.steps.append(Step(Op.REFRESH, urn, {"changed": changed}))
                    result.outputs[urn] = outs

        return self._run("refresh", body)

    def destroy(self) -> OperationResult:
        def body(result: OperationResult) -> None:
            for urn in reversed(list(self.state)):
                self.delete_resource(urn, result)

        return self._run("destroy", body)
