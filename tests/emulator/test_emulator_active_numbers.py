"""Active numbers after completion: get, list, patch, release; callback configuration."""

from __future__ import annotations

import httpx
import pytest
from emulator_helpers import completed_order, error_of, violations_of

from sinch_numbers.testing.emulator import EmulatorProcess

OBSERVED_KEYS = {
    "phoneNumber",
    "projectId",
    "displayName",
    "regionCode",
    "type",
    "capability",
    "money",
    "paymentIntervalMonths",
    "nextChargeDate",
    "expireAt",
    "smsConfiguration",
    "voiceConfiguration",
    "callbackUrl",
}


def test_active_number_has_the_observed_shape(api: httpx.Client, emulator: EmulatorProcess) -> None:
    order = completed_order(api, emulator, smsConfiguration={"servicePlanId": "plan-9"})
    phone = order["orderNumbers"][0]["phoneNumber"]
    number = api.get(f"/activeNumbers/{phone}").json()
    assert set(number) == OBSERVED_KEYS
    assert number["projectId"] == "emulator-project"
    assert number["displayName"] == ""
    assert number["expireAt"] is None
    assert number["callbackUrl"] == ""
    assert number["smsConfiguration"] == {
        "servicePlanId": "plan-9",
        "scheduledProvisioning": None,
        "campaignId": "",
    }
    assert number["voiceConfiguration"] == {
        "appId": "",
        "scheduledVoiceProvisioning": None,
        "lastUpdatedTime": None,
        "type": "RTC",
        "trunkId": "",
        "serviceId": "",
    }
    assert number["money"] == order["orderNumbers"][0]["numberPrice"]["monthlyPrice"]


def test_plus_and_percent_encoded_plus_in_paths(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    phone = completed_order(api, emulator)["orderNumbers"][0]["phoneNumber"]
    encoded = phone.replace("+", "%2B")
    assert api.get(f"/activeNumbers/{phone}").json() == api.get(f"/activeNumbers/{encoded}").json()
    assert api.post(f"/activeNumbers/{encoded}:release").status_code == 200


def test_unknown_active_number(api: httpx.Client) -> None:
    response = api.get("/activeNumbers/+61499999999")
    assert response.status_code == 404
    assert error_of(response)["details"] == [
        {
            "type": "ResourceInfo",
            "resourceType": "ActiveNumber",
            "resourceName": "+61499999999",
            "owner": "",
            "description": "",
        }
    ]
    assert api.post("/activeNumbers/+61499999999:release").status_code == 404
    assert api.patch("/activeNumbers/+61499999999", json={"displayName": "x"}).status_code == 404


def test_list_filters_and_pages(api: httpx.Client, emulator: EmulatorProcess) -> None:
    completed_order(api, emulator, "GB", "MOBILE", quantityOrderOption={"requestedQuantity": 5})
    completed_order(api, emulator, "US", "LOCAL")
    everything = api.get("/activeNumbers").json()
    assert everything["totalSize"] == 6
    assert everything["nextPageToken"] == ""
    gb = api.get(
        "/activeNumbers", params={"regionCode": "GB", "type": "MOBILE", "pageSize": 2}
    ).json()
    assert gb["totalSize"] == 5
    seen = [n["phoneNumber"] for n in gb["activeNumbers"]]
    token = gb["nextPageToken"]
    while token:
        page = api.get(
            "/activeNumbers", params={"regionCode": "GB", "pageSize": 2, "pageToken": token}
        ).json()
        seen += [n["phoneNumber"] for n in page["activeNumbers"]]
        token = page["nextPageToken"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen)
    voice = api.get("/activeNumbers", params={"regionCode": "GB", "capability": "VOICE"}).json()
    assert all("VOICE" in n["capability"] for n in voice["activeNumbers"])
    assert voice["totalSize"] < 5
    pattern = api.get(
        "/activeNumbers",
        params={"numberPattern.pattern": "+1", "numberPattern.searchPattern": "START"},
    ).json()
    assert pattern["totalSize"] == 1
    assert "pageToken" in violations_of(api.get("/activeNumbers", params={"pageToken": "garbage!"}))
    assert "pageSize" in violations_of(api.get("/activeNumbers", params={"pageSize": 0}))


def test_patch(api: httpx.Client, emulator: EmulatorProcess) -> None:
    phone = completed_order(api, emulator)["orderNumbers"][0]["phoneNumber"]
    response = api.patch(
        f"/activeNumbers/{phone}",
        json={
            "displayName": "Support line",
            "smsConfiguration": {"servicePlanId": "plan-2", "campaignId": "camp-1"},
            "voiceConfiguration": {"type": "EST", "trunkId": "trunk-1"},
            "callbackUrl": "https://hooks.example.com/numbers",
        },
    )
    assert response.status_code == 200, response.text
    number = response.json()
    assert number["displayName"] == "Support line"
    assert number["smsConfiguration"]["servicePlanId"] == "plan-2"
    assert number["smsConfiguration"]["campaignId"] == "camp-1"
    assert number["voiceConfiguration"]["type"] == "EST"
    assert number["voiceConfiguration"]["trunkId"] == "trunk-1"
    assert number["voiceConfiguration"]["appId"] == ""
    assert number["voiceConfiguration"]["lastUpdatedTime"] is not None
    assert number["callbackUrl"] == "https://hooks.example.com/numbers"
    unlinked = api.patch(
        f"/activeNumbers/{phone}",
        json={"smsConfiguration": {"servicePlanId": "", "campaignId": ""}},
    ).json()
    assert unlinked["smsConfiguration"]["servicePlanId"] == ""
    assert api.get(f"/activeNumbers/{phone}").json() == unlinked


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"smsConfiguration": {}}, "smsConfiguration"),
        ({"voiceConfiguration": {}}, "voiceConfiguration"),
        ({"voiceConfiguration": {"type": "RTC", "trunkId": "t"}}, "voiceConfiguration.trunkId"),
        ({"displayName": 5}, "displayName"),
        ({"nickname": "x"}, "nickname"),
        ({}, "body"),
    ],
)
def test_patch_validation(
    api: httpx.Client, emulator: EmulatorProcess, body: dict[str, object], field: str
) -> None:
    phone = completed_order(api, emulator)["orderNumbers"][0]["phoneNumber"]
    assert field in violations_of(api.patch(f"/activeNumbers/{phone}", json=body))


