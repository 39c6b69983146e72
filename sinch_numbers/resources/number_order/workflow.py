"""The Sinch number-order workflow as a resumable state machine over the API client.

Steps: look up requirements, create the order (the reservation clock starts), PUT the registration,
upload each attachment, submit. Nothing here waits for review: that is
``resources/number_order_completion/lifecycle.py``'s, outside the create that made the order.
Nothing here knows Pulumi.

Progress is recorded by fingerprint (SHA-256 of the registration and of each attachment's content
and document type), so a resumed run repeats nothing that already succeeded and a changed input is
sent again. Every failure after the order exists is *returned*, not raised, so the caller can keep
the order id; only failures before the order exists raise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import (
    APIError,
    ConflictError,
    SinchNumbersError,
)
from sinch_numbers.api.models import (
    ActiveNumber,
    CreateNumberOrderRequest,
    NumberOrder,
    NumberOrderState,
)
from sinch_numbers.core.find import find_active_numbers
from sinch_numbers.core.redaction import Redactor, review_text_pointer
from sinch_numbers.core.requirements import (
    RequirementsCache,
    lookup_requirements,
)
from sinch_numbers.core.routing import Routing, patch_request, voice_removal_refusal
from sinch_numbers.core.wording import describe_error, split_error
from sinch_numbers.kyc.files import Document
from sinch_numbers.resources.number_order.schema import NumberOrderProperties as P
from sinch_numbers.resources.number_order.schema import RegistrationLogFields as _LOG


class Step(StrEnum):
    LOOKUP = "lookup"
    CREATE = "create_order"
    # A step that sends one input is named for it (the values are stored in the state).
    REGISTRATION = P.registration.name
    ATTACHMENTS = P.attachments.name
    SUBMIT = "submit"
    WAIT = "wait"
    """Only in states written before the wait left create (a NumberOrderCompletion waits now)."""
    CONFIGURE = "configure"


class RoutingRefused(SinchNumbersError):
    """A routing change the API cannot make (the message says which and what to do)."""


class WorkflowError(SinchNumbersError):
    """A failure before the order exists: nothing was reserved, so it is safe to raise."""

    def __init__(self, step: Step, message: str) -> None:
        super().__init__(f"{step.value}: {message}")
        self.step = step


def registration_fingerprint(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Progress:
    """What has been done to one order; persisted by the provider between runs."""

    registration_sha256: str | None = None
    uploaded: Mapping[str, str] = field(default_factory=dict)
    submitted_fingerprint: str | None = None
    routing: Routing | None = None
    """The routing the order's numbers carry (set at create, changed by PATCH); None in states
    written before it was recorded, where the stored routing inputs say it."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "registration_sha256": self.registration_sha256,
            "uploaded": dict(self.uploaded),
            "submitted_fingerprint": self.submitted_fingerprint,
            "routing": self.routing.to_dict() if self.routing is not None else None,
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
            routing=Routing.from_dict(raw.get("routing")),
        )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class KycPayload:
    """The KYC part of an order: registration data and documents (all personal data)."""

    registration: Any = field(default=None, repr=False)
    attachments: Sequence[Document] = field(default_factory=tuple, repr=False)

    def fingerprint(self) -> str:
        parts = [
            registration_fingerprint(self.registration) if self.registration is not None else ""
        ]
        parts += sorted(f"{a.requirement_id}={a.fingerprint}" for a in self.attachments)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    def redactor(self) -> Redactor:
        """Removes what this payload sent from any text: data values and file names."""
        return Redactor.for_kyc(self.registration, (a.file_name for a in self.attachments))


@dataclass(frozen=True)
class WorkflowResult:
    order: NumberOrder | None
    progress: Progress
    completed_steps: tuple[Step, ...] = ()
    failed_step: Step | None = None
    last_error: str | None = None
    """Why the run stopped, in our words only: safe to show anywhere."""
    registration_logs: tuple[dict[str, str], ...] = ()
    active_numbers: tuple[ActiveNumber, ...] | None = None
    """The numbers of a COMPLETED order as Sinch has them now; None when not read."""
    last_error_detail: str | None = None
    """What the server said about that failure (a refused call's text), redacted: secret."""


