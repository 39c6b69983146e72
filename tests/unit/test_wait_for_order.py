"""The one waiter both the provider and ``order watch`` poll through: explicit pending and target
states, a timeout that says it timed out, and polls counted (HTTP mocked at the transport, on a
clock the test moves)."""

from __future__ import annotations

import pytest

from sinch_numbers.api.models import NumberOrder
from sinch_numbers.core.wait import WaitObserver, WaitPolicy, wait_for_order
from tests.unit.scripted_orders import order_in_states


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_an_id_is_fetched_then_polled_at_a_fixed_interval_until_a_target_state() -> None:
    clock = _Clock()
    seen: list[tuple[str, int]] = []
    with order_in_states(["IN_REVIEW", "IN_REVIEW", "BLOCKED"]) as (client, gets):
        outcome = wait_for_order(
            client,
            "o1",
            WaitPolicy.every(10.0, timeout=None),
            WaitObserver(on_poll=lambda order, polls: seen.append((order.state.value, polls))),
            sleep=clock.sleep,
            clock=lambda: clock.now,
        )
    assert outcome.order.state.value == "BLOCKED"
    assert not outcome.timed_out
    assert outcome.polls == gets[0] == 3
    assert seen == [("IN_REVIEW", 1), ("IN_REVIEW", 2), ("BLOCKED", 3)]
    assert clock.sleeps == [10.0, 10.0]


def test_a_timeout_ends_the_wait_as_timed_out_and_never_sleeps_past_it() -> None:
    clock = _Clock()
    with order_in_states(["IN_REVIEW"]) as (client, gets):
        outcome = wait_for_order(
            client,
            "o1",
            WaitPolicy(timeout=25.0, initial_interval=10.0, max_interval=10.0),
            sleep=clock.sleep,
            clock=lambda: clock.now,
        )
    assert outcome.timed_out
    assert outcome.order.state.value == "IN_REVIEW"
    assert clock.sleeps == [10.0, 10.0, 5.0]
    assert outcome.elapsed == 25.0
    assert gets[0] == 4


def test_an_order_that_already_ended_its_wait_costs_no_call() -> None:
    clock = _Clock()
    done = NumberOrder.model_validate(
        {"idNumberOrder": "o1", "state": "COMPLETED", "regionCode": "AU", "numberType": "MOBILE"}
    )
    with order_in_states(["IN_REVIEW"]) as (client, gets):
        outcome = wait_for_order(
            client, done, WaitPolicy(timeout=60.0), sleep=clock.sleep, clock=lambda: clock.now
        )
    assert outcome.order is done
    assert (outcome.polls, gets[0], clock.sleeps) == (0, 0, [])


def test_progress_is_heard_at_most_once_per_period_and_only_while_pending() -> None:
    clock = _Clock()
    heard: list[tuple[float, float | None]] = []
    with order_in_states(["IN_REVIEW"] * 30 + ["COMPLETED"]) as (client, _):
        wait_for_order(
            client,
            "o1",
            WaitPolicy(timeout=3600.0, initial_interval=10.0, max_interval=10.0, progress_every=60),
            WaitObserver(on_progress=lambda order, elapsed, left: heard.append((elapsed, left))),
            sleep=clock.sleep,
            clock=lambda: clock.now,
        )
    assert [elapsed for elapsed, _ in heard] == [60.0, 120.0, 180.0, 240.0]
    assert all(left == 3600.0 - elapsed for elapsed, left in heard)


@pytest.mark.parametrize(
    ("policy", "left", "said"),
    [
        (WaitPolicy(timeout=3600.0), None, "up to 3600 s"),
        (WaitPolicy(timeout=0.5), None, "up to 0.5 s"),
        (WaitPolicy(timeout=3600.0), 3480.4, "up to 3480 s"),
        (WaitPolicy(timeout=None), None, "with no time limit"),
        (WaitPolicy.every(10.0, timeout=None), None, "with no time limit"),
    ],
)
def test_the_limit_of_a_wait_reads_as_the_end_of_waiting(
    policy: WaitPolicy, left: float | None, said: str
) -> None:
    assert policy.describe_limit(left) == said