def test_release_sets_expire_at_to_next_charge_date(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    phone = completed_order(api, emulator)["orderNumbers"][0]["phoneNumber"]
    released = api.post(f"/activeNumbers/{phone}:release")
    assert released.status_code == 200
    body = released.json()
    assert body["expireAt"] == body["nextChargeDate"]
    assert set(body) == OBSERVED_KEYS
    # Releasing again is harmless and answers the same.
    assert api.post(f"/activeNumbers/{phone}:release").json() == body
    # The number stays until the paid period ends, then disappears.
    assert api.get(f"/activeNumbers/{phone}").status_code == 200
    emulator.advance_clock(31 * 86400)
    assert api.get(f"/activeNumbers/{phone}").status_code == 404
    assert api.get(f"/availableNumbers/{phone}").status_code == 200


def test_release_route_is_not_swallowed_by_the_phone_parameter(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    phone = completed_order(api, emulator)["orderNumbers"][0]["phoneNumber"]
    # GET on the release verb must not be read as "GET activeNumbers/{'+61…:release'}" success.
    response = api.get(f"/activeNumbers/{phone}:release")
    assert response.status_code in (404, 405)
    assert api.get(f"/activeNumbers/{phone}").json()["expireAt"] is None


def test_callback_configuration(api: httpx.Client) -> None:
    assert api.get("/callbackConfiguration").json() == {
        "projectId": "emulator-project",
        "hmacSecret": "",
    }
    secret = "a" * 16 + "-" + "B1" * 8
    assert api.patch("/callbackConfiguration", json={"hmacSecret": secret}).json() == {
        "projectId": "emulator-project",
        "hmacSecret": secret,
    }
    assert api.get("/callbackConfiguration").json()["hmacSecret"] == secret
    for bad in ["short", "x" * 65, "has spaces in it and is long enough....", 42]:
        assert "hmacSecret" in violations_of(
            api.patch("/callbackConfiguration", json={"hmacSecret": bad})
        )
