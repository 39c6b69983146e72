"""The review wait: it polls with backoff and, so a pipeline shows it is alive, says how it
stands at a bounded rate (over HTTP mocked at the transport, on a clock the test moves)."""

from __future__ import annotations

import itertools
import json
import re

import httpx

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.models import NumberOrder
from sinch_numbers.order.workflow import (
    KycPayload,
    OrderWorkflow,
    Progress,
    RequirementsCache,
    WaitPolicy,
)


def _order(state: str) -> dict[str, object]:
    return {"idNumberOrder": "o1", "state": state, "regionCode": "AU", "numberType": "MOBILE"}


def test_a_long_wait_reports_progress_at_a_bounded_rate() -> None:
    polls = {"count": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        polls["count"] += 1
        state = "COMPLETED" if polls["count"] > 40 else "IN_REVIEW"
        return httpx.Response(200, content=json.dumps(_order(state)))

    now = {"t": 0.0}
    lines: list[str] = []
    with SinchNumbersClient(
        project_id="p",
        key_id="k",
        key_secret="s",
        numbers_url="https://numbers.example.test",
        auth_method="basic",
        transport=httpx.MockTransport(answer),
    ) as client:
        workflow = OrderWorkflow(
            client,
            RequirementsCache(),
            report=lines.append,
            sleep=lambda seconds: now.__setitem__("t", now["t"] + seconds),
            clock=lambda: now["t"],
        )
        order = NumberOrder.model_validate(_order("IN_REVIEW"))
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
