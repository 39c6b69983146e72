"""The Pulumi package schema of the provider plugin, rendered from the declarations.

``sinch_numbers/plugin/schema.json`` is what the plugin's ``get_schema`` serves and what the SDKs
(``make sdk``) are generated from. Every part comes from one declaration:

- the provider's configuration from :data:`sinch_numbers.configuration.SETTINGS` (the rows with a
  ``sinch:`` stack key; ``true``/``false`` settings are booleans);
- the resources from their ``SCHEMA`` (``resources/*/schema.py``): every output in
  ``properties``, the outputs always set in ``required``, the inputs in ``inputProperties``, the
  required ones in ``requiredInputs``; each with its type, description, default, ``secret`` and
  ``replaceOnChanges``;
- the functions from :mod:`sinch_numbers.core.lookup_schema`;
- the object types from the types those declare, each once.

Names are camelCase (:attr:`Property.pulumi_name`), object types' fields too; free objects and
free JSON are ``pulumi.json#/Any``, so their keys are whatever the provider gives. The package
leaves out what only the Python program classes have: hidden inputs (the program class passes
them) and ``program_only`` ones (``wait_for_completion`` declares a child resource, which a
provider plugin cannot: the package's users declare ``NumberOrderCompletion`` themselves).
A property's description is its ``package_description`` where the Python one speaks of Python,
and property names in backticks are spelled as the package spells them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sinch_numbers import __version__
from sinch_numbers.codegen.python import always_set
from sinch_numbers.configuration import SETTINGS, Setting
from sinch_numbers.core.schema import (
    NO_DEFAULT,
    FunctionSchema,
    Kind,
    ObjectType,
    Property,
    ResourceSchema,
    pulumi_name,
)

PACKAGE_SCHEMA = "sinch_numbers/plugin/schema.json"
"""Where ``make generate`` writes the schema, relative to the repository (the wheel ships it)."""

PACKAGE = "sinch"
MODULE = "numbers"

_ANY = {"$ref": "pulumi.json#/Any"}
_FREE_OBJECT = {"type": "object", "additionalProperties": _ANY}
_BOOLEAN_CHOICES = {"true", "false"}

LANGUAGES: dict[str, dict[str, Any]] = {
    "python": {
        "packageName": "pulumi_sinch",
        "pyproject": {"enabled": True},
        "respectSchemaVersion": True,
    },
    "nodejs": {
        "packageName": "@sinch-numbers/pulumi-sinch",
        "respectSchemaVersion": True,
        "dependencies": {"@pulumi/pulumi": "^3.0.0"},
    },
    "go": {
        "importBasePath": "github.com/sinch-numbers/sinch-numbers/sdk/go/sinch",
        "generateResourceContainerTypes": True,
        "respectSchemaVersion": True,
    },
}
"""What each SDK generator is told: the SDKs' names (docs/package-schema.md)."""


def token(name: str) -> str:
    """A resource's, function's or object type's token: ``sinch:numbers:NumberOrder``."""
    return f"{PACKAGE}:{MODULE}:{name}"


def in_package(prop: Property) -> bool:
    """Whether the package schema has the property: hidden and program-only ones it has not."""
    return not (prop.hidden or prop.program_only)


class _Names:
    """Spells the declared names a description quotes in backticks as the package does."""

    _QUOTED = re.compile(r"`[^`]*`")
    _WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

    def __init__(self, properties: Iterable[Property]) -> None:
        self._names = {p.name for p in properties if "_" in p.name}

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        return pulumi_name(word) if word in self._names else word

    def _quoted(self, match: re.Match[str]) -> str:
        return self._WORD.sub(self._word, match.group(0))

    def __call__(self, text: str) -> str:
        return self._QUOTED.sub(self._quoted, text)


def _item_type(items: str | None) -> dict[str, Any]:
    if items is None:
        return dict(_ANY)
    if items in {k.value for k in Kind}:
        return _type(Kind(items), None, None)
    return {"$ref": f"#/types/{token(items)}"}


def _type(kind: Kind, items: str | None, object_type: str | None) -> dict[str, Any]:
    if kind is Kind.JSON or kind is Kind.ASSET:
        return {"$ref": kind.value}
    if kind is Kind.ARRAY:
        return {"type": "array", "items": _item_type(items)}
    if kind is Kind.OBJECT:
        if object_type is None:
            return dict(_FREE_OBJECT)
        return {"$ref": f"#/types/{token(object_type)}"}
    return {"type": kind.value}


def _property(prop: Property, names: _Names, *, as_input: bool) -> dict[str, Any]:
    spec = _type(prop.kind, prop.items, prop.object_type)
    spec["description"] = names(prop.package_description or prop.description)
    # A default the SDKs fill in is stored, so only a default check stores too is one here.
    if as_input and prop.default is not NO_DEFAULT and prop.default_in_state:
        if not isinstance(prop.default, bool | int | float | str):
            raise ValueError(f"{prop.name}: a package schema default is a bool, number or string")
        spec["default"] = prop.default
    if prop.secret:
        spec["secret"] = True
    if prop.replace_on_change:
        spec["replaceOnChanges"] = True
    return spec


