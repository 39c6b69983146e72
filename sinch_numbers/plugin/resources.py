"""Each resource of the package, mapped onto its package in ``resources/``: the same functions
the dynamic provider's hooks call, given the same plain values (``wire`` made them).

Blocking: every method here runs on the plugin's worker threads, never on the event loop. The
resource packages are imported on first use, so the plugin answers the engine's first calls
(its info, configure, the schema) without loading the HTTP client and the KYC models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sinch_numbers.core.log import Log
from sinch_numbers.core.schema import Property, ResourceSchema
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.plugin.wire import unknown

if TYPE_CHECKING:
    from sinch_numbers.core.settings import Connection, ProviderSettings

Plain = dict[str, Any]
Failures = list[tuple[str, str]]


PACKAGE = "sinch"
MODULE = "numbers"


def token_of(name: str) -> str:
    """A resource's or function's token in the package (``sinch:numbers:NumberOrder``)."""
    return f"{PACKAGE}:{MODULE}:{name}"


@dataclass(frozen=True)
class Call:
    """What one engine call gives the logic besides the values."""

    urn: str
    log: Log
    settings: Callable[[], ProviderSettings]
    """The provider's settings, read when first needed (raises ``ConfigurationError``)."""
    connect: Callable[[], Connection]
    """The connection for them, made when first needed."""
    cancelled: Callable[[], bool]
    """Whether the engine cancelled the run: a wait ends at once."""


class Incomplete(SinchNumbersError):
    """The resource exists (``resource_id``, ``outputs``) but a step after its creation failed:
    the engine keeps it as a failed initialisation and the next ``up`` resumes it."""

    def __init__(self, resource_id: str, outputs: Plain, inputs: Plain, reason: str) -> None:
        super().__init__(reason)
        self.resource_id = resource_id
        self.outputs = outputs
        self.inputs = inputs
        self.reason = reason


@dataclass(frozen=True)
class Diff:
    changes: bool
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Read:
    resource_id: str
    outputs: Plain
    inputs: Plain


