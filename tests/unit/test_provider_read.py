"""``read`` maps every order state the API can answer, over HTTP mocked at the transport."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import respx

from sinch_numbers.provider import NumberOrderError, NumberOrderProvider
from tests.unit.test_api_sockets import TrickleServer

API = "https://numbers.example.test"
ORDER = f"{API}/v1/projects/p1/numberOrders/o1"

STATES = [
    "CREATED",
    "IN_REVIEW",
    "BLOCKED",
    "COMPLETED",
    "REJECTED",
    "EXPIRED",
    "NUMBER_ORDER_STATE_UNSPECIFIED",
]


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> NumberOrderProvider:
    monkeypatch.setenv("SINCH_PROJECT_ID", "p1")
    monkeypatch.setenv("SINCH_KEY_ID", "k1")
    monkeypatch.setenv("SINCH_KEY_SECRET", "s1")
    monkeypatch.setenv("SINCH_NUMBERS_URL", API)
    monkeypatch.setenv("SINCH_AUTH_METHOD", "basic")
    return NumberOrderProvider()


def order_body(state: str) -> dict[str, Any]:
    return {
        "idNumberOrder": "o1",
        "projectId": "p1",
        "regionCode": "AU",
        "numberType": "MOBILE",
        "state": state,
        "orderNumbers": [{"phoneNumber": "+61412000100", "capability": ["SMS"]}],
        "expireTime": "2026-03-07T16:53:00.204187Z",
        "createTime": "2026-03-05T16:53:00Z",
        "updateTime": None,
    }


OLD_PROPS: dict[str, Any] = {
    "region_code": "AU",
    "number_type": "MOBILE",
    "quantity": 1,
    "registration": [{"firstName": "Jane"}],
    "order_id": "o1",
    "state": "CREATED",
    "failed_step": "wait",
    "last_error": "still waiting",
}


@pytest.mark.parametrize("state", STATES)
def test_read_maps_each_state(provider: NumberOrderProvider, state: str) -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ORDER).mock(return_value=httpx.Response(200, json=order_body(state)))
        active = mock.get(f"{API}/v1/projects/p1/activeNumbers/+61412000100").mock(
            return_value=httpx.Response(
                200,
                json={
                    "phoneNumber": "+61412000100",
                    "nextChargeDate": "2026-04-05T16:53:00Z",
                    "smsConfiguration": {"servicePlanId": "plan-1"},
                },
            )
        )
        logs = mock.get(f"{ORDER}/registration").mock(
            return_value=httpx.Response(
                200,
                json={
                    "requestDetails": {"data": []},
                    "logs": [{"message": "Jane must sign", "createTime": "2026-03-06T00:00:00Z"}],
                },
            )
        )
        result = provider.read("o1", dict(OLD_PROPS))
    assert result.id == "o1"
    outs = result.outs
    assert outs is not None
    assert outs["state"] == state
    assert outs["phone_numbers"] == ["+61412000100"]
    assert outs["update_time"] is None
    reviewed = state in ("BLOCKED", "REJECTED")
    assert logs.called is reviewed
    # A completed order's numbers are read, for their charges and routing.
    assert active.called is (state == "COMPLETED")
    if state == "COMPLETED":
        assert outs["active_numbers"][0]["next_charge_date"] == "2026-04-05T16:53:00+00:00"
        assert outs["active_numbers"][0]["sms_configuration"] == {"service_plan_id": "plan-1"}
    if reviewed:
        # Review feedback is kept, with the registration's own values redacted from it.
        assert outs["registration_logs"] == [
            {"message": "[redacted] must sign", "create_time": "2026-03-06T00:00:00+00:00"}
        ]
    else:
        assert outs["registration_logs"] == []
    # A wait that ended in completion is no longer a failure; anything else still is.
    assert (outs["failed_step"] is None) is (state == "COMPLETED")
    assert result.inputs is not None
    assert set(result.inputs) == {"region_code", "number_type", "quantity", "registration"}


def test_read_of_a_missing_order_says_gone(provider: NumberOrderProvider) -> None:
    """Gone is proven: the state records the project, and no number of the order is recorded
    (tests/unit/test_proven_gone.py has every other branch)."""
    props = {**OLD_PROPS, "project_id": "p1", "numbers_url": API}
    with respx.mock() as mock:
        mock.get(ORDER).mock(
            return_value=httpx.Response(
                404,
                json={"error": {"code": 404, "message": "", "status": "NOT_FOUND", "details": []}},
            )
        )
        result = provider.read("o1", props)
    assert result.id == ""
    assert result.outs == {}


@pytest.mark.timeout(60)
def test_sinch_http_timeout_bounds_a_read_against_a_trickling_server(
    provider: NumberOrderProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every wait is short (a byte each 0.2 s), so only a bound on the whole call ends it.
    server = TrickleServer()
    try:
        monkeypatch.setenv("SINCH_NUMBERS_URL", server.url)
        monkeypatch.setenv("SINCH_HTTP_TIMEOUT", "1")
        started = time.monotonic()
        with pytest.raises(NumberOrderError, match="within the call deadline of 1s") as caught:
            provider.read("o1", dict(OLD_PROPS))
        elapsed = time.monotonic() - started
    finally:
        server.close()
    assert "the request was sent" in str(caught.value)
    # Four attempts of at most 1 s and their backoff; the bound only guards against a hang.
    assert elapsed < 20
    assert server.accepted == 4
