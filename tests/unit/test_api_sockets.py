"""Real sockets on loopback: the failure classification holds for what httpx really raises."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from sinch_numbers.api import (
    OrderOutcomeUnknownError,
    RetryPolicy,
    SinchNumbersClient,
    TransportError,
)
from sinch_numbers.api.models import CreateNumberOrderRequest, NumberOrderOption, NumberType

REQUEST = CreateNumberOrderRequest(
    region_code="AU",
    number_type=NumberType.MOBILE,
    number_order_option=NumberOrderOption(phone_numbers=["+61411111112"]),
)


class MuteServer:
    """Accepts connections, reads the request, then either stays silent or hangs up."""

    def __init__(self, hang_up: bool) -> None:
        self.hang_up = hang_up
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            connection.settimeout(1.0)
            with contextlib.suppress(OSError):
                connection.recv(65536)
            if self.hang_up:
                connection.close()
            else:
                self._open.append(connection)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for connection in self._open:
            connection.close()
        self._listener.close()


@pytest.fixture
def socket_client() -> Iterator[Callable[[str], SinchNumbersClient]]:
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
    socket_client: Callable[[str], SinchNumbersClient],
) -> None:
    client = socket_client(_refused_url())
    with pytest.raises(TransportError) as caught:
        client.create_number_order(REQUEST)
    assert caught.value.request_sent is False
    assert not isinstance(caught.value, OrderOutcomeUnknownError)
    assert client.stats.requests == {("POST", "create_number_order"): 4}


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
    socket_client: Callable[[str], SinchNumbersClient], hang_up: bool
) -> None:
    server = MuteServer(hang_up=hang_up)
    try:
        client = socket_client(server.url)
        with pytest.raises(TransportError) as caught:
            client.get_number_order("order-1")
        assert caught.value.request_sent is True
        assert client.stats.requests == {("GET", "get_number_order"): 4}
        assert server.accepted == 4
    finally:
        server.close()
