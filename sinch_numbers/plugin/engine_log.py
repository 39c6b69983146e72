"""The engine's diagnostics, for what the plugin tells a user while it works.

Pulumi's experimental provider interface gives a provider no way to log: ``pulumi.log`` needs a
program's runtime settings, which a plugin has none of, and falls back to stderr. The engine
hands every plugin its address on the command line, and its ``Engine.Log`` call shows a message
under the resource it names, as the engine does for any provider. This speaks to it directly.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import Any


class EngineLog:
    """Writes to the engine at ``address`` (stderr when there is none, or it cannot be reached).

    Called from the worker threads; one channel, made on first use, serves them all.
    """

    def __init__(self, address: str | None) -> None:
        self._address = address
        self._stub: Any = None
        self._lock = threading.Lock()

    def info(self, message: str, *, urn: str = "") -> None:
        self._write("INFO", message, urn)

    def warn(self, message: str, *, urn: str = "") -> None:
        self._write("WARNING", message, urn)

    def _write(self, severity: str, message: str, urn: str) -> None:
        stub = self._engine()
        if stub is not None:
            from pulumi.runtime.proto import engine_pb2

            request = engine_pb2.LogRequest(
                severity=engine_pb2.LogSeverity.Value(severity), message=message, urn=urn
            )
            # A message the engine did not take goes to stderr: it must not fail the resource.
            with contextlib.suppress(Exception):
                stub.Log(request, timeout=10)
                return
        print(f"{severity.lower()}: {message}", file=sys.stderr, flush=True)

    def _engine(self) -> Any:
        if self._address is None:
            return None
        with self._lock:
            if self._stub is None:
                import grpc
                from pulumi.runtime.proto import engine_pb2_grpc

                channel = grpc.insecure_channel(self._address)
                self._stub = engine_pb2_grpc.EngineStub(channel)
            return self._stub
