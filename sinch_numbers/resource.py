"""The Pulumi resources a program declares: ``NumberOrder`` orders numbers with KYC;
``ActiveNumber`` brings a number that is already active under the stack.

Runs on the program side only. The provider each carries does the work in the plugin process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass
from typing import Any

import pulumi

from sinch_numbers.active_number import ActiveNumberProvider
from sinch_numbers.completion import NumberOrderCompletionProvider
from sinch_numbers.core.schema import ResourceSchema
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.generated.resources import (
    ActiveNumberArgs,
    ActiveNumberSurface,
    AttachmentArgs,
    NumberOrderArgs,
    NumberOrderCompletionArgs,
    NumberOrderCompletionSurface,
    NumberOrderSurface,
    SmsConfigurationArgs,
    VoiceConfigurationArgs,
)
from sinch_numbers.provider import NumberOrderProvider, program_settings
from sinch_numbers.resources.active_number.schema import SCHEMA as ACTIVE_NUMBER
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties
from sinch_numbers.resources.number_order.incomplete import incomplete_message
from sinch_numbers.resources.number_order.schema import (
    DEFAULT_COMPLETION_TIMEOUT,
    NumberOrderProperties,
)
from sinch_numbers.resources.number_order.schema import SCHEMA as NUMBER_ORDER
from sinch_numbers.resources.number_order_completion.schema import SCHEMA as COMPLETION
from sinch_numbers.surface import Options

__all__ = [
    "ActiveNumber",
    "ActiveNumberArgs",
    "ActiveNumberImportError",
    "AttachmentArgs",
    "NumberOrder",
    "NumberOrderArgs",
    "NumberOrderCompletion",
    "NumberOrderCompletionArgs",
    "NumberOrderImportError",
    "NumberOrderIncompleteError",
    "SmsConfigurationArgs",
    "VoiceConfigurationArgs",
]


class NumberOrderIncompleteError(SinchNumbersError):
    """The order exists but a step after its creation failed; the next ``up`` resumes it."""


class NumberOrderImportError(SinchNumbersError):
    """``import_`` cannot work for a dynamic resource; ``adopt_order_id`` does the same."""


class ActiveNumberImportError(SinchNumbersError):
    """``import_`` cannot work for a dynamic resource; creating an ActiveNumber adopts anyway."""


def _plain(value: Any) -> Any:
    """Args dataclasses become property dicts, wherever they are (in lists, dicts, Outputs).

    A ``FileAsset`` becomes its path: the engine elides asset contents before Diff, Read, Update
    and Delete, which the Python plugin cannot deserialise; the provider hashes the content.
    """
    if isinstance(value, pulumi.Output):
        return value.apply(_plain)
    if isinstance(value, pulumi.FileAsset):
        return value.path
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _props(schema: ResourceSchema, args: object) -> dict[str, Any]:
    """What the engine is given: the inputs as plain values, the secret ones as secrets, and every
    computed output as None (declared, so that the engine fills it)."""
    props: dict[str, Any] = _plain(args)
    for prop in schema:
        if prop.computed:
            props[prop.name] = None
        elif prop.secret and props.get(prop.name) is not None:
            props[prop.name] = pulumi.Output.secret(props[prop.name])
    return props


SECRET_OUTPUTS = NUMBER_ORDER.secret
"""NumberOrder's secret outputs, as this version registers them (read when each order is
declared)."""


def _options(secret_outputs: Sequence[str], opts: Options) -> Options:
    """The program's options, plus the secret outputs when the resource has any."""
    if not secret_outputs:
        return opts
    secrecy = pulumi.ResourceOptions(additional_secret_outputs=list(secret_outputs))
    return pulumi.ResourceOptions.merge(opts, secrecy)


_DECLARATION = NumberOrderProperties.declaration.name
"""NumberOrder's hidden input: which declaration this is (see :func:`_declaration`)."""
_HOLDING_ORDER = ActiveNumberProperties.number_order_id.name
"""ActiveNumber's hidden input: the NumberOrder holding the number (:func:`_holding_order_id`)."""


def _fail_if_incomplete(values: list[Any]) -> None:
    """Fails the program when the order stopped at a step: ``values`` are the order's id, state,
    failed step and last error."""
    message = incomplete_message(*values)
    if message is not None:
        raise NumberOrderIncompleteError(message)


def _declaration(resource_name: str, opts: pulumi.ResourceOptions | None) -> str:
    """Which declaration this is, for the record of interrupted creates: project, stack, parent
    and name (what the URN tells apart; a dynamic provider's create is not given the URN). The
    parent by its type and name, not its URN output: depending on a component would wait for its
    children, this one included."""
    parent = opts.parent if opts is not None else None
    where = f"{parent.pulumi_resource_type}:{parent.pulumi_resource_name}" if parent else ""
    return f"{pulumi.get_project()}/{pulumi.get_stack()}/{where}/{resource_name}"


def _settings_for_an_update() -> None:
    """An update needs the Sinch settings: without them the program stops here, before anything
    is registered, with one line naming each missing or malformed key (instead of a create that
    fails in the plugin, shown with the plugin's traceback). A preview goes on without them: it
    checks the inputs offline and says so."""
    if not pulumi.runtime.is_dry_run():
        program_settings()


