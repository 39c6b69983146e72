"""Available-number search and the active numbers (after an order completes), incl. release."""

from __future__ import annotations

import base64
from typing import Any

from sinch_numbers.emulator import numbers_catalog as catalog
from sinch_numbers.emulator.bodies import (
    Checker,
    check_callback_url,
    check_sms_configuration,
    check_voice_configuration,
)
from sinch_numbers.emulator.errors import invalid, invalid_field, not_found
from sinch_numbers.emulator.state import ActiveNumber, EmulatorState
from sinch_numbers.emulator.wire import active_number_wire

DEFAULT_SIZE = 100
MAX_SIZE = 1000


def search_available(
    state: EmulatorState,
    region_code: str,
    number_type: str,
    capabilities: list[str],
    pattern: str | None,
    search: str | None,
    size: int | None,
) -> list[dict[str, Any]]:
    product = catalog.product(region_code, number_type)
    if product is None:
        return []
    limit = size or DEFAULT_SIZE
    taken = state.taken_numbers()
    found = []
    for index in range(catalog.STOCK_SIZE):
        phone = product.number(index)
        if phone in taken or not set(capabilities) <= set(product.capabilities(index)):
            continue
        if catalog.matches_pattern(phone, pattern, search):
            found.append(catalog.available_number(product, index))
            if len(found) >= limit:
                break
    return found


def get_available(state: EmulatorState, phone_number: str) -> dict[str, Any]:
    located = catalog.find_product(phone_number)
    if located is None or phone_number in state.taken_numbers():
        raise not_found("AvailableNumber", phone_number)
    return catalog.available_number(*located)


def _in_project(number: ActiveNumber, project_id: str | None) -> bool:
    return project_id is None or number.project_id in ("", project_id)


def get_active(
    state: EmulatorState, phone_number: str, project_id: str | None = None
) -> ActiveNumber:
    """The number; 404 when unknown, or when it is another project's than ``project_id``."""
    number = state.active.get(phone_number)
    if number is None or not _in_project(number, project_id):
        raise not_found("ActiveNumber", phone_number)
    return number


def list_active(
    state: EmulatorState,
    project_id: str,
    *,
    region_code: str | None,
    number_type: str | None,
    capabilities: list[str],
    pattern: str | None,
    search: str | None,
    page_size: int | None,
    page_token: str | None,
    order_by: str | None,
) -> dict[str, Any]:
    numbers = [
        number
        for number in state.active.values()
        if _in_project(number, project_id)
        and (region_code is None or number.region_code == region_code)
        and (number_type is None or number.number_type == number_type)
        and set(capabilities) <= set(number.capability)
        and catalog.matches_pattern(number.phone_number, pattern, search)
    ]
    if order_by == "displayName":
        numbers.sort(key=lambda n: (n.display_name, n.phone_number))
    else:
        numbers.sort(key=lambda n: n.phone_number)
    start = _decode_page_token(page_token)
    size = page_size or DEFAULT_SIZE
    page = numbers[start : start + size]
    end = start + len(page)
    return {
        "activeNumbers": [active_number_wire(n, project_id) for n in page],
        "nextPageToken": _encode_page_token(end) if end < len(numbers) else "",
        "totalSize": len(numbers),
    }


def _encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_page_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded).decode().partition(":")
        offset = int(value)
    except ValueError:
        raise invalid_field("pageToken", "is not a token this API issued") from None
    if kind != "offset" or offset < 0:
        raise invalid_field("pageToken", "is not a token this API issued")
    return offset


PATCH_KEYS = {"displayName", "smsConfiguration", "voiceConfiguration", "callbackUrl"}


def patch_active(
    state: EmulatorState, number: ActiveNumber, body: dict[str, Any], now: float
) -> None:
    check = Checker()
    check.unknown_keys(body, PATCH_KEYS)
    display_name = check.string(body, "displayName", "displayName")
    if display_name is not None and len(display_name) > 100:
        check.add("displayName", "must be at most 100 characters")
    sms = check_sms_configuration(check, body, unlink=True)
    voice = check_voice_configuration(check, body)
    check_callback_url(check, body)
    if "SMS" not in number.capability and sms:
        check.add("smsConfiguration", "is not supported by this number")
    if "VOICE" not in number.capability and voice:
        check.add("voiceConfiguration", "is not supported by this number")
    check.raise_if_any("invalid active number update")
    if not body:
        raise invalid("nothing to update", [("body", "must set at least one field")])
    if display_name is not None:
        number.display_name = display_name
    if sms is not None:
        number.sms_configuration = {**number.sms_configuration, **sms}
    if voice is not None:
        number.voice_configuration = {
            "type": voice["type"],
            "appId": voice.get("appId", ""),
            "trunkId": voice.get("trunkId", ""),
            "serviceId": voice.get("serviceId", ""),
            "lastUpdatedTime": now,
        }
    if "callbackUrl" in body and isinstance(body["callbackUrl"], str | None):
        number.callback_url = body["callbackUrl"] or ""
    state.touch()


def release(state: EmulatorState, number: ActiveNumber) -> None:
    """The live API keeps a released number until its paid period ends (observed)."""
    if number.expire_at is None:
        number.expire_at = number.next_charge_date
        state.touch()
