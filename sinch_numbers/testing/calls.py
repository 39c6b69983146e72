"""Counting the HTTP requests a ``SinchNumbersClient`` sends, for tests and benchmarks.

The production client keeps no counters: a test that asserts how many calls something makes
gives the client this counter's event hooks::

    calls = CallCounter()
    client = SinchNumbersClient(..., event_hooks=calls.event_hooks())
    ...
    assert calls.requests == {("GET", "get_number_order"): 1}

Every attempt counts (retries, and the repeat after an expired token, too), because the hook
runs for each request httpx sends.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import httpx

from sinch_numbers.api.client import ROUTE_EXTENSION


class CallCounter:
    """Thread-safe counts: API requests per (method, route), and token requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[tuple[str, str]] = Counter()
        self._token_fetches = 0

    def event_hooks(self) -> dict[str, list[Callable[[httpx.Request], None]]]:
        """The ``event_hooks`` argument of ``SinchNumbersClient`` that feeds this counter."""
        return {"request": [self._record]}

    @property
    def requests(self) -> dict[tuple[str, str], int]:
        """A copy: ``{("GET", "get_number_order"): 2, ...}``."""
        with self._lock:
            return dict(self._requests)

    @property
    def token_fetches(self) -> int:
        with self._lock:
            return self._token_fetches

    def _record(self, request: httpx.Request) -> None:
        # The client labels each API request with its route; the only unlabelled requests it
        # sends are those for an OAuth2 token.
        route = request.extensions.get(ROUTE_EXTENSION)
        with self._lock:
            if isinstance(route, str):
                self._requests[(request.method, route)] += 1
            else:
                self._token_fetches += 1

    def __repr__(self) -> str:
        return f"CallCounter(requests={self.requests!r}, token_fetches={self.token_fetches})"
