"""Callback verification: signatures, sources, parsing, replay, size, and that bodies never leak."""

from __future__ import annotations

import ast
import contextlib
import hashlib
import hmac
import json
import logging
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sinch_numbers
import sinch_numbers.callbacks
from sinch_numbers.api.models import NumberOrderState
from sinch_numbers.callbacks import (
    SINCH_CALLBACK_IPS,
    ActiveNumberEvent,
    ActiveNumberEventStatus,
    ActiveNumberEventType,
    ActiveNumberFailureCode,
    BodyTooLarge,
    CallbackError,
    CallbackVerifier,
    ForbiddenSource,
    InvalidSignature,
    MalformedEvent,
    NumberOrderEvent,
    ReplayedEvent,
    SourcePolicy,
    compute_signature,
    parse_event,
    sanitized_summary,
    verify_signature,
)

SECRET = "0123456789abcdef0123456789abcdef"
SINCH_IP = SINCH_CALLBACK_IPS[0]
STRANGER_IP = "203.0.113.9"
CANARY = "CANARY-CALLBACK-BODY-5d1e07"

# [JAVA-SDK] number-order-sinch-event.json, as the reference paraphrases it.
JAVA_FIXTURE: dict[str, Any] = {
    "eventId": "abcd1234efghijklmnop567890",
    "timestamp": "2023-06-06T07:45:27.78789",
    "projectId": "abcd12ef-ab12-ab12-bc34-abcdef123456",
    "resourceId": "01jgkbb8xywmz3hhahd76menqf",
    "resourceType": "NUMBER_ORDER",
    "eventType": "NUMBER_ORDER_PROCESSING",
    "status": "IN_REVIEW",
}
# The completed event the Node SDK's e2e steps expect from Sinch's mock server.
NODE_COMPLETED: dict[str, Any] = {
    "eventId": "01jr7stexp0znky34pj07dwp41",
    "timestamp": "2025-04-07T09:38:04.854087",
    "projectId": "PROJ",
    "resourceId": "01jgkbb8xywmz3hhahd76menqf",
    "resourceType": "NUMBER_ORDER",
    "eventType": "NUMBER_ORDER_PROCESSING",
    "status": "COMPLETED",
    "failureCode": None,
    "internalFailureCode": None,
}
ACTIVE_NUMBER: dict[str, Any] = {
    "eventId": "01hpa0mww4m79q8j2dwn3ggbgz",
    "timestamp": "2024-02-10T17:22:09.412722588",
    "projectId": "PROJ",
    "resourceId": "+12025550123",
    "resourceType": "ACTIVE_NUMBER",
    "eventType": "PROVISIONING_TO_CAMPAIGN",
    "status": "FAILED",
    "failureCode": "CAMPAIGN_EXPIRED",
    "internalFailureCode": "CRS0018",
}


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def event(**changes: Any) -> dict[str, Any]:
    """The Node completed event with changes; a value of ``...`` removes the key."""
    body = {**NODE_COMPLETED, **changes}
    return {k: v for k, v in body.items() if v is not ...}


def signed(body: bytes, secret: str = SECRET, **extra: str) -> dict[str, str]:
    return {"X-Sinch-Signature": compute_signature(body, secret), **extra}


def verifier(**overrides: Any) -> CallbackVerifier:
    options: dict[str, Any] = {"secret": SECRET, "source_policy": SourcePolicy()}
    options.update(overrides)
    return CallbackVerifier(**options)


def malformed_fields(body: bytes) -> tuple[str, ...]:
    with pytest.raises(MalformedEvent) as caught:
        parse_event(body)
    return caught.value.fields


# --- signatures ----------------------------------------------------------------------------------


def test_signature_is_lowercase_hex_hmac_sha1_of_the_raw_bytes() -> None:
    body = b'{"eventId":"e1","status":"COMPLETED"}'
    expected = hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    assert compute_signature(body, SECRET) == expected
    assert len(expected) == 40
    assert expected == expected.lower()


def test_signature_is_over_bytes_not_over_parsed_json() -> None:
    # Same JSON, different bytes: a verifier that re-serialised would accept both.
    compact, spaced = b'{"a":1}', b'{"a": 1}'
    assert not verify_signature(spaced, compute_signature(compact, SECRET), SECRET)


def test_correct_signature_verifies() -> None:
    body = encode(NODE_COMPLETED)
    assert verify_signature(body, compute_signature(body, SECRET), SECRET)


