"""The Pulumi dynamic provider behind ``NumberOrder``: maps the engine's hooks onto the workflow.

``sinch_numbers.provider.NumberOrderProvider`` is pickled *by reference* into every user's state, so
this module path and the class name are a stable API. Nothing is pickled with it: credentials come
from ``configure`` (stack config) or the environment each time the plugin starts.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    SinchNumbersError,
)
from sinch_numbers.api.models import NumberOrder, NumberOrderState, NumberRequirements
from sinch_numbers.api.settings import ClientSettings
from sinch_numbers.inputs import ALL_INPUTS, CheckedInputs, OrderInputs, check_inputs
from sinch_numbers.kyc import AttachmentInput as KycAttachment
from sinch_numbers.kyc import normalise_registration, validate_attachments, validate_registration
from sinch_numbers.order.cost import quote
from sinch_numbers.order.find import find_order
from sinch_numbers.order.journal import CreateJournal, InterruptedCreate
from sinch_numbers.order.journal import default_directory as journal_directory
from sinch_numbers.order.journal import inputs_key as journal_key
from sinch_numbers.order.outputs import COMPUTED_OUTPUTS, SECRET_OUTPUTS, project, stored_order
from sinch_numbers.order.plan import (
    REPLACE_ON_CHANGE,
    DiffRefused,
    Draft,
    attachment_identity,
    changed,
    decide,
    in_review_refusal,
    kyc_changed,
    needs_confirmation,
)
from sinch_numbers.order.redaction import Redactor
from sinch_numbers.order.routing import Routing
from sinch_numbers.workflow import (
    AttachmentFile,
    KycPayload,
    OnceCache,
    OrderWorkflow,
    PairNotOfferedError,
    Progress,
    RequirementsCache,
    Step,
    WaitPolicy,
    WorkflowError,
    WorkflowResult,
    describe_error,
    lookup_requirements,
)

__all__ = [
    "CONFIG_KEYS",
    "SECRET_OUTPUTS",
    "NumberOrderError",
    "NumberOrderProvider",
    "ProviderSettings",
    "SinchProvider",
    "provider_settings",
    "report",
    "shared_for",
    "stack_config",
]

CONFIG_KEYS = {
    "project_id": "sinch:projectId",
    "key_id": "sinch:keyId",
    "key_secret": "sinch:keySecret",
    "numbers_url": "sinch:numbersUrl",
    "auth_url": "sinch:authUrl",
    "auth_method": "sinch:authMethod",
    "offline_check": "sinch:offlineCheck",
    "show_cost": "sinch:showCost",
}
# With credentials configured, a lookup that fails fails the check; this opts into offline only.
ENV_OFFLINE_CHECK = "SINCH_OFFLINE_CHECK"
# Check says what a new order would buy and cost; "false" turns that (and its API calls) off.
ENV_SHOW_COST = "SINCH_SHOW_COST"

# Seconds for each HTTP wait (connect, read, write, pool) instead of the client's defaults, and
# the most one attempt of a call may take in all, so a pipeline can bound a hung or trickling API
# call; optional.
ENV_HTTP_TIMEOUT = "SINCH_HTTP_TIMEOUT"


class NumberOrderError(SinchNumbersError):
    """A NumberOrder operation that cannot go on; the message says what to do."""


@dataclass(frozen=True)
class ProviderSettings:
    """Where and how to reach Sinch: stack config first, ``SINCH_*`` variables as fallback."""

    client: ClientSettings
    auth_method: str = "oauth2"
    http_timeout: float | None = None
    offline_check: bool = False
    show_cost: bool = True

    def cache_key(self) -> str:
        c = self.client
        parts = [c.project_id, c.key_id, c.key_secret, c.numbers_url, c.auth_url, self.auth_method]
        parts.append(repr(self.http_timeout))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class _Shared:
    client: SinchNumbersClient
    requirements: RequirementsCache
    prices: OnceCache = field(default_factory=OnceCache)

    def requirements_for(self, inputs: OrderInputs) -> NumberRequirements | None:
        """The pair's requirements (None: no KYC), looked up once per process."""
        return lookup_requirements(
            self.client, self.requirements, inputs.region_code, inputs.number_type.value
        )


