"""Responses in every observed and documented shape parse through the client."""

from __future__ import annotations

from datetime import UTC, datetime

from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.api.models import Capability, NumberOrderState, NumberType, UploadStatus
from tests.unit.conftest import FakeSinch, reply

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
LOOKUP = "numberOrders:lookupNumberRequirements"

OBSERVED_RELEASE = {
    "phoneNumber": "+13072074530",
    "projectId": "REDACTED-PROJECT-ID",
    "displayName": "",
    "regionCode": "US",
    "type": "LOCAL",
    "capability": ["SMS", "VOICE"],
    "money": {"currencyCode": "USD", "amount": "0.50"},
    "paymentIntervalMonths": 1,
    "nextChargeDate": "2026-05-19T21:38:22.937044Z",
    "expireAt": "2026-05-19T21:38:22.937044Z",
    "smsConfiguration": {"servicePlanId": "", "scheduledProvisioning": None, "campaignId": ""},
    "voiceConfiguration": {
        "appId": "",
        "scheduledVoiceProvisioning": None,
        "lastUpdatedTime": None,
        "type": "RTC",
        "trunkId": "",
        "serviceId": "",
    },
    "callbackUrl": "",
}


def test_observed_release_response(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", "activeNumbers/+13072074530:release", reply(200, OBSERVED_RELEASE))
    number = client.release_active_number("+13072074530")
    assert number.is_released
    assert number.expire_at == datetime(2026, 5, 19, 21, 38, 22, 937044, tzinfo=UTC)
    assert number.capabilities == [Capability.SMS, Capability.VOICE]
    assert number.display_name is None
    assert number.callback_url is None
    assert number.sms_configuration is not None
    assert number.sms_configuration.service_plan_id is None
    assert number.voice_configuration is not None
    assert number.voice_configuration.app_id is None


def test_order_with_nulls_empty_ids_unknown_fields(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        reply(
            200,
            {
                "idNumberOrder": ORDER_ID,
                "state": "SOMETHING_NEW",
                "numberType": "",
                "orderNumbers": None,
                "smsConfiguration": {"servicePlanId": "", "campaignId": None},
                "voiceConfiguration": None,
                "expireTime": None,
                "createTime": "",
                "brandNewField": {"nested": True},
            },
        ),
    )
    order = client.get_number_order(ORDER_ID)
    assert order.state is NumberOrderState.UNSPECIFIED
    assert order.number_type is None
    assert order.order_numbers == []
    assert order.expire_time is None
    assert order.create_time is None


def test_order_number_capability_singular_or_plural(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    numbers = [
        {"phoneNumber": "+61411111112", "capabilities": ["SMS"]},
        {"phoneNumber": "+61411111113", "capability": ["VOICE"]},
    ]
    fake.on(
        "GET",
        f"numberOrders/{ORDER_ID}",
        reply(200, {"idNumberOrder": ORDER_ID, "state": "COMPLETED", "orderNumbers": numbers}),
    )
    order = client.get_number_order(ORDER_ID)
    assert [n.capabilities for n in order.order_numbers] == [[Capability.SMS], [Capability.VOICE]]
    assert order.state.is_final


def test_available_numbers_capability_plural_too(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on(
        "GET",
        "availableNumbers",
        reply(
            200,
            {
                "availableNumbers": [
                    {"phoneNumber": "+61411111112", "capabilities": ["SMS"], "type": "MOBILE"}
                ]
            },
        ),
    )
    [number] = client.list_available_numbers("AU", "MOBILE")
    assert number.capabilities == [Capability.SMS]
    assert number.type is NumberType.MOBILE


def test_available_numbers_null_list(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", "availableNumbers", reply(200, {"availableNumbers": None}), reply(200, {}))
    assert client.list_available_numbers("AU", "MOBILE") == []
    assert client.list_available_numbers("AU", "MOBILE") == []


def test_registration_request_details_or_data(client: SinchNumbersClient, fake: FakeSinch) -> None:
    path = f"numberOrders/{ORDER_ID}/registration"
    fake.on(
        "GET",
        path,
        reply(
            200,
            {
                "requestDetails": {"data": [{"a": 1}]},
                "attachments": [
                    {
                        "attachmentId": "att1",
                        "fileName": "proof.pdf",
                        "mimeType": "application/pdf",
                        "uploadStatus": "COMPLETED",
                        "documentType": "",
                        "createTime": "2026-02-24T06:39:55.902553Z",
                    }
                ],
                "logs": [{"message": "Please fix", "createTime": "2026-02-24T08:00:00Z"}],
            },
        ),
        reply(200, {"data": {"b": 2}, "attachments": None}),
    )
    current = client.get_registration(ORDER_ID)
    assert current.data == [{"a": 1}]
    assert current.attachments[0].upload_status is UploadStatus.COMPLETED
    assert current.attachments[0].document_type is None
    assert current.logs[0].message == "Please fix"
    older = client.get_registration(ORDER_ID)
    assert older.data == {"b": 2}
    assert older.attachments == []
    assert older.logs == []


def test_lookup_attachments_top_level(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "POST",
        LOOKUP,
        reply(
            200,
            {
                "fields": {"schema": "/schema/policySchema-v1.json", "rules": []},
                "attachments": [
                    {
                        "id": "01jxn2251d0shhamtbykft2xzx",
                        "title": "Proof",
                        "mandatory": True,
                        "template": [{"name": "t.rtf", "url": "https://example.invalid/t.rtf"}],
                        "allowedMimeTypes": ["application/pdf"],
                        "allowedDocumentTypes": None,
                    }
                ],
            },
        ),
    )
    requirements = client.lookup_number_requirements("AU", "MOBILE")
    [attachment] = requirements.attachments
    assert attachment.template[0].name == "t.rtf"
    assert attachment.allowed_mime_types == ["application/pdf"]
    assert attachment.allowed_document_types == []


def test_lookup_attachments_inside_fields(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "POST",
        LOOKUP,
        reply(
            200,
            {
                "fields": {
                    "schema": "/schema/policySchema-v1.json",
                    "rules": [{"template": {}}, {"template": {}}],
                    "attachments": [{"id": "inner", "mandatory": False}],
                }
            },
        ),
    )
    requirements = client.lookup_number_requirements("AU", "MOBILE")
    assert [a.id for a in requirements.attachments] == ["inner"]


def test_lookup_poc_shape(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("POST", LOOKUP, reply(200, {"quantityOrdersSupported": True, "fields": None}))
    requirements = client.lookup_number_requirements("AU", "MOBILE")
    assert requirements.quantity_orders_supported is True
    assert requirements.fields == {}
    assert requirements.attachments == []


def test_callback_configuration_without_secret(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on("GET", "callbackConfiguration", reply(200, {"projectId": "p", "hmacSecret": None}))
    assert client.get_callback_configuration().hmac_secret is None