@pytest.mark.parametrize(
    "transform",
    [str.upper, lambda s: f"  {s}\t", lambda s: s[:20].upper() + s[20:]],
    ids=["uppercase", "whitespace", "mixed-case"],
)
def test_signature_tolerates_case_and_surrounding_whitespace(transform: Any) -> None:
    body = encode(NODE_COMPLETED)
    assert verify_signature(body, transform(compute_signature(body, SECRET)), SECRET)


def test_wrong_secret_fails() -> None:
    body = encode(NODE_COMPLETED)
    assert not verify_signature(body, compute_signature(body, "another-secret"), SECRET)


def test_tampered_body_fails() -> None:
    body = encode(NODE_COMPLETED)
    header = compute_signature(body, SECRET)
    assert not verify_signature(body.replace(b"COMPLETED", b"REJECTED"), header, SECRET)
    assert not verify_signature(body + b" ", header, SECRET)


@pytest.mark.parametrize("header", [None, "", "   ", "zz", "é" * 40, "\udcff" * 40])
def test_missing_or_garbage_signature_fails_without_raising(header: str | None) -> None:
    assert not verify_signature(b"{}", header, SECRET)


# --- parsing -------------------------------------------------------------------------------------


def test_java_sdk_fixture_parses() -> None:
    parsed = parse_event(encode(JAVA_FIXTURE))
    assert isinstance(parsed, NumberOrderEvent)
    assert parsed.event_id == "abcd1234efghijklmnop567890"
    assert parsed.project_id == "abcd12ef-ab12-ab12-bc34-abcdef123456"
    assert parsed.order_id == parsed.resource_id == "01jgkbb8xywmz3hhahd76menqf"
    assert parsed.resource_type == "NUMBER_ORDER"
    assert parsed.event_type == "NUMBER_ORDER_PROCESSING"
    assert parsed.status is NumberOrderState.IN_REVIEW
    assert parsed.timestamp == datetime(2023, 6, 6, 7, 45, 27, 787890, tzinfo=UTC)
    assert parsed.failure_code is None
    assert parsed.internal_failure_code is None


def test_node_sdk_completed_event_parses_with_explicit_nulls() -> None:
    parsed = parse_event(encode(NODE_COMPLETED))
    assert isinstance(parsed, NumberOrderEvent)
    assert parsed.status is NumberOrderState.COMPLETED
    assert parsed.timestamp == datetime(2025, 4, 7, 9, 38, 4, 854087, tzinfo=UTC)


@pytest.mark.parametrize("status", ["IN_REVIEW", "BLOCKED", "COMPLETED", "REJECTED", "EXPIRED"])
def test_every_order_event_status_parses(status: str) -> None:
    parsed = parse_event(encode(event(status=status)))
    assert isinstance(parsed, NumberOrderEvent)
    assert parsed.status == status


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-10T17:22:09.412722588", datetime(2024, 2, 10, 17, 22, 9, 412722, tzinfo=UTC)),
        ("2024-02-10T17:22:09.999999999", datetime(2024, 2, 10, 17, 22, 9, 999999, tzinfo=UTC)),
        ("2024-02-10T17:22:09.4", datetime(2024, 2, 10, 17, 22, 9, 400000, tzinfo=UTC)),
        ("2024-02-10T17:22:09", datetime(2024, 2, 10, 17, 22, 9, tzinfo=UTC)),
        ("2024-02-10T17:22:09Z", datetime(2024, 2, 10, 17, 22, 9, tzinfo=UTC)),
        ("2024-02-10t17:22:09.5z", datetime(2024, 2, 10, 17, 22, 9, 500000, tzinfo=UTC)),
    ],
)
def test_timestamps_without_zone_are_utc_and_fractions_are_truncated(
    text: str, expected: datetime
) -> None:
    parsed = parse_event(encode(event(timestamp=text)))
    assert parsed.timestamp == expected
    assert parsed.timestamp.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2024-02-10T17:22:09.412722588+02:00", timedelta(hours=2)),
        ("2024-02-10T17:22:09-05:30", -timedelta(hours=5, minutes=30)),
        ("2024-02-10T17:22:09+00:00", timedelta(0)),
    ],
)
def test_timestamps_with_an_offset_keep_it(text: str, offset: timedelta) -> None:
    parsed = parse_event(encode(event(timestamp=text)))
    assert parsed.timestamp.utcoffset() == offset
    local = datetime(2024, 2, 10, 17, 22, 9, tzinfo=timezone(offset))
    assert parsed.timestamp.replace(microsecond=0) == local


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024-02-10",
        "2024-02-10 17:22:09",
        "2024-02-10T17:22",
        "2024-13-10T17:22:09",
        "2024-02-30T17:22:09",
        "2024-02-10T24:00:00",
        "2024-02-10T17:22:60",
        "2024-02-10T17:22:09.",
        "2024-02-10T17:22:09.1234567890",
        "2024-02-10T17:22:09+24:00",
        "2024-02-10T17:22:09+02:60",
        "2024-02-10T17:22:09+0200",
        "2024-02-10T17:22:09 UTC",
        "٢٠٢٤-02-10T17:22:09",
        1707585729,
        None,
    ],
)
def test_bad_timestamps_are_malformed_and_named(text: Any) -> None:
    assert malformed_fields(encode(event(timestamp=text))) == ("timestamp",)


