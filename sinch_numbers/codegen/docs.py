"""The docs' tables of each resource's inputs and outputs, rendered from its declaration.

A doc asks for a table with a pair of marker comments; ``make generate`` renders what lies between
them again and leaves the rest of the page alone::

    <!-- generated from the schema: NumberOrder inputs -->
    | input | type | default | on change | what it is |
    ...
    <!-- end -->

The inputs' table lists what a program sets (hidden inputs aside), the outputs' table what the
provider computes (the inputs are echoed under their own names, which the page says in prose).
Each column comes from the declaration: the type and ``required``/``secret``/``plain`` from the
property's kind and traits, the default from its default, "on change" from its replace-on-change
trait and its group, the last column from its description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sinch_numbers.core.schema import NO_DEFAULT, Group, Kind, Property, ResourceSchema

DOCS = ("docs/number-order.md", "docs/active-number.md")
"""The pages with generated tables, relative to the repository."""

_BLOCK = re.compile(
    r"(?P<open><!-- generated from the schema: (?P<resource>\w+) (?P<part>inputs|outputs) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<close><!-- end -->)",
    re.DOTALL,
)

_KINDS = {
    Kind.STRING: "string",
    Kind.INTEGER: "integer",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "bool",
    Kind.JSON: "any JSON",
    Kind.ASSET: "`pulumi.FileAsset` or a path",
    Kind.OBJECT: "object",
    Kind.ARRAY: "list",
}

_ON_CHANGE = {
    Group.IDENTITY: "**replace**",
    Group.ROUTING: "in place, never a replace",
    Group.KYC: "in place, while the order takes it",
    Group.STATE_ONLY: "state only: no API call",
}
"""What a change of an input means, by its group (see :class:`Group`)."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _kind(prop: Property, *, as_input: bool) -> str:
    """``string``, ``list of string``, ``SmsConfigurationArgs``, ``list of objects``..."""
    if prop.kind is Kind.OBJECT and prop.object_type is not None:
        return f"`{prop.object_type}Args`" if as_input else "object"
    if prop.kind is Kind.ARRAY:
        items = prop.items or Kind.JSON.value
        if items in set(Kind):
            return f"list of {_KINDS[Kind(items)]}"
        return f"list of `{items}Args`" if as_input else "list of objects"
    return _KINDS[prop.kind]


def type_text(prop: Property) -> str:
    """The type column: the kind, then the traits a program must know."""
    parts = [_kind(prop, as_input=prop.input)]
    if prop.plain:
        parts.append("plain (not an `Output`)")
    if prop.input and prop.required:
        parts.append("required")
    if prop.secret:
        parts.append("**secret**")
    return ", ".join(parts)


def default_text(prop: Property) -> str:
    value = prop.default
    if value is NO_DEFAULT:
        return "\N{EN DASH}"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def on_change_text(prop: Property) -> str:
    """What a change of the input means, from its traits alone (the description says more)."""
    if prop.replace_on_change:
        return _ON_CHANGE[Group.IDENTITY]
    if prop.group is not None:
        return _ON_CHANGE[prop.group]
    return "in place"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def inputs_table(schema: ResourceSchema) -> str:
    """What a program sets: every input but the hidden ones."""
    return _table(
        ("input", "type", "default", "on change", "what it is"),
        (
            (f"`{p.name}`", type_text(p), default_text(p), on_change_text(p), p.description)
            for p in schema
            if p.input and not p.hidden
        ),
    )


def outputs_table(schema: ResourceSchema) -> str:
    """What the provider adds to the inputs: the computed outputs and the hidden inputs."""
    return _table(
        ("output", "type", "what it is"),
        (
            (f"`{p.name}`", type_text(p), p.description)
            for p in schema
            if p.output and (p.computed or p.hidden)
        ),
    )


def render_doc(text: str, schemas: Sequence[ResourceSchema]) -> str:
    """``text`` with every marked table rendered again from the declarations."""
    by_name = {schema.name: schema for schema in schemas}

    def render(found: re.Match[str]) -> str:
        schema = by_name[found["resource"]]
        table = inputs_table(schema) if found["part"] == "inputs" else outputs_table(schema)
        return found["open"] + table + found["close"]

    return _BLOCK.sub(render, text)