class PackageResource:
    """One resource of the package: its token, its declaration and the properties the package
    shows (hidden inputs and the program-only ones left out)."""

    token: str
    schema: ResourceSchema
    program_only: tuple[str, ...] = ()
    """Inputs only the dynamic resource's program class reads: not in the package."""

    @property
    def properties(self) -> tuple[Property, ...]:
        return tuple(
            p for p in self.schema if not p.hidden and p.name not in set(self.program_only)
        )

    @property
    def property_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.properties)

    def package_inputs(self, values: Mapping[str, Any]) -> Plain:
        """The inputs as the package has them: hidden and program-only ones dropped."""
        shown = {p.name for p in self.properties if p.input}
        hidden = {p.name for p in self.schema if p.input} - shown
        return {k: v for k, v in values.items() if k not in hidden}

    def preview_outputs(self, inputs: Plain) -> Plain:
        """A create in preview: the inputs echoed, every computed output unknown."""
        outputs = {k: v for k, v in inputs.items() if k in self.schema.echoed_inputs}
        outputs.update({name: unknown() for name in self.schema.computed_outputs})
        return outputs

    def check(self, olds: Plain, news: Plain, call: Call) -> tuple[Plain, Failures]:
        raise NotImplementedError

    def diff(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Diff:
        raise NotImplementedError

    def create(self, inputs: Plain, call: Call) -> tuple[str, Plain]:
        raise NotImplementedError

    def read(self, resource_id: str, state: Plain, inputs: Plain, call: Call) -> Read | None:
        raise NotImplementedError

    def update(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Plain:
        raise NotImplementedError

    def delete(self, resource_id: str, state: Plain, call: Call) -> None:
        raise NotImplementedError


class NumberOrderResource(PackageResource):
    def __init__(self) -> None:
        from sinch_numbers.resources.number_order.schema import SCHEMA, P

        self.schema = SCHEMA
        self.token = token_of(SCHEMA.name)
        # The package has no child resources: a program declares NumberOrderCompletion itself.
        self.program_only = (P.wait_for_completion.name, P.completion_timeout.name)

    def check(self, olds: Plain, news: Plain, call: Call) -> tuple[Plain, Failures]:
        from sinch_numbers.resources.number_order.check import check_order

        # A program-only input (waitForCompletion) reaches check under its package name, which
        # no property has: check refuses it as no input of NumberOrder, as it would any other.
        inputs, failures = check_order(olds, news, call.settings, call.log)
        return self.package_inputs(inputs), failures

    def diff(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Diff:
        from sinch_numbers.resources.number_order.diff import diff_order

        plan = diff_order(call.connect, resource_id, olds, news, call.log)
        return Diff(plan.changes, tuple(plan.replaces))

    def create(self, inputs: Plain, call: Call) -> tuple[str, Plain]:
        from sinch_numbers.resources.number_order.create import create_order
        from sinch_numbers.resources.number_order.schema import P

        # The record of interrupted creates tells declarations apart by this: the URN names
        # the project, the stack, the parents' types and the resource's name.
        props = {**inputs, P.declaration.name: call.urn}
        order_id, outputs = create_order(call.connect(), props, call.log)
        self._raise_if_incomplete(order_id, outputs, inputs)
        return order_id, self.package_inputs(outputs)

    def read(self, resource_id: str, state: Plain, inputs: Plain, call: Call) -> Read | None:
        if not state:
            from sinch_numbers.resources.number_order.imports import import_order

            found = import_order(call.connect(), resource_id, call.log)
        else:
            from sinch_numbers.resources.number_order.lifecycle import read_order

            found = read_order(call.connect(), resource_id, state, call.log)
        if found is None:
            return None
        outputs, read_inputs = found
        return Read(resource_id, self.package_inputs(outputs), self.package_inputs(read_inputs))

    def update(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Plain:
        from sinch_numbers.resources.number_order.lifecycle import update_order

        outputs = self.package_inputs(
            update_order(call.connect(), resource_id, olds, news, call.log)
        )
        self._raise_if_incomplete(resource_id, outputs, news)
        return outputs

    def delete(self, resource_id: str, state: Plain, call: Call) -> None:
        from sinch_numbers.resources.number_order.lifecycle import delete_order

        delete_order(call.connect(), resource_id, state, call.log)

    def _raise_if_incomplete(self, order_id: str, outputs: Plain, inputs: Plain) -> None:
        from sinch_numbers.resources.number_order.incomplete import incomplete_message
        from sinch_numbers.resources.number_order.schema import P

        message = incomplete_message(
            order_id,
            outputs.get(P.state.name),
            outputs.get(P.failed_step.name),
            outputs.get(P.last_error.name),
        )
        if message is not None:
            raise Incomplete(order_id, outputs, self.package_inputs(inputs), message)


class ActiveNumberResource(PackageResource):
    def __init__(self) -> None:
        from sinch_numbers.resources.active_number.schema import SCHEMA

        self.schema = SCHEMA
        self.token = token_of(SCHEMA.name)

    def check(self, olds: Plain, news: Plain, call: Call) -> tuple[Plain, Failures]:
        from sinch_numbers.resources.active_number.check import check_number_inputs

        checked = check_number_inputs(news)
        failures = [(f.field, f.rule) for f in checked.failures]
        return self.package_inputs(checked.inputs), failures

    def diff(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Diff:
        from sinch_numbers.resources.active_number.diff import diff_number

        plan = diff_number(call.connect, resource_id, olds, news, call.log)
        return Diff(plan.changes, tuple(plan.replaces))

    def create(self, inputs: Plain, call: Call) -> tuple[str, Plain]:
        from sinch_numbers.resources.active_number.create import create_number

        phone, outputs = create_number(call.connect, inputs, call.log)
        return phone, self.package_inputs(outputs)

    def read(self, resource_id: str, state: Plain, inputs: Plain, call: Call) -> Read | None:
        from sinch_numbers.resources.active_number.lifecycle import read_number

        # An import (no state) reads the number by its id, the phone number, as a refresh does.
        found = read_number(call.connect, resource_id, state, call.log)
        if found is None:
            return None
        phone, outputs, read_inputs = found
        return Read(phone, self.package_inputs(outputs), self.package_inputs(read_inputs))

    def update(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Plain:
        from sinch_numbers.resources.active_number.lifecycle import update_number

        return self.package_inputs(update_number(call.connect, resource_id, olds, news, call.log))

    def delete(self, resource_id: str, state: Plain, call: Call) -> None:
        from sinch_numbers.resources.active_number.lifecycle import delete_number

        delete_number(call.connect, resource_id, state, call.log)


class CompletionResource(PackageResource):
    def __init__(self) -> None:
        from sinch_numbers.resources.number_order_completion.schema import SCHEMA

        self.schema = SCHEMA
        self.token = token_of(SCHEMA.name)

    def check(self, olds: Plain, news: Plain, call: Call) -> tuple[Plain, Failures]:
        from sinch_numbers.resources.number_order_completion.lifecycle import check_completion

        return check_completion(news)

    def diff(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Diff:
        from sinch_numbers.resources.number_order_completion.lifecycle import diff_completion

        changes, replaces = diff_completion(olds, news)
        return Diff(changes, tuple(replaces))

    def create(self, inputs: Plain, call: Call) -> tuple[str, Plain]:
        from sinch_numbers.resources.number_order_completion.lifecycle import (
            create_completion,
            stoppable_sleep,
        )

        # The engine's Cancel ends the wait; the order is the NumberOrder's, already saved.
        return create_completion(
            call.connect(), inputs, call.log, sleep=stoppable_sleep(call.cancelled, 0.1)
        )

    def read(self, resource_id: str, state: Plain, inputs: Plain, call: Call) -> Read | None:
        from sinch_numbers.resources.number_order_completion.lifecycle import (
            COMPLETION_INPUTS,
            read_completion,
        )
        from sinch_numbers.resources.number_order_completion.schema import (
            NumberOrderCompletionProperties as C,
        )

        given = state or {C.order_id.name: resource_id}
        outputs = read_completion(call.connect(), resource_id, given, call.log)
        if outputs is None:
            return None
        kept = {k: given.get(k) for k in COMPLETION_INPUTS if given.get(k) is not None}
        return Read(resource_id, outputs, kept)

    def update(self, resource_id: str, olds: Plain, news: Plain, call: Call) -> Plain:
        from sinch_numbers.resources.number_order_completion.lifecycle import COMPLETION_INPUTS

        # Only the timeout changed (another order replaces): it applies to the next wait.
        return {**olds, **{k: news.get(k) for k in COMPLETION_INPUTS}}

    def delete(self, resource_id: str, state: Plain, call: Call) -> None:
        """Nothing to do: the completion holds nothing; the order and its numbers belong to
        the NumberOrder."""


def package_resources() -> dict[str, PackageResource]:
    """Every resource of the package, by token."""
    found: list[PackageResource] = [
        NumberOrderResource(),
        ActiveNumberResource(),
        CompletionResource(),
    ]
    return {r.token: r for r in found}