class NumberOrder(NumberOrderSurface, module="sinch", name="NumberOrder"):
    """Numbers ordered from Sinch, with the KYC registration and documents their country needs.

    ``pulumi up`` looks up the requirements, creates the order (its reservation starts then),
    sends the registration, uploads the documents and submits the order for review. A failure after
    the order exists keeps the order in the stack and fails the run; the next ``up`` resumes it.
    Its own hooks never wait for review: ``wait_for_completion`` declares a
    :class:`NumberOrderCompletion` child that does, once the order is saved.

    The constructor's keywords and the output attributes are generated from the declaration
    (:class:`~sinch_numbers.generated.resources.NumberOrderSurface`); what declaring it does is
    here.
    """

    completion: NumberOrderCompletion | None
    """The child that waits for review when ``wait_for_completion`` is true, else None."""

    def _declare(self, resource_name: str, args: NumberOrderArgs, opts: Options) -> None:
        if opts is not None and opts.import_:
            # The engine's import Read reaches a dynamic provider without its serialized
            # provider (pulumi/pulumi#16175) and fails with a KeyError traceback.
            raise NumberOrderImportError(
                f"NumberOrder {resource_name!r}: the import_ option cannot import a dynamic "
                "resource (pulumi/pulumi#16175). Remove it and set "
                f'adopt_order_id="{opts.import_}" instead: the next `pulumi up` takes the '
                "existing order over without ordering again"
            )
        wait = args.wait_for_completion
        if wait is not None and not isinstance(wait, bool):
            raise TypeError(
                f"NumberOrder {resource_name!r}: wait_for_completion must be a plain true or "
                "false (it decides whether the program declares a NumberOrderCompletion); "
                "for a value known only later, declare NumberOrderCompletion yourself"
            )
        _settings_for_an_update()
        props = _props(NUMBER_ORDER, args)
        props[_DECLARATION] = _declaration(resource_name, opts)
        self._register(NumberOrderProvider(), resource_name, props, _options(SECRET_OUTPUTS, opts))
        pulumi.Output.all(self.order_id, self.state, self.failed_step, self.last_error).apply(
            _fail_if_incomplete
        )
        self.completion = self._declare_completion(resource_name, args)

    def _declare_completion(
        self, resource_name: str, args: NumberOrderArgs
    ) -> NumberOrderCompletion | None:
        """The wait for review, as a resource of its own: the engine has saved this order by the
        time the wait starts, so a cancelled or killed wait loses nothing."""
        if not args.wait_for_completion:
            return None
        return NumberOrderCompletion(
            f"{resource_name}-completion",
            order_id=self.order_id,
            timeout=DEFAULT_COMPLETION_TIMEOUT
            if args.completion_timeout is None
            else args.completion_timeout,
            opts=pulumi.ResourceOptions(parent=self),
        )


class NumberOrderCompletion(
    NumberOrderCompletionSurface, module="sinch", name="NumberOrderCompletion"
):
    """Waits until a number order leaves review, outside the create that made the order.

    Orders nothing and releases nothing (destroying it does nothing at Sinch). Its create waits;
    it exists only once the order is COMPLETED. REJECTED, BLOCKED, EXPIRED or the timeout fail
    the run and create nothing, so the next ``pulumi up`` waits again (after resubmitting a
    fixed BLOCKED order, or replacing a REJECTED or EXPIRED one). A changed ``order_id``
    replaces it.
    """

    def _declare(self, resource_name: str, args: NumberOrderCompletionArgs, opts: Options) -> None:
        props = _props(COMPLETION, args)
        self._register(
            NumberOrderCompletionProvider(), resource_name, props, _options(COMPLETION.secret, opts)
        )


class ActiveNumber(ActiveNumberSurface, module="sinch", name="ActiveNumber"):
    """A number already active in the Sinch project, bought outside this tool or by a completed
    ``NumberOrder``, managed by the stack: display name, SMS and voice routing, callback URL.

    Creating one never buys a number and destroying one never releases it, unless
    ``release_on_destroy`` is true. Changing ``phone_number`` manages another number instead.
    """

    def _declare(self, resource_name: str, args: ActiveNumberArgs, opts: Options) -> None:
        if opts is not None and opts.import_:
            # As for NumberOrder (pulumi/pulumi#16175); here create adopts anyway.
            raise ActiveNumberImportError(
                f"ActiveNumber {resource_name!r}: the import_ option cannot import a dynamic "
                "resource (pulumi/pulumi#16175). Remove it: creating an ActiveNumber adopts the "
                "number given as phone_number, without buying anything"
            )
        _settings_for_an_update()
        props = _props(ACTIVE_NUMBER, args)
        props[_HOLDING_ORDER] = _holding_order_id(args.phone_number)
        self._register(
            ActiveNumberProvider(), resource_name, props, _options(ACTIVE_NUMBER.secret, opts)
        )


def _holding_order_id(number: pulumi.Input[str]) -> pulumi.Output[Any] | None:
    """The order_id of the one NumberOrder whose outputs ``number`` (the phone number) comes
    from, if any.

    The provider cannot see the program: the engine deletes an ActiveNumber before the order it
    depends on, so only this says that the order, deleted next, decides about the number.
    """
    if not isinstance(number, pulumi.Output):
        return None
    source = number

    async def holder() -> Any:
        orders = [r for r in await source.resources() if isinstance(r, NumberOrder)]
        return orders[0].order_id if len(orders) == 1 else None

    return pulumi.Output.from_input(holder())