StepReporter = Callable[[str], None]


class OrderWorkflow:
    """Runs or resumes the steps for one order. One instance may serve many threads."""

    def __init__(
        self,
        client: SinchNumbersClient,
        requirements: RequirementsCache,
        *,
        report: StepReporter | None = None,
    ) -> None:
        self._client = client
        self._requirements = requirements
        self._announce = report or (lambda _message: None)

    def create(
        self,
        request: CreateNumberOrderRequest,
        kyc: KycPayload,
        *,
        routing: Routing | None = None,
        on_created: Callable[[NumberOrder], None] | None = None,
    ) -> WorkflowResult:
        """Steps 1 and 3 (raising on failure), then 4 to 6 (returning failures).

        ``routing`` is what the request asks the numbers to carry (recorded as applied);
        ``on_created`` is called the moment the order exists, before any further step.
        """
        region, number_type = request.region_code, request.number_type.value
        self._announce(f"looking up KYC requirements for {region} {number_type}")
        try:
            lookup_requirements(self._client, self._requirements, region, number_type)
        except SinchNumbersError as error:
            raise WorkflowError(Step.LOOKUP, describe_error(error)) from error
        self._announce(f"creating the number order for {region} {number_type}")
        try:
            order = self._client.create_number_order(request)
        except SinchNumbersError as error:
            raise WorkflowError(Step.CREATE, describe_error(error)) from error
        if on_created is not None:
            # Nothing may stand between an existing order and its return to the caller.
            with contextlib.suppress(Exception):
                on_created(order)
        expires = order.expire_time.isoformat() if order.expire_time else "unknown"
        # The first line a user sees once the order exists: if this run is cut short before
        # Pulumi saves the order, this id is what brings it back (adopt_order_id).
        self._announce(
            f"order {order.id_number_order} created (reserved until {expires}); if this run "
            f"is interrupted, keep this order with {P.adopt_order_id.name}="
            f'"{order.id_number_order}"'
        )
        return self.resume(
            order,
            Progress(routing=routing),
            kyc,
            routing=routing,
            done=(Step.LOOKUP, Step.CREATE),
        )

    def resume(
        self,
        order: NumberOrder,
        progress: Progress,
        kyc: KycPayload,
        *,
        routing: Routing | None = None,
        done: tuple[Step, ...] = (),
    ) -> WorkflowResult:
        """Carry an existing order forward from wherever it stands. Never raises: whatever goes
        wrong once the order exists comes back as ``failed_step`` and ``last_error``.

        ``routing`` is the desired routing: once the order is COMPLETED, its numbers are
        PATCHed to it where it differs from what they carry.
        """
        redact = kyc.redactor()
        steps = list(done)
        order_id = order.id_number_order
        was_completed = order.state is NumberOrderState.COMPLETED
        step = Step.REGISTRATION
        try:
            if order.state.accepts_kyc:
                if kyc.registration is not None:
                    wanted = registration_fingerprint(kyc.registration)
                    if wanted != progress.registration_sha256:
                        self._announce(f"order {order_id}: sending the registration")
                        self._client.update_registration(order_id, kyc.registration)
                        progress = replace(progress, registration_sha256=wanted)
                steps.append(Step.REGISTRATION)

                step = Step.ATTACHMENTS
                for attachment in kyc.attachments:
                    if progress.uploaded.get(attachment.requirement_id) == attachment.fingerprint:
                        continue
                    self._announce(
                        f"order {order_id}: uploading attachment {attachment.requirement_id}"
                    )
                    self._client.upload_attachment(
                        order_id,
                        attachment.requirement_id,
                        content=attachment.content,
                        file_name=attachment.file_name,
                        mime_type=attachment.content_type,
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
                    self._announce(f"order {order_id}: submitting for review")
                    order = self._client.submit_number_order(order_id)
                    progress = replace(progress, submitted_fingerprint=fingerprint)
                    self._announce(f"order {order_id}: {order.state.value}")
                steps.append(Step.SUBMIT)

            logs = self.review_logs(order)
            error = self._outcome_error(order, logs)
            if error is not None:
                return WorkflowResult(order, progress, tuple(steps), step, redact(error), logs)

            step = Step.CONFIGURE
            numbers: tuple[ActiveNumber, ...] | None = None
            if order.state is NumberOrderState.COMPLETED:
                patched: tuple[ActiveNumber, ...] = ()
                if routing is not None:
                    progress, patched = self._apply_routing(order, progress, routing)
                # The numbers as they are now: the PATCHes' answers, or one read each when the
                # order completed during this run; otherwise what the state holds stays.
                numbers = patched or (
                    self.read_active_numbers(order) if not was_completed else None
                )
            return WorkflowResult(
                order, progress, tuple(steps), registration_logs=logs, active_numbers=numbers
            )
        except SinchNumbersError as error:
            failure = split_error(error, redact)
            message = failure.plain
            self._announce(f"order {order_id}: step {step.value} failed: {message}")
            current = self._state_after_refusal(order, error)
            if current.state.needs_replacement:
                message += (
                    f"; the order is now {current.state.value}: the next update replaces it "
                    "with a new order"
                )
            return WorkflowResult(
                current,
                progress,
                tuple(steps),
                step,
                message,
                last_error_detail=failure.server_text,
            )
        except Exception as error:
            # The order exists: losing its id costs a second order, so no failure may escape.
            # The exception's text is not shown: it may hold anything, KYC data included.
            message = (
                f"unexpected {type(error).__name__} in step {step.value}; the order is kept "
                "and the next update resumes it"
            )
            return WorkflowResult(order, progress, tuple(steps), step, message)

    def _apply_routing(
        self, order: NumberOrder, progress: Progress, desired: Routing
    ) -> tuple[Progress, tuple[ActiveNumber, ...]]:
        """PATCH each number of a completed order to the desired routing where it differs;
        the numbers as the PATCHes answered them (none when nothing was sent)."""
        applied = progress.routing or desired
        if desired.removed_voice(applied):
            raise RoutingRefused(voice_removal_refusal(f"order {order.id_number_order}"))
        request = patch_request(desired, applied)
        if request is None:
            return replace(progress, routing=desired), ()
        patched = []
        for phone_number in order.phone_numbers:
            self._announce(f"order {order.id_number_order}: updating active number {phone_number}")
            patched.append(self._client.update_active_number(phone_number, request))
        return replace(progress, routing=desired), tuple(patched)

    def read_active_numbers(self, order: NumberOrder) -> tuple[ActiveNumber, ...] | None:
        return find_active_numbers(self._client, order, self._announce)

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
        if not order.state.has_review_log:
            return ()
        registration = self._client.get_registration(order.id_number_order)
        return tuple(
            {
                _LOG.message.name: log.message,
                _LOG.create_time.name: log.create_time.isoformat() if log.create_time else "",
            }
            for log in registration.logs
        )

    def _outcome_error(self, order: NumberOrder, logs: tuple[dict[str, str], ...]) -> str | None:
        # The reviewers' words are personal data: the error says how many there are and where
        # to read them, never what they say.
        order_id = order.id_number_order
        reasons = (
            f"with {review_text_pointer(order_id, len(logs))}" if logs else "with no review message"
        )
        if order.state is NumberOrderState.REJECTED:
            return (
                f"order {order_id} was REJECTED by review {reasons}. Fix the "
                "registration or documents; the next update replaces it with a new order"
            )
        if order.state is NumberOrderState.EXPIRED:
            return (
                f"order {order.id_number_order} EXPIRED before it was completed; the next "
                "update replaces it with a new order"
            )
        return None


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
    "KycPayload",
    "OrderWorkflow",
    "Progress",
    "RoutingRefused",
    "Step",
    "WorkflowError",
    "WorkflowResult",
    "is_past_expiry",
    "registration_fingerprint",
]
