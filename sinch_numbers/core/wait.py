"""The one waiter for an order under review: the provider's ``wait_for_completion`` and
``sinch-numbers order watch`` both poll through :func:`wait_for_order`.

Pending and target states are explicit: a wait ends in a state whose ``ends_wait`` is true
(COMPLETED, REJECTED, BLOCKED, EXPIRED) or when the time is up; every other state is pending.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.models import NumberOrder

MAX_COMPLETION_TIMEOUT = 7 * 24 * 3600.0
"""The longest wait for review a program may ask for (a NumberOrderCompletion's ``timeout``)."""


@dataclass(frozen=True)
class WaitPolicy:
    """How to poll an order under review; ``timeout`` of 0 means do not wait, None no limit."""

    timeout: float | None = 0.0
    initial_interval: float = 1.0
    max_interval: float = 30.0
    factor: float = 1.5
    progress_every: float = 60.0
    """At most one progress line per this many seconds, so a pipeline shows it is alive."""

    @property
    def waits(self) -> bool:
        return self.timeout is None or self.timeout > 0

    def describe_limit(self, left: float | None = None) -> str:
        """How long a wait may still go on, as the end of "waiting ...": ``left`` seconds when
        given, else the whole timeout."""
        if self.timeout is None:
            return "with no time limit"
        return f"up to {self.timeout:g} s" if left is None else f"up to {left:.0f} s"

    @classmethod
    def every(cls, interval: float, timeout: float | None) -> WaitPolicy:
        """Polls at a fixed interval, as ``order watch --interval`` asks."""
        return cls(timeout, initial_interval=interval, max_interval=interval, factor=1.0)


@dataclass(frozen=True)
class WaitOutcome:
    order: NumberOrder
    polls: int
    """GETs made, the first one included when the waiter fetched the order itself."""
    elapsed: float
    timed_out: bool


@dataclass(frozen=True)
class WaitObserver:
    """What a caller hears while it waits; each hook is optional."""

    on_poll: Callable[[NumberOrder, int], None] | None = None
    """After every GET, with the number of polls so far."""
    on_progress: Callable[[NumberOrder, float, float | None], None] | None = None
    """At most once per ``progress_every`` while still pending: (order, elapsed, seconds left)."""


def wait_for_order(
    client: SinchNumbersClient,
    order: NumberOrder | str,
    policy: WaitPolicy,
    observer: WaitObserver = WaitObserver(),
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> WaitOutcome:
    """Polls the order until it leaves review or ``policy.timeout`` passes.

    Given an id, it fetches the order first; given an order, it starts from it (no GET when the
    order already ended its wait). Errors of the GET propagate from the client's error tree.
    """
    started = clock()
    polls = 0
    if isinstance(order, str):
        order = client.get_number_order(order)
        polls = 1
        if observer.on_poll is not None:
            observer.on_poll(order, polls)
    deadline = None if policy.timeout is None else started + policy.timeout
    interval = policy.initial_interval
    last_progress = started
    while not order.state.ends_wait:
        now = clock()
        if deadline is not None and now >= deadline:
            return WaitOutcome(order, polls, now - started, timed_out=True)
        pause = interval if deadline is None else min(interval, deadline - now)
        sleep(max(pause, 0.0))
        interval = min(interval * policy.factor, policy.max_interval)
        order = client.get_number_order(order.id_number_order)
        polls += 1
        if observer.on_poll is not None:
            observer.on_poll(order, polls)
        now = clock()
        if (
            observer.on_progress is not None
            and not order.state.ends_wait
            and now - last_progress >= policy.progress_every
        ):
            last_progress = now
            left = None if deadline is None else max(0.0, deadline - now)
            observer.on_progress(order, now - started, left)
    return WaitOutcome(order, polls, clock() - started, timed_out=False)
