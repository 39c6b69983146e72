"""The requirement grammar: ``NumberRequirements.fields`` read as ``docs/requirements-format.md``.

Sinch documents ``fields`` only as a "free-form JSON object". When the requirements do not fit the
assumed grammar *exactly*, the result is :class:`GrammarNotUnderstood` and nothing is guessed (see
``sinch_numbers.kyc``). Reasons name keys and positions, never values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

POLICY_SCHEMA_V1 = "/schema/policySchema-v1.json"

JsonScalar = str | bool | int | float


class FieldType(StrEnum):
    STRING = "string"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"


@dataclass(frozen=True)
class FieldDescriptor:
    """One ``template`` entry: the rules for one key of a registration group."""

    name: str
    type: FieldType
    required: bool = False
    title: str | None = None
    description: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[JsonScalar, ...] | None = None
    # None means "no const": a null const cannot match any of the four types, so the parser
    # rejects it and None is free to mean absent.
    const: JsonScalar | None = None
    compiled_pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RuleGroup:
    """One ``rules[i]``: the shape of ``requestDetails.data[i]``."""

    name: str
    template: tuple[FieldDescriptor, ...]
    title: str | None = None
    description: str | None = None
    repeatable: bool = False
    min_items: int = 1
    max_items: int | None = None

    def descriptor(self, name: str) -> FieldDescriptor | None:
        for descriptor in self.template:
            if descriptor.name == name:
                return descriptor
        return None


@dataclass(frozen=True)
class GrammarNotUnderstood:
    """Requirements outside the assumed grammar. ``reason`` names keys and positions, no values."""

    reason: str


class _NotUnderstood(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_FIELDS_KEYS = frozenset({"schema", "rules", "attachments"})
_RULE_KEYS = frozenset(
    {"name", "title", "description", "repeatable", "minItems", "maxItems", "template"}
)
_DESCRIPTOR_KEYS = frozenset(
    {
        "type",
        "required",
        "title",
        "description",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
        "const",
    }
)
_STRING_ONLY_KEYS = ("minLength", "maxLength", "pattern")


def _key_label(key: object) -> str:
    # Keys come from Sinch's response, not the user, but an unbounded one would flood a CI log.
    text = key if isinstance(key, str) else type(key).__name__
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _is_int(value: object) -> bool:
    # bool is a subclass of int; JSON's true is not the number 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_integral(value: object) -> bool:
    # JSON has one number type: 3.0 is the integer 3 (as in JSON Schema), and values that have
    # travelled through protobuf Struct (Pulumi inputs) arrive as floats.
    if _is_int(value):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def _is_number(value: object) -> bool:
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


TYPE_CHECKS: dict[FieldType, Callable[[object], bool]] = {
    FieldType.STRING: lambda value: isinstance(value, str),
    FieldType.BOOLEAN: lambda value: isinstance(value, bool),
    FieldType.INTEGER: _is_integral,
    FieldType.NUMBER: _is_number,
}


def _optional_str(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, str):
        raise _NotUnderstood(f"{where}.{key} is not a string")
    return value


def _optional_bool(obj: Mapping[str, Any], key: str, where: str) -> bool | None:
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, bool):
        raise _NotUnderstood(f"{where}.{key} is not a boolean")
    return value


def _optional_count(obj: Mapping[str, Any], key: str, where: str) -> int | None:
    if key not in obj:
        return None
    value = obj[key]
    if not _is_int(value) or value < 0:
        raise _NotUnderstood(f"{where}.{key} is not a non-negative integer")
    result: int = value
    return result


def _check_keys(obj: Mapping[Any, Any], known: frozenset[str], where: str) -> None:
    for key in obj:
        if key not in known:
            raise _NotUnderstood(f"{where} has unknown key {_key_label(key)}")


def _parse_descriptor(name: str, raw: object, where: str) -> FieldDescriptor:
    if not isinstance(raw, Mapping):
        raise _NotUnderstood(f"{where} is not an object")
    _check_keys(raw, _DESCRIPTOR_KEYS, where)
    if "type" not in raw:
        raise _NotUnderstood(f"{where} has no type")
    raw_type = raw["type"]
    if not isinstance(raw_type, str) or raw_type not in {t.value for t in FieldType}:
        raise _NotUnderstood(f"{where} has an unknown type")
    type_ = FieldType(raw_type)
    if type_ is not FieldType.STRING:
        for key in _STRING_ONLY_KEYS:
            if key in raw:
                raise _NotUnderstood(f"{where}.{key} is given for a non-string type")

    min_length = _optional_count(raw, "minLength", where)
    max_length = _optional_count(raw, "maxLength", where)
    if min_length is not None and max_length is not None and min_length > max_length:
        raise _NotUnderstood(f"{where} has minLength greater than maxLength")

    pattern = _optional_str(raw, "pattern", where)
    compiled: re.Pattern[str] | None = None
    if pattern is not None:
        try:
            compiled = re.compile(pattern)
        except (re.error, OverflowError, RecursionError, ValueError):
            raise _NotUnderstood(f"{where}.pattern is not a valid regular expression") from None

    fits_type = TYPE_CHECKS[type_]
    enum: tuple[JsonScalar, ...] | None = None
    if "enum" in raw:
        raw_enum = raw["enum"]
        if not isinstance(raw_enum, list) or not raw_enum:
            raise _NotUnderstood(f"{where}.enum is not a non-empty list")
        if not all(fits_type(value) for value in raw_enum):
            raise _NotUnderstood(f"{where}.enum holds a value that is not of the field's type")
        enum = tuple(raw_enum)

    const: JsonScalar | None = None
    if "const" in raw:
        const = raw["const"]
        if not fits_type(const):
            raise _NotUnderstood(f"{where}.const is not of the field's type")

    return FieldDescriptor(
        name=name,
        type=type_,
        required=bool(_optional_bool(raw, "required", where)),
        title=_optional_str(raw, "title", where),
        description=_optional_str(raw, "description", where),
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        enum=enum,
        const=const,
        compiled_pattern=compiled,
    )


def _parse_rule(raw: object, where: str) -> RuleGroup:
    if not isinstance(raw, Mapping):
        raise _NotUnderstood(f"{where} is not an object")
    _check_keys(raw, _RULE_KEYS, where)
    name = _optional_str(raw, "name", where)
    if name is None:
        raise _NotUnderstood(f"{where} has no name")
    repeatable = bool(_optional_bool(raw, "repeatable", where))
    min_items = _optional_count(raw, "minItems", where)
    max_items = _optional_count(raw, "maxItems", where)
    if not repeatable and (min_items is not None or max_items is not None):
        # Item counts only mean something for a list; on a single object we would be guessing.
        raise _NotUnderstood(f"{where} gives minItems/maxItems but is not repeatable")
    min_items = 1 if min_items is None else min_items
    if max_items is not None and min_items > max_items:
        raise _NotUnderstood(f"{where} has minItems greater than maxItems")

    if "template" not in raw:
        raise _NotUnderstood(f"{where} has no template")
    template = raw["template"]
    if not isinstance(template, Mapping):
        raise _NotUnderstood(f"{where}.template is not an object")
    if not template:
        # The only published example has "template": {}, and it is a skeleton with the content
        # left out, not "an object with no fields": reading it literally would reject every
        # real registration.
        raise _NotUnderstood(f"{where}.template is empty")
    descriptors: list[FieldDescriptor] = []
    for field_name, descriptor in template.items():
        if not isinstance(field_name, str) or not field_name:
            raise _NotUnderstood(f"{where}.template has a key that is not a field name")
        descriptors.append(
            _parse_descriptor(field_name, descriptor, f"{where}.template.{field_name}")
        )

    return RuleGroup(
        name=name,
        template=tuple(descriptors),
        title=_optional_str(raw, "title", where),
        description=_optional_str(raw, "description", where),
        repeatable=repeatable,
        min_items=min_items,
        max_items=max_items,
    )


@dataclass(frozen=True)
class RequirementsGrammar:
    """``NumberRequirements.fields`` read in the grammar of ``docs/requirements-format.md``."""

    SCHEMA: ClassVar[str] = POLICY_SCHEMA_V1

    rules: tuple[RuleGroup, ...]

    @classmethod
    def parse(cls, fields: object) -> RequirementsGrammar | GrammarNotUnderstood:
        """The typed grammar, or why ``fields`` does not fit it. Never raises."""
        try:
            return cls._parse(fields)
        except _NotUnderstood as exc:
            return GrammarNotUnderstood(exc.reason)

    @classmethod
    def _parse(cls, fields: object) -> RequirementsGrammar:
        if not isinstance(fields, Mapping):
            raise _NotUnderstood("fields is not an object")
        if not fields:
            raise _NotUnderstood("fields is empty")
        _check_keys(fields, _FIELDS_KEYS, "fields")
        if fields.get("schema") != cls.SCHEMA:
            raise _NotUnderstood("fields.schema is missing or not the supported policy schema")
        if "attachments" in fields and not isinstance(fields["attachments"], list):
            raise _NotUnderstood("fields.attachments is not a list")
        rules = fields.get("rules")
        if not isinstance(rules, list):
            raise _NotUnderstood("fields.rules is missing or not a list")
        if not rules:
            # Requirements that exist (no 404) but name no group are a shape we have never seen.
            raise _NotUnderstood("fields.rules is empty")
        return cls(tuple(_parse_rule(rule, f"fields.rules[{i}]") for i, rule in enumerate(rules)))
