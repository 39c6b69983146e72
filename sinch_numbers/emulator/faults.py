"""Fault injection, added latency and per-route call counts, as an ASGI layer around the API.

Admin routes (``/_emulator/...``) are never delayed, faulted or counted. A ``drop`` closes the
connection before the request is handled; that needs the server's help (see ``server.py``), which
hands the transport's ``abort`` to the application under ``DROP_SCOPE_KEY``.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sinch_numbers.emulator.errors import CANONICAL_STATUS, ApiError
from sinch_numbers.emulator.state import EmulatorState

ADMIN_PREFIX = "/_emulator"
DROP_SCOPE_KEY = "sinch_emulator.drop"
FaultAction = Literal["status", "latency", "drop", "status_after"]
ACTIONS: tuple[FaultAction, ...] = ("status", "latency", "drop", "status_after")


@dataclass
class Fault:
    id: int
    method: str
    path: str
    action: FaultAction
    status: int
    retry_after: str | None
    latency_ms: int
    times: int | None  # remaining; None means until cleared
    message: str | None = None  # the error's text, standing in for a server that quotes input
    hits: int = 0

    def wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "action": self.action,
            "status": self.status,
            "retry_after": self.retry_after,
            "latency_ms": self.latency_ms,
            "times": self.times,
            "message": self.message,
            "hits": self.hits,
        }


class FaultRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next_id = 1
        self.calls: Counter[str] = Counter()
        # Every counted call in arrival order: the sequence two clients' runs are compared by.
        self.sequence: list[str] = []
        # API requests being handled right now, and the most at once since the last reset: what
        # shows whether a client really overlaps its calls (latency makes them overlap).
        self.in_flight = 0
        self.max_in_flight = 0

    def add(self, **fields: Any) -> Fault:
        with self._lock:
            fault = Fault(id=self._next_id, **fields)
            self._next_id += 1
            self._faults.append(fault)
            return fault

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.wire() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, key: str) -> None:
        with self._lock:
            self.calls[key] += 1
            self.sequence.append(key)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self.calls.items()))

    def calls_in_order(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self.sequence)

    def concurrency(self) -> dict[str, int]:
        with self._lock:
            return {"in_flight": self.in_flight, "max_in_flight": self.max_in_flight}

    def enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def reset_stats(self) -> None:
        with self._lock:
            self.calls.clear()
            self.sequence.clear()
            # Requests still running stay counted: a reset mid-run must not go below zero.
            self.max_in_flight = self.in_flight

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method not in ("*", method) or not re.search(fault.path, path):
                    continue
                if fault.times is not None:
                    if fault.times <= 0:
                        continue
                    fault.times -= 1
                fault.hits += 1
                return fault
            return None


def fault_error(fault: Fault) -> ApiError:
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = fault.retry_after
    elif fault.status == 429:
        headers["Retry-After"] = "1"
    default = "Injected fault" if fault.status != 429 else "Too many requests"
    return ApiError(
        fault.status,
        fault.message or default,
        status=CANONICAL_STATUS.get(fault.status, "UNKNOWN"),
        headers=headers,
    )


class FaultMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        registry: FaultRegistry,
        state: EmulatorState,
        routes: Callable[[], list[Any]],
    ) -> None:
        self.app = app
        self.registry = registry
        self.state = state
        self.routes = routes

    def _template(self, scope: Scope) -> str | None:
        for route in self.routes():
            if isinstance(route, Route):
                match, _ = route.matches(scope)
                if match == Match.FULL:
                    return str(getattr(route, "path_format", route.path))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        template = self._template(scope)
        if template is not None and template.startswith(("/v1/", "/oauth2/")):
            self.registry.count(f"{method} {template}")
        self.registry.enter()
        try:
            await self._serve(scope, receive, send, method)
        finally:
            self.registry.leave()

    async def _serve(self, scope: Scope, receive: Receive, send: Send, method: str) -> None:
        too_large = self._oversized(scope)
        if too_large is not None:
            await too_large.response()(scope, receive, send)
            return
        if self.state.settings.latency_ms > 0:
            await asyncio.sleep(self.state.settings.latency_ms / 1000)
        fault = self.registry.take(method, scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.action == "latency":
            # A slow server already holds the request and applies it even if the client gives up
            # meanwhile; read the body first so a disconnect during the wait cannot discard it.
            receive = await _buffered(receive)
            await asyncio.sleep(fault.latency_ms / 1000)
            await self.app(scope, receive, send)
        elif fault.action == "status":
            await fault_error(fault).response()(scope, receive, send)
        elif fault.action == "status_after":
            await self.app(scope, receive, _discard)
            await fault_error(fault).response()(scope, receive, send)
        else:
            await _drop(scope)

    def _oversized(self, scope: Scope) -> ApiError | None:
        length = dict(scope["headers"]).get(b"content-length")
        if length is None or not length.isdigit():
            return None
        settings, config = self.state.settings, self.state.config
        # Multipart uploads may carry the largest allowed file plus form overhead.
        limit = max(settings.max_upload_bytes + 64 * 1024, config.max_json_bytes)
        if int(length) <= limit:
            return None
        return ApiError(
            413,
            "Request entity too large",
            status="CONTENT_TOO_LARGE",
            details=[
                {
                    "type": "RequestEntityTooLarge",
                    "resourceName": "body",
                    "description": f"the request exceeds {limit} bytes",
                }
            ],
        )


async def _buffered(receive: Receive) -> Receive:
    """The whole request body now, replayed to the app later as one message."""
    chunks: list[bytes] = []
    first: Message
    while True:
        message = await receive()
        if message["type"] != "http.request":
            first = message  # the client left before sending everything: nothing to apply
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            first = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            break
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return first

    return replay


async def _discard(message: Message) -> None:
    return None


async def _drop(scope: Scope) -> None:
    abort = scope.get(DROP_SCOPE_KEY)
    if abort is None:
        raise RuntimeError("drop faults need the emulator's own server (sinch-numbers emulator)")
    abort()
    # Let the loop deliver connection_lost, so the server knows not to answer with a 500.
    for _ in range(3):
        await asyncio.sleep(0)
