"""Real sockets on loopback: the failure classification holds for what httpx really raises,
and the call deadline bounds what no per-wait timeout can."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sinch_numbers.api import (
    ConfigurationError,
    OrderOutcomeUnknownError,
    RetryPolicy,
    SinchNumbersClient,
    SinchTransportError,
)
from sinch_numbers.api.models import CreateNumberOrderRequest, NumberOrderOption, NumberType
from sinch_numbers.testing.calls import CallCounter
from tests.loopback import LoopbackServer, TrickleServer

REQUEST = CreateNumberOrderRequest(
    region_code="AU",
    number_type=NumberType.MOBILE,
    number_order_option=NumberOrderOption(phone_numbers=["+61411111112"]),
)


class MuteServer(LoopbackServer):
    """Accepts connections, reads the request, then either stays silent or hangs up."""

    def __init__(self, hang_up: bool) -> None:
        self.hang_up = hang_up
        self._open: list[socket.socket] = []
        super().__init__()

    def handle(self, connection: socket.socket) -> None:
        connection.settimeout(1.0)
        with contextlib.suppress(OSError):
            connection.recv(65536)
        if self.hang_up:
            connection.close()
        else:
            self._open.append(connection)

    def close(self) -> None:
        super().close()
        for connection in self._open:
            connection.close()


@pytest.fixture
def calls() -> CallCounter:
    return CallCounter()


@pytest.fixture
def socket_client(calls: CallCounter) -> Iterator[Callable[[str], SinchNumbersClient]]:
    made: list[SinchNumbersClient] = []

    def build(url: str) -> SinchNumbersClient:
        client = SinchNumbersClient(
            project_id="p",
            key_id="k",
            key_secret="s",
            numbers_url=url,
            auth_method="basic",
            timeout=httpx.Timeout(0.2),
            backoff=RetryPolicy.immediate(),
            event_hooks=calls.event_hooks(),
        )
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


def _refused_url() -> str:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_connection_refused_is_provably_unsent(
    socket_client: Callable[[str], SinchNumbersClient], calls: CallCounter
) -> None:
    client = socket_client(_refused_url())
    with pytest.raises(SinchTransportError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.request_sent is False
    assert not isinstance(caught.value, OrderOutcomeUnknownError)
    assert calls.requests == {("POST", "create_number_order"): 4}


@pytest.mark.parametrize("hang_up", [False, True], ids=["read-timeout", "hang-up"])
def test_silent_server_loses_create_order(
    socket_client: Callable[[str], SinchNumbersClient], hang_up: bool
) -> None:
    server = MuteServer(hang_up=hang_up)
    try:
        client = socket_client(server.url)
        with pytest.raises(OrderOutcomeUnknownError):
            client.create_number_order(REQUEST)
        assert server.accepted == 1
    finally:
        server.close()


@pytest.mark.parametrize("hang_up", [False, True], ids=["read-timeout", "hang-up"])
def test_silent_server_reads_are_retried(
    socket_client: Callable[[str], SinchNumbersClient], hang_up: bool, calls: CallCounter
) -> None:
    server = MuteServer(hang_up=hang_up)
    try:
        client = socket_client(server.url)
        with pytest.raises(SinchTransportError) as caught:
            client.get_number_order("order-1")
        assert caught.value.request_sent is True
        assert calls.requests == {("GET", "get_number_order"): 4}
        assert server.accepted == 4
    finally:
        server.close()


# --- the call deadline ---------------------------------------------------------------------------

ORDER_JSON = (
    b'{"idNumberOrder": "order-1", "regionCode": "AU", "state": "CREATED", "numberType": "MOBILE"}'
)


def _deadline_client(url: str, **options: Any) -> SinchNumbersClient:
    settings: dict[str, Any] = {
        "project_id": "p",
        "key_id": "k",
        "key_secret": "s",
        "numbers_url": url,
        "auth_method": "basic",
        # Each wait may take far longer than the whole call is allowed to.
        "timeout": httpx.Timeout(30.0),
        "call_deadline": 1.0,
        "max_retries": 0,
        "backoff": RetryPolicy.immediate(),
    }
    settings.update(options)
    return SinchNumbersClient(**settings)


# Far above the 1 s deadline: a guard against a hang, not a measure of speed.
HANG_GUARD = 10.0


@pytest.mark.timeout(60)
@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_trickling_answer_cannot_outlast_the_call_deadline(
    trickle: Callable[..., TrickleServer], headers: bool
) -> None:
    server = trickle(headers=headers)
    with _deadline_client(server.url) as client:
        started = time.monotonic()
        with pytest.raises(SinchTransportError) as caught:
            client.get_number_order("order-1")
        elapsed = time.monotonic() - started
    assert caught.value.request_sent is True
    assert caught.value.cause == "ReadTimeout"
    assert "deadline" in str(caught.value)
    assert elapsed < HANG_GUARD
    assert server.accepted == 1


@pytest.mark.timeout(60)
def test_the_call_deadline_applies_to_each_attempt(trickle: Callable[..., TrickleServer]) -> None:
    server = trickle()
    calls = CallCounter()
    with _deadline_client(server.url, max_retries=2, event_hooks=calls.event_hooks()) as client:
        started = time.monotonic()
        with pytest.raises(SinchTransportError):
            client.get_number_order("order-1")
        elapsed = time.monotonic() - started
    assert server.accepted == 3
    assert calls.requests == {("GET", "get_number_order"): 3}
    assert elapsed < 3 * HANG_GUARD


@pytest.mark.timeout(60)
def test_create_order_cut_off_by_the_deadline_is_an_unknown_outcome(
    trickle: Callable[..., TrickleServer],
) -> None:
    server = trickle()
    with _deadline_client(server.url, max_retries=3) as client:
        started = time.monotonic()
        with pytest.raises(OrderOutcomeUnknownError) as caught:
            client.create_number_order(REQUEST)
        elapsed = time.monotonic() - started
    assert "ReadTimeout" in caught.value.reason
    assert elapsed < HANG_GUARD
    assert server.accepted == 1


@pytest.mark.timeout(60)
def test_a_trickling_token_endpoint_cannot_outlast_the_call_deadline(
    trickle: Callable[..., TrickleServer],
) -> None:
    server = trickle()
    options = {"auth_method": "oauth2", "auth_url": server.url + "/oauth2/token"}
    with _deadline_client(server.url, **options) as client:
        started = time.monotonic()
        with pytest.raises(SinchTransportError) as caught:
            client.get_number_order("order-1")
        elapsed = time.monotonic() - started
    assert caught.value.path == "/oauth2/token"
    assert elapsed < HANG_GUARD


class AnsweringServer:
    """A keep-alive HTTP/1.1 server that answers every request with ``ORDER_JSON``."""

    def __init__(self) -> None:
        self.connections = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                server.connections += 1

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(ORDER_JSON)))
                self.end_headers()
                self.wfile.write(ORDER_JSON)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()


@pytest.mark.timeout(60)
def test_a_pooled_connection_outlives_the_call_deadline() -> None:
    # The deadline bounds one call, not the connection it runs on: a later call on the same
    # kept-alive connection has its own.
    server = AnsweringServer()
    try:
        with _deadline_client(server.url, call_deadline=0.5) as client:
            assert client.get_number_order("order-1").id_number_order == "order-1"
            time.sleep(0.8)
            assert client.get_number_order("order-1").id_number_order == "order-1"
        assert server.connections == 1
    finally:
        server.close()


@pytest.mark.parametrize("value", [0, -1.0, float("nan"), float("inf")])
def test_a_call_deadline_must_be_a_positive_number_of_seconds(value: float) -> None:
    with pytest.raises(ConfigurationError, match="call_deadline must be a positive number"):
        _deadline_client("http://127.0.0.1:9", call_deadline=value)


@pytest.mark.timeout(60)
def test_a_number_as_timeout_bounds_the_whole_of_each_attempt(
    trickle: Callable[..., TrickleServer],
) -> None:
    # `timeout=1.0` is what a caller writes to bound a call: it bounds each wait and each attempt.
    server = trickle()
    with (
        _deadline_client(server.url, timeout=1.0, call_deadline=None) as client,
        pytest.raises(SinchTransportError) as caught,
    ):
        client.get_number_order("order-1")
    assert caught.value.cause == "ReadTimeout"
    assert "deadline of 1s" in str(caught.value)
    assert server.accepted == 1


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_client_with_default_timeouts_has_a_call_deadline_too(
    trickle: Callable[..., TrickleServer],
) -> None:
    # No timeout given at all: the defaults still end a trickling answer (after the default
    # deadline, two minutes), where before they waited forever.
    server = trickle()
    with (
        _deadline_client(server.url, timeout=None, call_deadline=None) as client,
        pytest.raises(SinchTransportError) as caught,
    ):
        client.get_number_order("order-1")
    assert caught.value.cause == "ReadTimeout"
    assert "deadline" in str(caught.value)
    assert server.accepted == 1