def _lookup_failed(inputs: OrderInputs, error: SinchNumbersError) -> str:
    return (
        f"could not look up the KYC requirements for {inputs.region_code} "
        f"{inputs.number_type.value}: {describe_error(error)}"
    )


_SHARED: dict[str, _Shared] = {}
_SHARED_LOCK = threading.Lock()


def shared_for(settings: ProviderSettings) -> _Shared:
    """One pooled client and one requirements cache per set of credentials, per process.

    Every NumberOrder of a stack deserialises to the same provider instance, but a stack with
    several sets of credentials has several; sharing by settings keeps one token and one pool each.
    """
    key = settings.cache_key()
    with _SHARED_LOCK:
        shared = _SHARED.get(key)
        if shared is None:
            client = SinchNumbersClient.from_settings(
                settings.client,
                auth_method="basic" if settings.auth_method == "basic" else "oauth2",
                timeout=settings.http_timeout,
                call_deadline=settings.http_timeout,
            )
            shared = _Shared(client, RequirementsCache())
            _SHARED[key] = shared
        return shared


def _http_timeout() -> float | None:
    raw = os.environ.get(ENV_HTTP_TIMEOUT, "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ConfigurationError(
            f"{ENV_HTTP_TIMEOUT} must be a positive number of seconds", malformed=("http_timeout",)
        )
    return seconds


def report(message: str) -> None:
    """Progress a user should see, as the engine shows it for every sinch resource."""
    pulumi.log.info(f"sinch: {message}")


def stack_config(get: Callable[[str], Any]) -> dict[str, str]:
    """The ``sinch:*`` stack settings by setting name; ``get`` reads one full key (``sinch:keyId``).

    Empty and non-string values count as unset, so the environment fills them in.
    """
    config: dict[str, str] = {}
    for name, key in CONFIG_KEYS.items():
        value = get(key)
        if isinstance(value, str) and value:
            config[name] = value
    return config


def provider_settings(stack: Mapping[str, str]) -> ProviderSettings:
    """Settings from :func:`stack_config`'s result, the ``SINCH_*`` variables filling the gaps.

    Raises ``ConfigurationError`` naming each missing or malformed setting by its stack key.
    """
    config = dict(stack)
    source = CONFIG_KEYS["auth_method"] if config.get("auth_method") else "SINCH_AUTH_METHOD"
    auth_method = config.pop("auth_method", None) or os.environ.get("SINCH_AUTH_METHOD")
    if auth_method not in (None, "", "oauth2", "basic"):
        raise ConfigurationError(f"{source} must be oauth2 or basic", malformed=("auth_method",))
    offline = _flag(config, "offline_check", ENV_OFFLINE_CHECK, default=False)
    show_cost = _flag(config, "show_cost", ENV_SHOW_COST, default=True)
    client = ClientSettings.resolve(
        project_id=config.get("project_id"),
        key_id=config.get("key_id"),
        key_secret=config.get("key_secret"),
        numbers_url=config.get("numbers_url"),
        auth_url=config.get("auth_url"),
        names=CONFIG_KEYS,
    )
    return ProviderSettings(
        client,
        auth_method or "oauth2",
        _http_timeout(),
        offline_check=offline,
        show_cost=show_cost,
    )


def _flag(config: dict[str, str], name: str, variable: str, *, default: bool) -> bool:
    raw = (config.pop(name, None) or os.environ.get(variable, "")).strip().lower()
    if raw not in ("", "true", "false"):
        raise ConfigurationError(
            f"{CONFIG_KEYS[name]} (or {variable}) must be true or false", malformed=(name,)
        )
    return default if not raw else raw == "true"


