"""A minimal receiver for Sinch Numbers callbacks (ASGI, Starlette).

``POST /sinch/callbacks`` checks the body size, the source address, the ``X-Sinch-Signature``
HMAC, the payload and replays with :class:`sinch_numbers.callbacks.CallbackVerifier`, answers at
once, and hands the event to an optional handler after the response has been sent (Sinch asks for
a quick 200 and asynchronous processing).

Configuration (environment):

- ``SINCH_CALLBACK_HMAC_SECRET``: the project's ``hmacSecret``. Unset: signatures are **not**
  checked (local development only; a warning is logged). Set but empty: refused at start-up.
- ``SINCH_CALLBACK_ALLOWED_IPS``: comma-separated addresses or CIDR networks that may deliver
  callbacks; default Sinch's documented addresses.
- ``SINCH_CALLBACK_TRUSTED_PROXIES``: comma-separated addresses or networks of reverse proxies
  whose ``X-Forwarded-For`` is believed; default none.

Run it with ``python app.py`` or ``uvicorn --factory app:create_app --no-proxy-headers`` (see the
README). It logs one sanitized line per accepted event and one line per refusal naming the
reason; it never logs a body.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import os
from collections.abc import Awaitable, Callable, Mapping

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sinch_numbers.callbacks import (
    FORWARDED_FOR_HEADER,
    SIGNATURE_HEADER,
    SINCH_CALLBACK_IPS,
    ActiveNumberEvent,
    BodyTooLarge,
    CallbackError,
    CallbackVerifier,
    NumberOrderEvent,
    SourcePolicy,
    sanitized_summary,
)

logger = logging.getLogger("callback_receiver")

CALLBACK_PATH = "/sinch/callbacks"
SECRET_ENV = "SINCH_CALLBACK_HMAC_SECRET"  # noqa: S105 - a variable name, not a secret
ALLOWED_IPS_ENV = "SINCH_CALLBACK_ALLOWED_IPS"
TRUSTED_PROXIES_ENV = "SINCH_CALLBACK_TRUSTED_PROXIES"

Event = NumberOrderEvent | ActiveNumberEvent
EventHandler = Callable[[Event], Awaitable[None] | None]


class ConfigurationError(ValueError):
    """The environment does not describe a usable receiver."""


def _address_list(environ: Mapping[str, str], name: str) -> list[str] | None:
    raw = environ.get(name)
    if raw is None:
        return None
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    if not entries:
        raise ConfigurationError(f"{name} is set but lists no address")
    return entries


def verifier_from_env(environ: Mapping[str, str] | None = None) -> CallbackVerifier:
    environ = os.environ if environ is None else environ
    secret = environ.get(SECRET_ENV)
    if secret is not None and not secret.strip():
        # An empty value is usually an unset deployment variable, not a wish to skip signatures.
        raise ConfigurationError(
            f"{SECRET_ENV} is set but empty; unset it to run without signature checks "
            "(local development only)"
        )
    allowed = _address_list(environ, ALLOWED_IPS_ENV)
    proxies = _address_list(environ, TRUSTED_PROXIES_ENV) or []
    try:
        policy = SourcePolicy(
            allowed=SINCH_CALLBACK_IPS if allowed is None else allowed, trusted_proxies=proxies
        )
    except ValueError as error:
        raise ConfigurationError(f"{ALLOWED_IPS_ENV} / {TRUSTED_PROXIES_ENV}: {error}") from None
    return CallbackVerifier(None if secret is None else secret.strip(), policy)


async def _read_body(request: Request, verifier: CallbackVerifier) -> bytes:
    """The raw body, refusing oversize ones without reading them to the end."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit():
        verifier.check_size(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        # Content-Length may be absent (chunked) or lie; count what actually arrives.
        if len(body) > verifier.max_body_bytes:
            raise BodyTooLarge(f"the body is larger than {verifier.max_body_bytes} bytes")
    return bytes(body)


def _relevant_headers(request: Request) -> dict[str, str]:
    # Repeated headers are joined: a second X-Sinch-Signature then fails verification instead of
    # one of them being picked, and every X-Forwarded-For hop is seen.
    headers = {}
    for name in (SIGNATURE_HEADER, FORWARDED_FOR_HEADER):
        values = request.headers.getlist(name)
        if values:
            headers[name] = ", ".join(values)
    return headers


async def _handle(handler: EventHandler, event: Event) -> None:
    try:
        result = handler(event)
        if inspect.isawaitable(result):
            await result
    except Exception as error:
        # The type only: an exception message may quote event data.
        logger.error(
            "callback handler failed (%s) for event %s",
            type(error).__name__,
            sanitized_summary(event),
        )


def create_app(
    verifier: CallbackVerifier | None = None, *, on_event: EventHandler | None = None
) -> Starlette:
    """The receiver; without ``verifier`` it is configured from the environment."""
    checker = verifier_from_env() if verifier is None else verifier

    async def receive_callback(request: Request) -> Response:
        peer = request.client.host if request.client is not None else ""
        try:
            body = await _read_body(request, checker)
            event = checker.verify(body, _relevant_headers(request), peer)
        except CallbackError as refusal:
            # Messages name the rule, never request data (see sinch_numbers.callbacks).
            logger.warning("refused callback (%s): %s", refusal.reason, refusal)
            return JSONResponse({"error": refusal.reason}, status_code=refusal.http_status)
        logger.info("accepted callback: %s", sanitized_summary(event))
        task = BackgroundTask(_handle, on_event, event) if on_event is not None else None
        return JSONResponse({"status": "accepted"}, background=task)

    return Starlette(routes=[Route(CALLBACK_PATH, receive_callback, methods=["POST"])])


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Receive Sinch Numbers callbacks.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # proxy_headers=False: X-Forwarded-For is interpreted by SourcePolicy alone, from the proxies
    # configured for it; uvicorn would otherwise rewrite the peer address first.
    uvicorn.run(create_app(), host=args.host, port=args.port, proxy_headers=False)


if __name__ == "__main__":
    main()
