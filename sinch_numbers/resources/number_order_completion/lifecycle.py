"""What a ``NumberOrderCompletion`` does: wait, outside the create that made the order, until
review ends, after terraform-provider-aws's ``aws_acm_certificate_validation``.

It orders nothing and releases nothing. Its create waits; COMPLETED creates it, every other end
(REJECTED, BLOCKED, EXPIRED, the timeout, a stopped wait) raises, so nothing is created and the
next ``pulumi up`` waits again. A wait killed or cancelled half-way loses nothing: the order is
already in the stack, saved by the ``NumberOrder`` whose create returned before this one began.

Reviewers' free text is never in what this raises or returns: an error names the state, how many
review messages there are and the command that shows them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import SinchNumbersError
from sinch_numbers.api.ids import ORDER_ID_RULE, is_order_id
from sinch_numbers.api.models import NumberOrder, NumberOrderState
from sinch_numbers.core.checking import Checker, contains_unknown
from sinch_numbers.core.find import find_active_numbers, find_order
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.processes import children, process_stat
from sinch_numbers.core.redaction import review_text_command, review_text_pointer
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wait import MAX_COMPLETION_TIMEOUT, WaitObserver, WaitPolicy, wait_for_order
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.number_order_completion.schema import (
    COMPUTED_OUTPUTS,
    INPUTS,
    CompletedNumberFields,
)
from sinch_numbers.resources.number_order_completion.schema import (
    NumberOrderCompletionProperties as C,
)

COMPLETION_INPUTS = INPUTS
COMPLETION_OUTPUTS = COMPUTED_OUTPUTS

TIMEOUT_RULE = "must be a number of seconds between 1 second and 7 days, or unset for no limit"


class WaitStopped(SinchNumbersError):
    """The process that would receive the answer is going away: stop waiting, lose nothing."""


def check_completion(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The inputs as the engine should store them, and (property, rule) for each one broken."""
    checker = Checker(news)
    order_id = checker.string(C.order_id.name, required=True)
    if order_id is not None and not is_order_id(order_id):
        checker.fail(C.order_id.name, f"must be a Sinch number order id: {ORDER_ID_RULE}")
    timeout = checker.number(C.timeout.name)
    if timeout is not None and not 1 <= timeout <= MAX_COMPLETION_TIMEOUT:
        checker.fail(C.timeout.name, TIMEOUT_RULE)
    inputs = {key: news.get(key) for key in INPUTS}
    return inputs, [(v.field, v.rule) for v in checker.failures]


