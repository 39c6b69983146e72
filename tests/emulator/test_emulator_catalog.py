"""Requirements per region/type and the deterministic stock of available numbers."""

from __future__ import annotations

import httpx
import phonenumbers
import pytest
from emulator_helpers import (
    ALL_PAIRS,
    PAIRS_WITH_KYC,
    PAIRS_WITHOUT_KYC,
    create_order,
    error_of,
    violations_of,
)

LOOKUP = "/numberOrders:lookupNumberRequirements"
NOT_FOUND = {
    "error": {
        "code": 404,
        "message": "Number requirements not found",
        "status": "NOT_FOUND",
        "details": [
            {
                "type": "ResourceInfo",
                "resourceType": "NumberProduct",
                "resourceName": "numberRequirements",
                "owner": "",
                "description": "Number requirements not found",
            }
        ],
    }
}
DESCRIPTOR_KEYS = {
    "type",
    "required",
    "title",
    "description",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "const",
}
RULE_KEYS = {"name", "title", "description", "repeatable", "minItems", "maxItems", "template"}
ATTACHMENT_KEYS = {
    "id",
    "title",
    "description",
    "mandatory",
    "template",
    "allowedMimeTypes",
    "allowedDocumentTypes",
}


@pytest.mark.parametrize(("region", "number_type"), PAIRS_WITH_KYC)
def test_requirements_follow_the_documented_grammar(
    api: httpx.Client, region: str, number_type: str
) -> None:
    response = api.post(LOOKUP, json={"regionCode": region, "numberType": number_type})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"fields", "attachments"}
    assert body["fields"]["schema"] == "/schema/policySchema-v1.json"
    assert set(body["fields"]) == {"schema", "rules"}
    for rule in body["fields"]["rules"]:
        assert set(rule) <= RULE_KEYS
        for descriptor in rule["template"].values():
            assert set(descriptor) <= DESCRIPTOR_KEYS
            assert descriptor["type"] in {"string", "boolean", "integer", "number"}
    for attachment in body["attachments"]:
        assert set(attachment) == ATTACHMENT_KEYS


def test_the_catalog_covers_every_construct_of_the_grammar(api: httpx.Client) -> None:
    seen: set[str] = set()
    for region, number_type in PAIRS_WITH_KYC:
        body = api.post(LOOKUP, json={"regionCode": region, "numberType": number_type}).json()
        for rule in body["fields"]["rules"]:
            if rule.get("repeatable"):
                seen.add("repeatable")
            for descriptor in rule["template"].values():
                seen.update(
                    k for k in ("enum", "pattern", "minLength", "maxLength") if k in descriptor
                )
                seen.add(descriptor["type"])
                if descriptor.get("const") is True:
                    seen.add("const-true")
        mandatory = [a for a in body["attachments"] if a["mandatory"]]
        if len(mandatory) >= 2:
            seen.add("several-mandatory")
        if any(not a["mandatory"] for a in body["attachments"]):
            seen.add("optional-attachment")
        for attachment in body["attachments"]:
            if {"Passport", "Driver's License", "National ID"} <= set(
                attachment["allowedDocumentTypes"]
            ):
                seen.add("identity-documents")
    assert seen >= {
        "repeatable",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "string",
        "boolean",
        "integer",
        "number",
        "const-true",
        "several-mandatory",
        "optional-attachment",
        "identity-documents",
    }


@pytest.mark.parametrize(
    ("region", "number_type"), [*PAIRS_WITHOUT_KYC, ("FR", "MOBILE"), ("AU", "TOLL_FREE")]
)
def test_pairs_without_requirements_answer_the_observed_404(
    api: httpx.Client, region: str, number_type: str
) -> None:
    response = api.post(LOOKUP, json={"regionCode": region, "numberType": number_type})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_lookup_validates_its_body(api: httpx.Client) -> None:
    assert violations_of(api.post(LOOKUP, json={"regionCode": "AU"})) == {
        "numberType": "is required"
    }
    assert "numberType" in violations_of(
        api.post(LOOKUP, json={"regionCode": "AU", "numberType": "FAX"})
    )
    assert "colour" in violations_of(
        api.post(LOOKUP, json={"regionCode": "AU", "numberType": "MOBILE", "colour": 1})
    )


