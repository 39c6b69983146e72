"""OAuth2 token caching, renewal and failures; Basic auth."""

from __future__ import annotations

import base64
import pickle
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest

from sinch_numbers.api import (
    AuthenticationError,
    BasicAuth,
    OAuth2ClientCredentials,
    RetryPolicy,
    SinchNumbersClient,
    SinchTransportError,
    TokenError,
)
from sinch_numbers.testing.calls import CallCounter
from tests.unit.conftest import (
    AUTH_URL,
    KEY_ID,
    KEY_SECRET,
    TOKEN,
    FakeSinch,
    api_error,
    reply,
    token_reply,
)
from tests.unit.test_api_endpoints import ORDER

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
ORDER_PATH = f"numberOrders/{ORDER_ID}"
EXPIRED = {"WWW-Authenticate": 'Bearer error="expired"'}
INVALID = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_request_shape(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", ORDER_PATH, reply(200, ORDER))
    client.get_number_order(ORDER_ID)
    [token_request] = fake.token_requests
    assert token_request.method == "POST"
    assert str(token_request.url) == AUTH_URL
    expected = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_request.content.decode()) == {"grant_type": ["client_credentials"]}
    assert fake.last().headers["authorization"] == f"Bearer {TOKEN}"


def test_one_token_for_many_calls(
    client: SinchNumbersClient, fake: FakeSinch, calls: CallCounter
) -> None:
    fake.on("GET", ORDER_PATH, reply(200, ORDER))
    for _ in range(10):
        client.get_number_order(ORDER_ID)
    assert calls.token_fetches == 1
    assert len(fake.token_requests) == 1
    assert calls.requests == {("GET", "get_number_order"): 10}


def test_concurrent_first_calls_fetch_one_token(
    client: SinchNumbersClient,
    fake: FakeSinch,
    calls: CallCounter,
) -> None:
    def slow_token(_request: httpx.Request) -> httpx.Response:
        time.sleep(0.05)  # keeps the other threads waiting on the lock
        return token_reply()

    fake.token_replies = [slow_token]
    fake.on("GET", ORDER_PATH, reply(200, ORDER))
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            client.get_number_order(ORDER_ID)
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert calls.token_fetches == 1
    assert calls.requests == {("GET", "get_number_order"): threads_count}


def _oauth(fake: FakeSinch, clock: FakeClock, **kw: object) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        KEY_ID,
        KEY_SECRET,
        AUTH_URL,
        transport=httpx.MockTransport(fake),
        retry_policy=RetryPolicy.immediate(),
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )


def test_token_renewed_before_expiry(fake: FakeSinch) -> None:
    clock = FakeClock()
    fake.token_replies = [token_reply("t1", 3600), token_reply("t2", 3600)]
    auth = _oauth(fake, clock)
    assert auth.access_token() == "t1"
    clock.now += 3600 - 61  # more than the 60 s margin left
    assert auth.access_token() == "t1"
    clock.now += 2  # less than 60 s left
    assert auth.access_token() == "t2"
    assert len(fake.token_requests) == 2
    auth.close()


def test_short_lived_token_margin_is_ten_percent(fake: FakeSinch) -> None:
    clock = FakeClock()
    fake.token_replies = [token_reply("t1", 100), token_reply("t2", 100)]
    auth = _oauth(fake, clock)
    assert auth.access_token() == "t1"
    clock.now += 89
    assert auth.access_token() == "t1"
    clock.now += 1.5
    assert auth.access_token() == "t2"
    auth.close()


def test_expired_401_renews_once_and_repeats(
    client: SinchNumbersClient, fake: FakeSinch, calls: CallCounter
) -> None:
    fake.token_replies = [token_reply("old-token"), token_reply("new-token")]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer old-token":
            return api_error(401, "UNAUTHENTICATED", "token expired", headers=EXPIRED)
        return reply(200, ORDER)

    fake.on("POST", f"{ORDER_PATH}/submit", answer)
    client.submit_number_order(ORDER_ID)
    assert [r.headers["authorization"] for r in fake.api_requests] == [
        "Bearer old-token",
        "Bearer new-token",
    ]
    assert calls.token_fetches == 2
    # Later calls keep the renewed token.
    client.submit_number_order(ORDER_ID)
    assert calls.token_fetches == 2