def test_unknown_fields_are_ignored() -> None:
    body = event(newField="x", nested={"deep": [1, 2, {"a": None}]}, priority=3)
    parsed = parse_event(encode(body))
    assert isinstance(parsed, NumberOrderEvent)
    assert not hasattr(parsed, "newField")
    assert not hasattr(parsed, "new_field")


def test_active_number_event_parses() -> None:
    parsed = parse_event(encode(ACTIVE_NUMBER))
    assert isinstance(parsed, ActiveNumberEvent)
    assert parsed.phone_number == "+12025550123"
    assert parsed.event_type is ActiveNumberEventType.PROVISIONING_TO_CAMPAIGN
    assert parsed.status is ActiveNumberEventStatus.FAILED
    assert parsed.failure_code is ActiveNumberFailureCode.CAMPAIGN_EXPIRED
    assert parsed.internal_failure_code == "CRS0018"
    assert parsed.timestamp == datetime(2024, 2, 10, 17, 22, 9, 412722, tzinfo=UTC)


@pytest.mark.parametrize("event_type", [t.value for t in ActiveNumberEventType])
def test_every_active_number_event_type_parses_including_the_deprecated_one(
    event_type: str,
) -> None:
    parsed = parse_event(encode({**ACTIVE_NUMBER, "eventType": event_type}))
    assert parsed.event_type == event_type
    assert "DEPROVISIONING_TO_VOICE_PLATFORM" in {t.value for t in ActiveNumberEventType}


def test_unknown_failure_codes_are_kept_as_strings() -> None:
    parsed = parse_event(encode({**ACTIVE_NUMBER, "failureCode": "SOMETHING_NEW"}))
    assert isinstance(parsed, ActiveNumberEvent)
    assert parsed.failure_code == "SOMETHING_NEW"
    assert not isinstance(parsed.failure_code, ActiveNumberFailureCode)


def test_active_number_event_without_failure_codes() -> None:
    body = {**ACTIVE_NUMBER, "status": "SUCCEEDED"}
    del body["failureCode"], body["internalFailureCode"]
    parsed = parse_event(encode(body))
    assert isinstance(parsed, ActiveNumberEvent)
    assert parsed.failure_code is None
    assert parsed.internal_failure_code is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"resourceType": "SOMETHING_ELSE"}, "resourceType"),
        ({"resourceType": "number_order"}, "resourceType"),
        ({"resourceType": ...}, "resourceType"),
        ({"resourceType": 1}, "resourceType"),
        ({"status": "CREATED"}, "status"),
        ({"status": "NUMBER_ORDER_STATE_UNSPECIFIED"}, "status"),
        ({"status": "SUCCEEDED"}, "status"),
        ({"status": "completed"}, "status"),
        ({"status": 3}, "status"),
        ({"status": ...}, "status"),
        ({"eventType": "PROVISIONING_TO_CAMPAIGN"}, "eventType"),
        ({"eventType": ...}, "eventType"),
        ({"eventId": 42}, "eventId"),
        ({"eventId": ""}, "eventId"),
        ({"eventId": ...}, "eventId"),
        ({"projectId": None}, "projectId"),
        ({"resourceId": ["x"]}, "resourceId"),
        ({"failureCode": "CAMPAIGN_EXPIRED"}, "failureCode"),
        ({"internalFailureCode": "CRS0018"}, "internalFailureCode"),
    ],
)
def test_wrong_values_are_malformed_and_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(MalformedEvent) as caught:
        parse_event(encode(event(**changes)))
    assert caught.value.fields == (field,)
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"eventType": "NUMBER_ORDER_PROCESSING"}, "eventType"),
        ({"status": "COMPLETED"}, "status"),
        ({"failureCode": 7}, "failureCode"),
        ({"internalFailureCode": 7}, "internalFailureCode"),
    ],
)
def test_wrong_active_number_values_name_the_field(changes: dict[str, Any], field: str) -> None:
    assert malformed_fields(encode({**ACTIVE_NUMBER, **changes})) == (field,)


