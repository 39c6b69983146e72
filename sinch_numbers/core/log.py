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

    @classmethod
    def prefixed(cls, prefix: str, info: Callable[[str], None], warn: Callable[[str], None]) -> Log:
        """A log that writes each message behind ``prefix`` to ``info`` or ``warn``. Its writers
        are defined here, so the layers the log is handed to call down into it, never back up
        into the hook that made it."""
        return cls(info=_Prefixed(prefix, info), warn=_Prefixed(prefix, warn))


@dataclass(frozen=True)
class _Prefixed:
    prefix: str
    sink: Callable[[str], None]

    def __call__(self, message: str) -> None:
        self.sink(f"{self.prefix}{message}")


class NumberOrderError(SinchNumbersError):
    """A NumberOrder operation that cannot go on; the message says what to do."""
