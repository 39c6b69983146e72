"""The gRPC server of ``pulumi-resource-sinch``: Pulumi's experimental servicer, with what it
lacks added in a subclass.

- **Partial state.** Its ``Create`` (and ``Update``) can only answer or fail; a resource that
  exists but did not finish must come back as ``pulumirpc.ErrorResourceInitFailed`` in the
  status details, so the engine keeps it (with its id and outputs) and the next ``up`` resumes
  it. :class:`SinchServicer` answers :class:`~.provider.InitFailed` that way.
- **Errors without tracebacks.** Every method of it turns any exception into its message and
  the traceback of the plugin's own code, which the engine shows the user. Ours says what went
  wrong in the provider's words (the logic's errors never carry a value); anything else is a
  fault of the plugin, told by its type and where it happened, never its message (which could
  quote a value).
- **No servicer of one's own.** ``pulumi.provider.experimental.server.main`` builds its
  servicer itself; :func:`serve` does what it does (print the port, serve until closed) with
  ours, and ends every wait in flight when the engine closes the plugin.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

import grpc
import grpc.aio
from pulumi.provider.experimental import provider as p
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime import proto
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.plugin.provider import InitFailed, SinchPackageProvider
from sinch_numbers.plugin.wire import spell

# As large as the engine may send: a state with documents' metadata for many orders.
_MESSAGE_BYTES = 400 * 1024 * 1024
_OPTIONS = [
    ("grpc.max_receive_message_length", _MESSAGE_BYTES),
    ("grpc.max_send_message_length", _MESSAGE_BYTES),
]


class SinchServicer(ProviderServicer):
    """Pulumi's experimental servicer, with partial state and plain error messages."""

    _provider: SinchPackageProvider

    async def Create(self, request: Any, context: Any) -> Any:
        async def create() -> Any:
            resp = await self._provider.create(
                p.CreateRequest(
                    request.urn,
                    PropertyValue.unmarshal_map(request.properties),
                    request.timeout,
                    request.preview,
                )
            )
            return proto.CreateResponse(
                id=resp.resource_id or "",
                properties=PropertyValue.marshal_map(resp.properties or {}),
            )

        return await _answer(context, create)

    async def Update(self, request: Any, context: Any) -> Any:
        async def update() -> Any:
            resp = await self._provider.update(
                p.UpdateRequest(
                    request.urn,
                    request.id,
                    PropertyValue.unmarshal_map(request.olds),
                    PropertyValue.unmarshal_map(request.news),
                    timeout=request.timeout,
                    ignore_changes=list(request.ignoreChanges),
                    preview=request.preview,
                )
            )
            return proto.UpdateResponse(properties=PropertyValue.marshal_map(resp.properties or {}))

        return await _answer(context, update)

    # The rest keep the experimental servicer's body; only their errors are told plainly.

    async def Check(self, request: Any, context: Any) -> Any:
        return await _answer(context, lambda: super(SinchServicer, self).Check(request, context))

    async def Diff(self, request: Any, context: Any) -> Any:
        return await _answer(context, lambda: super(SinchServicer, self).Diff(request, context))

    async def Read(self, request: Any, context: Any) -> Any:
        return await _answer(context, lambda: super(SinchServicer, self).Read(request, context))

    async def Delete(self, request: Any, context: Any) -> Any:
        return await _answer(context, lambda: super(SinchServicer, self).Delete(request, context))

    async def Invoke(self, request: Any, context: Any) -> Any:
        return await _answer(context, lambda: super(SinchServicer, self).Invoke(request, context))

    async def CheckConfig(self, request: Any, context: Any) -> Any:
        return await _answer(
            context, lambda: super(SinchServicer, self).CheckConfig(request, context)
        )

    async def DiffConfig(self, request: Any, context: Any) -> Any:
        return await _answer(
            context, lambda: super(SinchServicer, self).DiffConfig(request, context)
        )

    async def Configure(self, request: Any, context: Any) -> Any:
        return await _answer(
            context, lambda: super(SinchServicer, self).Configure(request, context)
        )

    async def GetSchema(self, request: Any, context: Any) -> Any:
        return await _answer(
            context, lambda: super(SinchServicer, self).GetSchema(request, context)
        )


async def _answer(context: Any, call: Callable[[], Awaitable[Any]]) -> Any:
    try:
        return await call()
    except InitFailed as failed:
        await _abort_init_failed(context, failed)
    except Exception as error:
        # The experimental servicer's methods re-raise as Exception(message + traceback),
        # the original being the context.
        original = error.__context__ if _rewrapped(error) else error
        await context.abort(grpc.StatusCode.UNKNOWN, _message(original or error))


def _rewrapped(error: BaseException) -> bool:
    return type(error) is Exception and error.__context__ is not None


def _message(error: BaseException) -> str:
    if isinstance(error, SinchNumbersError):
        return spell(str(error))
    where = "".join(traceback.format_tb(error.__traceback__))
    return f"sinch provider plugin fault ({type(error).__name__}), at:\n{where}"


async def _abort_init_failed(context: Any, failed: InitFailed) -> NoReturn:
    detail = provider_pb2.ErrorResourceInitFailed(
        id=failed.resource_id,
        properties=PropertyValue.marshal_map(failed.properties),
        inputs=PropertyValue.marshal_map(failed.inputs),
        reasons=[failed.reason],
    )
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=failed.reason)
    status.details.add().Pack(detail)
    await context.abort(
        grpc.StatusCode.UNKNOWN,
        failed.reason,
        trailing_metadata=(("grpc-status-details-bin", status.SerializeToString()),),
    )
    raise AssertionError("abort returned")  # pragma: no cover - abort always raises


async def serve(engine_address: str, version: str, provider: SinchPackageProvider) -> None:
    """Serve until the engine closes the plugin: the port on stdout's first line, as the
    engine reads it."""
    server = grpc.aio.server(options=_OPTIONS)
    servicer = SinchServicer(sys.argv[1:], version, provider, engine_address=engine_address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    threading.Thread(target=_warm_up, name="sinch-warm-up", daemon=True).start()
    try:
        await server.wait_for_termination()
    finally:
        # The engine closes a plugin with SIGINT: every wait ends, and the server is stopped
        # while its event loop still runs (left to the garbage collector, it prints a traceback).
        provider.cancelled.set()
        await server.stop(grace=1)


def _warm_up() -> None:
    """Import what the first check needs while the engine makes its first calls (plugin info,
    configure, schema), which need none of it."""
    from sinch_numbers.plugin.resources import package_resources
    from sinch_numbers.resources.number_order import check

    package_resources()
    del check
