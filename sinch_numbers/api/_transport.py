"""Plumbing of ``SinchNumbersClient``: httpx defaults, path segments, sending, reading a model.

Private to the client: nothing here knows about endpoints or settings.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from sinch_numbers.api.errors import (
    SinchTransportError,
    UnexpectedResponseError,
    error_from_response,
    request_id_of,
)
from sinch_numbers.api.retry import (
    RetryPolicy,
    is_transient,
    parse_retry_after,
    provably_unsent,
    send_with_retries,
)

logger = logging.getLogger("sinch_numbers.api")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
# The whole of one attempt when no number of seconds is given: four times the longest wait, room
# for a 5 MB document on a slow uplink, and an end to an answer that trickles in forever.
DEFAULT_CALL_DEADLINE = 120.0
# As many connections as the package's provider plugin runs calls at once (64, for `pulumi up
# --parallel` up to that): fewer would make calls queue for a connection, and fail after the
# pool's 10 s wait when the API is slow. `--parallel` is what bounds the load on the API.
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=30)

ModelT = TypeVar("ModelT", bound=BaseModel)
QueryParams = list[tuple[str, str | int | float | bool | None]]
"""Query parameters in order; a name may repeat (``capabilities``)."""
RetryRules = tuple[Callable[[httpx.Response], bool], Callable[[httpx.RequestError], bool]]
"""Which responses and which network errors ``send_with_retries`` retries."""


def tls_verify(*urls: str) -> ssl.SSLContext | bool:
    """Certificate verification for a client that talks to ``urls``.

    httpx builds its TLS context when the client is created, and loading the CA bundle costs
    ~40 ms, which the provider pays inside the first API call of every plugin process. Where every
    endpoint is plain http (the emulator, a local proxy) no TLS is ever made, so a context with an
    empty trust store stands in: it trusts no certificate, so an https peer would be refused
    rather than accepted unverified.
    """
    if any(httpx.URL(url).scheme != "http" for url in urls):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def timeout_of(timeout: httpx.Timeout | float | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def call_deadline_of(timeout: httpx.Timeout | float | None, call_deadline: float | None) -> float:
    """The most one attempt may take: ``call_deadline``, else a number given as ``timeout``
    (which then bounds the call as well as each wait), else the default."""
    if call_deadline is not None:
        return call_deadline
    if isinstance(timeout, int | float):
        return float(timeout)
    return DEFAULT_CALL_DEADLINE


def path_segment(value: str) -> str:
    # Every reserved character is escaped so an id cannot add path segments or a query.
    return quote(value, safe="")


def phone_segment(phone_number: str) -> str:
    # "+" is legal in a path segment and what the live API was observed with; keep it literal.
    return quote(phone_number, safe="+")


def _retry_any_failure(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


def _retry_rate_limited(response: httpx.Response) -> bool:
    return response.status_code == 429


IDEMPOTENT_RETRIES: RetryRules = (_retry_any_failure, is_transient)
"""A call that may be repeated: 429, 5xx and transient network errors."""
CHANGE_RETRIES: RetryRules = (_retry_rate_limited, provably_unsent)
"""A call that changes something: only 429 and errors before any connection was made."""


def send(
    http: httpx.Client,
    request: httpx.Request,
    *,
    auth: httpx.Auth,
    policy: RetryPolicy,
    max_retries: int,
    idempotent: bool,
    route: str,
    path: str,
) -> httpx.Response:
    """Send with retries; return a 2xx response or raise from the error tree."""
    method = request.method
    retry_response, retry_error = IDEMPOTENT_RETRIES if idempotent else CHANGE_RETRIES
    try:
        response = send_with_retries(
            lambda: http.send(request, auth=auth),
            policy=policy,
            max_retries=max_retries,
            retry_response=retry_response,
            retry_error=retry_error,
            label=f"{method} {route}",
        )
    except httpx.RequestError as error:
        logger.warning("%s %s: %s", method, route, type(error).__name__)
        raise SinchTransportError.from_httpx(
            error, method=method, path=path, request_sent=not provably_unsent(error)
        ) from error
    logger.debug(
        "%s %s -> HTTP %d (request id %s)",
        method,
        route,
        response.status_code,
        request_id_of(response) or "-",
    )
    if response.is_success:
        return response
    retry_after = parse_retry_after(response.headers.get("retry-after"), now=policy.now())
    raise error_from_response(response, method=method, path=path, retry_after=retry_after)


def parse_model(model: type[ModelT], response: httpx.Response) -> ModelT:
    """The body as ``model``, or ``UnexpectedResponseError`` naming only where it does not fit.

    Any failure to read the body is that error, never the exception itself: an answer not read
    must reach the caller typed (for a create: outcome unknown, never a lost order).
    """
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        # Only the locations of the problems: the values may be personal data.
        where = sorted({".".join(str(p) for p in e["loc"]) or "(body)" for e in error.errors()})
        problem = f"response is not a valid {model.__name__} (at {', '.join(where)})"
    except Exception as error:
        # Only the error's type: its text may quote the body.
        problem = f"response could not be read as {model.__name__} ({type(error).__name__})"
    raise UnexpectedResponseError(
        response.status_code,
        message=problem,
        request_id=request_id_of(response),
        method=response.request.method,
        path=response.request.url.path,
    ) from None
