"""Outputs for downstream use, through the real plugin: per number of a completed order its
charges and what it carries, and how long an unsubmitted reservation has left."""

from __future__ import annotations

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.test_lifecycle import GET_ORDER, PATCH_NUMBER, MakeStack

GET_NUMBER = "GET /v1/projects/{projectId}/activeNumbers/{phoneNumber}"


def test_a_completed_order_shows_each_number_with_its_charges_and_routing(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    assert stack.outputs().get("active_numbers") is None, "not completed yet"
    emu.review(stack.outputs()["order_id"], "approve")
    emu.reset_stats()
    assert stack.runner.refresh().ok
    assert emu.stats()[GET_NUMBER] == 1, "one read per number, by refresh"
    (number,) = stack.outputs()["active_numbers"]
    assert number["phone_number"] == stack.outputs()["phone_numbers"][0]
    assert number["next_charge_date"]
    assert number.get("expire_at") is None
    assert number["sms_configuration"] == {"service_plan_id": "plan-one"}

    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    emu.reset_stats()
    assert stack.runner.up().ok
    stats = emu.stats()
    assert stats[PATCH_NUMBER] == 1
    assert GET_NUMBER not in stats, "the PATCH's answer is the number as it is now"
    (number,) = stack.outputs()["active_numbers"]
    assert number["sms_configuration"] == {"service_plan_id": "plan-two"}


def test_seconds_until_expiry_shows_only_while_the_order_is_created(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    emu.add_fault(r"/submit$", "status", method="POST", status=400, times=1)
    stack = make_stack()
    assert not stack.runner.up().ok
    outputs = stack.outputs()
    assert outputs["state"] == "CREATED"
    assert 0 < outputs["seconds_until_expiry"] <= 48 * 3600
    emu.reset_stats()
    assert stack.runner.up().ok
    assert stack.outputs()["state"] == "IN_REVIEW"
    assert stack.outputs().get("seconds_until_expiry") is None
    assert emu.stats()[GET_ORDER] >= 1
