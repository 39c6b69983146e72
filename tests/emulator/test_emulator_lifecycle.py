"""Submit, expiry on the emulator clock, review outcomes and the state machine around them."""

from __future__ import annotations

import httpx
from emulator_helpers import (
    create_order,
    error_of,
    put_sample_registration,
    submitted_order,
    upload,
    violations_of,
)

from sinch_numbers.emulator.sample_files import pdf_bytes, png_bytes
from sinch_numbers.testing.emulator import EmulatorProcess

AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"


def state_of(api: httpx.Client, order_id: str) -> str:
    return str(api.get(f"/numberOrders/{order_id}").json()["state"])


def test_submit_needs_the_registration_and_mandatory_attachments(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order = create_order(api)
    order_id = order["idNumberOrder"]
    violations = violations_of(api.post(f"/numberOrders/{order_id}/submit"))
    assert set(violations) == {
        "requestDetails",
        f"attachments.{AU_PROOF}",
        f"attachments.{AU_IDENTITY}",
    }
    data = emulator.sample("AU", "MOBILE").registration
    api.put(f"/numberOrders/{order_id}/registration", json={"requestDetails": {"data": data}})
    upload(api, order_id, AU_PROOF, pdf_bytes())
    assert set(violations_of(api.post(f"/numberOrders/{order_id}/submit"))) == {
        f"attachments.{AU_IDENTITY}"
    }
    upload(api, order_id, AU_IDENTITY, png_bytes(), "id.png", "National ID")
    response = api.post(f"/numberOrders/{order_id}/submit")
    assert response.status_code == 200
    assert response.json()["state"] == "IN_REVIEW"
    assert response.json()["updateTime"] >= order["updateTime"]


def test_gb_needs_no_attachment_and_us_needs_no_registration(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    gb = create_order(api, "GB", "MOBILE")
    api.put(
        f"/numberOrders/{gb['idNumberOrder']}/registration",
        json={"requestDetails": {"data": emulator.sample("GB", "MOBILE").registration}},
    )
    assert api.post(f"/numberOrders/{gb['idNumberOrder']}/submit").json()["state"] == "IN_REVIEW"
    us = create_order(api, "US", "TOLL_FREE")
    assert api.post(f"/numberOrders/{us['idNumberOrder']}/submit").json()["state"] == "IN_REVIEW"


def test_in_review_orders_refuse_changes(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = submitted_order(api, emulator)
    order_id = order["idNumberOrder"]
    again = api.post(f"/numberOrders/{order_id}/submit")
    assert again.status_code == 400
    assert error_of(again)["status"] == "FAILED_PRECONDITION"
    assert "IN_REVIEW" in error_of(again)["message"]
    put = api.put(f"/numberOrders/{order_id}/registration", json={"requestDetails": {"data": []}})
    assert put.status_code == 400
    assert error_of(put)["status"] == "FAILED_PRECONDITION"
    uploaded = upload(api, order_id, AU_PROOF, pdf_bytes())
    assert error_of(uploaded)["status"] == "FAILED_PRECONDITION"


def test_orders_expire_on_the_emulator_clock(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api)
    order_id = order["idNumberOrder"]
    phone = order["orderNumbers"][0]["phoneNumber"]
    put_sample_registration(api, emulator, order)
    emulator.advance_clock(48 * 3600 - 10)
    assert state_of(api, order_id) == "CREATED"
    emulator.advance_clock(11)
    expired = api.get(f"/numberOrders/{order_id}").json()
    assert expired["state"] == "EXPIRED"
    assert expired["updateTime"] == expired["expireTime"]
    submit = api.post(f"/numberOrders/{order_id}/submit")
    assert submit.status_code == 400
    assert error_of(submit)["status"] == "FAILED_PRECONDITION"
    assert "expired" in error_of(submit)["message"]
    put = api.put(f"/numberOrders/{order_id}/registration", json={"requestDetails": {"data": []}})
    assert error_of(put)["status"] == "FAILED_PRECONDITION"
    assert error_of(upload(api, order_id, AU_PROOF, pdf_bytes()))["status"] == "FAILED_PRECONDITION"
    # The reservation is over: the number is on offer again.
    assert api.get(f"/availableNumbers/{phone}").status_code == 200


def test_submitted_orders_do_not_expire(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = submitted_order(api, emulator)
    emulator.advance_clock(49 * 3600)
    assert state_of(api, order["idNumberOrder"]) == "IN_REVIEW"


def test_approve(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = submitted_order(api, emulator)
    approved = emulator.review(order["idNumberOrder"], "approve")
    assert approved["state"] == "COMPLETED"
    phone = order["orderNumbers"][0]["phoneNumber"]
    assert api.get(f"/activeNumbers/{phone}").status_code == 200
    assert api.get(f"/availableNumbers/{phone}").status_code == 404
    put = api.put(
        f"/numberOrders/{order['idNumberOrder']}/registration",
        json={"requestDetails": {"data": []}},
    )
    assert error_of(put)["status"] == "FAILED_PRECONDITION"


def test_reject_logs_the_reason(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = submitted_order(api, emulator)
    order_id = order["idNumberOrder"]
    rejected = emulator.review(order_id, "reject", "The business name does not match the registry.")
    assert rejected["state"] == "REJECTED"
    logs = api.get(f"/numberOrders/{order_id}/registration").json()["logs"]
    assert [log["message"] for log in logs] == ["The business name does not match the registry."]
    assert logs[0]["createTime"].endswith("Z")
    phone = order["orderNumbers"][0]["phoneNumber"]
    assert api.get(f"/availableNumbers/{phone}").status_code == 200
    assert api.get(f"/activeNumbers/{phone}").status_code == 404
    assert error_of(api.post(f"/numberOrders/{order_id}/submit"))["status"] == "FAILED_PRECONDITION"


def test_block_then_fix_and_resubmit(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = submitted_order(api, emulator)
    order_id = order["idNumberOrder"]
    blocked = emulator.review(order_id, "block", "Please upload a clearer identity document.")
    assert blocked["state"] == "BLOCKED"
    registration = api.get(f"/numberOrders/{order_id}/registration").json()
    assert registration["logs"][-1]["message"] == "Please upload a clearer identity document."
    assert upload(api, order_id, AU_IDENTITY, pdf_bytes(), "id.pdf", "Passport").status_code == 200
    data = emulator.sample("AU", "MOBILE").registration
    assert (
        api.put(
            f"/numberOrders/{order_id}/registration", json={"requestDetails": {"data": data}}
        ).status_code
        == 200
    )
    # Blocked orders keep their numbers and do not expire while the customer fixes them.
    emulator.advance_clock(49 * 3600)
    assert api.post(f"/numberOrders/{order_id}/submit").json()["state"] == "IN_REVIEW"
    assert emulator.review(order_id, "approve")["state"] == "COMPLETED"


def test_review_errors(api: httpx.Client, emulator: EmulatorProcess, raw: httpx.Client) -> None:
    order = create_order(api)
    response = raw.post(
        f"/_emulator/orders/{order['idNumberOrder']}/review", json={"outcome": "approve"}
    )
    assert error_of(response)["status"] == "FAILED_PRECONDITION"
    assert raw.post("/_emulator/orders/nope/review", json={"outcome": "approve"}).status_code == 404
    bad = raw.post(f"/_emulator/orders/{order['idNumberOrder']}/review", json={"outcome": "maybe"})
    assert "outcome" in violations_of(bad)


def test_auto_review_after_the_configured_delay(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.settings(review_policy="auto", review_delay_seconds=30)
    order = submitted_order(api, emulator)
    order_id = order["idNumberOrder"]
    emulator.advance_clock(29)
    assert state_of(api, order_id) == "IN_REVIEW"
    emulator.advance_clock(2)
    completed = api.get(f"/numberOrders/{order_id}").json()
    assert completed["state"] == "COMPLETED"
    assert completed["updateTime"] > order["updateTime"]


def test_auto_review_completes_without_polling(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.settings(review_policy="auto", review_delay_seconds=0.3)
    order = submitted_order(api, emulator)
    emulator.wait_for_callbacks(0)
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if emulator.order(order["idNumberOrder"])["state"] == "COMPLETED":
            break
        time.sleep(0.1)
    assert emulator.order(order["idNumberOrder"])["state"] == "COMPLETED"


def test_admin_orders_list(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = create_order(api, callbackUrl="http://127.0.0.1:1/cb")
    put_sample_registration(api, emulator, order)
    (listed,) = emulator.orders()
    assert listed["idNumberOrder"] == order["idNumberOrder"]
    assert listed["callbackUrl"] == "http://127.0.0.1:1/cb"
    assert (
        listed["registration"]["requestDetails"]["data"]
        == emulator.sample("AU", "MOBILE").registration
    )
    assert len(listed["registration"]["attachments"]) == 2
