"""Server free text about an order: kept secret, shown on request, and redacted besides.

Review feedback and a refused call's text may quote what was sent (names, the business name, an
address, a number, a document's file name). The first line of defence is that such text is never
plain: the provider stores it only in secret outputs (``registration_logs``,
``last_error_detail``), its plain errors say the state, how many review messages there are and
:func:`review_text_command`, and the CLI prints review text only with :data:`REVIEW_TEXT_FLAG`.

The second line is one :class:`Redactor` built from what the order sent, applied to that text
wherever it is kept: each string value of the registration and each word of it (a reviewer may
quote "Citizen, Alex" for "Alex Citizen"; values and words of two letters, such as the surname
"Ng", only as whole words), each with and without its diacritics; numbers in the forms they are
quoted in (international, national with a leading 0, with spaces, dashes or dots between digits);
each document's path, file name and file name without its extension, with any separators between
its words and inside a longer token. Matching ignores case and diacritics.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

REDACTED = "[redacted]"
REVIEW_TEXT_FLAG = "--show-review-text"
"""The CLI flag that shows reviewers' free text (hidden by default, like ``--show-secrets``)."""

_MIN_VALUE = 2
_MIN_SUBSTRING = 3  # shorter values and words match only as whole words
_MIN_NUMBER_DIGITS = 6
_NATIONAL_PREFIXES = (1, 2, 3)  # country-code lengths tried to form the national number
_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\+?[\d\s().-]+")
_DIGIT_SEPARATOR = r"[\s().-]?"
_NAME_SEPARATOR = r"[\W_]*"
_NAME_PUNCTUATION = r"(?:[^\w\s]|_)*"
_NAME_PIECES = re.compile(r"[^\W_]+|[\W_]+")
_NAME_GAP = re.compile(r"[\W_]+")


def review_text_command(order_id: str) -> str:
    """The command that shows an order's review messages."""
    return f"sinch-numbers order show {order_id} {REVIEW_TEXT_FLAG}"


def review_text_pointer(order_id: str, count: int) -> str:
    """How many review messages an order has and the command that shows them: what every plain
    error says in place of the messages themselves."""
    return f"{review_count_text(count)}; see them with `{review_text_command(order_id)}`"


def review_count_text(count: int) -> str:
    if count == 0:
        return "no review message"
    return f"{count} review message{'s' if count != 1 else ''}"


def fold(text: str) -> str:
    """``text`` without its diacritics, one character for one (so positions still match)."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def _strings(value: Any, into: set[str]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, str):
        into.add(value)
        into.update(_WORD.findall(value))
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


def _number_patterns(value: str) -> set[str]:
    """A value that is a phone number, as it may be quoted: its digits in full, as a national
    number (a leading 0 for the country code) and without the country code, with a space, dash,
    dot or bracket allowed between any two digits."""
    if not _NUMBER.fullmatch(value.strip()):
        return set()
    digits = re.sub(r"\D", "", value)
    if len(digits) < _MIN_NUMBER_DIGITS:
        return set()
    forms = {digits}
    for length in _NATIONAL_PREFIXES:
        rest = digits[length:]
        if len(rest) >= _MIN_NUMBER_DIGITS:
            forms.update((rest, "0" + rest))
    return {r"(?<!\d)" + _DIGIT_SEPARATOR.join(forms_digits) + r"(?!\d)" for forms_digits in forms}


def _file_patterns(path: str) -> set[str]:
    """A document's path and name, and its name without extension with any separators (or
    none) between its words, matched inside longer tokens."""
    name = os.path.basename(path)
    stem, _extension = os.path.splitext(name)
    patterns = {re.escape(fold(path)), re.escape(fold(name))}
    pieces = _NAME_PIECES.findall(fold(stem))
    if sum(len(p) for p in pieces if not _NAME_GAP.fullmatch(p)) >= _MIN_SUBSTRING:
        patterns.add(
            "".join(_gap_pattern(p) if _NAME_GAP.fullmatch(p) else re.escape(p) for p in pieces)
        )
    return patterns


def _gap_pattern(gap: str) -> str:
    # A space in the name may be quoted as anything or nothing; a dash or an underscore as any
    # punctuation or nothing, but not as a space: "proof-of-address.pdf" must not take "proof of
    # address" out of every sentence.
    return _NAME_SEPARATOR if any(c.isspace() for c in gap) else _NAME_PUNCTUATION


def _value_pattern(value: str) -> str:
    folded = re.escape(fold(value))
    if len(value) >= _MIN_SUBSTRING:
        return folded
    return rf"(?<!\w){folded}(?!\w)"


@dataclass(frozen=True)
class Redactor:
    """Replaces every sensitive string in a text with ``[redacted]``, longest first."""

    sensitive: tuple[str, ...] = ()
    """Regular expressions, matched against the text with its diacritics folded."""

    @classmethod
    def for_kyc(cls, registration: Any = None, file_paths: Iterable[str] = ()) -> Redactor:
        values: set[str] = set()
        _strings(registration, values)
        patterns: set[str] = set()
        for value in values:
            value = value.strip()
            if len(value) >= _MIN_VALUE:
                patterns.add(_value_pattern(value))
                patterns.update(_number_patterns(value))
        for path in file_paths:
            patterns.update(_file_patterns(path))
        return cls(tuple(sorted(patterns, key=len, reverse=True)))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.sensitive:
            return None
        return re.compile("|".join(self.sensitive), re.IGNORECASE)

    def __call__(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        # Matched on the folded text, replaced in the original: folding keeps positions.
        spans = [
            match.span() for match in pattern.finditer(fold(text)) if match.end() > match.start()
        ]
        if not spans:
            return text
        parts, last = [], 0
        for start, end in spans:
            parts += [text[last:start], REDACTED]
            last = end
        parts.append(text[last:])
        return "".join(parts)

    def logs(self, logs: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
        """Review log entries with their messages redacted."""
        return [{**log, "message": self(log.get("message", ""))} for log in logs]
