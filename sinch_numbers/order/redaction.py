"""Removing KYC data from text that is shown: reviewer feedback, errors, log lines.

Review feedback and API errors may quote what was sent (names, the business name, an address,
a document's file name). Those texts land in plain, non-secret outputs, CI logs and exceptions, so
every one of them passes through one :class:`Redactor` built from what the order sent: each
string value of the registration as it was sent, each word of three letters or more in it (a
reviewer may quote "Citizen, Alex" for "Alex Citizen"), numbers in both the forms they take, and
each document's path, file name and file name without its extension. Matching ignores case.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

REDACTED = "[redacted]"
_MIN_VALUE = 3
_MIN_WORD = 3
_WORD = re.compile(r"\w+", re.UNICODE)


def _strings(value: Any, into: set[str]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        into.add(value)
        into.update(w for w in _WORD.findall(value) if len(w) >= _MIN_WORD)
    elif isinstance(value, int | float):
        into.add(str(value))
        if isinstance(value, float) and value.is_integer():
            into.add(str(int(value)))
    elif isinstance(value, Mapping):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, into)


def _file_names(path: str, into: set[str]) -> None:
    name = os.path.basename(path)
    stem, _extension = os.path.splitext(name)
    into.update((path, name, stem))


@dataclass(frozen=True)
class Redactor:
    """Replaces every sensitive string in a text with ``[redacted]``, longest first."""

    sensitive: tuple[str, ...] = ()

    @classmethod
    def for_kyc(cls, registration: Any = None, file_paths: Iterable[str] = ()) -> Redactor:
        found: set[str] = set()
        _strings(registration, found)
        for path in file_paths:
            _file_names(path, found)
        kept = sorted((s for s in found if len(s) >= _MIN_VALUE), key=len, reverse=True)
        return cls(tuple(kept))

    def __call__(self, text: str) -> str:
        if not self.sensitive or not text:
            return text
        pattern = re.compile("|".join(re.escape(s) for s in self.sensitive), re.IGNORECASE)
        return pattern.sub(REDACTED, text)

    def logs(self, logs: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
        """Review log entries with their messages redacted."""
        return [{**log, "message": self(log.get("message", ""))} for log in logs]