def diff_completion(olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """(changes, replaces): another order is another completion; a new timeout only matters to
    a wait that has not happened, so it is recorded without a call."""
    order_id, timeout = C.order_id.name, C.timeout.name
    new_id = news.get(order_id)
    if contains_unknown(new_id) or new_id != olds.get(order_id):
        return True, [order_id]
    return olds.get(timeout) != news.get(timeout), []


def wait_policy(props: Mapping[str, Any]) -> WaitPolicy:
    timeout = props.get(C.timeout.name)
    return WaitPolicy(timeout=float(timeout) if isinstance(timeout, int | float) else None)


LANGUAGE_HOST = "pulumi-language"
"""How the name of a language host's process begins (``pulumi-language-python``, cut to 15)."""


@dataclass(frozen=True)
class Running:
    """One process, named by its pid and start time, so that a reused pid is not taken for it."""

    pid: int
    start_time: str

    def ended(self) -> bool:
        stat = process_stat(self.pid)
        return stat is None or stat.ended or stat.start_time != self.start_time


@dataclass(frozen=True)
class EngineWatch:
    """Whether whoever asked for the wait can still hear its answer.

    The engine starts each plugin through a shell script in a process group of its own, and
    closes it with SIGINT to that group (then SIGKILL after 5 s): the plugin's main thread then
    ends. A killed engine closes nothing, so its process is watched too: the parent, or the
    parent's parent when the parent is the script that leads our process group.

    A cancelled run (one SIGINT to ``pulumi``) closes nothing until its creates in flight end,
    but the engine cancels its language host, which interrupts the program that declared the
    resources. That program waits for every resource it declared, so it outlives every create
    of a run that goes on: :meth:`with_program` also watches the processes the engine's
    language hosts run, and the run has ended once one of them has.
    """

    parent: int
    engine: int
    program: tuple[Running, ...] = ()

    @classmethod
    def of_this_process(cls) -> EngineWatch:
        parent = os.getppid()
        engine = parent
        if os.getpgid(0) == parent:
            stat = process_stat(parent)
            engine = stat.parent if stat is not None else parent
        return cls(parent, engine)

    def with_program(self) -> EngineWatch:
        """This watch, and the programs the engine's language hosts run now (none found where
        there is no language host: a program run by the Automation API in its own process)."""
        hosts = [
            pid for pid, s in children(self.engine).items() if s.name.startswith(LANGUAGE_HOST)
        ]
        program = tuple(
            Running(pid, stat.start_time)
            for host in hosts
            for pid, stat in children(host).items()
            if not stat.ended
        )
        return replace(self, program=program)

    def gone(self) -> bool:
        if not threading.main_thread().is_alive() or os.getppid() != self.parent:
            return True
        if any(process.ended() for process in self.program):
            return True
        try:
            os.kill(self.engine, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False


def stoppable_sleep(
    stopped: Callable[[], bool], slice_seconds: float = 0.5
) -> Callable[[float], None]:
    """A sleep that wakes every ``slice_seconds`` to raise :class:`WaitStopped` once
    ``stopped()`` holds, so a wait of hours ends with the run that asked for it."""
    pause = threading.Event()

    def sleep(seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            if stopped():
                raise WaitStopped
            left = end - time.monotonic()
            if left <= 0:
                return
            pause.wait(min(left, slice_seconds))

    return sleep


def create_completion(
    connection: Connection,
    props: Mapping[str, Any],
    log: Log,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[str, dict[str, Any]]:
    """(id, outputs) once the order is COMPLETED; raises :class:`NumberOrderError` otherwise."""
    order_id = str(props[C.order_id.name])
    policy = wait_policy(props)
    client = connection.client
    order = _current(client, order_id)
    if not order.state.ends_wait:
        if order.state is not NumberOrderState.IN_REVIEW:
            raise NumberOrderError(_not_submitted(order))
        try:
            order = wait_for_review(client, order, policy, log, sleep=sleep, clock=clock)
        except WaitStopped:
            raise NumberOrderError(_stopped(order_id)) from None
        except SinchNumbersError as error:
            raise NumberOrderError(_unreadable(order_id, error)) from None
    if order.state is not NumberOrderState.COMPLETED:
        raise NumberOrderError(_outcome(connection, order, policy))
    return order_id, _outputs(connection, props, order, log)


def read_completion(
    connection: Connection, order_id: str, props: Mapping[str, Any], log: Log
) -> dict[str, Any] | None:
    """The outputs as Sinch has the order now; None when Sinch no longer knows it (the
    completion holds nothing that costs money, so it may go; the NumberOrder decides for the
    order)."""
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(_unreadable(order_id, error)) from None
    if order is None:
        return None
    return _outputs(connection, props, order, log)


def wait_for_review(
    client: SinchNumbersClient,
    order: NumberOrder,
    policy: WaitPolicy,
    log: Log,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> NumberOrder:
    """Polls the order until review ends or the time is up, saying at a bounded rate that it
    is still waiting, so a pipeline shows it is alive."""
    order_id = order.id_number_order
    log.info(f"order {order_id}: waiting {policy.describe_limit()} for review")

    def progress(current: NumberOrder, elapsed: float, left: float | None) -> None:
        more = policy.describe_limit(left) + (" more" if left is not None else "")
        log.info(
            f"order {order_id}: still {current.state.value} after {elapsed:.0f} s; waiting {more}"
        )

    outcome = wait_for_order(
        client, order, policy, WaitObserver(on_progress=progress), sleep=sleep, clock=clock
    )
    log.info(f"order {order_id}: {outcome.order.state.value}")
    return outcome.order


def _current(client: SinchNumbersClient, order_id: str) -> NumberOrder:
    try:
        order = find_order(client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(_unreadable(order_id, error)) from None
    if order is None:
        raise NumberOrderError(
            f"{C.order_id.name}: order {order_id} does not exist in this Sinch project; wait for "
            f"the order a NumberOrder of this stack made (pass its {C.order_id.name})"
        )
    return order


def _outputs(
    connection: Connection, props: Mapping[str, Any], order: NumberOrder, log: Log
) -> dict[str, Any]:
    numbers = None
    if order.state is NumberOrderState.COMPLETED:
        found = find_active_numbers(connection.client, order, log.info)
        if found is not None:
            row = CompletedNumberFields
            numbers = [
                {
                    row.phone_number.name: n.phone_number,
                    row.next_charge_date.name: n.next_charge_date.isoformat()
                    if n.next_charge_date
                    else None,
                }
                for n in found
            ]
    return {
        **{key: props.get(key) for key in INPUTS},
        C.state.name: order.state.value,
        C.phone_numbers.name: order.phone_numbers,
        C.active_numbers.name: numbers,
    }


def _review_messages(connection: Connection, order: NumberOrder) -> str:
    """How many review messages there are and where to read them; never their text, which
    may quote the customer's personal data."""
    order_id = order.id_number_order
    if not order.state.has_review_log:
        return ""
    try:
        count = len(connection.client.get_registration(order_id).logs)
    except SinchNumbersError:
        command = review_text_command(order_id)
        return f" (review messages could not be counted; see them with `{command}`)"
    return f" ({review_text_pointer(order_id, count)})"


def _outcome(connection: Connection, order: NumberOrder, policy: WaitPolicy) -> str:
    order_id = order.id_number_order
    state = order.state
    messages = _review_messages(connection, order)
    if state is NumberOrderState.REJECTED:
        return (
            f"order {order_id} was REJECTED by review{messages}. Fix the registration or "
            "documents: the next `pulumi up` replaces it with a new order and waits for that one"
        )
    if state is NumberOrderState.BLOCKED:
        return (
            f"order {order_id} is BLOCKED by review{messages}. Change the NumberOrder's "
            "registration or documents: the next `pulumi up` resubmits the same order and waits "
            "again"
        )
    if state is NumberOrderState.EXPIRED:
        return (
            f"order {order_id} EXPIRED before review completed; the next `pulumi up` replaces "
            "it with a new order and waits for that one"
        )
    return (
        f"order {order_id} is still {state.value} after waiting {policy.describe_limit()}; "
        "the order is kept: run `pulumi up` again to keep waiting, or raise the timeout "
        "(completion_timeout)"
    )


def _not_submitted(order: NumberOrder) -> str:
    return (
        f"order {order.id_number_order} is {order.state.value}, not in review: its NumberOrder "
        "has not submitted it yet (its own error says which step failed). The next `pulumi up` "
        "resumes it and then waits"
    )


def _stopped(order_id: str) -> str:
    return (
        f"the wait for order {order_id} stopped because the run was cancelled (or its engine "
        "ended); the order is kept in the stack and the next `pulumi up` waits again"
    )


def _unreadable(order_id: str, error: SinchNumbersError) -> str:
    return (
        f"order {order_id}: could not read it while waiting for review: "
        f"{describe_error(error)}. The order is kept; the next `pulumi up` waits again"
    )
