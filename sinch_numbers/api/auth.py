"""``httpx.Auth`` flows for the Numbers API: OAuth2 client credentials (default) and Basic.

Neither object can be printed or pickled with its secret: ``repr`` redacts it and pickling is
refused, so a credential cannot leak into logs, tracebacks or Pulumi state by accident.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import NoReturn

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sinch_numbers.api.errors import (
    AuthenticationError,
    TokenError,
    UnexpectedResponseError,
    error_from_response,
    request_id_of,
)
from sinch_numbers.api.retry import (
    RetryPolicy,
    is_transient,
    send_with_retries,
)
from sinch_numbers.api.settings import DEFAULT_AUTH_URL

logger = logging.getLogger("sinch_numbers.api")

DEFAULT_REFRESH_MARGIN = 60.0
"""Renew a token when less than this many seconds (or 10% of its lifetime, if less) remain."""


def _basic_header(key_id: str, key_secret: str) -> str:
    raw = f"{key_id}:{key_secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _refuse_pickling(obj: object) -> NoReturn:
    raise TypeError(f"{type(obj).__name__} holds credentials and cannot be pickled")


def token_expired(response: httpx.Response) -> bool:
    """A 401 whose ``WWW-Authenticate`` says the token expired (as Sinch's SDKs test for)."""
    challenge = response.headers.get("www-authenticate", "")
    return response.status_code == 401 and "expired" in challenge.lower()


class BasicAuth(httpx.Auth):
    """HTTP Basic with the access key on every call (Sinch: for testing; heavily rate limited)."""

    def __init__(self, key_id: str, key_secret: str) -> None:
        self._key_id = key_id
        self._header = _basic_header(key_id, key_secret)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return f"BasicAuth(key_id={self._key_id!r}, key_secret=<redacted>)"

    def __getstate__(self) -> NoReturn:
        _refuse_pickling(self)


class _TokenResponse(BaseModel):
    # Built at import, unlike most wire models: every process's first call fetches a token.
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    access_token: str = Field(min_length=1)
    expires_in: float = 3600.0
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type name


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: float
    lifetime: float


class OAuth2ClientCredentials(httpx.Auth):
    """OAuth2 client-credentials flow with one cached token shared by all threads.

    The token is fetched on first use (concurrent first calls fetch once), renewed when less than
    ``min(refresh_margin, 10% of its lifetime)`` remains, and renewed once more when an API call
    is answered 401 with an "expired" challenge; that call is then repeated once. A 401 was not
    processed, so repeating it is safe even for calls that change things.

    Token requests go through ``http_client`` (the caller's pooled client; one is created and
    owned here when none is given) and are retried on 429, 5xx and transport errors: they are
    idempotent.
    """

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        token_url: str = DEFAULT_AUTH_URL,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
    ) -> None:
        self._key_id = key_id
        self._credentials = _basic_header(key_id, key_secret)
        self._token_url = token_url
        self._owns_client = http_client is None
        self._http = http_client or httpx.Client(
            transport=transport, timeout=httpx.Timeout(30.0, connect=5.0, pool=10.0)
        )
        self._policy = retry_policy or RetryPolicy()
        self._max_retries = max_retries
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._lock = threading.Lock()
        self._token: _Token | None = None

    def __repr__(self) -> str:
        return (
            f"OAuth2ClientCredentials(key_id={self._key_id!r}, token_url={self._token_url!r}, "
            "key_secret=<redacted>)"
        )

    def __getstate__(self) -> NoReturn:
        _refuse_pickling(self)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if token_expired(response):
            logger.info("access token reported expired; renewing it and repeating the request")
            request.headers["Authorization"] = f"Bearer {self._renew(stale=token)}"
            yield request

    def access_token(self) -> str:
        """The cached token, fetched or renewed first when needed."""
        with self._lock:
            if self._token is None or self._due(self._token):
                self._token = self._fetch()
            return self._token.value

    def close(self) -> None:
        if self._owns_client:
            self._http.close()

    def _renew(self, stale: str) -> str:
        with self._lock:
            current = self._token
            if current is not None and current.value != stale and not self._due(current):
                return current.value  # another thread renewed it meanwhile
            self._token = self._fetch()
            return self._token.value

    def _due(self, token: _Token) -> bool:
        margin = min(self._refresh_margin, token.lifetime * 0.1)
        return self._clock() >= token.expires_at - margin

    def _fetch(self) -> _Token:
        path = httpx.URL(self._token_url).path

        def send() -> httpx.Response:
            return self._http.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                headers={"Authorization": self._credentials, "Accept": "application/json"},
            )

        try:
            response = send_with_retries(
                send,
                policy=self._policy,
                max_retries=self._max_retries,
                retry_response=lambda r: r.status_code == 429 or r.status_code >= 500,
                retry_error=is_transient,
                label="POST oauth2 token",
            )
        except httpx.RequestError as error:
            raise TokenError.from_network(error, path=path) from error
        if response.status_code in {400, 401, 403}:
            raise error_from_response(
                response, method="POST", path=path, error_class=AuthenticationError
            )
        if not response.is_success:
            raise TokenError.from_answer(error_from_response(response, method="POST", path=path))
        try:
            parsed = _TokenResponse.model_validate_json(response.content)
        except ValidationError:
            unreadable = UnexpectedResponseError(
                response.status_code,
                message="the token endpoint's answer has no usable access_token",
                request_id=request_id_of(response),
                method="POST",
                path=path,
            )
            raise TokenError.from_answer(unreadable) from None
        lifetime = max(parsed.expires_in, 0.0)
        logger.debug("fetched an access token valid for %.0fs", lifetime)
        return _Token(parsed.access_token, self._clock() + lifetime, lifetime)
