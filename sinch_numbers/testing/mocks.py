"""Pulumi mocks that hand a program's dynamic resources to the engine model.

:class:`EngineMocks` answers each ``pulumi-python:dynamic*`` registration through
:class:`~sinch_numbers.testing.simulator.EngineSimulator` (and so the real plugin), and the
monitor under it reads off each registration what the engine honours beyond what
``pulumi.runtime.MockResourceArgs`` carries.
"""

from __future__ import annotations

from typing import Any

import pulumi
from google.protobuf import empty_pb2
from pulumi.runtime.proto import resource_pb2

from . import _pulumi_private as private
from .project import DYNAMIC_TYPE_PREFIX
from .simulator import EngineSimulator, OperationResult, ResourceSpec
from .values import UNKNOWN, from_sdk, to_sdk

__all__ = ["EngineMocks"]

_STACK_TYPE = "pulumi:pulumi:Stack"


class HarnessResourceArgs(pulumi.runtime.MockResourceArgs):
    # What the engine knows about a registration beyond what MockResourceArgs carries.
    urn: str | None = None
    additional_secret_outputs: tuple[str, ...] = ()
    delete_before_replace: bool = False
    protect: bool = False
    retain_on_delete: bool = False


class HarnessMonitor(private.MockMonitor):
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
        private.ensure_event_loop()
        args = HarnessResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=private.deserialize_properties(request.object),
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
        obj = private.serialize_properties(state)
        self.resources[urn] = private.MockMonitor.ResourceRegistration(urn, id_, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        if request.urn == self.harness.stack_urn:
            outs = private.deserialize_properties(request.outputs, keep_unknowns=True)
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
        if args.typ.startswith(DYNAMIC_TYPE_PREFIX) and args.custom is not False and self.read_only:
            urn = getattr(args, "urn", None) or self.simulator.urn(args.name, args.typ)
            self.registered.append(urn)
            held = self.simulator.state.get(urn)
            if held is None:
                return UNKNOWN, to_sdk(from_sdk(args.inputs))
            return held.id, to_sdk(held.outputs)
        if args.typ.startswith(DYNAMIC_TYPE_PREFIX) and args.custom is not False:
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
