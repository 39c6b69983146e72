"""The one error of the ActiveNumber logic; ``sinch_numbers.active_number`` re-exports it."""

from __future__ import annotations

from sinch_numbers.api.errors import SinchNumbersError


class ActiveNumberError(SinchNumbersError):
    """An ActiveNumber operation that cannot go on; the message says what to do."""
