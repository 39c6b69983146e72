"""Every endpoint: method, path, query, body, headers; parsed result."""

from __future__ import annotations

import base64
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx
import pytest

from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.api.models import (
    Capability,
    CreateNumberOrderRequest,
    NumberOrderState,
    NumberType,
    SearchPattern,
    SmsConfiguration,
    SmsConfigurationUpdate,
    UpdateActiveNumberRequest,
    VoiceConfiguration,
)
from sinch_numbers.testing.calls import CallCounter
from tests.unit.conftest import KEY_ID, KEY_SECRET, PREFIX, TOKEN, FakeSinch, reply

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
ATTACHMENT_ID = "01jxn2251d0shhamtbykft2xzx"

ORDER = {
    "projectId": "proj-0001",
    "idNumberOrder": ORDER_ID,
    "regionCode": "AU",
    "state": "CREATED",
    "numberType": "MOBILE",
    "orderNumbers": [
        {
            "phoneNumber": "+61411111112",
            "numberPrice": {
                "setupPrice": {"currencyCode": "USD", "amount": "1.00"},
                "monthlyPrice": {"currencyCode": "USD", "amount": "1.00"},
                "paymentIntervalMonths": 1,
            },
            "capabilities": ["SMS"],
        }
    ],
    "smsConfiguration": {"servicePlanId": "9f3c0d4e5a6b47c8b9d0e1f2a3b4c5d6"},
    "expireTime": "2026-03-07T16:53:00.204187Z",
    "createTime": "2026-03-05T16:53:00Z",
    "updateTime": "2026-03-05T16:53:00Z",
}

ACTIVE = {
    "phoneNumber": "+61411111112",
    "projectId": "proj-0001",
    "displayName": "",
    "regionCode": "AU",
    "type": "MOBILE",
    "capability": ["SMS"],
    "money": {"currencyCode": "USD", "amount": "1.00"},
    "paymentIntervalMonths": 1,
    "nextChargeDate": "2026-04-05T16:53:00Z",
    "expireAt": None,
    "smsConfiguration": {"servicePlanId": "plan", "scheduledProvisioning": None, "campaignId": ""},
    "voiceConfiguration": {"appId": "", "type": "RTC", "trunkId": "", "serviceId": ""},
    "callbackUrl": "",
}

REGISTRATION = {
    "requestDetails": {"data": [{"firstName": "Alex"}]},
    "attachments": [],
    "logs": [],
}


def raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.partition(b"?")[0].decode()


def test_lookup_number_requirements(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "POST",
        "numberOrders:lookupNumberRequirements",
        reply(200, {"fields": {"schema": "s"}, "attachments": [{"id": "a1", "mandatory": True}]}),
    )
    result = client.lookup_number_requirements("AU", "MOBILE")
    request = fake.last()
    assert request.method == "POST"
    assert raw_path(request) == PREFIX + "numberOrders:lookupNumberRequirements"
    assert fake.last_json() == {"regionCode": "AU", "numberType": "MOBILE"}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert result.attachments[0].id == "a1"
    assert result.attachments[0].mandatory is True


def test_list_available_numbers_query(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "GET",
        "availableNumbers",
        reply(
            200,
            {
                "availableNumbers": [
                    {"phoneNumber": "+61411111112", "regionCode": "AU", "capability": ["SMS"]}
                ]
            },
        ),
    )
    numbers = client.list_available_numbers(
        "AU",
        NumberType.MOBILE,
        capabilities=[Capability.SMS, "VOICE"],
        pattern="+614",
        search_pattern=SearchPattern.START,
        size=2,
    )
    request = fake.last()
    assert request.method == "GET"
    assert raw_path(request) == PREFIX + "availableNumbers"
    assert request.url.params.multi_items() == [
        ("regionCode", "AU"),
        ("type", "MOBILE"),
        ("capabilities", "SMS"),
        ("capabilities", "VOICE"),
        ("numberPattern.pattern", "+614"),
        ("numberPattern.searchPattern", "START"),
        ("size", "2"),
    ]
    assert b"numberPattern.pattern=%2B614" in request.url.raw_path
    assert request.content == b""
    assert [n.phone_number for n in numbers] == ["+61411111112"]
    assert numbers[0].capabilities == [Capability.SMS]


