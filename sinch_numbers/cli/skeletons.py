"""Registration skeletons for ``sinch-numbers requirements --skeleton python|yaml|json``.

A skeleton is the ``registration`` input with the shape the requirements ask for: one entry per
rule group, in order (a repeatable group is a list holding one entry), and every field of each
template holding a placeholder that says what to put there. Values that are fixed by the rules
(``const``, a one-value ``enum``) are filled in, because there is nothing to choose.

Python and YAML carry comments (group and field titles, the attachments to upload); JSON cannot,
so it is the bare data. Titles and descriptions come from Sinch's response and are folded onto one
line, so they can never end a comment early and inject code into a program someone pastes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from sinch_numbers.api.models import RequiredAttachment
from sinch_numbers.api.text import one_line
from sinch_numbers.cli.options import SKELETON_FORMATS
from sinch_numbers.cli.rules import entries_rule, group_heading, length_rule
from sinch_numbers.codegen.python import args_name
from sinch_numbers.kyc.grammar import FieldDescriptor, JsonScalar, RequirementsGrammar, RuleGroup
from sinch_numbers.resources.number_order.schema import ATTACHMENT, AttachmentFields
from sinch_numbers.resources.number_order.schema import NumberOrderProperties as P

# The names a skeleton writes come from NumberOrder's declaration: the program's variables are
# named after the inputs they are meant for.
_REGISTRATION = P.registration.name
_ATTACHMENTS = P.attachments.name
_ATTACHMENT_ARGS = args_name(ATTACHMENT.name)

_PLAIN_YAML_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMMENT_LIMIT = 240


def _scalar_text(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def placeholder(descriptor: FieldDescriptor) -> JsonScalar:
    """The value a skeleton shows for one field.

    ``"<string, 1-50 chars, pattern ^[0-9]{4}$>"``, ``"<one of: A, B>"``,
    ``"<optional integer>"``; the fixed value itself for a ``const`` or a one-value ``enum``.
    """
    if descriptor.const is not None:
        return descriptor.const
    if descriptor.enum is not None and len(descriptor.enum) == 1:
        return descriptor.enum[0]
    optional = "" if descriptor.required else "optional"
    if descriptor.enum is not None:
        choices = "one of: " + ", ".join(_scalar_text(v) for v in descriptor.enum)
        return f"<{optional}, {choices}>" if optional else f"<{choices}>"
    parts = [f"{optional} {descriptor.type.value}".strip()]
    length = length_rule(descriptor)
    if length:
        parts.append(length)
    if descriptor.pattern is not None:
        parts.append(f"pattern {descriptor.pattern}")
    return "<" + ", ".join(parts) + ">"


def skeleton_data(grammar: RequirementsGrammar) -> list[object]:
    """The skeleton as plain data (what ``--skeleton json`` prints)."""
    data: list[object] = []
    for group in grammar.rules:
        entry = {d.name: placeholder(d) for d in group.template}
        data.append([entry] if group.repeatable else entry)
    return data


def _comment(text: str | None) -> str:
    return one_line(text or "", _COMMENT_LIMIT)


def _group_comment(index: int, group: RuleGroup) -> str:
    text = group_heading(index, group)
    if group.repeatable:
        more = "" if group.max_items == 1 else "; copy the entry to add more"
        text += f" ({entries_rule(group)}{more})"
    return _comment(text)


def _field_comment(descriptor: FieldDescriptor) -> str:
    parts = [p for p in (descriptor.title, descriptor.description) if p]
    if descriptor.const is not None:
        parts.append("must be " + _scalar_text(descriptor.const))
    elif descriptor.enum is not None and len(descriptor.enum) == 1:
        parts.append("the only allowed value")
    return _comment("; ".join(parts))


def _attachment_comment(attachment: RequiredAttachment) -> str:
    parts = [attachment.title or attachment.id, "mandatory" if attachment.mandatory else "optional"]
    if attachment.allowed_mime_types:
        parts.append(", ".join(attachment.allowed_mime_types))
    return _comment("; ".join(parts))


def _header(region_code: str, number_type: str) -> list[str]:
    return [
        f"# Registration skeleton for {region_code} {number_type}: requestDetails.data, "
        "one entry per rule group, in order.",
        '# Replace every "<...>" placeholder; optional fields may be left out.',
    ]


# --- python ------------------------------------------------------------------------------------


def _py_literal(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        # A JSON string is a valid Python string literal (same escapes, double quotes).
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _py_entry(group: RuleGroup, indent: str) -> list[str]:
    lines = [indent + "{"]
    for descriptor in group.template:
        comment = _field_comment(descriptor)
        line = (
            f"{indent}    {json.dumps(descriptor.name, ensure_ascii=False)}: "
            f"{_py_literal(placeholder(descriptor))},"
        )
        lines.append(f"{line}  # {comment}" if comment else line)
    lines.append(indent + "},")
    return lines


def _py_attachments(attachments: Sequence[RequiredAttachment]) -> list[str]:
    lines = ["", f"{_ATTACHMENTS} = ["]
    for attachment in attachments:
        lines.append(f"    # {_attachment_comment(attachment)}")
        arguments = [
            f"{AttachmentFields.requirement_id.name}="
            + json.dumps(attachment.id, ensure_ascii=False),
            f'{AttachmentFields.file.name}="<path to the document>"',
        ]
        if attachment.allowed_document_types:
            choices = ", ".join(attachment.allowed_document_types)
            choice = json.dumps(f"<one of: {choices}>")
            arguments.append(f"{AttachmentFields.document_type.name}={choice}")
        lines.append(f"    {_ATTACHMENT_ARGS}({', '.join(arguments)}),")
    lines.append("]")
    return lines


def _python_lines(
    grammar: RequirementsGrammar, attachments: Sequence[RequiredAttachment]
) -> list[str]:
    lines = [f"from sinch_numbers import {_ATTACHMENT_ARGS}", ""] if attachments else []
    lines.append(f"{_REGISTRATION} = [")
    for index, group in enumerate(grammar.rules):
        lines.append(f"    # {_group_comment(index, group)}")
        if group.repeatable:
            lines.append("    [")
            lines += _py_entry(group, " " * 8)
            lines.append("    ],")
        else:
            lines += _py_entry(group, " " * 4)
    lines.append("]")
    if attachments:
        lines += _py_attachments(attachments)
    return lines


# --- yaml --------------------------------------------------------------------------------------


def _yaml_scalar(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # ASCII-only JSON strings are valid YAML double-quoted scalars.
        return json.dumps(value)
    return repr(value)


def _yaml_key(name: str) -> str:
    return name if _PLAIN_YAML_KEY.match(name) else json.dumps(name)


def _yaml_entry(group: RuleGroup, first_prefix: str, indent: str) -> list[str]:
    lines = []
    for position, descriptor in enumerate(group.template):
        prefix = first_prefix if position == 0 else indent
        comment = _field_comment(descriptor)
        line = f"{prefix}{_yaml_key(descriptor.name)}: {_yaml_scalar(placeholder(descriptor))}"
        lines.append(f"{line}  # {comment}" if comment else line)
    return lines


def _yaml_lines(
    grammar: RequirementsGrammar, attachments: Sequence[RequiredAttachment]
) -> list[str]:
    lines = []
    for index, group in enumerate(grammar.rules):
        lines.append(f"# {_group_comment(index, group)}")
        if group.repeatable:
            lines += _yaml_entry(group, "- - ", " " * 4)
        else:
            lines += _yaml_entry(group, "- ", " " * 2)
    if attachments:
        lines.append("# Attachments to upload (requirement id: what):")
        for attachment in attachments:
            kinds = ""
            if attachment.allowed_document_types:
                kinds = "; document type one of: " + ", ".join(attachment.allowed_document_types)
            described = f"{attachment.id}: {_attachment_comment(attachment)}{kinds}"
            lines.append(f"#   {_comment(described)}")
    return lines


def render_skeleton(
    format_: str,
    region_code: str,
    number_type: str,
    grammar: RequirementsGrammar,
    attachments: Sequence[RequiredAttachment],
) -> str:
    """``format_`` is one of ``SKELETON_FORMATS``."""
    if format_ not in SKELETON_FORMATS:
        raise ValueError(f"unknown skeleton format {format_!r}")
    if format_ == "json":
        return json.dumps(skeleton_data(grammar), indent=2, ensure_ascii=False) + "\n"
    body = _python_lines if format_ == "python" else _yaml_lines
    return "\n".join(_header(region_code, number_type) + body(grammar, attachments)) + "\n"


def no_registration_skeleton(format_: str, region_code: str, number_type: str) -> str:
    """What a skeleton is for a pair without KYC: nothing to register (``None``/``null``)."""
    note = f"# {region_code} {number_type} needs no KYC registration: leave {_REGISTRATION} unset."
    if format_ == "python":
        return f"{note}\n{_REGISTRATION} = None\n"
    if format_ == "yaml":
        return f"{note}\nnull\n"
    return "null\n"
