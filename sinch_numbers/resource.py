"""The Pulumi resources a program declares: ``NumberOrder`` orders numbers with KYC;
``ActiveNumber`` brings a number that is already active under the stack.

Runs on the program side only. The provider each carries does the work in the plugin process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any, TypeVar

import pulumi
from pulumi.dynamic import Resource

from sinch_numbers.active_number import COMPUTED_OUTPUTS as ACTIVE_NUMBER_OUTPUTS
from sinch_numbers.active_number import ActiveNumberProvider
from sinch_numbers.completion import NumberOrderCompletionProvider
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.provider import NumberOrderProvider, program_settings
from sinch_numbers.resources.number_order.inputs import (
    DECLARATION_INPUT,
    DEFAULT_COMPLETION_TIMEOUT,
)
from sinch_numbers.resources.number_order.outputs import COMPUTED_OUTPUTS, SECRET_OUTPUTS
from sinch_numbers.resources.number_order_completion.lifecycle import COMPLETION_OUTPUTS


@dataclass(frozen=True, kw_only=True)
class SmsConfigurationArgs:
    """SMS routing for the ordered numbers: a service plan, and a campaign for US 10DLC."""

    service_plan_id: pulumi.Input[str]
    campaign_id: pulumi.Input[str] | None = None


@dataclass(frozen=True, kw_only=True)
class VoiceConfigurationArgs:
    """Voice routing: ``RTC`` + ``app_id``, ``EST`` + ``trunk_id``, ``FAX`` + ``service_id``."""

    type: pulumi.Input[str]
    app_id: pulumi.Input[str] | None = None
    trunk_id: pulumi.Input[str] | None = None
    service_id: pulumi.Input[str] | None = None


@dataclass(frozen=True, kw_only=True)
class AttachmentArgs:
    """One KYC document for the requirement ``requirement_id`` (an id from the requirements).

    ``file`` is a ``pulumi.FileAsset`` or a path relative to the Pulumi project directory.
    """

    requirement_id: pulumi.Input[str]
    file: pulumi.Input[str] | pulumi.FileAsset
    document_type: pulumi.Input[str] | None = None


@dataclass(frozen=True, kw_only=True)
class NumberOrderArgs:
    """Inputs of a ``NumberOrder``. Exactly one of ``phone_number`` or ``quantity``.

    ``registration`` and ``attachments`` are personal data: they are always stored as secrets.
    """

    region_code: pulumi.Input[str]
    number_type: pulumi.Input[str]
    phone_number: pulumi.Input[str] | None = None
    quantity: pulumi.Input[int] | None = None
    number_pattern: pulumi.Input[str] | None = None
    search_pattern: pulumi.Input[str] | None = None
    sequential: pulumi.Input[bool] | None = None
    capabilities: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None
    voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None
    callback_url: pulumi.Input[str] | None = None
    registration: pulumi.Input[Any] | None = None
    attachments: pulumi.Input[Sequence[pulumi.Input[AttachmentArgs]]] | None = None
    wait_for_completion: bool | None = None
    """True declares a ``NumberOrderCompletion`` child (``order.completion``) that waits for
    review after the order is saved; a plain bool, since it decides what the program declares."""
    completion_timeout: pulumi.Input[float] | None = None
    release_on_destroy: pulumi.Input[bool] | None = None
    adopt_order_id: pulumi.Input[str] | None = None


@dataclass(frozen=True, kw_only=True)
class NumberOrderCompletionArgs:
    """Inputs of a ``NumberOrderCompletion``: the order to wait for (pass a NumberOrder's
    ``order_id``, which also makes the engine create the order first) and how long to wait in
    seconds (None: no limit)."""

    order_id: pulumi.Input[str]
    timeout: pulumi.Input[float] | None = None


_Args = TypeVar("_Args")


def _args_or_keywords(
    kind: str, resource_name: str, cls: type[_Args], args: _Args | None, given: Mapping[str, Any]
) -> _Args:
    """The resource's ``Args``: given whole, or built from its keywords (its fields, by name),
    but not both; a missing required input is named."""
    declared = fields(cls)  # type: ignore[arg-type]
    keywords = {f.name: given[f.name] for f in declared if given.get(f.name) is not None}
    if args is None:
        missing = [
            f.name
            for f in declared
            if f.name not in keywords and f.default is MISSING and f.default_factory is MISSING
        ]
        if missing:
            raise TypeError(f"{kind} {resource_name!r}: {', '.join(missing)} is required")
        return cls(**keywords)
    if keywords:
        raise TypeError(f"{kind} {resource_name!r}: give the inputs either as args or as keywords")
    return args


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


_REPLACED_STATES = ("EXPIRED", "REJECTED")


def _fail_if_incomplete(values: list[Any]) -> None:
    order_id, state, failed_step, last_error = values
    if not last_error:
        return
    if state in _REPLACED_STATES:
        advice = (
            f"The order is {state}; the next `pulumi up` replaces it with a new order (after "
            "you fix what the review or the error asks for)"
        )
    else:
        advice = (
            "The order is saved in the stack; run `pulumi up` again to resume from that step "
            "(no new order is created)"
        )
    raise NumberOrderIncompleteError(
        f"number order {order_id} stopped at step {failed_step or 'unknown'}: {last_error}. "
        f"{advice}"
    )


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


class NumberOrder(Resource, module="sinch", name="NumberOrder"):
    """Numbers ordered from Sinch, with the KYC registration and documents their country needs.

    ``pulumi up`` looks up the requirements, creates the order (its reservation starts then),
    sends the registration, uploads the documents and submits the order for review. A failure after
    the order exists keeps the order in the stack and fails the run; the next ``up`` resumes it.
    Its own hooks never wait for review: ``wait_for_completion`` declares a
    :class:`NumberOrderCompletion` child that does, once the order is saved.
    """

    completion: NumberOrderCompletion | None
    """The child that waits for review when ``wait_for_completion`` is true, else None."""

    order_id: pulumi.Output[str]
    state: pulumi.Output[str]
    expire_time: pulumi.Output[str | None]
    create_time: pulumi.Output[str | None]
    update_time: pulumi.Output[str | None]
    phone_numbers: pulumi.Output[list[str]]
    order_numbers: pulumi.Output[list[dict[str, Any]]]
    registration_logs: pulumi.Output[list[dict[str, str]]]
    """The reviewers' messages (``message``, ``create_time``): secret, they may quote the KYC."""
    completed_steps: pulumi.Output[list[str]]
    failed_step: pulumi.Output[str | None]
    last_error: pulumi.Output[str | None]
    """Why the last run stopped, in the provider's words only (step, state, counts, status)."""
    last_error_detail: pulumi.Output[str | None]
    """What the server said about that failure (a refused call's text): secret."""
    progress: pulumi.Output[dict[str, Any]]
    pending_configuration: pulumi.Output[dict[str, Any] | None]
    """The routing (sms, voice, callback) waiting to be applied: Sinch changes the numbers only
    once the order is COMPLETED, and then the next ``up`` PATCHes them; None when applied."""
    active_numbers: pulumi.Output[list[dict[str, Any]] | None]
    """Once COMPLETED, per number: ``phone_number``, ``next_charge_date``, ``expire_at`` (set
    once released) and what it carries (``display_name``, ``sms_configuration``,
    ``voice_configuration``, ``callback_url``), as Sinch had them at the last refresh or up."""
    seconds_until_expiry: pulumi.Output[int | None]
    """While CREATED (not yet submitted): seconds left of the reservation, by the local clock."""
    project_id: pulumi.Output[str | None]
    """The Sinch project the order belongs to; no hook acts on it under another project."""
    numbers_url: pulumi.Output[str | None]
    """The Numbers API URL the order belongs to; no hook acts on it under another URL."""

    region_code: pulumi.Output[str]
    number_type: pulumi.Output[str]
    phone_number: pulumi.Output[str | None]
    quantity: pulumi.Output[int | None]
    number_pattern: pulumi.Output[str | None]
    search_pattern: pulumi.Output[str | None]
    sequential: pulumi.Output[bool | None]
    capabilities: pulumi.Output[list[str] | None]
    sms_configuration: pulumi.Output[dict[str, Any] | None]
    voice_configuration: pulumi.Output[dict[str, Any] | None]
    callback_url: pulumi.Output[str | None]
    registration: pulumi.Output[Any]
    attachments: pulumi.Output[list[dict[str, Any]] | None]
    wait_for_completion: pulumi.Output[bool]
    completion_timeout: pulumi.Output[float | None]
    release_on_destroy: pulumi.Output[bool]
    adopt_order_id: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: NumberOrderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        region_code: pulumi.Input[str] | None = None,
        number_type: pulumi.Input[str] | None = None,
        phone_number: pulumi.Input[str] | None = None,
        quantity: pulumi.Input[int] | None = None,
        number_pattern: pulumi.Input[str] | None = None,
        search_pattern: pulumi.Input[str] | None = None,
        sequential: pulumi.Input[bool] | None = None,
        capabilities: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None,
        voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        registration: pulumi.Input[Any] | None = None,
        attachments: pulumi.Input[Sequence[pulumi.Input[AttachmentArgs]]] | None = None,
        wait_for_completion: bool | None = None,
        completion_timeout: pulumi.Input[float] | None = None,
        release_on_destroy: pulumi.Input[bool] | None = None,
        adopt_order_id: pulumi.Input[str] | None = None,
    ) -> None:
        # The keywords are NumberOrderArgs' fields, typed so that mypy catches a misspelt input
        # or a wrong type in a program; a test keeps the two lists equal.
        args = _args_or_keywords("NumberOrder", resource_name, NumberOrderArgs, args, locals())
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
        props: dict[str, Any] = _plain(args)
        for key in ("registration", "attachments"):
            if props.get(key) is not None:
                props[key] = pulumi.Output.secret(props[key])
        for key in COMPUTED_OUTPUTS:
            props[key] = None
        props[DECLARATION_INPUT] = _declaration(resource_name, opts)
        secrecy = pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_OUTPUTS))
        super().__init__(
            NumberOrderProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, secrecy),
        )
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


