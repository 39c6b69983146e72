"""``read``, ``update`` and ``delete`` of a NumberOrder that exists.

Each starts from the order as Sinch has it (one GET, through :func:`find_order`), because review
happens between runs and the stored state may be stale; update and read end in the one projection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sinch_numbers.api.errors import NotFoundError, SinchNumbersError
from sinch_numbers.api.models import NumberOrderState
from sinch_numbers.core.find import find_order
from sinch_numbers.core.home import SinchHome, order_elsewhere, unrecorded_and_unreadable
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.routing import Routing
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.number_order.check import kyc_for_existing, require_valid
from sinch_numbers.resources.number_order.create import order_workflow
from sinch_numbers.resources.number_order.diff import gone, stored_state
from sinch_numbers.resources.number_order.outputs import (
    project_guarded,
    redactor_of,
    stored_order,
)
from sinch_numbers.resources.number_order.plan import in_review_refusal, kyc_changed
from sinch_numbers.resources.number_order.schema import COMPUTED_OUTPUTS, INPUTS, P
from sinch_numbers.resources.number_order.workflow import Progress, Step, WorkflowResult


def read_order(
    connection: Connection, order_id: str, props: Mapping[str, Any], log: Log
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(outputs, inputs) as Sinch has the order now; None only when it is proven gone: Sinch does
    not know it in its own project and none of its numbers is active there."""
    stored = _Stored.checked(connection, order_id, props)
    inputs = {k: props[k] for k in INPUTS if k in props}
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(_without_the_program(order_id, error)) from None
    if order is None:
        kept = _read_missing(connection, stored, log)
        return None if kept is None else (kept, inputs)
    try:
        workflow = order_workflow(connection, log)
        logs = workflow.review_logs(order)
    except SinchNumbersError as error:
        raise NumberOrderError(_without_the_program(order_id, error)) from None
    numbers = (
        workflow.read_active_numbers(order) if order.state is NumberOrderState.COMPLETED else None
    )
    failed_step = _step_or_none(props.get(P.failed_step.name))
    last_error = props.get(P.last_error.name) or None
    detail = props.get(P.last_error_detail.name) or None
    if order.state is NumberOrderState.COMPLETED and failed_step is Step.WAIT:
        # The wait that timed out is over: review completed since.
        failed_step, last_error, detail = None, None, None
    result = WorkflowResult(
        order,
        Progress.from_dict(props.get(P.progress.name)),
        tuple(s for s in map(_step_or_none, props.get(P.completed_steps.name) or []) if s),
        failed_step,
        last_error if isinstance(last_error, str) else None,
        logs,
        numbers,
        detail if isinstance(detail, str) else None,
    )
    return project_guarded(props, result, redactor_of(props), home=stored.home), inputs


def update_order(
    connection: Connection,
    order_id: str,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    log: Log,
) -> dict[str, Any]:
    stored = _Stored.checked(connection, order_id, olds)
    checked = require_valid(news)
    inputs = checked.parsed
    assert inputs is not None
    # A final state never changes again: the stored order is the order (no API call). Any
    # other state may be stale, so the server's is read; so is an order whose state does not
    # record its project, to prove it is in the configured one before recording that.
    final = stored_state(olds).is_final and stored.recorded is not None
    order = stored_order(olds) if final else None
    if order is None:
        try:
            order = find_order(connection.client, order_id)
        except SinchNumbersError as error:
            raise NumberOrderError(f"order {order_id}: {describe_error(error)}") from None
    if order is None:
        raise NumberOrderError(gone(order_id))
    # The server's state, not the stack's: since the last refresh a reviewer may have
    # blocked the order (which accepts the fix), rejected or approved it.
    if order.state is NumberOrderState.IN_REVIEW and kyc_changed(olds, news):
        raise NumberOrderError(in_review_refusal(order_id))
    kyc = kyc_for_existing(connection, inputs, order, log)
    progress = Progress.from_dict(olds.get(P.progress.name))
    if progress.routing is None:
        progress = replace(progress, routing=Routing.of(olds))
    result = order_workflow(connection, log).resume(
        order,
        progress,
        kyc,
        routing=Routing.of(checked.inputs),
        done=(Step.CREATE,),
    )
    return project_guarded(checked.inputs, result, kyc.redactor(), olds, home=stored.home)


def delete_order(connection: Connection, order_id: str, props: Mapping[str, Any], log: Log) -> None:
    stored = _Stored.checked(connection, order_id, props)
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(_without_the_program(order_id, error)) from None
    if order is None:
        active = _active_after_a_404(connection, stored)
        if active:
            log.warn(
                f"order {order_id}: Sinch no longer returns it, but its number(s) "
                f"{', '.join(active)} are still active in {stored.home.describe()}"
            )
            _let_go(connection, order_id, active, props, log)
        else:
            log.info(
                f"order {order_id} no longer exists and none of its numbers is active; "
                "nothing to delete"
            )
        return
    state = order.state
    if state is NumberOrderState.COMPLETED:
        _let_go(connection, order_id, order.phone_numbers, props, log)
    elif state is NumberOrderState.CREATED:
        expires = order.expire_time.isoformat() if order.expire_time else "its expiry"
        log.warn(
            f"order {order_id} was never submitted. Sinch has no call to cancel an order; "
            f"its reservation lapses at {expires} and nothing is billed"
        )
    elif state.awaits_review:
        log.warn(
            f"order {order_id} is {state.value} and CANNOT be cancelled: Sinch has no "
            "cancel call. If review approves it, its numbers will be activated and BILLED. "
            f"Watch it with `sinch-numbers order watch {order_id}`; if it completes, release "
            "each number with `sinch-numbers number release NUMBER --confirm NUMBER`"
        )
    else:
        log.info(f"order {order_id} is {state.value}; nothing to release")


