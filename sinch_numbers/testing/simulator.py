"""The engine model: the engine's step logic (preview / up / refresh / destroy) over one plugin,
with a state of resources kept between operations.

:class:`EngineSimulator` plans each registration as the engine does (Check, Diff, replace or
update, deletions of what is no longer wanted) and calls
:class:`~sinch_numbers.testing.plugin.DynamicProviderPlugin` for what the engine would send the
plugin; docs/simulator.md lists what it models and what it does not.
"""

from __future__ import annotations

import dataclasses
import enum
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi.dynamic import ResourceProvider

from .plugin import DynamicProviderPlugin
from .plugin_process import CallRecord, PluginCallError
from .project import DEFAULT_DYNAMIC_TYPE, PROVIDER_KEY, make_urn, provider_property
from .values import UNKNOWN, Secret, apply_additional_secret_outputs, reveal

__all__ = [
    "CheckFailedError",
    "EngineError",
    "EngineSimulator",
    "Op",
    "OperationResult",
    "ResourceSpec",
    "ResourceState",
    "Step",
]


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


def resource_named(states: Iterable[ResourceState], name: str) -> ResourceState:
    """The first resource called ``name`` (KeyError when there is none)."""
    for res in states:
        if res.name == name:
            return res
    raise KeyError(name)


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
        return resource_named(self.state.values(), name)

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
                    return UNKNOWN, self._planned(result, Op.CREATE, urn, inputs, aso)
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
                    return UNKNOWN, self._planned(result, Op.REPLACE, urn, inputs, aso, detail)
                if dbr:
                    self._delete_in_provider(old)
                    del self.state[urn]
                    return self._create(urn, inputs, aso, result, Op.REPLACE, detail, spec)
                new_id, outs = self._create(urn, inputs, aso, result, Op.REPLACE, detail, spec)
                # Create-before-delete: the old one goes only once the new one exists.
                self._delete_in_provider(old)
                return new_id, outs

            if preview:
                changed = {"diffs": diff.diffs}
                return old.id, self._planned(result, Op.UPDATE, urn, inputs, aso, changed)
            outs = self.plugin.update(urn, old.id, old.outputs, inputs, old_inputs=old.inputs)
            apply_additional_secret_outputs(outs, aso)
            self.state[urn] = ResourceState(
                urn, old.id, inputs, outs, aso, spec.protect, spec.retain_on_delete
            )
            result.steps.append(Step(Op.UPDATE, urn, {"diffs": diff.diffs}))
            result.outputs[urn] = outs
            return old.id, outs

    @staticmethod
    def _planned(
        result: OperationResult,
        op: Op,
        urn: str,
        inputs: Mapping[str, Any],
        aso: tuple[str, ...],
        detail: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        # supportsPreview is false: in preview the engine answers for the plugin with the
        # checked inputs, so outputs that are not inputs stay unknown to the program.
        outs = dict(inputs)
        apply_additional_secret_outputs(outs, aso)
        result.steps.append(Step(op, urn, dict(detail or {})))
        result.outputs[urn] = outs
        return outs

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
        apply_additional_secret_outputs(outs, aso)
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
            self.plan_deletions({self.urn(s) for s in specs}, result)

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

    def plan_deletions(self, wanted: set[str], result: OperationResult) -> None:
        """The delete steps a preview shows for what is in state but no longer wanted."""
        for urn in reversed(list(self.state)):
            if urn not in wanted:
                result.steps.append(Step(Op.DELETE, urn, {"id": self.state[urn].id}))

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
                    apply_additional_secret_outputs(outs, res.additional_secret_outputs)
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
