"""Reading request bodies strictly, so malformed input gets the documented 400, never a 500."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from sinch_numbers.emulator.errors import ApiError, FieldViolation, invalid, too_large

E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
NUMBER_TYPES = ("MOBILE", "LOCAL", "TOLL_FREE")
CAPABILITIES = ("SMS", "VOICE")
SEARCH_PATTERNS = ("START", "CONTAINS", "END")
VOICE_ID_BY_TYPE = {"RTC": "appId", "EST": "trunkId", "FAX": "serviceId"}


async def json_object(request: Request, limit: int, *, allow_empty: bool = False) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > limit:
        raise too_large("body", limit)
    if not raw.strip():
        if allow_empty:
            return {}
        raise invalid("request body is required", [("body", "is required")])
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise invalid("unsupported content type", [("Content-Type", "must be application/json")])
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise invalid("request body is not valid JSON", [("body", "is not valid JSON")]) from None
    if not isinstance(value, dict):
        raise invalid("request body must be a JSON object", [("body", "must be a JSON object")])
    return value


class Checker:
    """Collects field violations; each check names the field and the rule, never the value."""

    def __init__(self) -> None:
        self.violations: list[FieldViolation] = []

    def add(self, field: str, description: str) -> None:
        self.violations.append((field, description))

    def unknown_keys(self, obj: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
        for key in obj:
            if key not in allowed:
                self.add(f"{prefix}{key}", "unknown field")

    def string(
        self, obj: dict[str, Any], key: str, field: str, *, required: bool = False
    ) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(field, "is required")
            return None
        if not isinstance(value, str):
            self.add(field, "must be a string")
            return None
        if required and not value:
            self.add(field, "must not be empty")
            return None
        return value

    def enum(
        self, obj: dict[str, Any], key: str, field: str, allowed: tuple[str, ...], *, required: bool
    ) -> str | None:
        value = self.string(obj, key, field, required=required)
        if value is not None and value not in allowed:
            self.add(field, f"must be one of {', '.join(allowed)}")
            return None
        return value

    def obj(self, parent: dict[str, Any], key: str, field: str) -> dict[str, Any] | None:
        value = parent.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(field, "must be an object")
            return None
        return value

    def raise_if_any(self, message: str) -> None:
        if self.violations:
            raise invalid(message, self.violations)


def check_callback_url(check: Checker, body: dict[str, Any], field: str = "callbackUrl") -> None:
    url = check.string(body, "callbackUrl", field)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            check.add(field, "must be an absolute http or https URL")


def check_sms_configuration(
    check: Checker, body: dict[str, Any], field: str = "smsConfiguration", *, unlink: bool = False
) -> dict[str, Any] | None:
    """``unlink`` allows "" ids, which active numbers use to detach a service plan or campaign."""
    sms = check.obj(body, "smsConfiguration", field)
    if sms is None:
        return None
    if not sms:
        check.add(field, "must not be empty; omit it instead")
        return None
    check.unknown_keys(sms, {"servicePlanId", "campaignId"}, f"{field}.")
    if unlink and sms.get("servicePlanId") is None and "campaignId" not in sms:
        check.add(f"{field}.servicePlanId", "is required")
    plan = check.string(sms, "servicePlanId", f"{field}.servicePlanId", required=not unlink)
    campaign = check.string(sms, "campaignId", f"{field}.campaignId")
    result: dict[str, Any] = {}
    if plan is not None or not unlink:
        result["servicePlanId"] = plan or ""
    if campaign is not None:
        result["campaignId"] = campaign
    return result


def check_voice_configuration(
    check: Checker, body: dict[str, Any], field: str = "voiceConfiguration"
) -> dict[str, Any] | None:
    voice = check.obj(body, "voiceConfiguration", field)
    if voice is None:
        return None
    if not voice:
        check.add(field, "must not be empty; omit it instead")
        return None
    check.unknown_keys(voice, {"type", *VOICE_ID_BY_TYPE.values()}, f"{field}.")
    kind = check.enum(voice, "type", f"{field}.type", tuple(VOICE_ID_BY_TYPE), required=True)
    if kind is None:
        return None
    id_key = VOICE_ID_BY_TYPE[kind]
    for other in VOICE_ID_BY_TYPE.values():
        if other != id_key and voice.get(other) not in (None, ""):
            check.add(f"{field}.{other}", f"is not allowed for voice type {kind}; use {id_key}")
    value = check.string(voice, id_key, f"{field}.{id_key}", required=True)
    return {"type": kind, id_key: value or ""}


def raise_unless_object(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(f"{field} must be an object", [(field, "must be an object")])
    return value


def unsupported_media(field: str, description: str) -> ApiError:
    return invalid(description, [(field, description)])
