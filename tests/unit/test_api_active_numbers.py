"""Listing active numbers: filters on the query, every page followed, and a looping server."""

from __future__ import annotations

from typing import Any

import pytest

from sinch_numbers.api import SinchNumbersClient, UnexpectedResponseError
from sinch_numbers.api.models import Capability, NumberType
from tests.unit.conftest import PREFIX, FakeSinch, reply


def active(phone_number: str, **changes: Any) -> dict[str, Any]:
    number: dict[str, Any] = {
        "phoneNumber": phone_number,
        "regionCode": "AU",
        "type": "MOBILE",
        "capability": ["SMS"],
        "money": {"currencyCode": "USD", "amount": "1.00"},
        "nextChargeDate": "2026-04-05T16:53:00Z",
        "expireAt": None,
    }
    number.update(changes)
    return number


def page(numbers: list[dict[str, Any]], token: str | None, total: int = 3) -> Any:
    return reply(200, {"activeNumbers": numbers, "nextPageToken": token, "totalSize": total})


def test_every_page_is_followed(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "GET",
        "activeNumbers",
        page([active("+61411111111"), active("+61411111112")], "page-2"),
        page([active("+61411111113", expireAt="2026-04-05T16:53:00Z")], ""),
    )
    numbers = client.list_active_numbers(
        region_code="AU", number_type=NumberType.MOBILE, capabilities=["SMS"], page_size=2
    )
    assert [n.phone_number for n in numbers] == ["+61411111111", "+61411111112", "+61411111113"]
    assert [n.is_released for n in numbers] == [False, False, True]
    first, second = fake.api_requests
    assert first.url.raw_path.partition(b"?")[0].decode() == PREFIX + "activeNumbers"
    filters = [("regionCode", "AU"), ("type", "MOBILE"), ("capability", "SMS"), ("pageSize", "2")]
    assert first.url.params.multi_items() == filters
    assert second.url.params.multi_items() == [*filters, ("pageToken", "page-2")]


def test_no_filters_and_a_null_token_end_the_listing(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("GET", "activeNumbers", reply(200, {"activeNumbers": None, "nextPageToken": None}))
    assert client.list_active_numbers() == []
    assert fake.last().url.params.multi_items() == []


def test_capabilities_repeat_and_unknown_enums_are_refused(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("GET", "activeNumbers", page([], ""))
    client.list_active_numbers(capabilities=[Capability.SMS, "VOICE"])
    assert fake.last().url.params.multi_items() == [("capability", "SMS"), ("capability", "VOICE")]
    with pytest.raises(ValueError, match="SATELLITE"):
        client.list_active_numbers(number_type="SATELLITE")


def test_a_repeated_page_token_stops_the_listing(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on(
        "GET",
        "activeNumbers",
        page([active("+61411111111")], "a"),
        page([active("+61411111112")], "b"),
        page([active("+61411111111")], "a"),
    )
    with pytest.raises(UnexpectedResponseError, match="repeated a page token"):
        client.list_active_numbers()
    assert len(fake.api_requests) == 3
