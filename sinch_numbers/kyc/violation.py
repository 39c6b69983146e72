"""One broken KYC rule, as every check reports it, and the property paths it names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken rule: ``field`` is a property path, ``rule`` says what is wrong (no values)."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def property_path(loc: Sequence[int | str], root: str = "") -> str:
    """A pydantic error location in this project's style: ``attachments[0].file``."""
    path = root
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else part
    return path
