"""Text the server wrote, made safe to print: one printable line of bounded length.

Error messages, field violations and review logs come from the server and end up in terminals and
CI logs. Verbatim, a newline there forges a log line, a terminal escape recolours or hides what
follows and a bidi control reorders it, so every such text goes through ``one_line`` where it
enters the client's objects.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "\u2026"

# Terminal escape sequences are removed whole, so that their parameters do not show as text:
# CSI (ESC [ or the C1 byte), OSC and the string controls (DCS, SOS, PM, APC) with their
# terminator, then any other two-character escape. An unterminated string control loses only its
# introducer: swallowing the rest would hide text a terminal might still show.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-~]"
)
# Invisible format characters (bidi controls, zero-width joiners and spaces, BOM) are removed;
# controls and line or paragraph separators become a space; characters no font has (surrogates,
# private use, unassigned) show as the replacement character.
_REMOVED = frozenset({"Cf"})
_SPACED = frozenset({"Cc", "Zl", "Zp"})
_REPLACED = frozenset({"Cs", "Co", "Cn"})
# Escapes and collapsed whitespace can shrink a text a lot, so more than the limit is read, but
# not all of a huge body: the work stays bounded by the limit.
_READ_FACTOR = 8
_READ_SLACK = 64


def _printable(char: str) -> str:
    category = unicodedata.category(char)
    if category in _REMOVED:
        return ""
    if category in _SPACED:
        return " "
    if category in _REPLACED:
        return "\ufffd"
    return char


def one_line(text: str, limit: int = 300) -> str:
    """``text`` as one line of printable characters, whitespace collapsed, at most ``limit`` long.

    A text that had to be cut ends with an ellipsis.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    window = limit * _READ_FACTOR + _READ_SLACK
    cut = len(text) > window
    cleaned = "".join(_printable(char) for char in _ESCAPES.sub("", text[:window]))
    line = " ".join(cleaned.split())
    if not cut and len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + ELLIPSIS
