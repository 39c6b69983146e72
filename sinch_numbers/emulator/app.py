"""Builds the emulator's ASGI application: API and admin routes, error envelopes, faults."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from sinch_numbers.emulator.callbacks import CallbackDispatcher
from sinch_numbers.emulator.config import EmulatorConfig
from sinch_numbers.emulator.errors import CANONICAL_STATUS, ApiError, envelope, invalid
from sinch_numbers.emulator.faults import FaultMiddleware, FaultRegistry
from sinch_numbers.emulator.routes_admin import build_admin_router
from sinch_numbers.emulator.routes_api import build_api_router
from sinch_numbers.emulator.state import EmulatorState, Order

TICK_SECONDS = 0.25
logger = logging.getLogger("sinch_numbers.emulator")


@dataclass
class Emulator:
    """The ASGI app plus the parts tests and the server reach into."""

    config: EmulatorConfig
    state: EmulatorState
    faults: FaultRegistry
    callbacks: CallbackDispatcher
    api: FastAPI
    asgi: FaultMiddleware

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.asgi(scope, receive, send)


def create_emulator(config: EmulatorConfig) -> Emulator:
    state = EmulatorState(config)
    faults = FaultRegistry()
    callbacks = CallbackDispatcher(config.callback_attempts, config.callback_backoff_seconds)

    def notify(order: Order, status: str, at: float) -> None:
        if order.callback_url:
            callbacks.enqueue(
                order.callback_url,
                order.project_id,
                order.id,
                status,
                at,
                state.settings.hmac_secret,
            )

    state.set_notifier(notify)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        callbacks.start()
        ticker = asyncio.create_task(_tick_forever(state))
        try:
            yield
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            callbacks.stop()
            with state.lock:
                state.save_if_dirty()

    api = FastAPI(
        title="Sinch Numbers API (emulator)",
        version="1.0.3",
        description="A local emulator of the Sinch Numbers API number-order (KYC) surface.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    api_router = build_api_router(state)
    api.include_router(api_router)
    api.include_router(build_admin_router(state, faults, callbacks))
    _install_error_handlers(api)
    _install_openapi(api)
    asgi = FaultMiddleware(api, registry=faults, state=state, routes=lambda: api_router.routes)
    return Emulator(config, state, faults, callbacks, api, asgi)


async def _tick_forever(state: EmulatorState) -> None:
    """Fires time-driven transitions (and their callbacks) even when nobody polls."""
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            with state.session():
                pass
        except Exception:
            logger.exception("emulator tick failed")


def _install_error_handlers(api: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response()

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        message = {404: "Not Found", 405: "Method Not Allowed"}.get(
            exc.status_code, str(exc.detail)
        )
        body = envelope(
            exc.status_code, message, CANONICAL_STATUS.get(exc.status_code, "UNKNOWN"), []
        )
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        violations = []
        for error in exc.errors():
            field = ""
            for part in error.get("loc", ())[1:]:
                field += f"[{part}]" if isinstance(part, int) else f".{part}"
            # Pydantic's message states the rule; the "input" key (the value) is never used.
            description = "is required" if error.get("type") == "missing" else error["msg"]
            violations.append((field.lstrip(".") or "request", description))
        return invalid("invalid request parameters", violations).response()

    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unexpected emulator error", exc_info=exc)
        return JSONResponse(envelope(500, "Internal error", "INTERNAL", []), status_code=500)

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(RequestValidationError, validation_error)
    api.add_exception_handler(Exception, unexpected)


def _install_openapi(api: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = get_openapi(
                title=api.title,
                version=api.version,
                description=api.description,
                routes=api.routes,
            )
            schema["components"] = schema.get("components", {})
            schema["components"]["securitySchemes"] = {
                "Basic": {"type": "http", "scheme": "basic"},
                "OAuth2.0": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "/oauth2/token", "scopes": {}}},
                },
            }
            for path, operations in schema["paths"].items():
                for operation in operations.values():
                    if not path.startswith("/oauth2/"):
                        operation["security"] = [{"Basic": []}, {"OAuth2.0": []}]
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
