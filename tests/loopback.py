"""Servers on loopback that misbehave on purpose, for tests of the client's bounds."""

from __future__ import annotations

import contextlib
import socket
import threading


class LoopbackServer:
    """Accepts connections on loopback in a thread and hands each one to ``handle``."""

    def __init__(self) -> None:
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            self.handle(connection)

    def handle(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"


class TrickleServer(LoopbackServer):
    """Answers every request one byte every ``interval`` seconds, forever.

    Each wait of the client is short, so no per-wait timeout fires: only a bound on the whole
    call can end it. ``headers=True`` trickles the status line and headers (an endless header),
    else the headers come at once and the body trickles.
    """

    def __init__(self, *, headers: bool = False, interval: float = 0.2) -> None:
        self.trickle_headers = headers
        self.interval = interval
        self._threads: list[threading.Thread] = []
        super().__init__()

    def handle(self, connection: socket.socket) -> None:
        thread = threading.Thread(target=self._trickle, args=(connection,), daemon=True)
        self._threads.append(thread)
        thread.start()

    def _trickle(self, connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError):
            connection.settimeout(1.0)
            connection.recv(65536)
            if self.trickle_headers:
                head, endless = b"HTTP/1.1 200 OK\r\nX-Pad: ", b"a"
            else:
                connection.sendall(HEADERS)
                head, endless = b"", b" "
            for byte in iter(head):
                if self._stop.wait(self.interval):
                    return
                connection.sendall(bytes([byte]))
            while not self._stop.wait(self.interval):
                connection.sendall(endless)

    def close(self) -> None:
        super().close()
        for thread in self._threads:
            thread.join()
