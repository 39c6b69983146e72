"""Number orders: creation, registration, attachments, submit and review, on the shared state."""

from __future__ import annotations

import hashlib
from typing import Any

import filetype

from sinch_numbers.emulator import numbers_catalog as catalog
from sinch_numbers.emulator.bodies import (
    CAPABILITIES,
    E164,
    NUMBER_TYPES,
    SEARCH_PATTERNS,
    Checker,
    check_callback_url,
    check_sms_configuration,
    check_voice_configuration,
)
from sinch_numbers.emulator.clock import new_id, rfc3339
from sinch_numbers.emulator.errors import (
    failed_precondition,
    invalid,
    invalid_field,
    not_found,
    too_large,
)
from sinch_numbers.emulator.registration_validator import validate_registration
from sinch_numbers.emulator.requirements_catalog import requirements_for
from sinch_numbers.emulator.state import EmulatorState, Order

EDITABLE_STATES = ("CREATED", "BLOCKED")
ORDER_KEYS = {
    "regionCode",
    "numberType",
    "smsConfiguration",
    "voiceConfiguration",
    "callbackUrl",
    "numberOrderOption",
    "quantityOrderOption",
}


def get_order(state: EmulatorState, order_id: str, project_id: str | None = None) -> Order:
    """The order; 404 when unknown, or when it belongs to another project than ``project_id``."""
    order = state.orders.get(order_id)
    if order is None or project_id not in (None, order.project_id):
        raise not_found("NumberOrder", order_id, "Number order not found", "Number order not found")
    return order


def create_order(state: EmulatorState, body: dict[str, Any], project_id: str, now: float) -> Order:
    check = Checker()
    check.unknown_keys(body, ORDER_KEYS)
    region = check.string(body, "regionCode", "regionCode", required=True)
    if region is not None and not (len(region) == 2 and region.isalpha() and region.isupper()):
        check.add("regionCode", "must be an ISO 3166-1 alpha-2 region code")
        region = None
    number_type = check.enum(body, "numberType", "numberType", NUMBER_TYPES, required=True)
    sms = check_sms_configuration(check, body)
    voice = check_voice_configuration(check, body)
    check_callback_url(check, body)
    specific = check.obj(body, "numberOrderOption", "numberOrderOption")
    quantity = check.obj(body, "quantityOrderOption", "quantityOrderOption")
    # Explicit nulls count as absent: the API documents null and omitted as the same.
    has_specific = body.get("numberOrderOption") is not None
    has_quantity = body.get("quantityOrderOption") is not None
    if has_specific and has_quantity:
        check.add("quantityOrderOption", "must not be set together with numberOrderOption")
    elif not has_specific and not has_quantity:
        check.add("numberOrderOption", "exactly one of numberOrderOption or quantityOrderOption")
    phone = _check_specific(check, specific) if specific is not None else None
    criteria = _check_quantity(check, quantity) if quantity is not None else None
    check.raise_if_any("invalid number order request")
    assert region is not None
    assert number_type is not None

    wanted = set()
    if sms is not None:
        wanted.add("SMS")
    if voice is not None:
        wanted.add("VOICE")
    product = catalog.product(region, number_type)
    taken = state.taken_numbers()
    if phone is not None:
        field = "numberOrderOption.phoneNumbers[0]"
        located = catalog.find_product(phone)
        if product is None or located is None or located[0] is not product or phone in taken:
            raise invalid(
                "Phone number is not available",
                [(field, "is not available for this region and number type")],
            )
        missing = wanted - set(product.capabilities(located[1]))
        if missing:
            key = "smsConfiguration" if "SMS" in missing else "voiceConfiguration"
            raise invalid_field(key, f"is not supported by the number ({', '.join(missing)})")
        indexes = [located[1]]
    else:
        assert criteria is not None
        indexes = _pick(product, taken, criteria, wanted)
    assert product is not None
    order = Order(
        id=new_id(now),
        project_id=project_id,
        region_code=region,
        number_type=number_type,
        state="CREATED",
        order_numbers=[catalog.order_number(product, index) for index in indexes],
        sms_configuration=sms,
        voice_configuration=voice,
        callback_url=body.get("callbackUrl") or None,
        create_time=now,
        update_time=now,
        expire_time=now + state.settings.reservation_seconds,
    )
    state.orders[order.id] = order
    state.touch()
    return order