class NumberOrderCompletion(Resource, module="sinch", name="NumberOrderCompletion"):
    """Waits until a number order leaves review, outside the create that made the order.

    Orders nothing and releases nothing (destroying it does nothing at Sinch). Its create waits;
    it exists only once the order is COMPLETED. REJECTED, BLOCKED, EXPIRED or the timeout fail
    the run and create nothing, so the next ``pulumi up`` waits again (after resubmitting a
    fixed BLOCKED order, or replacing a REJECTED or EXPIRED one). A changed ``order_id``
    replaces it.
    """

    order_id: pulumi.Output[str]
    timeout: pulumi.Output[float | None]
    state: pulumi.Output[str]
    phone_numbers: pulumi.Output[list[str]]
    active_numbers: pulumi.Output[list[dict[str, Any]] | None]
    """Per number of the completed order: ``phone_number`` and ``next_charge_date``."""

    def __init__(
        self,
        resource_name: str,
        args: NumberOrderCompletionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        order_id: pulumi.Input[str] | None = None,
        timeout: pulumi.Input[float] | None = None,
    ) -> None:
        args = _args_or_keywords(
            "NumberOrderCompletion", resource_name, NumberOrderCompletionArgs, args, locals()
        )
        props: dict[str, Any] = _plain(args)
        for key in COMPLETION_OUTPUTS:
            props[key] = None
        super().__init__(NumberOrderCompletionProvider(), resource_name, props, opts)


