"""KYC rules: registration data and attachment files checked against looked-up requirements.

Sinch documents ``NumberRequirements.fields`` only as a "free-form JSON object". This project
assumes the grammar in ``docs/requirements-format.md`` and validates registrations against it. When
the requirements do not fit that grammar *exactly*, the result is **not understood**: nothing is
validated, a warning says so, and Sinch validates the registration itself when it is PUT. The
validator never guesses, because both wrong answers are expensive: a false "invalid" blocks a
legitimate ``pulumi preview`` in CI over a format we merely failed to read, and a false "valid"
lets an order start its 48-hour reservation clock with data that will be rejected. A warning and
Sinch's own 400 (which the workflow fixes and PUTs again, without a new order) cost far less.

Messages name the property and the rule, never the submitted value: registration data and files
are personal data, and violations end up in CI logs. Requirement ids, titles, field names, patterns
and allowed types are configuration (Sinch's or the stack's), not personal data, and may be named.

The module is pure (no HTTP, no Pulumi); it reads files only in :func:`read_document`.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

import filetype

from sinch_numbers.api.models import NumberRequirements, RequiredAttachment

__all__ = [
    "DEFAULT_MAX_ATTACHMENT_SIZE",
    "NOT_UNDERSTOOD_WARNING",
    "POLICY_SCHEMA_V1",
    "AttachmentInput",
    "DocumentFileError",
    "FieldDescriptor",
    "FieldType",
    "GrammarNotUnderstood",
    "RegistrationReport",
    "RequirementsGrammar",
    "RuleGroup",
    "Violation",
    "content_sha256",
    "detect_mime_type",
    "normalise_registration",
    "read_document",
    "validate_attachment_files",
    "validate_attachments",
    "validate_registration",
]

POLICY_SCHEMA_V1 = "/schema/policySchema-v1.json"
DEFAULT_MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
"""Sinch publishes no limit (oversize is a 413); 5 MiB is a conservative default for scans."""

NOT_UNDERSTOOD_WARNING = (
    "the requirement format for this region is not understood; "
    "the registration will be validated by Sinch when submitted"
)

REGISTRATION_PATH = "requestDetails.data"
ATTACHMENTS_PATH = "attachments"

JsonScalar = str | bool | int | float


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``field`` is a property path, ``rule`` says what is wrong (no values)."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


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


# --- the grammar -------------------------------------------------------------------------------


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


_TYPE_CHECKS: dict[FieldType, Callable[[object], bool]] = {
    FieldType.STRING: lambda value: isinstance(value, str),
    FieldType.BOOLEAN: lambda value: isinstance(value, bool),
    FieldType.INTEGER: _is_integral,
    FieldType.NUMBER: _is_number,
}

_TYPE_RULES: dict[FieldType, str] = {
    FieldType.STRING: "must be a string",
    FieldType.BOOLEAN: "must be a boolean",
    FieldType.INTEGER: "must be an integer",
    FieldType.NUMBER: "must be a number",
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

    fits_type = _TYPE_CHECKS[type_]
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


# --- registration data -------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
    if not _TYPE_CHECKS[descriptor.type](value):
        return [Violation(path, _TYPE_RULES[descriptor.type])]
    found: list[Violation] = []
    if isinstance(value, str):
        if descriptor.min_length is not None and len(value) < descriptor.min_length:
            found.append(
                Violation(path, f"must be at least {_plural(descriptor.min_length, 'character')}")
            )
        if descriptor.max_length is not None and len(value) > descriptor.max_length:
            found.append(
                Violation(path, f"must be at most {_plural(descriptor.max_length, 'character')}")
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


# --- files -------------------------------------------------------------------------------------


def content_sha256(content: bytes) -> str:
    """Hex SHA-256 of a file's content: records what was uploaded without keeping the content."""
    return hashlib.sha256(content).hexdigest()


