"""Verify and parse the callbacks (webhooks) Sinch posts about number orders and active numbers.

Framework-agnostic: a web application hands :meth:`CallbackVerifier.verify` the raw body, the
request headers and the direct peer address, and gets back a typed event or a
:class:`CallbackError`. The example receiver in ``examples/callback-receiver`` shows the wiring.

Checks, in order: body size, source address, ``X-Sinch-Signature`` (lowercase hex HMAC-SHA1 of the
raw body, keyed with the project's ``hmacSecret``), payload shape, replay of an ``eventId``.

Callback bodies come from the network and may be forged; nothing here ever puts the body, or any
value taken from it, into an exception message. Messages name fields and rules only, so they are
safe to log and to return to the caller. :func:`sanitized_summary` is the one place that renders
event values, for a log line, and it escapes them.

Nothing in ``sinch_numbers`` imports this module, and it does not import Pulumi.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from sinch_numbers.api.models import NumberOrderState
from sinch_numbers.errors import SinchNumbersError

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_REPLAY_WINDOW",
    "FORWARDED_FOR_HEADER",
    "ORDER_EVENT_STATUSES",
    "SIGNATURE_HEADER",
    "SINCH_CALLBACK_IPS",
    "ActiveNumberEvent",
    "ActiveNumberEventStatus",
    "ActiveNumberEventType",
    "ActiveNumberFailureCode",
    "BodyTooLarge",
    "CallbackError",
    "CallbackEvent",
    "CallbackVerifier",
    "ForbiddenSource",
    "InvalidSignature",
    "MalformedEvent",
    "NumberOrderEvent",
    "ReplayedEvent",
    "SourcePolicy",
    "compute_signature",
    "parse_event",
    "sanitized_summary",
    "verify_signature",
]

logger = logging.getLogger("sinch_numbers.callbacks")

SIGNATURE_HEADER = "X-Sinch-Signature"
FORWARDED_FOR_HEADER = "X-Forwarded-For"
SINCH_CALLBACK_IPS: tuple[str, ...] = ("54.76.19.159", "54.78.194.39", "54.155.83.128")
"""The source addresses Sinch documents for Numbers callbacks."""

DEFAULT_MAX_BODY_BYTES = 64 * 1024
"""Real events are a few hundred bytes; anything near this limit is not a Sinch callback."""

DEFAULT_REPLAY_WINDOW = 10_000
"""How many verified ``eventId`` values a verifier remembers."""


# --- errors -------------------------------------------------------------------------------------


class CallbackError(SinchNumbersError):
    """A callback was refused. The message names the rule broken, never data from the request.

    ``reason`` is a stable machine-readable code; ``http_status`` is the status a receiver should
    answer with.
    """

    reason: ClassVar[str] = "callback_error"
    http_status: ClassVar[int] = 400


class BodyTooLarge(CallbackError):
    reason = "body_too_large"
    http_status = 413


class ForbiddenSource(CallbackError):
    reason = "forbidden_source"
    http_status = 403


class InvalidSignature(CallbackError):
    reason = "invalid_signature"
    http_status = 401


class MalformedEvent(CallbackError):
    """The body is not a callback event this module understands.

    ``problems`` pairs a field name (``""`` for the body as a whole) with the rule it breaks.
    """

    reason = "malformed_event"
    http_status = 400

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        text = "; ".join(f"{name}: {rule}" if name else rule for name, rule in self.problems)
        super().__init__(f"malformed callback event: {text}")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.problems if name)


class ReplayedEvent(CallbackError):
    reason = "replayed_event"
    http_status = 409


# --- signature ------------------------------------------------------------------------------------


def compute_signature(body: bytes, secret: str) -> str:
    """The ``X-Sinch-Signature`` value for ``body``: lowercase hex HMAC-SHA1 of the raw bytes."""
    return hmac.new(secret.encode("utf-8"), body, "sha1").hexdigest()


def verify_signature(body: bytes, header_value: str | None, secret: str) -> bool:
    """Whether ``header_value`` is the signature of ``body``; ``False`` when it is missing.

    Surrounding whitespace and upper-case hex digits are tolerated. The comparison is constant
    time for values of the expected length.
    """
    if header_value is None:
        return False
    # Bytes, not str: compare_digest raises TypeError on non-ASCII str, and a header value is
    # attacker-controlled.
    candidate = header_value.strip().lower().encode("utf-8", errors="replace")
    expected = compute_signature(body, secret).encode("ascii")
    return hmac.compare_digest(candidate, expected)


# --- source addresses ----------------------------------------------------------------------------

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_address(text: str) -> _Address | None:
    """An IP address from a peer or an X-Forwarded-For hop, or None when it is not one.

    Some proxies append a port (``203.0.113.7:4711``, ``[2001:db8::1]:443``); it is dropped.
    IPv4-mapped IPv6 addresses (dual-stack sockets) become IPv4 so that IPv4 lists match them.
    """
    text = text.strip()
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        port = rest[1:]
        if not bracket or (rest and not (rest[0] == ":" and port.isascii() and port.isdigit())):
            return None
        text = host
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
        if not (port.isascii() and port.isdigit()):
            return None
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _parse_networks(entries: Sequence[str], what: str) -> tuple[_Network, ...]:
    if isinstance(entries, str):
        # A bare string is a Sequence[str] of characters: refuse it rather than allow "5", "4"...
        raise TypeError(f"{what} must be a sequence of addresses, not a single string")
    networks = []
    for index, entry in enumerate(entries):
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=True))
        except (ValueError, TypeError, AttributeError):
            raise ValueError(
                f"{what}[{index}] is not an IP address or CIDR network (host bits must be zero)"
            ) from None
    return tuple(networks)


class SourcePolicy:
    """Which client addresses may deliver callbacks, and which proxies may say who the client is.

    ``allowed`` holds IP addresses or CIDR networks (default: Sinch's documented addresses).

    ``X-Forwarded-For`` is honoured **only** when the direct peer is one of ``trusted_proxies``;
    otherwise anyone could claim to be Sinch by sending the header. When it is honoured, the hops
    are read from the right (the entry the nearest proxy appended) and trusted proxies are
    skipped; the first other hop is the client. Hops further left were written by the client
    itself and are never believed. A hop that is not an IP address is the client's address as far
    as this policy knows, and it is never allowed.
    """

    def __init__(
        self,
        allowed: Sequence[str] = SINCH_CALLBACK_IPS,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.allowed = _parse_networks(allowed, "allowed")
        self.trusted_proxies = _parse_networks(trusted_proxies, "trusted_proxies")

    def __repr__(self) -> str:
        allowed = [str(n) for n in self.allowed]
        trusted = [str(n) for n in self.trusted_proxies]
        return f"SourcePolicy(allowed={allowed!r}, trusted_proxies={trusted!r})"

    @staticmethod
    def _contains(networks: tuple[_Network, ...], address: _Address) -> bool:
        return any(address in network for network in networks)

    def client_address(self, peer: str, forwarded_for: str | None) -> str:
        """The address that delivered the request, as far as the trusted proxies vouch for it.

        Normalised when it parses as an IP address; otherwise returned as found (and
        :meth:`is_allowed` refuses it).
        """
        peer_address = _parse_address(peer)
        if peer_address is None:
            return peer.strip()
        if not forwarded_for or not self._contains(self.trusted_proxies, peer_address):
            return str(peer_address)
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        for hop in reversed(hops):
            address = _parse_address(hop)
            if address is None:
                return hop
            if not self._contains(self.trusted_proxies, address):
                return str(address)
        # Every hop is a trusted proxy: the leftmost one is as close to the client as we can see.
        return hops[0]

    def is_allowed(self, peer: str, forwarded_for: str | None) -> bool:
        address = _parse_address(self.client_address(peer, forwarded_for))
        return address is not None and self._contains(self.allowed, address)


# --- events --------------------------------------------------------------------------------------

ORDER_EVENT_STATUSES = frozenset(
    {
        NumberOrderState.IN_REVIEW,
        NumberOrderState.BLOCKED,
        NumberOrderState.COMPLETED,
        NumberOrderState.REJECTED,
        NumberOrderState.EXPIRED,
    }
)
"""The states a ``NUMBER_ORDER_PROCESSING`` event can report (there is no event for CREATED)."""

_ORDER_STATUS_RULE = "must be one of " + ", ".join(
    state.value for state in NumberOrderState if state in ORDER_EVENT_STATUSES
)


class ActiveNumberEventType(StrEnum):
    PROVISIONING_TO_SMS_PLATFORM = "PROVISIONING_TO_SMS_PLATFORM"
    DEPROVISIONING_FROM_SMS_PLATFORM = "DEPROVISIONING_FROM_SMS_PLATFORM"
    PROVISIONING_TO_CAMPAIGN = "PROVISIONING_TO_CAMPAIGN"
    DEPROVISIONING_FROM_CAMPAIGN = "DEPROVISIONING_FROM_CAMPAIGN"
    PROVISIONING_TO_VOICE_PLATFORM = "PROVISIONING_TO_VOICE_PLATFORM"
    DEPROVISIONING_FROM_VOICE_PLATFORM = "DEPROVISIONING_FROM_VOICE_PLATFORM"
    # Deprecated spelling older SDKs still know; accepted so that such events are not refused.
    DEPROVISIONING_TO_VOICE_PLATFORM = "DEPROVISIONING_TO_VOICE_PLATFORM"


class ActiveNumberEventStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class ActiveNumberFailureCode(StrEnum):
    CAMPAIGN_NOT_AVAILABLE = "CAMPAIGN_NOT_AVAILABLE"
    EXCEEDED_10DLC_LIMIT = "EXCEEDED_10DLC_LIMIT"
    NUMBER_PROVISIONING_FAILED = "NUMBER_PROVISIONING_FAILED"
    PARTNER_SERVICE_UNAVAILABLE = "PARTNER_SERVICE_UNAVAILABLE"
    CAMPAIGN_PENDING_ACCEPTANCE = "CAMPAIGN_PENDING_ACCEPTANCE"
    MNO_SHARING_ERROR = "MNO_SHARING_ERROR"
    CAMPAIGN_PROVISIONING_FAILED = "CAMPAIGN_PROVISIONING_FAILED"
    CAMPAIGN_EXPIRED = "CAMPAIGN_EXPIRED"
    CAMPAIGN_MNO_REJECTED = "CAMPAIGN_MNO_REJECTED"
    CAMPAIGN_MNO_SUSPENDED = "CAMPAIGN_MNO_SUSPENDED"
    CAMPAIGN_MNO_REVIEW = "CAMPAIGN_MNO_REVIEW"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    MOCK_CAMPAIGN_NOT_ALLOWED = "MOCK_CAMPAIGN_NOT_ALLOWED"
    TFN_NOT_ALLOWED = "TFN_NOT_ALLOWED"
    INVALID_NNID = "INVALID_NNID"


# Own error types carry messages written here, so they are the only ones whose text is reused.
_OWN_ERROR_PREFIX = "callback_"

# RFC 3339's shape: fromisoformat alone would also take a bare date, the basic format (no
# dashes), a space for the T, an hours-only offset and an offset of +05:99.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)?",
    re.ASCII,
)
_TIMESTAMP_RULE = (
    "must be an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS, up to 9 fractional digits, "
    "optional Z or +HH:MM offset)"
)


def _timestamp(value: Any) -> datetime:
    """Sinch sends no zone (a documented quirk: it is UTC) and up to nine fractional digits.

    ``fromisoformat`` (3.11) takes ``Z`` and truncates digits past microseconds, which is what is
    wanted: rounding could carry into the next second.
    """
    if not isinstance(value, str) or _TIMESTAMP.fullmatch(value) is None:
        raise PydanticCustomError("callback_timestamp", _TIMESTAMP_RULE)
    try:
        moment = datetime.fromisoformat(value.upper())
    except ValueError:
        # The library's message quotes the input; ours does not.
        raise PydanticCustomError("callback_timestamp", _TIMESTAMP_RULE) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _order_status(value: Any) -> NumberOrderState:
    if isinstance(value, str) and value in NumberOrderState._value2member_map_:
        state = NumberOrderState(value)
        if state in ORDER_EVENT_STATUSES:
            return state
    raise PydanticCustomError("callback_status", _ORDER_STATUS_RULE)


def _failure_code(value: Any) -> ActiveNumberFailureCode | str | None:
    # Unknown codes are kept as plain strings: a new code must not make a real event "malformed".
    if value is None:
        return None
    if not isinstance(value, str):
        raise PydanticCustomError("callback_failure_code", "must be a string or null")
    if value in ActiveNumberFailureCode._value2member_map_:
        return ActiveNumberFailureCode(value)
    return value


_Id = Annotated[str, Field(min_length=1)]


class _Event(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        extra="ignore",
        strict=True,
        frozen=True,
        hide_input_in_errors=True,
    )

    event_id: _Id
    timestamp: Annotated[datetime, PlainValidator(_timestamp)]
    project_id: _Id
    resource_id: _Id


class NumberOrderEvent(_Event):
    """A number order moved to a new state; ``resource_id`` is the order id (``idNumberOrder``)."""

    resource_type: Literal["NUMBER_ORDER"]
    event_type: Literal["NUMBER_ORDER_PROCESSING"]
    status: Annotated[NumberOrderState, PlainValidator(_order_status)]
    # These belong to active-number events; on order events Sinch sends null or leaves them out.
    failure_code: None = None
    internal_failure_code: None = None

    @property
    def order_id(self) -> str:
        return self.resource_id


class ActiveNumberEvent(_Event):
    """Provisioning of an active number; ``resource_id`` is the phone number."""

    resource_type: Literal["ACTIVE_NUMBER"]
    event_type: ActiveNumberEventType
    status: ActiveNumberEventStatus
    failure_code: Annotated[ActiveNumberFailureCode | str | None, PlainValidator(_failure_code)] = (
        None
    )
    internal_failure_code: str | None = None

    @property
    def phone_number(self) -> str:
        return self.resource_id


CallbackEvent = Annotated[
    NumberOrderEvent | ActiveNumberEvent, Field(discriminator="resource_type")
]
_EVENT_ADAPTER: TypeAdapter[NumberOrderEvent | ActiveNumberEvent] = TypeAdapter(CallbackEvent)

_FIELD_NAMES = frozenset(
    {
        field.alias or name
        for model in (NumberOrderEvent, ActiveNumberEvent)
        for name, field in model.model_fields.items()
    }
)
_RESOURCE_TYPE_RULE = "must be one of ACTIVE_NUMBER, NUMBER_ORDER"
_BODY_RULES = {
    "json_invalid": "the body is not valid UTF-8 JSON",
    "json_type": "the body is not valid UTF-8 JSON",
    "dict_type": "the body must be a JSON object",
    "model_type": "the body must be a JSON object",
    "model_attributes_type": "the body must be a JSON object",
}
_FIELD_RULES = {
    "missing": "is required",
    "string_type": "must be a string",
    "string_too_short": "must not be empty",
    "none_required": "must be null or absent",
}


def _problem(error: Mapping[str, Any]) -> tuple[str, str]:
    kind = str(error["type"])
    if kind in _BODY_RULES:
        return "", _BODY_RULES[kind]
    if kind == "union_tag_not_found":
        return "resourceType", "is required"
    if kind == "union_tag_invalid":
        # Pydantic's message quotes the tag it found: that is body data.
        return "resourceType", _RESOURCE_TYPE_RULE
    # The first element of a location is the discriminator tag; only known field names survive.
    name = ".".join(str(part) for part in error["loc"] if part in _FIELD_NAMES)
    if kind.startswith(_OWN_ERROR_PREFIX):
        return name, str(error["msg"])
    if kind in _FIELD_RULES:
        return name, _FIELD_RULES[kind]
    if kind in {"literal_error", "enum"}:
        # ``expected`` is rendered from the model, not from the input.
        expected = str((error.get("ctx") or {}).get("expected", ""))
        expected = expected.replace("'", "").replace(" or ", ", ")
        if not expected:
            return name, "is not an allowed value"
        return name, f"must be one of {expected}" if "," in expected else f"must be {expected}"
    return name, "is invalid"


def parse_event(body: bytes) -> NumberOrderEvent | ActiveNumberEvent:
    """Parse a callback body (JSON) into an event; raises :class:`MalformedEvent`.

    Unknown fields are ignored (Sinch may add fields); types are strict (``"status": 1`` is not
    coerced). Timestamps without a zone are UTC; up to nine fractional digits are accepted and
    truncated to microseconds; an explicit offset is kept.
    """
    problems: dict[tuple[str, str], None]
    try:
        return _EVENT_ADAPTER.validate_json(body)
    except ValidationError as error:
        problems = dict.fromkeys(
            _problem(e) for e in error.errors(include_url=False, include_input=False)
        )
    except (ValueError, TypeError, RecursionError):
        # Defensive: the JSON parser reports problems as ValidationError, but a caller handing
        # us something other than bytes must still get a CallbackError.
        problems = {("", "the body is not valid UTF-8 JSON"): None}
    # Raised outside the handler so that no __context__ links to pydantic's error, whose text can
    # quote the body (a discriminator tag, for one).
    raise MalformedEvent(list(problems))


# --- log-safe rendering --------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._:+@-]", re.ASCII)
_MAX_RENDERED = 80


def _safe(value: str) -> str:
    # Ids are opaque strings from the network: no newlines, escapes or unbounded lengths in logs.
    cleaned = _UNSAFE.sub("?", value)
    return cleaned if len(cleaned) <= _MAX_RENDERED else cleaned[:_MAX_RENDERED] + "..."


def sanitized_summary(event: NumberOrderEvent | ActiveNumberEvent) -> str:
    """One line describing ``event`` that is safe to log; never the raw body.

    Event type, status, resource id (order id or phone number), event id and timestamp, plus the
    failure codes of active-number events. Values are restricted to a plain character set and
    truncated, so a hostile id cannot forge log lines.
    """
    parts = [
        str(event.event_type),
        f"status={event.status}",
        f"resource={_safe(event.resource_id)}",
        f"event={_safe(event.event_id)}",
        f"at={event.timestamp.isoformat()}",
    ]
    if isinstance(event, ActiveNumberEvent):
        if event.failure_code is not None:
            parts.append(f"failure={_safe(str(event.failure_code))}")
        if event.internal_failure_code is not None:
            parts.append(f"internal={_safe(event.internal_failure_code)}")
    return " ".join(parts)


# --- the verifier --------------------------------------------------------------------------------


class _SeenEvents:
    """A bounded, thread-safe LRU set of event ids."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, event_id: str) -> bool:
        """Remember ``event_id``; False when it was already remembered."""
        with self._lock:
            if event_id in self._ids:
                self._ids.move_to_end(event_id)
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._capacity:
                self._ids.popitem(last=False)
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)