def test_every_problem_is_reported() -> None:
    fields = malformed_fields(encode(event(status="NOPE", eventType="NOPE", projectId=...)))
    assert set(fields) == {"status", "eventType", "projectId"}


def test_rules_are_stated() -> None:
    with pytest.raises(MalformedEvent) as caught:
        parse_event(encode(event(status="NOPE")))
    assert str(caught.value) == (
        "malformed callback event: status: must be one of "
        "IN_REVIEW, BLOCKED, COMPLETED, REJECTED, EXPIRED"
    )


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[]", b'"text"', b"null", b"\xff\xfe\x00", b"{" * 5000]
)
def test_non_objects_are_malformed_bodies(body: bytes) -> None:
    with pytest.raises(MalformedEvent) as caught:
        parse_event(body)
    assert caught.value.fields == ()
    assert caught.value.problems


def test_events_are_immutable() -> None:
    parsed = parse_event(encode(NODE_COMPLETED))
    with pytest.raises(ValueError, match="frozen"):
        parsed.status = NumberOrderState.REJECTED  # type: ignore[misc]


# --- source policy -------------------------------------------------------------------------------


@pytest.mark.parametrize("address", SINCH_CALLBACK_IPS)
def test_sinch_addresses_are_allowed_by_default(address: str) -> None:
    assert SourcePolicy().is_allowed(address, None)


@pytest.mark.parametrize("address", [STRANGER_IP, "127.0.0.1", "54.76.19.158", "::1", "", "x"])
def test_other_addresses_are_denied(address: str) -> None:
    assert not SourcePolicy().is_allowed(address, None)


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.0/8"])
    assert policy.client_address(STRANGER_IP, SINCH_IP) == STRANGER_IP
    assert not policy.is_allowed(STRANGER_IP, SINCH_IP)
    # Nor does a stranger's header hide a genuine peer.
    assert policy.is_allowed(SINCH_IP, STRANGER_IP)


def test_forwarded_for_is_ignored_when_no_proxy_is_trusted() -> None:
    assert not SourcePolicy().is_allowed("10.0.0.5", SINCH_IP)


def test_forwarded_for_from_a_trusted_proxy_is_honoured() -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.5"])
    assert policy.client_address("10.0.0.5", SINCH_IP) == SINCH_IP
    assert policy.is_allowed("10.0.0.5", SINCH_IP)
    assert not policy.is_allowed("10.0.0.5", STRANGER_IP)


def test_chains_of_trusted_proxies_are_walked_from_the_right() -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.0/8"])
    assert policy.client_address("10.0.0.5", f"{SINCH_IP}, 10.1.1.1, 10.2.2.2") == SINCH_IP
    assert policy.is_allowed("10.0.0.5", f"{SINCH_IP},10.1.1.1")


def test_a_spoofed_leftmost_hop_is_not_believed() -> None:
    # The client wrote "54.76.19.159" itself; the trusted proxy appended the real address.
    policy = SourcePolicy(trusted_proxies=["10.0.0.5"])
    assert policy.client_address("10.0.0.5", f"{SINCH_IP}, {STRANGER_IP}") == STRANGER_IP
    assert not policy.is_allowed("10.0.0.5", f"{SINCH_IP}, {STRANGER_IP}")


def test_a_trusted_proxy_without_forwarded_for_is_the_client() -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.5"])
    assert policy.client_address("10.0.0.5", None) == "10.0.0.5"
    assert not policy.is_allowed("10.0.0.5", None)
    assert not policy.is_allowed("10.0.0.5", "")


@pytest.mark.parametrize(
    "forwarded", ["unknown", f"{SINCH_IP}, garbage", f"{SINCH_IP}, ", "54.76.19.159.1", "::::"]
)
def test_unparseable_hops_are_denied(forwarded: str) -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.5"])
    assert not policy.is_allowed("10.0.0.5", forwarded)