_MAGIC_WINDOW = 8192
_PDF_HEADER = b"%PDF-"
# Readers accept a PDF header anywhere in the first KiB (some scanners prepend junk).
_PDF_HEADER_WINDOW = 1024
# Detections that say "some bytes" rather than a type.
_UNINFORMATIVE_MIME = frozenset({"application/octet-stream"})


def detect_mime_type(content: bytes) -> str | None:
    """The MIME type of a file judged by its content (magic bytes), or None when unknown."""
    if not content:
        return None
    try:
        # filetype reads no further than this itself; slicing spares copying a large file.
        kind = filetype.guess(bytes(content[:_MAGIC_WINDOW]))
    except Exception:  # third-party matchers run on arbitrary bytes and must not fail a check
        kind = None
    if kind is not None:
        mime = str(kind.mime)
        if mime not in _UNINFORMATIVE_MIME:
            return mime
    if _PDF_HEADER in content[:_PDF_HEADER_WINDOW]:
        return "application/pdf"
    return None


# Names in allowedMimeTypes that mean the same type as what detection reports.
_MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
    "image/tif": "image/tiff",
}
# A detected type that is also a more general one (an animated PNG is a PNG).
_ALSO_SATISFIES = {"image/apng": "image/png"}


def _normalise_mime(mime: str) -> str:
    base = mime.split(";", 1)[0].strip().lower()
    return _MIME_ALIASES.get(base, base)


def _mime_allowed(detected: str, allowed: Sequence[str]) -> bool:
    candidates = {_normalise_mime(detected)}
    if (general := _ALSO_SATISFIES.get(next(iter(candidates)))) is not None:
        candidates.add(general)
    for entry in allowed:
        wanted = _normalise_mime(entry)
        if wanted in candidates or wanted == "*/*":
            return True
        if wanted.endswith("/*") and any(c.startswith(wanted[:-1]) for c in candidates):
            return True
    return False


