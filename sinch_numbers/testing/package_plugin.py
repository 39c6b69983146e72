"""The package's provider plugin, ``pulumi-resource-sinch``, started and spoken to as the engine
does: its executable with the engine's address, then one gRPC call at a time.

Values are plain dicts with the package's camelCase names; a secret is a
:class:`~sinch_numbers.testing.values.Secret`, an unknown the engine's sentinel
(:data:`~sinch_numbers.testing.values.UNKNOWN`). The engine sends this plugin secrets as
secrets (it accepts them), and unknowns only in preview.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, status_pb2

from .plugin_process import PluginCallError, PluginProcess
from .project import make_urn
from .values import from_struct, to_struct

__all__ = ["InitFailure", "PackageCallError", "PackagePlugin", "plugin_executable"]

PACKAGE = "sinch"


def plugin_executable() -> str:
    """``pulumi-resource-sinch`` as ``pip install`` puts it beside this interpreter (or on
    PATH)."""
    beside = Path(sys.executable).parent / "pulumi-resource-sinch"
    if beside.exists():
        return str(beside)
    found = shutil.which("pulumi-resource-sinch")
    if found is None:
        raise FileNotFoundError("pulumi-resource-sinch is not installed (pip install -e .)")
    return found


@dataclass(frozen=True)
class InitFailure:
    """A Create or Update that failed with ``ErrorResourceInitFailed``: the resource exists."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]
    reasons: list[str]


class PackageCallError(PluginCallError):
    """A failed call, with the ``ErrorResourceInitFailed`` detail when it carried one."""

    def __init__(
        self, method: str, code: grpc.StatusCode, details: str, init: InitFailure | None
    ) -> None:
        super().__init__(method, code, details)
        self.init = init


@dataclass(frozen=True)
class Diffed:
    changes: bool | None
    replaces: list[str]
    diffs: list[str]
    detailed: dict[str, int]


def _init_failure(raw: bytes | None) -> InitFailure | None:
    """The ``ErrorResourceInitFailed`` detail of a failed call's status, if it has one."""
    if raw is None:
        return None
    status = status_pb2.Status.FromString(raw)
    for detail in status.details:
        failed = provider_pb2.ErrorResourceInitFailed()
        if detail.Unpack(failed):
            return InitFailure(
                failed.id,
                from_struct(failed.properties),
                from_struct(failed.inputs),
                list(failed.reasons),
            )
    return None


