"""Programs and emulator helpers shared by the real-engine tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pulumi

from sinch_numbers import AttachmentArgs, NumberOrder
from sinch_numbers.testing.emulator import EmulatorProcess

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "examples" / "quickstart" / "documents"
AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"

TOKEN = "POST /oauth2/token"
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
PUT_REGISTRATION = "PUT /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
GET_REGISTRATION = "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
UPLOAD = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
SUBMIT = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/submit"
GET_ORDER = "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}"
RELEASE = "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release"
PATCH_NUMBER = "PATCH /v1/projects/{projectId}/activeNumbers/{phoneNumber}"
SEARCH = "GET /v1/projects/{projectId}/availableNumbers"
# Calls that read, though some are POSTs: a token, the requirements lookup.
READS = frozenset({TOKEN, LOOKUP})


def changing_calls(stats: dict[str, int]) -> dict[str, int]:
    """The calls of ``emu.stats()`` that create or change something at Sinch."""
    return {k: v for k, v in stats.items() if not k.startswith("GET ") and k not in READS}


def au_registration(**contact: Any) -> list[Any]:
    person = {"firstName": "Alex", "lastName": "Citizen", "phoneNumber": "+61400000000"}
    person.update(contact)
    return [
        [
            {
                "senderId": "+61412000100",
                "purposeOfTheTraffic": "Appointment reminders",
                "intendedUseOfMobileNumbers": "Transactional",
                "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": True,
            }
        ],
        {
            "endBusinessName": "Example Clinic Pty Ltd",
            "endBusinessAddress": "1 Collins St",
            "city": "Melbourne",
            "state": "VIC",
            "country": "AU",
            "postalCode": "3000",
        },
        person,
    ]


def au_attachments(proof: Path | None = None, identity: Path | None = None) -> list[AttachmentArgs]:
    return [
        AttachmentArgs(
            requirement_id=AU_PROOF,
            file=pulumi.FileAsset(str(proof or DOCUMENTS / "proof-of-address.pdf")),
        ),
        AttachmentArgs(
            requirement_id=AU_IDENTITY,
            file=pulumi.FileAsset(str(identity or DOCUMENTS / "identity-document.png")),
            document_type="Passport",
        ),
    ]


class OneOrder:
    """A program with one AU MOBILE NumberOrder called ``order``; change ``inputs`` or
    ``options`` between runs. Exports the order's id, state and numbers."""

    def __init__(self, **changes: Any) -> None:
        self.inputs: dict[str, Any] = {
            "region_code": "AU",
            "number_type": "MOBILE",
            "quantity": 1,
            "sms_configuration": {"service_plan_id": "plan-one"},
            "registration": au_registration(),
            "attachments": au_attachments(),
        }
        self.inputs.update(changes)
        self.options: dict[str, Any] = {}

    def __call__(self) -> None:
        inputs = {k: v for k, v in self.inputs.items() if v is not None}
        opts = pulumi.ResourceOptions(**self.options) if self.options else None
        order = NumberOrder("order", opts=opts, **inputs)
        pulumi.export("order_id", order.order_id)
        pulumi.export("state", order.state)
        pulumi.export("phone_numbers", order.phone_numbers)


def active_number(emu: EmulatorProcess, phone_number: str) -> dict[str, Any]:
    """The active number as the API shows it (plain HTTP, not the project's client)."""
    creds = emu.credentials
    response = httpx.get(
        f"{emu.url}/v1/projects/{creds.project_id}/activeNumbers/{phone_number}",
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result
