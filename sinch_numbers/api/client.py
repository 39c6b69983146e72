"""The typed, synchronous Sinch Numbers API client.

One pooled ``httpx.Client`` per ``SinchNumbersClient``; safe to share between threads. Each method
is one HTTP call (plus retries) that returns a parsed model from ``models`` or raises from the
``errors`` tree.
"""

from __future__ import annotations

import enum
import logging
import math
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Literal, NoReturn, TypeVar
from urllib.parse import quote

# httpx imports httpcore only when the first Client is built (~25 ms), which in the plugin is
# inside the first order's first API call. Importing it with the client makes that library load
# part of plugin start-up like every other import; the total is the same.
import httpcore  # noqa: F401
import httpx
from pydantic import BaseModel, ValidationError

from sinch_numbers.api.auth import BasicAuth, OAuth2ClientCredentials
from sinch_numbers.api.deadline import CallDeadline
from sinch_numbers.api.errors import (
    AuthenticationError,
    ConfigurationError,
    OrderOutcomeUnknownError,
    PermissionDeniedError,
    ServerError,
    SinchTransportError,
    UnexpectedResponseError,
    error_from_response,
    request_id_of,
)
from sinch_numbers.api.models import (
    ActiveNumber,
    AvailableNumber,
    CallbackConfiguration,
    Capability,
    CreateNumberOrderRequest,
    ListActiveNumbersResponse,
    ListAvailableNumbersResponse,
    LookupNumberRequirementsRequest,
    NumberOrder,
    NumberRequirements,
    NumberType,
    Registration,
    SearchPattern,
    UpdateActiveNumberRequest,
    UpdateCallbackConfigurationRequest,
    UpdateRegistrationRequest,
)
from sinch_numbers.api.retry import (
    RetryPolicy,
    is_transient,
    parse_retry_after,
    provably_unsent,
    send_with_retries,
)
from sinch_numbers.api.settings import ClientSettings

logger = logging.getLogger("sinch_numbers.api")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
DEFAULT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=30)

ROUTE_EXTENSION = "sinch_numbers_route"
"""The request extension holding the route name (``get_number_order``), for event hooks."""
_ModelT = TypeVar("_ModelT", bound=BaseModel)
EventHooks = Mapping[str, list[Callable[..., Any]]]
"""httpx's ``event_hooks``: observers of every request and response (``testing.calls``)."""


class CallKind(enum.Enum):
    """How a call may be retried.

    ``IDEMPOTENT``: repeating it changes nothing more than doing it once (GET, PUT of a whole
    registration, the read-only lookup POST): retried on 429, 5xx and transient network errors.
    ``CHANGE``: creates or changes something: retried only when it provably was not processed
    (429, or no connection was ever made).
    """

    IDEMPOTENT = "idempotent"
    CHANGE = "change"


def _tls_verify(*urls: str) -> ssl.SSLContext | bool:
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


