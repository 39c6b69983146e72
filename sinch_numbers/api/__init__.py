"""Typed synchronous client for the Sinch Numbers API (no Pulumi, nothing outside this package).

The names below are imported on first use: ``import sinch_numbers.api.models`` or
``from sinch_numbers.api.errors import ...`` then costs only what that module needs, and a module
that wants one light name (``sinch_numbers.callbacks``) does not load httpx with the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sinch_numbers._lazy import lazy_exports

_LAZY_EXPORTS = {
    "BasicAuth": "auth",
    "OAuth2ClientCredentials": "auth",
    "CallKind": "client",
    "SinchNumbersClient": "client",
    "APIError": "errors",
    "AuthenticationError": "errors",
    "ConfigurationError": "errors",
    "ConflictError": "errors",
    "ContentTooLargeError": "errors",
    "InvalidArgumentError": "errors",
    "NotFoundError": "errors",
    "OrderOutcomeUnknownError": "errors",
    "PermissionDeniedError": "errors",
    "RateLimitedError": "errors",
    "ServerError": "errors",
    "SinchNumbersError": "errors",
    "SinchTransportError": "errors",
    "TokenError": "errors",
    "UnexpectedResponseError": "errors",
    "RetryPolicy": "retry",
    "parse_retry_after": "retry",
    "DEFAULT_AUTH_URL": "settings",
    "DEFAULT_NUMBERS_URL": "settings",
    "ClientSettings": "settings",
}

__all__ = [
    "DEFAULT_AUTH_URL",
    "DEFAULT_NUMBERS_URL",
    "APIError",
    "AuthenticationError",
    "BasicAuth",
    "CallKind",
    "ClientSettings",
    "ConfigurationError",
    "ConflictError",
    "ContentTooLargeError",
    "InvalidArgumentError",
    "NotFoundError",
    "OAuth2ClientCredentials",
    "OrderOutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "SinchNumbersClient",
    "SinchNumbersError",
    "SinchTransportError",
    "TokenError",
    "UnexpectedResponseError",
    "parse_retry_after",
]

if TYPE_CHECKING:
    from sinch_numbers.api.auth import BasicAuth, OAuth2ClientCredentials
    from sinch_numbers.api.client import CallKind, SinchNumbersClient
    from sinch_numbers.api.errors import (
        APIError,
        AuthenticationError,
        ConfigurationError,
        ConflictError,
        ContentTooLargeError,
        InvalidArgumentError,
        NotFoundError,
        OrderOutcomeUnknownError,
        PermissionDeniedError,
        RateLimitedError,
        ServerError,
        SinchNumbersError,
        SinchTransportError,
        TokenError,
        UnexpectedResponseError,
    )
    from sinch_numbers.api.retry import RetryPolicy, parse_retry_after
    from sinch_numbers.api.settings import DEFAULT_AUTH_URL, DEFAULT_NUMBERS_URL, ClientSettings


__getattr__, __dir__ = lazy_exports(
    __name__,
    _LAZY_EXPORTS,
    __all__,
    # The old name, kept for code that imports it; it read as httpx's class of that name.
    renamed={"TransportError": ("errors", "SinchTransportError")},
)
