"""ActiveNumber's configuration: what a number carries (the live API's shapes, provisioning that is
still under way or failed), what a stack manages of it, and the PATCH between the two."""

from __future__ import annotations

from typing import Any

from sinch_numbers.api.models import ActiveNumber
from sinch_numbers.core.routing import Configuration
from sinch_numbers.resources.active_number.check import check_number_inputs
from tests.unit.test_api_parsing import OBSERVED_RELEASE

# The observed shape (reference §11), before the release: explicit nulls, "" for unset ids.
OBSERVED: dict[str, Any] = {**OBSERVED_RELEASE, "expireAt": None}


def number(**changes: Any) -> ActiveNumber:
    return ActiveNumber.model_validate({**OBSERVED, **changes})


def test_a_number_with_nothing_set_carries_nothing_though_it_names_a_voice_type() -> None:
    assert Configuration.carried_by(number()) == Configuration()


def test_ids_and_names_are_read_in_input_form() -> None:
    carried = Configuration.carried_by(
        number(
            displayName="Support",
            smsConfiguration={"servicePlanId": "plan", "campaignId": "camp"},
            voiceConfiguration={"type": "EST", "trunkId": "trunk", "appId": ""},
            callbackUrl="https://hooks.example.com/x",
        )
    )
    assert carried.to_dict() == {
        "display_name": "Support",
        "sms_configuration": {"service_plan_id": "plan", "campaign_id": "camp"},
        "voice_configuration": {"type": "EST", "trunk_id": "trunk"},
        "callback_url": "https://hooks.example.com/x",
    }


def test_routing_still_being_provisioned_counts_as_what_the_number_carries() -> None:
    """Sinch provisions routing asynchronously, ids empty meanwhile: a refresh then must not see
    drift and PATCH it again."""
    pending = number(
        smsConfiguration={
            "servicePlanId": "",
            "campaignId": "",
            "scheduledProvisioning": {
                "servicePlanId": "plan-new",
                "campaignId": "",
                "status": "WAITING",
                "lastUpdatedTime": "2026-05-19T21:38:22Z",
                "errorCodes": [],
            },
        },
        voiceConfiguration={
            "type": "RTC",
            "appId": "",
            "scheduledVoiceProvisioning": {
                "type": "FAX",
                "status": "IN_PROGRESS",
                "serviceId": "f",
            },
        },
    )
    carried = Configuration.carried_by(pending)
    assert carried.routing.sms == {"service_plan_id": "plan-new"}
    assert carried.routing.voice == {"type": "FAX", "service_id": "f"}


def test_failed_provisioning_leaves_what_the_number_had() -> None:
    failed = number(
        smsConfiguration={
            "servicePlanId": "plan-old",
            "scheduledProvisioning": {
                "servicePlanId": "plan-new",
                "status": "FAILED",
                "errorCodes": ["ERROR_CODE_UNSPECIFIED"],
            },
        }
    )
    assert Configuration.carried_by(failed).routing.sms == {"service_plan_id": "plan-old"}
    assert failed.sms_configuration is not None
    scheduled = failed.sms_configuration.scheduled_provisioning
    assert scheduled is not None
    assert scheduled.failed
    assert not scheduled.under_way


def test_an_unknown_provisioning_status_does_not_make_the_number_unreadable() -> None:
    odd = number(
        smsConfiguration={
            "servicePlanId": "plan",
            "scheduledProvisioning": {"status": "SOMETHING_NEW", "errorCodes": None},
        }
    )
    assert Configuration.carried_by(odd).routing.sms == {"service_plan_id": "plan"}


def test_a_stack_sees_only_what_it_sets() -> None:
    carried = Configuration.of(
        {
            "display_name": "Theirs",
            "sms_configuration": {"service_plan_id": "plan"},
            "voice_configuration": {"type": "RTC", "app_id": "app"},
        }
    )
    wanted = Configuration.of({"sms_configuration": {"service_plan_id": "mine"}})
    seen = carried.seen_as(wanted)
    assert seen.to_dict() == {
        "display_name": None,
        "sms_configuration": {"service_plan_id": "plan"},
        "voice_configuration": None,
        "callback_url": None,
    }
    request = seen.patch_to(wanted)
    assert request is not None
    assert request.to_wire() == {"smsConfiguration": {"servicePlanId": "mine", "campaignId": ""}}


def test_removing_a_display_name_or_callback_clears_it_and_nothing_else() -> None:
    applied = Configuration.of(
        {
            "display_name": "Old",
            "callback_url": "https://a.example.com",
            "voice_configuration": None,
        }
    )
    request = applied.patch_to(Configuration())
    assert request is not None
    assert request.to_wire() == {"displayName": "", "callbackUrl": ""}


def test_the_same_configuration_needs_no_patch() -> None:
    values = {"display_name": "Same", "sms_configuration": {"service_plan_id": "p"}}
    assert Configuration.of(values).patch_to(Configuration.of(values)) is None


def test_release_on_destroy_defaults_to_false_and_unknown_inputs_are_named() -> None:
    checked = check_number_inputs({"phone_number": "+13075551000", "quantity": 1})
    assert checked.inputs["release_on_destroy"] is False
    assert [(f.field, f.rule) for f in checked.failures] == [
        ("quantity", "is not an input of ActiveNumber")
    ]
