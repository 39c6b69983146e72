"""Shared fixtures for the API client tests: a scripted fake of the Sinch endpoints."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sinch_numbers.api import RetryPolicy, SinchNumbersClient
from sinch_numbers.core.log import Log
from sinch_numbers.testing.calls import CallCounter

NUMBERS_URL = "https://numbers.test"
AUTH_URL = "https://auth.test/oauth2/token"
PROJECT = "proj-0001"
KEY_ID = "key-id-0001"
# Canary values: tests assert these never appear in errors, reprs or logs.
KEY_SECRET = "CANARY-KEY-SECRET-7f3a9e"
TOKEN = "CANARY-ACCESS-TOKEN-91b2c4"
PREFIX = f"/v1/projects/{PROJECT}/"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(
    status: int = 200, body: Any = None, *, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A JSON response (``body=None`` gives an empty body; ``bytes`` are sent as they are)."""
    if body is None:
        return httpx.Response(status, headers=headers)
    if isinstance(body, bytes):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def api_error(
    status: int, api_status: str, message: str = "", details: list[Any] | None = None, **kw: Any
) -> httpx.Response:
    envelope = {"code": status, "message": message, "status": api_status, "details": details or []}
    return reply(status, {"error": envelope}, **kw)


def token_reply(token: str = TOKEN, expires_in: int = 3599) -> httpx.Response:
    return reply(
        200,
        {"access_token": token, "expires_in": expires_in, "scope": "", "token_type": "bearer"},
    )


class FakeSinch:
    """Routes requests to scripted replies and records every request.

    ``on(method, path, *replies)`` queues replies for a path relative to the project (or absolute
    when it starts with ``/``); the last reply repeats. The token endpoint answers ``TOKEN``
    unless ``token_replies`` is scripted.
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self._routes: dict[tuple[str, str], list[Reply]] = defaultdict(list)
        self.token_replies: list[Reply] = []

    def on(self, method: str, path: str, *replies: Reply) -> None:
        full = path if path.startswith("/") else PREFIX + path
        self._routes[(method, full)].extend(replies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A snapshot: the client re-sends the same Request object with new headers.
        self.requests.append(
            httpx.Request(
                request.method, request.url, headers=request.headers.copy(), content=request.read()
            )
        )
        path = request.url.raw_path.partition(b"?")[0].decode()
        if request.url.host == "auth.test":
            queue = self.token_replies
            fallback: Reply = token_reply()
        else:
            queue = self._routes.get((request.method, path), [])
            fallback = reply(599, b"no route scripted for " + path.encode())
        answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else fallback
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host != "auth.test"]

    @property
    def token_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.host == "auth.test"]

    def last(self) -> httpx.Request:
        return self.api_requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last().content)


class Delays:
    """Records the delays the retry loop asked for, without sleeping."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def fake() -> FakeSinch:
    return FakeSinch()


@pytest.fixture
def delays() -> Delays:
    return Delays()


@pytest.fixture
def calls() -> CallCounter:
    """Counts what every client of ``make_client`` (and ``client``) sends."""
    return CallCounter()


@pytest.fixture
def make_client(
    fake: FakeSinch, delays: Delays, calls: CallCounter
) -> Iterator[Callable[..., SinchNumbersClient]]:
    made: list[SinchNumbersClient] = []

    def build(**overrides: Any) -> SinchNumbersClient:
        options: dict[str, Any] = {
            "project_id": PROJECT,
            "key_id": KEY_ID,
            "key_secret": KEY_SECRET,
            "numbers_url": NUMBERS_URL,
            "auth_url": AUTH_URL,
            "transport": httpx.MockTransport(fake),
            "event_hooks": calls.event_hooks(),
            # Backoff ceiling grows 1, 2, 4, ...; the jitter returns the ceiling so tests can
            # assert exact delays.
            "backoff": RetryPolicy(
                initial_delay=1.0,
                max_delay=8.0,
                max_retry_after=30.0,
                sleep=delays.sleep,
                jitter=lambda ceiling: ceiling,
            ),
        }
        options.update(overrides)
        client = SinchNumbersClient(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., SinchNumbersClient]) -> SinchNumbersClient:
    return make_client()


@pytest.fixture(autouse=True)
def _no_sinch_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own SINCH_* variables must not leak into tests."""
    for name in (
        "SINCH_PROJECT_ID",
        "SINCH_KEY_ID",
        "SINCH_KEY_SECRET",
        "SINCH_NUMBERS_URL",
        "SINCH_AUTH_URL",
    ):
        monkeypatch.delenv(name, raising=False)


def recording_log() -> tuple[Log, list[tuple[str, str]]]:
    """A Log for the order logic that keeps what it is told, as (severity, text)."""
    lines: list[tuple[str, str]] = []
    log = Log(
        info=lambda text: lines.append(("info", text)),
        warn=lambda text: lines.append(("warn", text)),
    )
    return log, lines