@dataclass(frozen=True, kw_only=True)
class ActiveNumberArgs:
    """Inputs of an ``ActiveNumber``: a number already active in the Sinch project.

    Only what is set is managed: ``create`` PATCHes it onto the number, and what is left unset
    keeps whatever the number carries. ``release_on_destroy`` (default false) is the only way
    the resource ever gives a number up.
    """

    phone_number: pulumi.Input[str]
    display_name: pulumi.Input[str] | None = None
    sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None
    voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None
    callback_url: pulumi.Input[str] | None = None
    release_on_destroy: pulumi.Input[bool] | None = None


class ActiveNumber(Resource, module="sinch", name="ActiveNumber"):
    """A number already active in the Sinch project, bought outside this tool or by a completed
    ``NumberOrder``, managed by the stack: display name, SMS and voice routing, callback URL.

    Creating one never buys a number and destroying one never releases it, unless
    ``release_on_destroy`` is true. Changing ``phone_number`` manages another number instead.
    """

    phone_number: pulumi.Output[str]
    display_name: pulumi.Output[str | None]
    sms_configuration: pulumi.Output[dict[str, Any] | None]
    voice_configuration: pulumi.Output[dict[str, Any] | None]
    callback_url: pulumi.Output[str | None]
    release_on_destroy: pulumi.Output[bool]

    region_code: pulumi.Output[str | None]
    number_type: pulumi.Output[str | None]
    capabilities: pulumi.Output[list[str]]
    monthly_price: pulumi.Output[dict[str, str] | None]
    """``{"currency_code": "USD", "amount": "0.50"}``: what each payment interval costs."""
    payment_interval_months: pulumi.Output[int | None]
    next_charge_date: pulumi.Output[str | None]
    expire_at: pulumi.Output[str | None]
    """Set once the number is released: it stays active until then."""
    configuration: pulumi.Output[dict[str, Any]]
    """What the number carries at Sinch (display name, routing, callback URL), managed or not."""
    number_order_id: pulumi.Output[str | None]
    """The order_id of the NumberOrder of this program that holds the number, when
    ``phone_number`` comes from its outputs: that order, not this resource, releases it."""
    provisioning: pulumi.Output[dict[str, str | None] | None]
    """``{"sms": status, "voice": status}`` while Sinch applies routing asynchronously."""
    project_id: pulumi.Output[str | None]
    """The Sinch project the number belongs to; no hook acts on it under another project."""
    numbers_url: pulumi.Output[str | None]
    """The Numbers API URL the number belongs to; no hook acts on it under another URL."""

    def __init__(
        self,
        resource_name: str,
        args: ActiveNumberArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        phone_number: pulumi.Input[str] | None = None,
        display_name: pulumi.Input[str] | None = None,
        sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None,
        voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        release_on_destroy: pulumi.Input[bool] | None = None,
    ) -> None:
        args = _args_or_keywords("ActiveNumber", resource_name, ActiveNumberArgs, args, locals())
        if opts is not None and opts.import_:
            # As for NumberOrder (pulumi/pulumi#16175); here create adopts anyway.
            raise ActiveNumberImportError(
                f"ActiveNumber {resource_name!r}: the import_ option cannot import a dynamic "
                "resource (pulumi/pulumi#16175). Remove it: creating an ActiveNumber adopts the "
                "number given as phone_number, without buying anything"
            )
        _settings_for_an_update()
        props: dict[str, Any] = _plain(args)
        props["number_order_id"] = _holding_order_id(args.phone_number)
        for key in ACTIVE_NUMBER_OUTPUTS:
            props[key] = None
        super().__init__(ActiveNumberProvider(), resource_name, props, opts)


def _holding_order_id(phone_number: pulumi.Input[str]) -> pulumi.Output[Any] | None:
    """The order_id of the one NumberOrder whose outputs ``phone_number`` comes from, if any.

    The provider cannot see the program: the engine deletes an ActiveNumber before the order it
    depends on, so only this says that the order, deleted next, decides about the number.
    """
    if not isinstance(phone_number, pulumi.Output):
        return None
    source = phone_number

    async def holder() -> Any:
        orders = [r for r in await source.resources() if isinstance(r, NumberOrder)]
        return orders[0].order_id if len(orders) == 1 else None

    return pulumi.Output.from_input(holder())
