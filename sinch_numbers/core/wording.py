"""Error wording every resource and the CLI share: one line a user can act on, with every KYC
value and the server's own text kept apart."""

from __future__ import annotations

from dataclasses import dataclass

from sinch_numbers.api.errors import (
    APIError,
    InvalidArgumentError,
    SinchNumbersError,
)
from sinch_numbers.core.redaction import Redactor


def describe_error(error: BaseException, redact: Redactor | None = None) -> str:
    """One line a user can act on, with every KYC value removed. A 400 is told by its status
    and the fields it names, never by its text: that may quote what was sent."""
    if isinstance(error, InvalidArgumentError):
        text = error.summary()
    else:
        text = str(error) or type(error).__name__
    return redact(text) if redact is not None else text


@dataclass(frozen=True)
class Failure:
    """A failure of a call about an order, told twice: ``plain`` in our words (the step's error
    class, status and counts; safe for logs, plain outputs and pipelines) and ``server_text`` in
    the server's (it may quote the registration; stored only as a secret, redacted besides)."""

    plain: str
    server_text: str | None = None


def split_error(error: SinchNumbersError, redact: Redactor) -> Failure:
    """An API error's summary, with the server's own text apart; other errors are ours."""
    if not isinstance(error, APIError):
        return Failure(redact(str(error) or type(error).__name__))
    if not error.said_more():
        return Failure(redact(error.summary()))
    plain = f"{error.summary()}; what the server said is in the secret output last_error_detail"
    # str(error) is the server's message with every field violation, the call and request id.
    return Failure(redact(plain), redact(str(error)))
