"""The NumberOrder property bag: names, offline validation and normalisation.

``check`` runs everything here before any API call, so a bad input never starts an order's
reservation clock. Every failure names the property and the rule, never the value: registration data
and documents are personal data, and check failures are printed by the engine.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from sinch_numbers.api.ids import ORDER_ID_RULE, REGION_CODE_RULE, is_order_id, region_code
from sinch_numbers.api.models import (
    VOICE_ID_FOR_TYPE,
    Capability,
    CreateNumberOrderRequest,
    NumberOrderOption,
    NumberPattern,
    NumberType,
    QuantityOrderOption,
    SearchPattern,
    SmsConfiguration,
    VoiceApplicationType,
    VoiceConfiguration,
    region_of,
    validate_e164,
)
from sinch_numbers.kyc.files import Document, DocumentFileError
from sinch_numbers.kyc.violation import Violation, property_path

# Inputs whose change means another order: the API cannot change what was ordered.
IDENTITY_INPUTS = (
    "region_code",
    "number_type",
    "phone_number",
    "quantity",
    "number_pattern",
    "search_pattern",
    "sequential",
    "capabilities",
    "adopt_order_id",
)
CONFIGURATION_INPUTS = ("sms_configuration", "voice_configuration", "callback_url")
KYC_INPUTS = ("registration", "attachments")
STATE_ONLY_INPUTS = ("wait_for_completion", "completion_timeout", "release_on_destroy")
ALL_INPUTS = IDENTITY_INPUTS + CONFIGURATION_INPUTS + KYC_INPUTS + STATE_ONLY_INPUTS
# Not an input a program sets: the resource passes which declaration this is (project, stack,
# parent, resource name), since a dynamic provider's create is not told its URN. Only the record
# of interrupted creates reads it (order/journal.py); diff, outputs and the rules ignore it.
DECLARATION_INPUT = "declaration"

DEFAULT_COMPLETION_TIMEOUT = 3600.0
MAX_COMPLETION_TIMEOUT = 7 * 24 * 3600.0
_NUMBER_PATTERN = re.compile(r"\+?[0-9]{1,15}")


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


def is_unknown(value: Any) -> bool:
    """Whether the engine sent a value it does not know yet (preview).

    Only the Pulumi SDK makes such a value, so where the SDK was never imported (the CLI, the
    emulator) there is none, and the order logic need not import the SDK to tell.
    """
    output = sys.modules.get("pulumi.output")
    return output is not None and isinstance(value, output.Unknown)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def _file_path(value: Any) -> str | None:
    """A path from a ``pulumi.FileAsset``, anything with a ``path``, or a plain string."""
    if isinstance(value, str):
        return value
    path = getattr(value, "path", None)
    return path if isinstance(path, str) else None


# The shapes of the object inputs, as strict pydantic models: types, required keys and unknown keys
# are pydantic's to judge; what spans several keys stays in the parse functions below.
_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)
_NonEmpty = Annotated[str, Field(min_length=1)]


class _SmsInput(BaseModel):
    model_config = _STRICT

    service_plan_id: _NonEmpty
    campaign_id: str | None = None


class _VoiceInput(BaseModel):
    model_config = _STRICT

    # An enum from its value (strict would want the enum member itself).
    type: Annotated[VoiceApplicationType, Strict(False)]
    app_id: Any = None
    trunk_id: Any = None
    service_id: Any = None


class _AttachmentInput(BaseModel):
    model_config = _STRICT

    requirement_id: _NonEmpty
    file: Any = None
    document_type: _NonEmpty | None = None
    # Written by an earlier check into the inputs the engine stores, and handed back with them.
    sha256: Any = None
    mime_type: Any = None
    size: Any = None


# Our wording for pydantic's error types, by property (indexes as ``[]``; for an unknown key, the
# object holding it) or ``*`` for any property. A pydantic message is never shown: some name the
# input, and every value here may be personal data.
_RULES: dict[tuple[str, str], str] = {
    ("sms_configuration", "model_type"): "must be an object with service_plan_id",
    ("sms_configuration", "extra_forbidden"): "is not a field of sms_configuration",
    ("sms_configuration.service_plan_id", "*"): "is required",
    ("voice_configuration", "model_type"): "must be an object with type and the matching id",
    ("voice_configuration", "extra_forbidden"): "is not a field of voice_configuration",
    ("voice_configuration.type", "*"): "must be one of "
    + ", ".join(t.value for t in VoiceApplicationType),
    ("attachments[]", "model_type"): "must be an object with requirement_id and file",
    ("attachments[]", "extra_forbidden"): "is not a field of an attachment",
    ("attachments[].requirement_id", "*"): "is required",
    ("attachments[].document_type", "*"): "must be a non-empty string",
    ("quantity", "float_type"): "must be a whole number",
    ("capabilities", "list_type"): "must be a non-empty list of SMS and/or VOICE",
    ("capabilities", "too_short"): "must be a non-empty list of SMS and/or VOICE",
    ("capabilities[]", "*"): "must be SMS or VOICE",
    ("*", "missing"): "is required",
    ("*", "string_type"): "must be a string",
    ("*", "bool_type"): "must be true or false",
    ("*", "float_type"): "must be a number",
    ("*", "model_type"): "must be an object",
    ("*", "extra_forbidden"): "is not a field",
}
_INDEX = re.compile(r"\[\d+\]")


def _rule(error: ErrorDetails, path: str) -> str:
    kind = error["type"]
    where = path.rsplit(".", 1)[0] if kind == "extra_forbidden" and "." in path else path
    pattern = _INDEX.sub("[]", where)
    for key in ((pattern, kind), (pattern, "*")):
        if key in _RULES:
            return _RULES[key]
    if kind in _OWN_RULES:
        # Raised by the shapes below with our own wording, which never quotes the input.
        return error["msg"]
    return _RULES.get(("*", kind), "is not valid")


# --- the shapes of the top-level inputs ------------------------------------------------------
# Each judged by pydantic, strictly: a number is an int or a float (never a bool or a string),
# text is a str. "" counts as not given, before any of them.

_OWN_RULES = frozenset({"one_of", "whole_number", "quantity_range"})


def _one_of(enum: type[Any], rule: str | None = None) -> AfterValidator:
    allowed = ", ".join(member.value for member in enum)

    def member(value: str) -> Any:
        try:
            return enum(value)
        except ValueError:
            raise PydanticCustomError("one_of", rule or f"must be one of {allowed}") from None

    return AfterValidator(member)


def _order_quantity(value: float) -> int:
    if not math.isfinite(value) or value != int(value):
        raise PydanticCustomError("whole_number", "must be a whole number")
    if not 1 <= value <= 100:
        raise PydanticCustomError("quantity_range", "must be between 1 and 100")
    return int(value)


_TEXT: TypeAdapter[str] = TypeAdapter(Annotated[str, Strict()])
_FLAG: TypeAdapter[bool] = TypeAdapter(Annotated[bool, Strict()])
_NUMBER: TypeAdapter[float] = TypeAdapter(Annotated[float, Strict()])
# The validators return the int and the members: pydantic types these adapters by their input.
_QUANTITY: TypeAdapter[Any] = TypeAdapter(
    Annotated[float, Strict(), AfterValidator(_order_quantity)]
)
_CAPABILITIES: TypeAdapter[Any] = TypeAdapter(
    Annotated[
        list[Annotated[str, Strict(), _one_of(Capability, "must be SMS or VOICE")]],
        Field(min_length=1),
    ]
)
_ENUMS: dict[type[Any], TypeAdapter[Any]] = {}


def _enum_shape(enum: type[Any]) -> TypeAdapter[Any]:
    if enum not in _ENUMS:
        _ENUMS[enum] = TypeAdapter(Annotated[str, Strict(), _one_of(enum)])
    return _ENUMS[enum]


_Model = TypeVar("_Model", bound=BaseModel)


def validated(c: Checker, model: type[_Model], value: Any, prop: str) -> _Model | None:
    """``value`` as ``model``; each pydantic error becomes a failure at its property path.

    When only some keys fail, the model is built again without them, so the rules that span keys
    still run and one run reports all it can (as a reviewer would); None when that fails too.
    """
    try:
        return model.model_validate(value)
    except ValidationError as error:
        failed: set[Any] = set()
        for detail in error.errors(include_url=False):
            path = property_path(detail["loc"], prop)
            c.fail(path, _rule(detail, path))
            if detail["loc"]:
                failed.add(detail["loc"][0])
    if not isinstance(value, Mapping):
        return None
    try:
        return model.model_validate({k: v for k, v in value.items() if k not in failed})
    except ValidationError:
        return None


class Checker:
    """Reads one property bag and collects failures; a value unknown in preview is skipped and
    noted (``unknown``), never judged."""

    def __init__(self, news: Mapping[str, Any]) -> None:
        self.news = news
        self.failures: list[Violation] = []
        self.unknown = False

    def fail(self, prop: str, reason: str) -> None:
        self.failures.append(Violation(prop, reason))

    def value(self, key: str) -> Any:
        value = self.news.get(key)
        if contains_unknown(value):
            self.unknown = True
            return _UNKNOWN
        return value

    def judged(self, key: str, shape: TypeAdapter[_Value]) -> _Value | None:
        """The value of ``key`` in ``shape``; None when absent, unknown or failed (then each
        problem is a failure at its property path)."""
        value = self.value(key)
        if value is _UNKNOWN or value is None:
            return None
        try:
            return shape.validate_python(value)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                path = property_path(detail["loc"], key)
                self.fail(path, _rule(detail, path))
            return None

    def string(self, key: str, *, required: bool = False) -> str | None:
        blank = self.news.get(key) in (None, "")
        if blank and required:
            self.fail(key, "is required")
        return None if blank else self.judged(key, _TEXT)

    def boolean(self, key: str, default: bool | None) -> bool | None:
        value = self.judged(key, _FLAG)
        return default if value is None else value

    def number(self, key: str) -> float | None:
        return self.judged(key, _NUMBER)

    def enum(self, key: str, enum: type[Any], *, required: bool = False) -> Any:
        if self.news.get(key) in (None, ""):
            return self.string(key, required=required)
        return self.judged(key, _enum_shape(enum))


_Value = TypeVar("_Value")
_UNKNOWN = object()


def check_inputs(news: Mapping[str, Any]) -> CheckedInputs:
    """Validate and normalise the inputs without any network call."""
    c = Checker(news)
    out: dict[str, Any] = {k: v for k, v in news.items() if k != "__provider"}

    unknown_keys = sorted(set(news) - set(ALL_INPUTS) - {"__provider", DECLARATION_INPUT})
    for key in unknown_keys:
        c.fail(key, "is not an input of NumberOrder")

    region = parse_region_code(c)
    if region is not None:
        out["region_code"] = region
    number_type = c.enum("number_type", NumberType, required=True)

    phone = c.string("phone_number")
    quantity_raw = c.value("quantity")
    quantity = c.judged("quantity", _QUANTITY)
    if quantity is not None:
        out["quantity"] = quantity
    adopt_order_id = c.string("adopt_order_id")
    if adopt_order_id is not None and not is_order_id(adopt_order_id):
        c.fail("adopt_order_id", f"must be a Sinch number order id: {ORDER_ID_RULE}")
        adopt_order_id = None

    quantity_given = quantity_raw is not None
    phone_given = news.get("phone_number") not in (None, "")
    if phone_given and quantity_given:
        c.fail("quantity", "must not be set together with phone_number: order one or the other")
    elif not phone_given and not quantity_given and adopt_order_id is None:
        c.fail("phone_number", "exactly one of phone_number or quantity is required")
    if phone is not None:
        try:
            validate_e164(phone)
        except ValueError as error:
            c.fail("phone_number", str(error))
        else:
            owner = region_of(phone)
            if region is not None and owner is not None and owner != region:
                c.fail("phone_number", "does not belong to region_code")

    pattern = c.string("number_pattern")
    search_pattern = c.enum("search_pattern", SearchPattern)
    sequential = c.boolean("sequential", None)
    capabilities = parse_capabilities(c)
    if phone_given:
        for key in ("number_pattern", "search_pattern", "sequential", "capabilities"):
            if news.get(key) is not None:
                c.fail(key, "only applies to quantity orders; remove it or use quantity")
    check_number_pattern(c, "number_pattern", pattern)
    if search_pattern is not None and pattern is None and not c.unknown:
        c.fail("search_pattern", "needs number_pattern")

    sms = parse_sms(c)
    voice = parse_voice(c)
    callback_url = parse_callback_url(c)

    registration = c.value("registration")
    if registration is not _UNKNOWN and registration is not None:
        if not isinstance(registration, list | dict):
            c.fail("registration", "must be a list of requirement groups (or an object)")
        elif _has_non_json(registration):
            c.fail(
                "registration", "must contain only strings, numbers, booleans, lists and objects"
            )

    attachments = _attachments(c, out)

    wait = c.boolean("wait_for_completion", False)
    timeout = c.number("completion_timeout")
    if timeout is not None and not 0 < timeout <= MAX_COMPLETION_TIMEOUT:
        c.fail("completion_timeout", "must be between 1 second and 7 days")
        timeout = None
    release = c.boolean("release_on_destroy", True)
    out.setdefault("release_on_destroy", True)
    out.setdefault("wait_for_completion", False)

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


def parse_region_code(c: Checker) -> str | None:
    """``region_code`` in upper case, or None (a failure when it is missing or malformed)."""
    region = c.string("region_code", required=True)
    if region is None:
        return None
    code = region_code(region)
    if code is None:
        c.fail("region_code", REGION_CODE_RULE)
    return code


def check_number_pattern(c: Checker, key: str, pattern: str | None) -> None:
    """A number pattern is matched against the E.164 form, so it is digits with an optional +."""
    if pattern is not None and not _NUMBER_PATTERN.fullmatch(pattern):
        c.fail(key, "must be digits, optionally starting with '+'")


def parse_callback_url(c: Checker) -> str | None:
    """``callback_url``: https, or http for a receiver on this machine (development)."""
    callback_url = c.string("callback_url")
    if callback_url is not None:
        parts = urlsplit(callback_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            c.fail("callback_url", "must be an absolute https URL")
        elif parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
            c.fail("callback_url", "must use https (http is allowed only for localhost)")
    return callback_url


def parse_capabilities(c: Checker) -> tuple[Capability, ...] | None:
    capabilities = c.judged("capabilities", _CAPABILITIES)
    if capabilities is None:
        return None
    if len(set(capabilities)) != len(capabilities):
        c.fail("capabilities", "must not repeat a capability")
    return tuple(capabilities)


def _object_input(c: Checker, model: type[_Model], prop: str) -> _Model | None:
    """An object input (``sms_configuration``...) as its model; None when absent, unknown or
    failed (the failures are on ``c``)."""
    value = c.value(prop)
    if value is _UNKNOWN or value is None:
        return None
    return validated(c, model, value, prop)


def parse_sms(c: Checker) -> SmsConfiguration | None:
    sms = _object_input(c, _SmsInput, "sms_configuration")
    if sms is None:
        return None
    return SmsConfiguration(
        service_plan_id=sms.service_plan_id, campaign_id=sms.campaign_id or None
    )


def parse_voice(c: Checker) -> VoiceConfiguration | None:
    voice = _object_input(c, _VoiceInput, "voice_configuration")
    if voice is None:
        return None
    # Which id goes with which type is a rule across fields, so it is ours, not the model's.
    wanted = VOICE_ID_FOR_TYPE[voice.type]
    ok = True
    for name in VOICE_ID_FOR_TYPE.values():
        given = getattr(voice, name)
        if name == wanted:
            if not isinstance(given, str) or not given:
                c.fail(f"voice_configuration.{name}", f"is required for type {voice.type.value}")
                ok = False
        elif given not in (None, ""):
            c.fail(
                f"voice_configuration.{name}",
                f"does not belong to type {voice.type.value} (use {wanted})",
            )
            ok = False
    if not ok:
        return None
    return VoiceConfiguration.model_validate({"type": voice.type, wanted: getattr(voice, wanted)})


def _attachments(c: Checker, out: dict[str, Any]) -> tuple[Document, ...]:
    value = c.value("attachments")
    if value is _UNKNOWN or value is None:
        return ()
    if not isinstance(value, list):
        c.fail("attachments", "must be a list of {requirement_id, file, document_type}")
        return ()
    result: list[Document] = []
    normalised: list[Any] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        prop = f"attachments[{index}]"
        entry_model = validated(c, _AttachmentInput, item, prop)
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
                    requirement_id or "", path, document_type=document_type, index=index
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
    out["attachments"] = normalised
    return tuple(result)
