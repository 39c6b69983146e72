"""The Pulumi dynamic provider behind ``NumberOrder``: maps the engine's hooks onto the workflow.

``sinch_numbers.provider.NumberOrderProvider`` is pickled *by reference* into every user's state, so
this module path and the class name are a stable API. Nothing is pickled with it: credentials come
from ``configure`` (stack config) or the environment each time the plugin starts.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
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
from sinch_numbers.api.errors import ConfigurationError, NotFoundError, SinchNumbersError
from sinch_numbers.api.models import (
    NumberOrder,
    NumberOrderState,
    NumberRequirements,
    UpdateActiveNumberRequest,
)
from sinch_numbers.api.settings import ClientSettings
from sinch_numbers.inputs import (
    ALL_INPUTS,
    CONFIGURATION_INPUTS,
    IDENTITY_INPUTS,
    KYC_INPUTS,
    STATE_ONLY_INPUTS,
    CheckedInputs,
    OrderInputs,
    check_inputs,
    contains_unknown,
)
from sinch_numbers.kyc import AttachmentInput as KycAttachment
from sinch_numbers.kyc import validate_attachments, validate_registration
from sinch_numbers.workflow import (
    AttachmentFile,
    KycPayload,
    OrderWorkflow,
    Progress,
    RequirementsCache,
    Step,
    WaitPolicy,
    WorkflowError,
    WorkflowResult,
    describe_error,
    is_past_expiry,
    lookup_requirements,
    redact,
)

CONFIG_KEYS = {
    "project_id": "sinch:projectId",
    "key_id": "sinch:keyId",
    "key_secret": "sinch:keySecret",
    "numbers_url": "sinch:numbersUrl",
    "auth_url": "sinch:authUrl",
    "auth_method": "sinch:authMethod",
}

# Seconds for each HTTP wait (connect, read, write, pool) instead of the client's defaults, and
# the most one attempt of a call may take in all, so a pipeline can bound a hung or trickling API
# call; optional.
ENV_HTTP_TIMEOUT = "SINCH_HTTP_TIMEOUT"

# Outputs that carry KYC data or fingerprints of it; the resource marks them secret.
SECRET_OUTPUTS = ("registration", "attachments", "progress")

# Diff keys whose change to an existing order means a new order.
_REPLACE_ON_CHANGE = tuple(k for k in IDENTITY_INPUTS if k != "adopt_order_id")


class NumberOrderError(SinchNumbersError):
    """A NumberOrder operation that cannot go on; the message says what to do."""


@dataclass(frozen=True)
class ProviderSettings:
    """Where and how to reach Sinch: stack config first, ``SINCH_*`` variables as fallback."""

    client: ClientSettings
    auth_method: str = "oauth2"
    http_timeout: float | None = None

    def cache_key(self) -> str:
        c = self.client
        parts = [c.project_id, c.key_id, c.key_secret, c.numbers_url, c.auth_url, self.auth_method]
        parts.append(repr(self.http_timeout))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class _Shared:
    client: SinchNumbersClient
    requirements: RequirementsCache

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


def _shared_for(settings: ProviderSettings) -> _Shared:
    """One pooled client and one requirements cache per set of credentials, per process.

    Every NumberOrder of a stack deserialises to the same provider instance, but a stack with
    several sets of credentials has several; sharing by settings keeps one token and one pool each.
    """
    key = settings.cache_key()
    with _SHARED_LOCK:
        shared = _SHARED.get(key)
        if shared is None:
            c = settings.client
            client = SinchNumbersClient(
                project_id=c.project_id,
                key_id=c.key_id,
                key_secret=c.key_secret,
                numbers_url=c.numbers_url,
                auth_url=c.auth_url,
                auth_method="basic" if settings.auth_method == "basic" else "oauth2",
                timeout=httpx.Timeout(settings.http_timeout) if settings.http_timeout else None,
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
        raise NumberOrderError(f"{ENV_HTTP_TIMEOUT} must be a positive number of seconds")
    return seconds


def _report(message: str) -> None:
    pulumi.log.info(f"sinch: {message}")


class NumberOrderProvider(ResourceProvider):
    """Orders numbers with KYC through the Sinch Numbers API.

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
        return "NumberOrderProvider()"

    def configure(self, req: ConfigureRequest) -> None:
        config: dict[str, str] = {}
        for name, key in CONFIG_KEYS.items():
            value = req.config.get(key)
            if isinstance(value, str) and value:
                config[name] = value
        self._config = config

    # --- helpers ------------------------------------------------------------------------------

    def _settings(self) -> ProviderSettings:
        config = dict(self._config)
        auth_method = config.pop("auth_method", None) or os.environ.get("SINCH_AUTH_METHOD")
        if auth_method not in (None, "", "oauth2", "basic"):
            raise NumberOrderError("sinch:authMethod must be oauth2 or basic")
        client = ClientSettings.resolve(
            project_id=config.get("project_id"),
            key_id=config.get("key_id"),
            key_secret=config.get("key_secret"),
            numbers_url=config.get("numbers_url"),
            auth_url=config.get("auth_url"),
        )
        return ProviderSettings(client, auth_method or "oauth2", _http_timeout())

    def _shared(self) -> _Shared:
        return _shared_for(self._settings())

    def _workflow(self, shared: _Shared) -> OrderWorkflow:
        return OrderWorkflow(shared.client, shared.requirements, report=_report)

    # --- check --------------------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = check_inputs(news)
        failures = [CheckFailure(f.property, f.reason) for f in checked.failures]
        if not failures and checked.parsed is not None:
            failures += self._check_against_requirements(checked.parsed)
        return CheckResult(checked.inputs, failures)

    def _check_against_requirements(self, inputs: OrderInputs) -> list[CheckFailure]:
        """Validate KYC against the looked-up requirements when credentials are known.

        A lookup that fails is not a check failure: the same lookup runs again before the order
        is created, and it raises there, before any reservation starts.
        """
        if inputs.registration is None and not inputs.attachments:
            return []
        try:
            settings = self._settings()
        except ConfigurationError:
            pulumi.log.warn(
                "sinch: credentials are not configured, so KYC data was checked offline only"
            )
            return []
        except SinchNumbersError as error:
            pulumi.log.warn(f"sinch: {error}; KYC data was checked offline only")
            return []
        try:
            requirements = _shared_for(settings).requirements_for(inputs)
        except SinchNumbersError as error:
            pulumi.log.warn(f"sinch: {_lookup_failed(inputs, error)}; checked offline only")
            return []
        return [CheckFailure(p, r) for p, r in _kyc_violations(inputs, requirements)]

    # --- diff ---------------------------------------------------------------------------------

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces: list[str] = []
        updates: list[str] = []
        state = olds.get("state")
        completed = state == NumberOrderState.COMPLETED.value

        for key in _REPLACE_ON_CHANGE:
            if _changed(olds.get(key), news.get(key)):
                replaces.append(key)
        adopt = news.get("adopt_order_id")
        if contains_unknown(adopt) or (adopt and adopt != olds.get("order_id")):
            replaces.append("adopt_order_id")
        elif _changed(olds.get("adopt_order_id"), adopt):
            updates.append("adopt_order_id")

        if state in (NumberOrderState.EXPIRED.value, NumberOrderState.REJECTED.value):
            replaces.append("state")
        elif state == NumberOrderState.CREATED.value and is_past_expiry(olds.get("expire_time")):
            replaces.append("expire_time")

        for key in CONFIGURATION_INPUTS:
            if _changed(olds.get(key), news.get(key)):
                (updates if completed else replaces).append(key)
        if _changed(olds.get("registration"), news.get("registration")):
            updates.append("registration")
        if _changed(
            _attachment_identity(olds.get("attachments")),
            _attachment_identity(news.get("attachments")),
        ):
            updates.append("attachments")
        for key in STATE_ONLY_INPUTS:
            if _changed(olds.get(key), news.get(key)):
                updates.append(key)
        incomplete = bool(olds.get("failed_step") or olds.get("last_error"))
        return DiffResult(
            changes=bool(replaces or updates or incomplete),
            replaces=replaces,
            stables=None,
            delete_before_replace=False,
        )

    # --- create -------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        checked = _require_valid(props)
        inputs = checked.parsed
        assert inputs is not None
        shared = self._shared()
        workflow = self._workflow(shared)
        kyc = _kyc_payload(inputs)
        wait = _wait_policy(inputs)
        if inputs.adopt_order_id:
            order = self._adopt(shared, inputs)
            result = workflow.resume(order, Progress(), kyc, wait)
        else:
            self._require_valid_kyc(shared, inputs)
            try:
                result = workflow.create(inputs.create_request(), kyc, wait)
            except WorkflowError as error:
                raise NumberOrderError(str(error)) from None
        assert result.order is not None
        return CreateResult(result.order.id_number_order, _outputs(checked.inputs, result))

    def _require_valid_kyc(self, shared: _Shared, inputs: OrderInputs) -> None:
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

    def _adopt(self, shared: _Shared, inputs: OrderInputs) -> NumberOrder:
        order_id = inputs.adopt_order_id
        assert order_id is not None
        try:
            order = shared.client.get_number_order(order_id)
        except NotFoundError:
            raise NumberOrderError(
                f"adopt_order_id: order {order_id} does not exist in this Sinch project"
            ) from None
        except SinchNumbersError as error:
            raise NumberOrderError(f"adopt_order_id: {describe_error(error)}") from None
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
        _report(f"adopting order {order_id} in state {order.state.value}")
        return order

    # --- read ---------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        shared = self._shared()
        try:
            order = shared.client.get_number_order(id_)
        except NotFoundError:
            return ReadResult("", {})
        logs = self._workflow(shared).review_logs(order)
        outputs = {k: v for k, v in props.items() if k != "__provider"}
        outputs.update(_order_outputs(order))
        outputs["registration_logs"] = _redacted_logs(logs, props)
        if order.state is NumberOrderState.COMPLETED and outputs.get("failed_step") == Step.WAIT:
            outputs["failed_step"] = None
            outputs["last_error"] = None
        inputs = {k: props[k] for k in ALL_INPUTS if k in props}
        return ReadResult(id_, outputs, inputs)

    # --- update -------------------------------------------------------------------------------

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        checked = _require_valid(news)
        inputs = checked.parsed
        assert inputs is not None
        shared = self._shared()
        state = olds.get("state")
        kyc_changed = _changed(olds.get("registration"), news.get("registration")) or _changed(
            _attachment_identity(olds.get("attachments")),
            _attachment_identity(news.get("attachments")),
        )
        if state == NumberOrderState.COMPLETED.value:
            return UpdateResult(self._update_completed(shared, id_, olds, checked))
        if kyc_changed or olds.get("failed_step") or olds.get("last_error"):
            self._require_valid_kyc(shared, inputs)
        try:
            order = shared.client.get_number_order(id_)
        except NotFoundError:
            raise NumberOrderError(
                f"order {id_} no longer exists in this Sinch project. Run `pulumi refresh` to "
                "drop it from the stack; the next `pulumi up` then creates a new order"
            ) from None
        except SinchNumbersError as error:
            raise NumberOrderError(f"order {id_}: {describe_error(error)}") from None
        # The server's state, not the stack's: since the last refresh a reviewer may have
        # blocked the order (which accepts the fix) or rejected it.
        if order.state is NumberOrderState.IN_REVIEW and kyc_changed:
            raise NumberOrderError(
                f"order {id_} is IN_REVIEW: Sinch accepts no registration or document changes "
                "while an order is in review. Revert the change to registration/attachments and "
                "wait for the outcome (`pulumi refresh` shows it). A BLOCKED order accepts "
                "changes; a REJECTED one is replaced by a new order on the next `pulumi up`"
            )
        progress = Progress.from_dict(olds.get("progress"))
        result = self._workflow(shared).resume(
            order, progress, _kyc_payload(inputs), _wait_policy(inputs), done=(Step.CREATE,)
        )
        return UpdateResult(_outputs(checked.inputs, result))

    def _update_completed(
        self, shared: _Shared, id_: str, olds: dict[str, Any], checked: CheckedInputs
    ) -> dict[str, Any]:
        """A completed order: reconfigure its active numbers in place, never release them."""
        inputs = checked.parsed
        assert inputs is not None
        news = checked.inputs
        patch: dict[str, Any] = {}
        if _changed(olds.get("sms_configuration"), news.get("sms_configuration")):
            patch["sms_configuration"] = inputs.sms_configuration
        if _changed(olds.get("voice_configuration"), news.get("voice_configuration")):
            patch["voice_configuration"] = inputs.voice_configuration
        if _changed(olds.get("callback_url"), news.get("callback_url")):
            patch["callback_url"] = inputs.callback_url or ""
        outputs = {k: v for k, v in olds.items() if k != "__provider"}
        outputs.update(news)
        outputs["failed_step"] = None
        outputs["last_error"] = None
        if patch and any(v is not None for v in patch.values()):
            request = UpdateActiveNumberRequest(**patch)
            for phone_number in olds.get("phone_numbers") or []:
                _report(f"order {id_}: updating active number {phone_number}")
                try:
                    shared.client.update_active_number(phone_number, request)
                except SinchNumbersError as error:
                    raise NumberOrderError(
                        f"order {id_}: updating active number {phone_number} failed: "
                        f"{describe_error(error)}"
                    ) from None
        return outputs

    # --- delete -------------------------------------------------------------------------------

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        shared = self._shared()
        try:
            order = shared.client.get_number_order(id_)
        except NotFoundError:
            _report(f"order {id_} no longer exists; nothing to delete")
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
                self._release(shared, id_, phone_number)
        elif state is NumberOrderState.CREATED:
            expires = order.expire_time.isoformat() if order.expire_time else "its expiry"
            pulumi.log.warn(
                f"sinch: order {id_} was never submitted. Sinch has no call to cancel an order; "
                f"its reservation lapses at {expires} and nothing is billed"
            )
        elif state in (NumberOrderState.IN_REVIEW, NumberOrderState.BLOCKED):
            pulumi.log.warn(
                f"sinch: order {id_} is {state.value} and CANNOT be cancelled: Sinch has no "
                "cancel call. If review approves it, its numbers will be activated and BILLED. "
                f"Watch it with `sinch-numbers order watch {id_}` and release the numbers then"
            )
        else:
            _report(f"order {id_} is {state.value}; nothing to release")

    def _release(self, shared: _Shared, order_id: str, phone_number: str) -> None:
        try:
            number = shared.client.release_active_number(phone_number)
        except NotFoundError:
            _report(f"order {order_id}: number {phone_number} is already gone")
            return
        except SinchNumbersError as error:
            raise NumberOrderError(
                f"order {order_id}: releasing {phone_number} failed: {describe_error(error)}. "
                "Run destroy again to retry"
            ) from None
        until = number.expire_at.isoformat() if number.expire_at else "the next charge date"
        _report(f"order {order_id}: released {phone_number} (stays active until {until})")


