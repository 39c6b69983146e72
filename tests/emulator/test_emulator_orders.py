"""createNumberOrder (both options and their limits) and GET numberOrders/{id}."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
import pytest
from emulator_helpers import create_order, error_of, first_available, violations_of

from sinch_numbers.testing.emulator import EmulatorProcess

CREATE = "/numberOrders:createNumberOrder"


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_specific_number_order(api: httpx.Client, emulator: EmulatorProcess) -> None:
    phone = first_available(api, "AU", "MOBILE")
    response = api.post(
        CREATE,
        json={
            "regionCode": "AU",
            "numberType": "MOBILE",
            "smsConfiguration": {"servicePlanId": "plan-1"},
            "voiceConfiguration": {"type": "RTC", "appId": "app-1"},
            "callbackUrl": "http://127.0.0.1:9/hook",
            "numberOrderOption": {"phoneNumbers": [phone]},
        },
    )
    assert response.status_code == 200, response.text
    order = response.json()
    assert re.fullmatch(r"[0-9a-z]{26}", order["idNumberOrder"])
    assert order["projectId"] == "emulator-project"
    assert order["state"] == "CREATED"
    assert order["regionCode"] == "AU"
    assert order["numberType"] == "MOBILE"
    assert order["smsConfiguration"] == {"servicePlanId": "plan-1"}
    assert order["voiceConfiguration"] == {"type": "RTC", "appId": "app-1"}
    (number,) = order["orderNumbers"]
    assert number["phoneNumber"] == phone
    assert set(number) == {"phoneNumber", "numberPrice", "capabilities"}
    assert set(number["numberPrice"]) == {"setupPrice", "monthlyPrice", "paymentIntervalMonths"}
    assert parse_time(order["expireTime"]) - parse_time(order["createTime"]) == timedelta(hours=48)
    assert order["createTime"] == order["updateTime"]
    assert "callbackUrl" not in order  # not part of the NumberOrder resource
    assert emulator.order(order["idNumberOrder"])["callbackUrl"] == "http://127.0.0.1:9/hook"
    assert api.get(f"/numberOrders/{order['idNumberOrder']}").json() == order


def test_quantity_order(api: httpx.Client) -> None:
    order = create_order(
        api,
        "GB",
        "MOBILE",
        quantityOrderOption={
            "requestedQuantity": 5,
            "numberPattern": {"pattern": "+4474000", "searchPattern": "START"},
            "capabilities": ["VOICE"],
        },
    )
    numbers = [n["phoneNumber"] for n in order["orderNumbers"]]
    assert len(set(numbers)) == 5
    assert all(n.startswith("+4474000") for n in numbers)
    assert all("VOICE" in n["capabilities"] for n in order["orderNumbers"])


def test_sequential_quantity_order(api: httpx.Client) -> None:
    order = create_order(
        api, "US", "LOCAL", quantityOrderOption={"requestedQuantity": 4, "sequential": True}
    )
    numbers = [int(n["phoneNumber"]) for n in order["orderNumbers"]]
    assert numbers == list(range(numbers[0], numbers[0] + 4))


def test_reservation_window_is_configurable(api: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.settings(reservation_seconds=1800)
    order = create_order(api)
    assert parse_time(order["expireTime"]) - parse_time(order["createTime"]) == timedelta(
        minutes=30
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "regionCode"),
        ({"regionCode": "australia"}, "regionCode"),
        ({"numberType": "FAX"}, "numberType"),
        ({"numberOrderOption": "+61412000100"}, "numberOrderOption"),
        (
            {
                "numberOrderOption": {"phoneNumbers": ["+61412000100"]},
                "quantityOrderOption": {"requestedQuantity": 1},
            },
            "quantityOrderOption",
        ),
        ({"numberOrderOption": {"phoneNumbers": []}}, "numberOrderOption.phoneNumbers"),
        (
            {"numberOrderOption": {"phoneNumbers": ["+61412000100", "+61412000101"]}},
            "numberOrderOption.phoneNumbers",
        ),
        (
            {"numberOrderOption": {"phoneNumbers": ["0412000100"]}},
            "numberOrderOption.phoneNumbers[0]",
        ),
        (
            {"quantityOrderOption": {"requestedQuantity": 0}},
            "quantityOrderOption.requestedQuantity",
        ),
        (
            {"quantityOrderOption": {"requestedQuantity": 101}},
            "quantityOrderOption.requestedQuantity",
        ),
        ({"quantityOrderOption": {}}, "quantityOrderOption.requestedQuantity"),
        (
            {"quantityOrderOption": {"requestedQuantity": 1, "capabilities": ["MMS"]}},
            "quantityOrderOption.capabilities",
        ),
        (
            {
                "quantityOrderOption": {
                    "requestedQuantity": 1,
                    "numberPattern": {"searchPattern": "MIDDLE"},
                }
            },
            "quantityOrderOption.numberPattern.searchPattern",
        ),
        ({"smsConfiguration": {}}, "smsConfiguration"),
        ({"smsConfiguration": {"campaignId": "c"}}, "smsConfiguration.servicePlanId"),
        ({"voiceConfiguration": {"appId": "a"}}, "voiceConfiguration.type"),
        ({"voiceConfiguration": {"type": "RTC"}}, "voiceConfiguration.appId"),
        (
            {"voiceConfiguration": {"type": "EST", "trunkId": "t", "appId": "a"}},
            "voiceConfiguration.appId",
        ),
        ({"voiceConfiguration": {"type": "FAX", "trunkId": "t"}}, "voiceConfiguration.serviceId"),
        ({"callbackUrl": "not a url"}, "callbackUrl"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_invalid_orders_name_the_field(
    api: httpx.Client, body: dict[str, object], field: str
) -> None:
    base: dict[str, object] = {
        "regionCode": "AU",
        "numberType": "MOBILE",
        "numberOrderOption": {"phoneNumbers": ["+61412000100"]},
    }
    merged = {**base, **body}
    merged = {k: v for k, v in merged.items() if v is not None}
    if body == {}:
        merged.pop("regionCode")
    violations = violations_of(api.post(CREATE, json=merged))
    assert field in violations, violations
    assert not api.get("/availableNumbers/+61412000100").is_error  # nothing was reserved


def test_neither_option_is_rejected(api: httpx.Client) -> None:
    violations = violations_of(api.post(CREATE, json={"regionCode": "AU", "numberType": "MOBILE"}))
    assert "numberOrderOption" in violations


def test_unavailable_number_is_a_400_naming_the_field(api: httpx.Client) -> None:
    order = create_order(api)
    phone = order["orderNumbers"][0]["phoneNumber"]
    for number, region in [(phone, "AU"), ("+61412999999", "AU"), ("+4930112000", "AU")]:
        response = api.post(
            CREATE,
            json={
                "regionCode": region,
                "numberType": "MOBILE",
                "numberOrderOption": {"phoneNumbers": [number]},
            },
        )
        violations = violations_of(response)
        assert violations == {
            "numberOrderOption.phoneNumbers[0]": "is not available for this region and number type"
        }
        assert number not in response.text


def test_capabilities_of_a_specific_number_must_fit_the_configuration(api: httpx.Client) -> None:
    phone = first_available(api, "SE", "TOLL_FREE")
    response = api.post(
        CREATE,
        json={
            "regionCode": "SE",
            "numberType": "TOLL_FREE",
            "smsConfiguration": {"servicePlanId": "p"},
            "numberOrderOption": {"phoneNumbers": [phone]},
        },
    )
    assert "smsConfiguration" in violations_of(response)


def test_unsatisfiable_quantity(api: httpx.Client) -> None:
    response = api.post(
        CREATE,
        json={
            "regionCode": "AU",
            "numberType": "MOBILE",
            "quantityOrderOption": {
                "requestedQuantity": 5,
                "numberPattern": {"pattern": "+61412000999", "searchPattern": "START"},
            },
        },
    )
    assert violations_of(response) == {
        "quantityOrderOption.requestedQuantity": "only 1 matching numbers are available"
    }
    no_stock = api.post(
        CREATE,
        json={
            "regionCode": "FR",
            "numberType": "MOBILE",
            "quantityOrderOption": {"requestedQuantity": 1},
        },
    )
    assert "quantityOrderOption.requestedQuantity" in violations_of(no_stock)


def test_unknown_order_is_404(api: httpx.Client) -> None:
    response = api.get("/numberOrders/01aaaaaaaaaaaaaaaaaaaaaaaa")
    assert response.status_code == 404
    error = error_of(response)
    assert error["status"] == "NOT_FOUND"
    assert error["details"] == [
        {
            "type": "ResourceInfo",
            "resourceType": "NumberOrder",
            "resourceName": "01aaaaaaaaaaaaaaaaaaaaaaaa",
            "owner": "",
            "description": "Number order not found",
        }
    ]
