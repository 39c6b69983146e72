"""The emulator clock (wall time plus an offset tests move forward) and the wire time formats."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class Clock:
    def __init__(self, offset_seconds: float = 0.0) -> None:
        self.offset_seconds = offset_seconds

    def now(self) -> float:
        return time.time() + self.offset_seconds

    def advance(self, seconds: float) -> float:
        self.offset_seconds += seconds
        return self.now()


def rfc3339(epoch: float) -> str:
    """RFC 3339 in UTC with microseconds and ``Z``, as the live API writes timestamps."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def callback_timestamp(epoch: float) -> str:
    """Callback timestamps carry no zone (documented as a known quirk of the live API)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def new_id(epoch: float) -> str:
    """A 26-character lowercase ULID-like id: 48-bit milliseconds then 80 random bits."""
    value = (int(epoch * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))
