"""Bad inputs of a NumberOrder: how to spoil a valid AU MOBILE order, and the failure each must
produce (the property, a fragment of the rule, and values the failure must never repeat).

tests/unit/test_bad_inputs.py asserts every case in process; tests/reliability/
test_reliability_inputs.py sends one case of each family through the real plugin's Check.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinch_numbers.emulator.requirements_catalog import requirements_for
from sinch_numbers.emulator.sample_files import FILES

AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"
AU_LETTER = "01jxn22f3d9h6c1x8n5p7q2s4t"
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f00f000401010018dd8db40000000049454e44ae426082"
)


@dataclass(frozen=True)
class Bad:
    """One bad input: how to spoil a valid AU MOBILE order, and the failure it must produce."""

    name: str
    spoil: Callable[[dict[str, Any], dict[str, str]], None]
    property: str
    rule: str
    secrets: tuple[str, ...] = ()  # values that must not appear in any failure
    extra: dict[str, Any] = field(default_factory=dict)

    def assert_refused(self, failures: list[tuple[str, str]]) -> None:
        """The check failed at this case's property with its rule, echoing none of its secrets;
        in process and through the plugin alike."""
        assert failures, "accepted"
        matching = [r for p, r in failures if p == self.property and self.rule in r]
        assert matching, failures
        text = repr(failures)
        for secret in self.secrets:
            assert secret not in text, f"{secret!r} echoed in {failures}"


def _set(key: str, value: Any) -> Callable[[dict[str, Any], dict[str, str]], None]:
    def spoil(props: dict[str, Any], _files: dict[str, str]) -> None:
        if value is _DELETE:
            props.pop(key, None)
        else:
            props[key] = value

    return spoil


def _reg(mutate: Callable[[Any], None]) -> Callable[[dict[str, Any], dict[str, str]], None]:
    def spoil(props: dict[str, Any], _files: dict[str, str]) -> None:
        registration = copy.deepcopy(props["registration"])
        mutate(registration)
        props["registration"] = registration

    return spoil


def _att(
    mutate: Callable[[list[dict[str, Any]], dict[str, str]], None],
) -> Callable[[dict[str, Any], dict[str, str]], None]:
    def spoil(props: dict[str, Any], files: dict[str, str]) -> None:
        attachments = copy.deepcopy(props["attachments"])
        mutate(attachments, files)
        props["attachments"] = attachments

    return spoil


def _many(*spoils: Callable[[dict[str, Any], dict[str, str]], None]) -> Any:
    def spoil(props: dict[str, Any], files: dict[str, str]) -> None:
        for item in spoils:
            item(props, files)

    return spoil


_DELETE = object()
_QUANTITY_ONLY = _set("phone_number", _DELETE)


def _item(index: int, **changes: Any) -> Callable[[list[dict[str, Any]], dict[str, str]], None]:
    def mutate(attachments: list[dict[str, Any]], files: dict[str, str]) -> None:
        for key, value in changes.items():
            if value is _DELETE:
                attachments[index].pop(key, None)
            elif isinstance(value, str) and value.startswith("file:"):
                attachments[index][key] = files[value[5:]]
            else:
                attachments[index][key] = value

    return mutate


def _append(**entry: Any) -> Callable[[list[dict[str, Any]], dict[str, str]], None]:
    def mutate(attachments: list[dict[str, Any]], files: dict[str, str]) -> None:
        attachments.append(
            {
                k: files[v[5:]] if isinstance(v, str) and v.startswith("file:") else v
                for k, v in entry.items()
            }
        )

    return mutate


OFFLINE: list[Bad] = [
    Bad("region missing", _set("region_code", _DELETE), "region_code", "is required"),
    Bad(
        "region name",
        _set("region_code", "Australia"),
        "region_code",
        "ISO 3166-1",
        ("Australia",),
    ),
    Bad("region number", _set("region_code", 61), "region_code", "must be a string"),
    Bad("type missing", _set("number_type", _DELETE), "number_type", "is required"),
    Bad(
        "type unknown",
        _set("number_type", "CELLULAR"),
        "number_type",
        "must be one of",
        ("CELLULAR",),
    ),
    Bad(
        "neither number nor quantity",
        _set("quantity", _DELETE),
        "phone_number",
        "exactly one of phone_number or quantity",
    ),
    Bad(
        "both number and quantity",
        _set("phone_number", "+61412000123"),
        "quantity",
        "must not be set together",
        ("+61412000123",),
    ),
    Bad(
        "national format",
        _many(_QUANTITY_ONLY, _set("quantity", _DELETE), _set("phone_number", "0412 000 123")),
        "phone_number",
        "E.164",
        ("0412 000 123",),
    ),
    Bad(
        "number of another region",
        _many(_set("quantity", _DELETE), _set("phone_number", "+4915123456789")),
        "phone_number",
        "does not belong to region_code",
        ("+4915123456789",),
    ),
    Bad(
        "impossible number",
        _many(_set("quantity", _DELETE), _set("phone_number", "+6141")),
        "phone_number",
        "possible",
        ("+6141",),
    ),
    Bad("quantity zero", _set("quantity", 0), "quantity", "between 1 and 100"),
    Bad("quantity too many", _set("quantity", 101), "quantity", "between 1 and 100", ("101",)),
    Bad("quantity fraction", _set("quantity", 1.5), "quantity", "whole number", ("1.5",)),
    Bad("quantity text", _set("quantity", "two"), "quantity", "whole number", ("two",)),
    Bad("quantity bool", _set("quantity", True), "quantity", "whole number"),
    Bad("quantity infinite", _set("quantity", math.inf), "quantity", "whole number", ("inf",)),
    Bad("quantity NaN", _set("quantity", math.nan), "quantity", "whole number", ("nan",)),
    Bad(
        "pattern letters",
        _set("number_pattern", "abc-secret"),
        "number_pattern",
        "digits",
        ("abc-secret",),
    ),
    Bad(
        "search pattern unknown",
        _many(_set("number_pattern", "614"), _set("search_pattern", "MIDDLE")),
        "search_pattern",
        "must be one of",
        ("MIDDLE",),
    ),
    Bad(
        "search pattern alone",
        _set("search_pattern", "START"),
        "search_pattern",
        "needs number_pattern",
    ),
    Bad("sequential text", _set("sequential", "yes"), "sequential", "true or false"),
    Bad("capabilities empty", _set("capabilities", []), "capabilities", "non-empty list"),
    Bad("capability unknown", _set("capabilities", ["MMS"]), "capabilities[0]", "SMS or VOICE"),
    Bad(
        "capability twice",
        _set("capabilities", ["SMS", "SMS"]),
        "capabilities",
        "must not repeat",
    ),
    Bad(
        "quantity option on a specific number",
        _many(
            _set("quantity", _DELETE),
            _set("phone_number", "+61412000123"),
            _set("sequential", True),
        ),
        "sequential",
        "only applies to quantity orders",
    ),
    Bad("sms not an object", _set("sms_configuration", "plan-x1"), "sms_configuration", "object"),
    Bad(
        "sms without plan",
        _set("sms_configuration", {}),
        "sms_configuration.service_plan_id",
        "is required",
    ),
    Bad(
        "sms unknown field",
        _set("sms_configuration", {"service_plan_id": "p1", "campaign": "c-secret"}),
        "sms_configuration.campaign",
        "is not a field",
        ("c-secret",),
    ),
    Bad(
        "voice type unknown",
        _set("voice_configuration", {"type": "SIPX"}),
        "voice_configuration.type",
        "RTC, EST, FAX",
        ("SIPX",),
    ),
    Bad(
        "voice id missing",
        _set("voice_configuration", {"type": "RTC"}),
        "voice_configuration.app_id",
        "required for type RTC",
    ),
    Bad(
        "voice id of another type",
        _set("voice_configuration", {"type": "EST", "trunk_id": "t1", "app_id": "app-secret"}),
        "voice_configuration.app_id",
        "does not belong to type EST",
        ("app-secret",),
    ),
    Bad(
        "callback not http",
        _set("callback_url", "ftp://hooks.example.com/secret-path"),
        "callback_url",
        "absolute https URL",
        ("secret-path",),
    ),
    Bad(
        "callback plain http",
        _set("callback_url", "http://hooks.example.com/secret-path"),
        "callback_url",
        "must use https",
        ("secret-path",),
    ),
    Bad(
        "registration a string",
        _set("registration", "ACME Pty secret"),
        "registration",
        "must be a list",
        ("ACME Pty secret",),
    ),
    Bad(
        "attachments a string",
        _set("attachments", "passport-secret.pdf"),
        "attachments",
        "must be a list",
        ("passport-secret.pdf",),
    ),
    Bad(
        "attachment a string",
        _set("attachments", ["passport-secret.pdf"]),
        "attachments[0]",
        "must be an object",
        ("passport-secret.pdf",),
    ),
    Bad(
        "attachment without requirement",
        _att(_item(0, requirement_id=_DELETE)),
        "attachments[0].requirement_id",
        "is required",
    ),
    Bad(
        "attachment without file",
        _att(_item(1, file=_DELETE)),
        "attachments[1].file",
        "is required",
    ),
    Bad(
        "file missing",
        _att(_item(0, file="/nonexistent/passport-of-jane.pdf")),
        "attachments[0].file",
        "file not found",
        ("passport-of-jane",),
    ),
    Bad(
        "file is a directory",
        _att(_item(0, file="file:directory")),
        "attachments[0].file",
        "directory",
    ),
    Bad(
        "file is a named pipe",
        _att(_item(0, file="file:fifo")),
        "attachments[0].file",
        "must be a regular file, not a named pipe",
        ("passport-of-jane",),
    ),
    Bad("file empty", _att(_item(0, file="file:empty")), "attachments[0].file", "empty"),
    Bad(
        "file not a document",
        _att(_item(0, file="file:text")),
        "attachments[0].file",
        "could not be recognised",
    ),
    Bad(
        "file too large",
        _att(_item(0, file="file:large")),
        "attachments[0].file",
        "must be at most 5 MiB",
    ),
    Bad(
        "file path with a NUL byte",
        _att(_item(0, file="/tmp/passport\0jane.pdf")),
        "attachments[0].file",
        "",
        ("passport", "jane"),
    ),
    Bad(
        "requirement twice",
        _att(_item(1, requirement_id=AU_PROOF)),
        "attachments[1].requirement_id",
        "given twice",
    ),
    Bad(
        "document type empty",
        _att(_item(1, document_type="")),
        "attachments[1].document_type",
        "non-empty string",
    ),
    Bad(
        "attachment unknown field",
        _att(_item(0, colour="secret-blue")),
        "attachments[0].colour",
        "is not a field of an attachment",
        ("secret-blue",),
    ),
    Bad("wait text", _set("wait_for_completion", "yes"), "wait_for_completion", "true or false"),
    Bad("timeout zero", _set("completion_timeout", 0), "completion_timeout", "between 1 second"),
    Bad(
        "timeout a year",
        _set("completion_timeout", 3.2e7),
        "completion_timeout",
        "7 days",
    ),
    Bad("timeout text", _set("completion_timeout", "1h"), "completion_timeout", "must be a number"),
    Bad("timeout NaN", _set("completion_timeout", math.nan), "completion_timeout", "between"),
    Bad("release text", _set("release_on_destroy", "no"), "release_on_destroy", "true or false"),
    Bad(
        "adopt id malformed",
        _set("adopt_order_id", "order id / secret"),
        "adopt_order_id",
        "number order id",
        ("order id / secret",),
    ),
    Bad(
        "unknown input", _set("colour", "secret-red"), "colour", "is not an input", ("secret-red",)
    ),
]


def _at(path: list[Any], key: Any, value: Any) -> Callable[[Any], None]:
    def mutate(registration: Any) -> None:
        target = registration
        for step in path:
            target = target[step]
        if value is _DELETE:
            target.pop(key)
        else:
            target[key] = value

    return mutate


KYC: list[Bad] = [
    Bad(
        "sender not E.164",
        _reg(_at([0, 0], "senderId", "0412999888")),
        "registration[0][0].senderId",
        "must match the pattern",
        ("0412999888",),
    ),
    Bad(
        "use not in the list",
        _reg(_at([0, 0], "intendedUseOfMobileNumbers", "Spamming")),
        "registration[0][0].intendedUseOfMobileNumbers",
        "allowed values",
        ("Spamming",),
    ),
    Bad(
        "confirmation false",
        _reg(_at([0, 0], "iConfirmThatMyBusinessHasAValidUseCaseForThisLn", False)),
        "registration[0][0].iConfirmThatMyBusinessHasAValidUseCaseForThisLn",
        "must be true",
    ),
    Bad(
        "too many sender groups",
        _reg(lambda r: r[0].extend(copy.deepcopy(r[0]) * 3)),
        "registration[0]",
        "1 to 3 entries",
    ),
    Bad("no sender group", _reg(_at([], 0, [])), "registration[0]", "1 to 3 entries"),
    Bad(
        "required field missing",
        _reg(_at([1], "city", _DELETE)),
        "registration[1].city",
        "is required",
    ),
    Bad(
        "unknown field",
        _reg(_at([1], "cityName", "Secretville")),
        "registration[1].cityName",
        "unknown field",
        ("Secretville",),
    ),
    Bad(
        "postal code pattern",
        _reg(_at([1], "postalCode", "ABCD")),
        "registration[1].postalCode",
        "must match the pattern",
        ("ABCD",),
    ),
    Bad(
        "state not in the list",
        _reg(_at([1], "state", "XQZ")),
        "registration[1].state",
        "allowed values",
        ("XQZ",),
    ),
    Bad(
        "country not AU",
        _reg(_at([1], "country", "NZ-secret")),
        "registration[1].country",
        "allowed values",
        ("NZ-secret",),
    ),
    Bad(
        "name too long",
        _reg(_at([2], "firstName", "Bartholomew" * 6)),
        "registration[2].firstName",
        "at most 50 characters",
        ("Bartholomew",),
    ),
    Bad(
        "name a number",
        _reg(_at([2], "firstName", 424242)),
        "registration[2].firstName",
        "must be a string",
        ("424242",),
    ),
    Bad(
        "contact phone national",
        _reg(_at([2], "phoneNumber", "0400111222")),
        "registration[2].phoneNumber",
        "must match the pattern",
        ("0400111222",),
    ),
    Bad(
        "group missing",
        _reg(lambda r: r.pop()),
        "registration",
        "expected 3 entries",
    ),
    Bad(
        "wrapped in data",
        _reg(lambda r: r.__setitem__(slice(None), [{"data": copy.deepcopy(r)}])),
        "registration",
        "one per requirement group",
    ),
    Bad(
        "mandatory document missing",
        _att(lambda a, _f: a.pop()),
        "attachments",
        "mandatory attachment",
    ),
    Bad(
        "unknown requirement",
        _att(_append(requirement_id="01notarequirement", file="file:pdf")),
        "attachments[2].requirement_id",
        "unknown requirement id",
    ),
    Bad(
        "document type not allowed",
        _att(_item(1, document_type="Library card")),
        "attachments[1].document_type",
        "allowed values",
        ("Library card",),
    ),
    Bad(
        "document type missing",
        _att(_item(1, document_type=_DELETE)),
        "attachments[1].document_type",
        "is required",
    ),
    Bad(
        "file type not allowed",
        _att(_append(requirement_id=AU_LETTER, file="file:png")),
        "attachments[2].file",
        "is not allowed",
    ),
    Bad(
        "documents for a pair without KYC",
        _many(
            _set("region_code", "US"),
            _set("number_type", "LOCAL"),
            _set("registration", _DELETE),
            _set("sms_configuration", _DELETE),
        ),
        "attachments",
        "needs no documents",
    ),
]

CASES = OFFLINE + KYC


def make_bad_files(root: Path) -> dict[str, str]:
    """The files the table's cases point attachments at, written under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "directory").mkdir()
    # Opened for reading, a FIFO blocks until a writer comes: check must refuse it unopened.
    os.mkfifo(root / "passport-of-jane.pdf")
    (root / "empty.pdf").write_bytes(b"")
    (root / "notes.pdf").write_bytes(b"just words, no magic bytes")
    (root / "proof.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (root / "id.png").write_bytes(PNG_1x1)
    large = root / "large.pdf"
    with large.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(5 * 1024 * 1024 + 1)
    return {
        "directory": str(root / "directory"),
        "fifo": str(root / "passport-of-jane.pdf"),
        "empty": str(root / "empty.pdf"),
        "text": str(root / "notes.pdf"),
        "pdf": str(root / "proof.pdf"),
        "png": str(root / "id.png"),
        "large": str(large),
    }


def valid_order(directory: Path) -> dict[str, Any]:
    """The AU MOBILE order the emulator's sample describes, its mandatory documents on disk."""
    requirements = requirements_for("AU", "MOBILE")
    assert requirements is not None
    directory.mkdir(parents=True, exist_ok=True)
    attachments = []
    for item in requirements.attachments:
        if not item["mandatory"]:
            continue
        mime = item["allowedMimeTypes"][0] if item["allowedMimeTypes"] else "application/pdf"
        name, make = FILES[mime]
        path = directory / f"doc-{item['id']}{Path(name).suffix}"
        path.write_bytes(make())
        documents = item["allowedDocumentTypes"]
        attachments.append(
            {
                "requirement_id": item["id"],
                "file": str(path),
                "document_type": documents[0] if documents else None,
            }
        )
    return {
        "region_code": "AU",
        "number_type": "MOBILE",
        "quantity": 1,
        "sms_configuration": {"service_plan_id": "plan-one"},
        "registration": copy.deepcopy(requirements.sample),
        "attachments": attachments,
    }
