"""Server free text about an order: what the provider says stays apart from what the server said.

Redaction is the second line of defence (the first: the server's text is only ever stored as a
secret and shown on request); these tests hold it to the misses the issue names: a surname of two
letters, a number quoted in national format, a name without its diacritics, a document's file name
inside a longer token.
"""

from __future__ import annotations

import pytest

from sinch_numbers.api.errors import InvalidArgumentError, PermissionDeniedError
from sinch_numbers.core.redaction import REDACTED, Redactor, review_count_text
from sinch_numbers.core.wording import describe_error, split_error

SURNAME = "Ng"
PHONE = "+61491570157"


def test_a_two_letter_surname_is_redacted_as_a_word_and_not_inside_others() -> None:
    redact = Redactor.for_kyc([{"firstName": "Li", "lastName": SURNAME}])
    assert redact("Contact NG, li: not the owner (Ngaio St)") == (
        f"Contact {REDACTED}, {REDACTED}: not the owner (Ngaio St)"
    )


@pytest.mark.parametrize(
    "quoted", ["0491 570 157", "0491-570-157", "0491570157", "61 491 570 157", "491.570.157"]
)
def test_a_number_quoted_in_national_or_spaced_format_is_redacted(quoted: str) -> None:
    redact = Redactor.for_kyc([{"phoneNumber": PHONE}])
    assert redact(f"call {quoted} to confirm") == f"call {REDACTED} to confirm"


def test_short_digit_runs_are_not_taken_for_a_number() -> None:
    redact = Redactor.for_kyc([{"phoneNumber": PHONE}])
    assert redact("document 2 of 3, page 157") == "document 2 of 3, page 157"


@pytest.mark.parametrize(
    ("sent", "quoted"),
    [
        ("Thảo Nguyễn", "THAO NGUYEN signed"),
        ("Café Ñandú Pty Ltd", "Cafe Nandu Pty Ltd signed"),
        ("Thao Nguyen", "Thảo Nguyễn signed"),
    ],
)
def test_a_name_with_or_without_its_diacritics_is_redacted(sent: str, quoted: str) -> None:
    redact = Redactor.for_kyc([{"name": sent}])
    text = redact(quoted)
    assert text.endswith(" signed")
    for word in ("Thao", "THAO", "Nguyen", "NGUYEN", "Cafe", "Nandu", "Thảo", "Nguyễn"):
        assert word not in text, word


@pytest.mark.parametrize(
    "quoted",
    [
        "upload_passport scan-Kq7w_page2.pdf",
        "passport_scan_Kq7w.PDF",
        "re:passportscanKq7w(1)",
    ],
)
def test_a_file_name_inside_a_longer_token_is_redacted(quoted: str) -> None:
    redact = Redactor.for_kyc(None, ["/home/ci/documents/passport scan-Kq7w.pdf"])
    text = redact(f"file {quoted} is unreadable")
    assert "Kq7w" not in text
    assert text.endswith(" is unreadable")


def _refusal() -> InvalidArgumentError:
    return InvalidArgumentError(
        400,
        "INVALID_ARGUMENT",
        f"registration of {SURNAME} refused",
        [
            {
                "type": "BadRequest",
                "fieldViolations": [
                    {"field": "data[2].lastName", "description": f"{SURNAME} is not on file"},
                    {"field": "data[2].phoneNumber", "description": "0491 570 157 is unknown"},
                ],
            }
        ],
        "req-1",
        "PUT",
        "/v1/projects/p/numberOrders/o/registration",
    )


def test_a_refused_call_is_told_in_our_words_and_the_server_text_kept_apart() -> None:
    failure = split_error(_refusal(), Redactor.for_kyc([{"lastName": SURNAME, "phone": PHONE}]))
    assert "HTTP 400 INVALID_ARGUMENT" in failure.plain
    assert "2 field violations" in failure.plain
    assert "request id req-1" in failure.plain
    assert "last_error_detail" in failure.plain
    for quoted in (SURNAME, "0491", "not on file", "refused"):
        assert quoted not in failure.plain, quoted
    # The server's words are kept (for the secret output), with the KYC values redacted.
    assert failure.server_text is not None
    assert "is not on file" in failure.server_text
    assert "data[2].lastName" in failure.server_text
    assert SURNAME not in failure.server_text.replace("lastName", "")
    assert "0491 570 157" not in failure.server_text


def test_an_errors_own_meaning_and_hint_stay_in_the_plain_text() -> None:
    error = PermissionDeniedError(403, "PERMISSION_DENIED", "Project of Ng is closed")
    error.add_hint("check sinch:projectId")
    failure = split_error(error, Redactor())
    assert failure.plain.startswith("HTTP 403 PERMISSION_DENIED: permission denied")
    assert "check sinch:projectId" in failure.plain
    assert "Ng" not in failure.plain


def test_an_api_status_that_is_not_a_status_word_is_left_out() -> None:
    error = InvalidArgumentError(400, "Ng refused", "")
    assert "Ng" not in split_error(error, Redactor()).plain


@pytest.mark.parametrize(
    ("count", "text"), [(0, "no review message"), (1, "1 review message"), (3, "3 review messages")]
)
def test_review_messages_are_counted(count: int, text: str) -> None:
    assert review_count_text(count) == text


def test_a_400_is_told_by_its_fields_everywhere_never_by_its_text() -> None:
    """describe_error serves every other error path (refresh, destroy, lookups, ActiveNumber):
    a 400's text may quote what was sent, so there too it is left out; its field names stay."""
    text = describe_error(_refusal())
    assert "data[2].lastName" in text
    assert "data[2].phoneNumber" in text
    for quoted in (SURNAME, "0491", "not on file", "refused"):
        assert quoted not in text, quoted


def test_a_field_name_that_is_not_a_field_path_is_left_out() -> None:
    error = InvalidArgumentError(
        400,
        "INVALID_ARGUMENT",
        "",
        [{"fieldViolations": [{"field": "name of Ng Thao", "description": "x"}]}],
    )
    text = describe_error(error)
    assert "Thao" not in text
    assert "1 field violation" in text