def _properties(
    props: Iterable[Property], names: _Names, *, as_input: bool
) -> dict[str, dict[str, Any]]:
    return {p.pulumi_name: _property(p, names, as_input=as_input) for p in props}


def _resource(schema: ResourceSchema, names: _Names) -> dict[str, Any]:
    outputs = [p for p in schema if p.output and in_package(p)]
    inputs = [p for p in schema if p.input and in_package(p)]
    return {
        "description": names(schema.package_description or schema.description),
        "properties": _properties(outputs, names, as_input=False),
        "required": [p.pulumi_name for p in outputs if always_set(p)],
        "inputProperties": _properties(inputs, names, as_input=True),
        "requiredInputs": [p.pulumi_name for p in inputs if p.required],
    }


def _object(props: Sequence[Property], names: _Names, *, as_input: bool) -> dict[str, Any]:
    shown = [p for p in props if in_package(p)]
    spec: dict[str, Any] = {"properties": _properties(shown, names, as_input=as_input)}
    required = [p.pulumi_name for p in shown if p.required]
    if required:
        spec["required"] = required
    return spec


def _function(function: FunctionSchema, names: _Names) -> dict[str, Any]:
    return {
        "description": names(function.description),
        "inputs": _object(function.inputs, names, as_input=True),
        "outputs": _object(function.outputs, names, as_input=False),
    }


def _object_type(shape: ObjectType, names: _Names) -> dict[str, Any]:
    return {
        "type": "object",
        "description": names(shape.description),
        **_object(shape.properties, names, as_input=True),
    }


def _types(
    resources: Sequence[ResourceSchema], functions: Sequence[FunctionSchema]
) -> list[ObjectType]:
    """Every object type once, in the order first named; one name, one shape."""
    found: dict[str, ObjectType] = {}
    for shape in (
        *(t for r in resources for t in r.types),
        *(t for f in functions for t in f.types),
    ):
        if found.setdefault(shape.name, shape) != shape:
            raise ValueError(f"two object types are named {shape.name}")
    return list(found.values())


def _setting_type(setting: Setting) -> str:
    return "boolean" if set(setting.choices) == _BOOLEAN_CHOICES else "string"


def _setting(setting: Setting) -> dict[str, Any]:
    unset = f"the `{setting.variable}` environment variable"
    if setting.required:
        unset += ", which must then be set"
    elif setting.default is not None:
        unset += f", else `{setting.default}`"
    spec: dict[str, Any] = {
        "type": _setting_type(setting),
        "description": f"{setting.meaning}. Unset: {unset}.",
    }
    if setting.secret:
        spec["secret"] = True
    return spec


def _configuration() -> dict[str, dict[str, Any]]:
    """The provider's configuration: each setting a stack may set, under its key without the
    ``sinch:`` prefix. No defaults: the provider falls back on the environment itself, and a
    default the SDKs filled in would hide the variable."""
    return {
        setting.stack_key.removeprefix(f"{PACKAGE}:"): _setting(setting)
        for setting in SETTINGS
        if setting.stack_key is not None
    }


def package_schema(
    resources: Sequence[ResourceSchema], functions: Sequence[FunctionSchema]
) -> dict[str, Any]:
    """The package schema, as a JSON-ready mapping."""
    types = _types(resources, functions)
    names = _Names(
        (
            *(p for r in resources for p in r),
            *(p for t in types for p in t),
            *(p for f in functions for p in (*f.inputs, *f.outputs)),
        )
    )
    configuration = _configuration()
    return {
        "name": PACKAGE,
        "displayName": "Sinch Numbers",
        "description": "Phone numbers ordered from the Sinch Numbers API, with the KYC "
        "registration and documents their country needs, and the numbers' routing.",
        "keywords": ["pulumi", "sinch", "phone-numbers", "kyc", "category/network"],
        "license": "Apache-2.0",
        "publisher": "sinch-numbers",
        "version": __version__,
        "meta": {"moduleFormat": "(.*)"},
        "config": {"variables": configuration},
        "provider": {
            "description": "The provider: how it reaches the Sinch Numbers API and what it "
            "does in preview.",
            "inputProperties": configuration,
        },
        "resources": {token(r.name): _resource(r, names) for r in resources},
        "functions": {token(pulumi_name(f.name)): _function(f, names) for f in functions},
        "types": {token(t.name): _object_type(t, names) for t in types},
        "language": LANGUAGES,
    }


def render_package_schema(
    resources: Sequence[ResourceSchema], functions: Sequence[FunctionSchema]
) -> str:
    return json.dumps(package_schema(resources, functions), indent=2, ensure_ascii=False) + "\n"