class SinchProvider(ResourceProvider):
    """What every sinch provider shares: settings read fresh in each plugin process (stack
    config through ``configure``, then the environment), and nothing pickled.

    Holds no per-call state: the plugin shares one instance across up to four concurrent calls.
    """

    serialize_as_secret_always = True

    def __init__(self) -> None:
        super().__init__()
        self._config: dict[str, str] = {}

    # Pickle nothing: whatever is on the instance would land in every user's state.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._config = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def configure(self, req: ConfigureRequest) -> None:
        self._config = stack_config(req.config.get)

    def _settings(self) -> ProviderSettings:
        return provider_settings(self._config)

    def _shared(self) -> _Shared:
        return shared_for(self._settings())


class NumberOrderProvider(SinchProvider):
    """Orders numbers with KYC through the Sinch Numbers API."""

    # --- helpers ------------------------------------------------------------------------------

    def _workflow(self, shared: _Shared) -> OrderWorkflow:
        return OrderWorkflow(shared.client, shared.requirements, report=report)

    # --- check --------------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = check_inputs(news)
        failures = [CheckFailure(f.property, f.reason) for f in checked.failures]
        # checked.inputs, not news: what was stored for olds went through check too (document
        # hashes included), so only the two checked forms compare.
        if not failures and checked.parsed is not None:
            if _needs_online_check(olds, checked.inputs):
                failures += self._check_against_requirements(checked.parsed)
            if not failures and _orders_anew(olds, checked.inputs):
                self._show_cost(checked.parsed)
        return CheckResult(checked.inputs, failures)

    def _show_cost(self, inputs: OrderInputs) -> None:
        """Say what an up would buy: check is the one hook preview runs for a new resource."""
        try:
            settings = self._settings()
        except ConfigurationError:
            return
        if not settings.show_cost or settings.offline_check:
            return
        try:
            found = quote(shared_for(settings).client, shared_for(settings).prices, inputs)
        except SinchNumbersError as error:
            pulumi.log.warn(f"sinch: could not price the order: {describe_error(error)}")
            return
        report(found.describe(inputs))

    def _check_against_requirements(self, inputs: OrderInputs) -> list[CheckFailure]:
        """Validate against the looked-up requirements when credentials are known.

        A green preview must mean "checked": with credentials configured, a lookup that fails
        is a failure naming what to fix, unless the stack opted into offline checking. A
        malformed setting is a failure too: a mistake to fix, not credentials still to come.
        """
        try:
            settings = self._settings()
        except ConfigurationError as error:
            if error.malformed:
                return [CheckFailure("", f"sinch: {error}")]
            pulumi.log.warn(f"sinch: the inputs were checked offline only: {error}")
            return []
        if settings.offline_check:
            pulumi.log.warn(
                f"sinch: {CONFIG_KEYS['offline_check']} is true, so the inputs were checked "
                "offline only"
            )
            return []
        try:
            requirements = shared_for(settings).requirements_for(inputs)
        except PairNotOfferedError as error:
            return [CheckFailure("number_type", str(error))]
        except (AuthenticationError, PermissionDeniedError) as error:
            # The client's error names the stack keys to check.
            return [CheckFailure("", _lookup_failed(inputs, error))]
        except SinchNumbersError as error:
            return [
                CheckFailure(
                    "",
                    f"{_lookup_failed(inputs, error)}. Preview cannot check the KYC data; set "
                    f"{CONFIG_KEYS['offline_check']} to true to accept an offline check only",
                )
            ]
        return [CheckFailure(p, r) for p, r in _kyc_violations(inputs, requirements)]

    # --- diff ---------------------------------------------------------------------------------

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        draft = Draft.of(olds, news)
        stored = _stored_state(olds)
        order: NumberOrder | None = None
        if needs_confirmation(draft, olds):
            order = self._confirm(id_)
            state = order.state
        elif stored.is_final:
            state = stored
        else:
            return DiffResult(changes=False, replaces=[], stables=None, delete_before_replace=False)
        try:
            plan = decide(draft, state, id_)
        except DiffRefused as refused:
            raise NumberOrderError(str(refused)) from None
        if plan.replacing and state is NumberOrderState.COMPLETED:
            numbers = order.phone_numbers if order is not None else olds.get("phone_numbers")
            _warn_release(id_, list(numbers or []), olds.get("release_on_destroy", True))
        return DiffResult(
            changes=plan.changes,
            replaces=list(plan.replaces),
            stables=None,
            delete_before_replace=False,
        )

    def _confirm(self, id_: str) -> NumberOrder:
        """The order as Sinch has it, for a plan that must not rest on stale state."""
        try:
            order = find_order(self._shared().client, id_)
        except SinchNumbersError as error:
            raise NumberOrderError(
                f"order {id_}: could not read it to plan the change safely: {describe_error(error)}"
            ) from None
        if order is None:
            raise NumberOrderError(_gone(id_))
        return order

    # --- create -------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        checked = _require_valid(props)
        inputs = checked.parsed
        assert inputs is not None
        shared = self._shared()
        workflow = self._workflow(shared)
        wait = _wait_policy(inputs)
        desired = Routing.of(checked.inputs)
        journal = _journal(shared)
        if inputs.adopt_order_id:
            order = self._adopt(shared, inputs)
            kyc = _kyc_payload(inputs, None)
            progress = Progress(routing=Routing.of_order(order))
            result = workflow.resume(order, progress, kyc, wait, routing=desired)
        else:
            key = _journal_key(checked.inputs)
            interrupted = journal.interrupted(key) if journal is not None else None
            if interrupted is not None:
                raise NumberOrderError(_interrupted_message(interrupted))
            requirements = self._require_valid_kyc(shared, inputs)
            kyc = _kyc_payload(inputs, requirements)

            def note(order: NumberOrder) -> None:
                if journal is not None:
                    journal.note(key, order.id_number_order)

            try:
                result = workflow.create(
                    inputs.create_request(), kyc, wait, routing=desired, on_created=note
                )
            except WorkflowError as error:
                raise NumberOrderError(str(error)) from None
        assert result.order is not None
        outputs = _outputs(checked.inputs, result, kyc.redactor())
        if journal is not None:
            # Handed to the engine now; a journal that cannot be written costs only the note.
            with contextlib.suppress(OSError):
                journal.forget(result.order.id_number_order)
        return CreateResult(result.order.id_number_order, outputs)

    def _require_valid_kyc(self, shared: _Shared, inputs: OrderInputs) -> NumberRequirements | None:
        try:
            requirements = shared.requirements_for(inputs)
        except SinchNumbersError as error:
            raise NumberOrderError(
                f"lookup: {_lookup_failed(inputs, error)}. No order was created"
            ) from None
        violations = _kyc_violations(inputs, requirements)
        if violations:
            listed = "; ".join(f"{p}: {r}" for p, r in violations)
            raise NumberOrderError(f"invalid KYC data, no order was created: {listed}")
        return requirements

    def _adopt(self, shared: _Shared, inputs: OrderInputs) -> NumberOrder:
        order_id = inputs.adopt_order_id
        assert order_id is not None
        try:
            order = find_order(shared.client, order_id)
        except SinchNumbersError as error:
            raise NumberOrderError(f"adopt_order_id: {describe_error(error)}") from None
        if order is None:
            raise NumberOrderError(
                f"adopt_order_id: order {order_id} does not exist in this Sinch project"
            )
        mismatches = []
        if order.region_code and order.region_code != inputs.region_code:
            mismatches.append("region_code")
        if order.number_type is not None and order.number_type != inputs.number_type:
            mismatches.append("number_type")
        if inputs.phone_number is not None and inputs.phone_number not in order.phone_numbers:
            mismatches.append("phone_number")
        if inputs.quantity is not None and inputs.quantity != len(order.order_numbers):
            mismatches.append("quantity")
        if mismatches:
            raise NumberOrderError(
                f"adopt_order_id: order {order_id} does not match the inputs "
                f"({', '.join(mismatches)} differ); change the inputs to match the order"
            )
        report(f"adopting order {order_id} in state {order.state.value}")
        journal = _journal(shared)
        if journal is not None:
            with contextlib.suppress(OSError):
                journal.forget(order_id)
        return order

    # --- read ---------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        shared = self._shared()
        try:
            order = find_order(shared.client, id_)
            if order is None:
                return ReadResult("", {})
            workflow = self._workflow(shared)
            logs = workflow.review_logs(order)
        except SinchNumbersError as error:
            raise NumberOrderError(_without_the_program(id_, error)) from None
        numbers = (
            workflow.read_active_numbers(order)
            if order.state is NumberOrderState.COMPLETED
            else None
        )
        failed_step = _step_or_none(props.get("failed_step"))
        last_error = props.get("last_error") or None
        if order.state is NumberOrderState.COMPLETED and failed_step is Step.WAIT:
            # The wait that timed out is over: review completed since.
            failed_step, last_error = None, None
        result = WorkflowResult(
            order,
            Progress.from_dict(props.get("progress")),
            tuple(s for s in map(_step_or_none, props.get("completed_steps") or []) if s),
            failed_step,
            last_error if isinstance(last_error, str) else None,
            logs,
            numbers,
        )
        inputs = {k: props[k] for k in ALL_INPUTS if k in props}
        return ReadResult(id_, _outputs(props, result, _redactor_of(props)), inputs)

    # --- update -------------------------------------------------------------------------------

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        checked = _require_valid(news)
        inputs = checked.parsed
        assert inputs is not None
        shared = self._shared()
        # A final state never changes again: the stored order is the order (no API call). Any
        # other state may be stale, so the server's is read.
        order = stored_order(olds) if _stored_state(olds).is_final else None
        if order is None:
            try:
                order = find_order(shared.client, id_)
            except SinchNumbersError as error:
                raise NumberOrderError(f"order {id_}: {describe_error(error)}") from None
        if order is None:
            raise NumberOrderError(_gone(id_))
        # The server's state, not the stack's: since the last refresh a reviewer may have
        # blocked the order (which accepts the fix), rejected or approved it.
        resend = kyc_changed(olds, news) or bool(olds.get("failed_step") or olds.get("last_error"))
        if order.state is NumberOrderState.IN_REVIEW and kyc_changed(olds, news):
            raise NumberOrderError(in_review_refusal(id_))
        requirements = None
        if order.state.accepts_kyc and resend:
            requirements = self._require_valid_kyc(shared, inputs)
        kyc = _kyc_payload(inputs, requirements)
        progress = Progress.from_dict(olds.get("progress"))
        if progress.routing is None:
            progress = replace(progress, routing=Routing.of(olds))
        result = self._workflow(shared).resume(
            order,
            progress,
            kyc,
            _wait_policy(inputs),
            routing=Routing.of(checked.inputs),
            done=(Step.CREATE,),
        )
        return UpdateResult(_outputs(checked.inputs, result, kyc.redactor(), olds))

    # --- delete -------------------------------------------------------------------------------

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        shared = self._shared()
        try:
            order = find_order(shared.client, id_)
        except SinchNumbersError as error:
            raise NumberOrderError(_without_the_program(id_, error)) from None
        if order is None:
            report(f"order {id_} no longer exists; nothing to delete")
            return
        state = order.state
        if state is NumberOrderState.COMPLETED:
            if props.get("release_on_destroy", True) is False:
                pulumi.log.warn(
                    f"sinch: order {id_}: release_on_destroy is false, so its numbers "
                    f"{', '.join(order.phone_numbers)} stay active and billed"
                )
                return
            for phone_number in order.phone_numbers:
                _release(shared, id_, phone_number)
        elif state is NumberOrderState.CREATED:
            expires = order.expire_time.isoformat() if order.expire_time else "its expiry"
            pulumi.log.warn(
                f"sinch: order {id_} was never submitted. Sinch has no call to cancel an order; "
                f"its reservation lapses at {expires} and nothing is billed"
            )
        elif state.awaits_review:
            pulumi.log.warn(
                f"sinch: order {id_} is {state.value} and CANNOT be cancelled: Sinch has no "
                "cancel call. If review approves it, its numbers will be activated and BILLED. "
                f"Watch it with `sinch-numbers order watch {id_}`; if it completes, release each "
                "number with `sinch-numbers number release NUMBER --confirm NUMBER`"
            )
        else:
            report(f"order {id_} is {state.value}; nothing to release")