def _let_go(
    connection: Connection,
    order_id: str,
    numbers: Sequence[str],
    props: Mapping[str, Any],
    log: Log,
) -> None:
    """The active numbers of an order that leaves the stack: released, or named as billed."""
    release = P.release_on_destroy
    if props.get(release.name, release.default) is False:
        log.warn(
            f"order {order_id}: {release.name} is false, so its numbers "
            f"{', '.join(numbers)} stay active and billed"
        )
        return
    for phone_number in numbers:
        _release(connection, order_id, phone_number, log)


@dataclass(frozen=True)
class _Stored:
    """An order as the stack's state records it, and where the settings point now."""

    order_id: str
    props: Mapping[str, Any]
    recorded: SinchHome | None
    """Its recorded home; None for a state written before the home was recorded."""
    home: SinchHome
    """Where the configured settings point: the recorded home, when there is one."""

    @classmethod
    def checked(cls, connection: Connection, order_id: str, props: Mapping[str, Any]) -> _Stored:
        """The stored order; refuses when the settings point elsewhere than its home."""
        home = SinchHome.of(connection.client)
        recorded = SinchHome.recorded(props)
        if recorded is not None:
            refusal = order_elsewhere(order_id, recorded, home)
            if refusal is not None:
                raise NumberOrderError(refusal)
        return cls(order_id, props, recorded, home)


def _read_missing(connection: Connection, stored: _Stored, log: Log) -> dict[str, Any] | None:
    """After a 404 for the order in its own project: the outputs to keep while any of its numbers
    is active (they are billed, and only this resource would release them); None (proven gone)
    when none is and the state records the project."""
    order_id, home = stored.order_id, stored.home
    active = _active_after_a_404(connection, stored)
    if active:
        log.warn(
            f"order {order_id}: Sinch no longer returns it, but its number(s) "
            f"{', '.join(active)} are still active in {home.describe()} and billed. The stack "
            "keeps the order as last recorded, so nothing is ordered again and "
            f"`pulumi destroy` still releases them (unless {P.release_on_destroy.name} is false)"
        )
        kept = {k: stored.props.get(k) for k in (*INPUTS, *COMPUTED_OUTPUTS)}
        kept.update(home.to_outputs())
        return kept
    log.info(
        f"order {order_id} no longer exists in {home.describe()} and none of its numbers is "
        "active: it leaves the stack"
    )
    return None


def _active_after_a_404(connection: Connection, stored: _Stored) -> list[str]:
    """The order's numbers still active after a 404 for it. None active proves the order gone
    only where the state records its project: an older state refuses."""
    active = _still_active(connection, stored.order_id, stored.props)
    if not active and stored.recorded is None:
        raise NumberOrderError(unrecorded_and_unreadable(f"order {stored.order_id}", stored.home))
    return active


def _still_active(connection: Connection, order_id: str, props: Mapping[str, Any]) -> list[str]:
    """The numbers the state records for the order that are active (and not released) at Sinch.

    Asked only after a 404 for the order: an answer that cannot tell raises, and a completed
    order whose numbers the state does not record cannot be checked, so it raises too.
    """
    recorded = [n for n in props.get(P.phone_numbers.name) or [] if isinstance(n, str)]
    if not recorded and stored_state(props) is NumberOrderState.COMPLETED:
        raise NumberOrderError(
            f"order {order_id}: Sinch no longer returns it, and the state records none of its "
            "numbers to check whether they are still active and billed, so it is kept. Check "
            "the project's numbers with `sinch-numbers numbers list`"
        )
    active = []
    for phone_number in recorded:
        try:
            number = connection.client.get_active_number(phone_number)
        except NotFoundError:
            continue
        except SinchNumbersError as error:
            raise NumberOrderError(
                f"order {order_id}: Sinch no longer returns it, and whether its number "
                f"{phone_number} is still active could not be read: {describe_error(error)}. "
                "Nothing was dropped; run the command again"
            ) from None
        if not number.is_released:
            active.append(phone_number)
    return active


def _release(connection: Connection, order_id: str, phone_number: str, log: Log) -> None:
    try:
        number = connection.client.release_active_number(phone_number)
    except NotFoundError:
        log.info(f"order {order_id}: number {phone_number} is already gone")
        return
    except SinchNumbersError as error:
        raise NumberOrderError(
            f"order {order_id}: releasing {phone_number} failed: {describe_error(error)}. "
            "Run destroy again to retry"
        ) from None
    until = number.expire_at.isoformat() if number.expire_at else "the next charge date"
    log.info(f"order {order_id}: released {phone_number} (stays active until {until})")


def _without_the_program(order_id: str, error: SinchNumbersError) -> str:
    # Observed with the real engine: a plain refresh or destroy configures the provider with the
    # settings recorded at the last `up`, so changed credentials or URLs only reach it with
    # --run-program (or after an up).
    return (
        f"order {order_id}: {describe_error(error)}. A plain `pulumi refresh` or `pulumi destroy` "
        "uses the sinch: settings saved at the last `pulumi up`; if they changed since, add "
        "--run-program (or run `pulumi up` first)"
    )


def _step_or_none(value: Any) -> Step | None:
    try:
        return Step(value)
    except ValueError:
        return None
