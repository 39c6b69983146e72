"""Skeleton and table rendering with hostile or unusual requirements (no emulator needed)."""

from __future__ import annotations

import ast
import json
from typing import Any

import pytest
import yaml
from rich.console import Console

from sinch_numbers.api.models import NumberRequirements, RequiredAttachment
from sinch_numbers.cli.render import duration_text, requirements_view
from sinch_numbers.cli.skeletons import placeholder, render_skeleton, skeleton_data
from sinch_numbers.kyc.grammar import FieldDescriptor, FieldType, RequirementsGrammar

HOSTILE: dict[str, Any] = {
    "schema": "/schema/policySchema-v1.json",
    "rules": [
        {
            "name": "odd",
            "title": "Line one\nimport os  # a title that tries to end the comment",
            "repeatable": True,
            "minItems": 2,
            "template": {
                'quote "and" back\\slash': {
                    "type": "string",
                    "required": True,
                    "pattern": "^[\\\\\"']{1,3}$",
                    "title": "[bold]markup[/bold] :warning:",
                },
                "naïve-ünïcode": {"type": "string", "enum": ["Zürich", "Genève"]},
                "count": {"type": "integer", "required": True},
                "ratio": {"type": "number"},
                "flag": {"type": "boolean", "required": True},
                "fixed": {"type": "boolean", "const": False},
            },
        }
    ],
}
ATTACHMENTS = [
    RequiredAttachment(
        id='att"1', title="Doc\nx = 1", mandatory=True, allowed_document_types=['A "B"', "C\\D"]
    )
]


def grammar() -> RequirementsGrammar:
    parsed = RequirementsGrammar.parse(HOSTILE)
    assert isinstance(parsed, RequirementsGrammar)
    return parsed


def test_python_skeleton_survives_hostile_text() -> None:
    source = render_skeleton("python", "CH", "MOBILE", grammar(), ATTACHMENTS)
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert len(imports) == 1  # only "from sinch_numbers import AttachmentArgs"
    assign = next(
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == "registration"
    )
    assert ast.literal_eval(assign.value) == skeleton_data(grammar())


def test_yaml_skeleton_survives_hostile_text() -> None:
    source = render_skeleton("yaml", "CH", "MOBILE", grammar(), ATTACHMENTS)
    assert yaml.safe_load(source) == skeleton_data(grammar())


def test_json_skeleton() -> None:
    source = render_skeleton("json", "CH", "MOBILE", grammar(), ATTACHMENTS)
    data = json.loads(source)
    assert isinstance(data[0], list)
    assert len(data[0]) == 1  # one entry even when more are required; the comment says so


def test_placeholders() -> None:
    data: Any = skeleton_data(grammar())
    entry = data[0][0]
    assert entry['quote "and" back\\slash'] == "<string, pattern ^[\\\\\"']{1,3}$>"
    assert entry["naïve-ünïcode"] == "<optional, one of: Zürich, Genève>"
    assert entry["count"] == "<integer>"
    assert entry["ratio"] == "<optional number>"
    assert entry["flag"] == "<boolean>"
    assert entry["fixed"] is False


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        (
            FieldDescriptor("a", FieldType.STRING, True, min_length=1, max_length=50),
            "<string, 1-50 chars>",
        ),
        (
            FieldDescriptor("a", FieldType.STRING, True, min_length=4, max_length=4),
            "<string, exactly 4 chars>",
        ),
        (
            FieldDescriptor("a", FieldType.STRING, False, min_length=3),
            "<optional string, at least 3 chars>",
        ),
        (FieldDescriptor("a", FieldType.BOOLEAN, True, const=True), True),
        (FieldDescriptor("a", FieldType.STRING, True, enum=("A", "B")), "<one of: A, B>"),
        (FieldDescriptor("a", FieldType.INTEGER, True, enum=(1, 2)), "<one of: 1, 2>"),
    ],
)
def test_placeholder_text(descriptor: FieldDescriptor, expected: object) -> None:
    assert placeholder(descriptor) == expected


def test_table_shows_markup_literally() -> None:
    console = Console(record=True, width=200)
    requirements = NumberRequirements(fields=HOSTILE, attachments=ATTACHMENTS)
    console.print(requirements_view("CH", "MOBILE", requirements, grammar()))
    text = console.export_text()
    assert "[bold]markup[/bold] :warning:" in text
    assert "(a list of at least 2 entries)" in text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59.9, "59s"),
        (61, "1m 01s"),
        (3600 * 5 + 60 * 7, "5h 07m"),
        (86400 * 2 + 3600, "2d 1h"),
        (-5, "0s"),
    ],
)
def test_duration_text(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text


def test_the_python_skeleton_runs_and_builds_the_inputs_a_number_order_takes() -> None:
    # Its names come from NumberOrder's declaration: run, it builds real AttachmentArgs, and the
    # variables it sets are inputs of NumberOrderArgs.
    import dataclasses

    from sinch_numbers import AttachmentArgs, NumberOrderArgs

    source = render_skeleton("python", "CH", "MOBILE", grammar(), ATTACHMENTS)
    namespace: dict[str, Any] = {}
    exec(compile(source, "skeleton.py", "exec"), namespace)  # noqa: S102 - our own output
    inputs = {f.name for f in dataclasses.fields(NumberOrderArgs)}
    made = {name for name in namespace if not name.startswith("__")} - {"AttachmentArgs"}
    assert made == {"registration", "attachments"} <= inputs
    assert all(isinstance(a, AttachmentArgs) for a in namespace["attachments"])
    assert namespace["attachments"][0].requirement_id == 'att"1'
