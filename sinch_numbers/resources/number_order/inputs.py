"""The NumberOrder property bag: names, offline validation and normalisation.

``check`` runs everything here before any API call, so a bad input never starts an order's
reservation clock. Every failure names the property and the rule, never the value: registration data
and documents are personal data, and check failures are printed by the engine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Strict,
    TypeAdapter,
)
from pydantic_core import PydanticCustomError

from sinch_numbers.api.ids import ORDER_ID_RULE, is_order_id
from sinch_numbers.api.models import (
    Capability,
    CreateNumberOrderRequest,
    NumberOrderOption,
    NumberPattern,
    NumberType,
    QuantityOrderOption,
    SearchPattern,
    SmsConfiguration,
    VoiceConfiguration,
    region_of,
    validate_e164,
)
from sinch_numbers.core.checking import (
    STRICT_SHAPE,
    UNKNOWN,
    Checker,
    NonEmptyText,
    Rules,
    check_number_pattern,
    parse_callback_url,
    parse_capabilities,
    parse_region_code,
    parse_sms,
    parse_voice,
    validated,
)
from sinch_numbers.core.wait import MAX_COMPLETION_TIMEOUT
from sinch_numbers.kyc.files import Document, DocumentFileError
from sinch_numbers.kyc.violation import Violation
from sinch_numbers.resources.number_order.schema import (
    DEFAULT_COMPLETION_TIMEOUT as DEFAULT_COMPLETION_TIMEOUT,
)
from sinch_numbers.resources.number_order.schema import (
    INPUTS,
    SCHEMA,
    P,
)

ALL_INPUTS = INPUTS
"""Every input a program sets (the hidden ``declaration`` aside), in the declaration's order."""
DECLARATION_INPUT = P.declaration.name
"""Not an input a program sets: the resource passes which declaration this is (project, stack,
parent, resource name), since a dynamic provider's create is not told its URN. Only the record of
interrupted creates reads it (core/journal.py); diff, outputs and the rules ignore it."""
_IGNORED = ("__provider",)
"""What the engine adds to the inputs: no property."""
_QUANTITY_ONLY = (P.number_pattern, P.search_pattern, P.sequential, P.capabilities)


@dataclass(frozen=True)
class OrderInputs:
    """The inputs of one NumberOrder, parsed. Only built when nothing is unknown or invalid."""

    region_code: str
    number_type: NumberType
    phone_number: str | None = None
    quantity: int | None = None
    number_pattern: str | None = None
    search_pattern: SearchPattern | None = None
    sequential: bool | None = None
    capabilities: tuple[Capability, ...] | None = None
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None
    registration: Any = field(default=None, repr=False)
    attachments: tuple[Document, ...] = field(default=(), repr=False)
    wait_for_completion: bool = False
    completion_timeout: float = DEFAULT_COMPLETION_TIMEOUT
    release_on_destroy: bool = True
    adopt_order_id: str | None = None

    def create_request(self) -> CreateNumberOrderRequest:
        number_option = None
        quantity_option = None
        if self.phone_number is not None:
            number_option = NumberOrderOption(phone_numbers=[self.phone_number])
        else:
            quantity_option = QuantityOrderOption(
                requested_quantity=self.quantity or 1,
                number_pattern=NumberPattern(
                    pattern=self.number_pattern, search_pattern=self.search_pattern
                )
                if self.number_pattern
                else None,
                sequential=self.sequential,
                capabilities=list(self.capabilities) if self.capabilities else None,
            )
        return CreateNumberOrderRequest(
            region_code=self.region_code,
            number_type=self.number_type,
            sms_configuration=self.sms_configuration,
            voice_configuration=self.voice_configuration,
            callback_url=self.callback_url,
            number_order_option=number_option,
            quantity_order_option=quantity_option,
        )


@dataclass
class CheckedInputs:
    """The result of offline validation: normalised inputs to hand back to the engine."""

    inputs: dict[str, Any]
    failures: list[Violation]
    parsed: OrderInputs | None
    has_unknowns: bool


