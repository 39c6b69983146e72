"""docs/kyc.md's table of check failures is what preview reports, through the real plugin.

Each row of the table ("What the messages say") has a case here that spoils valid emulator data
the way the row describes; the plugin's Check must report exactly the documented property and
rule, and nothing that is not documented. A row without a case, or a case without a row, fails.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.provider import NumberOrderProvider
from sinch_numbers.testing import DynamicProviderPlugin, dynamic_type, make_urn, provider_property
from sinch_numbers.testing.emulator import EmulatorProcess, write_sample_files
from tests.docs.blocks import ROOT

DOC = ROOT / "docs" / "kyc.md"
URN = make_urn("sinch-numbers", "test", dynamic_type("sinch", "NumberOrder"), "kyc")
PNG = ROOT / "examples" / "quickstart" / "documents" / "identity-document.png"
OPTIONAL_PDF_ONLY = "01jxn22f3d9h6c1x8n5p7q2s4t"  # AU MOBILE's letter of authorisation
# Each case goes through the provider plugin's Check, against an emulator.
pytestmark = pytest.mark.process

Spoil = Callable[[dict[str, Any], Path], object]


def _big_pdf(props: dict[str, Any], tmp: Path) -> None:
    big = tmp / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    props["attachments"][0]["file"] = str(big)


def _png_for_a_pdf_requirement(props: dict[str, Any], tmp: Path) -> None:
    props["attachments"].append({"requirement_id": OPTIONAL_PDF_ONLY, "file": str(PNG)})


def _reg(change: Callable[[list[Any]], object]) -> Spoil:
    """A spoiler of the registration alone."""

    def spoil(props: dict[str, Any], _tmp: Path) -> None:
        change(props["registration"])

    return spoil


CASES: dict[tuple[str, str], tuple[str, Spoil]] = {
    ("registration[1].postalCode", "is required"): (
        "AU/MOBILE",
        _reg(lambda r: r[1].pop("postalCode")),
    ),
    ("registration[1].postalCode", "must match the pattern ^[0-9]{4}$"): (
        "AU/MOBILE",
        _reg(lambda r: r[1].update(postalCode="30a0")),
    ),
    ("registration[0][1].senderId", r"must match the pattern ^\+[1-9][0-9]{6,14}$"): (
        "AU/MOBILE",
        _reg(lambda r: r[0].append({**r[0][0], "senderId": "0412 000 101"})),
    ),
    ("registration[1].state", "must be one of the allowed values"): (
        "AU/MOBILE",
        _reg(lambda r: r[1].update(state="Victoria")),
    ),
    (
        "registration[0][0].iConfirmThatMyBusinessHasAValidUseCaseForThisLn",
        "must be true",
    ): (
        "AU/MOBILE",
        _reg(lambda r: r[0][0].update(iConfirmThatMyBusinessHasAValidUseCaseForThisLn=False)),
    ),
    ("registration[1].postalcode", "unknown field; did you mean postalCode?"): (
        "AU/MOBILE",
        _reg(lambda r: r[1].update(postalcode=r[1].pop("postalCode"))),
    ),
    ("registration[2]", "has an unknown field (its name is not shown)"): (
        "AU/MOBILE",
        _reg(lambda r: r[2].update({"+61 400 000 000": "x"})),
    ),
    ("registration[0].employees", "must be an integer"): (
        "BR/MOBILE",
        _reg(lambda r: r[0].update(employees=12.5)),
    ),
    ("registration", "expected 3 entries, one per requirement group"): (
        "AU/MOBILE",
        _reg(lambda r: r.pop()),
    ),
    ("registration[0]", "expected a list of 1 to 3 entries"): (
        "AU/MOBILE",
        _reg(lambda r: r[0].extend([r[0][0]] * 3)),
    ),
    (
        "attachments",
        "mandatory attachment '01jxn22a7kq3m8v5t0w2r4y6zb' (Identity document of the contact "
        "person) is missing",
    ): ("AU/MOBILE", lambda props, _tmp: props["attachments"].pop(1)),
    (
        "attachments[1].document_type",
        "is required; allowed: Passport, Driver's License, National ID",
    ): ("AU/MOBILE", lambda props, _tmp: props["attachments"][1].pop("document_type")),
    ("attachments[2].file", "file type image/png is not allowed; allowed: application/pdf"): (
        "AU/MOBILE",
        _png_for_a_pdf_requirement,
    ),
    ("attachments[0].file", "must be at most 5 MiB"): ("AU/MOBILE", _big_pdf),
}


def documented() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## What the messages say") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"^\| `([^`]+)` \| `(.+)` \|$", section, re.MULTILINE)


@pytest.fixture(scope="module")
def check_plugin(emulator: EmulatorProcess) -> Iterator[DynamicProviderPlugin]:
    emulator.reset()
    with DynamicProviderPlugin(ROOT, config=emulator.stack_config()) as plugin:
        yield plugin


def _valid(emu: EmulatorProcess, pair: str, tmp: Path) -> dict[str, Any]:
    region, number_type = pair.split("/")
    sample = emu.sample(region, number_type)
    files = write_sample_files(sample, tmp)
    attachments = [
        {
            "requirement_id": item.requirement_id,
            "file": str(files[item.requirement_id]),
            **({"document_type": item.document_type} if item.document_type else {}),
        }
        for item in sample.attachments
        if item.mandatory
    ]
    return {
        "region_code": region,
        "number_type": number_type,
        "quantity": 1,
        "registration": copy.deepcopy(sample.registration),
        "attachments": attachments,
    }


def _failures(plugin: DynamicProviderPlugin, props: dict[str, Any]) -> list[tuple[str, str]]:
    news = {**props, "__provider": provider_property(NumberOrderProvider())}
    return plugin.check(URN, {}, news).failures


def test_every_documented_message_has_a_case_and_every_case_a_row() -> None:
    rows = documented()
    assert len(rows) == len(set(rows)) >= 10
    assert set(rows) == set(CASES)


@pytest.mark.parametrize("pair", ["AU/MOBILE", "BR/MOBILE"])
def test_the_valid_data_passes(
    check_plugin: DynamicProviderPlugin, emulator: EmulatorProcess, tmp_path: Path, pair: str
) -> None:
    assert _failures(check_plugin, _valid(emulator, pair, tmp_path)) == []


@pytest.mark.parametrize("row", list(CASES), ids=[f"{p}: {r[:30]}" for p, r in CASES])
def test_preview_reports_the_documented_property_and_rule(
    check_plugin: DynamicProviderPlugin,
    emulator: EmulatorProcess,
    tmp_path: Path,
    row: tuple[str, str],
) -> None:
    pair, spoil = CASES[row]
    props = _valid(emulator, pair, tmp_path)
    spoil(props, tmp_path)
    failures = _failures(check_plugin, props)
    assert row in failures, failures
    assert set(failures) <= set(documented()), "every message preview gives here is documented"
