"""Offline validation of NumberOrder inputs: every bad input names the property and the rule."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown

from sinch_numbers.kyc import DEFAULT_MAX_ATTACHMENT_SIZE
from sinch_numbers.resources.number_order.inputs import check_inputs

# A 1x1 PNG and a minimal PDF: real magic bytes, so detection by content is exercised.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CANARY = "Zz9-canary-Qx7"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {
        "pdf": tmp_path / "proof.pdf",
        "png": tmp_path / "id.png",
        "empty": tmp_path / "empty.pdf",
        "text": tmp_path / "notes.pdf",
        "canary": tmp_path / f"{CANARY}.pdf",
    }
    paths["pdf"].write_bytes(PDF)
    paths["png"].write_bytes(PNG)
    paths["empty"].write_bytes(b"")
    paths["text"].write_bytes(b"just some words " + CANARY.encode())
    paths["canary"].write_bytes(b"not a document " + CANARY.encode())
    return {k: str(v) for k, v in paths.items()}


def base(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "region_code": "AU",
        "number_type": "MOBILE",
        "phone_number": "+61412000100",
        "sms_configuration": {"service_plan_id": "plan-1"},
    }
    props.update(overrides)
    return {k: v for k, v in props.items() if v is not None}


def test_valid_specific_number_order_parses() -> None:
    checked = check_inputs(base())
    assert checked.failures == []
    assert checked.parsed is not None
    request = checked.parsed.create_request().to_wire()
    assert request["numberOrderOption"] == {"phoneNumbers": ["+61412000100"]}
    assert request["smsConfiguration"] == {"servicePlanId": "plan-1"}
    assert checked.inputs["release_on_destroy"] is True


def test_valid_quantity_order_parses() -> None:
    checked = check_inputs(
        base(
            phone_number=None,
            region_code="us",
            number_type="LOCAL",
            quantity=3.0,
            number_pattern="+1307",
            search_pattern="START",
            capabilities=["VOICE"],
            sms_configuration=None,
            voice_configuration={"type": "EST", "trunk_id": "trunk-1"},
        )
    )
    assert checked.failures == []
    assert checked.parsed is not None
    wire = checked.parsed.create_request().to_wire()
    assert wire["regionCode"] == "US"
    assert wire["quantityOrderOption"] == {
        "requestedQuantity": 3,
        "numberPattern": {"pattern": "+1307", "searchPattern": "START"},
        "capabilities": ["VOICE"],
    }
    assert wire["voiceConfiguration"] == {"type": "EST", "trunkId": "trunk-1"}


BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("missing region", base(region_code=None), "region_code", "is required"),
    ("region not alpha-2", base(region_code="AUS"), "region_code", "ISO 3166-1"),
    ("region not a string", base(region_code=61), "region_code", "must be a string"),
    ("missing type", base(number_type=None), "number_type", "is required"),
    ("unknown type", base(number_type="SATELLITE"), "number_type", "must be one of"),
    (
        "neither number nor quantity",
        base(phone_number=None),
        "phone_number",
        "exactly one of phone_number or quantity",
    ),
    ("both number and quantity", base(quantity=2), "quantity", "must not be set together"),
    ("number without plus", base(phone_number="61412000100"), "phone_number", "E.164"),
    ("number with letters", base(phone_number="+6141200O100"), "phone_number", "E.164"),
    ("number too long", base(phone_number="+6141200010012345"), "phone_number", "E.164"),
    ("number of other region", base(phone_number="+4930123456"), "phone_number", "region_code"),
    ("quantity zero", base(phone_number=None, quantity=0), "quantity", "between 1 and 100"),
    ("quantity 101", base(phone_number=None, quantity=101), "quantity", "between 1 and 100"),
    ("quantity fraction", base(phone_number=None, quantity=1.5), "quantity", "whole number"),
    ("quantity bool", base(phone_number=None, quantity=True), "quantity", "whole number"),
    ("quantity string", base(phone_number=None, quantity="3"), "quantity", "whole number"),
    ("pattern on number order", base(number_pattern="+614"), "number_pattern", "quantity"),
    (
        "pattern with letters",
        base(phone_number=None, quantity=1, number_pattern="61x"),
        "number_pattern",
        "digits",
    ),
    (
        "search pattern unknown",
        base(phone_number=None, quantity=1, number_pattern="+61", search_pattern="MIDDLE"),
        "search_pattern",
        "must be one of",
    ),
    (
        "search pattern alone",
        base(phone_number=None, quantity=1, search_pattern="START"),
        "search_pattern",
        "needs number_pattern",
    ),
    (
        "capability unknown",
        base(phone_number=None, quantity=1, capabilities=["FAX"]),
        "capabilities[0]",
        "SMS or VOICE",
    ),
    (
        "capabilities empty",
        base(phone_number=None, quantity=1, capabilities=[]),
        "capabilities",
        "non-empty",
    ),
    (
        "capability repeated",
        base(phone_number=None, quantity=1, capabilities=["SMS", "SMS"]),
        "capabilities",
        "repeat",
    ),
    (
        "sequential not bool",
        base(phone_number=None, quantity=1, sequential="yes"),
        "sequential",
        "true or false",
    ),
    ("sms not object", base(sms_configuration="plan"), "sms_configuration", "object"),
    ("sms without plan", base(sms_configuration={}), "sms_configuration.service_plan_id", "req"),
    (
        "sms unknown field",
        base(sms_configuration={"service_plan_id": "p", "plan": "x"}),
        "sms_configuration.plan",
        "not a field",
    ),
    (
        "sms campaign not string",
        base(sms_configuration={"service_plan_id": "p", "campaign_id": 5}),
        "sms_configuration.campaign_id",
        "string",
    ),
    ("voice not object", base(voice_configuration=[]), "voice_configuration", "object"),
    (
        "voice unknown type",
        base(voice_configuration={"type": "SIP"}),
        "voice_configuration.type",
        "RTC, EST, FAX",
    ),
    (
        "voice RTC without app",
        base(voice_configuration={"type": "RTC"}),
        "voice_configuration.app_id",
        "required for type RTC",
    ),
    (
        "voice EST with app id",
        base(voice_configuration={"type": "EST", "trunk_id": "t", "app_id": "a"}),
        "voice_configuration.app_id",
        "does not belong to type EST",
    ),
    (
        "voice FAX with trunk",
        base(voice_configuration={"type": "FAX", "trunk_id": "t"}),
        "voice_configuration.service_id",
        "required for type FAX",
    ),
    (
        "voice unknown field",
        base(voice_configuration={"type": "RTC", "app_id": "a", "appid": "b"}),
        "voice_configuration.appid",
        "not a field",
    ),
    ("callback not url", base(callback_url="hooks"), "callback_url", "absolute https URL"),
    ("callback ftp", base(callback_url="ftp://x.example/cb"), "callback_url", "https"),
    (
        "callback plain http",
        base(callback_url="http://hooks.example.com/cb"),
        "callback_url",
        "must use https",
    ),
    ("registration scalar", base(registration=CANARY), "registration", "list of requirement"),
    ("registration number", base(registration=42), "registration", "list of requirement"),
    ("attachments not list", base(attachments={"a": 1}), "attachments", "must be a list"),
    ("attachment not object", base(attachments=["x"]), "attachments[0]", "must be an object"),
    (
        "attachment without id",
        base(attachments=[{"file": "FILE:pdf"}]),
        "attachments[0].requirement_id",
        "is required",
    ),
    (
        "attachment without file",
        base(attachments=[{"requirement_id": "r1"}]),
        "attachments[0].file",
        "is required",
    ),
    (
        "attachment file missing",
        base(attachments=[{"requirement_id": "r1", "file": "/nonexistent/x.pdf"}]),
        "attachments[0].file",
        "file not found",
    ),
    (
        "attachment empty file",
        base(attachments=[{"requirement_id": "r1", "file": "FILE:empty"}]),
        "attachments[0].file",
        "empty",
    ),
    (
        "attachment unrecognised content",
        base(attachments=[{"requirement_id": "r1", "file": "FILE:text"}]),
        "attachments[0].file",
        "could not be recognised",
    ),
    (
        "attachment directory",
        base(attachments=[{"requirement_id": "r1", "file": "DIR"}]),
        "attachments[0].file",
        "directory",
    ),
    (
        "attachment id twice",
        base(
            attachments=[
                {"requirement_id": "r1", "file": "FILE:pdf"},
                {"requirement_id": "r1", "file": "FILE:png"},
            ]
        ),
        "attachments[1].requirement_id",
        "twice",
    ),
    (
        "attachment document type empty",
        base(attachments=[{"requirement_id": "r1", "file": "FILE:pdf", "document_type": ""}]),
        "attachments[0].document_type",
        "non-empty",
    ),
    (
        "attachment unknown field",
        base(attachments=[{"requirement_id": "r1", "file": "FILE:pdf", "kind": "x"}]),
        "attachments[0].kind",
        "not a field",
    ),
    ("wait not bool", base(wait_for_completion="true"), "wait_for_completion", "true or false"),
    ("timeout zero", base(completion_timeout=0), "completion_timeout", "between 1 second"),
    ("timeout huge", base(completion_timeout=1e9), "completion_timeout", "between 1 second"),
    ("timeout string", base(completion_timeout="1h"), "completion_timeout", "must be a number"),
    ("release not bool", base(release_on_destroy=1), "release_on_destroy", "true or false"),
    ("adopt id malformed", base(adopt_order_id="../../etc"), "adopt_order_id", "order id"),
    ("unknown input", base(regionCode="AU"), "regionCode", "not an input"),
]


def _materialise(value: Any, files: dict[str, str], tmp_path: Path) -> Any:
    if isinstance(value, str) and value.startswith("FILE:"):
        return files[value[5:]]
    if value == "DIR":
        return str(tmp_path)
    if isinstance(value, dict):
        return {k: _materialise(v, files, tmp_path) for k, v in value.items()}
    if isinstance(value, list):
        return [_materialise(v, files, tmp_path) for v in value]
    return value


@pytest.mark.parametrize(
    ("props", "prop", "rule"),
    [pytest.param(p, prop, rule, id=name) for name, p, prop, rule in BAD_INPUTS],
)
def test_bad_input_names_property_and_rule(
    props: dict[str, Any], prop: str, rule: str, files: dict[str, str], tmp_path: Path
) -> None:
    checked = check_inputs(_materialise(props, files, tmp_path))
    assert checked.parsed is None
    matching = [f for f in checked.failures if f.field == prop]
    assert matching, f"no failure for {prop}: {checked.failures}"
    assert any(rule in f.rule for f in matching), matching
    for failure in checked.failures:
        assert CANARY not in failure.rule
        assert CANARY not in failure.field


# --- files that are not documents ----------------------------------------------------------------

LIMIT = DEFAULT_MAX_ATTACHMENT_SIZE


def _file_failures(path: str) -> list[str]:
    checked = check_inputs(base(attachments=[{"requirement_id": "r1", "file": path}]))
    assert checked.parsed is None
    reasons = [f.rule for f in checked.failures if f.field == "attachments[0].file"]
    for failure in checked.failures:
        assert path not in failure.rule
        assert os.path.basename(path) not in failure.rule
    return reasons


@pytest.mark.timeout(10)
def test_a_fifo_as_attachment_fails_check_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / f"{CANARY}.pdf"
    os.mkfifo(fifo)
    assert _file_failures(str(fifo)) == ["must be a regular file, not a named pipe"]


_CHECK_ONE_FILE = """
import json, sys
from sinch_numbers.resources.number_order.inputs import check_inputs
props = {**json.loads(sys.argv[1]), "attachments": [{"requirement_id": "r1", "file": sys.argv[2]}]}
print(json.dumps([[f.field, f.rule] for f in check_inputs(props).failures]))
"""
_CHILD_MEMORY = 1 << 30


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY, _CHILD_MEMORY))


def _file_failures_in_a_capped_child(path: str) -> list[str]:
    """``check`` of one attachment in a child process limited to 1 GiB of memory.

    A regression that reads a device to its end must fail this test, not exhaust the memory of
    the machine the suite runs on.
    """
    result = subprocess.run(
        [sys.executable, "-c", _CHECK_ONE_FILE, json.dumps(base()), path],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_cap_memory,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    failures = json.loads(result.stdout)
    assert all(path not in reason for _prop, reason in failures)
    return [reason for prop, reason in failures if prop == "attachments[0].file"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_as_attachment_fails_check_without_reading_it() -> None:
    assert _file_failures_in_a_capped_child("/dev/zero") == ["must be a regular file, not a device"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_as_attachment_fails_check(tmp_path: Path) -> None:
    link = tmp_path / f"{CANARY}.pdf"
    link.symlink_to("/dev/zero")
    assert _file_failures_in_a_capped_child(str(link)) == ["must be a regular file, not a device"]


def test_a_directory_as_attachment_fails_check(tmp_path: Path) -> None:
    folder = tmp_path / CANARY
    folder.mkdir()
    assert _file_failures(str(folder)) == ["must be a regular file, not a directory"]


@pytest.mark.timeout(10)
def test_a_socket_as_attachment_fails_check(tmp_path: Path) -> None:
    path = tmp_path / CANARY
    if len(str(path)) > 100:
        pytest.skip("the temporary path is too long for a unix socket")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        listener.listen()
        assert _file_failures(str(path)) == ["must be a regular file, not a socket"]


def test_a_symlink_to_a_document_is_read(files: dict[str, str], tmp_path: Path) -> None:
    link = tmp_path / "link.pdf"
    link.symlink_to(files["pdf"])
    checked = check_inputs(base(attachments=[{"requirement_id": "r1", "file": str(link)}]))
    assert checked.failures == []
    assert checked.parsed is not None
    assert checked.parsed.attachments[0].content == PDF


def test_a_file_one_byte_over_the_limit_fails_check(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(PDF + b"\0" * (LIMIT + 1 - len(PDF)))
    assert _file_failures(str(path)) == ["must be at most 5 MiB"]


def test_a_file_of_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "full.pdf"
    path.write_bytes(PDF + b"\0" * (LIMIT - len(PDF)))
    checked = check_inputs(base(attachments=[{"requirement_id": "r1", "file": str(path)}]))
    assert checked.failures == []


def test_reading_stops_after_the_limit_when_the_size_is_misreported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file can grow after its size is looked at (or a filesystem can report 0): the read itself
    # must stop at limit + 1 bytes, whatever the size said.
    path = tmp_path / "growing.pdf"
    path.write_bytes(PDF + b"\0" * (2 * LIMIT))
    real_stat, real_fstat = os.stat, os.fstat

    def small(result: os.stat_result) -> os.stat_result:
        fields = list(result)[:10]
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: small(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    reasons = _file_failures(str(path))
    assert reasons == ["must be at most 5 MiB"]
    assert sum(read) <= LIMIT + 1


def test_there_are_at_least_fifty_bad_inputs() -> None:
    assert len(BAD_INPUTS) >= 50


def test_unknown_values_are_tolerated_and_skip_their_rules() -> None:
    checked = check_inputs(
        base(phone_number=Unknown(), registration=Unknown(), sms_configuration=Unknown())
    )
    assert checked.failures == []
    assert checked.has_unknowns
    assert checked.parsed is None


def test_attachment_is_hashed_and_typed_by_content(files: dict[str, str]) -> None:
    checked = check_inputs(
        base(attachments=[{"requirement_id": "r1", "file": files["png"], "document_type": "X"}])
    )
    assert checked.failures == []
    entry = checked.inputs["attachments"][0]
    assert entry["mime_type"] == "image/png"
    assert len(entry["sha256"]) == 64
    assert entry["size"] == len(PNG)
    assert checked.parsed is not None
    assert checked.parsed.attachments[0].content == PNG
    assert repr(PNG) not in repr(checked.parsed.attachments[0])


def test_file_asset_like_objects_give_their_path(files: dict[str, str]) -> None:
    class Asset:
        path = files["pdf"]

    checked = check_inputs(base(attachments=[{"requirement_id": "r1", "file": Asset()}]))
    assert checked.failures == []
    assert checked.inputs["attachments"][0]["mime_type"] == "application/pdf"


def test_the_checked_bytes_are_the_bytes_sent(files: dict[str, str]) -> None:
    checked = check_inputs(base(attachments=[{"requirement_id": "r1", "file": files["pdf"]}]))
    assert checked.parsed is not None
    Path(files["pdf"]).write_bytes(b"changed on disk after the check")
    attachment = checked.parsed.attachments[0]
    assert attachment.content == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.inputs["attachments"][0]["sha256"] == attachment.sha256
