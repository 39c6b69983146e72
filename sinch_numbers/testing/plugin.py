"""The dynamic-provider protocol, one engine call at a time, against the real plugin process.

:class:`DynamicProviderPlugin` brings the plugin up in the engine's order (Handshake,
GetPluginInfo, CheckConfig, Configure) and makes each resource call the way the engine makes it
for a provider that does not accept secrets: secrets stripped before the call and re-marked after
it, unknowns only in preview, assets elided where the engine elides them. Values are those of
:mod:`sinch_numbers.testing.values`. :class:`~sinch_numbers.testing.simulator.EngineSimulator`
adds the engine's step logic on top.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2

from .plugin_process import PluginCallError, PluginProcess
from .project import PLUGIN_PACKAGE, make_urn
from .values import annotate_secrets, from_struct, reveal, to_struct

__all__ = ["CheckOutcome", "DiffOutcome", "DynamicProviderPlugin", "ReadOutcome"]


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


class DynamicProviderPlugin(PluginProcess):
    """One ``python -m pulumi.dynamic`` process, configured once with a stack config.

    Use as a context manager. Every method takes and returns plain dicts (see
    :mod:`sinch_numbers.testing.values`). A different stack config needs a new process:
    :meth:`restart`.
    """

    # What the plugin answered at bring-up; until then, what the engine assumes.
    plugin_version: str | None = None
    accept_secrets: bool = False
    supports_preview: bool = False
    handshake_implemented: bool = False

    # -- bring-up ---------------------------------------------------------------------------

    @property
    def default_provider_urn(self) -> str:
        return make_urn(self.project, self.stack, f"pulumi:providers:{PLUGIN_PACKAGE}", "default")

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
                    type=f"pulumi:providers:{PLUGIN_PACKAGE}",
                    olds=struct_pb2.Struct(),
                    news=self._marshal(self.config, secrets=False),
                ),
                urn,
            )
        except PluginCallError as exc:
            if exc.code != grpc.StatusCode.UNIMPLEMENTED:
                raise
        variables = {f"{PLUGIN_PACKAGE}:config:{k}": str(reveal(v)) for k, v in self.config.items()}
        resp = self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=to_struct(
                    self.config, keep_secrets=True, keep_unknowns=True, elide_assets=False
                ),
                acceptSecrets=True,
                acceptResources=True,
                sends_old_inputs=True,
                sends_old_inputs_to_delete=True,
                urn=urn,
                name="default",
                type=f"pulumi:providers:{PLUGIN_PACKAGE}",
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, urn)),
            ),
            urn,
        )
        if not self.handshake_implemented:
            self.accept_secrets = bool(resp.acceptSecrets)
            self.supports_preview = bool(resp.supportsPreview)

    def _marshal(
        self,
        props: Mapping[str, Any],
        *,
        secrets: bool | None = None,
        unknowns: bool = False,
        elide: bool = False,
    ) -> struct_pb2.Struct:
        keep = self.accept_secrets if secrets is None else secrets
        return to_struct(props, keep_secrets=keep, keep_unknowns=unknowns, elide_assets=elide)

    def _annotate(self, outs: dict[str, Any] | None, ins: Mapping[str, Any] | None) -> None:
        if not self.accept_secrets:
            annotate_secrets(outs, ins)

    def _resource_call(self, method: str, request_type: Any, urn: str, **fields: Any) -> Any:
        """A call about one resource: every request names it by URN, name and type."""
        parts = urn.split("::")
        name, type_ = parts[-1], parts[-2] if len(parts) >= 2 else ""
        return self._call(method, request_type(urn=urn, name=name, type=type_, **fields), urn)

    def check(
        self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any], *, preview: bool = False
    ) -> CheckOutcome:
        """``Check`` with old and new inputs; unknowns are kept only in preview, like the engine."""
        resp = self._resource_call(
            "Check",
            provider_pb2.CheckRequest,
            urn,
            olds=self._marshal(olds, unknowns=preview),
            news=self._marshal(news, unknowns=preview),
            randomSeed=hashlib.sha256(urn.encode()).digest(),
        )
        inputs = from_struct(resp.inputs) if resp.HasField("inputs") else {}
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
        resp = self._resource_call(
            "Diff",
            provider_pb2.DiffRequest,
            urn,
            id=id,
            olds=self._marshal(olds, unknowns=preview, elide=True),
            news=self._marshal(news, unknowns=preview, elide=True),
            old_inputs=self._marshal(old_inputs or {}, unknowns=preview, elide=True),
            ignoreChanges=list(ignore_changes),
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
        resp = self._resource_call(
            "Create",
            provider_pb2.CreateRequest,
            urn,
            properties=self._marshal(props),
            preview=False,
        )
        if not resp.id:
            # The engine's own check: an empty id is an error, nothing is saved.
            raise PluginCallError(
                "Create",
                grpc.StatusCode.UNKNOWN,
                f"plugin returned empty resource.ID from create {urn}",
            )
        outs = from_struct(resp.properties)
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
        # Without inputs in state the request carries none, not an empty set of them.
        given = {} if inputs is None else {"inputs": self._marshal(inputs, elide=True)}
        resp = self._resource_call(
            "Read",
            provider_pb2.ReadRequest,
            urn,
            id=id,
            properties=self._marshal(props, elide=True),
            **given,
        )
        outs = from_struct(resp.properties)
        new_inputs = from_struct(resp.inputs) if resp.HasField("inputs") else None
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
        resp = self._resource_call(
            "Update",
            provider_pb2.UpdateRequest,
            urn,
            id=id,
            olds=self._marshal(olds, elide=True),
            news=self._marshal(news),
            old_inputs=self._marshal(old_inputs or {}, elide=True),
            ignoreChanges=list(ignore_changes),
            preview=False,
        )
        outs = from_struct(resp.properties)
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
        self._resource_call(
            "Delete",
            provider_pb2.DeleteRequest,
            urn,
            id=id,
            properties=self._marshal(props, elide=True),
            old_inputs=self._marshal(old_inputs or {}, elide=True),
        )
