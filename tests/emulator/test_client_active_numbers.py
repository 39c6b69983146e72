"""The client's active-number listing against the emulator: filters and every page."""

from __future__ import annotations

import httpx
from emulator_helpers import completed_order

from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.testing.emulator import EmulatorProcess


def test_active_numbers_are_listed_across_pages(
    client: SinchNumbersClient, emulator: EmulatorProcess, api: httpx.Client
) -> None:
    completed_order(api, emulator, quantityOrderOption={"requestedQuantity": 3})
    completed_order(api, emulator, "US", "LOCAL")
    listed = client.list_active_numbers(page_size=1)
    assert len(listed) == 4
    assert len({n.phone_number for n in listed}) == 4
    australian = client.list_active_numbers(region_code="AU", number_type="MOBILE", page_size=2)
    assert [n.phone_number for n in australian] == sorted(
        n.phone_number for n in listed if n.region_code == "AU"
    )
    assert len(australian) == 3
    assert client.list_active_numbers(number_type="TOLL_FREE") == []
