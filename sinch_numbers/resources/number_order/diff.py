"""``diff``: plan from the stored state, or from Sinch's when the stored one may be stale.

The one API call ``diff`` may make is here: a single GET, made only when the plan would order anew
or release on a state that is not final (or an expiry judged by the local clock).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.errors import ConfigurationError, SinchNumbersError
from sinch_numbers.api.models import NumberOrder, NumberOrderState
from sinch_numbers.core.find import find_order
from sinch_numbers.core.home import SinchHome, order_elsewhere
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.settings import CONFIG_KEYS, Connection
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.number_order.plan import DiffRefused, Draft, decide, needs_confirmation
from sinch_numbers.resources.number_order.schema import P


@dataclass(frozen=True)
class OrderDiff:
    changes: bool
    replaces: tuple[str, ...] = ()


def diff_order(
    connection: Callable[[], Connection],
    order_id: str,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    log: Log,
) -> OrderDiff:
    _refuse_elsewhere(connection, order_id, olds)
    draft = Draft.of(olds, news)
    stored = stored_state(olds)
    order: NumberOrder | None = None
    if needs_confirmation(draft, olds):
        order = _confirm(connection(), order_id)
        state = order.state
    elif stored.is_final:
        state = stored
    else:
        return OrderDiff(changes=False)
    try:
        plan = decide(draft, state, order_id)
    except DiffRefused as refused:
        raise NumberOrderError(str(refused)) from None
    if plan.replacing and state is NumberOrderState.COMPLETED:
        numbers = order.phone_numbers if order is not None else olds.get(P.phone_numbers.name)
        release = olds.get(P.release_on_destroy.name, P.release_on_destroy.default)
        _warn_release(log, order_id, list(numbers or []), release)
    return OrderDiff(plan.changes, tuple(plan.replaces))


def stored_state(outputs: Mapping[str, Any]) -> NumberOrderState:
    try:
        return NumberOrderState(str(outputs.get(P.state.name)))
    except ValueError:
        return NumberOrderState.UNSPECIFIED


def _refuse_elsewhere(
    connection: Callable[[], Connection], order_id: str, olds: Mapping[str, Any]
) -> None:
    """No plan for an order under settings that point at another project or URL: it would
    rest on reads (or lead to changes) made where the order is not."""
    recorded = SinchHome.recorded(olds)
    if recorded is None:
        return
    try:
        configured = SinchHome.of(connection().client)
    except ConfigurationError:
        return  # not configured (a preview without credentials): nothing is read or changed
    refusal = order_elsewhere(order_id, recorded, configured)
    if refusal is not None:
        raise NumberOrderError(refusal)


def _confirm(connection: Connection, order_id: str) -> NumberOrder:
    """The order as Sinch has it, for a plan that must not rest on stale state."""
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(
            f"order {order_id}: could not read it to plan the change safely: "
            f"{describe_error(error)}"
        ) from None
    if order is None:
        raise NumberOrderError(gone(order_id))
    return order


def gone(order_id: str) -> str:
    # A 404 may also mean the stack now points at another project: never order anew on it.
    return (
        f"order {order_id} no longer exists in this Sinch project; nothing was ordered or "
        "changed. `pulumi refresh` drops it from the stack only when none of its numbers is "
        "still active (the next `pulumi up` then creates a new order), and keeps it otherwise. "
        f"If {CONFIG_KEYS[P.project_id.name]} or the credentials changed, put them back instead"
    )


def _warn_release(log: Log, order_id: str, numbers: list[str], release_on_destroy: Any) -> None:
    listed = ", ".join(numbers) or "its numbers"
    if release_on_destroy is False:
        log.warn(
            f"replacing COMPLETED order {order_id}: {P.release_on_destroy.name} is false, so "
            f"{listed} stay active and billed next to the new order's numbers"
        )
        return
    log.warn(
        f"replacing COMPLETED order {order_id} RELEASES its active number(s) {listed} "
        "once the new order exists; Sinch may give a released number to someone else"
    )
