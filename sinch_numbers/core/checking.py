"""What every resource's check shares: the checker of one property bag, the shapes and
wording of the shared inputs, and how a value compares to the stored one.

Every failure names the property and the rule, never the value: inputs may be personal data,
and check failures are printed by the engine.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
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

from sinch_numbers.api.ids import REGION_CODE_RULE, region_code
from sinch_numbers.api.models import (
    VOICE_ID_FOR_TYPE,
    Capability,
    SmsConfiguration,
    VoiceApplicationType,
    VoiceConfiguration,
)
from sinch_numbers.core.common_properties import RoutingProperties as _ROUTING
from sinch_numbers.kyc.violation import Violation, property_path

_NUMBER_PATTERN = re.compile(r"\+?[0-9]{1,15}")


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


# The shapes of the object inputs, as strict pydantic models: types, required keys and unknown keys
# are pydantic's to judge; what spans several keys stays in the parse functions below.
STRICT_SHAPE = ConfigDict(strict=True, extra="forbid", frozen=True)
NonEmptyText = Annotated[str, Field(min_length=1)]


class _SmsInput(BaseModel):
    model_config = STRICT_SHAPE

    service_plan_id: NonEmptyText
    campaign_id: str | None = None


class _VoiceInput(BaseModel):
    model_config = STRICT_SHAPE

    # An enum from its value (strict would want the enum member itself).
    type: Annotated[VoiceApplicationType, Strict(False)]
    app_id: Any = None
    trunk_id: Any = None
    service_id: Any = None


Rules = Mapping[tuple[str, str], str]
"""Our wording for pydantic's error types within one shape: (path inside the shape, error type)
-> rule. The path is ``""`` for the value itself, a field's name, ``[]`` for a list's items
(indexes as ``[]``; for an unknown key, the object holding it), and ``*`` stands for any error
type. A pydantic message is never shown: some name the input, and every value may be personal
data."""

_SMS_RULES: Rules = {
    ("", "model_type"): "must be an object with service_plan_id",
    ("service_plan_id", "*"): "is required",
}
_VOICE_RULES: Rules = {
    ("", "model_type"): "must be an object with type and the matching id",
    ("type", "*"): "must be one of " + ", ".join(t.value for t in VoiceApplicationType),
}
_CAPABILITIES_RULES: Rules = {
    ("", "list_type"): "must be a non-empty list of SMS and/or VOICE",
    ("", "too_short"): "must be a non-empty list of SMS and/or VOICE",
    ("[]", "*"): "must be SMS or VOICE",
}
_GENERAL_RULES = {
    "missing": "is required",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "float_type": "must be a number",
    "model_type": "must be an object",
    "extra_forbidden": "is not a field",
}
_INDEX = re.compile(r"\[\d+\]")


def _rule(error: ErrorDetails, path: str, root: str, rules: Rules) -> str:
    """The wording for one pydantic error at ``path`` of the value of ``root``."""
    kind = error["type"]
    where = path.rsplit(".", 1)[0] if kind == "extra_forbidden" and "." in path else path
    pattern = _INDEX.sub("[]", where.removeprefix(root)).removeprefix(".")
    for key in ((pattern, kind), (pattern, "*")):
        if key in rules:
            return rules[key]
    if kind in _OWN_RULES:
        # Raised by the shapes below with our own wording, which never quotes the input.
        return error["msg"]
    return _GENERAL_RULES.get(kind, "is not valid")


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


_TEXT: TypeAdapter[str] = TypeAdapter(Annotated[str, Strict()])
_FLAG: TypeAdapter[bool] = TypeAdapter(Annotated[bool, Strict()])
_NUMBER: TypeAdapter[float] = TypeAdapter(Annotated[float, Strict()])
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


def validated(
    c: Checker, model: type[_Model], value: Any, prop: str, rules: Rules | None = None
) -> _Model | None:
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
            c.fail(path, _rule(detail, path, prop, rules or {}))
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
            return UNKNOWN
        return value

    def judged(
        self, key: str, shape: TypeAdapter[_Value], rules: Rules | None = None
    ) -> _Value | None:
        """The value of ``key`` in ``shape``; None when absent, unknown or failed (then each
        problem is a failure at its property path, worded by ``rules``)."""
        value = self.value(key)
        if value is UNKNOWN or value is None:
            return None
        try:
            return shape.validate_python(value)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                path = property_path(detail["loc"], key)
                self.fail(path, _rule(detail, path, key, rules or {}))
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
UNKNOWN = object()


def parse_region_code(c: Checker, prop: str) -> str | None:
    """A region code (``prop``) in upper case, or None (a failure when it is missing or
    malformed)."""
    region = c.string(prop, required=True)
    if region is None:
        return None
    code = region_code(region)
    if code is None:
        c.fail(prop, REGION_CODE_RULE)
    return code


def check_number_pattern(c: Checker, key: str, pattern: str | None) -> None:
    """A number pattern is matched against the E.164 form, so it is digits with an optional +."""
    if pattern is not None and not _NUMBER_PATTERN.fullmatch(pattern):
        c.fail(key, "must be digits, optionally starting with '+'")


def parse_callback_url(c: Checker, prop: str = _ROUTING.callback_url.name) -> str | None:
    """A callback URL: https, or http for a receiver on this machine (development)."""
    callback_url = c.string(prop)
    if callback_url is not None:
        parts = urlsplit(callback_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            c.fail(prop, "must be an absolute https URL")
        elif parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
            c.fail(prop, "must use https (http is allowed only for localhost)")
    return callback_url


def parse_capabilities(c: Checker, prop: str) -> tuple[Capability, ...] | None:
    capabilities = c.judged(prop, _CAPABILITIES, _CAPABILITIES_RULES)
    if capabilities is None:
        return None
    if len(set(capabilities)) != len(capabilities):
        c.fail(prop, "must not repeat a capability")
    return tuple(capabilities)


def _object_input(c: Checker, model: type[_Model], prop: str, rules: Rules) -> _Model | None:
    """An object input (``sms_configuration``...) as its model; None when absent, unknown or
    failed (the failures are on ``c``)."""
    value = c.value(prop)
    if value is UNKNOWN or value is None:
        return None
    return validated(
        c, model, value, prop, {**rules, ("", "extra_forbidden"): f"is not a field of {prop}"}
    )


def parse_sms(c: Checker, prop: str = _ROUTING.sms_configuration.name) -> SmsConfiguration | None:
    sms = _object_input(c, _SmsInput, prop, _SMS_RULES)
    if sms is None:
        return None
    return SmsConfiguration(
        service_plan_id=sms.service_plan_id, campaign_id=sms.campaign_id or None
    )


def parse_voice(
    c: Checker, prop: str = _ROUTING.voice_configuration.name
) -> VoiceConfiguration | None:
    voice = _object_input(c, _VoiceInput, prop, _VOICE_RULES)
    if voice is None:
        return None
    # Which id goes with which type is a rule across fields, so it is ours, not the model's.
    wanted = VOICE_ID_FOR_TYPE[voice.type]
    ok = True
    for name in VOICE_ID_FOR_TYPE.values():
        given = getattr(voice, name)
        if name == wanted:
            if not isinstance(given, str) or not given:
                c.fail(f"{prop}.{name}", f"is required for type {voice.type.value}")
                ok = False
        elif given not in (None, ""):
            c.fail(
                f"{prop}.{name}",
                f"does not belong to type {voice.type.value} (use {wanted})",
            )
            ok = False
    if not ok:
        return None
    return VoiceConfiguration.model_validate({"type": voice.type, wanted: getattr(voice, wanted)})


def changed(old: Any, new: Any) -> bool:
    if contains_unknown(new):
        return True
    return bool(_normal(old) != _normal(new))


def _normal(value: Any) -> Any:
    """Compare as the engine stores values: numbers as floats, empty as absent."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if value == "":
        return None
    path = getattr(value, "path", None)
    if isinstance(path, str):
        return path
    return value
