"""One declaration of a resource's properties, from which everything else is derived.

Each resource package opens with a subclass of :class:`Properties` whose attributes are its
properties: the attribute's name is the property's name, the :class:`Property` its type, default,
description and traits (an input, an output the provider computes, replaced on change, secret).
Code refers to a property as ``NumberOrderProperties.region_code.name``, which the type checker
follows, and never by a string of its own; the inputs' checking, the outputs' projection, the typed
program classes, the docs' tables and the Pulumi package schema read the :class:`ResourceSchema`
built from the class, so a property's name is written once.

Nothing here imports Pulumi.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """A property's type, in the Pulumi package schema's words."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"
    JSON = "pulumi.json#/Any"
    """Free JSON: whatever shape the program gives (a registration payload)."""
    ASSET = "pulumi.json#/Asset"
    """A document: a ``pulumi.FileAsset`` or a path to a file (stored as the path)."""


class Group(StrEnum):
    """What a change of an input means to the resource, beyond replace-on-change."""

    IDENTITY = "identity"
    """What the resource is (what was ordered, which number): a change means another one."""
    ROUTING = "routing"
    """Where the numbers route SMS, voice and callbacks: changed in place, never a replace."""
    KYC = "kyc"
    """Registration data and documents: personal data, sent while the order takes it."""
    STATE_ONLY = "state_only"
    """Read by the provider and the program only: a change makes no call."""


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()
"""A property without a default: absent means not given."""


@dataclass(frozen=True)
class Property:
    """One property of a resource and its traits; its name is the attribute's that holds it."""

    kind: Kind
    description: str
    input: bool = True
    """Set by the program. An output the provider computes has ``input=False``."""
    output: bool = True
    """Read back from the resource (every input is echoed in the outputs unless False)."""
    required: bool = False
    """An input the program must give; a computed output the provider always sets (never
    None once the resource exists)."""
    default: Any = NO_DEFAULT
    replace_on_change: bool = False
    """A change means another resource: the API cannot change it in place."""
    secret: bool = False
    """Stored encrypted in the state, never shown in plain output."""
    items: str | None = None
    """For an array, the type of its items (a :class:`Kind` value or an object type's name)."""
    object_type: str | None = None
    """For an object, the name of its shape (``SmsConfiguration``...); None is free JSON."""
    hidden: bool = False
    """Passed by the program class itself, never by a user (documented nowhere)."""
    group: Group | None = None
    """For an input: what its change means (see :class:`Group`)."""
    default_in_state: bool = True
    """Whether check writes the default into the inputs the engine stores; False: absent stays
    absent, and the default applies where the value is used."""
    plain: bool = False
    """An input the program must know when it declares the resource, never a ``pulumi.Output``
    (it decides what the program declares): Pulumi's ``plain``."""
    program_only: bool = False
    """An input of the Python program classes only, left out of the Pulumi package: what it does
    takes the program itself (``wait_for_completion`` declares a child resource, which a provider
    plugin cannot), so the package's users write that in their program instead."""
    package_description: str | None = None
    """The description in the Pulumi package schema, where ``description`` speaks of the Python
    program classes (their ``Args`` classes, ``pulumi.FileAsset``) or of what the dynamic provider
    lacks; None: ``description``, its property names spelled as the package spells them."""

    name: str = ""
    """Set from the attribute's name when the declaring class is made."""

    def __set_name__(self, owner: type, name: str) -> None:
        # A declaration may list a property of a shared base again, to put it in its place.
        if self.name and self.name != name:
            raise TypeError(f"{owner.__name__}.{name} is already declared as {self.name}")
        object.__setattr__(self, "name", name)

    @property
    def computed(self) -> bool:
        return not self.input

    @property
    def pulumi_name(self) -> str:
        """The name in the Pulumi package schema and on the wire to the plugin (camelCase)."""
        return pulumi_name(self.name)


def pulumi_name(name: str) -> str:
    """A declared (snake_case) name as the Pulumi package schema spells it: ``region_code`` is
    ``regionCode``. Pulumi's SDK generators turn it back into each language's own spelling."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def computed(kind: Kind, description: str, **traits: Any) -> Property:
    """An output the provider computes (no input)."""
    return Property(kind, description, input=False, **traits)


class Properties:
    """The declaration of one resource's properties: subclass it with :class:`Property`
    attributes, in the order the docs list them.

    Properties that several resources share are declared once, in
    :mod:`sinch_numbers.core.common_properties`, and taken by assignment in their place
    (``sms_configuration = RoutingProperties.sms_configuration``). A class's own attributes come
    first, in their order, then any it inherits."""

    @classmethod
    def declared(cls) -> tuple[Property, ...]:
        found: dict[str, Property] = {}
        for klass in cls.__mro__:
            for value in vars(klass).values():
                if isinstance(value, Property) and value.name not in found:
                    found[value.name] = value
        return tuple(found.values())

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The declared properties' names, in order."""
        return tuple(p.name for p in cls.declared())


