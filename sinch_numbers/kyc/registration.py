"""Registration data (``requestDetails.data``) checked against the requirement grammar."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.kyc.grammar import (
    TYPE_CHECKS,
    FieldDescriptor,
    FieldType,
    GrammarNotUnderstood,
    JsonScalar,
    RequirementsGrammar,
    RuleGroup,
)
from sinch_numbers.kyc.violation import Violation, plural

NOT_UNDERSTOOD_WARNING = (
    "the requirement format for this region is not understood; "
    "the registration will be validated by Sinch when submitted"
)

REGISTRATION_PATH = "requestDetails.data"


@dataclass(frozen=True)
class RegistrationReport:
    """The verdict on registration data.

    ``understood`` is False when the requirements do not fit the assumed grammar; then
    ``violations`` is empty (nothing was judged), ``reason`` says what did not fit, and
    ``warnings`` carries the message to show the user.
    """

    understood: bool
    violations: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None


_TYPE_RULES: dict[FieldType, str] = {
    FieldType.STRING: "must be a string",
    FieldType.BOOLEAN: "must be a boolean",
    FieldType.INTEGER: "must be an integer",
    FieldType.NUMBER: "must be a number",
}


def _items_rule(group: RuleGroup) -> str:
    low, high = group.min_items, group.max_items
    if high is None:
        return (
            "expected a list of entries"
            if low == 0
            else f"expected a list of at least {_entries(low)}"
        )
    if low == high:
        return f"expected a list of exactly {_entries(low)}"
    if low == 0:
        return f"expected a list of at most {_entries(high)}"
    return f"expected a list of {low} to {_entries(high)}"


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _const_rule(const: JsonScalar) -> str:
    if const is True:
        return "must be true"
    if const is False:
        return "must be false"
    return "must equal the required value"


# Field names in every template seen are identifier-like; a key that is not may be personal data
# typed where a field name belongs.
_SHOWABLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


def _check_value(descriptor: FieldDescriptor, value: object, path: str) -> list[Violation]:
    if not TYPE_CHECKS[descriptor.type](value):
        return [Violation(path, _TYPE_RULES[descriptor.type])]
    found: list[Violation] = []
    if isinstance(value, str):
        if descriptor.min_length is not None and len(value) < descriptor.min_length:
            found.append(
                Violation(path, f"must be at least {plural(descriptor.min_length, 'character')}")
            )
        if descriptor.max_length is not None and len(value) > descriptor.max_length:
            found.append(
                Violation(path, f"must be at most {plural(descriptor.max_length, 'character')}")
            )
        if descriptor.compiled_pattern is not None and not descriptor.compiled_pattern.fullmatch(
            value
        ):
            found.append(Violation(path, f"must match the pattern {descriptor.pattern}"))
    # After the type check, == cannot confuse True with 1: both sides are of the field's type.
    if descriptor.enum is not None and value not in descriptor.enum:
        found.append(Violation(path, "must be one of the allowed values"))
    if descriptor.const is not None and value != descriptor.const:
        found.append(Violation(path, _const_rule(descriptor.const)))
    return found


def _check_entry(group: RuleGroup, entry: object, path: str) -> list[Violation]:
    if not isinstance(entry, Mapping):
        return [Violation(path, "must be an object")]
    found: list[Violation] = []
    for descriptor in group.template:
        field_path = f"{path}.{descriptor.name}"
        value = entry.get(descriptor.name)
        if value is None:
            if descriptor.required:
                found.append(Violation(field_path, "is required"))
            continue
        found.extend(_check_value(descriptor, value, field_path))
    known = {d.name for d in group.template}
    for key in entry:
        if key in known:
            continue
        if isinstance(key, str) and _SHOWABLE_KEY.fullmatch(key):
            hint = next((d.name for d in group.template if d.name.lower() == key.lower()), None)
            rule = "unknown field" if hint is None else f"unknown field; did you mean {hint}?"
            found.append(Violation(f"{path}.{key}", rule))
        else:
            found.append(Violation(path, "has an unknown field (its name is not shown)"))
    return found


def _check_group(group: RuleGroup, value: object, path: str) -> list[Violation]:
    if not group.repeatable:
        return _check_entry(group, value, path)
    if not isinstance(value, list | tuple):
        return [Violation(path, _items_rule(group))]
    found: list[Violation] = []
    if len(value) < group.min_items or (
        group.max_items is not None and len(value) > group.max_items
    ):
        found.append(Violation(path, _items_rule(group)))
    for index, entry in enumerate(value):
        found.extend(_check_entry(group, entry, f"{path}[{index}]"))
    return found


def _check_data(grammar: RequirementsGrammar, data: object, path: str) -> list[Violation]:
    expected = _entries(len(grammar.rules))
    if data is None:
        return [Violation(path, "is required")]
    if not isinstance(data, list | tuple):
        rule = f"must be a list of {expected}, one per requirement group"
        if isinstance(data, Mapping) and "data" in data:
            rule += " (pass the list itself, not an object holding it under 'data')"
        return [Violation(path, rule)]
    found: list[Violation] = []
    if len(data) != len(grammar.rules):
        found.append(Violation(path, f"expected {expected}, one per requirement group"))
    # Groups that are present are still checked: a missing trailing group (the usual mistake)
    # should not hide the problems in the others.
    for index, (group, value) in enumerate(zip(grammar.rules, data, strict=False)):
        found.extend(_check_group(group, value, f"{path}[{index}]"))
    return found


def validate_registration(
    requirements: NumberRequirements, data: Any, *, base_path: str = REGISTRATION_PATH
) -> RegistrationReport:
    """Check a ``requestDetails.data`` payload against looked-up requirements. Never raises.

    Violations are in document order; their paths start with ``base_path``.
    """
    grammar = RequirementsGrammar.parse(requirements.fields)
    if isinstance(grammar, GrammarNotUnderstood):
        return RegistrationReport(
            understood=False, warnings=[NOT_UNDERSTOOD_WARNING], reason=grammar.reason
        )
    return RegistrationReport(understood=True, violations=_check_data(grammar, data, base_path))


def _normalised_entry(group: RuleGroup, entry: object) -> object:
    if not isinstance(entry, Mapping):
        return entry
    out = dict(entry)
    for descriptor in group.template:
        value = out.get(descriptor.name)
        # Pulumi delivers every number as a float (12 arrives as 12.0); the API wants 12.
        if descriptor.type is FieldType.INTEGER and isinstance(value, float) and value.is_integer():
            out[descriptor.name] = int(value)
    return out


def normalise_registration(requirements: NumberRequirements, data: Any) -> Any:
    """``data`` with each field in its requirement's declared type, as it must be sent.

    Only what the requirements declare is changed (integer fields given as integral floats);
    where the grammar is not understood, or the data does not fit it, it is left as it is.
    """
    grammar = RequirementsGrammar.parse(requirements.fields)
    if isinstance(grammar, GrammarNotUnderstood) or not isinstance(data, list | tuple):
        return data
    out: list[Any] = list(data)
    for index, (group, value) in enumerate(zip(grammar.rules, data, strict=False)):
        if group.repeatable and isinstance(value, list | tuple):
            out[index] = [_normalised_entry(group, entry) for entry in value]
        else:
            out[index] = _normalised_entry(group, value)
    return out