# --- module helpers ---------------------------------------------------------------------------


def _require_valid(props: Mapping[str, Any]) -> CheckedInputs:
    checked = check_inputs(props)
    if checked.failures:
        listed = "; ".join(f"{f.property}: {f.reason}" for f in checked.failures)
        raise NumberOrderError(f"invalid inputs: {listed}")
    if checked.parsed is None:
        raise NumberOrderError("inputs are not fully known")
    return checked


def _changed(old: Any, new: Any) -> bool:
    if contains_unknown(new):
        return True
    return bool(_normal(old) != _normal(new))


def _normal(value: Any) -> Any:
    """Compare as the engine stores values: numbers as floats, empty as absent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if value == "":
        return None
    path = getattr(value, "path", None)
    if isinstance(path, str):
        return path
    return value


def _attachment_identity(value: Any) -> Any:
    """What identifies an uploaded document: requirement, document type and content hash."""
    if contains_unknown(value):
        return value
    if not isinstance(value, list):
        return value
    return sorted(
        (
            (str(a.get("requirement_id")), str(a.get("document_type") or ""), str(a.get("sha256")))
            for a in value
            if isinstance(a, Mapping)
        ),
    )


def _kyc_violations(inputs: OrderInputs, requirements: Any) -> list[tuple[str, str]]:
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


def _kyc_payload(inputs: OrderInputs) -> KycPayload:
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
    return KycPayload(registration=inputs.registration, attachments=files)


def _wait_policy(inputs: OrderInputs) -> WaitPolicy:
    return WaitPolicy(timeout=inputs.completion_timeout if inputs.wait_for_completion else 0.0)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _order_outputs(order: NumberOrder) -> dict[str, Any]:
    return {
        "order_id": order.id_number_order,
        "state": order.state.value,
        "expire_time": _iso(order.expire_time),
        "create_time": _iso(order.create_time),
        "update_time": _iso(order.update_time),
        "phone_numbers": order.phone_numbers,
        "order_numbers": [
            {
                "phone_number": n.phone_number,
                "capabilities": [c.value for c in n.capabilities],
                "setup_price": n.number_price.setup_price.model_dump()
                if n.number_price and n.number_price.setup_price
                else None,
                "monthly_price": n.number_price.monthly_price.model_dump()
                if n.number_price and n.number_price.monthly_price
                else None,
                "payment_interval_months": n.number_price.payment_interval_months
                if n.number_price
                else None,
            }
            for n in order.order_numbers
        ],
    }


def _redacted_logs(logs: Any, props: Mapping[str, Any]) -> list[dict[str, str]]:
    sensitive = KycPayload(registration=props.get("registration")).sensitive_strings()
    return [{**log, "message": redact(log["message"], sensitive)} for log in logs]


def _outputs(inputs: Mapping[str, Any], result: WorkflowResult) -> dict[str, Any]:
    outputs = dict(inputs)
    assert result.order is not None
    outputs.update(_order_outputs(result.order))
    outputs["registration_logs"] = list(result.registration_logs)
    outputs["completed_steps"] = [s.value for s in result.completed_steps]
    outputs["failed_step"] = result.failed_step.value if result.failed_step else None
    outputs["last_error"] = result.last_error
    outputs["progress"] = result.progress.to_dict()
    for key in (*CONFIGURATION_INPUTS, *KYC_INPUTS):
        outputs.setdefault(key, None)
    return outputs