def test_every_hop_trusted_gives_the_leftmost() -> None:
    policy = SourcePolicy(allowed=["10.0.0.0/8"], trusted_proxies=["10.0.0.0/8"])
    assert policy.client_address("10.0.0.5", "10.0.0.7, 10.0.0.6") == "10.0.0.7"
    assert policy.is_allowed("10.0.0.5", "10.0.0.7, 10.0.0.6")


def test_hops_with_ports_and_brackets() -> None:
    policy = SourcePolicy(trusted_proxies=["10.0.0.5"])
    assert policy.client_address("10.0.0.5", f"{SINCH_IP}:4711") == SINCH_IP
    v6 = SourcePolicy(allowed=["2001:db8::/32"], trusted_proxies=["10.0.0.5"])
    assert v6.client_address("10.0.0.5", "[2001:db8::7]:443") == "2001:db8::7"
    assert v6.is_allowed("10.0.0.5", "[2001:db8::7]")
    assert not v6.is_allowed("10.0.0.5", "[2001:db8::7]:port")


def test_cidrs_and_ipv6() -> None:
    policy = SourcePolicy(allowed=["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"])
    assert policy.is_allowed("192.0.2.1", None)
    assert policy.is_allowed("192.0.2.255", None)
    assert not policy.is_allowed("192.0.3.1", None)
    assert policy.is_allowed("2001:db8::1", None)
    assert not policy.is_allowed("2001:db9::1", None)
    assert policy.is_allowed("198.51.100.7", None)
    assert not policy.is_allowed("198.51.100.8", None)


def test_ipv4_mapped_ipv6_peers_match_ipv4_entries() -> None:
    assert SourcePolicy().is_allowed(f"::ffff:{SINCH_IP}", None)
    assert SourcePolicy().client_address(f"::ffff:{SINCH_IP}", None) == SINCH_IP


def test_trusted_proxy_networks() -> None:
    policy = SourcePolicy(trusted_proxies=["172.16.0.0/12", "fd00::/8"])
    assert policy.is_allowed("172.20.1.1", SINCH_IP)
    assert policy.is_allowed("fd00::1", SINCH_IP)
    assert not policy.is_allowed("172.32.0.1", SINCH_IP)


@pytest.mark.parametrize(
    "entries", [["not-an-ip"], ["10.0.0.1/8"], ["300.1.1.1"], [SINCH_IP, ""], [None]]
)
def test_bad_configuration_is_refused(entries: list[Any]) -> None:
    with pytest.raises(ValueError, match="not an IP address or CIDR"):
        SourcePolicy(allowed=entries)
    with pytest.raises(ValueError, match=r"trusted_proxies\["):
        SourcePolicy(trusted_proxies=entries)


def test_a_single_string_is_not_a_list_of_addresses() -> None:
    with pytest.raises(TypeError, match="single string"):
        SourcePolicy(allowed="54.76.19.159")


# --- the verifier --------------------------------------------------------------------------------


def test_verifier_accepts_a_good_event() -> None:
    body = encode(NODE_COMPLETED)
    parsed = verifier().verify(body, signed(body), SINCH_IP)
    assert isinstance(parsed, NumberOrderEvent)
    assert parsed.status is NumberOrderState.COMPLETED


@pytest.mark.parametrize("name", ["x-sinch-signature", "X-SINCH-SIGNATURE", "x-Sinch-signature"])
def test_headers_are_matched_case_insensitively(name: str) -> None:
    body = encode(NODE_COMPLETED)
    assert verifier().verify(body, {name: compute_signature(body, SECRET)}, SINCH_IP)


def test_forwarded_for_header_is_matched_case_insensitively() -> None:
    check = verifier(source_policy=SourcePolicy(trusted_proxies=["10.0.0.5"]))
    body = encode(NODE_COMPLETED)
    assert check.verify(body, signed(body, **{"x-forwarded-for": SINCH_IP}), "10.0.0.5")


def test_forged_signature_is_refused() -> None:
    body = encode(NODE_COMPLETED)
    with pytest.raises(InvalidSignature, match="does not match"):
        verifier().verify(body, signed(body, "forged-secret"), SINCH_IP)


def test_missing_signature_is_refused() -> None:
    with pytest.raises(InvalidSignature, match="missing"):
        verifier().verify(encode(NODE_COMPLETED), {}, SINCH_IP)


