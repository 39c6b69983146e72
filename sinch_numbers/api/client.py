"""The typed, synchronous Sinch Numbers API client.

One pooled ``httpx.Client`` per ``SinchNumbersClient``; safe to share between threads. Each method
is one HTTP call (plus retries) that returns a parsed model from ``models`` or raises from the
``errors`` tree.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NoReturn

# httpx imports httpcore only when the first Client is built (~25 ms), which in the plugin is
# inside the first order's first API call. Importing it with the client makes that library load
# part of plugin start-up like every other import; the total is the same.
import httpcore  # noqa: F401
import httpx

from sinch_numbers.api._transport import (
    DEFAULT_LIMITS,
    ModelT,
    QueryParams,
    call_deadline_of,
    parse_model,
    path_segment,
    phone_segment,
    send,
    timeout_of,
    tls_verify,
)
from sinch_numbers.api.auth import BasicAuth, OAuth2ClientCredentials
from sinch_numbers.api.deadline import CallDeadline
from sinch_numbers.api.errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    OrderOutcomeUnknownError,
    PermissionDeniedError,
    ServerError,
    SinchTransportError,
    UnexpectedResponseError,
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
    WireModel,
)
from sinch_numbers.api.retry import RetryPolicy
from sinch_numbers.api.settings import AuthMethod, ClientSettings

ROUTE_EXTENSION = "sinch_numbers_route"
"""The request extension holding the route name (``get_number_order``), for event hooks."""
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


_CLIENT_OPTIONS = (
    "auth_method",
    "timeout",
    "call_deadline",
    "max_retries",
    "transport",
    "backoff",
    "event_hooks",
)
"""How the client calls, as opposed to where and as whom: both constructors take them."""


def _client_options(given: Mapping[str, Any]) -> dict[str, Any]:
    return {name: given[name] for name in _CLIENT_OPTIONS}


class SinchNumbersClient:
    """Typed client for the number-order, available-number, active-number and callback APIs.

    Settings not given fall back to ``SINCH_PROJECT_ID``, ``SINCH_KEY_ID``, ``SINCH_KEY_SECRET``,
    ``SINCH_NUMBERS_URL``, ``SINCH_AUTH_URL``, ``SINCH_AUTH_METHOD`` and (for ``timeout``)
    ``SINCH_HTTP_TIMEOUT``. ``max_retries`` counts retries after the first attempt.
    ``transport`` replaces the network (tests); ``backoff`` replaces the retry timing.
    ``setting_names`` (``{"key_id": "--key-id", ...}``) is what the caller's users call each
    setting: configuration errors and the hint on a 401 or 403 name those.

    ``timeout`` bounds each wait (connect, each read, each write); ``call_deadline`` (seconds)
    bounds the whole of each attempt, from sending the request to the last byte of the answer,
    and of each token request, which a server that answers slowly but steadily would otherwise
    keep going forever. Without ``call_deadline``, a number given as ``timeout`` bounds each
    attempt too, and otherwise each attempt has 120 s; so a call takes at most
    ``max_retries + 1`` attempts' deadlines and the backoff between them. An attempt that runs
    out of time fails like a read timeout: a ``SinchTransportError`` with ``request_sent`` set
    (``OrderOutcomeUnknownError`` for create-order).
    An explicit ``call_deadline`` needs httpx's own transport: with ``transport`` given, that
    transport must be an ``httpx.HTTPTransport`` (another one, such as a test's
    ``httpx.MockTransport``, gets only the per-wait timeouts it applies itself).
    """

    def __init__(
        self,
        *,
        project_id: str | None = None,
        key_id: str | None = None,
        key_secret: str | None = None,
        numbers_url: str | None = None,
        auth_url: str | None = None,
        auth_method: AuthMethod | None = None,
        timeout: httpx.Timeout | float | None = None,
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
            auth_method=auth_method,
            names=setting_names,
        )
        self._start(settings, **_client_options(locals()))

    @classmethod
    def from_settings(
        cls,
        settings: ClientSettings,
        *,
        auth_method: AuthMethod | None = None,
        timeout: httpx.Timeout | float | None = None,
        call_deadline: float | None = None,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        backoff: RetryPolicy | None = None,
        event_hooks: EventHooks | None = None,
    ) -> SinchNumbersClient:
        """A client for settings already resolved (``ClientSettings.resolve``).

        The keyword constructor resolves its arguments and comes here too. ``auth_method`` and
        ``timeout`` not given come from the settings (``SINCH_AUTH_METHOD``,
        ``SINCH_HTTP_TIMEOUT``). A number as ``timeout`` bounds every wait (connect, read, write,
        pool) alike, and each attempt as a whole.
        """
        client = cls.__new__(cls)
        client._start(settings, **_client_options(locals()))
        return client

    def _start(
        self,
        settings: ClientSettings,
        *,
        auth_method: AuthMethod | None,
        timeout: httpx.Timeout | float | None,
        call_deadline: float | None,
        max_retries: int,
        transport: httpx.BaseTransport | None,
        backoff: RetryPolicy | None,
        event_hooks: EventHooks | None,
    ) -> None:
        auth_method = auth_method or settings.auth_method
        if auth_method not in ("oauth2", "basic"):
            raise ConfigurationError("auth_method must be 'oauth2' or 'basic'")
        if max_retries < 0:
            raise ConfigurationError("max_retries must be 0 or more")
        self._settings = settings
        if timeout is None:
            timeout = settings.http_timeout
        if isinstance(timeout, int | float) and not (math.isfinite(timeout) and timeout > 0):
            raise ConfigurationError("timeout must be a positive number of seconds")
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
            timeout=timeout_of(timeout),
            limits=DEFAULT_LIMITS,
            verify=tls_verify(settings.numbers_url, settings.auth_url),
            headers={"Accept": "application/json", "User-Agent": "sinch-numbers-pulumi"},
            event_hooks=dict(event_hooks or {}),
            follow_redirects=False,
        )
        try:
            CallDeadline(call_deadline_of(timeout, call_deadline)).install(self._http)
        except ValueError:
            # A transport of the caller's own does its own I/O: only an explicit deadline
            # insists on bounding it.
            if call_deadline is not None:
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
        return self._request(
            NumberRequirements,
            "POST",
            "lookup_number_requirements",
            self._project_path("numberOrders:lookupNumberRequirements"),
            CallKind.IDEMPOTENT,
            body=body,
        )

    def create_number_order(self, request: CreateNumberOrderRequest) -> NumberOrder:
        """Create an order (reserves numbers). A lost answer raises ``OrderOutcomeUnknownError``."""
        path = self._project_path("numberOrders:createNumberOrder")

        def unknown(
            reason: str, status_code: int | None = None, request_id: str | None = None
        ) -> OrderOutcomeUnknownError:
            return OrderOutcomeUnknownError(
                reason,
                status_code=status_code,
                request_id=request_id,
                region_code=request.region_code,
                number_type=request.number_type.value,
                path=path,
            )

        try:
            response = self._call(
                "POST", "create_number_order", path, CallKind.CHANGE, json=request.to_wire()
            )
        except SinchTransportError as error:
            # Unsent includes a TokenError: without a token the order was never sent.
            if not error.request_sent:
                raise
            raise unknown(f"{error.cause or 'network error'} after the request was sent") from error
        except ServerError as error:
            # Nothing says a 5xx was not processed (token failures are TokenError, not this).
            raise unknown(
                f"HTTP {error.status_code} from the API", error.status_code, error.request_id
            ) from None
        try:
            return parse_model(NumberOrder, response)
        except UnexpectedResponseError as error:
            raise unknown(
                f"HTTP {response.status_code} with an unreadable body",
                response.status_code,
                error.request_id,
            ) from None

    def get_number_order(self, order_id: str) -> NumberOrder:
        return self._request(
            NumberOrder, "GET", "get_number_order", self._order_path(order_id), CallKind.IDEMPOTENT
        )

    def update_registration(self, order_id: str, data: Any) -> Registration:
        """PUT ``{"requestDetails": {"data": data}}``; a 400 lists ``field_violations``."""
        return self._request(
            Registration,
            "PUT",
            "update_registration",
            self._order_path(order_id, "registration"),
            CallKind.IDEMPOTENT,
            body=UpdateRegistrationRequest.for_data(data),
        )

    def get_registration(self, order_id: str) -> Registration:
        return self._request(
            Registration,
            "GET",
            "get_registration",
            self._order_path(order_id, "registration"),
            CallKind.IDEMPOTENT,
        )

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
        path = self._order_path(order_id, "submit")
        return self._request(NumberOrder, "POST", "submit_number_order", path, CallKind.CHANGE)

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
        params: QueryParams = [("regionCode", region_code), ("type", NumberType(number_type).value)]
        params.extend(("capabilities", Capability(c).value) for c in capabilities or ())
        if pattern is not None:
            params.append(("numberPattern.pattern", pattern))
        if search_pattern is not None:
            params.append(("numberPattern.searchPattern", SearchPattern(search_pattern).value))
        if size is not None:
            params.append(("size", size))
        page = self._request(
            ListAvailableNumbersResponse,
            "GET",
            "list_available_numbers",
            self._project_path("availableNumbers"),
            CallKind.IDEMPOTENT,
            params=params,
        )
        return page.available_numbers

    def get_available_number(self, phone_number: str) -> AvailableNumber:
        return self._request(
            AvailableNumber,
            "GET",
            "get_available_number",
            self._number_path("availableNumbers", phone_number),
            CallKind.IDEMPOTENT,
        )

    def get_active_number(self, phone_number: str) -> ActiveNumber:
        return self._request(
            ActiveNumber,
            "GET",
            "get_active_number",
            self._number_path("activeNumbers", phone_number),
            CallKind.IDEMPOTENT,
        )

    def find_active_number(self, phone_number: str) -> ActiveNumber | None:
        """The number as Sinch has it now; None when Sinch does not know it (404)."""
        try:
            return self.get_active_number(phone_number)
        except NotFoundError:
            return None

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
        params: QueryParams = []
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
            page = parse_model(ListActiveNumbersResponse, response)
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
        return self._request(
            ActiveNumber,
            "PATCH",
            "update_active_number",
            self._number_path("activeNumbers", phone_number),
            CallKind.CHANGE,
            body=request,
        )

    def release_active_number(self, phone_number: str) -> ActiveNumber:
        """Cancel the subscription: the number stays active until ``expire_at``."""
        return self._request(
            ActiveNumber,
            "POST",
            "release_active_number",
            self._number_path("activeNumbers", phone_number) + ":release",
            CallKind.CHANGE,
        )

    # --- callback configuration ---------------------------------------------------------------

    def get_callback_configuration(self) -> CallbackConfiguration:
        return self._request(
            CallbackConfiguration,
            "GET",
            "get_callback_configuration",
            self._project_path("callbackConfiguration"),
            CallKind.IDEMPOTENT,
        )

    def update_callback_configuration(self, hmac_secret: str) -> CallbackConfiguration:
        return self._request(
            CallbackConfiguration,
            "PATCH",
            "update_callback_configuration",
            self._project_path("callbackConfiguration"),
            CallKind.CHANGE,
            body=UpdateCallbackConfigurationRequest(hmac_secret=hmac_secret),
        )

    # --- plumbing -----------------------------------------------------------------------------

    def _project_path(self, rest: str) -> str:
        return f"/v1/projects/{path_segment(self._project_id)}/{rest}"

    def _order_path(self, order_id: str, *rest: str) -> str:
        segments = [path_segment(order_id), *(path_segment(s) for s in rest)]
        return self._project_path("numberOrders/" + "/".join(segments))

    def _number_path(self, collection: str, phone_number: str) -> str:
        return self._project_path(f"{collection}/{phone_segment(phone_number)}")

    def _request(
        self,
        model: type[ModelT],
        method: str,
        route: str,
        path: str,
        kind: CallKind,
        *,
        body: WireModel | None = None,
        params: QueryParams | None = None,
    ) -> ModelT:
        """One call (``_call``) whose answer is parsed as ``model``: a JSON ``body`` if any."""
        json = body.to_wire() if body is not None else None
        response = self._call(method, route, path, kind, json=json, params=params)
        return parse_model(model, response)

    def _call(
        self,
        method: str,
        route: str,
        path: str,
        kind: CallKind,
        *,
        json: Any = None,
        params: QueryParams | None = None,
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
            return send(
                self._http,
                request,
                auth=self._auth,
                policy=self._policy,
                max_retries=self._max_retries,
                idempotent=kind is CallKind.IDEMPOTENT,
                route=route,
                path=path,
            )

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
