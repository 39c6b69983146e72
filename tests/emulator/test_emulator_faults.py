"""Fault injection (status, latency, drop, status_after), call statistics, admin errors."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from emulator_helpers import create_order, error_of, first_available, violations_of

from sinch_numbers.testing.emulator import EmulatorError, EmulatorProcess

CREATE_TEMPLATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"


def test_status_fault_answers_without_handling(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.add_fault("numberOrders:createNumberOrder", status=503, times=2)
    phone = first_available(api, "AU", "MOBILE")
    body = {
        "regionCode": "AU",
        "numberType": "MOBILE",
        "numberOrderOption": {"phoneNumbers": [phone]},
    }
    for _ in range(2):
        response = api.post("/numberOrders:createNumberOrder", json=body)
        assert response.status_code == 503
        assert error_of(response)["status"] == "UNAVAILABLE"
    assert emulator.orders() == []
    assert api.post("/numberOrders:createNumberOrder", json=body).status_code == 200
    assert emulator.stats()[CREATE_TEMPLATE] == 3


def test_rate_limit_fault_has_retry_after(api: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.add_fault("availableNumbers", status=429, retry_after="2", method="GET")
    response = api.get("/availableNumbers", params={"regionCode": "AU", "type": "MOBILE"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert error_of(response)["status"] == "RESOURCE_EXHAUSTED"
    emulator.add_fault("availableNumbers", status=429)
    assert (
        api.get("/availableNumbers", params={"regionCode": "AU", "type": "MOBILE"}).headers[
            "retry-after"
        ]
        == "1"
    )


def test_method_filter(api: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.add_fault("callbackConfiguration", status=500, method="PATCH")
    assert api.get("/callbackConfiguration").status_code == 200
    assert api.patch("/callbackConfiguration", json={"hmacSecret": "x" * 40}).status_code == 500
    assert api.patch("/callbackConfiguration", json={"hmacSecret": "x" * 40}).status_code == 200


def test_fault_until_cleared(api: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.add_fault("callbackConfiguration", status=502, times=None)
    assert [api.get("/callbackConfiguration").status_code for _ in range(3)] == [502] * 3
    (fault,) = httpx.get(f"{emulator.url}/_emulator/faults").json()["faults"]
    assert fault["hits"] == 3
    emulator.clear_faults()
    assert api.get("/callbackConfiguration").status_code == 200


def test_latency_fault(api: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.add_fault("callbackConfiguration", action="latency", latency_ms=400)
    started = time.monotonic()
    assert api.get("/callbackConfiguration").status_code == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    api.get("/callbackConfiguration")
    assert time.monotonic() - started < 0.4


def test_drop_closes_the_connection_before_handling(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.add_fault("numberOrders:createNumberOrder", action="drop")
    phone = first_available(api, "AU", "MOBILE")
    body = {
        "regionCode": "AU",
        "numberType": "MOBILE",
        "numberOrderOption": {"phoneNumbers": [phone]},
    }
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.post("/numberOrders:createNumberOrder", json=body)
    assert emulator.orders() == []
    assert emulator.stats()[CREATE_TEMPLATE] == 1
    assert api.post("/numberOrders:createNumberOrder", json=body).status_code == 200


def test_drop_sends_no_bytes_at_all(emulator: EmulatorProcess) -> None:
    import socket

    emulator.add_fault("/oauth2/token", action="drop")
    host, port = emulator.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        try:
            data = sock.recv(1024)
        except ConnectionResetError:
            data = b""
    assert data == b""


def test_status_after_applies_the_change_then_fails(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.add_fault("numberOrders:createNumberOrder", action="status_after", status=500)
    phone = first_available(api, "AU", "MOBILE")
    response = api.post(
        "/numberOrders:createNumberOrder",
        json={
            "regionCode": "AU",
            "numberType": "MOBILE",
            "numberOrderOption": {"phoneNumbers": [phone]},
        },
    )
    assert response.status_code == 500
    assert error_of(response)["status"] == "INTERNAL"
    (order,) = emulator.orders()
    assert order["orderNumbers"][0]["phoneNumber"] == phone
    assert api.get(f"/availableNumbers/{phone}").status_code == 404


def test_status_after_on_submit(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api, "US", "LOCAL")
    emulator.add_fault(r"/submit$", action="status_after", status=503)
    assert api.post(f"/numberOrders/{order['idNumberOrder']}/submit").status_code == 503
    assert api.get(f"/numberOrders/{order['idNumberOrder']}").json()["state"] == "IN_REVIEW"


def test_admin_routes_are_never_faulted(emulator: EmulatorProcess) -> None:
    emulator.add_fault(".*", status=500, times=None)
    assert emulator.orders() == []
    emulator.clear_faults()


def test_stats_count_route_templates(
    api: httpx.Client, emulator: EmulatorProcess, raw: httpx.Client
) -> None:
    raw.post(
        "/oauth2/token",
        auth=("emulator-key", "emulator-secret"),
        data={"grant_type": "client_credentials"},
    )
    order = create_order(api, "US", "LOCAL")
    api.get(f"/numberOrders/{order['idNumberOrder']}")
    api.get(f"/numberOrders/{order['idNumberOrder']}")
    phone = order["orderNumbers"][0]["phoneNumber"]
    api.post(f"/activeNumbers/{phone}:release")
    raw.get("/nothing-here")
    emulator.orders()
    stats = emulator.stats()
    assert stats == {
        "GET /v1/projects/{projectId}/availableNumbers": 1,
        "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}": 2,
        "POST /oauth2/token": 1,
        "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release": 1,
        CREATE_TEMPLATE: 1,
    }
    emulator.reset_stats()
    assert emulator.stats() == {}
    api.get(f"/numberOrders/{order['idNumberOrder']}")
    emulator.reset()
    assert emulator.stats() == {}


def test_in_flight_counts_requests_handled_at_once_and_the_sequence_keeps_their_order(
    emulator: EmulatorProcess, raw: httpx.Client
) -> None:
    """The most requests handled at once is exact: six requests held by latency are six, and
    one after another is one. The sequence lists calls by route template as they arrived."""
    emulator.reset_stats()
    raw.get("/v1/projects/p/availableNumbers")
    raw.get("/nothing-here")
    assert emulator.max_in_flight() == 1, "one after another"
    assert emulator.call_sequence() == ["GET /v1/projects/{projectId}/availableNumbers"]
    emulator.reset_stats()
    emulator.add_fault("availableNumbers", "latency", latency_ms=1500, times=6)
    with ThreadPoolExecutor(6) as pool:
        statuses = list(
            pool.map(lambda _: raw.get("/v1/projects/p/availableNumbers").status_code, range(6))
        )
    assert len(statuses) == 6
    assert emulator.max_in_flight() == 6
    assert httpx.get(f"{emulator.url}/_emulator/stats").json()["in_flight"] == 0
    assert emulator.call_sequence() == ["GET /v1/projects/{projectId}/availableNumbers"] * 6
    emulator.reset_stats()
    assert emulator.max_in_flight() == 0
    assert emulator.call_sequence() == []


def test_invalid_faults_are_rejected(emulator: EmulatorProcess, raw: httpx.Client) -> None:
    assert "action" in violations_of(
        raw.post("/_emulator/faults", json={"path": "x", "action": "explode"})
    )
    assert "path" in violations_of(
        raw.post("/_emulator/faults", json={"path": "(", "action": "drop"})
    )
    assert "path" in violations_of(raw.post("/_emulator/faults", json={"action": "drop"}))
    assert "times" in violations_of(
        raw.post("/_emulator/faults", json={"path": "x", "action": "drop", "times": 0})
    )
    with pytest.raises(EmulatorError):
        emulator.advance_clock(-5)
