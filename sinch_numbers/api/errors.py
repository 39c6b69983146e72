"""The error tree of the API client, under the package's one root ``SinchNumbersError``.

Every message is one line built only from the HTTP status, the API's own status and message, the
method and path, and a request id. Request bodies (KYC data), headers, credentials and tokens never
reach an error's text or arguments. Whatever text the server supplied passes ``text.one_line``
on its way in, so no message can carry a newline, a terminal escape or unbounded length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import httpx

from sinch_numbers.api.models import ErrorBody, FieldViolation
from sinch_numbers.api.text import one_line

# The root lives in a leaf module every layer may import; its names stay importable from here.
from sinch_numbers.errors import SinchNumbersError as SinchNumbersError
from sinch_numbers.errors import _restore as _restore

REQUEST_ID_HEADERS: tuple[str, ...] = (
    "x-request-id",
    "x-correlation-id",
    "x-b3-traceid",
    "x-amzn-trace-id",
)
"""Response headers searched, in this order, for an id that Sinch support can trace."""

MAX_LISTED_VIOLATIONS = 20
"""Field violations named in an error's text; ``field_violations`` keeps them all."""
REQUEST_ID_LIMIT = 128
_STATUS_WORD = re.compile(r"[A-Z][A-Z_]{0,63}")
"""The API's status as a summary may show it: a canonical word (``INVALID_ARGUMENT``), no text."""
_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[\d{1,4}\]|\.[A-Za-z_][A-Za-z0-9_]*){0,15}")
"""A field violation's ``field`` as a summary may show it: a path of identifiers and indexes."""