class PackagePlugin(PluginProcess):
    """One ``pulumi-resource-sinch`` process, configured once with ``config`` (``sinch:`` keys
    as the stack holds them)."""

    def _argv(self) -> list[str]:
        return [plugin_executable(), self.engine_address]

    @property
    def provider_urn(self) -> str:
        return make_urn(self.project, self.stack, f"pulumi:providers:{PACKAGE}", "default")

    def urn(self, resource: str, name: str) -> str:
        return make_urn(self.project, self.stack, f"{PACKAGE}:numbers:{resource}", name)

    def _bring_up(self) -> None:
        self.plugin_version = self._call("GetPluginInfo", empty_pb2.Empty(), "").version
        args = {k.split(":", 1)[1]: v for k, v in self.config.items() if k.startswith("sinch:")}
        urn = self.provider_urn
        checked = self._call(
            "CheckConfig",
            provider_pb2.CheckRequest(
                urn=urn,
                name="default",
                type=f"pulumi:providers:{PACKAGE}",
                olds=struct_pb2.Struct(),
                news=self._struct(args),
            ),
            urn,
        )
        self.config_failures = [(f.property, f.reason) for f in checked.failures]
        self.checked_config = from_struct(checked.inputs)
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                args=checked.inputs,
                acceptSecrets=True,
                acceptResources=True,
                urn=urn,
                name="default",
                type=f"pulumi:providers:{PACKAGE}",
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, urn)),
            ),
            urn,
        )

    @staticmethod
    def _struct(values: Mapping[str, Any], *, preview: bool = False) -> struct_pb2.Struct:
        return to_struct(values, keep_secrets=True, keep_unknowns=preview, elide_assets=False)

    def _resource(self, method: str, request_type: Any, urn: str, **fields: Any) -> Any:
        parts = urn.split("::")
        return self._call(
            method, request_type(urn=urn, name=parts[-1], type=parts[-2], **fields), urn
        )

    def _call_error(self, method: str, exc: grpc.RpcError) -> PluginCallError:
        """A refused call, with the partial state the status details carry, if any."""
        trailers = dict(exc.trailing_metadata() or ())
        return PackageCallError(
            method,
            exc.code(),
            exc.details() or "",
            _init_failure(trailers.get("grpc-status-details-bin")),
        )

    # -- the engine's calls ------------------------------------------------------------------

    def schema(self) -> str:
        return str(self._call("GetSchema", provider_pb2.GetSchemaRequest(version=0), "").schema)

    def check(
        self,
        urn: str,
        news: Mapping[str, Any],
        olds: Mapping[str, Any] | None = None,
        *,
        preview: bool = False,
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        resp = self._resource(
            "Check",
            provider_pb2.CheckRequest,
            urn,
            olds=self._struct(olds or {}, preview=preview),
            news=self._struct(news, preview=preview),
            randomSeed=hashlib.sha256(urn.encode()).digest(),
        )
        return from_struct(resp.inputs), [(f.property, f.reason) for f in resp.failures]

    def diff(self, urn: str, id: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diffed:
        resp = self._resource(
            "Diff",
            provider_pb2.DiffRequest,
            urn,
            id=id,
            olds=self._struct(olds),
            news=self._struct(news),
        )
        changes = {
            provider_pb2.DiffResponse.DIFF_SOME: True,
            provider_pb2.DiffResponse.DIFF_NONE: False,
        }.get(resp.changes)
        return Diffed(
            changes,
            list(resp.replaces),
            list(resp.diffs),
            {k: int(v.kind) for k, v in resp.detailedDiff.items()},
        )

    def create(
        self, urn: str, inputs: Mapping[str, Any], *, preview: bool = False
    ) -> tuple[str, dict[str, Any]]:
        resp = self._resource(
            "Create",
            provider_pb2.CreateRequest,
            urn,
            properties=self._struct(inputs, preview=preview),
            preview=preview,
        )
        return str(resp.id), from_struct(resp.properties)

    def read(
        self,
        urn: str,
        id: str,
        state: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        """Refresh (with state) or import (without): (id, outputs, inputs); id "" is gone."""
        resp = self._resource(
            "Read",
            provider_pb2.ReadRequest,
            urn,
            id=id,
            properties=self._struct(state or {}),
            inputs=self._struct(inputs or {}),
        )
        return str(resp.id), from_struct(resp.properties), from_struct(resp.inputs)

    def update(
        self,
        urn: str,
        id: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        preview: bool = False,
    ) -> dict[str, Any]:
        resp = self._resource(
            "Update",
            provider_pb2.UpdateRequest,
            urn,
            id=id,
            olds=self._struct(olds),
            news=self._struct(news, preview=preview),
            preview=preview,
        )
        return from_struct(resp.properties)

    def delete(self, urn: str, id: str, state: Mapping[str, Any]) -> None:
        self._resource(
            "Delete", provider_pb2.DeleteRequest, urn, id=id, properties=self._struct(state)
        )

    def invoke(self, token: str, args: Mapping[str, Any]) -> dict[str, Any]:
        resp = self._call(
            "Invoke", provider_pb2.InvokeRequest(tok=token, args=self._struct(args)), ""
        )
        return from_struct(getattr(resp, "return"))

    def wait_for_engine_log(self, text: str, timeout: float = 10.0) -> bool:
        """Whether a message with ``text`` reaches the engine's log within ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in record.message for record in self.engine_logs):
                return True
            time.sleep(0.05)
        return False

    def interrupt(self, timeout: float = 30.0) -> int | None:
        """SIGINT, as the engine closes a plugin; its exit code (None: still running)."""
        proc = self._proc
        if proc is None:
            return None
        proc.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            return proc.wait(timeout)
        return None

    def cancel(self) -> None:
        self._call("Cancel", empty_pb2.Empty(), "")
