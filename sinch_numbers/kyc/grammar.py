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
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from sinch_numbers.kyc.violation import property_path

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


# Every key of the grammar is optional except where a model says otherwise, and JSON null is never
# a value of one (a null title or const fits none of the four types), so absent and null differ:
# ``_Raw`` refuses null before the fields are read, and None below can only mean absent.
class _Raw(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_null(cls, raw: Any) -> Any:
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                if value is None:
                    raise PydanticCustomError("null", "is null", {"key": _key_label(key)})
        return raw


_Count = Annotated[int, Field(ge=0)]
_FieldName = Annotated[str, Field(min_length=1)]


class _RawDescriptor(_Raw):
    type: Literal["string", "boolean", "integer", "number"]
    required: bool = False
    title: str | None = None
    description: str | None = None
    min_length: _Count | None = Field(None, alias="minLength")
    max_length: _Count | None = Field(None, alias="maxLength")
    pattern: str | None = None
    enum: Annotated[list[Any], Field(min_length=1)] | None = None
    const: Any = None

    @model_validator(mode="after")
    def _consistent(self) -> _RawDescriptor:
        kind = FieldType(self.type)
        if kind is not FieldType.STRING:
            for given, key in ((self.min_length, "minLength"), (self.max_length, "maxLength")):
                if given is not None:
                    raise ValueError(f"has {key} for a non-string type")
            if self.pattern is not None:
                raise ValueError("has pattern for a non-string type")
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):
            raise ValueError("has minLength greater than maxLength")
        fits_type = TYPE_CHECKS[kind]
        if self.enum is not None and not all(fits_type(value) for value in self.enum):
            raise ValueError("has an enum value that is not of the field's type")
        if self.const is not None and not fits_type(self.const):
            raise ValueError("has a const that is not of the field's type")
        return self

    def descriptor(self, name: str) -> FieldDescriptor:
        compiled: re.Pattern[str] | None = None
        if self.pattern is not None:
            compiled = re.compile(self.pattern)
        return FieldDescriptor(
            name=name,
            type=FieldType(self.type),
            required=self.required,
            title=self.title,
            description=self.description,
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self.pattern,
            enum=tuple(self.enum) if self.enum is not None else None,
            const=self.const,
            compiled_pattern=compiled,
        )

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, OverflowError, RecursionError, ValueError):
                raise ValueError("is not a valid regular expression") from None
        return pattern


class _RawRule(_Raw):
    name: str
    title: str | None = None
    description: str | None = None
    repeatable: bool = False
    min_items: _Count | None = Field(None, alias="minItems")
    max_items: _Count | None = Field(None, alias="maxItems")
    # The only published example has "template": {}, and it is a skeleton with the content left
    # out, not "an object with no fields": reading it literally would reject every registration.
    template: Annotated[dict[_FieldName, _RawDescriptor], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> _RawRule:
        if not self.repeatable and (self.min_items is not None or self.max_items is not None):
            # Item counts only mean something for a list; on a single object we would be guessing.
            raise ValueError("has minItems/maxItems but is not repeatable")
        if self.max_items is not None and self._min_items > self.max_items:
            raise ValueError("has minItems greater than maxItems")
        return self

    @property
    def _min_items(self) -> int:
        return 1 if self.min_items is None else self.min_items

    def group(self) -> RuleGroup:
        return RuleGroup(
            name=self.name,
            template=tuple(raw.descriptor(name) for name, raw in self.template.items()),
            title=self.title,
            description=self.description,
            repeatable=self.repeatable,
            min_items=self._min_items,
            max_items=self.max_items,
        )


class _RawFields(_Raw):
    schema_: str = Field(alias="schema")
    # Requirements that exist (no 404) but name no group are a shape we have never seen.
    rules: Annotated[list[_RawRule], Field(min_length=1)]
    attachments: list[Any] | None = None

    @field_validator("schema_")
    @classmethod
    def _supported(cls, schema: str) -> str:
        if schema != POLICY_SCHEMA_V1:
            raise ValueError(_UNSUPPORTED_SCHEMA)
        return schema


# What each pydantic error type means in a reason; the value itself (``input``) is never read.
_REASONS: dict[str, str] = {
    "model_type": "is not an object",
    "dict_type": "is not an object",
    "list_type": "is not a list",
    "string_type": "is not a string",
    "bool_type": "is not a boolean",
    "int_type": "is not a non-negative integer",
    "greater_than_equal": "is not a non-negative integer",
    "literal_error": "is not a value the grammar knows",
    "too_short": "is empty",
    "string_too_short": "is not a field name",
}
_UNSUPPORTED_SCHEMA = "is missing or not the supported policy schema"
# Where a key's own wording says more than the type's.
_REASONS_AT: dict[tuple[str, str], str] = {
    ("type", "literal_error"): "is an unknown type",
    ("schema", "missing"): _UNSUPPORTED_SCHEMA,
    ("schema", "string_type"): _UNSUPPORTED_SCHEMA,
    ("enum", "too_short"): "is not a non-empty list",
}


def _reason(error: ErrorDetails) -> str:
    loc = list(error["loc"])
    kind = error["type"]
    last = str(loc[-1]) if loc else ""
    if (last, kind) in _REASONS_AT:
        return f"{property_path(loc, 'fields')} {_REASONS_AT[last, kind]}"
    if kind == "extra_forbidden":
        return f"{property_path(loc[:-1], 'fields')} has unknown key {_key_label(loc[-1])}"
    if kind == "missing":
        return f"{property_path(loc[:-1], 'fields')} has no {last}"
    if last == "[key]":
        return f"{property_path(loc[:-2], 'fields')} has a key that is not a field name"
    where = property_path(loc, "fields")
    if kind == "null":
        return f"{where} has a null value at key {error.get('ctx', {}).get('key', '')}"
    if kind == "value_error":
        # Our own validators' rules: ctx holds the exception, whose text names no value.
        return f"{where} {error.get('ctx', {}).get('error', '')}"
    return f"{where} {_REASONS.get(kind, 'does not fit the grammar')}"


@dataclass(frozen=True)
class RequirementsGrammar:
    """``NumberRequirements.fields`` read in the grammar of ``docs/requirements-format.md``."""

    rules: tuple[RuleGroup, ...]

    @classmethod
    def parse(cls, fields: object) -> RequirementsGrammar | GrammarNotUnderstood:
        """The typed grammar, or why ``fields`` does not fit it. Never raises."""
        if isinstance(fields, Mapping) and not fields:
            return GrammarNotUnderstood("fields is empty")
        try:
            raw = _RawFields.model_validate(fields)
        except ValidationError as error:
            return GrammarNotUnderstood(_reason(error.errors(include_url=False)[0]))
        return cls(tuple(rule.group() for rule in raw.rules))
