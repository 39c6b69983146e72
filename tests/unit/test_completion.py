"""The review wait: it polls with backoff and, so a pipeline shows it is alive, says how it
stands at a bounded rate (over HTTP mocked at the transport, on a clock the test moves)."""

from __future__ import annotations

import itertools
import re

from sinch_numbers.api.models import NumberOrder
from sinch_numbers.order.workflow import (
    KycPayload,
    OrderWorkflow,
    Progress,
    RequirementsCache,
    WaitPolicy,
)
from tests.unit.scripted_orders import order_body, order_in_states


def test_a_long_wait_reports_progress_at_a_bounded_rate() -> None:
    now = {"t": 0.0}
    lines: list[str] = []
    with order_in_states(["IN_REVIEW"] * 40 + ["COMPLETED"]) as (client, _gets):
        workflow = OrderWorkflow(
            client,
            RequirementsCache(),
            report=lines.append,
            sleep=lambda seconds: now.__setitem__("t", now["t"] + seconds),
            clock=lambda: now["t"],
        )
        order = NumberOrder.model_validate(order_body("IN_REVIEW"))
        result = workflow.resume(
            order, Progress(), KycPayload(), WaitPolicy(timeout=3600, progress_every=60)
        )
    assert result.order is not None
    assert result.order.state.value == "COMPLETED"
    waited = now["t"]
    progress = [line for line in lines if "still IN_REVIEW after" in line]
    # One line per minute at most, and at least one per minute of a wait that lasts minutes.
    assert int(waited // 60) - 1 <= len(progress) <= int(waited // 60), (waited, progress)
    seconds = [int(m) for line in progress for m in re.findall(r"after (\d+) s", line)]
    assert len(seconds) == len(progress)
    assert all(b - a >= 60 for a, b in itertools.pairwise(seconds)), seconds
    assert all("waiting up to" in line for line in progress)
    assert lines[-1] == "order o1: COMPLETED"
