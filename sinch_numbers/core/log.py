"""How the order logic speaks to the user without importing Pulumi: the provider hands it a
:class:`Log` that writes to the engine (``sinch: `` prefixed), tests hand it lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sinch_numbers.api.errors import SinchNumbersError


@dataclass(frozen=True)
class Log:
    info: Callable[[str], None]
    """Progress a user should see."""
    warn: Callable[[str], None]
    """What a user must act on or know before it costs them: shown as a warning."""


class NumberOrderError(SinchNumbersError):
    """A NumberOrder operation that cannot go on; the message says what to do."""