@pytest.mark.parametrize(("region", "number_type"), ALL_PAIRS)
def test_every_number_in_stock_is_valid_for_its_region(
    api: httpx.Client, region: str, number_type: str
) -> None:
    response = api.get(
        "/availableNumbers", params={"regionCode": region, "type": number_type, "size": 1000}
    )
    numbers = response.json()["availableNumbers"]
    assert len(numbers) == 1000  # enough for well over 100 orders per pair
    for item in numbers:
        parsed = phonenumbers.parse(item["phoneNumber"])
        assert phonenumbers.is_valid_number_for_region(parsed, region), item["phoneNumber"]
        assert item["regionCode"] == region
        assert item["type"] == number_type
        assert set(item) == {
            "phoneNumber",
            "regionCode",
            "type",
            "capability",
            "setupPrice",
            "monthlyPrice",
            "paymentIntervalMonths",
            "supportingDocumentationRequired",
        }
    assert len({item["phoneNumber"] for item in numbers}) == 1000


def test_search_is_deterministic(api: httpx.Client) -> None:
    params = {"regionCode": "GB", "type": "MOBILE", "size": 5}
    first = api.get("/availableNumbers", params=params).json()
    assert first == api.get("/availableNumbers", params=params).json()
    assert first["availableNumbers"][0]["phoneNumber"].startswith("+447")


def test_search_filters(api: httpx.Client) -> None:
    def search(**params: object) -> list[str]:
        response = api.get(
            "/availableNumbers", params={"regionCode": "AU", "type": "MOBILE", **params}
        )
        assert response.status_code == 200, response.text
        return [n["phoneNumber"] for n in response.json()["availableNumbers"]]

    assert len(search(size=3)) == 3
    assert all(
        n.startswith("+6141200")
        for n in search(
            **{"numberPattern.pattern": "+6141200", "numberPattern.searchPattern": "START"}
        )
    )
    # The pattern is matched against the full E.164 string including '+' (observed live).
    assert search(**{"numberPattern.pattern": "614", "numberPattern.searchPattern": "START"}) == []
    assert all(
        "0555" in n
        for n in search(
            **{"numberPattern.pattern": "0555", "numberPattern.searchPattern": "CONTAINS"}
        )
    )
    ends = search(**{"numberPattern.pattern": "77", "numberPattern.searchPattern": "END"})
    assert ends
    assert all(n.endswith("77") for n in ends)
    both = api.get(
        "/availableNumbers",
        params=[
            ("regionCode", "AU"),
            ("type", "MOBILE"),
            ("capabilities", "SMS"),
            ("capabilities", "VOICE"),
        ],
    ).json()
    assert all(set(n["capability"]) == {"SMS", "VOICE"} for n in both["availableNumbers"])
    voice_only = api.get(
        "/availableNumbers", params={"regionCode": "SE", "type": "TOLL_FREE", "capabilities": "SMS"}
    ).json()
    assert voice_only == {"availableNumbers": []}


def test_search_validates_parameters(api: httpx.Client) -> None:
    assert violations_of(api.get("/availableNumbers", params={"regionCode": "AU"})) == {
        "type": "is required"
    }
    assert "type" in violations_of(
        api.get("/availableNumbers", params={"regionCode": "AU", "type": "FAX"})
    )
    assert "size" in violations_of(
        api.get("/availableNumbers", params={"regionCode": "AU", "type": "MOBILE", "size": "many"})
    )
    assert "capabilities[0]" in violations_of(
        api.get(
            "/availableNumbers",
            params={"regionCode": "AU", "type": "MOBILE", "capabilities": "MMS"},
        )
    )


def test_unknown_pair_has_no_numbers(api: httpx.Client) -> None:
    response = api.get("/availableNumbers", params={"regionCode": "FR", "type": "MOBILE"})
    assert response.json() == {"availableNumbers": []}


def test_get_available_number(api: httpx.Client) -> None:
    number = api.get(
        "/availableNumbers", params={"regionCode": "DE", "type": "LOCAL", "size": 1}
    ).json()["availableNumbers"][0]
    for spelled in (number["phoneNumber"], number["phoneNumber"].replace("+", "%2B")):
        response = api.get(f"/availableNumbers/{spelled}")
        assert response.status_code == 200
        assert response.json() == number
    missing = api.get("/availableNumbers/+4930999999999")
    assert missing.status_code == 404
    assert error_of(missing)["details"][0]["resourceType"] == "AvailableNumber"


def test_reserved_numbers_are_no_longer_available(api: httpx.Client) -> None:
    order = create_order(api, "AU", "MOBILE")
    phone = order["orderNumbers"][0]["phoneNumber"]
    assert api.get(f"/availableNumbers/{phone}").status_code == 404
    listed = api.get(
        "/availableNumbers", params={"regionCode": "AU", "type": "MOBILE", "size": 1000}
    ).json()
    assert phone not in {n["phoneNumber"] for n in listed["availableNumbers"]}


def test_available_regions(api: httpx.Client) -> None:
    body = api.get("/availableRegions").json()
    codes = {item["regionCode"] for item in body["availableRegions"]}
    assert {"AU", "DE", "BR", "GB", "SE", "US"} <= codes