def test_list_available_numbers_minimal_query(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", "availableNumbers", reply(200, {"availableNumbers": []}))
    assert client.list_available_numbers("US", "LOCAL") == []
    assert fake.last().url.params.multi_items() == [("regionCode", "US"), ("type", "LOCAL")]


def test_list_available_numbers_rejects_unknown_enum(client: SinchNumbersClient) -> None:
    with pytest.raises(ValueError, match="SATELLITE"):
        client.list_available_numbers("US", "SATELLITE")


def test_get_available_number_keeps_plus_literal(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("GET", "availableNumbers/+61411111112", reply(200, {"phoneNumber": "+61411111112"}))
    number = client.get_available_number("+61411111112")
    assert raw_path(fake.last()) == PREFIX + "availableNumbers/+61411111112"
    assert number.phone_number == "+61411111112"


def test_create_number_order_body(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", "numberOrders:createNumberOrder", reply(200, ORDER))
    request = CreateNumberOrderRequest.model_validate(
        {
            "region_code": "AU",
            "number_type": "MOBILE",
            "sms_configuration": SmsConfiguration(service_plan_id="plan-1"),
            "callback_url": "https://hooks.example.com/sinch",
            "number_order_option": {"phone_numbers": ["+61411111112"]},
        }
    )
    order = client.create_number_order(request)
    assert fake.last().method == "POST"
    assert raw_path(fake.last()) == PREFIX + "numberOrders:createNumberOrder"
    assert fake.last_json() == {
        "regionCode": "AU",
        "numberType": "MOBILE",
        "smsConfiguration": {"servicePlanId": "plan-1"},
        "callbackUrl": "https://hooks.example.com/sinch",
        "numberOrderOption": {"phoneNumbers": ["+61411111112"]},
    }
    assert order.id_number_order == ORDER_ID
    assert order.state is NumberOrderState.CREATED
    assert order.phone_numbers == ["+61411111112"]


def test_create_quantity_order_body_has_no_nulls(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("POST", "numberOrders:createNumberOrder", reply(200, ORDER))
    request = CreateNumberOrderRequest(
        region_code="US",
        number_type=NumberType.LOCAL,
        voice_configuration=VoiceConfiguration(type="EST", trunk_id="trunk-1"),
        quantity_order_option={"requested_quantity": 3, "capabilities": ["VOICE"]},
    )
    client.create_number_order(request)
    assert fake.last_json() == {
        "regionCode": "US",
        "numberType": "LOCAL",
        "voiceConfiguration": {"type": "EST", "trunkId": "trunk-1"},
        "quantityOrderOption": {"requestedQuantity": 3, "capabilities": ["VOICE"]},
    }


def test_get_number_order(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", f"numberOrders/{ORDER_ID}", reply(200, ORDER))
    order = client.get_number_order(ORDER_ID)
    assert fake.last().method == "GET"
    assert order.region_code == "AU"


def test_order_ids_are_quoted_in_paths(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", "numberOrders/a%2Fb%3Fc%20d", reply(200, {**ORDER, "idNumberOrder": "a/b?c d"}))
    client.get_number_order("a/b?c d")
    assert raw_path(fake.last()) == PREFIX + "numberOrders/a%2Fb%3Fc%20d"
    assert fake.last().url.query == b""


def test_update_registration_put_body(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("PUT", f"numberOrders/{ORDER_ID}/registration", reply(200, REGISTRATION))
    data = [[{"senderId": "+61411111112", "optional": None}], {"city": "Melbourne"}]
    registration = client.update_registration(ORDER_ID, data)
    assert fake.last().method == "PUT"
    assert fake.last_json() == {"requestDetails": {"data": data}}
    assert registration.data == [{"firstName": "Alex"}]


def test_get_registration(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", f"numberOrders/{ORDER_ID}/registration", reply(200, REGISTRATION))
    assert client.get_registration(ORDER_ID).attachments == []


def _multipart_parts(request: httpx.Request) -> dict[str, Any]:
    content_type = request.headers["content-type"]
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + request.content
    )
    parts: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = {
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "payload": part.get_payload(decode=True),
        }
    return parts


@pytest.mark.parametrize("body", [None, {}])
def test_upload_attachment_multipart(
    client: SinchNumbersClient, fake: FakeSinch, body: Any
) -> None:
    fake.on("POST", f"numberOrders/{ORDER_ID}/attachments/{ATTACHMENT_ID}", reply(200, body))
    content = b"%PDF-1.4 fake document"
    result = client.upload_attachment(  # type: ignore[func-returns-value]
        ORDER_ID,
        ATTACHMENT_ID,
        content=content,
        file_name="proof.pdf",
        mime_type="application/pdf",
        document_type="Passport",
    )
    assert result is None
    request = fake.last()
    assert request.method == "POST"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = _multipart_parts(request)
    assert set(parts) == {"file", "documentType"}
    assert parts["file"]["filename"] == "proof.pdf"
    assert parts["file"]["content_type"] == "application/pdf"
    assert parts["file"]["payload"] == content
    assert parts["documentType"]["payload"] == b"Passport"
    assert parts["documentType"]["filename"] is None


def test_upload_attachment_without_document_type(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("POST", f"numberOrders/{ORDER_ID}/attachments/{ATTACHMENT_ID}", reply(200))
    client.upload_attachment(
        ORDER_ID, ATTACHMENT_ID, content=b"x", file_name="id.png", mime_type="image/png"
    )
    assert set(_multipart_parts(fake.last())) == {"file"}


def test_submit_has_no_body(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", f"numberOrders/{ORDER_ID}/submit", reply(200, {**ORDER, "state": "IN_REVIEW"}))
    order = client.submit_number_order(ORDER_ID)
    assert fake.last().content == b""
    assert "content-type" not in fake.last().headers
    assert order.state is NumberOrderState.IN_REVIEW


def test_get_active_number(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", "activeNumbers/+61411111112", reply(200, ACTIVE))
    number = client.get_active_number("+61411111112")
    assert number.capabilities == [Capability.SMS]
    assert number.is_released is False


def test_update_active_number_patch(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("PATCH", "activeNumbers/+61411111112", reply(200, ACTIVE))
    client.update_active_number(
        "+61411111112",
        UpdateActiveNumberRequest(
            display_name="Reception",
            sms_configuration=SmsConfigurationUpdate(service_plan_id="p2"),
        ),
    )
    assert fake.last().method == "PATCH"
    assert fake.last_json() == {
        "displayName": "Reception",
        "smsConfiguration": {"servicePlanId": "p2"},
    }


def test_release_active_number(client: SinchNumbersClient, fake: FakeSinch) -> None:
    released = {**ACTIVE, "expireAt": "2026-04-05T16:53:00Z"}
    fake.on("POST", "activeNumbers/+61411111112:release", reply(200, released))
    number = client.release_active_number("+61411111112")
    assert raw_path(fake.last()) == PREFIX + "activeNumbers/+61411111112:release"
    assert fake.last().content == b""
    assert number.is_released is True


def test_callback_configuration(client: SinchNumbersClient, fake: FakeSinch) -> None:
    secret = "a" * 32
    fake.on("GET", "callbackConfiguration", reply(200, {"projectId": "proj-0001"}))
    fake.on(
        "PATCH",
        "callbackConfiguration",
        reply(200, {"projectId": "proj-0001", "hmacSecret": secret}),
    )
    assert client.get_callback_configuration().hmac_secret is None
    updated = client.update_callback_configuration(secret)
    assert fake.last().method == "PATCH"
    assert fake.last_json() == {"hmacSecret": secret}
    assert updated.hmac_secret == secret


def test_basic_auth_header(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, calls: CallCounter
) -> None:
    client = make_client(auth_method="basic")
    fake.on("GET", f"numberOrders/{ORDER_ID}", reply(200, ORDER))
    client.get_number_order(ORDER_ID)
    expected = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    assert fake.last().headers["authorization"] == f"Basic {expected}"
    assert fake.token_requests == []
    assert calls.token_fetches == 0


def test_stats_count_requests_per_route(
    client: SinchNumbersClient, fake: FakeSinch, calls: CallCounter
) -> None:
    fake.on("GET", f"numberOrders/{ORDER_ID}", reply(200, ORDER))
    fake.on("GET", f"numberOrders/{ORDER_ID}/registration", reply(200, REGISTRATION))
    client.get_number_order(ORDER_ID)
    client.get_number_order(ORDER_ID)
    client.get_registration(ORDER_ID)
    assert calls.requests == {
        ("GET", "get_number_order"): 2,
        ("GET", "get_registration"): 1,
    }
    assert calls.token_fetches == 1
    assert sum(calls.requests.values()) == 3


def test_context_manager_closes(fake: FakeSinch) -> None:
    with SinchNumbersClient(
        project_id="p", key_id="k", key_secret="s", transport=httpx.MockTransport(fake)
    ) as client:
        assert client.project_id == "p"
    with pytest.raises(RuntimeError):
        client.get_number_order("x")
