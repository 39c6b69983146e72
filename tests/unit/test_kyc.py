"""KYC rules: the requirement grammar, registration data, attachment files."""

from __future__ import annotations

import hashlib
import math
import os
import struct
import zlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.kyc import (
    DEFAULT_MAX_ATTACHMENT_SIZE,
    NOT_UNDERSTOOD_WARNING,
    Document,
    DocumentFileError,
    RegistrationReport,
    Violation,
    content_sha256,
    detect_mime_type,
    validate_attachments,
    validate_registration,
)
from sinch_numbers.kyc.grammar import (
    POLICY_SCHEMA_V1,
    FieldDescriptor,
    FieldType,
    GrammarNotUnderstood,
    RequirementsGrammar,
    RuleGroup,
)

# --- real (tiny) files -------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def make_png() -> bytes:
    """A valid 1x1 greyscale PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def make_jpeg() -> bytes:
    """SOI, a JFIF APP0 segment, EOI: what every magic-byte reader looks at."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def make_pdf(extra: bytes = b"") -> bytes:
    """A structurally complete one-page PDF (header, objects, xref, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out) + extra


PNG = make_png()
JPEG = make_jpeg()
PDF = make_pdf()
UNKNOWN_BYTES = b"just some text, not a document format\n"


# --- helpers -----------------------------------------------------------------------------------


def requirements(
    rules: Any,
    *,
    schema: Any = POLICY_SCHEMA_V1,
    attachments: list[dict[str, Any]] | None = None,
) -> NumberRequirements:
    return NumberRequirements.model_validate(
        {"fields": {"schema": schema, "rules": rules}, "attachments": attachments or []}
    )


def one_field(descriptor: dict[str, Any]) -> NumberRequirements:
    return requirements([{"name": "group", "template": {"f": descriptor}}])


def pairs(violations: list[Violation]) -> list[tuple[str, str]]:
    return [(v.field, v.rule) for v in violations]


ABSENT = object()
F = "requestDetails.data[0].f"

AU_RULES: list[dict[str, Any]] = [
    {
        "name": "traffic",
        "title": "Sender and traffic",
        "repeatable": True,
        "maxItems": 3,
        "template": {
            "senderId": {"type": "string", "required": True, "maxLength": 15},
            "purposeOfTheTraffic": {
                "type": "string",
                "required": True,
                "enum": ["Transactional", "Marketing"],
            },
            "iConfirm": {"type": "boolean", "required": True, "const": True},
        },
    },
    {
        "name": "address",
        "template": {
            "endBusinessName": {"type": "string", "required": True, "maxLength": 50},
            "endBusinessAddress2": {"type": "string"},
            "country": {"type": "string", "required": True, "enum": ["AU"]},
            "postalCode": {"type": "string", "required": True, "pattern": "^[0-9]{4}$"},
        },
    },
    {
        "name": "contact",
        "template": {
            "firstName": {"type": "string", "required": True, "minLength": 1, "maxLength": 50},
            "employees": {"type": "integer"},
            "revenue": {"type": "number"},
        },
    },
]


def au_data() -> list[Any]:
    return [
        [
            {
                "senderId": "+61411111112",
                "purposeOfTheTraffic": "Transactional",
                "iConfirm": True,
            }
        ],
        {
            "endBusinessName": "Example Clinic Pty Ltd",
            "endBusinessAddress2": None,
            "country": "AU",
            "postalCode": "3000",
        },
        {"firstName": "Alex", "employees": 12, "revenue": 1.5},
    ]


# --- single-field rules ------------------------------------------------------------------------

FIELD_CASES: list[tuple[str, dict[str, Any], Any, list[str]]] = [
    ("required present", {"type": "string", "required": True}, "x", []),
    ("required absent", {"type": "string", "required": True}, ABSENT, ["is required"]),
    ("required null", {"type": "string", "required": True}, None, ["is required"]),
    ("optional absent", {"type": "string"}, ABSENT, []),
    ("optional null", {"type": "string"}, None, []),
    (
        "optional present is checked",
        {"type": "string", "maxLength": 2},
        "abc",
        ["must be at most 2 characters"],
    ),
    ("required false explicit", {"type": "string", "required": False}, ABSENT, []),
    ("string ok", {"type": "string"}, "", []),
    ("string gets int", {"type": "string"}, 5, ["must be a string"]),
    ("string gets bool", {"type": "string"}, True, ["must be a string"]),
    ("string gets list", {"type": "string"}, ["a"], ["must be a string"]),
    ("minLength fail", {"type": "string", "minLength": 3}, "ab", ["must be at least 3 characters"]),
    ("minLength ok", {"type": "string", "minLength": 3}, "abc", []),
    (
        "minLength 1 singular",
        {"type": "string", "minLength": 1},
        "",
        ["must be at least 1 character"],
    ),
    (
        "maxLength fail",
        {"type": "string", "maxLength": 5},
        "abcdef",
        ["must be at most 5 characters"],
    ),
    ("maxLength ok", {"type": "string", "maxLength": 5}, "abcde", []),
    ("maxLength counts characters not bytes", {"type": "string", "maxLength": 5}, "ééééé", []),
    (
        "maxLength 1 singular",
        {"type": "string", "maxLength": 1},
        "ab",
        ["must be at most 1 character"],
    ),
    (
        "maxLength 50",
        {"type": "string", "maxLength": 50},
        "x" * 51,
        ["must be at most 50 characters"],
    ),
    ("pattern ok", {"type": "string", "pattern": "^[0-9]{4}$"}, "3000", []),
    (
        "pattern fail",
        {"type": "string", "pattern": "^[0-9]{4}$"},
        "30000",
        ["must match the pattern ^[0-9]{4}$"],
    ),
    (
        "pattern is a full match",
        {"type": "string", "pattern": "[0-9]{4}"},
        "x3000y",
        ["must match the pattern [0-9]{4}"],
    ),
    ("pattern full match unanchored ok", {"type": "string", "pattern": "[0-9]{4}"}, "3000", []),
    ("pattern alternation is full match", {"type": "string", "pattern": "a|ab"}, "ab", []),
    ("enum ok", {"type": "string", "enum": ["AU", "NZ"]}, "NZ", []),
    (
        "enum fail",
        {"type": "string", "enum": ["AU", "NZ"]},
        "US",
        ["must be one of the allowed values"],
    ),
    (
        "enum is case sensitive",
        {"type": "string", "enum": ["AU"]},
        "au",
        ["must be one of the allowed values"],
    ),
    ("const true ok", {"type": "boolean", "const": True}, True, []),
    ("const true fail", {"type": "boolean", "const": True}, False, ["must be true"]),
    (
        "const true required absent",
        {"type": "boolean", "required": True, "const": True},
        ABSENT,
        ["is required"],
    ),
    ("const false fail", {"type": "boolean", "const": False}, True, ["must be false"]),
    (
        "const string fail",
        {"type": "string", "const": "yes"},
        "no",
        ["must equal the required value"],
    ),
    ("const integer fail", {"type": "integer", "const": 1}, 2, ["must equal the required value"]),
    ("boolean ok", {"type": "boolean"}, False, []),
    ("boolean gets 1", {"type": "boolean"}, 1, ["must be a boolean"]),
    ("boolean gets string", {"type": "boolean"}, "true", ["must be a boolean"]),
    ("integer ok", {"type": "integer"}, 3, []),
    ("integer zero ok", {"type": "integer"}, 0, []),
    ("integer gets True", {"type": "integer"}, True, ["must be an integer"]),
    ("integer gets False", {"type": "integer"}, False, ["must be an integer"]),
    ("integer gets integral float", {"type": "integer"}, 3.0, []),
    ("integer gets fraction", {"type": "integer"}, 3.5, ["must be an integer"]),
    ("integer gets string", {"type": "integer"}, "3", ["must be an integer"]),
    ("integer gets inf", {"type": "integer"}, math.inf, ["must be an integer"]),
    ("integer enum gets True", {"type": "integer", "enum": [1, 2]}, True, ["must be an integer"]),
    ("integer enum ok", {"type": "integer", "enum": [1, 2]}, 2, []),
    (
        "integer enum fail",
        {"type": "integer", "enum": [1, 2]},
        3,
        ["must be one of the allowed values"],
    ),
    ("number ok float", {"type": "number"}, 3.5, []),
    ("number ok int", {"type": "number"}, 3, []),
    ("number gets bool", {"type": "number"}, False, ["must be a number"]),
    ("number gets nan", {"type": "number"}, math.nan, ["must be a number"]),
    ("number gets -inf", {"type": "number"}, -math.inf, ["must be a number"]),
    ("number gets string", {"type": "number"}, "1.5", ["must be a number"]),
    ("number enum", {"type": "number", "enum": [1.5, 2]}, 2.0, []),
    (
        "several rules at once",
        {"type": "string", "maxLength": 3, "pattern": "^[0-9]+$"},
        "abcdef",
        ["must be at most 3 characters", "must match the pattern ^[0-9]+$"],
    ),
]


@pytest.mark.parametrize(
    ("descriptor", "value", "expected"),
    [pytest.param(d, v, e, id=name) for name, d, v, e in FIELD_CASES],
)
def test_field_rules(descriptor: dict[str, Any], value: Any, expected: list[str]) -> None:
    entry = {} if value is ABSENT else {"f": value}
    report = validate_registration(one_field(descriptor), [entry])
    assert report.understood
    assert report.warnings == []
    assert pairs(report.violations) == [(F, rule) for rule in expected]


# --- groups and paths --------------------------------------------------------------------------


def test_valid_registration_has_no_violations() -> None:
    report = validate_registration(requirements(AU_RULES), au_data())
    assert report == RegistrationReport(understood=True, violations=[], warnings=[], reason=None)


def test_tuples_are_lists() -> None:
    data = au_data()
    data[0] = tuple(data[0])
    report = validate_registration(requirements(AU_RULES), tuple(data))
    assert report.violations == []


def test_violations_in_document_order_with_paths() -> None:
    data = au_data()
    data[0].append({"senderId": "x" * 16, "purposeOfTheTraffic": "Spam", "iConfirm": False})
    data[1]["postalCode"] = "300"
    del data[1]["country"]
    data[2]["employees"] = True
    report = validate_registration(requirements(AU_RULES), data)
    assert pairs(report.violations) == [
        ("requestDetails.data[0][1].senderId", "must be at most 15 characters"),
        ("requestDetails.data[0][1].purposeOfTheTraffic", "must be one of the allowed values"),
        ("requestDetails.data[0][1].iConfirm", "must be true"),
        ("requestDetails.data[1].country", "is required"),
        ("requestDetails.data[1].postalCode", "must match the pattern ^[0-9]{4}$"),
        ("requestDetails.data[2].employees", "must be an integer"),
    ]


def repeatable(**counts: int) -> NumberRequirements:
    return requirements(
        [
            {
                "name": "senders",
                "repeatable": True,
                **counts,
                "template": {"senderId": {"type": "string", "required": True}},
            }
        ]
    )


SENDER = {"senderId": "S"}
G = "requestDetails.data[0]"

REPEATABLE_CASES: list[tuple[str, dict[str, int], Any, list[tuple[str, str]]]] = [
    ("default one entry", {}, [SENDER], []),
    ("default unbounded", {}, [SENDER] * 20, []),
    ("default needs one", {}, [], [(G, "expected a list of at least 1 entry")]),
    ("not a list", {}, SENDER, [(G, "expected a list of at least 1 entry")]),
    ("1 to 3 ok", {"maxItems": 3}, [SENDER] * 3, []),
    ("1 to 3 too many", {"maxItems": 3}, [SENDER] * 4, [(G, "expected a list of 1 to 3 entries")]),
    ("1 to 3 too few", {"maxItems": 3}, [], [(G, "expected a list of 1 to 3 entries")]),
    (
        "exactly 2",
        {"minItems": 2, "maxItems": 2},
        [SENDER],
        [(G, "expected a list of exactly 2 entries")],
    ),
    ("at least 2", {"minItems": 2}, [SENDER], [(G, "expected a list of at least 2 entries")]),
    ("min 0 empty ok", {"minItems": 0}, [], []),
    ("min 0 unbounded not a list", {"minItems": 0}, "x", [(G, "expected a list of entries")]),
    (
        "at most 2",
        {"minItems": 0, "maxItems": 2},
        [SENDER] * 3,
        [(G, "expected a list of at most 2 entries")],
    ),
    (
        "each entry validated with double index",
        {"maxItems": 3},
        [SENDER, {}, {"senderId": 7}],
        [(f"{G}[1].senderId", "is required"), (f"{G}[2].senderId", "must be a string")],
    ),
    ("entry not an object", {}, [SENDER, "S"], [(f"{G}[1]", "must be an object")]),
    (
        "count and entries both reported",
        {"maxItems": 1},
        [SENDER, {"senderId": None}],
        [(G, "expected a list of exactly 1 entry"), (f"{G}[1].senderId", "is required")],
    ),
    (
        "unknown field in entry",
        {},
        [{"senderId": "S", "extra": 1}],
        [(f"{G}[0].extra", "unknown field")],
    ),
]


@pytest.mark.parametrize(
    ("counts", "value", "expected"),
    [pytest.param(c, v, e, id=name) for name, c, v, e in REPEATABLE_CASES],
)
def test_repeatable_groups(
    counts: dict[str, int], value: Any, expected: list[tuple[str, str]]
) -> None:
    report = validate_registration(repeatable(**counts), [value])
    assert report.understood
    assert pairs(report.violations) == expected


STRUCTURE_CASES: list[tuple[str, Any, list[tuple[str, str]]]] = [
    (
        "data not a list",
        {"x": 1},
        [("requestDetails.data", "must be a list of 3 entries, one per requirement group")],
    ),
    (
        "data a string",
        "abc",
        [("requestDetails.data", "must be a list of 3 entries, one per requirement group")],
    ),
    (
        "requestDetails object instead of data",
        {"data": []},
        [
            (
                "requestDetails.data",
                "must be a list of 3 entries, one per requirement group "
                "(pass the list itself, not an object holding it under 'data')",
            )
        ],
    ),
    ("data missing", None, [("requestDetails.data", "is required")]),
    (
        "too few groups",
        [],
        [("requestDetails.data", "expected 3 entries, one per requirement group")],
    ),
    (
        "missing trailing group, the rest still checked",
        [[{"senderId": "S", "purposeOfTheTraffic": "Marketing", "iConfirm": True}], {}],
        [
            ("requestDetails.data", "expected 3 entries, one per requirement group"),
            ("requestDetails.data[1].endBusinessName", "is required"),
            ("requestDetails.data[1].country", "is required"),
            ("requestDetails.data[1].postalCode", "is required"),
        ],
    ),
    (
        "too many groups",
        [*au_data(), {}],
        [("requestDetails.data", "expected 3 entries, one per requirement group")],
    ),
    (
        "single group given as a list",
        [au_data()[0], [au_data()[1]], au_data()[2]],
        [("requestDetails.data[1]", "must be an object")],
    ),
    (
        "repeatable group given as an object",
        [au_data()[0][0], au_data()[1], au_data()[2]],
        [("requestDetails.data[0]", "expected a list of 1 to 3 entries")],
    ),
]


@pytest.mark.parametrize(
    ("data", "expected"), [pytest.param(d, e, id=name) for name, d, e in STRUCTURE_CASES]
)
def test_data_structure(data: Any, expected: list[tuple[str, str]]) -> None:
    report = validate_registration(requirements(AU_RULES), data)
    assert report.understood
    assert pairs(report.violations) == expected


def test_unknown_field() -> None:
    data = au_data()
    data[1]["nickname"] = "Al"
    report = validate_registration(requirements(AU_RULES), data)
    assert pairs(report.violations) == [("requestDetails.data[1].nickname", "unknown field")]


def test_unknown_field_suggests_the_known_spelling() -> None:
    data = au_data()
    data[1]["postalcode"] = data[1].pop("postalCode")
    report = validate_registration(requirements(AU_RULES), data)
    assert pairs(report.violations) == [
        ("requestDetails.data[1].postalCode", "is required"),
        ("requestDetails.data[1].postalcode", "unknown field; did you mean postalCode?"),
    ]


@pytest.mark.parametrize("key", ["+61 400 000 000", "alex@example.com", "", 7, "x" * 65])
def test_unknown_key_that_is_not_a_field_name_is_not_echoed(key: Any) -> None:
    data = au_data()
    data[2][key] = "v"
    report = validate_registration(requirements(AU_RULES), data)
    assert pairs(report.violations) == [
        ("requestDetails.data[2]", "has an unknown field (its name is not shown)")
    ]


def test_base_path() -> None:
    report = validate_registration(repeatable(), [[{}]], base_path="registration")
    assert pairs(report.violations) == [("registration[0][0].senderId", "is required")]


def test_violation_str() -> None:
    assert str(Violation("a.b", "is required")) == "a.b: is required"


# --- the grammar -------------------------------------------------------------------------------


def test_grammar_is_parsed_into_typed_rules() -> None:
    grammar = RequirementsGrammar.parse(requirements(AU_RULES).fields)
    assert isinstance(grammar, RequirementsGrammar)
    traffic, address, contact = grammar.rules
    assert traffic == RuleGroup(
        name="traffic",
        title="Sender and traffic",
        repeatable=True,
        min_items=1,
        max_items=3,
        template=(
            FieldDescriptor(name="senderId", type=FieldType.STRING, required=True, max_length=15),
            FieldDescriptor(
                name="purposeOfTheTraffic",
                type=FieldType.STRING,
                required=True,
                enum=("Transactional", "Marketing"),
            ),
            FieldDescriptor(name="iConfirm", type=FieldType.BOOLEAN, required=True, const=True),
        ),
    )
    assert not address.repeatable
    postal = address.descriptor("postalCode")
    assert postal is not None
    assert postal.pattern == "^[0-9]{4}$"
    assert postal.compiled_pattern is not None
    assert address.descriptor("missing") is None
    assert contact.descriptor("employees") == FieldDescriptor("employees", FieldType.INTEGER)


def test_fields_may_carry_attachments() -> None:
    fields = {"schema": POLICY_SCHEMA_V1, "rules": AU_RULES, "attachments": []}
    assert isinstance(RequirementsGrammar.parse(fields), RequirementsGrammar)


def with_rule(**changes: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"name": "g", "template": {"f": {"type": "string"}}}
    rule.update(changes)
    return {"schema": POLICY_SCHEMA_V1, "rules": [rule]}


def with_descriptor(**descriptor: Any) -> dict[str, Any]:
    return with_rule(template={"f": descriptor})


PUBLISHED_SKELETON = {
    "schema": POLICY_SCHEMA_V1,
    "rules": [{"template": {}}, {"template": {}}],
    "attachments": [],
}

NOT_UNDERSTOOD_CASES: list[tuple[str, Any]] = [
    ("empty fields", {}),
    ("the published skeleton", PUBLISHED_SKELETON),
    ("other schema", {"schema": "/schema/policySchema-v2.json", "rules": AU_RULES}),
    ("schema missing", {"rules": AU_RULES}),
    ("schema not a string", {"schema": 1, "rules": AU_RULES}),
    ("unknown top-level key", {**with_rule(), "sections": []}),
    ("rules missing", {"schema": POLICY_SCHEMA_V1}),
    ("rules not a list", {"schema": POLICY_SCHEMA_V1, "rules": {"template": {}}}),
    ("rules empty", {"schema": POLICY_SCHEMA_V1, "rules": []}),
    ("fields.attachments not a list", {**with_rule(), "attachments": {}}),
    ("rule not an object", {"schema": POLICY_SCHEMA_V1, "rules": ["g"]}),
    ("unknown rule key", with_rule(condition="always")),
    (
        "rule without name",
        {"schema": POLICY_SCHEMA_V1, "rules": [{"template": {"f": {"type": "string"}}}]},
    ),
    ("rule name not a string", with_rule(name=1)),
    ("rule title not a string", with_rule(title=["t"])),
    ("rule without template", {"schema": POLICY_SCHEMA_V1, "rules": [{"name": "g"}]}),
    ("template empty", with_rule(template={})),
    ("template not an object", with_rule(template=[{"type": "string"}])),
    ("template key empty", with_rule(template={"": {"type": "string"}})),
    ("repeatable not a boolean", with_rule(repeatable="yes")),
    ("minItems on a single group", with_rule(minItems=1)),
    ("maxItems on a single group", with_rule(maxItems=2)),
    ("minItems above maxItems", with_rule(repeatable=True, minItems=3, maxItems=2)),
    ("maxItems 0 below default minItems", with_rule(repeatable=True, maxItems=0)),
    ("minItems negative", with_rule(repeatable=True, minItems=-1)),
    ("maxItems not an integer", with_rule(repeatable=True, maxItems="3")),
    ("maxItems a float", with_rule(repeatable=True, maxItems=3.0)),
    ("descriptor not an object", with_rule(template={"f": "string"})),
    ("unknown descriptor key", with_descriptor(type="string", format="date")),
    ("descriptor without type", with_descriptor(required=True)),
    ("unknown type", with_descriptor(type="date")),
    ("type object", with_descriptor(type="object")),
    ("type list", with_descriptor(type=["string", "null"])),
    ("bad regex", with_descriptor(type="string", pattern="[0-9")),
    ("pattern not a string", with_descriptor(type="string", pattern=5)),
    ("pattern on integer", with_descriptor(type="integer", pattern="^[0-9]+$")),
    ("maxLength on number", with_descriptor(type="number", maxLength=3)),
    ("minLength on boolean", with_descriptor(type="boolean", minLength=1)),
    ("maxLength negative", with_descriptor(type="string", maxLength=-1)),
    ("maxLength a boolean", with_descriptor(type="string", maxLength=True)),
    ("maxLength a string", with_descriptor(type="string", maxLength="50")),
    ("minLength above maxLength", with_descriptor(type="string", minLength=5, maxLength=2)),
    ("required not a boolean", with_descriptor(type="string", required="yes")),
    ("title not a string", with_descriptor(type="string", title=None)),
    ("enum empty", with_descriptor(type="string", enum=[])),
    ("enum not a list", with_descriptor(type="string", enum="AU")),
    ("enum value of another type", with_descriptor(type="string", enum=["AU", 1])),
    ("integer enum holding a boolean", with_descriptor(type="integer", enum=[1, True])),
    ("const of another type", with_descriptor(type="boolean", const="true")),
    ("const null", with_descriptor(type="string", const=None)),
    ("fields not an object", ["schema"]),
]


@pytest.mark.parametrize("fields", [pytest.param(f, id=name) for name, f in NOT_UNDERSTOOD_CASES])
def test_grammar_not_understood(fields: Any) -> None:
    parsed = RequirementsGrammar.parse(fields)
    assert isinstance(parsed, GrammarNotUnderstood)
    assert parsed.reason
    if isinstance(fields, dict):
        for data in (au_data(), [], None, "garbage", [{"f": 1}]):
            report = validate_registration(NumberRequirements(fields=fields), data)
            assert report.understood is False
            assert report.violations == []
            assert report.warnings == [NOT_UNDERSTOOD_WARNING]
            assert report.reason == parsed.reason


def test_not_understood_reason_carries_no_values() -> None:
    other_schema = RequirementsGrammar.parse({"schema": "/schema/secret-v9.json", "rules": []})
    unknown_type = RequirementsGrammar.parse(with_descriptor(type="mysterytype"))
    bad_const = RequirementsGrammar.parse(with_descriptor(type="boolean", const="mysteryconst"))
    for parsed in (other_schema, unknown_type, bad_const):
        assert isinstance(parsed, GrammarNotUnderstood)
        assert "secret" not in parsed.reason
        assert "mystery" not in parsed.reason


def test_not_understood_reason_names_the_place() -> None:
    parsed = RequirementsGrammar.parse(with_descriptor(type="string", format="date"))
    assert isinstance(parsed, GrammarNotUnderstood)
    assert parsed.reason == "fields.rules[0].template.f has unknown key 'format'"


def test_warning_text() -> None:
    report = validate_registration(NumberRequirements(fields={}), [])
    assert report.warnings == [
        "the requirement format for this region is not understood; "
        "the registration will be validated by Sinch when submitted"
    ]


# --- files -------------------------------------------------------------------------------------

MIME_CASES: list[tuple[str, bytes, str | None]] = [
    ("png", PNG, "image/png"),
    ("jpeg", JPEG, "image/jpeg"),
    ("pdf", PDF, "application/pdf"),
    ("pdf after a byte-order mark", b"\xef\xbb\xbf" + PDF, "application/pdf"),
    ("pdf after leading junk", b"garbage\r\n" + PDF, "application/pdf"),
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ("tiff", b"II*\x00\x08\x00\x00\x00" + b"\x00" * 8, "image/tiff"),
    ("text", UNKNOWN_BYTES, None),
    ("empty", b"", None),
    ("pdf header too far in", b"x" * 2000 + b"%PDF-1.4", None),
]


@pytest.mark.parametrize(
    ("content", "expected"), [pytest.param(c, e, id=name) for name, c, e in MIME_CASES]
)
def test_detect_mime_type(content: bytes, expected: str | None) -> None:
    assert detect_mime_type(content) == expected


def test_content_sha256() -> None:
    assert content_sha256(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert content_sha256(PDF) == hashlib.sha256(PDF).hexdigest()


PROOF = {
    "id": "att-proof",
    "title": "Proof of address",
    "description": "Utility bill",
    "mandatory": True,
    "allowedMimeTypes": ["application/pdf"],
    "allowedDocumentTypes": [],
}
IDENTITY = {
    "id": "att-id",
    "title": "Identity document",
    "mandatory": False,
    "allowedMimeTypes": ["image/png", "image/jpeg"],
    "allowedDocumentTypes": ["Passport", "Driver's License"],
}
ANY_FILE = {"id": "att-any", "mandatory": False, "allowedMimeTypes": [], "allowedDocumentTypes": []}


def attachment_requirements(*listed: dict[str, Any]) -> NumberRequirements:
    return requirements(AU_RULES, attachments=list(listed or (PROOF, IDENTITY, ANY_FILE)))


def upload(
    requirement_id: str,
    content: bytes,
    *,
    file_name: str = "file.bin",
    document_type: str | None = None,
    index: int = 0,
) -> Document:
    return Document(
        requirement_id, content, file_name, document_type, index, base_path="attachments"
    )


A0 = "attachments[0]"
A1 = "attachments[1]"

ATTACHMENT_CASES: list[tuple[str, list[Document], list[tuple[str, str]]]] = [
    ("mandatory present", [upload("att-proof", PDF)], []),
    (
        "all kinds fine",
        [
            upload("att-proof", PDF),
            upload("att-id", PNG, document_type="Passport", index=1),
            upload("att-any", UNKNOWN_BYTES, index=2),
        ],
        [],
    ),
    (
        "mandatory missing",
        [],
        [("attachments", "mandatory attachment 'att-proof' (Proof of address) is missing")],
    ),
    (
        "only optional given",
        [upload("att-id", JPEG, document_type="Driver's License")],
        [("attachments", "mandatory attachment 'att-proof' (Proof of address) is missing")],
    ),
    (
        "unknown id",
        [upload("att-proof", PDF), upload("att-nope", PDF, index=1)],
        [
            (
                f"{A1}.requirement_id",
                "unknown requirement id 'att-nope'; known: att-proof, att-id, att-any",
            )
        ],
    ),
    (
        "unknown id does not count as the mandatory one",
        [upload("ATT-PROOF", PDF)],
        [
            (
                f"{A0}.requirement_id",
                "unknown requirement id 'ATT-PROOF'; known: att-proof, att-id, att-any",
            ),
            ("attachments", "mandatory attachment 'att-proof' (Proof of address) is missing"),
        ],
    ),
    (
        "duplicate id",
        [upload("att-proof", PDF), upload("att-proof", PDF, index=1)],
        [
            (
                f"{A1}.requirement_id",
                "duplicate requirement id 'att-proof' (also used by attachments[0])",
            )
        ],
    ),
    (
        "png named .pdf where only pdf is allowed",
        [upload("att-proof", PNG, file_name="proof.pdf")],
        [(f"{A0}.file", "file type image/png is not allowed; allowed: application/pdf")],
    ),
    (
        "unrecognised content where a type is required",
        [upload("att-proof", UNKNOWN_BYTES, file_name="proof.pdf")],
        [(f"{A0}.file", "file type could not be recognised; allowed: application/pdf")],
    ),
    (
        "unrecognised content where any type is fine",
        [upload("att-proof", PDF), upload("att-any", UNKNOWN_BYTES, index=1)],
        [],
    ),
    (
        "pdf where images are required",
        [upload("att-proof", PDF), upload("att-id", PDF, document_type="Passport", index=1)],
        [
            (
                f"{A1}.file",
                "file type application/pdf is not allowed; allowed: image/png, image/jpeg",
            )
        ],
    ),
    (
        "document type required when restricted",
        [upload("att-proof", PDF), upload("att-id", PNG, index=1)],
        [(f"{A1}.document_type", "is required; allowed: Passport, Driver's License")],
    ),
    (
        "document type empty when restricted",
        [upload("att-proof", PDF), upload("att-id", PNG, document_type="", index=1)],
        [(f"{A1}.document_type", "is required; allowed: Passport, Driver's License")],
    ),
    (
        "document type not allowed",
        [upload("att-proof", PDF), upload("att-id", PNG, document_type="passport", index=1)],
        [(f"{A1}.document_type", "must be one of the allowed values: Passport, Driver's License")],
    ),
    ("document type free when unrestricted", [upload("att-proof", PDF, document_type="Bill")], []),
]


@pytest.mark.parametrize(
    ("uploads", "expected"), [pytest.param(u, e, id=name) for name, u, e in ATTACHMENT_CASES]
)
def test_attachments(uploads: list[Document], expected: list[tuple[str, str]]) -> None:
    assert (
        pairs(validate_attachments(attachment_requirements(), uploads, base_path="attachments"))
        == expected
    )


def test_mandatory_without_title() -> None:
    reqs = attachment_requirements({"id": "att-x", "mandatory": True})
    assert pairs(validate_attachments(reqs, [], base_path="attachments")) == [
        ("attachments", "mandatory attachment 'att-x' is missing")
    ]


def test_unknown_id_when_nothing_is_required() -> None:
    reqs = requirements(AU_RULES)
    assert pairs(
        validate_attachments(reqs, [upload("att-proof", PDF)], base_path="attachments")
    ) == [(f"{A0}.requirement_id", "unknown requirement id 'att-proof'; known: none")]


@pytest.mark.parametrize(
    ("allowed", "content", "ok"),
    [
        (["image/jpg"], JPEG, True),
        (["image/pjpeg"], JPEG, True),
        (["Image/PNG"], PNG, True),
        (["application/pdf; version=1.7"], PDF, True),
        (["application/x-pdf"], PDF, True),
        (["image/*"], PNG, True),
        (["image/*"], PDF, False),
        (["*/*"], PDF, True),
        (["image/png"], JPEG, False),
    ],
)
def test_mime_type_spellings(allowed: list[str], content: bytes, ok: bool) -> None:
    reqs = attachment_requirements({"id": "r", "allowedMimeTypes": allowed})
    violations = validate_attachments(reqs, [upload("r", content)], base_path="attachments")
    assert (violations == []) is ok


def test_size_and_emptiness_are_judged_once_when_a_document_is_read(tmp_path: Any) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(PNG + b"x" * (1025 - len(PNG)))
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-any", path, max_size=1024, base_path="attachments")
    assert str(caught.value) == "must be at most 1 KiB"
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-any", path, max_size=1000, base_path="attachments")
    assert str(caught.value) == "must be at most 1000 bytes"
    assert Document.read("att-any", path, max_size=2048, base_path="attachments").size == 1025
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-any", empty, base_path="attachments")
    assert str(caught.value) == "file is empty"


def test_a_document_of_the_exact_limit_is_read(tmp_path: Any) -> None:
    path = tmp_path / "full.pdf"
    path.write_bytes(PDF + b"\x00" * (DEFAULT_MAX_ATTACHMENT_SIZE - len(PDF)))
    document = Document.read("att-proof", path, base_path="attachments")
    assert (
        validate_attachments(attachment_requirements(), [document], base_path="attachments") == []
    )


def test_attachments_listed_inside_fields() -> None:
    """The published example puts attachments in ``fields``; the model falls back to them."""
    reqs = NumberRequirements.model_validate(
        {"fields": {"schema": POLICY_SCHEMA_V1, "rules": AU_RULES, "attachments": [PROOF]}}
    )
    assert pairs(validate_attachments(reqs, [], base_path="attachments")) == [
        ("attachments", "mandatory attachment 'att-proof' (Proof of address) is missing")
    ]
    assert validate_attachments(reqs, [upload("att-proof", PDF)], base_path="attachments") == []
    assert validate_registration(reqs, au_data()).understood


def test_document_hides_personal_data(tmp_path: Any) -> None:
    path = tmp_path / "alex-citizen-passport.png"
    path.write_bytes(PNG)
    document = Document.read(
        "att-id", path, document_type="Passport", index=2, base_path="attachments"
    )
    assert document.content == PNG
    assert document.file_name == "alex-citizen-passport.png"
    assert document.size == len(PNG)
    assert document.sha256 == content_sha256(PNG)
    assert document.mime_type == "image/png"
    assert document.property_path == "attachments[2]"
    assert repr(document) == (
        f"Document(requirement_id='att-id', index=2, mime_type='image/png', size={len(PNG)}, "
        f"sha256={content_sha256(PNG)[:12]}...)"
    )
    assert "alex" not in repr(document)
    assert "alex" not in str(document)


@pytest.mark.timeout(10)
def test_a_document_from_a_fifo_is_refused_without_blocking(tmp_path: Any) -> None:
    fifo = tmp_path / "passport.png"
    os.mkfifo(fifo)
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-id", fifo, base_path="attachments")
    assert str(caught.value) == "must be a regular file, not a named pipe"


def test_a_document_is_read_to_at_most_its_size_limit(tmp_path: Any) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(PNG + b"\0" * 100)
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-id", path, max_size=100, base_path="attachments")
    assert str(caught.value) == "must be at most 100 bytes"
    assert (
        Document.read("att-id", path, max_size=len(PNG) + 100, base_path="attachments").size
        == len(PNG) + 100
    )


def test_a_document_of_unrecognised_content_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(UNKNOWN_BYTES)
    with pytest.raises(DocumentFileError) as caught:
        Document.read("att-id", path, base_path="attachments")
    assert str(caught.value) == (
        "file type could not be recognised from its content (use PDF, PNG or JPEG)"
    )


# --- no value ever leaks -----------------------------------------------------------------------

CANARY = "CANARY7f3a9"


def test_canary_never_appears_in_messages() -> None:
    canary_bytes = CANARY.encode()
    descriptor_kinds: dict[str, dict[str, Any]] = {
        "tooLong": {"type": "string", "maxLength": 3},
        "tooShort": {"type": "string", "minLength": 40},
        "pattern": {"type": "string", "pattern": "^[0-9]+$"},
        "enum": {"type": "string", "enum": ["AU"]},
        "const": {"type": "string", "const": "fixed"},
        "integer": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean", "const": True},
    }
    reqs = requirements(
        [
            {"name": "many", "repeatable": True, "maxItems": 1, "template": descriptor_kinds},
            {"name": "one", "template": descriptor_kinds},
        ],
        attachments=[PROOF, IDENTITY],
    )
    # Keys are field names and are shown when they look like one; these do not.
    entry = dict.fromkeys(descriptor_kinds, CANARY) | {"unknown": CANARY, f"{CANARY}!": CANARY}
    entry_with_spaces = {**entry, f"{CANARY} {CANARY}": CANARY}
    data = [[entry, entry, CANARY], entry_with_spaces, CANARY, {f"+{CANARY}": [CANARY]}]

    report = validate_registration(reqs, data)
    assert report.understood
    assert len(report.violations) > 20

    uploads = [
        upload("att-proof", PNG + canary_bytes, file_name=f"{CANARY}.pdf", document_type=CANARY),
        upload("att-id", canary_bytes, file_name=f"{CANARY}.png", document_type=CANARY, index=1),
        upload("att-id", b"", file_name=CANARY, index=2),
        upload("att-proof", canary_bytes * 100, file_name=CANARY, index=3),
    ]
    attachment_violations = validate_attachments(reqs, uploads, base_path="attachments")
    assert len(attachment_violations) >= 5

    not_understood = validate_registration(requirements([{"name": CANARY, "template": {}}]), data)
    texts = [
        *(text for v in [*report.violations, *attachment_violations] for text in (v.field, v.rule)),
        *report.warnings,
        *not_understood.warnings,
        not_understood.reason or "",
        *(repr(u) for u in uploads),
    ]
    leaked = [text for text in texts if CANARY.lower() in text.lower()]
    assert leaked == []


# --- properties --------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)

descriptor_keys = st.sampled_from(
    ["type", "required", "title", "minLength", "maxLength", "pattern", "enum", "const", "format"]
)
descriptor_values = st.one_of(
    st.sampled_from(["string", "boolean", "integer", "number", "date"]),
    st.sampled_from(["^[0-9]{4}$", "[", "a|b", "(?P<x>", ".*"]),
    st.integers(min_value=-2, max_value=20),
    st.lists(json_scalars, max_size=3),
    json_values,
)
grammarish_descriptors = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "boolean", "integer", "number"])},
        optional={
            "required": st.booleans(),
            "minLength": st.integers(min_value=0, max_value=5),
            "maxLength": st.integers(min_value=0, max_value=10),
            "pattern": st.sampled_from(["^[0-9]{4}$", "[a-z]+", "("]),
            "enum": st.lists(json_scalars, min_size=1, max_size=3),
            "const": json_scalars,
        },
    ),
    st.dictionaries(descriptor_keys, descriptor_values, max_size=4),
)
grammarish_rules = st.fixed_dictionaries(
    {
        "name": st.text(max_size=5),
        "template": st.dictionaries(st.text(max_size=6), grammarish_descriptors, max_size=4),
    },
    optional={
        "repeatable": st.booleans() | json_scalars,
        "minItems": st.integers(min_value=-1, max_value=3),
        "maxItems": st.integers(min_value=-1, max_value=3),
        "extra": json_values,
    },
)
finite_numbers = st.floats(allow_nan=False, allow_infinity=False) | st.integers()
# Descriptors that fit the grammar, so that the properties also reach the per-field checks.
valid_descriptors = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "required": st.booleans(),
            "minLength": st.integers(min_value=0, max_value=3),
            "maxLength": st.integers(min_value=3, max_value=10),
            "pattern": st.sampled_from(["^[0-9]{4}$", "[a-z]+", "a|ab"]),
            "enum": st.lists(st.text(max_size=4), min_size=1, max_size=3),
            "const": st.text(max_size=4),
            "title": st.text(max_size=5),
        },
    ),
    st.fixed_dictionaries(
        {"type": st.just("boolean")},
        optional={"required": st.booleans(), "const": st.booleans()},
    ),
    st.fixed_dictionaries(
        {"type": st.just("integer")},
        optional={
            "required": st.booleans(),
            "enum": st.lists(st.integers(), min_size=1, max_size=3),
            "const": st.integers(),
        },
    ),
    st.fixed_dictionaries(
        {"type": st.just("number")},
        optional={
            "required": st.booleans(),
            "enum": st.lists(finite_numbers, min_size=1, max_size=3),
            "const": finite_numbers,
        },
    ),
)
valid_templates = st.dictionaries(
    st.sampled_from(["a", "b", "postalCode", "senderId"]), valid_descriptors, min_size=1
)
valid_rules = st.one_of(
    st.fixed_dictionaries({"name": st.text(max_size=5), "template": valid_templates}),
    st.fixed_dictionaries(
        {"name": st.text(max_size=5), "repeatable": st.just(True), "template": valid_templates},
        optional={
            "minItems": st.integers(min_value=0, max_value=2),
            "maxItems": st.integers(min_value=2, max_value=4),
        },
    ),
)
requirement_fields = st.one_of(
    st.fixed_dictionaries(
        {
            "schema": st.just(POLICY_SCHEMA_V1),
            "rules": st.lists(valid_rules, min_size=1, max_size=3),
        }
    ),
    st.fixed_dictionaries(
        {
            "schema": st.just(POLICY_SCHEMA_V1),
            "rules": st.lists(valid_rules | grammarish_rules, min_size=1, max_size=3),
        }
    ),
    st.fixed_dictionaries(
        {
            "schema": st.sampled_from([POLICY_SCHEMA_V1, POLICY_SCHEMA_V1, "/schema/other.json"]),
            "rules": st.lists(grammarish_rules, max_size=3) | json_values,
        },
        optional={"attachments": st.just([]) | json_values},
    ),
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(fields=requirement_fields, data=json_values)
def test_random_requirements_and_data_never_raise(fields: dict[str, Any], data: Any) -> None:
    # model_construct: the model's own parsing is not under test, any ``fields`` must be survived.
    report = validate_registration(NumberRequirements.model_construct(fields=fields), data)
    assert isinstance(report, RegistrationReport)
    if report.understood:
        assert report.warnings == []
        assert report.reason is None
    else:
        assert report.violations == []
        assert report.warnings == [NOT_UNDERSTOOD_WARNING]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(fields=requirement_fields, data=st.data())
def test_data_shaped_like_the_rules_never_raises(
    fields: dict[str, Any], data: st.DataObject
) -> None:
    """Random data rarely reaches the per-field checks; this builds entries with the right keys."""
    grammar = RequirementsGrammar.parse(fields)
    if not isinstance(grammar, RequirementsGrammar):
        return
    payload: list[Any] = []
    for group in grammar.rules:
        entry_strategy = st.fixed_dictionaries({d.name: json_scalars for d in group.template})
        payload.append(
            data.draw(st.lists(entry_strategy, max_size=4))
            if group.repeatable
            else data.draw(entry_strategy)
        )
    report = validate_registration(NumberRequirements.model_construct(fields=fields), payload)
    assert report.understood


SATISFIABLE_PATTERNS = ["^[0-9]{4}$", "[A-Z]{2}", "[a-z]+( [a-z]+)?"]


@st.composite
def conforming_case(draw: st.DrawFn) -> tuple[dict[str, Any], list[Any]]:
    """A grammar and a registration that satisfies it."""
    rules: list[dict[str, Any]] = []
    payload: list[Any] = []
    for group_index in range(draw(st.integers(min_value=1, max_value=3))):
        template: dict[str, Any] = {}
        value_strategies: dict[str, st.SearchStrategy[Any]] = {}
        for field_index in range(draw(st.integers(min_value=1, max_value=4))):
            name = f"f{field_index}"
            kind = draw(
                st.sampled_from(
                    ["text", "length", "pattern", "enum", "const", "bool", "int", "number"]
                )
            )
            descriptor: dict[str, Any]
            values: st.SearchStrategy[Any]
            if kind == "text":
                descriptor, values = {"type": "string"}, st.text(max_size=10)
            elif kind == "length":
                low = draw(st.integers(min_value=0, max_value=5))
                high = draw(st.integers(min_value=low, max_value=10))
                descriptor = {"type": "string", "minLength": low, "maxLength": high}
                values = st.text(min_size=low, max_size=high)
            elif kind == "pattern":
                pattern = draw(st.sampled_from(SATISFIABLE_PATTERNS))
                descriptor = {"type": "string", "pattern": pattern}
                values = st.from_regex(pattern, fullmatch=True)
            elif kind == "enum":
                allowed = draw(st.lists(st.text(max_size=5), min_size=1, max_size=3))
                descriptor, values = {"type": "string", "enum": allowed}, st.sampled_from(allowed)
            elif kind == "const":
                descriptor, values = {"type": "boolean", "const": True}, st.just(True)
            elif kind == "bool":
                descriptor, values = {"type": "boolean"}, st.booleans()
            elif kind == "int":
                descriptor, values = {"type": "integer"}, st.integers()
            else:
                descriptor = {"type": "number"}
                values = st.floats(allow_nan=False, allow_infinity=False) | st.integers()
            required = draw(st.booleans())
            descriptor["required"] = required
            template[name] = descriptor
            value_strategies[name] = values if required else (values | st.none())
        entries = st.fixed_dictionaries(value_strategies)
        if draw(st.booleans()):
            low = draw(st.integers(min_value=0, max_value=2))
            high = draw(st.integers(min_value=max(low, 1), max_value=3))
            rules.append(
                {
                    "name": f"g{group_index}",
                    "repeatable": True,
                    "minItems": low,
                    "maxItems": high,
                    "template": template,
                }
            )
            payload.append(draw(st.lists(entries, min_size=low, max_size=high)))
        else:
            rules.append({"name": f"g{group_index}", "template": template})
            payload.append(draw(entries))
    return {"schema": POLICY_SCHEMA_V1, "rules": rules}, payload


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(case=conforming_case())
def test_conforming_registrations_pass(case: tuple[dict[str, Any], list[Any]]) -> None:
    fields, payload = case
    report = validate_registration(NumberRequirements(fields=fields), payload)
    assert report.understood
    assert report.violations == []


@settings(max_examples=300)
@given(content=st.binary(max_size=4096), allowed=st.lists(st.text(max_size=20), max_size=3))
def test_random_files_never_raise(content: bytes, allowed: list[str]) -> None:
    detect_mime_type(content)
    reqs = attachment_requirements({"id": "r", "mandatory": True, "allowedMimeTypes": allowed})
    violations = validate_attachments(reqs, [upload("r", content)], base_path="attachments")
    assert all(isinstance(v, Violation) for v in violations)
