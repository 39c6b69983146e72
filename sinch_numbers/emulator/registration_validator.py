"""Validates a registration ``data`` payload against rules (see docs/requirements-format.md).

Violations name the field path and the rule broken, never the submitted value: registrations hold
personal data and error bodies end up in logs.
"""

from __future__ import annotations

import re
from typing import Any

from sinch_numbers.emulator.errors import FieldViolation


def validate_registration(
    rules: list[dict[str, Any]], data: Any, path: str
) -> list[FieldViolation]:
    count = len(rules)
    if not isinstance(data, list):
        return [(path, f"must be a list of {count} entries, one per requirement rule")]
    violations: list[FieldViolation] = []
    if len(data) != count:
        violations.append((path, f"must be a list of {count} entries, one per requirement rule"))
    for index, (rule, entry) in enumerate(zip(rules, data, strict=False)):
        violations.extend(_validate_rule(rule, entry, f"{path}[{index}]"))
    return violations


def _validate_rule(rule: dict[str, Any], entry: Any, path: str) -> list[FieldViolation]:
    template: dict[str, Any] = rule.get("template", {})
    if not rule.get("repeatable", False):
        return _validate_object(template, entry, path)
    low = int(rule.get("minItems", 1))
    high = rule.get("maxItems")
    bounds = f"{low} to {high}" if high is not None else f"at least {low}"
    if not isinstance(entry, list) or len(entry) < low or (high is not None and len(entry) > high):
        return [(path, f"expected a list of {bounds} entries")]
    violations: list[FieldViolation] = []
    for index, item in enumerate(entry):
        violations.extend(_validate_object(template, item, f"{path}[{index}]"))
    return violations


def _validate_object(template: dict[str, Any], entry: Any, path: str) -> list[FieldViolation]:
    if not isinstance(entry, dict):
        return [(path, "must be an object")]
    violations: list[FieldViolation] = [
        (f"{path}.{key}", "unknown field") for key in entry if key not in template
    ]
    for name, descriptor in template.items():
        value = entry.get(name)
        field = f"{path}.{name}"
        if value is None:
            if descriptor.get("required", False):
                violations.append((field, "is required"))
            continue
        problem = _check_value(descriptor, value)
        if problem:
            violations.append((field, problem))
    return violations


def _check_value(descriptor: dict[str, Any], value: Any) -> str | None:
    kind = descriptor.get("type")
    if kind == "string" and not isinstance(value, str):
        return "must be a string"
    if kind == "boolean" and not isinstance(value, bool):
        return "must be a boolean"
    if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "must be an integer"
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "must be a number"
    if isinstance(value, str):
        if "minLength" in descriptor and len(value) < descriptor["minLength"]:
            return f"must be at least {descriptor['minLength']} characters"
        if "maxLength" in descriptor and len(value) > descriptor["maxLength"]:
            return f"must be at most {descriptor['maxLength']} characters"
        pattern = descriptor.get("pattern")
        if pattern is not None and re.fullmatch(pattern, value) is None:
            return f"must match the pattern {pattern}"
    if "enum" in descriptor and value not in descriptor["enum"]:
        return "must be one of the allowed values"
    if "const" in descriptor and (
        value != descriptor["const"] or type(value) is not type(descriptor["const"])
    ):
        return "must be true" if descriptor["const"] is True else "must equal the required value"
    return None
