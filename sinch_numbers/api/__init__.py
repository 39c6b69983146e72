"""Typed synchronous client for the Sinch Numbers API (no Pulumi, nothing outside this package)."""

from __future__ import annotations

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
