"""A client whose every call answers the order ``o1`` in the next of a list of states (the last
one repeats), over HTTP mocked at the transport: what the review-wait tests poll."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from sinch_numbers.api.client import SinchNumbersClient


def order_body(state: str) -> dict[str, object]:
    return {"idNumberOrder": "o1", "state": state, "regionCode": "AU", "numberType": "MOBILE"}


@contextmanager
def order_in_states(states: list[str]) -> Iterator[tuple[SinchNumbersClient, list[int]]]:
    """The client, and a one-item list counting the GETs it answered."""
    gets = [0]

    def answer(request: httpx.Request) -> httpx.Response:
        state = states[min(gets[0], len(states) - 1)]
        gets[0] += 1
        return httpx.Response(200, content=json.dumps(order_body(state)))

    with SinchNumbersClient(
        project_id="p",
        key_id="k",
        key_secret="s",
        numbers_url="https://numbers.example.test",
        auth_method="basic",
        transport=httpx.MockTransport(answer),
    ) as client:
        yield client, gets