def _timeout(timeout: httpx.Timeout | float | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


def _path_segment(value: str) -> str:
    # Every reserved character is escaped so an id cannot add path segments or a query.
    return quote(value, safe="")


def _phone_segment(phone_number: str) -> str:
    # "+" is legal in a path segment and what the live API was observed with; keep it literal.
    return quote(phone_number, safe="+")


class SinchNumbersClient:
    """Typed client for the number-order, available-number, active-number and callback APIs.

    Settings not given fall back to ``SINCH_PROJECT_ID``, ``SINCH_KEY_ID``, ``SINCH_KEY_SECRET``,
    ``SINCH_NUMBERS_URL`` and ``SINCH_AUTH_URL``. ``max_retries`` counts retries after the first
    attempt. ``transport`` replaces the network (tests); ``backoff`` replaces the retry timing.
    ``setting_names`` (``{"key_id": "--key-id", ...}``) is what the caller's users call each
    setting: configuration errors and the hint on a 401 or 403 name those.

    ``timeout`` bounds each wait (connect, each read, each write); ``call_deadline`` (seconds)
    bounds the whole of each attempt, from sending the request to the last byte of the answer,
    and of each token request, which a server that answers slowly but steadily would otherwise
    keep going forever. An attempt that runs out of time fails like a read timeout: a
    ``SinchTransportError`` with ``request_sent`` set (``OrderOutcomeUnknownError`` for
    create-order).
    It needs httpx's own transport: with ``transport`` given, that transport must be an
    ``httpx.HTTPTransport``.
    """

    def __init__(
        self,
        *,
        project_id: str | None = None,
        key_id: str | None = None,
        key_secret: str | None = None,
        numbers_url: str | None = None,
        auth_url: str | None = None,
        auth_method: Literal["oauth2", "basic"] = "oauth2",
        timeout: httpx.Timeout | None = None,
        call_deadline: float | None = None,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        backoff: RetryPolicy | None = None,
        setting_names: Mapping[str, str] | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        settings = ClientSettings.resolve(
            project_id=project_id,
            key_id=key_id,
            key_secret=key_secret,
            numbers_url=numbers_url,
            auth_url=auth_url,
            names=setting_names,
        )
        self._start(
            settings,
            auth_method=auth_method,
            timeout=timeout,
            call_deadline=call_deadline,
            max_retries=max_retries,
            transport=transport,
            backoff=backoff,
            event_hooks=event_hooks,
        )

    @classmethod
    def from_settings(
        cls,
        settings: ClientSettings,
        *,
        auth_method: Literal["oauth2", "basic"] = "oauth2",
        timeout: httpx.Timeout | float | None = None,
        call_deadline: float | None = None,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        backoff: RetryPolicy | None = None,
        event_hooks: EventHooks | None = None,
    ) -> SinchNumbersClient:
        """A client for settings already resolved (``ClientSettings.resolve``).

        The keyword constructor resolves its arguments and comes here too. A number as
        ``timeout`` bounds every wait (connect, read, write, pool) alike.
        """
        client = cls.__new__(cls)
        client._start(
            settings,
            auth_method=auth_method,
            timeout=timeout,
            call_deadline=call_deadline,
            max_retries=max_retries,
            transport=transport,
            backoff=backoff,
            event_hooks=event_hooks,
        )
        return client

    def _start(
        self,
        settings: ClientSettings,
        *,
        auth_method: Literal["oauth2", "basic"],
        timeout: httpx.Timeout | float | None,
        call_deadline: float | None,
        max_retries: int,
        transport: httpx.BaseTransport | None,
        backoff: RetryPolicy | None,
        event_hooks: EventHooks | None,
    ) -> None:
        if auth_method not in ("oauth2", "basic"):
            raise ConfigurationError("auth_method must be 'oauth2' or 'basic'")
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        self._settings = settings
        if call_deadline is not None and not (math.isfinite(call_deadline) and call_deadline > 0):
            raise ConfigurationError("call_deadline must be a positive number of seconds")
        self._project_id = settings.project_id
        self._key_id = settings.key_id
        self._numbers_url = settings.numbers_url
        self._auth_url = settings.auth_url
        self._auth_method = auth_method
        self._max_retries = max_retries
        self._policy = backoff or RetryPolicy()
        self._http = httpx.Client(
            transport=transport,
            timeout=_timeout(timeout),
            limits=DEFAULT_LIMITS,
            verify=_tls_verify(settings.numbers_url, settings.auth_url),
            headers={"Accept": "application/json", "User-Agent": "sinch-numbers-pulumi"},
            event_hooks=dict(event_hooks or {}),
            follow_redirects=False,
        )
        if call_deadline is not None:
            try:
                CallDeadline(call_deadline).install(self._http)
            except ValueError:
                self._http.close()
                raise ConfigurationError(
                    "call_deadline needs httpx's own transport (httpx.HTTPTransport)"
                ) from None
        self._auth: httpx.Auth
        if auth_method == "basic":
            self._auth = BasicAuth(settings.key_id, settings.key_secret)
        else:
            self._auth = OAuth2ClientCredentials(
                settings.key_id,
                settings.key_secret,
                settings.auth_url,
                http_client=self._http,
                retry_policy=self._policy,
                max_retries=max_retries,
            )

    # --- housekeeping -------------------------------------------------------------------------

    @property
    def project_id(self) -> str:
        return self._project_id

    @property
    def numbers_url(self) -> str:
        return self._numbers_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SinchNumbersClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"SinchNumbersClient(project_id={self._project_id!r}, key_id={self._key_id!r}, "
            f"key_secret=<redacted>, auth_method={self._auth_method!r}, "
            f"numbers_url={self._numbers_url!r})"
        )

    def __getstate__(self) -> NoReturn:
        raise TypeError("SinchNumbersClient holds credentials and connections; create it anew")

    # --- number orders ------------------------------------------------------------------------

    def lookup_number_requirements(
        self, region_code: str, number_type: NumberType | str
    ) -> NumberRequirements:
        """KYC requirements of a region and number type; ``NotFoundError`` when it has none.

        A POST that reads: retried like a GET.
        """
        body = LookupNumberRequirementsRequest(
            region_code=region_code, number_type=NumberType(number_type)
        )
        response = self._call(
            "POST",
            "lookup_number_requirements",
            self._project_path("numberOrders:lookupNumberRequirements"),
            CallKind.IDEMPOTENT,
            json=body.to_wire(),
        )
        return self._parse(NumberRequirements, response)

    def create_number_order(self, request: CreateNumberOrderRequest) -> NumberOrder:
        """Create an order (reserves numbers). A lost answer raises ``OrderOutcomeUnknownError``."""
        path = self._project_path("numberOrders:createNumberOrder")
        region_code = request.region_code
        number_type = request.number_type.value
        try:
            response = self._call(
                "POST", "create_number_order", path, CallKind.CHANGE, json=request.to_wire()
            )
        except SinchTransportError as error:
            # Unsent includes a TokenError: without a token the order was never sent.
            if not error.request_sent:
                raise
            raise OrderOutcomeUnknownError(
                f"{error.cause or 'network error'} after the request was sent",
                region_code=region_code,
                number_type=number_type,
                path=path,
            ) from error
        except ServerError as error:
            # Nothing says a 5xx was not processed (token failures are TokenError, not this).
            raise OrderOutcomeUnknownError(
                f"HTTP {error.status_code} from the API",
                status_code=error.status_code,
                request_id=error.request_id,
                region_code=region_code,
                number_type=number_type,
                path=path,
            ) from None
        try:
            return self._parse(NumberOrder, response)
        except UnexpectedResponseError as error:
            raise OrderOutcomeUnknownError(
                f"HTTP {response.status_code} with an unreadable body",
                status_code=response.status_code,
                request_id=error.request_id,
                region_code=region_code,
                number_type=number_type,
                path=path,
            ) from None

    def get_number_order(self, order_id: str) -> NumberOrder:
        response = self._call(
            "GET", "get_number_order", self._order_path(order_id), CallKind.IDEMPOTENT
        )
        return self._parse(NumberOrder, response)

    def update_registration(self, order_id: str, data: Any) -> Registration:
        """PUT ``{"requestDetails": {"data": data}}``; a 400 lists ``field_violations``."""
        body = UpdateRegistrationRequest.for_data(data)
        response = self._call(
            "PUT",
            "update_registration",
            self._order_path(order_id, "registration"),
            CallKind.IDEMPOTENT,
            json=body.to_wire(),
        )
        return self._parse(Registration, response)

    def get_registration(self, order_id: str) -> Registration:
        response = self._call(
            "GET",
            "get_registration",
            self._order_path(order_id, "registration"),
            CallKind.IDEMPOTENT,
        )
        return self._parse(Registration, response)

    def upload_attachment(
        self,
        order_id: str,
        attachment_id: str,
        *,
        content: bytes,
        file_name: str,
        mime_type: str,
        document_type: str | None = None,
    ) -> None:
        """Multipart: part ``file`` (file name, content type) and optional ``documentType``."""
        data = {"documentType": document_type} if document_type is not None else None
        self._call(
            "POST",
            "upload_attachment",
            self._order_path(order_id, "attachments", attachment_id),
            CallKind.CHANGE,
            files={"file": (file_name, content, mime_type)},
            data=data,
        )

    def submit_number_order(self, order_id: str) -> NumberOrder:
        response = self._call(
            "POST", "submit_number_order", self._order_path(order_id, "submit"), CallKind.CHANGE
        )
        return self._parse(NumberOrder, response)

    # --- available and active numbers ---------------------------------------------------------

    def list_available_numbers(
        self,
        region_code: str,
        number_type: NumberType | str,
        *,
        capabilities: Sequence[Capability | str] | None = None,
        pattern: str | None = None,
        search_pattern: SearchPattern | str | None = None,
        size: int | None = None,
    ) -> list[AvailableNumber]:
        params: list[tuple[str, str | int | float | bool | None]] = [
            ("regionCode", region_code),
            ("type", NumberType(number_type).value),
        ]
        params.extend(("capabilities", Capability(c).value) for c in capabilities or ())
        if pattern is not None:
            params.append(("numberPattern.pattern", pattern))
        if search_pattern is not None:
            params.append(("numberPattern.searchPattern", SearchPattern(search_pattern).value))
        if size is not None:
            params.append(("size", size))
        response = self._call(
            "GET",
            "list_available_numbers",
            self._project_path("availableNumbers"),
            CallKind.IDEMPOTENT,
            params=params,
        )
        return self._parse(ListAvailableNumbersResponse, response).available_numbers

    def get_available_number(self, phone_number: str) -> AvailableNumber:
        response = self._call(
            "GET",
            "get_available_number",
            self._project_path("availableNumbers/" + _phone_segment(phone_number)),
            CallKind.IDEMPOTENT,
        )
        return self._parse(AvailableNumber, response)

    def get_active_number(self, phone_number: str) -> ActiveNumber:
        response = self._call(
            "GET",
            "get_active_number",
            self._project_path("activeNumbers/" + _phone_segment(phone_number)),
            CallKind.IDEMPOTENT,
        )
        return self._parse(ActiveNumber, response)

    def list_active_numbers(
        self,
        *,
        region_code: str | None = None,
        number_type: NumberType | str | None = None,
        capabilities: Sequence[Capability | str] | None = None,
        page_size: int | None = None,
    ) -> list[ActiveNumber]:
        """Every active number of the project, following ``nextPageToken`` to the last page.

        Released numbers are included until their ``expire_at`` (``is_released``).
        """
        params: list[tuple[str, str | int | float | bool | None]] = []
        if region_code is not None:
            params.append(("regionCode", region_code))
        if number_type is not None:
            params.append(("type", NumberType(number_type).value))
        params.extend(("capability", Capability(c).value) for c in capabilities or ())
        if page_size is not None:
            params.append(("pageSize", page_size))
        path = self._project_path("activeNumbers")
        numbers: list[ActiveNumber] = []
        seen: set[str] = set()
        token = ""
        while True:
            page_params = [*params, ("pageToken", token)] if token else params
            response = self._call(
                "GET", "list_active_numbers", path, CallKind.IDEMPOTENT, params=page_params
            )
            page = self._parse(ListActiveNumbersResponse, response)
            numbers.extend(page.active_numbers)
            token = page.next_page_token
            if not token:
                return numbers
            if token in seen:
                # A server that hands out a token twice would keep this loop going forever.
                raise UnexpectedResponseError(
                    response.status_code,
                    message="the API repeated a page token",
                    request_id=request_id_of(response),
                    method="GET",
                    path=path,
                )
            seen.add(token)

    def update_active_number(
        self, phone_number: str, request: UpdateActiveNumberRequest
    ) -> ActiveNumber:
        response = self._call(
            "PATCH",
            "update_active_number",
            self._project_path("activeNumbers/" + _phone_segment(phone_number)),
            CallKind.CHANGE,
            json=request.to_wire(),
        )
        return self._parse(ActiveNumber, response)

    def release_active_number(self, phone_number: str) -> ActiveNumber:
        """Cancel the subscription: the number stays active until ``expire_at``."""
        response = self._call(
            "POST",
            "release_active_number",
            self._project_path("activeNumbers/" + _phone_segment(phone_number) + ":release"),
            CallKind.CHANGE,
        )
        return self._parse(ActiveNumber, response)

    # --- callback configuration ---------------------------------------------------------------

    def get_callback_configuration(self) -> CallbackConfiguration:
        response = self._call(
            "GET",
            "get_callback_configuration",
            self._project_path("callbackConfiguration"),
            CallKind.IDEMPOTENT,
        )
        return self._parse(CallbackConfiguration, response)

    def update_callback_configuration(self, hmac_secret: str) -> CallbackConfiguration:
        body = UpdateCallbackConfigurationRequest(hmac_secret=hmac_secret)
        response = self._call(
            "PATCH",
            "update_callback_configuration",
            self._project_path("callbackConfiguration"),
            CallKind.CHANGE,
            json=body.to_wire(),
        )
        return self._parse(CallbackConfiguration, response)

    # --- plumbing -----------------------------------------------------------------------------

    def _project_path(self, rest: str) -> str:
        return f"/v1/projects/{_path_segment(self._project_id)}/{rest}"

    def _order_path(self, order_id: str, *rest: str) -> str:
        segments = [_path_segment(order_id), *(_path_segment(s) for s in rest)]
        return self._project_path("numberOrders/" + "/".join(segments))

    def _call(
        self,
        method: str,
        route: str,
        path: str,
        kind: CallKind,
        *,
        json: Any = None,
        params: list[tuple[str, str | int | float | bool | None]] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send with retries; return a 2xx response or raise from the error tree."""
        with self._setting_hints():
            request = self._http.build_request(
                method,
                self._numbers_url + path,
                json=json,
                params=params,
                files=files,
                data=data,
                extensions={ROUTE_EXTENSION: route},
            )

            def send() -> httpx.Response:
                return self._http.send(request, auth=self._auth)

            if kind is CallKind.IDEMPOTENT:

                def retry_response(response: httpx.Response) -> bool:
                    return response.status_code == 429 or response.status_code >= 500

                retry_error = is_transient
            else:

                def retry_response(response: httpx.Response) -> bool:
                    return response.status_code == 429

                retry_error = provably_unsent

            try:
                response = send_with_retries(
                    send,
                    policy=self._policy,
                    max_retries=self._max_retries,
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
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), now=self._policy.now()
            )
            raise error_from_response(response, method=method, path=path, retry_after=retry_after)

    @contextmanager
    def _setting_hints(self) -> Iterator[None]:
        """A refused key or project (also by the token endpoint) says which settings to check."""
        try:
            yield
        except AuthenticationError as error:
            key_id, key_secret = self._settings.label("key_id"), self._settings.label("key_secret")
            error.add_hint(f"check {key_id} and {key_secret}")
            raise
        except PermissionDeniedError as error:
            error.add_hint(f"check {self._settings.label('project_id')}")
            raise

    def _parse(self, model: type[_ModelT], response: httpx.Response) -> _ModelT:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            # Only the locations of the problems: the values may be personal data.
            where = sorted({".".join(str(p) for p in e["loc"]) or "(body)" for e in error.errors()})
            raise UnexpectedResponseError(
                response.status_code,
                message=f"response is not a valid {model.__name__} (at {', '.join(where)})",
                request_id=request_id_of(response),
                method=response.request.method,
                path=response.request.url.path,
            ) from None