def _header_values(headers: Mapping[str, str], name: str) -> list[str]:
    wanted = name.lower()
    values: list[str] = []
    for key, value in headers.items():
        if key.lower() == wanted and value not in values:
            values.append(value)
    return values


class CallbackVerifier:
    """Checks a delivered callback and returns its event, or raises a :class:`CallbackError`.

    ``secret`` is the project's ``hmacSecret``. ``None`` turns signature checking **off**: that
    is for local development only (for example against the emulator started without
    ``--hmac-secret``), and a warning is logged when such a verifier is created.

    ``source_policy`` ``None`` accepts any source address; pass ``SourcePolicy()`` for Sinch's
    documented addresses.

    ``replay_window`` bounds the per-verifier memory of verified ``eventId`` values (least
    recently seen forgotten first). Only verified events are remembered, so forged requests cannot
    fill it. The memory is per process: replicas behind a load balancer each have their own, so
    event handlers must still be idempotent.

    Thread-safe: one verifier can serve every request of an application.
    """

    def __init__(
        self,
        secret: str | None,
        source_policy: SourcePolicy | None,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        replay_window: int = DEFAULT_REPLAY_WINDOW,
    ) -> None:
        if secret is not None and not secret:
            raise ValueError("secret must not be empty (pass None to skip signature checks)")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be at least 1")
        if replay_window < 1:
            raise ValueError("replay_window must be at least 1")
        self._secret = secret
        self.source_policy = source_policy
        self.max_body_bytes = max_body_bytes
        self._seen = _SeenEvents(replay_window)
        if secret is None:
            logger.warning(
                "callback signatures are NOT checked (no HMAC secret configured): "
                "acceptable for local development only"
            )

    def __repr__(self) -> str:
        # The secret is left out on purpose.
        return (
            f"CallbackVerifier(signed={self.checks_signatures}, "
            f"source_policy={self.source_policy!r}, max_body_bytes={self.max_body_bytes})"
        )

    @property
    def checks_signatures(self) -> bool:
        return self._secret is not None

    def check_size(self, size: int) -> None:
        """Refuse a body of ``size`` bytes (usable with Content-Length before reading)."""
        if size > self.max_body_bytes:
            raise BodyTooLarge(f"the body is larger than {self.max_body_bytes} bytes")

    def check_source(self, headers: Mapping[str, str], peer: str) -> None:
        if self.source_policy is None:
            return
        forwarded = _header_values(headers, FORWARDED_FOR_HEADER)
        forwarded_for = ",".join(forwarded) if forwarded else None
        if not self.source_policy.is_allowed(peer, forwarded_for):
            raise ForbiddenSource("the request does not come from an allowed source address")

    def check_signature(self, body: bytes, headers: Mapping[str, str]) -> None:
        if self._secret is None:
            return
        values = _header_values(headers, SIGNATURE_HEADER)
        if not values:
            raise InvalidSignature(f"the {SIGNATURE_HEADER} header is missing")
        if len(values) > 1:
            raise InvalidSignature(f"more than one {SIGNATURE_HEADER} header")
        if not verify_signature(body, values[0], self._secret):
            raise InvalidSignature(f"the {SIGNATURE_HEADER} header does not match the body")

    def verify(
        self, body: bytes, headers: Mapping[str, str], peer: str
    ) -> NumberOrderEvent | ActiveNumberEvent:
        """Size, source, signature, shape, replay; the event when all pass.

        ``headers`` are matched case-insensitively; frameworks that keep repeated headers should
        pass repeated ``X-Forwarded-For`` values joined with commas. ``peer`` is the address of
        the direct TCP peer.
        """
        self.check_size(len(body))
        self.check_source(headers, peer)
        self.check_signature(body, headers)
        event = parse_event(body)
        if not self._seen.add(event.event_id):
            raise ReplayedEvent("this eventId was already accepted")
        return event
