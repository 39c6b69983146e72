"""NUMBER_ORDER_PROCESSING callbacks: payload, signature, retries, loopback only."""

from __future__ import annotations

import hashlib
import hmac
import re
import time

import httpx
from emulator_helpers import (
    callback_receiver,
    create_order,
    put_sample_registration,
    submitted_order,
)

from sinch_numbers.testing.emulator import EmulatorProcess

SECRET = "0123456789abcdef-0123456789abcdef"


def wait_for(predicate: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_events_for_each_state_change(api: httpx.Client, emulator: EmulatorProcess) -> None:
    with callback_receiver() as receiver:
        order = submitted_order(api, emulator, callbackUrl=receiver.url)
        order_id = order["idNumberOrder"]
        emulator.review(order_id, "block", "need more")
        put_sample_registration(api, emulator, order)
        api.post(f"/numberOrders/{order_id}/submit")
        emulator.review(order_id, "approve")
        wait_for(lambda: len(receiver.received) == 4)
    statuses = [r.json()["status"] for r in receiver.received]
    assert statuses == ["IN_REVIEW", "BLOCKED", "IN_REVIEW", "COMPLETED"]  # never CREATED
    event = receiver.received[-1].json()
    assert set(event) == {
        "eventId",
        "timestamp",
        "projectId",
        "resourceId",
        "resourceType",
        "eventType",
        "status",
        "failureCode",
        "internalFailureCode",
    }
    assert event["resourceId"] == order_id
    assert event["projectId"] == "emulator-project"
    assert event["resourceType"] == "NUMBER_ORDER"
    assert event["eventType"] == "NUMBER_ORDER_PROCESSING"
    assert event["failureCode"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}", event["timestamp"])  # no zone
    assert re.fullmatch(r"[0-9a-z]{26}", event["eventId"])
    assert receiver.received[0].path == "/hooks/sinch"
    assert receiver.received[0].headers["content-type"] == "application/json"
    assert "x-sinch-signature" not in receiver.received[0].headers
    records = emulator.callbacks()
    assert [r["status"] for r in records] == ["delivered"] * 4
    assert all(r["attempts"] == 1 and r["responseStatus"] == 200 for r in records)


def test_rejected_and_expired_events(api: httpx.Client, emulator: EmulatorProcess) -> None:
    with callback_receiver() as receiver:
        rejected = submitted_order(api, emulator, callbackUrl=receiver.url)
        emulator.review(rejected["idNumberOrder"], "reject")
        expiring = create_order(api, callbackUrl=receiver.url)
        emulator.advance_clock(48 * 3600 + 1)
        wait_for(lambda: len(receiver.received) == 3)
    events = [(r.json()["resourceId"], r.json()["status"]) for r in receiver.received]
    assert events == [
        (rejected["idNumberOrder"], "IN_REVIEW"),
        (rejected["idNumberOrder"], "REJECTED"),
        (expiring["idNumberOrder"], "EXPIRED"),
    ]


def test_signature_is_hmac_sha1_of_the_raw_body(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    api.patch("/callbackConfiguration", json={"hmacSecret": SECRET})
    with callback_receiver() as receiver:
        submitted_order(api, emulator, callbackUrl=receiver.url)
        wait_for(lambda: len(receiver.received) == 1)
    received = receiver.received[0]
    expected = hmac.new(SECRET.encode(), received.body, hashlib.sha1).hexdigest()
    assert received.headers["x-sinch-signature"] == expected
    assert emulator.callbacks()[0]["signed"] is True


def test_failed_deliveries_are_retried_with_backoff(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    with callback_receiver() as receiver:
        receiver.statuses.extend([500, 503])
        submitted_order(api, emulator, callbackUrl=receiver.url)
        wait_for(lambda: emulator.callbacks()[0]["status"] == "delivered")
    (record,) = emulator.callbacks()
    assert record["attempts"] == 3
    assert len(receiver.received) == 3
    assert len({r.body for r in receiver.received}) == 1  # the very same event each time


def test_retries_are_bounded(api: httpx.Client, emulator: EmulatorProcess) -> None:
    with callback_receiver() as receiver:
        receiver.statuses.extend([500] * 10)
        submitted_order(api, emulator, callbackUrl=receiver.url)
        wait_for(lambda: emulator.callbacks()[0]["status"] == "failed")
    (record,) = emulator.callbacks()
    assert record["attempts"] == 4
    assert record["responseStatus"] == 500


def test_unreachable_receiver_fails_after_retries(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    submitted_order(api, emulator, callbackUrl="http://127.0.0.1:9/closed")
    wait_for(lambda: emulator.callbacks()[0]["status"] == "failed")
    assert emulator.callbacks()[0]["error"]


def test_non_loopback_hosts_are_never_called(api: httpx.Client, emulator: EmulatorProcess) -> None:
    for url in [
        "https://hooks.example.com/sinch",
        "http://10.0.0.1/cb",
        "http://localhost.example.com/x",
    ]:
        submitted_order(api, emulator, callbackUrl=url)
    records = emulator.callbacks()
    assert [r["status"] for r in records] == ["skipped"] * 3
    assert all(r["attempts"] == 0 for r in records)


def test_loopback_names(api: httpx.Client, emulator: EmulatorProcess) -> None:
    with callback_receiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        submitted_order(api, emulator, callbackUrl=f"http://localhost:{port}/cb")
        wait_for(lambda: len(receiver.received) == 1)
