"""``sinch-numbers requirements``: tables, raw JSON, skeletons, pairs without KYC, odd formats."""

from __future__ import annotations

import ast
import json
from typing import Any

import httpx
import pytest
import respx
import yaml
from cli_helpers import PAIRS_WITH_KYC, PAIRS_WITHOUT_KYC, Cli, assert_one_error_line

from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.kyc import validate_registration
from sinch_numbers.kyc.grammar import RequirementsGrammar
from sinch_numbers.testing.emulator import EmulatorProcess


def raw_requirements(api: httpx.Client, region: str, kind: str) -> dict[str, Any]:
    response = api.post(
        "/numberOrders:lookupNumberRequirements", json={"regionCode": region, "numberType": kind}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def grammar_of(raw: dict[str, Any]) -> RequirementsGrammar:
    grammar = RequirementsGrammar.parse(raw["fields"])
    assert isinstance(grammar, RequirementsGrammar)
    return grammar


def assert_skeleton_shape(data: Any, raw: dict[str, Any], sample: Any) -> None:
    """One entry per rule, lists for repeatable rules, every template field, sample keys fit."""
    rules = raw["fields"]["rules"]
    assert isinstance(data, list)
    assert len(data) == len(rules)
    for entry, rule, sample_entry in zip(data, rules, sample, strict=True):
        if rule.get("repeatable"):
            assert isinstance(entry, list)
            assert len(entry) == 1
            (entry,) = entry
            sample_entry = sample_entry[0]
        assert isinstance(entry, dict)
        assert list(entry) == list(rule["template"])
        # The emulator's valid sample was written independently: its keys must all be there.
        assert set(sample_entry) <= set(entry)


def registration_literal(source: str) -> Any:
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "registration":
            return ast.literal_eval(node.value)
    raise AssertionError("no registration assignment")


def test_table_lists_groups_fields_and_attachments(on_emulator: Cli, api: httpx.Client) -> None:
    raw = raw_requirements(api, "AU", "MOBILE")
    result = on_emulator("requirements", "au", "mobile")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "KYC requirements for AU MOBILE" in result.stdout
    for rule in raw["fields"]["rules"]:
        assert rule["name"] in result.stdout
        for field in rule["template"]:
            assert field in result.stdout
    for attachment in raw["attachments"]:
        assert attachment["id"] in result.stdout
    assert "a list of 1 to 3 entries" in result.stdout
    assert "must be true" in result.stdout
    assert "pattern ^[0-9]{4}$" in result.stdout


@pytest.mark.parametrize(("region", "kind"), PAIRS_WITH_KYC)
def test_every_kyc_pair_renders(on_emulator: Cli, region: str, kind: str) -> None:
    result = on_emulator("requirements", region, kind)
    assert result.exit_code == 0, result.output
    assert f"KYC requirements for {region} {kind}" in result.stdout
    assert "not understood" not in result.stdout


def test_json_is_the_raw_lookup(on_emulator: Cli, api: httpx.Client) -> None:
    raw = raw_requirements(api, "DE", "LOCAL")
    result = on_emulator("requirements", "DE", "LOCAL", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"fields", "attachments", "quantity_orders_supported"}
    assert document["fields"] == raw["fields"]
    assert [a["id"] for a in document["attachments"]] == [a["id"] for a in raw["attachments"]]
    first = document["attachments"][0]
    assert set(first) == {
        "id",
        "title",
        "description",
        "mandatory",
        "allowed_mime_types",
        "allowed_document_types",
        "template",
    }
    assert first["allowed_document_types"] == raw["attachments"][0]["allowedDocumentTypes"]


@pytest.mark.parametrize(("region", "kind"), PAIRS_WITH_KYC)
@pytest.mark.parametrize("format_", ["python", "yaml", "json"])
def test_skeleton_is_valid_and_matches_the_rules(
    on_emulator: Cli,
    api: httpx.Client,
    emulator: EmulatorProcess,
    region: str,
    kind: str,
    format_: str,
) -> None:
    raw = raw_requirements(api, region, kind)
    sample = emulator.sample(region, kind).registration
    result = on_emulator("requirements", region, kind, "--skeleton", format_)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if format_ == "python":
        data = registration_literal(result.stdout)
    elif format_ == "yaml":
        data = yaml.safe_load(result.stdout)
    else:
        data = json.loads(result.stdout)
    assert_skeleton_shape(data, raw, sample)

    # Against the project's own validator: the shape is right, so the only complaints are about
    # placeholder values (patterns, enums, lengths, types), never missing or unknown fields.
    report = validate_registration(NumberRequirements.model_validate(raw), data)
    assert report.understood
    for violation in report.violations:
        assert violation.rule not in ("is required", "unknown field"), violation
        assert not violation.rule.startswith("expected"), violation


def test_skeleton_placeholders_show_type_and_constraints(on_emulator: Cli) -> None:
    result = on_emulator("requirements", "AU", "MOBILE", "--skeleton", "json")
    data = json.loads(result.stdout)
    sender, business, _contact = data
    assert sender[0]["iConfirmThatMyBusinessHasAValidUseCaseForThisLn"] is True
    assert sender[0]["intendedUseOfMobileNumbers"] == (
        "<one of: Transactional, Marketing, Two-factor authentication>"
    )
    assert business["postalCode"] == "<string, 1-4 chars, pattern ^[0-9]{4}$>"
    assert business["endBusinessAddress2"] == "<optional string, up to 100 chars>"
    assert business["country"] == "AU"  # a one-value enum has nothing to choose


def test_python_skeleton_carries_comments_and_attachments(on_emulator: Cli) -> None:
    result = on_emulator("requirements", "AU", "MOBILE", "--skeleton", "python")
    source = result.stdout
    assert "# data[0] senderDetails: Sender and traffic" in source
    assert "from sinch_numbers import AttachmentArgs" in source
    assert 'requirement_id="01jxn2251d0shhamtbykft2xzx"' in source
    assert 'document_type="<one of: Passport, Driver\'s License, National ID>"' in source
    tree = ast.parse(source)
    names = {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    assert names == {"registration", "attachments"}


def test_skeleton_types_integers_and_numbers(on_emulator: Cli) -> None:
    # BR MOBILE has an optional integer and an optional number field.
    data = json.loads(on_emulator("requirements", "BR", "MOBILE", "--skeleton", "json").stdout)
    placeholders = [
        v for entry in data for v in (entry if isinstance(entry, dict) else entry[0]).values()
    ]
    assert "<optional integer>" in placeholders
    assert "<optional number>" in placeholders


@pytest.mark.parametrize(("region", "kind"), PAIRS_WITHOUT_KYC)
def test_pair_without_kyc(on_emulator: Cli, region: str, kind: str) -> None:
    table = on_emulator("requirements", region, kind)
    assert table.exit_code == 0, table.output
    assert table.stdout.strip() == (
        f"{region} {kind} needs no KYC registration: Sinch has no number requirements for it. "
        "Order it without registration or attachments."
    )
    as_json = on_emulator("requirements", region, kind, "--json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) is None


def test_skeletons_for_a_pair_without_kyc(on_emulator: Cli) -> None:
    python = on_emulator("requirements", "US", "LOCAL", "--skeleton", "python")
    assert registration_literal(python.stdout) is None
    assert (
        yaml.safe_load(on_emulator("requirements", "US", "LOCAL", "--skeleton", "yaml").stdout)
        is None
    )
    assert (
        json.loads(on_emulator("requirements", "US", "LOCAL", "--skeleton", "json").stdout) is None
    )


# --- a format the KYC grammar does not understand (the emulator only serves understood ones) ----

ODD_FIELDS = {
    "schema": "/schema/policySchema-v2.json",
    "rules": [{"template": {"vatNumber": {"kind": "text"}}}],
}
MOCK = "http://sinch.mock"
MOCK_ARGS = [
    "--numbers-url",
    MOCK,
    "--project-id",
    "p1",
    "--key-id",
    "k1",
    "--key-secret",
    "mock-secret",
    "--auth-method",
    "basic",
]


@pytest.fixture
def odd_requirements() -> Any:
    with respx.mock(assert_all_called=False) as router:
        router.post(f"{MOCK}/v1/projects/p1/numberOrders:lookupNumberRequirements").respond(
            200,
            json={
                "fields": ODD_FIELDS,
                "attachments": [
                    {
                        "id": "att-1",
                        "title": "Certificate",
                        "mandatory": True,
                        "allowedMimeTypes": [],
                    }
                ],
            },
        )
        yield router


@pytest.mark.usefixtures("odd_requirements")
def test_format_not_understood_shows_raw_fields(cli: Cli) -> None:
    result = cli("requirements", "FR", "MOBILE", *MOCK_ARGS)
    assert result.exit_code == 0, result.output
    assert "format is not understood" in result.stdout
    assert "fields.schema is missing or not the supported policy schema" in result.stdout
    assert "policySchema-v2.json" in result.stdout  # the raw fields themselves
    assert "vatNumber" in result.stdout
    assert "att-1" in result.stdout  # attachments are still listed


@pytest.mark.usefixtures("odd_requirements")
def test_format_not_understood_has_no_skeleton(cli: Cli) -> None:
    result = cli("requirements", "FR", "MOBILE", "--skeleton", "yaml", *MOCK_ARGS)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert_one_error_line(result.stderr, "cannot build a skeleton for FR MOBILE", "not understood")


@pytest.mark.usefixtures("odd_requirements")
def test_format_not_understood_json_is_still_raw(cli: Cli) -> None:
    result = cli("requirements", "FR", "MOBILE", "--json", *MOCK_ARGS)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["fields"] == ODD_FIELDS


def test_a_pair_sinch_does_not_offer_is_said_plainly(on_emulator: Cli) -> None:
    """DE MOBILE: no requirements (404) and no number available, so not "needs no KYC"."""
    result = on_emulator("requirements", "DE", "MOBILE")
    assert result.exit_code == 4, result.output
    assert_one_error_line(result.stderr, "offers no MOBILE numbers in DE")
    assert "needs no KYC" not in result.output
    as_json = on_emulator("requirements", "DE", "MOBILE", "--json")
    assert as_json.exit_code == 4
