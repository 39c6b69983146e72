"""The Sinch number-order workflow as a resumable state machine over the API client.

Steps: look up requirements, create the order (the reservation clock starts), PUT the registration,
upload each attachment, submit, and optionally wait for a final state. Nothing here knows Pulumi.

Progress is recorded by fingerprint (SHA-256 of the registration and of each attachment's content
and document type), so a resumed run repeats nothing that already succeeded and a changed input is
sent again. Every failure after the order exists is *returned*, not raised, so the caller can keep
the order id; only failures before the order exists raise.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import (
    APIError,
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    SinchNumbersError,
)
from sinch_numbers.api.models import (
    CreateNumberOrderRequest,
    NumberOrder,
    NumberOrderState,
    NumberRequirements,
)

REDACTED = "[redacted]"


class Step(StrEnum):
    LOOKUP = "lookup"
    CREATE = "create_order"
    REGISTRATION = "registration"
    ATTACHMENTS = "attachments"
    SUBMIT = "submit"
    WAIT = "wait"


class WorkflowError(SinchNumbersError):
    """A failure before the order exists: nothing was reserved, so it is safe to raise."""

    def __init__(self, step: Step, message: str) -> None:
        super().__init__(f"{step.value}: {message}")
        self.step = step


@dataclass(frozen=True)
class AttachmentFile:
    """One document to upload. ``content`` is personal data: never log or print it."""

    requirement_id: str
    content: bytes = field(repr=False)
    file_name: str = field(repr=False)
    mime_type: str
    document_type: str | None = None

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.content).hexdigest()
        return f"{digest}:{self.document_type or ''}"


def registration_fingerprint(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Progress:
    """What has been done to one order; persisted by the provider between runs."""

    registration_sha256: str | None = None
    uploaded: Mapping[str, str] = field(default_factory=dict)
    submitted_fingerprint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "registration_sha256": self.registration_sha256,
            "uploaded": dict(self.uploaded),
            "submitted_fingerprint": self.submitted_fingerprint,
        }

    @classmethod
    def from_dict(cls, raw: Any) -> Progress:
        if not isinstance(raw, Mapping):
            return cls()
        uploaded = raw.get("uploaded")
        return cls(
            registration_sha256=_str_or_none(raw.get("registration_sha256")),
            uploaded={str(k): str(v) for k, v in uploaded.items()}
            if isinstance(uploaded, Mapping)
            else {},
            submitted_fingerprint=_str_or_none(raw.get("submitted_fingerprint")),
        )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class KycPayload:
    """The KYC part of an order: registration data and documents (all personal data)."""

    registration: Any = field(default=None, repr=False)
    attachments: Sequence[AttachmentFile] = field(default_factory=tuple, repr=False)

    def fingerprint(self) -> str:
        parts = [
            registration_fingerprint(self.registration) if self.registration is not None else ""
        ]
        parts += sorted(f"{a.requirement_id}={a.fingerprint}" for a in self.attachments)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def sensitive_strings(self) -> set[str]:
        """Every string a KYC error text must never show: data values and file names."""
        found: set[str] = set()
        _collect_strings(self.registration, found)
        for attachment in self.attachments:
            found.add(attachment.file_name)
        return {s for s in found if len(s) >= 3}


def _collect_strings(value: Any, into: set[str]) -> None:
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        into.add(str(value))
    elif isinstance(value, Mapping):
        for item in value.values():
            _collect_strings(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_strings(item, into)


def redact(text: str, sensitive: Iterable[str]) -> str:
    """Remove every sensitive string from ``text``; longest first so parts never leak."""
    for value in sorted(sensitive, key=len, reverse=True):
        if value:
            text = text.replace(value, REDACTED)
    return text


def describe_error(error: BaseException, sensitive: Iterable[str] = ()) -> str:
    """One line a user can act on, with every KYC value removed."""
    if isinstance(error, InvalidArgumentError) and error.field_violations:
        violations = "; ".join(f"{v.field}: {v.description}" for v in error.field_violations)
        text = f"{error.status_code} {error.api_status or 'INVALID_ARGUMENT'}: {violations}"
    else:
        text = str(error) or type(error).__name__
    return redact(text, sensitive)


@dataclass(frozen=True)
class WaitPolicy:
    """How to poll an order under review; ``timeout`` of 0 means do not wait."""

    timeout: float = 0.0
    initial_interval: float = 1.0
    max_interval: float = 30.0
    factor: float = 1.5


@dataclass(frozen=True)
class WorkflowResult:
    order: NumberOrder | None
    progress: Progress
    completed_steps: tuple[Step, ...] = ()
    failed_step: Step | None = None
    last_error: str | None = None
    registration_logs: tuple[dict[str, str], ...] = ()


StepReporter = Callable[[str], None]


class RequirementsCache:
    """Requirements per (region, type), fetched once per process and shared by threads.

    ``None`` is cached too: it means the pair needs no KYC (the API answers 404).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], NumberRequirements | None] = {}
        self._key_locks: dict[tuple[str, str], threading.Lock] = {}

    def get(
        self, key: tuple[str, str], fetch: Callable[[], NumberRequirements | None]
    ) -> NumberRequirements | None:
        with self._lock:
            if key in self._entries:
                return self._entries[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            value = fetch()
            with self._lock:
                self._entries[key] = value
            return value


def lookup_requirements(
    client: SinchNumbersClient, cache: RequirementsCache, region_code: str, number_type: str
) -> NumberRequirements | None:
    """Requirements for a pair, or None where the API says the pair has none (404)."""

    def fetch() -> NumberRequirements | None:
        try:
            return client.lookup_number_requirements(region_code, number_type)
        except NotFoundError:
            return None

    return cache.get((region_code, str(number_type)), fetch)


EDITABLE_STATES = frozenset({NumberOrderState.CREATED, NumberOrderState.BLOCKED})


class OrderWorkflow:
    """Runs or resumes the steps for one order. One instance may serve many threads."""

    def __init__(
        self,
        client: SinchNumbersClient,
        requirements: RequirementsCache,
        *,
        report: StepReporter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._requirements = requirements
        self._report = report or (lambda _message: None)
        self._sleep = sleep
        self._clock = clock

    def create(
        self,
        request: CreateNumberOrderRequest,
        kyc: KycPayload,
        wait: WaitPolicy,
    ) -> WorkflowResult:
        """Steps 1 and 3 (raising on failure), then 4 to 6 and the wait (returning failures)."""
        region, number_type = request.region_code, request.number_type.value
        self._report(f"looking up KYC requirements for {region} {number_type}")
        try:
            lookup_requirements(self._client, self._requirements, region, number_type)
        except SinchNumbersError as error:
            raise WorkflowError(Step.LOOKUP, describe_error(error)) from error
        self._report(f"creating the number order for {region} {number_type}")
        try:
            order = self._client.create_number_order(request)
        except SinchNumbersError as error:
            raise WorkflowError(Step.CREATE, describe_error(error)) from error
        self._report(
            f"order {order.id_number_order} created; reserved until "
            f"{order.expire_time.isoformat() if order.expire_time else 'unknown'}"
        )
        return self.resume(order, Progress(), kyc, wait, done=(Step.LOOKUP, Step.CREATE))

    def resume(
        self,
        order: NumberOrder,
        progress: Progress,
        kyc: KycPayload,
        wait: WaitPolicy,
        *,
        done: tuple[Step, ...] = (),
    ) -> WorkflowResult:
        """Carry an existing order forward from wherever it stands; never raises API errors."""
        sensitive = kyc.sensitive_strings()
        steps = list(done)
        order_id = order.id_number_order
        step = Step.REGISTRATION
        try:
            if order.state in EDITABLE_STATES:
                if kyc.registration is not None:
                    wanted = registration_fingerprint(kyc.registration)
                    if wanted != progress.registration_sha256:
                        self._report(f"order {order_id}: sending the registration")
                        self._client.update_registration(order_id, kyc.registration)
                        progress = replace(progress, registration_sha256=wanted)
                steps.append(Step.REGISTRATION)

                step = Step.ATTACHMENTS
                for attachment in kyc.attachments:
                    if progress.uploaded.get(attachment.requirement_id) == attachment.fingerprint:
                        continue
                    self._report(
                        f"order {order_id}: uploading attachment {attachment.requirement_id}"
                    )
                    self._client.upload_attachment(
                        order_id,
                        attachment.requirement_id,
                        content=attachment.content,
                        file_name=attachment.file_name,
                        mime_type=attachment.mime_type,
                        document_type=attachment.document_type,
                    )
                    uploaded = {
                        **progress.uploaded,
                        attachment.requirement_id: attachment.fingerprint,
                    }
                    progress = replace(progress, uploaded=uploaded)
                steps.append(Step.ATTACHMENTS)

                step = Step.SUBMIT
                fingerprint = kyc.fingerprint()
                needs_submit = order.state is NumberOrderState.CREATED or (
                    fingerprint != progress.submitted_fingerprint
                )
                if needs_submit:
                    self._report(f"order {order_id}: submitting for review")
                    order = self._client.submit_number_order(order_id)
                    progress = replace(progress, submitted_fingerprint=fingerprint)
                    self._report(f"order {order_id}: {order.state.value}")
                steps.append(Step.SUBMIT)

            step = Step.WAIT
            if wait.timeout > 0 and not order.state.is_final:
                order = self._wait(order, wait)
            logs = self.review_logs(order)
            error = self._outcome_error(order, wait, logs)
            if error is not None:
                return WorkflowResult(
                    order, progress, tuple(steps), Step.WAIT, redact(error, sensitive), logs
                )
            if wait.timeout > 0:
                steps.append(Step.WAIT)
            return WorkflowResult(order, progress, tuple(steps), registration_logs=logs)
        except SinchNumbersError as error:
            message = describe_error(error, sensitive)
            self._report(f"order {order_id}: step {step.value} failed: {message}")
            current = self._state_after_refusal(order, error)
            if current.state in (NumberOrderState.EXPIRED, NumberOrderState.REJECTED):
                message += (
                    f"; the order is now {current.state.value}: the next update replaces it "
                    "with a new order"
                )
            return WorkflowResult(current, progress, tuple(steps), step, message)

    def _state_after_refusal(self, order: NumberOrder, error: SinchNumbersError) -> NumberOrder:
        """A call refused because of the order's state means the state changed under us (the
        reservation expired, a reviewer acted): keep the order as it is now, so the next diff
        sees it. Anything else keeps what we had; a failing read changes nothing."""
        refused = isinstance(error, ConflictError) or (
            isinstance(error, APIError) and error.api_status == "FAILED_PRECONDITION"
        )
        if not refused:
            return order
        try:
            current: NumberOrder = self._client.get_number_order(order.id_number_order)
        except SinchNumbersError:
            return order
        return current

    def review_logs(self, order: NumberOrder) -> tuple[dict[str, str], ...]:
        """The registration's review feedback, read only where a block or rejection put it."""
        if order.state not in (NumberOrderState.BLOCKED, NumberOrderState.REJECTED):
            return ()
        registration = self._client.get_registration(order.id_number_order)
        return tuple(
            {
                "message": log.message,
                "create_time": log.create_time.isoformat() if log.create_time else "",
            }
            for log in registration.logs
        )

    def _outcome_error(
        self, order: NumberOrder, wait: WaitPolicy, logs: tuple[dict[str, str], ...]
    ) -> str | None:
        reason = "; ".join(log["message"] for log in logs if log["message"]) or "no reason given"
        if order.state is NumberOrderState.REJECTED:
            return (
                f"order {order.id_number_order} was REJECTED by review ({reason}). Fix the "
                "registration or documents; the next update replaces it with a new order"
            )
        if order.state is NumberOrderState.EXPIRED:
            return (
                f"order {order.id_number_order} EXPIRED before it was completed; the next "
                "update replaces it with a new order"
            )
        if wait.timeout <= 0:
            return None
        if order.state is NumberOrderState.BLOCKED:
            return (
                f"order {order.id_number_order} is BLOCKED by review ({reason}). Change the "
                "registration or documents and run the update again to resubmit"
            )
        if order.state is not NumberOrderState.COMPLETED:
            return (
                f"order {order.id_number_order} is still {order.state.value} after waiting "
                f"{wait.timeout:g} s; run the update again to keep waiting, or raise "
                "completion_timeout"
            )
        return None

    def _wait(self, order: NumberOrder, wait: WaitPolicy) -> NumberOrder:
        deadline = self._clock() + wait.timeout
        interval = wait.initial_interval
        self._report(f"order {order.id_number_order}: waiting up to {wait.timeout:g} s for review")
        while not order.state.is_final and order.state is not NumberOrderState.BLOCKED:
            remaining = deadline - self._clock()
            if remaining <= 0:
                break
            self._sleep(min(interval, remaining))
            interval = min(interval * wait.factor, wait.max_interval)
            order = self._client.get_number_order(order.id_number_order)
        self._report(f"order {order.id_number_order}: {order.state.value}")
        return order


def is_past_expiry(expire_time: str | None, now: datetime | None = None) -> bool:
    if not expire_time:
        return False
    try:
        moment = datetime.fromisoformat(expire_time.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (now or datetime.now(UTC)) >= moment


__all__ = [
    "AttachmentFile",
    "KycPayload",
    "OrderWorkflow",
    "Progress",
    "RequirementsCache",
    "Step",
    "WaitPolicy",
    "WorkflowError",
    "WorkflowResult",
    "describe_error",
    "is_past_expiry",
    "lookup_requirements",
    "redact",
    "registration_fingerprint",
]