class ConfigurationError(SinchNumbersError):
    """A setting is missing or malformed. Names settings, never their values.

    ``missing`` and ``malformed`` list the settings by name (``key_id``, ``numbers_url``), so that
    a caller can tell "not configured yet" from "configured wrongly".
    """

    def __init__(
        self, message: str, *, missing: Sequence[str] = (), malformed: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.missing = tuple(missing)
        self.malformed = tuple(malformed)


class APIError(SinchNumbersError):
    """The API answered with a status that is not a success."""

    default_message: ClassVar[str] = "the API gave no message"

    def __init__(
        self,
        status_code: int,
        api_status: str = "",
        message: str = "",
        details: Sequence[Mapping[str, Any]] = (),
        request_id: str | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        self.status_code = status_code
        self.api_status = one_line(api_status)
        self.message = one_line(message)
        self.details: list[dict[str, Any]] = [dict(d) for d in details]
        self.request_id = request_id
        self.method = method
        self.path = path
        self.hint = ""
        self._read_details()
        super().__init__(self._render())

    def _read_details(self) -> None:
        """Subclasses lift typed facts out of ``details`` here."""

    def _detail_text(self) -> str:
        return ""

    def _render(self) -> str:
        head = f"HTTP {self.status_code}"
        if self.api_status:
            head += f" {self.api_status}"
        return self._framed(f"{head}: {self.message or self.default_message}{self._detail_text()}")

    def _framed(self, text: str) -> str:
        """``text`` followed by the call, the request id and the hint."""
        where = [f"{self.method} {self.path}".strip()] if (self.method or self.path) else []
        if self.request_id:
            where.append(f"request id {self.request_id}")
        framed = f"{text} ({'; '.join(where)})" if where else text
        return f"{framed}; {self.hint}" if self.hint else framed

    def summary(self) -> str:
        """The error in the client's words only: the HTTP status, the API's status word, what the
        class means, how many details it carries, the call and the request id, and the hint.

        The server's message and details are left out: they may quote what was sent (a 400's
        text names the registration's values). ``str(error)`` keeps them, for where that text is
        kept secret.
        """
        head = f"HTTP {self.status_code}"
        if _STATUS_WORD.fullmatch(self.api_status):
            head += f" {self.api_status}"
        return self._framed(f"{head}: {self.default_message}{self._detail_count()}")

    def said_more(self) -> bool:
        """Whether the server gave text of its own, which :meth:`summary` leaves out."""
        return bool(self.message or self.details)

    def _detail_count(self) -> str:
        return ""

    def add_hint(self, hint: str) -> None:
        """End the message with what to check, in the words of the caller's settings."""
        self.hint = hint
        self.args = (self._render(),)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self._render()


class InvalidArgumentError(APIError):
    """400: the request was rejected; ``field_violations`` say what to fix."""

    default_message = "invalid argument"
    field_violations: list[FieldViolation]

    def _read_details(self) -> None:
        violations: list[FieldViolation] = []
        for detail in self.details:
            raw = detail.get("fieldViolations")
            if isinstance(raw, list):
                violations.extend(
                    FieldViolation(
                        field=_text(item.get("field")), description=_text(item.get("description"))
                    )
                    for item in raw
                    if isinstance(item, dict)
                )
        self.field_violations = violations

    def _detail_count(self) -> str:
        count = len(self.field_violations)
        if not count:
            return ""
        # The fields are the properties to fix; only names shaped like a field path are shown.
        named = [
            v.field
            for v in self.field_violations[:MAX_LISTED_VIOLATIONS]
            if _FIELD_PATH.fullmatch(v.field)
        ]
        listed = f": {', '.join(dict.fromkeys(named))}" if named else ""
        return f", {count} field violation{'s' if count != 1 else ''}{listed}"

    def _detail_text(self) -> str:
        if not self.field_violations:
            return ""
        listed = "; ".join(
            f"{v.field or '(no field)'}: {v.description or '(no description)'}"
            for v in self.field_violations[:MAX_LISTED_VIOLATIONS]
        )
        more = len(self.field_violations) - MAX_LISTED_VIOLATIONS
        return f" [{listed}; {more} more]" if more > 0 else f" [{listed}]"


class AuthenticationError(APIError):
    """401 (or a failed token request): the key id/secret or the token was not accepted."""

    default_message = "authentication failed; check the key id and key secret"


class PermissionDeniedError(APIError):
    """403: the credentials are valid but may not act on this project or resource."""

    default_message = "permission denied; check that the access key belongs to this project"


class NotFoundError(APIError):
    """404; ``resource_type``/``resource_name`` come from the ``ResourceInfo`` detail."""

    default_message = "not found"
    resource_type: str | None
    resource_name: str | None

    def _read_details(self) -> None:
        self.resource_type = None
        self.resource_name = None
        for detail in self.details:
            if detail.get("type") == "ResourceInfo" or "resourceType" in detail:
                self.resource_type = _text_or_none(detail.get("resourceType"))
                self.resource_name = _text_or_none(detail.get("resourceName"))
                return

    def _detail_text(self) -> str:
        if not self.resource_type:
            return ""
        name = f" {self.resource_name}" if self.resource_name else ""
        return f" [{self.resource_type}{name}]"


class ConflictError(APIError):
    """409: the resource is not in a state that allows this call."""

    default_message = "conflict"


class ContentTooLargeError(APIError):
    """413: an uploaded document is larger than the API accepts."""

    default_message = "the document is too large to upload"


class RateLimitedError(APIError):
    """429 after the retries ran out; ``retry_after`` is the server's hint in seconds, if any."""

    default_message = "rate limited"

    def __init__(
        self,
        status_code: int,
        api_status: str = "",
        message: str = "",
        details: Sequence[Mapping[str, Any]] = (),
        request_id: str | None = None,
        method: str = "",
        path: str = "",
        *,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status_code, api_status, message, details, request_id, method, path)

    def _detail_text(self) -> str:
        return "" if self.retry_after is None else f" [retry after {self.retry_after:g}s]"


class ServerError(APIError):
    """5xx: the API failed. Changing calls are not retried on it: they may have been applied."""

    default_message = "the API reported an internal error"


class UnexpectedResponseError(APIError):
    """A success status whose body is not the documented shape (the body itself is not shown)."""

    default_message = "unexpected response body"


class SinchTransportError(SinchNumbersError):
    """The call did not get through: connect/read/write timeouts, refused or reset connections,
    or no access token to send it with (``TokenError``).

    ``request_sent`` is False only when the request provably never reached the server (the
    connection was never established), so repeating a changing call is safe exactly then.
    """

    def __init__(
        self,
        message: str,
        *,
        request_sent: bool,
        method: str = "",
        path: str = "",
        cause: str = "",
    ) -> None:
        self.request_sent = request_sent
        self.method = method
        self.path = path
        self.cause = cause
        super().__init__(message)

    @classmethod
    def from_httpx(
        cls, error: httpx.RequestError, *, method: str, path: str, request_sent: bool
    ) -> SinchTransportError:
        cause, reason = _network_reason(error)
        if request_sent:
            consequence = "the request was sent; the server may have processed it"
        else:
            consequence = "the request never reached the server"
        return cls(
            f"{method} {path} failed ({reason}); {consequence}",
            request_sent=request_sent,
            method=method,
            path=path,
            cause=cause,
        )


def _network_reason(error: httpx.RequestError) -> tuple[str, str]:
    """``(cause, reason)``: httpx's class name, and it with httpx's text made one line."""
    cause = type(error).__name__
    # httpx's text can quote what the peer sent (a malformed status line, a header).
    detail = one_line(str(error))
    return cause, f"{cause}: {detail}" if detail else cause


class TokenError(SinchTransportError):
    """No access token: the token endpoint was unreachable, failed (5xx, or 429 after the
    retries) or answered without a usable token. A refused key is an ``AuthenticationError``.

    The API call that needed the token was never sent, so ``request_sent`` is False: repeating
    that call is safe, and a create-order that failed here created nothing. ``status_code`` and
    ``request_id`` are the token endpoint's, when it answered.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str,
        cause: str,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, request_sent=False, method="POST", path=path, cause=cause)
        self.status_code = status_code
        self.request_id = request_id

    @classmethod
    def from_network(cls, error: httpx.RequestError, *, path: str) -> TokenError:
        cause, reason = _network_reason(error)
        return cls(
            f"POST {path} failed ({reason}); without a token the API call was not sent",
            path=path,
            cause=cause,
        )

    @classmethod
    def from_answer(cls, error: APIError) -> TokenError:
        """The token endpoint's non-refusal answer, told as the ``APIError`` it would be."""
        return cls(
            str(error),
            path=error.path,
            cause=f"HTTP {error.status_code}",
            status_code=error.status_code,
            request_id=error.request_id,
        )


class OrderOutcomeUnknownError(SinchNumbersError):
    """createNumberOrder was sent but its answer was lost: an order may now exist.

    Raised for a read timeout or a dropped connection after sending, for a 5xx (nothing says it was
    not processed), and for a success whose body cannot be read. It is deliberately not a
    ``SinchTransportError`` or an ``APIError``: code that retries those must not retry this.
    """

    def __init__(
        self,
        reason: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        region_code: str = "",
        number_type: str = "",
        method: str = "POST",
        path: str = "",
    ) -> None:
        self.reason = reason
        self.status_code = status_code
        self.request_id = request_id
        self.region_code = region_code
        self.number_type = number_type
        self.method = method
        self.path = path
        what = " ".join(p for p in (region_code, number_type) if p) or "the requested"
        rid = f"; request id {request_id}" if request_id else ""
        super().__init__(
            f"the outcome of creating a {what} number order is unknown ({reason}{rid}): "
            "the order may have been created and its numbers reserved. The Numbers API has no "
            "way to list orders, so it cannot be found again automatically. Check the Sinch "
            "dashboard for a new order and, if there is one, adopt it by its id "
            "(adopt_order_id) instead of creating another; otherwise create again."
        )


def request_id_of(response: httpx.Response) -> str | None:
    for header in REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(header)
        if value and (request_id := one_line(value, REQUEST_ID_LIMIT)):
            return request_id
    return None


_ERRORS_BY_STATUS: dict[int, type[APIError]] = {
    400: InvalidArgumentError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: ContentTooLargeError,
    429: RateLimitedError,
}


def error_class_for(status_code: int) -> type[APIError]:
    if status_code >= 500:
        return ServerError
    return _ERRORS_BY_STATUS.get(status_code, APIError)


def _text(value: Any) -> str:
    """Server text where the API puts a string, as one line; any other type counts as absent."""
    return one_line(value) if isinstance(value, str) else ""


def _text_or_none(value: Any) -> str | None:
    return _text(value) or None


def _envelope(envelope: Mapping[str, Any]) -> ErrorBody:
    """The documented envelope, keeping each value of the right type and dropping the others."""
    code, message, status, details = (
        envelope.get(k) for k in ("code", "message", "status", "details")
    )
    well_typed = {
        "code": isinstance(code, int) and not isinstance(code, bool),
        "message": isinstance(message, str),
        "status": isinstance(status, str),
        "details": isinstance(details, list) and all(isinstance(d, dict) for d in details),
    }
    body = ErrorBody(
        code=code if well_typed["code"] else None,
        message=_text(message),
        status=_text(status),
        details=[d for d in details if isinstance(d, dict)] if isinstance(details, list) else [],
    )
    dropped = any(envelope.get(k) is not None and not ok for k, ok in well_typed.items())
    if dropped and not body.message:
        return body.model_copy(update={"message": "malformed error body"})
    return body


def read_error_body(response: httpx.Response) -> ErrorBody:
    """The error envelope, or an OAuth2 ``{error, error_description}``; never fails.

    A body that is neither (HTML from a proxy, empty, truncated) yields a message naming only its
    content type: a foreign body could echo the request.
    """
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if not response.content.strip():
        return ErrorBody(message=f"empty response body ({response.reason_phrase})".strip())
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        # RecursionError: JSON nested deeper than the parser's stack, which a server can send.
        kind = content_type or "unknown content type"
        return ErrorBody(message=f"non-JSON response body ({kind}, {response.reason_phrase})")
    if isinstance(data, dict):
        envelope = data.get("error")
        if isinstance(envelope, dict):
            return _envelope(envelope)
        if isinstance(envelope, str):
            return ErrorBody(status=envelope, message=_text(data.get("error_description")))
    return ErrorBody(message="JSON response body without an error object")


def error_from_response(
    response: httpx.Response,
    *,
    method: str,
    path: str,
    error_class: type[APIError] | None = None,
    retry_after: float | None = None,
) -> APIError:
    body = read_error_body(response)
    cls = error_class or error_class_for(response.status_code)
    args: tuple[Any, ...] = (
        response.status_code,
        body.status,
        body.message,
        body.details,
        request_id_of(response),
        method,
        path,
    )
    if issubclass(cls, RateLimitedError):
        return cls(*args, retry_after=retry_after)
    return cls(*args)