# --- module helpers ---------------------------------------------------------------------------


def _release(shared: _Shared, order_id: str, phone_number: str) -> None:
    try:
        number = shared.client.release_active_number(phone_number)
    except NotFoundError:
        report(f"order {order_id}: number {phone_number} is already gone")
        return
    except SinchNumbersError as error:
        raise NumberOrderError(
            f"order {order_id}: releasing {phone_number} failed: {describe_error(error)}. "
            "Run destroy again to retry"
        ) from None
    until = number.expire_at.isoformat() if number.expire_at else "the next charge date"
    report(f"order {order_id}: released {phone_number} (stays active until {until})")


def _journal(shared: _Shared) -> CreateJournal | None:
    directory = journal_directory()
    return CreateJournal(directory, shared.client.project_id) if directory is not None else None


def _journal_key(inputs: Mapping[str, Any]) -> str:
    """What makes two creates the same declared order: the pair, what is ordered, the KYC."""
    identity = [inputs.get(k) for k in REPLACE_ON_CHANGE]
    return journal_key(
        identity, inputs.get("registration"), attachment_identity(inputs.get("attachments"))
    )


def _interrupted_message(interrupted: InterruptedCreate) -> str:
    when = datetime.fromtimestamp(interrupted.created_at, UTC).isoformat(timespec="seconds")
    order_id = interrupted.order_id
    return (
        f"an earlier `pulumi up` created order {order_id} for these inputs at {when} and was "
        "interrupted before Pulumi saved it (the engine shows it as interrupted while "
        f'creating). Keep that order: set adopt_order_id="{order_id}" and run `pulumi up` '
        f"again. To order anew instead, delete {interrupted.path}"
    )


