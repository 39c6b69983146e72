"""Stale state must never cost a live number or a second billed order (through the real plugin).

Each test reproduces a case the safety review found: a routing change replacing an order, a
stale stored state deciding to replace or release, a local clock ahead of the server, a KYC change
on an order in review that preview did not refuse, routing removal that never converged, integer
registration fields sent as floats, and a check that passed while the lookup failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess, write_sample_files
from tests.provider.conftest import Stack, active_number, au_registration
from tests.provider.test_lifecycle import (
    CREATE,
    GET_ORDER,
    LOOKUP,
    PATCH_NUMBER,
    RELEASE,
    SUBMIT,
    TOKEN,
    MakeStack,
)


def _approve_unseen(emu: EmulatorProcess, stack: Stack) -> dict[str, Any]:
    """up leaves the order IN_REVIEW; review approves it; no refresh, so the stack says
    IN_REVIEW while Sinch says COMPLETED."""
    up = stack.runner.up()
    assert up.ok, up.error
    outputs = stack.outputs()
    assert outputs["state"] == "IN_REVIEW"
    emu.review(outputs["order_id"], "approve")
    return outputs


def _orders(emu: EmulatorProcess) -> dict[str, str]:
    return {o["idNumberOrder"]: o["state"] for o in emu.orders()}


# --- 1: a routing change never replaces an order --------------------------------------------


def test_a_routing_change_after_an_unseen_approval_patches_and_releases_nothing(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    before = _approve_unseen(emu, stack)
    phone_number = before["phone_numbers"][0]

    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    assert _orders(emu) == {before["order_id"]: "COMPLETED"}, "no second order"
    stats = emu.stats()
    assert CREATE not in stats
    assert RELEASE not in stats
    assert stats[PATCH_NUMBER] == 1
    number = active_number(emu, phone_number)
    assert number["expireAt"] is None, "the live number was not released"
    assert number["smsConfiguration"]["servicePlanId"] == "plan-two"
    assert stack.outputs().get("pending_configuration") is None


@pytest.mark.parametrize("state", ["IN_REVIEW", "BLOCKED", "CREATED"])
def test_a_routing_change_before_completion_is_pending_never_a_second_order(
    emu: EmulatorProcess, make_stack: MakeStack, state: str
) -> None:
    if state == "CREATED":
        emu.add_fault(r"/submit$", "status", method="POST", status=400, times=1)
    stack = make_stack()
    stack.runner.up()
    order_id = stack.outputs()["order_id"]
    if state == "BLOCKED":
        emu.review(order_id, "block", "The contact must sign")
    assert emu.order(order_id)["state"] == state

    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    emu.reset_stats()
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    assert preview.op("order") == Op.UPDATE
    up = stack.runner.up()
    assert up.op("order") == Op.UPDATE
    assert list(_orders(emu)) == [order_id], "the change never orders again"
    assert CREATE not in emu.stats()
    assert PATCH_NUMBER not in emu.stats(), "no number is active yet"
    pending = stack.outputs()["pending_configuration"]
    assert pending["sms_configuration"] == {"service_plan_id": "plan-two"}


def test_pending_routing_is_patched_once_the_order_completes(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    assert stack.runner.up().ok

    emu.reset_stats()
    still = stack.runner.up()
    assert still.op("order") == Op.SAME, "pending, still in review: nothing to do"
    stats = emu.stats()
    assert stats[GET_ORDER] == 1, "diff read the order once"
    assert set(stats) <= {GET_ORDER, TOKEN}, "and nothing else"

    emu.review(order_id, "approve")
    assert stack.runner.refresh().ok
    assert stack.outputs()["state"] == "COMPLETED"
    assert stack.outputs().get("pending_configuration") is not None, "refresh changes nothing"
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    assert emu.stats()[PATCH_NUMBER] == 1
    phone_number = stack.outputs()["phone_numbers"][0]
    assert active_number(emu, phone_number)["smsConfiguration"]["servicePlanId"] == "plan-two"
    assert stack.outputs().get("pending_configuration") is None
    emu.reset_stats()
    assert stack.runner.up().op("order") == Op.SAME
    assert emu.stats() == {}


# --- 2: stale stored state decides nothing that costs money ----------------------------------


def test_a_local_clock_ahead_of_the_server_does_not_replace_a_held_order(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    emu.add_fault(r"/submit$", "status", method="POST", status=400, times=1)
    stack = make_stack(quantity=None, phone_number="+61412000100")
    assert not stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    # What the stack stored, as a clock running days ahead of Sinch's judges it: expired.
    stack.state().outputs["expire_time"] = "2000-01-01T00:00:00+00:00"

    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE, "Sinch still holds the order: it is resumed"
    assert list(_orders(emu)) == [order_id]
    assert CREATE not in emu.stats()
    assert emu.stats()[SUBMIT] == 1


def test_an_unchanged_preview_reads_nothing_and_a_changed_one_reads_each_order_once(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.reset_stats()
    assert stack.runner.preview().op("order") == Op.SAME
    assert emu.stats() == {}
    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    emu.reset_stats()
    assert stack.runner.preview().ok
    assert emu.stats().get(GET_ORDER) == 1
    assert set(emu.stats()) <= {GET_ORDER, TOKEN}


def test_preview_names_the_live_number_a_replacement_will_release(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    before = _approve_unseen(emu, stack)
    stack.inputs["quantity"] = 2
    emu.reset_stats()
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    assert preview.op("order") == Op.REPLACE
    warnings = [text for _severity, text in preview.messages if "RELEASES" in text]
    assert warnings, preview.output
    assert before["phone_numbers"][0] in warnings[0]
    assert RELEASE not in emu.stats()
    assert CREATE not in emu.stats()


@pytest.mark.parametrize("state", ["IN_REVIEW", "BLOCKED"])
def test_an_identity_change_on_an_order_awaiting_review_is_refused(
    emu: EmulatorProcess, make_stack: MakeStack, state: str
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    if state == "BLOCKED":
        emu.review(order_id, "block", "sign it")
    stack.inputs["quantity"] = 2
    preview = stack.runner.preview()
    assert not preview.ok
    assert "cannot change while order" in (preview.error or "")
    assert "two orders that can both be billed" in (preview.error or "")
    up = stack.runner.up()
    assert not up.ok
    assert list(_orders(emu)) == [order_id]


# --- 12: preview refuses what up would refuse -----------------------------------------------


def test_preview_and_up_refuse_a_kyc_change_on_an_order_really_in_review(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    stack.inputs["registration"] = au_registration(firstName="Changed")
    for result in (stack.runner.preview(), stack.runner.up()):
        assert not result.ok
        assert "is IN_REVIEW" in (result.error or "")
        assert "Revert the change" in (result.error or "")
        assert "Changed" not in (result.error or "")
    assert len(emu.orders()) == 1


def test_preview_accepts_a_kyc_change_when_the_stored_in_review_order_is_now_blocked(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.review(stack.outputs()["order_id"], "block", "The contact must sign")
    stack.inputs["registration"] = au_registration(firstName="Owner")
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    assert preview.op("order") == Op.UPDATE


# --- 6: removing routing from a completed order converges ------------------------------------


def _completed(emu: EmulatorProcess, stack: Stack) -> dict[str, Any]:
    outputs = _approve_unseen(emu, stack)
    assert stack.runner.refresh().ok
    return outputs


def test_removing_sms_routing_from_a_completed_order_unlinks_it_and_converges(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    before = _completed(emu, stack)
    del stack.inputs["sms_configuration"]
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    assert emu.stats()[PATCH_NUMBER] == 1
    number = active_number(emu, before["phone_numbers"][0])
    assert number["smsConfiguration"]["servicePlanId"] == ""
    emu.reset_stats()
    again = stack.runner.up()
    assert again.op("order") == Op.SAME, "it converged"
    assert emu.stats() == {}


def test_removing_voice_routing_is_refused_with_an_explanation(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(voice_configuration={"type": "RTC", "app_id": "app-one"})
    _completed(emu, stack)
    del stack.inputs["voice_configuration"]
    preview = stack.runner.preview()
    assert not preview.ok
    assert "voice_configuration: cannot be removed" in (preview.error or "")


# --- 7: integer registration fields are sent as integers ------------------------------------


def test_integer_registration_fields_are_sent_as_integers(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    sample = emu.sample("BR", "MOBILE")
    assert any("employees" in group for group in sample.registration if isinstance(group, dict))
    files = write_sample_files(sample, tmp_path)
    stack = make_stack(
        region_code="BR",
        registration=sample.registration,
        attachments=[
            {"requirement_id": a.requirement_id, "file": str(files[a.requirement_id])}
            | ({"document_type": a.document_type} if a.document_type else {})
            for a in sample.attachments
            if a.mandatory
        ],
        sms_configuration=None,
    )
    up = stack.runner.up()
    assert up.ok, up.error
    sent = emu.order(stack.outputs()["order_id"])["registration"]["requestDetails"]["data"]
    employees = [g["employees"] for g in sent if isinstance(g, dict) and "employees" in g]
    assert employees == [12]
    assert isinstance(employees[0], int)


def test_an_adopted_order_gets_its_registration_in_the_declared_types_too(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    sample = emu.sample("BR", "MOBILE")
    files = write_sample_files(sample, tmp_path)
    inputs: dict[str, Any] = {
        "region_code": "BR",
        "registration": sample.registration,
        "attachments": [
            {"requirement_id": a.requirement_id, "file": str(files[a.requirement_id])}
            | ({"document_type": a.document_type} if a.document_type else {})
            for a in sample.attachments
            if a.mandatory
        ],
        "sms_configuration": None,
    }
    # An order that exists but never got its registration: what an interrupted up leaves.
    emu.add_fault(r"/registration$", "status", method="PUT", status=400, times=None)
    first = make_stack(**inputs)
    assert not first.runner.up().ok, "the registration step fails; the order is kept"
    order_id = first.outputs()["order_id"]
    assert emu.order(order_id)["state"] == "CREATED"
    emu.clear_faults()
    adopter = make_stack(adopt_order_id=order_id, **inputs)
    up = adopter.runner.up()
    assert up.ok, up.error
    sent = emu.order(order_id)["registration"]["requestDetails"]["data"]
    employees = [g["employees"] for g in sent if isinstance(g, dict) and "employees" in g]
    assert employees == [12]
    assert isinstance(employees[0], int)


# --- 10 and 11: a green preview means checked ------------------------------------------------


def test_a_project_the_key_may_not_use_fails_preview_naming_the_project_key(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    """A refused key secret: tests/provider/test_settings_messages.py."""
    stack = make_stack()
    stack.runner.config["sinch:projectId"] = "not-the-project"
    preview = stack.runner.preview()
    assert not preview.ok
    text = " ".join(r for pairs in preview.check_failures.values() for _p, r in pairs)
    assert "sinch:projectId" in text, text
    assert CREATE not in emu.stats()


def test_an_unreachable_api_fails_preview_unless_offline_checking_is_chosen(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(env={"SINCH_HTTP_TIMEOUT": "1"})
    stack.runner.config["sinch:numbersUrl"] = "http://127.0.0.1:9"
    stack.runner.config["sinch:authUrl"] = "http://127.0.0.1:9/oauth2/token"
    failed = stack.runner.preview()
    assert not failed.ok
    text = " ".join(r for pairs in failed.check_failures.values() for _p, r in pairs)
    assert "sinch:offlineCheck" in text
    stack.runner.config["sinch:offlineCheck"] = "true"
    offline = stack.runner.preview()
    assert offline.ok, offline.error
    assert any("checked offline only" in text for _s, text in offline.messages), offline.output


def test_a_pair_sinch_does_not_offer_fails_check_plainly(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(
        region_code="DE",
        registration=None,
        attachments=None,
        sms_configuration=None,
    )
    preview = stack.runner.preview()
    assert not preview.ok
    flat = [pair for pairs in preview.check_failures.values() for pair in pairs]
    assert any(p == "number_type" and "offers no MOBILE numbers in DE" in r for p, r in flat)
    assert emu.stats().get(LOOKUP) == 1
