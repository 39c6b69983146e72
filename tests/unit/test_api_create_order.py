"""createNumberOrder: a lost answer is reported as an unknown outcome, never retried."""

from __future__ import annotations

import httpx
import pytest

from sinch_numbers.api import (
    OrderOutcomeUnknownError,
    RateLimitedError,
    SinchNumbersClient,
    SinchTransportError,
    TokenError,
)
from sinch_numbers.api.models import (
    CreateNumberOrderRequest,
    NumberOrder,
    NumberOrderOption,
    NumberType,
)
from tests.unit.conftest import AUTH_URL, FakeSinch, api_error, reply
from tests.unit.test_api_endpoints import ORDER

CREATE = "numberOrders:createNumberOrder"
REQUEST = CreateNumberOrderRequest(
    region_code="AU",
    number_type=NumberType.MOBILE,
    number_order_option=NumberOrderOption(phone_numbers=["+61411111112"]),
)


def _network(kind: type[httpx.RequestError], url: str = "https://numbers.test") -> Exception:
    return kind("simulated", request=httpx.Request("POST", url))


@pytest.mark.parametrize(
    "lost",
    [
        _network(httpx.ReadTimeout),
        _network(httpx.WriteTimeout),
        _network(httpx.ReadError),
        _network(httpx.RemoteProtocolError),
    ],
    ids=["ReadTimeout", "WriteTimeout", "ConnectionReset", "RemoteProtocolError"],
)
def test_lost_response_is_unknown_outcome(
    client: SinchNumbersClient, fake: FakeSinch, lost: Exception
) -> None:
    fake.on("POST", CREATE, lost, reply(200, ORDER))
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(REQUEST)
    assert len(fake.api_requests) == 1
    error = caught.value
    assert error.status_code is None
    assert error.region_code == "AU"
    assert error.number_type == "MOBILE"
    assert type(lost).__name__ in error.reason
    assert not isinstance(error, SinchTransportError)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_error_is_unknown_outcome(
    client: SinchNumbersClient, fake: FakeSinch, status: int
) -> None:
    fake.on(
        "POST",
        CREATE,
        api_error(status, "INTERNAL", "boom", headers={"x-request-id": "rid-9"}),
        reply(200, ORDER),
    )
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(REQUEST)
    assert len(fake.api_requests) == 1
    assert caught.value.status_code == status
    assert caught.value.request_id == "rid-9"
    assert "request id rid-9" in str(caught.value)


def test_unreadable_success_is_unknown_outcome(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", CREATE, reply(200, b"<html>gateway</html>"))
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.status_code == 200


def test_a_success_that_fails_to_parse_in_any_way_is_unknown_outcome(
    client: SinchNumbersClient, fake: FakeSinch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What pydantic before 2.14 raised when threads first used a model together: not a
    # ValidationError, yet the order exists and only its answer was not read.
    def broken(cls: object, content: bytes) -> object:
        raise AttributeError(
            "type object 'NumberOrder' has no attribute '__pydantic_core_schema__'"
        )

    fake.on("POST", CREATE, reply(200, ORDER))
    monkeypatch.setattr(NumberOrder, "model_validate_json", classmethod(broken))
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.status_code == 200
    assert "__pydantic" not in str(caught.value)
    assert len(fake.api_requests) == 1


_NO_ID = object()


@pytest.mark.parametrize(
    "order_id", [_NO_ID, None, "", "   ", 17], ids=["missing", "null", "empty", "blank", "number"]
)
def test_success_without_an_order_id_is_unknown_outcome(
    client: SinchNumbersClient, fake: FakeSinch, order_id: object
) -> None:
    # The order exists but nothing could find it again: as bad as a lost answer.
    body = {k: v for k, v in ORDER.items() if k != "idNumberOrder"}
    if order_id is not _NO_ID:
        body["idNumberOrder"] = order_id
    fake.on("POST", CREATE, reply(200, body))
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.status_code == 200
    assert len(fake.api_requests) == 1


def test_connect_failure_is_retried_then_plain_transport_error(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("POST", CREATE, _network(httpx.ConnectError))
    with pytest.raises(SinchTransportError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.request_sent is False
    assert len(fake.api_requests) == 4


def test_connect_failure_then_success(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", CREATE, _network(httpx.ConnectTimeout), reply(200, ORDER))
    assert client.create_number_order(REQUEST).id_number_order == ORDER["idNumberOrder"]
    assert len(fake.api_requests) == 2


def test_rate_limit_is_retried_and_reported_as_such(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("POST", CREATE, api_error(429, "RESOURCE_EXHAUSTED", "slow"))
    with pytest.raises(RateLimitedError):
        client.create_number_order(REQUEST)
    assert len(fake.api_requests) == 4


def test_token_failure_is_not_an_unknown_order(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.token_replies = [_network(httpx.ReadTimeout, AUTH_URL)]
    with pytest.raises(TokenError) as caught:
        client.create_number_order(REQUEST)
    assert not isinstance(caught.value, OrderOutcomeUnknownError)
    assert caught.value.request_sent is False
    assert caught.value.path == "/oauth2/token"
    assert fake.api_requests == []


def test_token_server_error_is_not_an_unknown_order(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    # A 5xx of create-order itself is an unknown outcome; one of the token endpoint sent nothing.
    fake.token_replies = [reply(503, b"")]
    with pytest.raises(TokenError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.status_code == 503
    assert fake.api_requests == []
