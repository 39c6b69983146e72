"""The typed surface of the program classes, rendered from the resources' declarations.

For each resource the generated module has, as Pulumi's generated SDKs do:

- ``<Resource>Args``: a frozen keyword-only dataclass of the inputs a program sets (hidden inputs
  aside), required ones first as declared, every other one ``None`` by default;
- ``<Type>Args`` for each object type an input names (``SmsConfigurationArgs``...), once;
- ``<Resource>Surface``: a ``pulumi.dynamic.Resource`` with one ``pulumi.Output`` attribute per
  output and a constructor ``(resource_name, args=None, opts=None, *, <the Args' fields>)`` that
  takes the ``Args`` given whole or builds them from the keywords
  (:func:`~sinch_numbers.surface.args_or_keywords`) and hands them to ``_declare``, which
  the program class in :mod:`sinch_numbers.resource` writes by hand (the checks, the hidden
  inputs, the children).

How a property's traits become Python types:

=====================  ===============================  ==================================
declared               input (``Args`` field)           output attribute
=====================  ===============================  ==================================
string/integer/...     ``pulumi.Input[str]``...         ``str``... (``| None`` unless always set)
array of T             ``Input[Sequence[Input[T]]]``    ``list[T]``
object type ``X``      ``Input[XArgs]``                 ``dict[str, V]``: ``V`` the one type of
                                                        all its fields, else ``Any``
free object / JSON     ``Input[Any]``                   ``dict[str, Any]`` / ``Any``
asset                  ``Input[str] | FileAsset``       ``str`` (the path)
``plain``              the type itself, never an Input
=====================  ===============================  ==================================

An output is always set (no ``| None``) when it is a required input, an input whose default
check stores, or a computed output declared ``required``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Sequence

from sinch_numbers.core.schema import NO_DEFAULT, Kind, ObjectType, Property, ResourceSchema

GENERATED_MODULE = "sinch_numbers/generated/resources.py"
"""Where ``make generate`` writes the module, relative to the repository."""

_WIDTH = 100
_SCALARS = {Kind.STRING: "str", Kind.INTEGER: "int", Kind.NUMBER: "float", Kind.BOOLEAN: "bool"}
_ASSET_INPUT = "pulumi.Input[str] | pulumi.FileAsset"

_HEADER = '''\
"""The typed surface of the program classes: each resource's ``Args``, its constructor's
keywords and its output attributes.

