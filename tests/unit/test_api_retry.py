"""Retry rules: what is retried, what never is, and how long the client waits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from sinch_numbers.api import (
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    OrderOutcomeUnknownError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    SinchNumbersClient,
    SinchNumbersError,
    SinchTransportError,
    parse_retry_after,
)
from sinch_numbers.api.models import (
    CreateNumberOrderRequest,
    NumberOrderOption,
    NumberType,
    UpdateActiveNumberRequest,
)
from sinch_numbers.testing.calls import CallCounter
from tests.unit.conftest import Delays, FakeSinch, api_error, reply
from tests.unit.test_api_endpoints import ACTIVE, ORDER, REGISTRATION

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
PHONE = "+61411111112"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    call: Callable[[SinchNumbersClient], Any]
    ok: httpx.Response
    changes: bool


def _create(client: SinchNumbersClient) -> Any:
    return client.create_number_order(
        CreateNumberOrderRequest(
            region_code="AU",
            number_type=NumberType.MOBILE,
            number_order_option=NumberOrderOption(phone_numbers=[PHONE]),
        )
    )


OPERATIONS = [
    Operation(
        "get_number_order",
        "GET",
        f"numberOrders/{ORDER_ID}",
        lambda c: c.get_number_order(ORDER_ID),
        reply(200, ORDER),
        changes=False,
    ),
    Operation(
        "get_registration",
        "GET",
        f"numberOrders/{ORDER_ID}/registration",
        lambda c: c.get_registration(ORDER_ID),
        reply(200, REGISTRATION),
        changes=False,
    ),
    Operation(
        "update_registration",
        "PUT",
        f"numberOrders/{ORDER_ID}/registration",
        lambda c: c.update_registration(ORDER_ID, {"a": 1}),
        reply(200, REGISTRATION),
        changes=False,
    ),
    Operation(
        "lookup_number_requirements",
        "POST",
        "numberOrders:lookupNumberRequirements",
        lambda c: c.lookup_number_requirements("AU", "MOBILE"),
        reply(200, {"fields": {}}),
        changes=False,
    ),
    Operation(
        "list_available_numbers",
        "GET",
        "availableNumbers",
        lambda c: c.list_available_numbers("AU", "MOBILE"),
        reply(200, {"availableNumbers": []}),
        changes=False,
    ),
    Operation(
        "get_available_number",
        "GET",
        f"availableNumbers/{PHONE}",
        lambda c: c.get_available_number(PHONE),
        reply(200, {"phoneNumber": PHONE}),
        changes=False,
    ),
    Operation(
        "get_active_number",
        "GET",
        f"activeNumbers/{PHONE}",
        lambda c: c.get_active_number(PHONE),
        reply(200, ACTIVE),
        changes=False,
    ),
    Operation(
        "get_callback_configuration",
        "GET",
        "callbackConfiguration",
        lambda c: c.get_callback_configuration(),
        reply(200, {"projectId": "p"}),
        changes=False,
    ),
    Operation(
        "create_number_order",
        "POST",
        "numberOrders:createNumberOrder",
        _create,
        reply(200, ORDER),
        changes=True,
    ),
    Operation(
        "submit_number_order",
        "POST",
        f"numberOrders/{ORDER_ID}/submit",
        lambda c: c.submit_number_order(ORDER_ID),
        reply(200, ORDER),
        changes=True,
    ),
    Operation(
        "upload_attachment",
        "POST",
        f"numberOrders/{ORDER_ID}/attachments/att1",
        lambda c: c.upload_attachment(
            ORDER_ID, "att1", content=b"pdf", file_name="a.pdf", mime_type="application/pdf"
        ),
        reply(200),
        changes=True,
    ),
    Operation(
        "release_active_number",
        "POST",
        f"activeNumbers/{PHONE}:release",
        lambda c: c.release_active_number(PHONE),
        reply(200, ACTIVE),
        changes=True,
    ),
    Operation(
        "update_active_number",
        "PATCH",
        f"activeNumbers/{PHONE}",
        lambda c: c.update_active_number(PHONE, UpdateActiveNumberRequest(display_name="x")),
        reply(200, ACTIVE),
        changes=True,
    ),
    Operation(
        "update_callback_configuration",
        "PATCH",
        "callbackConfiguration",
        lambda c: c.update_callback_configuration("b" * 40),
        reply(200, {"projectId": "p"}),
        changes=True,
    ),
]
OPERATION_IDS = [op.name for op in OPERATIONS]


def _network(kind: type[httpx.RequestError]) -> httpx.RequestError:
    return kind("simulated", request=httpx.Request("GET", "https://numbers.test"))


def _server_error() -> httpx.Response:
    return api_error(503, "UNAVAILABLE", "try later")


# (failure label, factory, retried for reads, retried for changes, request provably unsent)
FAILURES: list[tuple[str, Callable[[], Any], bool, bool, bool]] = [
    ("429", lambda: api_error(429, "RESOURCE_EXHAUSTED", "slow"), True, True, True),
    ("500", lambda: api_error(500, "INTERNAL", "boom"), True, False, False),
    ("503", _server_error, True, False, False),
    ("ConnectError", lambda: _network(httpx.ConnectError), True, True, True),
    ("ConnectTimeout", lambda: _network(httpx.ConnectTimeout), True, True, True),
    ("PoolTimeout", lambda: _network(httpx.PoolTimeout), True, True, True),
    ("ReadTimeout", lambda: _network(httpx.ReadTimeout), True, False, False),
    ("WriteTimeout", lambda: _network(httpx.WriteTimeout), True, False, False),
    ("ReadError", lambda: _network(httpx.ReadError), True, False, False),
    ("RemoteProtocolError", lambda: _network(httpx.RemoteProtocolError), True, False, False),
]
FAILURE_IDS = [f[0] for f in FAILURES]


@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
@pytest.mark.parametrize(
    ("label", "failure", "read_retried", "change_retried", "unsent"), FAILURES, ids=FAILURE_IDS
)
def test_one_failure_then_success(
    client: SinchNumbersClient,
    fake: FakeSinch,
    operation: Operation,
    label: str,
    failure: Callable[[], Any],
    read_retried: bool,
    change_retried: bool,
    unsent: bool,
    calls: CallCounter,
) -> None:
    fake.on(operation.method, operation.path, failure(), operation.ok)
    retried = change_retried if operation.changes else read_retried
    if retried:
        operation.call(client)
        assert len(fake.api_requests) == 2
        assert calls.requests == {(operation.method, operation.name): 2}
        return
    expected: type[SinchNumbersError]
    if operation.name == "create_number_order":
        expected = OrderOutcomeUnknownError
    elif label.isdigit():
        expected = ServerError
    else:
        expected = SinchTransportError
    with pytest.raises(expected) as caught:
        operation.call(client)
    assert len(fake.api_requests) == 1, "a changing call was repeated after an ambiguous failure"
    if isinstance(caught.value, SinchTransportError):
        assert caught.value.request_sent is not unsent


@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
@pytest.mark.parametrize(
    ("label", "failure", "read_retried", "change_retried", "unsent"), FAILURES, ids=FAILURE_IDS
)
def test_persistent_failure_gives_up_after_max_retries(
    client: SinchNumbersClient,
    fake: FakeSinch,
    operation: Operation,
    label: str,
    failure: Callable[[], Any],
    read_retried: bool,
    change_retried: bool,
    unsent: bool,
) -> None:
    fake.on(operation.method, operation.path, failure())
    retried = change_retried if operation.changes else read_retried
    with pytest.raises(SinchNumbersError) as caught:
        operation.call(client)
    assert len(fake.api_requests) == (4 if retried else 1)
    error = caught.value
    if label == "429":
        assert isinstance(error, RateLimitedError)
        assert error.status_code == 429
    elif isinstance(error, SinchTransportError):
        assert error.request_sent is not unsent
        assert error.cause == label
    if operation.name == "create_number_order" and not unsent:
        assert isinstance(error, OrderOutcomeUnknownError)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(400, InvalidArgumentError), (404, NotFoundError), (409, ConflictError)],
)
@pytest.mark.parametrize("operation", OPERATIONS, ids=OPERATION_IDS)
def test_client_errors_are_never_retried(
    client: SinchNumbersClient,
    fake: FakeSinch,
    operation: Operation,
    status: int,
    error_class: type[SinchNumbersError],
) -> None:
    fake.on(operation.method, operation.path, api_error(status, "X", "no"))
    with pytest.raises(error_class):
        operation.call(client)
    assert len(fake.api_requests) == 1


def test_backoff_is_capped_exponential(
    client: SinchNumbersClient, fake: FakeSinch, delays: Delays
) -> None:
    fake.on("GET", f"numberOrders/{ORDER_ID}", _server_error())
    with pytest.raises(ServerError):
        client.get_number_order(ORDER_ID)
    assert delays.slept == [1.0, 2.0, 4.0]


def test_backoff_ceiling(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, delays: Delays
) -> None:
    client = make_client(max_retries=6)
    fake.on("GET", f"numberOrders/{ORDER_ID}", _server_error())
    with pytest.raises(ServerError):
        client.get_number_order(ORDER_ID)
    assert delays.slept == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_max_retries_zero_sends_once(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, delays: Delays
) -> None:
    client = make_client(max_retries=0)
    fake.on("GET", f"numberOrders/{ORDER_ID}", _server_error())
    with pytest.raises(ServerError):
        client.get_number_order(ORDER_ID)
    assert len(fake.api_requests) == 1
    assert delays.slept == []


def test_retry_after_seconds_is_obeyed(
    client: SinchNumbersClient, fake: FakeSinch, delays: Delays
) -> None:
    fake.on(
        "POST",
        f"numberOrders/{ORDER_ID}/submit",
        api_error(429, "RESOURCE_EXHAUSTED", "slow", headers={"Retry-After": "7"}),
        reply(200, ORDER),
    )
    client.submit_number_order(ORDER_ID)
    assert delays.slept == [7.0]


def test_retry_after_http_date_is_obeyed(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, delays: Delays
) -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    policy = RetryPolicy(
        initial_delay=1.0, max_retry_after=30.0, sleep=delays.sleep, now=lambda: now
    )
    client = make_client(backoff=policy)
    later = format_datetime(now + timedelta(seconds=12), usegmt=True)
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        api_error(429, "RESOURCE_EXHAUSTED", "slow", headers={"Retry-After": later}),
        reply(200, ORDER),
    )
    client.get_number_order(ORDER_ID)
    assert delays.slept == [12.0]


def test_retry_after_is_capped(client: SinchNumbersClient, fake: FakeSinch, delays: Delays) -> None:
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        api_error(429, "RESOURCE_EXHAUSTED", "slow", headers={"Retry-After": "3600"}),
        reply(200, ORDER),
    )
    client.get_number_order(ORDER_ID)
    assert delays.slept == [30.0]


def test_rate_limited_error_carries_retry_after(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        api_error(429, "RESOURCE_EXHAUSTED", "slow", headers={"Retry-After": "5"}),
    )
    with pytest.raises(RateLimitedError) as caught:
        client.get_number_order(ORDER_ID)
    assert caught.value.retry_after == 5.0
    assert "retry after 5s" in str(caught.value)


def test_retry_after_on_503_for_reads(
    client: SinchNumbersClient, fake: FakeSinch, delays: Delays
) -> None:
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        api_error(503, "UNAVAILABLE", "", headers={"Retry-After": "2"}),
        reply(200, ORDER),
    )
    client.get_number_order(ORDER_ID)
    assert delays.slept == [2.0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("soon", None),
        ("nan", None),
        ("Fri, 01 May 2026 12:00:30 GMT", 30.0),
        ("Fri, 01 May 2026 11:59:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == expected


def test_full_jitter_stays_within_ceiling() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=5.0)
    for index in range(8):
        ceiling = min(5.0, 2.0**index)
        for _ in range(50):
            assert 0.0 <= policy.backoff(index) <= ceiling


def test_immediate_policy_never_waits() -> None:
    policy = RetryPolicy.immediate()
    assert policy.delay(5, None) == 0.0
    assert policy.delay(0, 120.0) == 0.0