def _file_path(value: Any) -> str | None:
    """A path from a ``pulumi.FileAsset``, anything with a ``path``, or a plain string."""
    if isinstance(value, str):
        return value
    path = getattr(value, "path", None)
    return path if isinstance(path, str) else None


class _AttachmentInput(BaseModel):
    model_config = STRICT_SHAPE

    requirement_id: NonEmptyText
    file: Any = None
    document_type: NonEmptyText | None = None
    # Written by an earlier check into the inputs the engine stores, and handed back with them.
    sha256: Any = None
    mime_type: Any = None
    size: Any = None


def _order_quantity(value: float) -> int:
    if not math.isfinite(value) or value != int(value):
        raise PydanticCustomError("whole_number", "must be a whole number")
    if not 1 <= value <= 100:
        raise PydanticCustomError("quantity_range", "must be between 1 and 100")
    return int(value)


# The validators return the int and the members: pydantic types these adapters by their input.
_QUANTITY: TypeAdapter[Any] = TypeAdapter(
    Annotated[float, Strict(), AfterValidator(_order_quantity)]
)
_QUANTITY_RULES: Rules = {("", "float_type"): "must be a whole number"}
_ATTACHMENT_RULES: Rules = {
    ("", "model_type"): "must be an object with requirement_id and file",
    ("", "extra_forbidden"): "is not a field of an attachment",
    ("requirement_id", "*"): "is required",
    ("document_type", "*"): "must be a non-empty string",
}


def check_inputs(news: Mapping[str, Any]) -> CheckedInputs:
    """Validate and normalise the inputs without any network call."""
    c = Checker(news)
    out: dict[str, Any] = {k: v for k, v in news.items() if k not in _IGNORED}

    for key in SCHEMA.unknown_inputs(news, ignored=_IGNORED):
        c.fail(key, SCHEMA.unknown_input_rule())

    region = parse_region_code(c, P.region_code.name)
    if region is not None:
        out[P.region_code.name] = region
    number_type = c.enum(P.number_type.name, NumberType, required=True)

    phone = c.string(P.phone_number.name)
    quantity_raw = c.value(P.quantity.name)
    quantity = c.judged(P.quantity.name, _QUANTITY, _QUANTITY_RULES)
    if quantity is not None:
        out[P.quantity.name] = quantity
    adopt_order_id = c.string(P.adopt_order_id.name)
    if adopt_order_id is not None and not is_order_id(adopt_order_id):
        c.fail(P.adopt_order_id.name, f"must be a Sinch number order id: {ORDER_ID_RULE}")
        adopt_order_id = None

    quantity_given = quantity_raw is not None
    phone_given = news.get(P.phone_number.name) not in (None, "")
    if phone_given and quantity_given:
        c.fail(
            P.quantity.name,
            f"must not be set together with {P.phone_number.name}: order one or the other",
        )
    elif not phone_given and not quantity_given and adopt_order_id is None:
        c.fail(
            P.phone_number.name,
            f"exactly one of {P.phone_number.name} or {P.quantity.name} is required",
        )
    if phone is not None:
        try:
            validate_e164(phone)
        except ValueError as error:
            c.fail(P.phone_number.name, str(error))
        else:
            owner = region_of(phone)
            if region is not None and owner is not None and owner != region:
                c.fail(P.phone_number.name, f"does not belong to {P.region_code.name}")

    pattern = c.string(P.number_pattern.name)
    search_pattern = c.enum(P.search_pattern.name, SearchPattern)
    sequential = c.boolean(P.sequential.name, None)
    capabilities = parse_capabilities(c, P.capabilities.name)
    if phone_given:
        for prop in _QUANTITY_ONLY:
            if news.get(prop.name) is not None:
                c.fail(
                    prop.name,
                    f"only applies to quantity orders; remove it or use {P.quantity.name}",
                )
    check_number_pattern(c, P.number_pattern.name, pattern)
    if search_pattern is not None and pattern is None and not c.unknown:
        c.fail(P.search_pattern.name, f"needs {P.number_pattern.name}")

    sms = parse_sms(c, P.sms_configuration.name)
    voice = parse_voice(c, P.voice_configuration.name)
    callback_url = parse_callback_url(c, P.callback_url.name)

    registration = c.value(P.registration.name)
    if registration is not UNKNOWN and registration is not None:
        if not isinstance(registration, list | dict):
            c.fail(P.registration.name, "must be a list of requirement groups (or an object)")
        elif _has_non_json(registration):
            c.fail(
                P.registration.name,
                "must contain only strings, numbers, booleans, lists and objects",
            )

    attachments, as_stored = _attachments(c)
    if as_stored is not None:
        out[P.attachments.name] = as_stored

    wait = c.boolean(P.wait_for_completion.name, P.wait_for_completion.default)
    timeout = c.number(P.completion_timeout.name)
    if timeout is not None and not 0 < timeout <= MAX_COMPLETION_TIMEOUT:
        c.fail(P.completion_timeout.name, "must be between 1 second and 7 days")
        timeout = None
    release = c.boolean(P.release_on_destroy.name, P.release_on_destroy.default)
    for key, default in SCHEMA.stored_defaults.items():
        out.setdefault(key, default)

    parsed: OrderInputs | None = None
    if not c.failures and not c.unknown and number_type is not None and region is not None:
        parsed = OrderInputs(
            region_code=region,
            number_type=number_type,
            phone_number=phone,
            quantity=quantity,
            number_pattern=pattern,
            search_pattern=search_pattern,
            sequential=sequential,
            capabilities=capabilities,
            sms_configuration=sms,
            voice_configuration=voice,
            callback_url=callback_url,
            registration=registration,
            attachments=attachments,
            wait_for_completion=bool(wait),
            completion_timeout=timeout or DEFAULT_COMPLETION_TIMEOUT,
            release_on_destroy=bool(release),
            adopt_order_id=adopt_order_id,
        )
    return CheckedInputs(out, c.failures, parsed, c.unknown)


