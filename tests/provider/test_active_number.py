"""ActiveNumber in the real dynamic-provider plugin, against the emulator over loopback: it adopts
a number already active, PATCHes only what the stack sets, maps what Sinch has on refresh, and
never buys or releases a number unless release_on_destroy says so. Call counts are exact."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pytest

from sinch_numbers import ActiveNumber, ActiveNumberArgs, SmsConfigurationArgs
from sinch_numbers.active_number import ActiveNumberProvider
from sinch_numbers.resource import ActiveNumberImportError
from sinch_numbers.testing import Op, ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.active_numbers import (
    CREATE_ORDER,
    GET_NUMBER,
    PATCH_NUMBER,
    RELEASE,
    TOKEN,
    US_TOLL_FREE_VOICE_ONLY,
    OneNumber,
    activate,
    api_calls,
    change_outside,
    release_outside,
)
from tests.engine.programs import active_number
from tests.provider.conftest import ROOT, Stack

MakeRunner = Callable[[OneNumber], ProgramRunner]


@pytest.fixture
def make_runner(emu: EmulatorProcess) -> Iterator[MakeRunner]:
    made: list[ProgramRunner] = []

    def make(program: OneNumber) -> ProgramRunner:
        runner = ProgramRunner(program, project_dir=ROOT, config=emu.stack_config())
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


def warnings(messages: list[tuple[str, str]]) -> list[str]:
    return [text for _severity, text in messages if text.startswith("warning: ")]


def test_create_adopts_with_one_read_and_one_patch_and_buys_nothing(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    program = OneNumber(
        phone,
        display_name="Support line",
        sms_configuration=SmsConfigurationArgs(service_plan_id="plan-a"),
        callback_url="https://hooks.example.com/sinch",
    )
    runner = make_runner(program)

    preview = runner.preview()
    assert preview.ok, preview.error
    assert preview.ops() == {"number": Op.CREATE}
    assert emu.stats() == {}, "preview reads nothing"

    up = runner.up()
    assert up.ok, up.error
    assert up.ops() == {"number": Op.CREATE}
    assert emu.stats() == {TOKEN: 1, GET_NUMBER: 1, PATCH_NUMBER: 1}
    assert CREATE_ORDER not in emu.stats()
    number = active_number(emu, phone)
    assert number["displayName"] == "Support line"
    assert number["smsConfiguration"]["servicePlanId"] == "plan-a"
    assert number["callbackUrl"] == "https://hooks.example.com/sinch"
    assert number["expireAt"] is None
    assert runner.resource("number").id == phone
    assert up.outputs["next_charge_date"].startswith(number["nextChargeDate"][:19])
    assert up.outputs["monthly_price"] == {"currency_code": "USD", "amount": "0.50"}
    outputs = runner.resource("number").outputs
    assert outputs["capabilities"] == ["SMS", "VOICE"]
    assert (outputs["region_code"], outputs["number_type"]) == ("US", "LOCAL")
    assert outputs["release_on_destroy"] is False


def test_create_patches_only_what_differs_and_reads_only_when_nothing_is_set(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu, smsConfiguration={"servicePlanId": "plan-a"})
    bare = make_runner(OneNumber(phone))
    up = bare.up()
    assert up.ok, up.error
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}, "nothing to set: no PATCH"
    assert up.outputs["configuration"]["sms_configuration"] == {"service_plan_id": "plan-a"}
    assert bare.destroy().ok

    emu.reset_stats()
    same = make_runner(OneNumber(phone, sms_configuration={"service_plan_id": "plan-a"}))
    assert same.up().ok
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}, "the number already carries it"


def test_an_unchanged_up_and_preview_make_no_call(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    runner = make_runner(OneNumber(activate(emu), display_name="Support"))
    assert runner.up().ok
    emu.reset_stats()
    again = runner.up()
    assert again.ok, again.error
    assert again.ops() == {"number": Op.SAME}
    assert runner.preview().ops() == {"number": Op.SAME}
    assert emu.stats() == {}


def test_update_patches_once_and_leaves_what_the_stack_does_not_set(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu, voiceConfiguration={"type": "RTC", "appId": "app-kept"})
    program = OneNumber(phone, display_name="Support")
    runner = make_runner(program)
    assert runner.up().ok
    program.inputs["display_name"] = "Sales"
    program.inputs["sms_configuration"] = {"service_plan_id": "plan-b", "campaign_id": "camp-1"}
    emu.reset_stats()
    up = runner.up()
    assert up.ok, up.error
    assert up.ops() == {"number": Op.UPDATE}
    assert api_calls(emu.stats()) == {PATCH_NUMBER: 1}
    number = active_number(emu, phone)
    assert number["displayName"] == "Sales"
    assert number["smsConfiguration"]["campaignId"] == "camp-1"
    assert number["voiceConfiguration"]["appId"] == "app-kept", "voice is not the stack's"
    assert number["expireAt"] is None


def test_state_only_change_makes_no_call_and_warns_what_destroy_will_do(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    program = OneNumber(phone)
    runner = make_runner(program)
    assert runner.up().ok
    program.inputs["release_on_destroy"] = True
    emu.reset_stats()
    up = runner.up()
    assert up.ok, up.error
    assert up.ops() == {"number": Op.UPDATE}
    assert emu.stats() == {}
    assert runner.resource("number").outputs["release_on_destroy"] is True
    assert runner.resource("number").outputs["next_charge_date"] is not None, "outputs kept"
    assert any(f"RELEASES {phone}" in w for w in warnings(up.messages)), up.output


def test_removing_sms_unlinks_it_and_removing_voice_is_refused(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    program = OneNumber(
        phone,
        sms_configuration={"service_plan_id": "plan-a", "campaign_id": "camp-1"},
        voice_configuration={"type": "EST", "trunk_id": "trunk-1"},
    )
    runner = make_runner(program)
    assert runner.up().ok
    del program.inputs["sms_configuration"]
    emu.reset_stats()
    up = runner.up()
    assert up.ok, up.error
    assert api_calls(emu.stats()) == {PATCH_NUMBER: 1}
    sms = active_number(emu, phone)["smsConfiguration"]
    assert (sms["servicePlanId"], sms["campaignId"]) == ("", "")

    del program.inputs["voice_configuration"]
    emu.reset_stats()
    refused = runner.preview()
    assert not refused.ok
    assert "voice_configuration: cannot be removed from number" in (refused.error or "")
    assert "documents no way to unlink voice routing" in (refused.error or "")
    assert emu.stats() == {}
    assert active_number(emu, phone)["voiceConfiguration"]["trunkId"] == "trunk-1"


def test_refresh_maps_drift_and_the_next_up_puts_it_back(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    program = OneNumber(phone, sms_configuration={"service_plan_id": "plan-a"})
    runner = make_runner(program)
    assert runner.up().ok
    change_outside(
        emu,
        phone,
        {"smsConfiguration": {"servicePlanId": "drifted"}, "displayName": "Not managed"},
    )

    refreshed = runner.refresh()
    assert refreshed.ok, refreshed.error
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}
    state = runner.resource("number")
    assert state.outputs["sms_configuration"] == {"service_plan_id": "drifted"}
    assert state.inputs["sms_configuration"] == {"service_plan_id": "drifted"}
    assert state.outputs.get("display_name") is None, "unset inputs stay unmanaged"
    assert state.outputs["configuration"]["display_name"] == "Not managed"
    number = active_number(emu, phone)
    assert state.outputs["next_charge_date"].startswith(number["nextChargeDate"][:19])
    assert state.outputs.get("expire_at") is None

    assert runner.preview().ops() == {"number": Op.UPDATE}, "drift shows as a diff"
    emu.reset_stats()
    up = runner.up()
    assert up.ok, up.error
    assert api_calls(emu.stats()) == {PATCH_NUMBER: 1}
    number = active_number(emu, phone)
    assert number["smsConfiguration"]["servicePlanId"] == "plan-a"
    assert number["displayName"] == "Not managed"


def test_a_refresh_of_an_untouched_number_plans_nothing(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    program = OneNumber(
        activate(emu),
        display_name="Support",
        sms_configuration={"service_plan_id": "plan-a", "campaign_id": ""},
        voice_configuration={"type": "RTC", "app_id": "app-1"},
        callback_url="https://hooks.example.com/sinch",
    )
    runner = make_runner(program)
    assert runner.up().ok
    assert runner.refresh().ok
    emu.reset_stats()
    again = runner.up()
    assert again.ok, again.error
    assert again.ops() == {"number": Op.SAME}, "what Sinch answers reads as what was set"
    assert emu.stats() == {}


def test_refresh_drops_a_number_that_is_gone(emu: EmulatorProcess, make_runner: MakeRunner) -> None:
    phone = activate(emu)
    runner = make_runner(OneNumber(phone))
    assert runner.up().ok
    release_outside(emu, phone)
    emu.advance_clock(31 * 86400)  # a released number ends at its next charge date
    refreshed = runner.refresh()
    assert refreshed.ok, refreshed.error
    assert refreshed.ops() == {"number": Op.REFRESH_REMOVED}
    assert runner.state == {}


def test_destroy_keeps_the_number_by_default_and_says_it_stays_billed(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    runner = make_runner(OneNumber(phone, display_name="Support"))
    assert runner.up().ok
    emu.reset_stats()
    destroyed = runner.destroy()
    assert destroyed.ok, destroyed.error
    assert destroyed.ops() == {"number": Op.DELETE}
    assert emu.stats() == {}, "no release, not even a read"
    assert active_number(emu, phone)["expireAt"] is None
    assert any(f"{phone} stays active and billed" in w for w in warnings(destroyed.messages))


def test_destroy_releases_only_with_release_on_destroy_true(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu)
    runner = make_runner(OneNumber(phone, release_on_destroy=True))
    assert runner.up().ok
    emu.reset_stats()
    destroyed = runner.destroy()
    assert destroyed.ok, destroyed.error
    assert api_calls(emu.stats()) == {RELEASE: 1}
    number = active_number(emu, phone)
    assert number["expireAt"] == number["nextChargeDate"]
    assert f"released {phone}" in destroyed.output


def test_a_number_that_is_not_active_fails_create_clearly_and_buys_nothing(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    runner = make_runner(OneNumber("+13075551234"))
    emu.reset_stats()
    up = runner.up()
    assert not up.ok
    assert "+13075551234 is not an active number of this Sinch project" in (up.error or "")
    assert "never buys a number" in (up.error or "")
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}
    assert emu.orders() == []
    assert runner.state == {}


def test_routing_the_number_cannot_carry_is_refused_before_any_patch(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    phone = activate(emu, US_TOLL_FREE_VOICE_ONLY)
    runner = make_runner(OneNumber(phone, sms_configuration={"service_plan_id": "plan-a"}))
    up = runner.up()
    assert not up.ok
    assert "sms_configuration: the number has no SMS capability" in (up.error or "")
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}


def test_checks_name_the_property_and_the_rule_never_the_value(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    program = OneNumber(
        "0412 000 999",
        sms_configuration={"campaign_id": "camp-secret"},
        voice_configuration={"type": "FAX", "app_id": "app-secret"},
        callback_url="http://hooks.example.com/sinch-secret",
        release_on_destroy="yes",
    )
    preview = make_runner(program).preview()
    assert not preview.ok
    (failures,) = preview.check_failures.values()
    found = dict(failures)
    assert found["phone_number"].startswith("must be an E.164 number")
    assert found["sms_configuration.service_plan_id"] == "is required"
    assert found["voice_configuration.service_id"] == "is required for type FAX"
    assert found["voice_configuration.app_id"] == "does not belong to type FAX (use service_id)"
    assert found["callback_url"] == "must use https (http is allowed only for localhost)"
    assert found["release_on_destroy"] == "must be true or false"
    for secret in ("0412 000 999", "camp-secret", "app-secret", "sinch-secret", "yes"):
        assert secret not in preview.output
    assert emu.stats() == {}


def test_replacing_with_release_on_destroy_names_the_number_it_will_release(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    old = activate(emu)
    new = activate(emu, "+13075551001")
    program = OneNumber(old, release_on_destroy=True)
    runner = make_runner(program)
    assert runner.up().ok
    program.inputs["phone_number"] = new
    emu.reset_stats()
    preview = runner.preview()
    assert preview.ok, preview.error
    assert preview.ops() == {"number": Op.REPLACE}
    assert any(f"{old} is RELEASED once {new} is adopted" in w for w in warnings(preview.messages))
    assert emu.stats() == {}

    up = runner.up()
    assert up.ok, up.error
    assert api_calls(emu.stats()) == {GET_NUMBER: 1, RELEASE: 1}
    assert active_number(emu, old)["expireAt"] is not None
    assert active_number(emu, new)["expireAt"] is None
    assert runner.resource("number").id == new


def test_replacing_without_release_on_destroy_releases_nothing(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    old = activate(emu)
    new = activate(emu, "+13075551001")
    program = OneNumber(old)
    runner = make_runner(program)
    assert runner.up().ok
    program.inputs["phone_number"] = new
    emu.reset_stats()
    up = runner.up()
    assert up.ok, up.error
    assert up.ops() == {"number": Op.REPLACE}
    assert RELEASE not in emu.stats()
    assert CREATE_ORDER not in emu.stats()
    assert active_number(emu, old)["expireAt"] is None
    assert any(f"{old} stays active and billed" in text for _s, text in up.messages), up.output


def test_a_completed_number_orders_number_is_brought_under_another_stack(
    emu: EmulatorProcess, make_runner: MakeRunner, make_stack: Callable[..., Stack]
) -> None:
    """The way a number leaves a NumberOrder: keep it (release_on_destroy=False), adopt it."""
    ordered = make_stack(release_on_destroy=False)
    up = ordered.runner.up()
    assert up.ok, up.error
    emu.review(up.outputs["order_id"], "approve")
    assert ordered.runner.refresh().ok
    (phone,) = ordered.outputs()["phone_numbers"]

    adopted = make_runner(OneNumber(phone, display_name="Adopted"))
    emu.reset_stats()
    taken = adopted.up()
    assert taken.ok, taken.error
    assert api_calls(emu.stats()) == {GET_NUMBER: 1, PATCH_NUMBER: 1}
    assert taken.outputs["configuration"]["sms_configuration"] == {"service_plan_id": "plan-one"}

    assert ordered.runner.destroy().ok
    assert active_number(emu, phone)["expireAt"] is None
    assert adopted.up().ops() == {"number": Op.SAME}


def test_args_and_keywords_and_import_are_refused_plainly() -> None:
    with pytest.raises(TypeError, match="phone_number is required"):
        ActiveNumber("n")
    with pytest.raises(TypeError, match="either as args or as keywords"):
        ActiveNumber("n", ActiveNumberArgs(phone_number="+13075551000"), display_name="x")
    with pytest.raises(ActiveNumberImportError, match="adopts the number given as phone_number"):
        ActiveNumber(
            "n", phone_number="+13075551000", opts=pulumi.ResourceOptions(import_="+130755")
        )


def test_nothing_secret_is_pickled_into_the_state(
    emu: EmulatorProcess, make_runner: MakeRunner
) -> None:
    assert ActiveNumberProvider().__getstate__() == {}
    runner = make_runner(OneNumber(activate(emu)))
    assert runner.up().ok
    blob: Any = runner.resource("number").inputs["__provider"]
    raw = blob.value if isinstance(blob, Secret) else blob
    pickled = base64.b64decode(raw)
    assert b"sinch_numbers.active_number" in pickled
    assert b"ActiveNumberProvider" in pickled
    for value in (emu.credentials.key_secret, emu.credentials.key_id, emu.url):
        assert value.encode() not in pickled
