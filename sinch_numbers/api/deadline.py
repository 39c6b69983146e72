"""A bound on the wall time of each HTTP request, which httpx's timeouts do not give.

httpx applies a timeout to each wait (connecting, one read, one write), so a server that sends one
byte just before each read would time out keeps a call alive forever. ``CallDeadline`` gives each
request that an ``httpx.Client`` sends (API calls and token requests alike) a deadline from the
moment it is sent, and shortens every wait of that request to the time left: connecting, the TLS
handshake, each read of the status line, headers and body. A write is sent in pieces, each bounded
the same way, so an upload overruns by at most one piece's wait. When no time is left the request
fails with httpcore's timeout for that wait, which httpx raises as ``ConnectTimeout``,
``WriteTimeout`` or ``ReadTimeout``: the client's retry rules then apply as for any timeout.

The waits happen in the network backend of httpx's connection pools, which httpx does not let a
caller choose: ``install`` swaps it in on the client's transports (its own and any proxy mounts)
and refuses, rather than silently not bounding, when their shape is not the one it knows.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import httpcore
import httpx

_T = TypeVar("_T")

# Sent through the pool's one-piece writes; a piece larger than the socket's buffer would let a
# slowly reading server stretch one write call over many waits.
_WRITE_PIECE = 64 * 1024


@dataclass(frozen=True)
class _Window:
    ends: float
    seconds: float


# The request being sent on this thread (or context). httpx's sync client does all of a request's
# I/O on the thread that sends it, and sends one request at a time there, so the window set when
# a request starts is the one its reads and writes see.
_CURRENT: ContextVar[_Window | None] = ContextVar("sinch_numbers_call_window", default=None)


def _within(
    timeout: float | None,
    wait: Callable[[float | None], _T],
    timeout_error: type[httpcore.TimeoutException],
    what: str,
) -> _T:
    window = _CURRENT.get()
    if window is None:
        return wait(timeout)
    left = window.ends - time.monotonic()
    message = f"{what} within the call deadline of {window.seconds:g}s"
    if left <= 0:
        raise timeout_error(message)
    if timeout is not None and timeout <= left:
        return wait(timeout)
    try:
        return wait(left)
    except httpcore.TimeoutException as error:
        raise timeout_error(message) from error


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within(
            timeout,
            lambda t: self._inner.read(max_bytes, t),
            httpcore.ReadTimeout,
            "no complete answer received",
        )

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_PIECE):
            _within(
                timeout,
                functools.partial(self._inner.write, buffer[start : start + _WRITE_PIECE]),
                httpcore.WriteTimeout,
                "the request not sent in full",
            )

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _BoundedStream(
            _within(
                timeout,
                lambda t: self._inner.start_tls(ssl_context, server_hostname, t),
                httpcore.ConnectTimeout,
                "no TLS session set up",
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self.inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _BoundedStream(
            _within(
                timeout,
                lambda t: self.inner.connect_tcp(host, port, t, local_address, socket_options),
                httpcore.ConnectTimeout,
                "no connection made",
            )
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        return _BoundedStream(
            _within(
                timeout,
                lambda t: self.inner.connect_unix_socket(path, t, socket_options),
                httpcore.ConnectTimeout,
                "no connection made",
            )
        )

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class CallDeadline:
    """At most ``seconds`` of wall time for each request a client sends, from send to last byte."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def install(self, client: httpx.Client) -> None:
        """Bound every request ``client`` sends; ``ValueError`` if its transports cannot be."""
        transports = [client._transport, *client._mounts.values()]
        pools = [t._pool for t in transports if isinstance(t, httpx.HTTPTransport)]
        if not pools or len(pools) != sum(t is not None for t in transports):
            raise ValueError("only httpx.HTTPTransport connection pools can be bounded")
        for pool in pools:
            if not isinstance(pool._network_backend, _BoundedBackend):
                pool._network_backend = _BoundedBackend(pool._network_backend)
        hooks = client.event_hooks
        hooks["request"] = [*hooks.get("request", []), self._start]
        client.event_hooks = hooks

    def _start(self, request: httpx.Request) -> None:
        _CURRENT.set(_Window(time.monotonic() + self.seconds, self.seconds))
        # Waiting for a free pooled connection happens before any network I/O.
        timeouts = dict(request.extensions.get("timeout", {}))
        pool = timeouts.get("pool")
        timeouts["pool"] = self.seconds if pool is None else min(pool, self.seconds)
        request.extensions["timeout"] = timeouts
