"""Active numbers for the ActiveNumber and lookup tests, made the way Sinch makes them: by an order
the emulator's reviewer approves. Plain HTTP, never the project's client."""

from __future__ import annotations

from typing import Any

import httpx
import pulumi

from sinch_numbers import ActiveNumber
from sinch_numbers.testing.emulator import EmulatorProcess

TOKEN = "POST /oauth2/token"
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
SEARCH = "GET /v1/projects/{projectId}/availableNumbers"
CREATE_ORDER = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
GET_NUMBER = "GET /v1/projects/{projectId}/activeNumbers/{phoneNumber}"
PATCH_NUMBER = "PATCH /v1/projects/{projectId}/activeNumbers/{phoneNumber}"
RELEASE = "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release"

# US numbers need no KYC in the emulator, so an order of one is created, submitted and approved.
US_LOCAL = "+13075551000"
US_TOLL_FREE_VOICE_ONLY = "+18335552001"


def api_calls(stats: dict[str, int]) -> dict[str, int]:
    """The calls of ``emu.stats()`` but token requests, which depend on what the plugin cached."""
    return {k: v for k, v in stats.items() if k != TOKEN}


def _api(emu: EmulatorProcess) -> httpx.Client:
    creds = emu.credentials
    return httpx.Client(
        base_url=f"{emu.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    )


def activate(emu: EmulatorProcess, phone_number: str = US_LOCAL, **configuration: Any) -> str:
    """Make ``phone_number`` (a US LOCAL or TOLL_FREE number) active with ``configuration`` (wire
    form: ``smsConfiguration={"servicePlanId": "p"}``); the emulator's stats are reset after."""
    number_type = "TOLL_FREE" if phone_number.startswith("+1833") else "LOCAL"
    with _api(emu) as api:
        created = api.post(
            "/numberOrders:createNumberOrder",
            json={
                "regionCode": "US",
                "numberType": number_type,
                "numberOrderOption": {"phoneNumbers": [phone_number]},
                **configuration,
            },
        )
        created.raise_for_status()
        order_id = created.json()["idNumberOrder"]
        api.post(f"/numberOrders/{order_id}/submit").raise_for_status()
    emu.review(order_id, "approve")
    emu.reset_stats()
    return phone_number


def change_outside(emu: EmulatorProcess, phone_number: str, body: dict[str, Any]) -> None:
    """A PATCH made outside the stack (the Sinch dashboard, another tool); stats reset after."""
    with _api(emu) as api:
        api.patch(f"/activeNumbers/{phone_number}", json=body).raise_for_status()
    emu.reset_stats()


def release_outside(emu: EmulatorProcess, phone_number: str) -> None:
    """A release made outside the stack; stats reset after."""
    with _api(emu) as api:
        api.post(f"/activeNumbers/{phone_number}:release").raise_for_status()
    emu.reset_stats()


class OneNumber:
    """A program with one ActiveNumber called ``number``; change ``inputs`` between runs."""

    def __init__(self, phone_number: str, **inputs: Any) -> None:
        self.inputs: dict[str, Any] = {"phone_number": phone_number, **inputs}

    def __call__(self) -> None:
        number = ActiveNumber("number", **{k: v for k, v in self.inputs.items() if v is not None})
        pulumi.export("phone_number", number.phone_number)
        pulumi.export("next_charge_date", number.next_charge_date)
        pulumi.export("monthly_price", number.monthly_price)
        pulumi.export("configuration", number.configuration)