def test_expired_401_twice_gives_authentication_error(
    client: SinchNumbersClient,
    fake: FakeSinch,
    calls: CallCounter,
) -> None:
    fake.on("GET", ORDER_PATH, api_error(401, "UNAUTHENTICATED", "expired", headers=EXPIRED))
    with pytest.raises(AuthenticationError):
        client.get_number_order(ORDER_ID)
    assert len(fake.api_requests) == 2
    assert calls.token_fetches == 2


def test_non_expired_401_is_not_renewed(
    client: SinchNumbersClient, fake: FakeSinch, calls: CallCounter
) -> None:
    fake.on("GET", ORDER_PATH, api_error(401, "UNAUTHENTICATED", "bad token", headers=INVALID))
    with pytest.raises(AuthenticationError) as caught:
        client.get_number_order(ORDER_ID)
    assert len(fake.api_requests) == 1
    assert calls.token_fetches == 1
    assert caught.value.status_code == 401


def test_401_without_challenge_is_not_renewed(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", ORDER_PATH, reply(401))
    with pytest.raises(AuthenticationError):
        client.get_number_order(ORDER_ID)
    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("status", [400, 401, 403])
def test_token_endpoint_rejection(client: SinchNumbersClient, fake: FakeSinch, status: int) -> None:
    fake.token_replies = [
        reply(status, {"error": "invalid_client", "error_description": "bad client"})
    ]
    with pytest.raises(AuthenticationError) as caught:
        client.get_number_order(ORDER_ID)
    assert caught.value.status_code == status
    assert caught.value.path == "/oauth2/token"
    assert "invalid_client" in str(caught.value)
    assert len(fake.token_requests) == 1
    assert fake.api_requests == []


@pytest.mark.parametrize(
    "failure",
    [
        lambda: reply(429, {"error": "slow_down"}),
        lambda: reply(503, b"unavailable"),
        lambda: httpx.ReadTimeout("t", request=httpx.Request("POST", AUTH_URL)),
        lambda: httpx.ConnectError("c", request=httpx.Request("POST", AUTH_URL)),
    ],
    ids=["429", "503", "ReadTimeout", "ConnectError"],
)
def test_token_fetch_is_retried(
    client: SinchNumbersClient,
    fake: FakeSinch,
    failure: Callable[[], object],
    calls: CallCounter,
) -> None:
    fake.token_replies = [failure(), token_reply()]  # type: ignore[list-item]
    fake.on("GET", ORDER_PATH, reply(200, ORDER))
    client.get_number_order(ORDER_ID)
    assert len(fake.token_requests) == 2
    assert calls.token_fetches == 2


def test_token_fetch_gives_up(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.token_replies = [reply(500, b"")]
    with pytest.raises(TokenError) as caught:
        client.get_number_order(ORDER_ID)
    assert len(fake.token_requests) == 4
    assert caught.value.path == "/oauth2/token"
    assert caught.value.status_code == 500
    assert caught.value.request_sent is False, "the API call itself was never sent"
    assert fake.api_requests == []


def test_token_transport_failure(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.token_replies = [httpx.ConnectError("refused", request=httpx.Request("POST", AUTH_URL))]
    with pytest.raises(SinchTransportError) as caught:
        client.get_number_order(ORDER_ID)
    assert caught.value.request_sent is False
    assert fake.api_requests == []


@pytest.mark.parametrize(
    "body", [b"", b"not json", b'{"expires_in": 3599}', b'{"access_token": ""}']
)
def test_unusable_token_response(client: SinchNumbersClient, fake: FakeSinch, body: bytes) -> None:
    fake.token_replies = [reply(200, body)]
    with pytest.raises(TokenError, match="no usable access_token") as caught:
        client.get_number_order(ORDER_ID)
    assert caught.value.status_code == 200
    assert fake.api_requests == []


def test_auth_objects_redact_and_refuse_pickling(fake: FakeSinch) -> None:
    oauth = _oauth(fake, FakeClock())
    basic = BasicAuth(KEY_ID, KEY_SECRET)
    for auth in (oauth, basic):
        assert KEY_SECRET not in repr(auth)
        assert "<redacted>" in repr(auth)
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(auth)
    oauth.close()


def test_basic_auth_flow_sets_header() -> None:
    request = httpx.Request("GET", "https://numbers.test/x")
    flow = BasicAuth("id", "secret").auth_flow(request)
    sent = next(flow)
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(b"id:secret").decode()