def _check_specific(check: Checker, option: dict[str, Any]) -> str | None:
    check.unknown_keys(option, {"phoneNumbers"}, "numberOrderOption.")
    numbers = option.get("phoneNumbers")
    field = "numberOrderOption.phoneNumbers"
    if not isinstance(numbers, list) or len(numbers) != 1:
        check.add(field, "must contain exactly one phone number")
        return None
    if not isinstance(numbers[0], str) or not E164.match(numbers[0]):
        check.add(f"{field}[0]", "must be an E.164 phone number with a leading +")
        return None
    return numbers[0]


def _check_quantity(check: Checker, option: dict[str, Any]) -> dict[str, Any] | None:
    prefix = "quantityOrderOption."
    check.unknown_keys(
        option, {"requestedQuantity", "numberPattern", "sequential", "capabilities"}, prefix
    )
    count = option.get("requestedQuantity")
    if count is None:
        check.add(f"{prefix}requestedQuantity", "is required")
    elif isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
        check.add(f"{prefix}requestedQuantity", "must be an integer from 1 to 100")
        count = None
    pattern = check.obj(option, "numberPattern", f"{prefix}numberPattern") or {}
    check.unknown_keys(pattern, {"pattern", "searchPattern"}, f"{prefix}numberPattern.")
    text = check.string(pattern, "pattern", f"{prefix}numberPattern.pattern")
    search = check.enum(
        pattern,
        "searchPattern",
        f"{prefix}numberPattern.searchPattern",
        SEARCH_PATTERNS,
        required=False,
    )
    sequential = option.get("sequential", False)
    if not isinstance(sequential, bool):
        check.add(f"{prefix}sequential", "must be a boolean")
    capabilities = option.get("capabilities", [])
    if not isinstance(capabilities, list) or any(c not in CAPABILITIES for c in capabilities):
        check.add(f"{prefix}capabilities", "must be a list of SMS and VOICE")
        capabilities = []
    if count is None:
        return None
    return {
        "count": count,
        "pattern": text,
        "search": search,
        "sequential": sequential is True,
        "capabilities": set(capabilities),
    }


def _pick(
    product: catalog.Product | None, taken: set[str], criteria: dict[str, Any], wanted: set[str]
) -> list[int]:
    field = "quantityOrderOption.requestedQuantity"
    count: int = criteria["count"]
    needed = criteria["capabilities"] | wanted
    matching: list[int] = []
    if product is not None:
        for index in range(catalog.STOCK_SIZE):
            phone = product.number(index)
            if (
                phone not in taken
                and needed <= set(product.capabilities(index))
                and catalog.matches_pattern(phone, criteria["pattern"], criteria["search"])
            ):
                matching.append(index)
    if criteria["sequential"]:
        run: list[int] = []
        for index in matching:
            run = [*run, index] if run and run[-1] == index - 1 else [index]
            if len(run) == count:
                return run
        raise invalid(
            "Not enough numbers available",
            [(field, f"no run of {count} consecutive matching numbers is available")],
        )
    if len(matching) < count:
        raise invalid(
            "Not enough numbers available",
            [(field, f"only {len(matching)} matching numbers are available")],
        )
    return matching[:count]


def _require_editable(order: Order, action: str) -> None:
    if order.state == "EXPIRED":
        raise failed_precondition(
            f"Cannot {action}: the order expired at {rfc3339(order.expire_time)}; "
            "create a new order"
        )
    if order.state not in EDITABLE_STATES:
        raise failed_precondition(
            f"Cannot {action} while the order is {order.state}; "
            "only CREATED and BLOCKED orders accept changes"
        )


