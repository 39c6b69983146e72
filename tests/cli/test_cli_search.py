"""``sinch-numbers search``: every filter, compared with the API's own answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from cli_helpers import Cli, create_order

NUMBER_KEYS = {
    "phone_number",
    "region_code",
    "type",
    "capabilities",
    "setup_price",
    "monthly_price",
    "payment_interval_months",
    "supporting_documentation_required",
}


def api_search(api: httpx.Client, params: list[tuple[str, str]]) -> list[dict[str, Any]]:
    response = api.get("/availableNumbers", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["availableNumbers"])


def test_table_has_prices_and_capabilities(on_emulator: Cli, api: httpx.Client) -> None:
    expected = api_search(api, [("regionCode", "AU"), ("type", "MOBILE"), ("size", "5")])
    result = on_emulator("search", "AU", "MOBILE", "--size", "5")
    assert result.exit_code == 0, result.output
    assert "Available AU MOBILE numbers (5)" in result.stdout
    for number in expected:
        assert number["phoneNumber"] in result.stdout
    first = expected[0]
    setup = f"{first['setupPrice']['amount']} {first['setupPrice']['currencyCode']}"
    monthly = f"{first['monthlyPrice']['amount']} {first['monthlyPrice']['currencyCode']}"
    assert setup in result.stdout
    assert monthly in result.stdout
    assert "SMS, VOICE" in result.stdout


FILTERS: list[tuple[list[str], list[tuple[str, str]]]] = [
    (["--size", "3"], [("size", "3")]),
    (["--capability", "SMS"], [("capabilities", "SMS")]),
    (["--capability", "voice"], [("capabilities", "VOICE")]),
    (
        ["--capability", "SMS", "--capability", "VOICE"],
        [("capabilities", "SMS"), ("capabilities", "VOICE")],
    ),
    (
        ["--pattern", "+6141200010", "--search-pattern", "START"],
        [("numberPattern.pattern", "+6141200010"), ("numberPattern.searchPattern", "START")],
    ),
    (
        ["--pattern", "0012", "--search-pattern", "contains"],
        [("numberPattern.pattern", "0012"), ("numberPattern.searchPattern", "CONTAINS")],
    ),
    (
        ["--pattern", "7", "--search-pattern", "END", "--size", "4"],
        [("numberPattern.pattern", "7"), ("numberPattern.searchPattern", "END"), ("size", "4")],
    ),
    (["--pattern", "+6141200015"], [("numberPattern.pattern", "+6141200015")]),
    (
        [
            "--pattern",
            "+614120001",
            "--search-pattern",
            "START",
            "--capability",
            "SMS",
            "--size",
            "2",
        ],
        [
            ("numberPattern.pattern", "+614120001"),
            ("numberPattern.searchPattern", "START"),
            ("capabilities", "SMS"),
            ("size", "2"),
        ],
    ),
]


@pytest.mark.parametrize(("flags", "params"), FILTERS)
def test_filters_match_the_api(
    on_emulator: Cli, api: httpx.Client, flags: list[str], params: list[tuple[str, str]]
) -> None:
    expected = api_search(api, [("regionCode", "AU"), ("type", "MOBILE"), *params])
    assert expected, "the filter should match something in the emulator's stock"
    result = on_emulator("search", "AU", "MOBILE", *flags, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [n["phone_number"] for n in found] == [n["phoneNumber"] for n in expected]
    for number in found:
        assert set(number) == NUMBER_KEYS
    if ("capabilities", "SMS") in params:
        assert all("SMS" in n["capabilities"] for n in found)


def test_json_prices_are_snake_case(on_emulator: Cli) -> None:
    (number,) = json.loads(on_emulator("search", "SE", "TOLL_FREE", "--size", "1", "--json").stdout)
    assert set(number["setup_price"]) == {"amount", "currency_code"}
    assert number["type"] == "TOLL_FREE"
    assert number["region_code"] == "SE"


def test_no_match_is_not_an_error(on_emulator: Cli) -> None:
    result = on_emulator("search", "FR", "MOBILE")
    assert result.exit_code == 0, result.output
    assert "No available FR MOBILE numbers match." in result.stdout
    assert json.loads(on_emulator("search", "FR", "MOBILE", "--json").stdout) == []


def test_ordered_numbers_are_no_longer_listed(on_emulator: Cli, api: httpx.Client) -> None:
    first = json.loads(on_emulator("search", "AU", "LOCAL", "--size", "1", "--json").stdout)
    create_order(api, "AU", "LOCAL")
    after = json.loads(on_emulator("search", "AU", "LOCAL", "--size", "1", "--json").stdout)
    assert first[0]["phone_number"] != after[0]["phone_number"]
