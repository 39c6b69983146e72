"""The closed value sets of the Sinch Numbers API (number types, capabilities, order states).

Plain enums, kept apart from the wire models to keep ``models`` short; import them from
``sinch_numbers.api.models``, which re-exports every name here.
"""

from __future__ import annotations

from enum import StrEnum


class NumberType(StrEnum):
    MOBILE = "MOBILE"
    LOCAL = "LOCAL"
    TOLL_FREE = "TOLL_FREE"


class Capability(StrEnum):
    SMS = "SMS"
    VOICE = "VOICE"


class SearchPattern(StrEnum):
    START = "START"
    CONTAINS = "CONTAINS"
    END = "END"


class VoiceApplicationType(StrEnum):
    RTC = "RTC"
    EST = "EST"
    FAX = "FAX"


class NumberOrderState(StrEnum):
    UNSPECIFIED = "NUMBER_ORDER_STATE_UNSPECIFIED"
    CREATED = "CREATED"
    IN_REVIEW = "IN_REVIEW"
    BLOCKED = "BLOCKED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"

    @property
    def is_final(self) -> bool:
        """Review is over: the state will not change again."""
        return self in FINAL_ORDER_STATES

    @property
    def ends_wait(self) -> bool:
        """A wait for review stops here: final, or BLOCKED until the customer acts."""
        return self.is_final or self is NumberOrderState.BLOCKED

    @property
    def has_review_log(self) -> bool:
        """The registration's logs say why (a block or a rejection)."""
        return self in (NumberOrderState.BLOCKED, NumberOrderState.REJECTED)

    @property
    def needs_replacement(self) -> bool:
        """The order can never complete: only a new order gets the numbers."""
        return self in (NumberOrderState.EXPIRED, NumberOrderState.REJECTED)

    @property
    def accepts_kyc(self) -> bool:
        """Registration data and documents may be sent (and the order submitted)."""
        return self in (NumberOrderState.CREATED, NumberOrderState.BLOCKED)

    @property
    def awaits_review(self) -> bool:
        """Submitted and not decided: Sinch cannot cancel it, and approval bills it."""
        return self in (NumberOrderState.IN_REVIEW, NumberOrderState.BLOCKED)


FINAL_ORDER_STATES = frozenset(
    {NumberOrderState.COMPLETED, NumberOrderState.REJECTED, NumberOrderState.EXPIRED}
)


class UploadStatus(StrEnum):
    WAITING = "WAITING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
