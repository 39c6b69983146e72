"""What every generated surface of a program class shares (``sinch_numbers/generated/``): a
resource's ``Args`` taken whole or built from its keywords, the hand-over to the program class
(``_declare``, written in :mod:`sinch_numbers.resource`) and the registration with the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields
from typing import Any, TypeVar

import pulumi
from pulumi.dynamic import Resource, ResourceProvider

Options = pulumi.ResourceOptions | None
"""A resource's options, as a program gives them."""

_Args = TypeVar("_Args")


def args_or_keywords(
    kind: str, resource_name: str, cls: type[_Args], args: _Args | None, given: Mapping[str, Any]
) -> _Args:
    """The resource's ``Args``: given whole, or built from its keywords (its fields, by name; a
    keyword left None is not given), but not both; a missing required input is named."""
    declared = fields(cls)  # type: ignore[arg-type]
    keywords = {f.name: given[f.name] for f in declared if given.get(f.name) is not None}
    if args is None:
        missing = [
            f.name
            for f in declared
            if f.name not in keywords and f.default is MISSING and f.default_factory is MISSING
        ]
        if missing:
            raise TypeError(f"{kind} {resource_name!r}: {', '.join(missing)} is required")
        return cls(**keywords)
    if keywords:
        raise TypeError(f"{kind} {resource_name!r}: give the inputs either as args or as keywords")
    return args


class Surface(Resource):
    """The base of each generated surface."""

    def _declare(self, resource_name: str, args: Any, opts: Options) -> None:
        """Declares the resource with its ``Args``: written by the program class."""
        raise NotImplementedError

    def _register(
        self, provider: ResourceProvider, resource_name: str, props: dict[str, Any], opts: Options
    ) -> None:
        """Registers the resource with the engine (``pulumi.dynamic.Resource``)."""
        super().__init__(provider, resource_name, props, opts)