def _without_the_program(order_id: str, error: SinchNumbersError) -> str:
    # Observed with the real engine: a plain refresh or destroy configures the provider with the
    # settings recorded at the last `up`, so changed credentials or URLs only reach it with
    # --run-program (or after an up).
    return (
        f"order {order_id}: {describe_error(error)}. A plain `pulumi refresh` or `pulumi destroy` "
        "uses the sinch: settings saved at the last `pulumi up`; if they changed since, add "
        "--run-program (or run `pulumi up` first)"
    )


def _gone(order_id: str) -> str:
    # A 404 may also mean the stack now points at another project: never order anew on it.
    return (
        f"order {order_id} no longer exists in this Sinch project. Run `pulumi refresh` to drop "
        f"it from the stack; the next `pulumi up` then creates a new order. If "
        f"{CONFIG_KEYS['project_id']} or the credentials changed, put them back instead"
    )


def _warn_release(order_id: str, numbers: list[str], release_on_destroy: Any) -> None:
    listed = ", ".join(numbers) or "its numbers"
    if release_on_destroy is False:
        pulumi.log.warn(
            f"sinch: replacing COMPLETED order {order_id}: release_on_destroy is false, so "
            f"{listed} stay active and billed next to the new order's numbers"
        )
        return
    pulumi.log.warn(
        f"sinch: replacing COMPLETED order {order_id} RELEASES its active number(s) {listed} "
        "once the new order exists; Sinch may give a released number to someone else"
    )