def test_conflicting_signature_headers_are_refused() -> None:
    body = encode(NODE_COMPLETED)
    headers = {"X-Sinch-Signature": compute_signature(body, SECRET), "x-sinch-signature": "00"}
    with pytest.raises(InvalidSignature, match="more than one"):
        verifier().verify(body, headers, SINCH_IP)


def test_wrong_source_is_refused_before_the_signature_is_checked() -> None:
    body = encode(NODE_COMPLETED)
    with pytest.raises(ForbiddenSource):
        verifier().verify(body, signed(body), STRANGER_IP)
    with pytest.raises(ForbiddenSource):
        verifier().verify(body, {}, STRANGER_IP)


def test_signature_is_checked_before_the_payload() -> None:
    with pytest.raises(InvalidSignature):
        verifier().verify(b"not json", {"X-Sinch-Signature": "00"}, SINCH_IP)


def test_malformed_signed_payload_is_refused() -> None:
    body = encode(event(status="NOPE"))
    with pytest.raises(MalformedEvent):
        verifier().verify(body, signed(body), SINCH_IP)


def test_size_is_checked_first() -> None:
    body = encode(NODE_COMPLETED)
    check = verifier(max_body_bytes=len(body))
    with pytest.raises(BodyTooLarge, match=f"{len(body)} bytes"):
        check.verify(body + b" ", {}, STRANGER_IP)
    assert check.verify(body, signed(body), SINCH_IP)


def test_replayed_event_is_refused() -> None:
    check = verifier()
    body = encode(NODE_COMPLETED)
    check.verify(body, signed(body), SINCH_IP)
    with pytest.raises(ReplayedEvent):
        check.verify(body, signed(body), SINCH_IP)
    # A different body with the same eventId is still a replay of that event.
    other = encode(event(status="REJECTED"))
    with pytest.raises(ReplayedEvent):
        check.verify(other, signed(other), SINCH_IP)


def test_refused_requests_do_not_poison_the_replay_memory() -> None:
    check = verifier()
    body = encode(NODE_COMPLETED)
    with pytest.raises(InvalidSignature):
        check.verify(body, signed(body, "forged-secret"), SINCH_IP)
    with pytest.raises(ForbiddenSource):
        check.verify(body, signed(body), STRANGER_IP)
    assert check.verify(body, signed(body), SINCH_IP)


def test_replay_memory_is_bounded_lru() -> None:
    check = verifier(replay_window=2)
    bodies = [encode(event(eventId=f"e{i}")) for i in range(3)]
    for body in bodies:
        check.verify(body, signed(body), SINCH_IP)
    # e0 was forgotten when e2 arrived; e1 and e2 are remembered.
    assert check.verify(bodies[0], signed(bodies[0]), SINCH_IP)
    with pytest.raises(ReplayedEvent):
        check.verify(bodies[2], signed(bodies[2]), SINCH_IP)


def test_replay_detection_is_thread_safe() -> None:
    check = verifier()
    body = encode(NODE_COMPLETED)
    headers = signed(body)
    barrier = threading.Barrier(16)
    outcomes: list[str] = []
    lock = threading.Lock()

    def deliver() -> None:
        barrier.wait()
        try:
            check.verify(body, headers, SINCH_IP)
            outcome = "accepted"
        except ReplayedEvent:
            outcome = "replayed"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=deliver) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] + ["replayed"] * 15


def test_without_a_secret_signatures_are_not_checked_and_a_warning_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="sinch_numbers.callbacks"):
        check = verifier(secret=None)
        body = encode(NODE_COMPLETED)
        assert check.verify(body, {}, SINCH_IP)
        other = encode(event(eventId="e2"))
        assert check.verify(other, {"X-Sinch-Signature": "forged"}, SINCH_IP)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "NOT checked" in warnings[0].getMessage()
    assert "local development" in warnings[0].getMessage()
    assert not check.checks_signatures


def test_with_a_secret_nothing_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        body = encode(NODE_COMPLETED)
        verifier().verify(body, signed(body), SINCH_IP)
    assert caplog.records == []


def test_without_a_source_policy_any_peer_is_accepted() -> None:
    body = encode(NODE_COMPLETED)
    assert verifier(source_policy=None).verify(body, signed(body), STRANGER_IP)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"secret": ""}, "must not be empty"),
        ({"max_body_bytes": 0}, "max_body_bytes"),
        ({"replay_window": 0}, "replay_window"),
    ],
)
def test_bad_verifier_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        verifier(**options)