def _size_text(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return _plural(size, "byte")


class DocumentFileError(ValueError):
    """A path that cannot be read as a document; the message is the rule, never the path."""


# Opening only reads: a FIFO must not wait for a writer, a terminal must not become ours.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _not_a_regular_file(mode: int) -> DocumentFileError:
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "a file of another kind"
    return DocumentFileError(f"must be a regular file, not {kind}")


def read_document(
    path: str | os.PathLike[str], max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE
) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes: the one way documents are read.

    Anything else is refused before a byte is read (a FIFO would block, a device never ends) with
    ``DocumentFileError``; a path that cannot be opened raises its ``OSError`` (``ValueError``
    for a NUL byte). The kind is checked on the path and again on the opened descriptor, so a
    path swapped in between is caught too, and the read stops after ``max_size + 1`` bytes
    whatever size the file reported: it may have grown since.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_a_regular_file(mode)
    too_large = DocumentFileError(f"must be at most {_size_text(max_size)}")
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise _not_a_regular_file(opened.st_mode)
        if opened.st_size > max_size:
            raise too_large
        chunks: list[bytes] = []
        received = 0
        while received <= max_size:
            chunk = os.read(descriptor, max_size + 1 - received)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
    finally:
        os.close(descriptor)
    if received > max_size:
        raise too_large
    return b"".join(chunks)


@dataclass(frozen=True)
class AttachmentInput:
    """One file to upload for a requirement. ``index`` is its position in the resource's list.

    The file name and content are personal data: they are left out of ``repr`` (which shows the
    size and a hash prefix instead) and of every violation.
    """

    requirement_id: str
    content: bytes
    file_name: str
    document_type: str | None = None
    index: int = 0

    @classmethod
    def from_path(
        cls,
        requirement_id: str,
        path: str | Path,
        *,
        document_type: str | None = None,
        index: int = 0,
        max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE,
    ) -> AttachmentInput:
        """Read a file with ``read_document``; its errors propagate to the caller."""
        file_path = Path(path)
        return cls(
            requirement_id=requirement_id,
            content=read_document(file_path, max_size),
            file_name=file_path.name,
            document_type=document_type,
            index=index,
        )

    def __repr__(self) -> str:
        return (
            f"AttachmentInput(requirement_id={self.requirement_id!r}, index={self.index}, "
            f"size={self.size}, sha256={self.sha256[:12]}...)"
        )

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return content_sha256(self.content)

    def path(self, base_path: str = ATTACHMENTS_PATH) -> str:
        return f"{base_path}[{self.index}]"


def validate_attachment_files(
    attachments: Sequence[AttachmentInput],
    *,
    max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE,
    base_path: str = ATTACHMENTS_PATH,
) -> list[Violation]:
    """The checks that need no requirements (empty file, size): usable before any lookup."""
    found: list[Violation] = []
    for attachment in attachments:
        file_path = f"{attachment.path(base_path)}.file"
        if not attachment.content:
            found.append(Violation(file_path, "must not be empty"))
        elif len(attachment.content) > max_size:
            found.append(Violation(file_path, f"must be at most {_size_text(max_size)}"))
    return found


def _check_against(
    attachment: AttachmentInput, requirement: RequiredAttachment, base_path: str
) -> list[Violation]:
    found: list[Violation] = []
    allowed_mimes = requirement.allowed_mime_types
    if attachment.content and allowed_mimes:
        allowed_text = ", ".join(allowed_mimes)
        detected = detect_mime_type(attachment.content)
        if detected is None:
            found.append(
                Violation(
                    f"{attachment.path(base_path)}.file",
                    f"file type could not be recognised; allowed: {allowed_text}",
                )
            )
        elif not _mime_allowed(detected, allowed_mimes):
            found.append(
                Violation(
                    f"{attachment.path(base_path)}.file",
                    f"file type {detected} is not allowed; allowed: {allowed_text}",
                )
            )
    allowed_documents = requirement.allowed_document_types
    if allowed_documents:
        document_path = f"{attachment.path(base_path)}.document_type"
        allowed_text = ", ".join(allowed_documents)
        if not attachment.document_type:
            found.append(Violation(document_path, f"is required; allowed: {allowed_text}"))
        elif attachment.document_type not in allowed_documents:
            found.append(
                Violation(document_path, f"must be one of the allowed values: {allowed_text}")
            )
    return found


def _requirement_label(requirement: RequiredAttachment) -> str:
    return (
        f"'{requirement.id}' ({requirement.title})" if requirement.title else f"'{requirement.id}'"
    )


def validate_attachments(
    requirements: NumberRequirements,
    attachments: Sequence[AttachmentInput],
    *,
    max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE,
    base_path: str = ATTACHMENTS_PATH,
) -> list[Violation]:
    """Check files against the looked-up attachment requirements (and the offline checks)."""
    by_id: dict[str, RequiredAttachment] = {}
    for listed in requirements.attachments:
        by_id.setdefault(listed.id, listed)

    found: list[Violation] = []
    first_use: dict[str, int] = {}
    for position, attachment in enumerate(attachments):
        found.extend(
            validate_attachment_files([attachment], max_size=max_size, base_path=base_path)
        )
        id_path = f"{attachment.path(base_path)}.requirement_id"
        requirement = by_id.get(attachment.requirement_id)
        if requirement is None:
            known = ", ".join(by_id) if by_id else "none"
            found.append(
                Violation(
                    id_path,
                    f"unknown requirement id '{attachment.requirement_id}'; known: {known}",
                )
            )
            continue
        earlier = first_use.setdefault(attachment.requirement_id, position)
        if earlier != position:
            found.append(
                Violation(
                    id_path,
                    f"duplicate requirement id '{attachment.requirement_id}' "
                    f"(also used by {attachments[earlier].path(base_path)})",
                )
            )
            continue
        found.extend(_check_against(attachment, requirement, base_path))

    for requirement in by_id.values():
        if requirement.mandatory and requirement.id not in first_use:
            found.append(
                Violation(
                    base_path,
                    f"mandatory attachment {_requirement_label(requirement)} is missing",
                )
            )
    return found
