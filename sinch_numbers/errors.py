"""The one root of every error sinch_numbers raises to a program or the CLI: ``SinchNumbersError``.

A leaf module (it imports nothing of the package), so that every layer can derive from it: the
API client's error tree (``sinch_numbers.api.errors``), the KYC checks, the shared core, the
resources, the hooks and the CLI. ``except sinch_numbers.SinchNumbersError`` catches any of them.
The Pulumi engine's own exceptions (``pulumi.InputPropertyError``, ``pulumi.RunError`` ...) are
not ours and stay outside; docs/architecture.md lists what a program sees.
"""

from __future__ import annotations

from typing import Any


def _restore(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class SinchNumbersError(Exception):
    """Root of every error sinch_numbers raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only constructors do not survive the default Exception pickling.
        return (_restore, (type(self), self.args, dict(self.__dict__)))