This module is generated from the resources' schemas by ``make generate``; do not edit.
The schemas are ``sinch_numbers/resources/*/schema.py``; ``tests/unit/test_generated.py`` fails
when this file and they differ. What declaring a resource does is written by hand in
:mod:`sinch_numbers.resource`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from sinch_numbers.surface import Surface, args_or_keywords
'''


def args_name(type_name: str) -> str:
    """The dataclass a program passes for an object type or a resource's inputs."""
    return f"{type_name}Args"


def surface_name(schema: ResourceSchema) -> str:
    return f"{schema.name}Surface"


def _named_type(prop: Property) -> str | None:
    """The object type a property names, itself or as its items (None: none)."""
    if prop.kind is Kind.OBJECT:
        return prop.object_type
    if prop.kind is Kind.ARRAY and prop.items is not None and prop.items not in set(Kind):
        return prop.items
    return None


def _python(kind: Kind) -> str:
    return _SCALARS.get(kind, "Any")


def input_type(prop: Property) -> str:
    """The type of the ``Args`` field and of the keyword (before ``| None``)."""
    if prop.kind is Kind.ASSET:
        return _ASSET_INPUT
    named = _named_type(prop)
    if prop.kind is Kind.ARRAY:
        item = args_name(named) if named else _python(Kind(prop.items or Kind.JSON))
        inner = f"Sequence[pulumi.Input[{item}]]"
    else:
        inner = args_name(named) if named else _python(prop.kind)
    return inner if prop.plain else f"pulumi.Input[{inner}]"


def always_set(prop: Property) -> bool:
    """Whether the output is never None once the resource exists."""
    if prop.input:
        stored = prop.default is not NO_DEFAULT and prop.default_in_state
        return prop.required or stored
    return prop.required


def output_type(prop: Property, types: dict[str, ObjectType]) -> str:
    """The type inside ``pulumi.Output[...]`` of the output attribute."""
    inner = _output(prop, types)
    if inner == "Any" or always_set(prop):
        return inner
    return f"{inner} | None"


def _output(prop: Property, types: dict[str, ObjectType]) -> str:
    named = _named_type(prop)
    shape = _object_output(types[named], types) if named else None
    if prop.kind is Kind.ARRAY:
        return f"list[{shape or _python(Kind(prop.items or Kind.JSON))}]"
    if prop.kind is Kind.OBJECT:
        return shape or "dict[str, Any]"
    return "str" if prop.kind is Kind.ASSET else _python(prop.kind)


def _object_output(shape: ObjectType, types: dict[str, ObjectType]) -> str:
    """An object as the outputs hold it: a dict, typed by its fields when they agree."""
    values = {output_type(field, types) for field in shape if field.output}
    value = values.pop() if len(values) == 1 else "Any"
    return f"dict[str, {value}]"


# --- rendering -----------------------------------------------------------------------------------


def _docstring(text: str, indent: str) -> list[str]:
    """A docstring of ``text``, wrapped to the line width, safe to put between triple quotes."""
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    one = f'{indent}"""{text}"""'
    if len(one) <= _WIDTH and "\n" not in text:
        return [one]
    wrapped: list[str] = []
    for number, paragraph in enumerate(f'"""{text}'.split("\n\n")):
        if number:
            wrapped.append("")
        wrapped += textwrap.wrap(
            paragraph,
            width=_WIDTH,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    last = wrapped[-1]
    if len(last) + 3 <= _WIDTH:
        wrapped[-1] = last + '"""'
    else:
        wrapped.append(f'{indent}"""')
    return wrapped


def _args_fields(props: Iterable[Property]) -> list[Property]:
    """The fields of an Args dataclass: the inputs a program sets, in declared order."""
    return [p for p in props if p.input and not p.hidden]


def _dataclass(name: str, description: str, props: Sequence[Property]) -> list[str]:
    lines = ["", "", "@dataclass(frozen=True, kw_only=True)", f"class {name}:"]
    lines += _docstring(description, "    ")
    lines.append("")
    for prop in props:
        if prop.required:
            lines.append(f"    {prop.name}: {input_type(prop)}")
        else:
            lines.append(f"    {prop.name}: {input_type(prop)} | None = None")
        lines += _docstring(prop.description, "    ")
    return lines


def _resource_args(schema: ResourceSchema) -> list[str]:
    return _dataclass(
        args_name(schema.name),
        f"The inputs of a ``{schema.name}``, given as one value instead of as keywords.",
        _args_fields(schema),
    )


def _call(head: str, arguments: str) -> list[str]:
    """``head(arguments)`` in a method's body, on one line or three, as the formatter has it."""
    one = f"        {head}({arguments})"
    if len(one) <= _WIDTH:
        return [one]
    return [f"        {head}(", f"            {arguments}", "        )"]


def _surface(schema: ResourceSchema, types: dict[str, ObjectType]) -> list[str]:
    name = schema.name
    args = args_name(name)
    lines = ["", "", f"class {surface_name(schema)}(Surface):"]
    lines += _docstring(
        f"{schema.description}\n\nThe typed surface of ``{name}``: its constructor's keywords, "
        f"which are ``{args}``'s fields, and its output attributes. The program class "
        f"(:class:`sinch_numbers.resource.{name}`) writes ``_declare``.",
        "    ",
    )
    for prop in schema:
        if prop.output:
            lines.append("")
            lines.append(f"    {prop.name}: pulumi.Output[{output_type(prop, types)}]")
            lines += _docstring(prop.description, "    ")
    keywords = _args_fields(schema)
    lines += [
        "",
        "    def __init__(",
        "        self,",
        "        resource_name: str,",
        f"        args: {args} | None = None,",
        "        opts: pulumi.ResourceOptions | None = None,",
        "        *,",
    ]
    lines += [f"        {p.name}: {input_type(p)} | None = None," for p in keywords]
    lines += ["    ) -> None:"]
    lines += ["        keywords: dict[str, Any] = {"]
    lines += [f'            "{p.name}": {p.name},' for p in keywords]
    lines += [
        "        }",
        *_call("given = args_or_keywords", f'"{name}", resource_name, {args}, args, keywords'),
        "        self._declare(resource_name, given, opts)",
    ]
    return lines


def _input_types(schemas: Sequence[ResourceSchema]) -> Iterator[ObjectType]:
    """The object types a program passes as ``Args``, each once, in first-use order."""
    seen: dict[str, ObjectType] = {}
    for schema in schemas:
        types = {t.name: t for t in schema.types}
        pending = _args_fields(schema)
        while pending:
            named = _named_type(pending.pop(0))
            if named is None:
                continue
            if named in seen:
                if seen[named] != types[named]:
                    raise ValueError(f"two declarations of the object type {named} differ")
                continue
            seen[named] = types[named]
            yield types[named]
            pending += _args_fields(types[named])


def render_module(schemas: Sequence[ResourceSchema]) -> str:
    """The text of the generated module for these resources."""
    object_types = list(_input_types(schemas))
    exported = sorted(
        [args_name(t.name) for t in object_types]
        + [args_name(s.name) for s in schemas]
        + [surface_name(s) for s in schemas]
    )
    lines = _HEADER.splitlines()
    lines += ["", "__all__ = ["] + [f'    "{name}",' for name in exported] + ["]"]
    for shape in object_types:
        lines += _dataclass(args_name(shape.name), shape.description, _args_fields(shape))
    for schema in schemas:
        lines += _resource_args(schema)
        lines += _surface(schema, {t.name: t for t in schema.types})
    return "\n".join(lines) + "\n"
