"""The workflow's pure parts: fingerprints, progress, redaction, the requirements cache."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sinch_numbers.api.errors import InvalidArgumentError, ServerError
from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.core.redaction import REDACTED, Redactor
from sinch_numbers.core.requirements import RequirementsCache
from sinch_numbers.core.routing import Routing
from sinch_numbers.core.wording import describe_error
from sinch_numbers.kyc.files import Document
from sinch_numbers.resources.number_order.workflow import (
    KycPayload,
    Progress,
    Step,
    is_past_expiry,
    registration_fingerprint,
)


def _file(content: bytes, document_type: str | None = None) -> Document:
    return Document(
        "r1", content, "/kyc/Jane-Doe-passport.pdf", document_type, base_path="attachments"
    )


def test_registration_fingerprint_ignores_key_order_but_not_values() -> None:
    a = registration_fingerprint([{"a": 1, "b": "x"}])
    assert a == registration_fingerprint([{"b": "x", "a": 1}])
    assert a != registration_fingerprint([{"a": 1, "b": "y"}])


def test_attachment_fingerprint_covers_content_and_document_type() -> None:
    assert _file(b"one").fingerprint != _file(b"two").fingerprint
    assert _file(b"one", "Passport").fingerprint != _file(b"one", "National ID").fingerprint


def test_attachment_repr_never_shows_content_or_name() -> None:
    text = repr(_file(b"SECRET-BYTES"))
    assert "SECRET-BYTES" not in text
    assert "Jane-Doe" not in text


def test_kyc_fingerprint_changes_with_any_part() -> None:
    one = KycPayload(registration=[{"a": "x"}], attachments=(_file(b"1"),))
    assert one.fingerprint() == KycPayload([{"a": "x"}], (_file(b"1"),)).fingerprint()
    assert one.fingerprint() != KycPayload([{"a": "y"}], (_file(b"1"),)).fingerprint()
    assert one.fingerprint() != KycPayload([{"a": "x"}], (_file(b"2"),)).fingerprint()


def test_progress_round_trips_and_tolerates_garbage() -> None:
    progress = Progress(
        "abc", {"r1": "f1"}, "sub", Routing.of({"sms_configuration": {"service_plan_id": "p"}})
    )
    assert Progress.from_dict(progress.to_dict()) == progress
    assert Progress.from_dict(None) == Progress()
    assert Progress.from_dict({"uploaded": "x", "registration_sha256": 5}) == Progress()


def test_the_payload_redactor_covers_values_words_numbers_and_file_names() -> None:
    payload = KycPayload(
        registration=[{"name": "Jane Doe", "age": 12345, "ok": True}, [{"city": "Melbourne"}]],
        attachments=(_file(b"x"),),
    )
    redact = payload.redactor()
    text = redact(
        "Reviewer: DOE, jane (12345) of melbourne sent Jane-Doe-passport.pdf; "
        "see Jane-Doe-passport; status ok"
    )
    for leaked in ("Jane", "jane", "DOE", "12345", "melbourne", "Jane-Doe-passport"):
        assert leaked not in text, leaked
    assert "status ok" in text, "booleans and short words are not personal data"


def test_redactor_matches_the_longest_value_first_and_ignores_case() -> None:
    redact = Redactor.for_kyc(["Jane", "Jane Doe"])
    assert redact("postal code JANE DOE of Jane") == f"postal code {REDACTED} of {REDACTED}"


def test_redactor_covers_integral_floats_in_both_forms_and_document_paths() -> None:
    redact = Redactor.for_kyc([{"employees": 1234.0}], ["/kyc/alex/Passport Scan.png"])
    text = redact("1234 and 1234.0 in /kyc/alex/Passport Scan.png (Passport Scan)")
    assert "1234" not in text
    assert "Passport Scan" not in text


def test_describe_error_lists_violations_without_values() -> None:
    error = InvalidArgumentError(
        400,
        "INVALID_ARGUMENT",
        "registration value 'Jane Doe' is bad",
        details=[
            {
                "type": "BadRequest",
                "fieldViolations": [
                    {"field": "requestDetails.data[1].name", "description": "Jane Doe too long"}
                ],
            }
        ],
    )
    text = describe_error(error, Redactor.for_kyc("Jane Doe"))
    assert "requestDetails.data[1].name" in text
    assert "Jane Doe" not in text


def test_describe_error_of_other_errors_is_redacted() -> None:
    error = ServerError(503, "UNAVAILABLE", "busy handling Jane Doe")
    assert "Jane Doe" not in describe_error(error, Redactor.for_kyc("Jane Doe"))
    assert "503" in describe_error(error)


def test_requirements_cache_fetches_each_pair_once_across_threads() -> None:
    cache = RequirementsCache()
    calls: list[tuple[str, str]] = []
    lock = threading.Lock()

    def fetch(key: tuple[str, str]) -> NumberRequirements | None:
        with lock:
            calls.append(key)
        time.sleep(0.02)
        return None if key[0] == "US" else NumberRequirements()

    keys = [("AU", "MOBILE"), ("US", "LOCAL")] * 8
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda k=k: results.append(cache.get(k, lambda: fetch(k))))
        for k in keys
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == [("AU", "MOBILE"), ("US", "LOCAL")]
    assert results.count(None) == 8


def test_expiry() -> None:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    assert is_past_expiry("2026-01-01T00:00:00Z", now)
    assert not is_past_expiry("2026-01-03T00:00:00.123456Z", now)
    assert not is_past_expiry(None, now)
    assert not is_past_expiry("not a date", now)


def test_step_values_are_the_ones_stored_in_states() -> None:
    """Steps are written into a resource's state (completed_steps, failed_step): their values
    never change, whatever they are derived from."""
    assert [step.value for step in Step] == [
        "lookup",
        "create_order",
        "registration",
        "attachments",
        "submit",
        "wait",
        "configure",
    ]