@dataclass(frozen=True)
class ObjectType:
    """The shape of an object property (``SmsConfiguration``...), named by its ``object_type``
    or ``items``: its fields are declared as properties are, by a :class:`Properties` class."""

    name: str
    description: str
    properties: tuple[Property, ...]

    @classmethod
    def of(cls, fields: type[Properties]) -> ObjectType:
        """The type a :class:`Properties` class declares: named as the class without its
        ``Fields`` ending, described by its docstring."""
        return cls(
            fields.__name__.removesuffix("Fields"),
            inspect.cleandoc(fields.__doc__ or ""),
            fields.declared(),
        )

    def __iter__(self) -> Iterator[Property]:
        return iter(self.properties)


@dataclass(frozen=True)
class ResourceSchema:
    """A resource's name and its properties, in the order the docs list them."""

    name: str
    description: str
    properties: tuple[Property, ...]
    types: tuple[ObjectType, ...] = ()
    """The object types its properties name (and those their fields name), each once."""
    package_description: str | None = None
    """The description in the Pulumi package schema, where it differs from ``description``
    (which the Python program class's docs give)."""

    def __post_init__(self) -> None:
        _check_declared(self.name, self.properties, self.types)

    def __iter__(self) -> Iterator[Property]:
        return iter(self.properties)

    def __getitem__(self, name: str) -> Property:
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(name)

    def type(self, name: str) -> ObjectType:
        for shape in self.types:
            if shape.name == name:
                return shape
        raise KeyError(name)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every input a program may set (hidden ones included: the provider receives them)."""
        return tuple(p.name for p in self.properties if p.input)

    @property
    def echoed_inputs(self) -> tuple[str, ...]:
        """The inputs the outputs repeat under their own names (all but hidden ones)."""
        return tuple(p.name for p in self.properties if p.input and p.output)

    def group(self, group: Group) -> tuple[str, ...]:
        """The inputs of one :class:`Group`, in order."""
        return tuple(p.name for p in self.properties if p.input and p.group is group)

    @property
    def stored_defaults(self) -> dict[str, Any]:
        """The defaults check writes into the inputs the engine stores."""
        return {
            p.name: p.default
            for p in self.properties
            if p.input and p.default is not NO_DEFAULT and p.default_in_state
        }

    def unknown_inputs(self, given: Mapping[str, Any], *, ignored: Iterable[str] = ()) -> list[str]:
        """The keys of ``given`` that are no input of this resource, sorted."""
        return sorted(set(given) - set(self.inputs) - set(ignored))

    def unknown_input_rule(self) -> str:
        return f"is not an input of {self.name}"

    @property
    def computed_outputs(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.computed)

    @property
    def replace_on_change(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.replace_on_change)

    @property
    def secret(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.secret)

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.properties if p.default is not NO_DEFAULT}


@dataclass(frozen=True)
class FunctionSchema:
    """A lookup a program calls (a Pulumi function, a data source): its arguments, the fields of
    what it returns, and the object types they name. ``name`` is the Python function's; the
    package's token spells it as :func:`pulumi_name` does (``lookup_requirements`` is
    ``lookupRequirements``)."""

    name: str
    description: str
    inputs: tuple[Property, ...]
    outputs: tuple[Property, ...]
    types: tuple[ObjectType, ...] = ()

    def __post_init__(self) -> None:
        _check_declared(self.name, self.inputs, self.types)
        _check_declared(self.name, self.outputs, self.types)


def _check_declared(
    owner: str, properties: tuple[Property, ...], types: tuple[ObjectType, ...]
) -> None:
    """Each property is declared once, and names only types ``types`` declares."""
    names = [p.name for p in properties]
    if len(names) != len(set(names)):
        raise ValueError(f"{owner} declares a property twice")
    known = {t.name for t in types} | {k.value for k in Kind}
    for prop in (*properties, *(f for t in types for f in t)):
        for shape in (prop.items, prop.object_type):
            if shape is not None and shape not in known:
                raise ValueError(f"{owner}.{prop.name} names an undeclared type {shape}")
