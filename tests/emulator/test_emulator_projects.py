"""A key with several projects, and an order Sinch no longer returns: the two situations in which
a 404 for an order proves nothing about its numbers (issue 16, item 1)."""

from __future__ import annotations

from typing import Any

import httpx

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from tests.emulator.emulator_helpers import create_order, put_sample_registration


def _approved_order(api: httpx.Client, emulator: EmulatorProcess) -> dict[str, Any]:
    order = create_order(api)
    put_sample_registration(api, emulator, order)
    assert api.post(f"/numberOrders/{order['idNumberOrder']}/submit").status_code == 200
    return emulator.review(str(order["idNumberOrder"]), "approve")


def test_each_project_sees_only_its_own_orders() -> None:
    with start_emulator(review_policy="manual", other_project_ids="other-project") as emulator:
        creds = emulator.credentials
        auth = (creds.key_id, creds.key_secret)
        with (
            httpx.Client(base_url=f"{emulator.url}/v1/projects/{creds.project_id}", auth=auth) as a,
            httpx.Client(base_url=f"{emulator.url}/v1/projects/other-project", auth=auth) as b,
        ):
            order = _approved_order(a, emulator)
            path = f"/numberOrders/{order['idNumberOrder']}"
            assert a.get(path).status_code == 200
            assert b.get(path).status_code == 404, "another project does not see the order"
            (phone_number,) = [n["phoneNumber"] for n in order["orderNumbers"]]
            number = f"/activeNumbers/{phone_number}"
            assert a.get(number).status_code == 200
            assert b.get(number).status_code == 404, "nor its number"
            assert b.get("/activeNumbers").json()["activeNumbers"] == []
            assert (
                b.post(
                    "/numberOrders:lookupNumberRequirements",
                    json={"regionCode": "AU", "numberType": "MOBILE"},
                ).status_code
                == 200
            ), "the other project is accepted"


def test_a_forgotten_order_answers_404_while_its_numbers_stay_active(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order = _approved_order(api, emulator)
    (phone_number,) = [n["phoneNumber"] for n in order["orderNumbers"]]
    emulator.forget_order(str(order["idNumberOrder"]))
    assert api.get(f"/numberOrders/{order['idNumberOrder']}").status_code == 404
    number = api.get(f"/activeNumbers/{phone_number}")
    assert number.status_code == 200
    assert number.json()["expireAt"] is None, "still active and billed"
    assert emulator.orders() == []
