"""The plugin's boundary: the engine's values (``PropertyValue``, camelCase names) to what the
resource logic has always been given (plain Python values, the declarations' snake_case names),
and back.

The logic sees exactly what the dynamic provider's logic sees: plain values, numbers as floats
(the wire has no integers), secrets unwrapped, a value unknown in preview as
``pulumi.output.Unknown``, a document as its path. Names are mapped by the declarations alone:
a resource's properties and the fields of its object types are camelCased; free JSON
(``registration``) and free objects (``progress``) pass through untouched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference
from pulumi.runtime import rpc

from sinch_numbers.core.schema import Kind, Property, ResourceSchema, pulumi_name

Plain = dict[str, Any]


@dataclass(frozen=True)
class Secrecy:
    """What of a resource's values came secret: the names, and the text inside those the
    declaration does not keep secret anyway (a secret ``callbackUrl``), which any output that
    carries it (``activeNumbers``, ``pendingConfiguration``) must keep secret too."""

    names: frozenset[str] = frozenset()
    texts: frozenset[str] = frozenset()

    def __or__(self, other: Secrecy) -> Secrecy:
        return Secrecy(self.names | other.names, self.texts | other.texts)

    def covers(self, name: str, value: Any) -> bool:
        return name in self.names or (bool(self.texts) and _carries(value, self.texts))


@dataclass(frozen=True)
class Unwrapped:
    """Plain values by snake_case name, and what of them came secret."""

    values: Plain
    secret: Secrecy


def _carries(value: Any, texts: frozenset[str]) -> bool:
    if isinstance(value, str):
        return value in texts
    if isinstance(value, Mapping):
        return any(_carries(v, texts) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_carries(v, texts) for v in value)
    return False


def _texts(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, Mapping):
        return {t for v in value.values() for t in _texts(v)}
    if isinstance(value, list | tuple):
        return {t for v in value for t in _texts(v)}
    return set()


def plain(value: PropertyValue) -> Any:
    """One engine value as plain Python; secrets unwrapped, unknowns as ``Unknown``."""
    inner = value.value
    if isinstance(inner, Computed) or inner == rpc.UNKNOWN:
        return unknown()
    if isinstance(inner, pulumi.FileAsset):
        # What the program classes hand the logic for a FileAsset: its path.
        return str(inner.path)
    if isinstance(inner, ResourceReference):
        return inner.urn
    if isinstance(inner, str | bool | float) or inner is None:
        return inner
    if isinstance(inner, Mapping):
        return {k: plain(v) for k, v in inner.items()}
    if isinstance(inner, Iterable):
        return [plain(v) for v in inner]
    return inner


def unknown() -> Any:
    """A value unknown in preview, as the logic tells it (``core.checking.is_unknown``)."""
    return Unknown()  # type: ignore[no-untyped-call]


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def engine_value(value: Any, *, secret: bool = False) -> PropertyValue:
    """A plain value as the engine takes it: integers as floats (``PropertyValue`` refuses
    ints), an unknown as the engine's unknown sentinel (``PropertyValue.computed()`` cannot be
    marshalled)."""
    converted = _engine(value)
    return converted.with_secret(True) if secret else converted


def _engine(value: Any) -> PropertyValue:
    if isinstance(value, Unknown):
        return PropertyValue(rpc.UNKNOWN)
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return PropertyValue(value)
    if isinstance(value, int):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): _engine(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([_engine(v) for v in value])
    return PropertyValue(str(value))


class Names:
    """camelCase <-> snake_case for one resource (or function), by its declaration."""

    def __init__(self, schema: ResourceSchema, properties: Iterable[Property] | None = None):
        self.schema = schema
        self.properties = tuple(schema if properties is None else properties)
        self._by_camel = {p.pulumi_name: p for p in self.properties}

    def unwrap(self, values: Mapping[str, PropertyValue]) -> Unwrapped:
        """The engine's values by snake_case name. A name no property has stays as given, so
        the check that refuses it names it as the user wrote it."""
        out: Plain = {}
        secret: set[str] = set()
        texts: set[str] = set()
        for key, value in values.items():
            prop = self._by_camel.get(key)
            name = prop.name if prop is not None else key
            out[name] = self._to_snake(prop, plain(value))
            if value.contains_secret():
                secret.add(name)
                # An input's text only: a computed output's would spread to every output that
                # shares a word with it (the phone number) at the next refresh.
                if prop is not None and prop.input and name not in self.schema.secret:
                    texts |= _texts(out[name])
        return Unwrapped(out, Secrecy(frozenset(secret), frozenset(texts)))

    def wrap(
        self,
        values: Mapping[str, Any],
        *,
        secret: Secrecy = Secrecy(),
    ) -> dict[str, PropertyValue]:
        """Plain values by snake_case name as the engine's, camelCased; the declaration's
        secret properties and what ``secret`` covers wrapped as secrets."""
        hidden = secret | Secrecy(frozenset(self.schema.secret))
        out: dict[str, PropertyValue] = {}
        for name, value in values.items():
            prop = self._prop(name)
            key = prop.pulumi_name if prop is not None else pulumi_name(name)
            out[key] = engine_value(self._to_camel(prop, value), secret=hidden.covers(name, value))
        return out

    def path(self, path: str) -> str:
        """A failure's property path (``attachments[0].requirement_id``) as the package user
        writes it (``attachments[0].requirementId``); free JSON inside it untouched."""
        parts = re.split(r"(\[[^\]]*\]|\.)", path)
        out: list[str] = []
        shape: Mapping[str, Property] | None = {p.name: p for p in self.properties}
        for part in parts:
            if not part or part == "." or part.startswith("["):
                out.append(part)
                continue
            prop = shape.get(part) if shape is not None else None
            if prop is None:
                out.append(part)
                shape = None
                continue
            out.append(prop.pulumi_name)
            fields = self._fields(prop)
            shape = {f.name: f for f in fields} if fields is not None else None
        return "".join(out)

    def name(self, name: str) -> str:
        """A top-level snake_case name as the package user writes it."""
        prop = self._prop(name)
        return prop.pulumi_name if prop is not None else pulumi_name(name)

    def _prop(self, name: str) -> Property | None:
        for prop in self.properties:
            if prop.name == name:
                return prop
        return None

    def _fields(self, prop: Property) -> tuple[Property, ...] | None:
        """The fields of an object property or of an array's object items; None for free
        JSON, free objects and scalars (nothing inside is renamed)."""
        shape = prop.object_type or (prop.items if prop.kind is Kind.ARRAY else None)
        if shape is None:
            return None
        try:
            return self.schema.type(shape).properties
        except KeyError:
            return None  # an array of scalars

    def _to_snake(self, prop: Property | None, value: Any) -> Any:
        return self._rename(prop, value, lambda f: f.pulumi_name, lambda f: f.name)

    def _to_camel(self, prop: Property | None, value: Any) -> Any:
        return self._rename(prop, value, lambda f: f.name, lambda f: f.pulumi_name)

    def _rename(self, prop: Property | None, value: Any, src: Any, dst: Any) -> Any:
        if prop is None:
            return value
        fields = self._fields(prop)
        if fields is None:
            return value
        if prop.kind is Kind.ARRAY:
            if not isinstance(value, list):
                return value
            item = Property(Kind.OBJECT, "", object_type=prop.items)
            return [self._rename(item, v, src, dst) for v in value]
        if not isinstance(value, Mapping):
            return value
        by_src = {src(f): f for f in fields}
        out: Plain = {}
        for key, inner in value.items():
            field = by_src.get(key)
            out[dst(field) if field is not None else key] = self._rename(field, inner, src, dst)
        return out


_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@functools.cache
def _declared_names() -> frozenset[str]:
    """Every snake_case name the package's resources and functions declare (object types'
    fields included) that the package spells otherwise."""
    from sinch_numbers.codegen import LOOKUPS, SCHEMAS

    found: set[str] = set()
    for schema in SCHEMAS:
        found.update(p.name for p in schema)
        found.update(f.name for t in schema.types for f in t)
    for function in LOOKUPS:
        found.update(p.name for p in (*function.inputs, *function.outputs))
        found.update(f.name for t in function.types for f in t)
    return frozenset(n for n in found if "_" in n)


def spell(text: str) -> str:
    """A message of the logic as a package user reads it: each declared property name it
    mentions (``adopt_order_id``, ``last_error_detail``) spelled as the package spells it."""
    names = _declared_names()
    return _WORD.sub(lambda m: pulumi_name(m.group(0)) if m.group(0) in names else m.group(0), text)