def put_registration(state: EmulatorState, order: Order, body: dict[str, Any], now: float) -> None:
    _require_editable(order, "update the registration")
    if "requestDetails" in body:
        prefix = "requestDetails"
        details = body["requestDetails"]
        if not isinstance(details, dict):
            raise invalid_field("requestDetails", "must be an object")
        unknown = [key for key in body if key != "requestDetails"]
    elif "data" in body:
        # The older documented form {"data": ...}; violations then name "data[...]" paths.
        prefix, details, unknown = "", body, []
    else:
        raise invalid_field("requestDetails", "is required")
    check = Checker()
    for key in unknown:
        check.add(key, "unknown field")
    check.unknown_keys(details, {"data"}, f"{prefix}." if prefix else "")
    data_path = f"{prefix}.data" if prefix else "data"
    requirements = requirements_for(order.region_code, order.number_type)
    if "data" not in details:
        check.add(data_path, "is required")
    elif requirements is not None:
        check.violations.extend(
            validate_registration(requirements.rules, details["data"], data_path)
        )
    check.raise_if_any("registration validation failed")
    order.registration = {"data": details["data"]}
    order.update_time = now
    state.touch()


def upload_attachment(
    state: EmulatorState,
    order: Order,
    attachment_id: str,
    *,
    file_name: str,
    content: bytes,
    document_type: str | None,
    now: float,
) -> None:
    requirement = check_upload_target(order, attachment_id)
    limit = state.settings.max_upload_bytes
    if len(content) > limit:
        raise too_large(file_name or "file", limit)
    if not content:
        raise invalid_field("file", "must not be empty")
    mime = detect_mime(content)
    allowed = requirement["allowedMimeTypes"]
    if allowed and mime not in allowed:
        raise invalid_field(
            "file", f"content is not of an allowed type ({', '.join(allowed)}); judged by content"
        )
    documents = requirement["allowedDocumentTypes"]
    if documents and document_type is None:
        raise invalid_field("documentType", f"is required: one of {', '.join(documents)}")
    if documents and document_type not in documents:
        raise invalid_field("documentType", f"must be one of {', '.join(documents)}")
    previous = order.attachments.get(attachment_id)
    order.attachments[attachment_id] = {
        "fileName": file_name,
        "mimeType": mime,
        "documentType": document_type or "",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "createTime": previous["createTime"] if previous else now,
        "updateTime": now,
    }
    order.update_time = now
    state.touch()


def check_upload_target(order: Order, attachment_id: str) -> dict[str, Any]:
    """The checks that need no file, run before the multipart body is read."""
    requirements = requirements_for(order.region_code, order.number_type)
    requirement = requirements.attachment(attachment_id) if requirements else None
    if requirement is None:
        raise not_found(
            "Attachment", attachment_id, "Attachment not found", "No such attachment requirement"
        )
    _require_editable(order, "upload an attachment")
    return requirement


def detect_mime(content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    guessed = filetype.guess_mime(content[:8192])
    return str(guessed) if guessed else "application/octet-stream"


def submit(state: EmulatorState, order: Order, now: float) -> None:
    _require_editable(order, "submit")
    requirements = requirements_for(order.region_code, order.number_type)
    if requirements is not None:
        check = Checker()
        if order.registration is None:
            check.add("requestDetails", "registration is missing; PUT the registration first")
        for requirement in requirements.attachments:
            if requirement["mandatory"] and requirement["id"] not in order.attachments:
                check.add(
                    f"attachments.{requirement['id']}",
                    f"mandatory attachment '{requirement['title']}' has not been uploaded",
                )
        check.raise_if_any("the order is not ready to be submitted")
    state.transition(order, "IN_REVIEW", now)
    if state.settings.review_policy == "auto":
        order.review_due = now + state.settings.review_delay_seconds


REVIEW_OUTCOMES = {"approve": "COMPLETED", "reject": "REJECTED", "block": "BLOCKED"}
DEFAULT_REVIEW_MESSAGES = {
    "reject": "The registration was rejected by the reviewer.",
    "block": "More information is needed: please update the registration and submit again.",
}


def review(
    state: EmulatorState, order: Order, outcome: str, message: str | None, now: float
) -> None:
    if outcome not in REVIEW_OUTCOMES:
        raise invalid_field("outcome", "must be one of approve, reject, block")
    if order.state != "IN_REVIEW":
        raise failed_precondition(
            f"Only IN_REVIEW orders can be reviewed; this one is {order.state}"
        )
    log = message or DEFAULT_REVIEW_MESSAGES.get(outcome)
    state.transition(order, REVIEW_OUTCOMES[outcome], now, log=log)
