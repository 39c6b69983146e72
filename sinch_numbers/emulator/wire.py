"""JSON shapes the emulator answers with, mirroring the documented and observed live forms."""

from __future__ import annotations

from typing import Any

from sinch_numbers.emulator.clock import rfc3339
from sinch_numbers.emulator.state import ActiveNumber, Order


def order_wire(order: Order) -> dict[str, Any]:
    body: dict[str, Any] = {
        "projectId": order.project_id,
        "idNumberOrder": order.id,
        "regionCode": order.region_code,
        "state": order.state,
        "numberType": order.number_type,
        "orderNumbers": order.order_numbers,
    }
    # Null values are omitted in responses, as the API documentation says.
    if order.sms_configuration is not None:
        body["smsConfiguration"] = order.sms_configuration
    if order.voice_configuration is not None:
        body["voiceConfiguration"] = order.voice_configuration
    body["expireTime"] = rfc3339(order.expire_time)
    body["createTime"] = rfc3339(order.create_time)
    body["updateTime"] = rfc3339(order.update_time)
    return body


def registration_wire(order: Order) -> dict[str, Any]:
    return {
        "requestDetails": order.registration if order.registration is not None else {},
        "attachments": [
            {
                "attachmentId": attachment_id,
                "fileName": meta["fileName"],
                "mimeType": meta["mimeType"],
                "createTime": rfc3339(meta["createTime"]),
                "updateTime": rfc3339(meta["updateTime"]),
                "uploadStatus": "COMPLETED",
                "documentType": meta["documentType"],
            }
            for attachment_id, meta in order.attachments.items()
        ],
        "logs": [
            {"message": log["message"], "createTime": rfc3339(log["createTime"])}
            for log in order.logs
        ],
    }


def active_number_wire(number: ActiveNumber, project_id: str) -> dict[str, Any]:
    """The observed live shape: explicit nulls and empty strings for unset ids."""
    voice = number.voice_configuration
    last_updated = voice.get("lastUpdatedTime")
    return {
        "phoneNumber": number.phone_number,
        "projectId": project_id,
        "displayName": number.display_name,
        "regionCode": number.region_code,
        "type": number.number_type,
        "capability": number.capability,
        "money": number.money,
        "paymentIntervalMonths": 1,
        "nextChargeDate": rfc3339(number.next_charge_date),
        "expireAt": rfc3339(number.expire_at) if number.expire_at is not None else None,
        "smsConfiguration": {
            "servicePlanId": number.sms_configuration.get("servicePlanId", ""),
            "scheduledProvisioning": None,
            "campaignId": number.sms_configuration.get("campaignId", ""),
        },
        "voiceConfiguration": {
            "appId": voice.get("appId", ""),
            "scheduledVoiceProvisioning": None,
            "lastUpdatedTime": rfc3339(last_updated) if last_updated is not None else None,
            "type": voice.get("type", "RTC"),
            "trunkId": voice.get("trunkId", ""),
            "serviceId": voice.get("serviceId", ""),
        },
        "callbackUrl": number.callback_url,
    }
