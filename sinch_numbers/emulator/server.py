"""Runs the emulator under uvicorn: ready line, ``--port 0``, clean SIGINT/SIGTERM, drops."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Generator
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sinch_numbers.emulator.app import create_emulator
from sinch_numbers.emulator.config import EmulatorConfig
from sinch_numbers.emulator.faults import DROP_SCOPE_KEY

READY_LINE = "Sinch Numbers emulator listening on http://{host}:{port}"


class DroppingH11Protocol(H11Protocol):
    """Gives the app a way to close its connection with no response at all.

    An ASGI app cannot do that by itself: uvicorn answers 500 when the app sends nothing. The
    wrapper puts this connection's ``transport.abort`` into the request scope.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner = self.app

        async def app(scope: Any, receive: Any, send: Any) -> None:
            scope[DROP_SCOPE_KEY] = self.transport.abort
            await inner(scope, receive, send)

        self.app = app


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # uvicorn re-raises the captured signal after shutting down, which would make the process
        # die by SIGTERM/KeyboardInterrupt; a signal is the normal way to stop the emulator.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this; without it uvicorn's separate header and body writes
    # wait ~40 ms for a delayed ACK on every response.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def run(config: EmulatorConfig) -> int:
    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    emulator = create_emulator(config.with_port(port))
    server = _Server(
        uvicorn.Config(
            emulator,
            http=DroppingH11Protocol,
            lifespan="on",
            log_level=config.log_level,
            access_log=False,
            timeout_graceful_shutdown=3,
        )
    )
    host = f"[{config.host}]" if ":" in config.host else config.host

    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.01)
        print(READY_LINE.format(host=host, port=port), flush=True)
        print(
            f"Credentials: project id {config.project_id}, key id {config.key_id}, "
            f"key secret {config.key_secret}",
            flush=True,
        )

    async def main() -> None:
        announcer = asyncio.create_task(announce())
        await server.serve(sockets=[sock])
        announcer.cancel()

    try:
        asyncio.run(main())
    finally:
        sock.close()
    return 0 if server.started else 1


def main(argv: list[str] | None = None) -> int:
    from sinch_numbers.emulator.arguments import parse

    return run(parse(sys.argv[1:] if argv is None else argv))