def test_verifier_repr_leaves_the_secret_out() -> None:
    assert SECRET not in repr(verifier())
    assert "signed=True" in repr(verifier())


def test_errors_carry_reason_and_status() -> None:
    assert {(c.reason, c.http_status) for c in CallbackError.__subclasses__()} == {
        ("body_too_large", 413),
        ("forbidden_source", 403),
        ("invalid_signature", 401),
        ("malformed_event", 400),
        ("replayed_event", 409),
    }


# --- sanitized summary ---------------------------------------------------------------------------


def test_summary_of_an_order_event() -> None:
    summary = sanitized_summary(parse_event(encode(NODE_COMPLETED)))
    assert summary == (
        "NUMBER_ORDER_PROCESSING status=COMPLETED resource=01jgkbb8xywmz3hhahd76menqf "
        "event=01jr7stexp0znky34pj07dwp41 at=2025-04-07T09:38:04.854087+00:00"
    )


def test_summary_of_an_active_number_event() -> None:
    summary = sanitized_summary(parse_event(encode(ACTIVE_NUMBER)))
    assert summary == (
        "PROVISIONING_TO_CAMPAIGN status=FAILED resource=+12025550123 "
        "event=01hpa0mww4m79q8j2dwn3ggbgz at=2024-02-10T17:22:09.412722+00:00 "
        "failure=CAMPAIGN_EXPIRED internal=CRS0018"
    )


def test_summary_escapes_hostile_values() -> None:
    hostile = event(
        eventId="e1\nINFO accepted forged event\x1b[31m",
        resourceId="o" * 500,
    )
    summary = sanitized_summary(parse_event(encode(hostile)))
    assert "\n" not in summary
    assert "\x1b" not in summary
    assert "event=e1?INFO?accepted?forged?event?" in summary
    assert len(summary) < 300


def test_summary_never_contains_unknown_fields() -> None:
    parsed = parse_event(encode(event(secretNote=CANARY)))
    assert CANARY not in sanitized_summary(parsed)
    assert CANARY not in repr(parsed)


# --- the body never leaks ------------------------------------------------------------------------


def _exception_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), *map(str, error.args)]
    if isinstance(error, MalformedEvent):
        texts.extend(f"{name} {rule}" for name, rule in error.problems)
    return texts


CANARY_BODIES = {
    "status": encode(event(status=CANARY)),
    "resource_type": encode(event(resourceType=CANARY)),
    "event_type": encode(event(eventType=CANARY)),
    "timestamp": encode(event(timestamp=CANARY)),
    "failure_code_on_order": encode(event(failureCode=CANARY)),
    "key_name": encode({CANARY: CANARY}),
    "only_key_type": encode({"resourceType": [CANARY]}),
    "invalid_json": b'{"eventId": "' + CANARY.encode() + b'", ',
    "not_utf8": CANARY.encode() + b"\xff\xfe",
    "active_status": encode({**ACTIVE_NUMBER, "status": CANARY, "failureCode": [CANARY]}),
}


