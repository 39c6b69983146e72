"""Program-time lookups under the testing kit, against the emulator: they read the stack's sinch:
config, run in preview, order nothing, and ask once per question and settings (exact counts)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pulumi
import pytest

from sinch_numbers import Requirements, find_available_numbers, lookup_requirements, lookups
from sinch_numbers.core.settings import forget_connections
from sinch_numbers.lookups import LookupArgumentError, LookupFailedError, UnknownRequirementError
from sinch_numbers.testing import Op, ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.active_numbers import LOOKUP, SEARCH, TOKEN, api_calls
from tests.provider.conftest import ROOT
from tests.provider.test_settings_messages import NO_SINCH_ENV

EXAMPLE = ROOT / "examples" / "lookups"
DOCS = ROOT / "docs" / "lookups.md"


@pytest.fixture(autouse=True)
def _fresh_answers() -> Iterator[None]:
    # The program runs in this process, so answers would carry over from test to test, and so
    # would a token another test of this worker fetched (the calls counted here include it).
    lookups.clear_cache()
    forget_connections()
    yield
    lookups.clear_cache()


class Asking:
    """A program that asks every kind of question twice and exports what it learnt."""

    def __init__(self) -> None:
        self.seen: list[Requirements] = []

    def __call__(self) -> None:
        au = lookup_requirements("AU", "MOBILE")
        assert lookup_requirements("au", "MOBILE") == au, "the same pair, upper-cased"
        us = lookup_requirements("US", "LOCAL")
        fr = lookup_requirements("FR", "MOBILE")
        self.seen += [au, us, fr]
        numbers = find_available_numbers(
            "AU", "MOBILE", pattern="+61412", search_pattern="START", capabilities=["SMS"], size=2
        )
        again = find_available_numbers(
            "AU", "MOBILE", pattern="+61412", search_pattern="START", capabilities=("SMS",), size=2
        )
        assert again is numbers
        pulumi.export("proof", au.attachment("Proof of business address").id)
        pulumi.export(
            "identity_types",
            list(au.attachment("identity document of the contact person").allowed_document_types),
        )
        pulumi.export("mandatory", [a.title for a in au.mandatory_attachments])
        pulumi.export("kyc", {"AU": au.needs_kyc, "US": us.needs_kyc, "FR": fr.needs_kyc})
        pulumi.export("offered", {"AU": au.offered, "US": us.offered, "FR": fr.offered})
        pulumi.export(
            "numbers",
            [
                {
                    "phone_number": n.phone_number,
                    "capabilities": list(n.capabilities),
                    "monthly": str(n.monthly_price),
                    "setup": str(n.setup_price),
                }
                for n in numbers
            ],
        )


def test_lookups_answer_in_preview_and_up_once_per_question_and_order_nothing(
    emu: EmulatorProcess,
) -> None:
    program = Asking()
    with ProgramRunner(program, project_dir=ROOT, config=emu.stack_config()) as runner:
        preview = runner.preview()
        assert preview.ok, preview.error
        # Three lookups; US (no KYC) and FR (not offered) each need one search to tell apart;
        # one search for numbers. The repeated questions are answered from the cache.
        assert emu.stats() == {TOKEN: 1, LOOKUP: 3, SEARCH: 3}
        assert preview.outputs["proof"] == "01jxn2251d0shhamtbykft2xzx"
        assert preview.outputs["identity_types"] == ["Passport", "Driver's License", "National ID"]
        assert preview.outputs["mandatory"] == [
            "Proof of business address",
            "Identity document of the contact person",
        ]
        assert preview.outputs["kyc"] == {"AU": True, "US": False, "FR": False}
        assert preview.outputs["offered"] == {"AU": True, "US": True, "FR": False}
        assert preview.outputs["numbers"] == [
            {
                "phone_number": "+61412000100",
                "capabilities": ["SMS", "VOICE"],
                "monthly": "4.50 USD",
                "setup": "1.00 USD",
            },
            {
                "phone_number": "+61412000101",
                "capabilities": ["SMS"],
                "monthly": "4.50 USD",
                "setup": "1.00 USD",
            },
        ]

        up = runner.up()
        assert up.ok, up.error
        assert emu.stats() == {TOKEN: 1, LOOKUP: 3, SEARCH: 3}, "up asked nothing again"
        assert up.outputs["proof"] == "01jxn2251d0shhamtbykft2xzx"
    assert emu.orders() == []
    au = program.seen[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        au.needs_kyc = False  # type: ignore[misc]


def test_other_settings_are_other_questions(emu: EmulatorProcess) -> None:
    def program() -> None:
        lookup_requirements("DE", "LOCAL")

    config = emu.stack_config()
    with ProgramRunner(program, project_dir=ROOT, config=config) as runner:
        assert runner.up().ok
        assert api_calls(emu.stats()) == {LOOKUP: 1}
        runner.config["sinch:authMethod"] = "basic"
        assert runner.up().ok
        assert api_calls(emu.stats()) == {LOOKUP: 2}


def test_the_environment_fills_in_what_stack_config_leaves_out(emu: EmulatorProcess) -> None:
    def program() -> None:
        pulumi.export("needs_kyc", lookup_requirements("SE", "TOLL_FREE").needs_kyc)

    with ProgramRunner(program, project_dir=ROOT, config={}, env=emu.env()) as runner:
        up = runner.up()
    assert up.ok, up.error
    assert up.outputs["needs_kyc"] is True
    assert api_calls(emu.stats()) == {LOOKUP: 1}


def test_missing_settings_name_the_stack_keys_and_show_no_secret(emu: EmulatorProcess) -> None:
    def program() -> None:
        lookup_requirements("AU", "MOBILE")

    config = {"sinch:keySecret": Secret("not-shown-anywhere")}
    with ProgramRunner(program, project_dir=ROOT, config=config, env=NO_SINCH_ENV) as runner:
        up = runner.up()
    assert not up.ok
    assert "missing Sinch settings: sinch:projectId (or SINCH_PROJECT_ID)" in (up.error or "")
    assert "sinch:keyId (or SINCH_KEY_ID)" in (up.error or "")
    assert "not-shown-anywhere" not in up.output + (up.error or "")
    assert emu.stats() == {}


def test_a_refused_key_fails_the_lookup_naming_the_settings_not_the_secret(
    emu: EmulatorProcess,
) -> None:
    def program() -> None:
        lookup_requirements("AU", "MOBILE")

    config = emu.stack_config(**{"sinch:keySecret": Secret("wrong-secret-value")})
    with ProgramRunner(program, project_dir=ROOT, config=config) as runner:
        up = runner.up()
    assert not up.ok
    error = up.error or ""
    assert "LookupFailedError: lookup_requirements(AU MOBILE)" in error
    assert "check sinch:keyId (or SINCH_KEY_ID) and sinch:keySecret (or SINCH_KEY_SECRET)" in error
    assert "wrong-secret-value" not in error + up.output


def test_arguments_are_checked_before_any_call_naming_argument_and_rule(
    emu: EmulatorProcess,
) -> None:
    with pytest.raises(LookupArgumentError) as caught:
        find_available_numbers(
            "Australia", "CELL", pattern="04x", search_pattern="SOMEWHERE", capabilities=["FAX"]
        )
    text = str(caught.value)
    assert text.startswith("find_available_numbers: ")
    for expected in (
        "region_code: must be an ISO 3166-1 alpha-2 code",
        "number_type: must be one of MOBILE, LOCAL, TOLL_FREE",
        "pattern: must be digits, optionally starting with '+'",
        "search_pattern: must be one of START, CONTAINS, END",
        "capabilities[0]: must be SMS or VOICE",
    ):
        assert expected in text
    for value in ("Australia", "CELL", "04x", "SOMEWHERE", "FAX"):
        assert value not in text
    with pytest.raises(LookupArgumentError, match="size: must be a whole number of at least 1"):
        find_available_numbers("AU", "MOBILE", size=0)
    with pytest.raises(LookupArgumentError, match="search_pattern: needs pattern"):
        find_available_numbers("AU", "MOBILE", search_pattern="END")
    assert emu.stats() == {}


def test_an_unknown_title_lists_the_titles_there_are(
    emu: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in emu.env().items():
        monkeypatch.setenv(key, value)
    requirements = lookup_requirements("SE", "TOLL_FREE")
    with pytest.raises(UnknownRequirementError, match="its titles: 'Service description'"):
        requirements.attachment("Proof of address")
    with pytest.raises(UnknownRequirementError, match="does not offer FR MOBILE"):
        lookup_requirements("FR", "MOBILE").attachment("anything")


def test_a_failing_api_is_not_cached(emu: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in emu.env().items():
        monkeypatch.setenv(key, value)
    emu.add_fault("numberOrders:lookupNumberRequirements", status=400)
    with pytest.raises(LookupFailedError, match=r"lookup_requirements\(AU MOBILE\): HTTP 400"):
        lookup_requirements("AU", "MOBILE")
    assert lookup_requirements("AU", "MOBILE").needs_kyc
    assert api_calls(emu.stats()) == {LOOKUP: 2}


def test_the_example_builds_its_attachments_by_title_and_orders_once(emu: EmulatorProcess) -> None:
    with ProgramRunner(EXAMPLE, config=emu.stack_config(trunkId="trunk-1")) as runner:
        preview = runner.preview()
        assert preview.ok, preview.error
        assert preview.ops() == {"se-support-line": Op.CREATE}
        # One lookup in the program, one in the provider's check (another process); one search
        # in the program and one as check prices what the up would buy.
        assert api_calls(emu.stats()) == {LOOKUP: 2, SEARCH: 2}
        assert preview.outputs["monthly_prices"] == ["12.00 EUR"]
        up = runner.up()
        assert up.ok, up.error
        (order,) = emu.orders()
        uploaded = order["registration"]["attachments"]
        assert [a["attachmentId"] for a in uploaded] == ["01jy0setollfree0servicedesc"]
        assert runner.destroy().ok


def test_the_docs_show_the_example_as_it_is() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    assert (EXAMPLE / "__main__.py").read_text() in blocks