def _require_valid(props: Mapping[str, Any]) -> CheckedInputs:
    checked = check_inputs(props)
    if checked.failures:
        listed = "; ".join(f"{f.property}: {f.reason}" for f in checked.failures)
        raise NumberOrderError(f"invalid inputs: {listed}")
    if checked.parsed is None:
        raise NumberOrderError("inputs are not fully known")
    return checked


def _orders_anew(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether an up with these inputs creates an order: a new resource, or a replacement,
    which the engine checks once more with no old inputs before creating it. Not an adoption."""
    return not olds and not news.get("adopt_order_id")


def _needs_online_check(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether check must consult the requirements: a new order, another pair, new KYC data.

    Unchanged KYC inputs were checked when they were first planned, and nothing is sent again
    for them, so an unchanged preview makes no API call.
    """
    if not olds:
        return True
    same_pair = not any(changed(olds.get(k), news.get(k)) for k in ("region_code", "number_type"))
    return not same_pair or kyc_changed(olds, news)


def _kyc_violations(
    inputs: OrderInputs, requirements: NumberRequirements | None
) -> list[tuple[str, str]]:
    if requirements is None:
        if inputs.attachments:
            return [
                (
                    "attachments",
                    f"{inputs.region_code} {inputs.number_type.value} "
                    "needs no documents; remove the attachments",
                )
            ]
        return []
    found: list[tuple[str, str]] = []
    if inputs.registration is not None:
        report = validate_registration(requirements, inputs.registration, base_path="registration")
        for warning in report.warnings:
            pulumi.log.warn(f"sinch: {warning}")
        found += [(v.field, v.rule) for v in report.violations]
    attachments = [
        KycAttachment(
            requirement_id=a.requirement_id,
            content=a.content,
            file_name=a.file_name,
            document_type=a.document_type,
            index=a.index,
        )
        for a in inputs.attachments
    ]
    found += [(v.field, v.rule) for v in validate_attachments(requirements, attachments)]
    return found


def _kyc_payload(inputs: OrderInputs, requirements: NumberRequirements | None) -> KycPayload:
    """What the workflow sends: the registration in the types its requirements declare."""
    registration = inputs.registration
    if requirements is not None and registration is not None:
        registration = normalise_registration(requirements, registration)
    files = tuple(
        AttachmentFile(
            requirement_id=a.requirement_id,
            content=a.content,
            file_name=a.file_name,
            mime_type=a.mime_type,
            document_type=a.document_type,
        )
        for a in inputs.attachments
    )
    return KycPayload(registration=registration, attachments=files)


def _redactor_of(props: Mapping[str, Any]) -> Redactor:
    """The redactor for stored outputs: their registration and their documents' paths."""
    attachments = props.get("attachments")
    paths = [
        str(a["file"])
        for a in attachments or []
        if isinstance(a, Mapping) and isinstance(a.get("file"), str)
    ]
    return Redactor.for_kyc(props.get("registration"), paths)


def _wait_policy(inputs: OrderInputs) -> WaitPolicy:
    return WaitPolicy(timeout=inputs.completion_timeout if inputs.wait_for_completion else 0.0)


def _stored_state(outputs: Mapping[str, Any]) -> NumberOrderState:
    try:
        return NumberOrderState(str(outputs.get("state")))
    except ValueError:
        return NumberOrderState.UNSPECIFIED


def _step_or_none(value: Any) -> Step | None:
    try:
        return Step(value)
    except ValueError:
        return None


def _outputs(
    inputs: Mapping[str, Any],
    result: WorkflowResult,
    redact: Redactor,
    stored: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The projection, guarded: once an order exists, building its outputs must not fail."""
    try:
        return project(inputs, result, redact, stored=stored)
    except Exception as error:
        assert result.order is not None
        outputs = {key: inputs.get(key) for key in ALL_INPUTS}
        outputs.update(dict.fromkeys(COMPUTED_OUTPUTS))
        outputs.update(
            order_id=result.order.id_number_order,
            state=result.order.state.value,
            failed_step=(result.failed_step or Step.WAIT).value,
            last_error=f"unexpected {type(error).__name__} while recording the order; "
            "the next update reads it again",
        )
        return outputs