@pytest.mark.parametrize("body", CANARY_BODIES.values(), ids=CANARY_BODIES.keys())
def test_refused_bodies_never_appear_in_errors_or_logs(
    body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    check = verifier()
    with caplog.at_level(logging.DEBUG), pytest.raises(CallbackError) as caught:
        check.verify(body, signed(body), SINCH_IP)
    assert isinstance(caught.value, MalformedEvent)
    # No chained pydantic error that could be printed with the traceback either.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    for text in [*_exception_texts(caught.value), caplog.text]:
        assert CANARY not in text


def test_canary_in_headers_and_addresses_never_appears(caplog: pytest.LogCaptureFixture) -> None:
    body = encode(NODE_COMPLETED)
    check = verifier(source_policy=SourcePolicy(trusted_proxies=["10.0.0.5"]))
    errors = []
    with caplog.at_level(logging.DEBUG):
        for headers, peer in [
            ({"X-Sinch-Signature": CANARY}, SINCH_IP),
            ({"X-Sinch-Signature": compute_signature(body, SECRET)}, CANARY),
            ({"X-Forwarded-For": f"{SINCH_IP}, {CANARY}"}, "10.0.0.5"),
        ]:
            with pytest.raises(CallbackError) as caught:
                check.verify(body, headers, peer)
            errors.append(caught.value)
    for error in errors:
        for text in _exception_texts(error):
            assert CANARY not in text
    assert CANARY not in caplog.text


def test_accepted_bodies_with_a_canary_in_unknown_fields_do_not_leak(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = encode(event(note=CANARY, extra={"nested": CANARY}))
    with caplog.at_level(logging.DEBUG):
        parsed = verifier().verify(body, signed(body), SINCH_IP)
    assert CANARY not in repr(parsed)
    assert CANARY not in sanitized_summary(parsed)
    assert CANARY not in caplog.text


def test_oversized_and_forged_bodies_with_a_canary_do_not_leak() -> None:
    check = verifier(max_body_bytes=64)
    body = encode(event(status=CANARY))
    for headers, peer in [({}, SINCH_IP), ({"X-Sinch-Signature": "00"}, SINCH_IP)]:
        with pytest.raises(CallbackError) as caught:
            check.verify(body, headers, peer)
        assert all(CANARY not in text for text in _exception_texts(caught.value))


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_raise_only_callback_errors(body: bytes) -> None:
    # Anything else escaping (ValueError, UnicodeDecodeError, RecursionError...) fails the test.
    with contextlib.suppress(CallbackError):
        parse_event(body)
    check = CallbackVerifier(None, None)
    with contextlib.suppress(CallbackError):
        check.verify(body, {"X-Sinch-Signature": body.hex()}, "")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
_KEYS = st.sampled_from(
    [
        "eventId",
        "timestamp",
        "projectId",
        "resourceId",
        "resourceType",
        "eventType",
        "status",
        "failureCode",
        "internalFailureCode",
    ]
)
_VALUES = _JSON | st.sampled_from(
    [
        "NUMBER_ORDER",
        "ACTIVE_NUMBER",
        "NUMBER_ORDER_PROCESSING",
        "PROVISIONING_TO_CAMPAIGN",
        "COMPLETED",
        "FAILED",
        "2024-02-10T17:22:09.412722588",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=9), st.text(max_size=30))
def test_random_event_shaped_objects_raise_only_malformed_event(
    fields: dict[str, Any], canary_suffix: str
) -> None:
    marker = "MARK-" + canary_suffix.encode("ascii", "ignore").decode() + "-Q7"
    body = json.dumps({**fields, "zzExtra": marker}).encode()
    refusal: MalformedEvent | None = None
    try:
        parsed = parse_event(body)
    except MalformedEvent as caught:
        refusal = caught
    if refusal is None:
        assert marker not in sanitized_summary(parsed)
    else:
        assert refusal.problems
        assert all(marker not in text for text in _exception_texts(refusal))


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59) | st.none(),
)
def test_timestamps_round_trip(moment: datetime, digits: int, offset_minutes: int | None) -> None:
    nanos = f"{moment.microsecond:06d}" + "987"
    # Not strftime: glibc does not pad years before 1000 to four digits.
    text = moment.replace(microsecond=0).isoformat()
    if digits:
        text += "." + nanos[:digits]
    tz: timezone = UTC
    if offset_minutes is not None:
        sign = "-" if offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(offset_minutes), 60)
        text += f"{sign}{hours:02d}:{minutes:02d}"
        tz = timezone(timedelta(minutes=offset_minutes))
    parsed = parse_event(encode(event(timestamp=text))).timestamp
    micro = int(nanos[: min(digits, 6)].ljust(6, "0")) if digits else 0
    assert parsed == moment.replace(microsecond=micro, tzinfo=tz)
    assert parsed.utcoffset() == tz.utcoffset(None)


# --- layering ------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_callbacks_use_only_the_api_models_of_the_project() -> None:
    path = Path(sinch_numbers.callbacks.__file__)
    ours = {name for name in _imports(path) if name.startswith("sinch_numbers")}
    assert ours <= {
        "sinch_numbers.api.models",
        "sinch_numbers.api.models.NumberOrderState",
        "sinch_numbers.errors",  # the one exception root, a leaf
        "sinch_numbers.errors.SinchNumbersError",
    }
    assert not any(name.split(".")[0] == "pulumi" for name in _imports(path))


def test_nothing_in_the_package_imports_the_callbacks_module() -> None:
    package = Path(sinch_numbers.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path.name != "callbacks.py" or path.parent != package
        if "sinch_numbers.callbacks" in _imports(path)
    ]
    assert offenders == []


def test_importing_the_callbacks_module_does_not_load_pulumi() -> None:
    code = (
        "import sys, sinch_numbers.callbacks\n"
        "loaded = [m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
