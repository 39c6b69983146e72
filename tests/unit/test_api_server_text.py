"""Text the server wrote reaches our errors, models and output as one printable, bounded line.

Server messages can carry newlines, terminal escapes and bidi controls; printed verbatim into a CI
log they forge lines ("FAKE: ok") or recolour and reorder what follows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinch_numbers.api import (
    APIError,
    AuthenticationError,
    InvalidArgumentError,
    NotFoundError,
    SinchNumbersClient,
    SinchNumbersError,
)
from sinch_numbers.api.text import one_line
from tests.unit.conftest import FakeSinch, api_error, reply

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
ORDER_PATH = f"numberOrders/{ORDER_ID}"
FORGED = "bad\n\x1b[31mFAKE: ok\r\n\x1b]0;title\x07\u2028next \u202eright\tend\x00"
UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _assert_one_clean_line(text: str) -> None:
    assert text.isprintable(), repr(text)
    for forbidden in ("\n", "\r", "\x1b", "\t", "\u2028", "\u202e", "\x00"):
        assert forbidden not in text


def test_one_line_keeps_the_words_and_drops_escapes_and_controls() -> None:
    assert one_line(FORGED) == "bad FAKE: ok next right end"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain message", "plain message"),
        ("  spaced \t\n out  ", "spaced out"),
        ("\x1b[1;31mred\x1b[0m", "red"),
        ("csi \x9b2J c1", "csi c1"),
        ("unterminated \x1b]8;;x", "unterminated 8;;x"),
        ("zero\u200bwidth \ufeffbom", "zerowidth bom"),
        ("bidi \u2066isolate\u2069 \u200fmark", "bidi isolate mark"),
        ("para\u2029graph", "para graph"),
        ("nbsp\u00a0and\u3000ideographic", "nbsp and ideographic"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("private \ue000 use", "private \ufffd use"),
        ("Zürich 東京 🙂", "Zürich 東京 🙂"),
    ],
    ids=[
        "plain",
        "whitespace",
        "sgr",
        "c1-csi",
        "unterminated-osc",
        "zero-width",
        "bidi",
        "paragraph-separator",
        "unicode-spaces",
        "surrogate",
        "private-use",
        "non-ascii-kept",
    ],
)
def test_one_line_cases(text: str, expected: str) -> None:
    assert one_line(text) == expected


def test_one_line_truncates_with_an_ellipsis_within_the_limit() -> None:
    assert one_line("word " * 100, limit=12) == "word word w…"
    assert len(one_line("x" * 1000, limit=300)) == 300
    assert one_line("x" * 1000, limit=300).endswith("…")
    assert one_line("short", limit=5) == "short"


def test_one_line_bounds_its_work_on_a_huge_message() -> None:
    text = one_line("\x1b[0m" * 2_000_000 + "tail", limit=50)
    assert len(text) <= 50


@settings(max_examples=500, deadline=None)
@given(text=st.text(), limit=st.integers(min_value=1, max_value=400))
def test_one_line_output_is_printable_one_line_and_within_the_limit(text: str, limit: int) -> None:
    line = one_line(text, limit)
    assert len(line) <= limit
    assert not any(unicodedata.category(ch) in UNPRINTABLE for ch in line)
    assert line.isprintable()
    assert line == line.strip()
    assert "  " not in line


# Text with escape-sequence fragments mixed in, where a naive filter leaves pieces behind.
_ESCAPE_SOUP = st.lists(
    st.sampled_from(["\x1b", "\x1b[", "\x1b]", "\x07", "\x1b\\", "\x9b", "31m", ";", "\n"])
    | st.text(max_size=4),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_ESCAPE_SOUP, limit=st.integers(min_value=1, max_value=40))
def test_one_line_leaves_no_piece_of_an_escape(text: str, limit: int) -> None:
    line = one_line(text, limit)
    assert "\x1b" not in line
    assert "\x9b" not in line
    assert line.isprintable()
    assert len(line) <= limit


@settings(max_examples=300, deadline=None)
@given(text=_ESCAPE_SOUP | st.text())
def test_one_line_is_idempotent(text: str) -> None:
    once = one_line(text)
    assert one_line(once) == once


def test_one_line_needs_room_for_a_character() -> None:
    with pytest.raises(ValueError, match="limit"):
        one_line("x", limit=0)


def _error_of(client: SinchNumbersClient, fake: FakeSinch, answer: httpx.Response) -> Exception:
    fake.on("GET", ORDER_PATH, answer)
    with pytest.raises(SinchNumbersError) as caught:
        client.get_number_order(ORDER_ID)
    return caught.value


def test_an_api_message_with_escapes_and_newlines_becomes_one_line(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    error = _error_of(client, fake, api_error(409, "FAILED\n_PRECONDITION", FORGED))
    assert isinstance(error, APIError)
    text = str(error)
    _assert_one_clean_line(text)
    assert "bad FAKE: ok next right end" in text
    assert "FAILED _PRECONDITION" in text
    assert error.message == "bad FAKE: ok next right end"


def test_field_violations_from_the_server_become_one_line(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    details = [
        {"type": "BadRequest", "fieldViolations": [{"field": "a\r\nb", "description": FORGED}]}
    ]
    error = _error_of(client, fake, api_error(400, "INVALID_ARGUMENT", "m", details))
    assert isinstance(error, InvalidArgumentError)
    violation = error.field_violations[0]
    assert (violation.field, violation.description) == ("a b", "bad FAKE: ok next right end")
    _assert_one_clean_line(str(error))


def test_not_found_resource_info_becomes_one_line(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    details = [{"type": "ResourceInfo", "resourceType": "Number\nOrder", "resourceName": FORGED}]
    error = _error_of(client, fake, api_error(404, "NOT_FOUND", "", details))
    assert isinstance(error, NotFoundError)
    assert error.resource_type == "Number Order"
    assert error.resource_name == "bad FAKE: ok next right end"
    _assert_one_clean_line(str(error))


def test_a_long_server_message_is_bounded(client: SinchNumbersClient, fake: FakeSinch) -> None:
    error = _error_of(client, fake, api_error(409, "ABORTED", "spam " * 10_000))
    assert isinstance(error, APIError)
    assert len(error.message) <= 300
    assert len(str(error)) < 600


def test_many_field_violations_are_listed_up_to_a_bound(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    violations = [{"field": f"f{i}", "description": "bad"} for i in range(500)]
    details = [{"type": "BadRequest", "fieldViolations": violations}]
    error = _error_of(client, fake, api_error(400, "INVALID_ARGUMENT", "m", details))
    assert isinstance(error, InvalidArgumentError)
    assert len(error.field_violations) == 500
    assert "f0: bad" in str(error)
    assert "f499" not in str(error)
    assert "480 more" in str(error)


def test_a_request_id_header_is_kept_printable(client: SinchNumbersClient, fake: FakeSinch) -> None:
    answer = api_error(409, "ABORTED", "m", headers={"x-request-id": "rid-\x7f" + "9" * 500})
    error = _error_of(client, fake, answer)
    assert isinstance(error, APIError)
    request_id = error.request_id or ""
    assert request_id.startswith("rid-")
    assert request_id.isprintable()
    assert len(request_id) <= 128


def test_an_oauth_error_description_becomes_one_line(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch
) -> None:
    fake.token_replies.append(reply(401, {"error": "invalid_client", "error_description": FORGED}))
    client = make_client()
    with pytest.raises(AuthenticationError) as caught:
        client.get_number_order(ORDER_ID)
    assert caught.value.message == "bad FAKE: ok next right end"
    _assert_one_clean_line(str(caught.value))


def test_review_log_messages_become_one_line(client: SinchNumbersClient, fake: FakeSinch) -> None:
    logs = [
        {"message": FORGED, "createTime": "2026-03-05T16:53:00Z"},
        {"message": None},
        {"message": "review: " + "long " * 1000},
    ]
    fake.on("GET", ORDER_PATH + "/registration", reply(200, {"attachments": [], "logs": logs}))
    registration = client.get_registration(ORDER_ID)
    messages = [log.message for log in registration.logs]
    assert messages[0] == "bad FAKE: ok next right end"
    assert messages[1] == ""
    assert messages[2].startswith("review: long long")
    assert messages[2].endswith("…")
    for message in messages:
        assert message == "" or message.isprintable()
