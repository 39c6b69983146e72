"""What the provider and each resource's mapping pass each other: one engine call's context
and its outcomes. Light on purpose: the provider imports it before it answers anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sinch_numbers.errors import SinchNumbersError

if TYPE_CHECKING:
    from sinch_numbers.core.log import Log
    from sinch_numbers.core.settings import Connection, ProviderSettings

Plain = dict[str, Any]
Failures = list[tuple[str, str]]


@dataclass(frozen=True)
class Call:
    """What one engine call gives the logic besides the values."""

    urn: str
    log: Log
    settings: Callable[[], ProviderSettings]
    """The provider's settings, read when first needed (raises ``ConfigurationError``)."""
    connect: Callable[[], Connection]
    """The connection for them, made when first needed."""
    cancelled: Callable[[], bool]
    """Whether the engine cancelled the run: a wait ends at once."""


class Incomplete(SinchNumbersError):
    """The resource exists (``resource_id``, ``outputs``) but a step after its creation failed:
    the engine keeps it as a failed initialisation and the next ``up`` resumes it."""

    def __init__(self, resource_id: str, outputs: Plain, inputs: Plain, reason: str) -> None:
        super().__init__(reason)
        self.resource_id = resource_id
        self.outputs = outputs
        self.inputs = inputs
        self.reason = reason


@dataclass(frozen=True)
class Diff:
    changes: bool
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Read:
    resource_id: str
    outputs: Plain
    inputs: Plain
