"""The package's functions, ``sinch:numbers:lookupRequirements`` and
``sinch:numbers:findAvailableNumbers``: the Python lookups (:mod:`sinch_numbers.lookups`), with
the plugin's configuration for settings, their answers camelCased as the package spells them.

The registration requirements (``fields``) are free JSON, as Sinch sends them: passed untouched.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from sinch_numbers.core.schema import pulumi_name
from sinch_numbers.core.settings import ProviderSettings
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.plugin.resources import token_of

LOOKUP_REQUIREMENTS = token_of("lookupRequirements")
FIND_AVAILABLE_NUMBERS = token_of("findAvailableNumbers")


class UnknownFunction(SinchNumbersError):
    """The engine asked for a function this package does not have."""


def invoke(
    token: str, args: Mapping[str, Any], settings: Callable[[], ProviderSettings]
) -> dict[str, Any]:
    """The function's answer, by camelCase name; raises as the Python lookup does."""
    import sinch_numbers.lookups as lookups

    if token == LOOKUP_REQUIREMENTS:
        found = _call(token, lookups.lookup_requirements, args, settings)
        answer = _camel(found)
        assert isinstance(answer, dict)
        return answer
    if token == FIND_AVAILABLE_NUMBERS:
        numbers = _call(token, lookups.find_available_numbers, args, settings)
        # A function answers an object: the Python lookup's tuple is its one field.
        return {"numbers": [_camel(n) for n in numbers]}
    raise UnknownFunction(f"the sinch package has no function {token}")


def _call(
    token: str,
    lookup: Callable[..., Any],
    args: Mapping[str, Any],
    settings: Callable[[], ProviderSettings],
) -> Any:
    """``lookup`` with ``args`` by its own (snake_case) parameter names; one it lacks fails
    naming it; one not given is None, which the lookup judges (a required one fails there)."""
    parameters = [n for n in inspect.signature(lookup).parameters if n != "settings"]
    given = {_snake(k): v for k, v in args.items()}
    extra = sorted(pulumi_name(k) for k in set(given) - set(parameters))
    if extra:
        raise lookups_error(f"{token.rsplit(':', 1)[-1]}: {', '.join(extra)} is no argument of it")
    return lookup(**{n: given.get(n) for n in parameters}, settings=settings)


def lookups_error(message: str) -> SinchNumbersError:
    from sinch_numbers.lookups import LookupArgumentError

    return LookupArgumentError(message)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _camel(value: Any) -> Any:
    """A lookup's frozen answer as plain values with camelCase keys; a mapping inside (free
    JSON from Sinch) is kept as it is."""
    if is_dataclass(value) and not isinstance(value, type):
        return {pulumi_name(f.name): _camel(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list | tuple):
        return [_camel(v) for v in value]
    return value