def _has_non_json(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(not isinstance(k, str) or _has_non_json(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_non_json(v) for v in value)
    return not (value is None or isinstance(value, str | int | float | bool))


def _attachments(c: Checker) -> tuple[tuple[Document, ...], list[Any] | None]:
    """The documents, read and hashed, and the attachments as the engine should store them
    (with each document's hash); None when they are not a list to store."""
    name = P.attachments.name
    value = c.value(name)
    if value is UNKNOWN or value is None:
        return (), None
    if not isinstance(value, list):
        c.fail(name, "must be a list of {requirement_id, file, document_type}")
        return (), None
    result: list[Document] = []
    normalised: list[Any] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        prop = f"{name}[{index}]"
        entry_model = validated(c, _AttachmentInput, item, prop, _ATTACHMENT_RULES)
        if not isinstance(item, Mapping):
            normalised.append(item)
            continue
        requirement_id = entry_model.requirement_id if entry_model is not None else None
        document_type = entry_model.document_type if entry_model is not None else None
        if requirement_id is not None:
            if requirement_id in seen:
                c.fail(f"{prop}.requirement_id", "is given twice; one file per requirement")
            else:
                seen.add(requirement_id)
        path = _file_path(item.get("file"))
        entry = dict(item)
        if path is None:
            c.fail(f"{prop}.file", "is required: a pulumi.FileAsset or a file path")
        else:
            try:
                document = Document.read(
                    requirement_id or "",
                    path,
                    document_type=document_type,
                    index=index,
                    base_path=name,
                )
            except DocumentFileError as error:
                c.fail(f"{prop}.file", str(error))
            else:
                if requirement_id is not None:
                    entry.update(
                        sha256=document.sha256, mime_type=document.mime_type, size=document.size
                    )
                    result.append(document)
        normalised.append(entry)
    return tuple(result), normalised
