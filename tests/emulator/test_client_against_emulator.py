"""The project's API client driven through the whole order flow against the emulator (real HTTP)."""

from __future__ import annotations

import copy

import pytest

from sinch_numbers import api
from sinch_numbers.api import models
from sinch_numbers.testing.emulator import EmulatorProcess


def test_whole_flow(client: api.SinchNumbersClient, emulator: EmulatorProcess) -> None:
    requirements = client.lookup_number_requirements("AU", "MOBILE")
    assert requirements.fields["schema"] == "/schema/policySchema-v1.json"
    mandatory = [a for a in requirements.attachments if a.mandatory]
    assert len(mandatory) == 2

    found = client.list_available_numbers("AU", "MOBILE", capabilities=["SMS"], size=3)
    assert len(found) == 3
    phone = found[0].phone_number
    assert client.get_available_number(phone).phone_number == phone

    order = client.create_number_order(
        models.CreateNumberOrderRequest(
            region_code="AU",
            number_type="MOBILE",
            sms_configuration=models.SmsConfiguration(service_plan_id="plan-1"),
            number_order_option=models.NumberOrderOption(phone_numbers=[phone]),
        )
    )
    assert order.state == models.NumberOrderState.CREATED
    assert order.order_numbers[0].phone_number == phone
    assert order.expire_time is not None
    assert client.get_number_order(order.id_number_order) == order

    sample = emulator.sample("AU", "MOBILE")
    bad = copy.deepcopy(sample.registration)
    bad[1]["postalCode"] = "not-a-postcode"
    with pytest.raises(api.InvalidArgumentError) as raised:
        client.update_registration(order.id_number_order, bad)
    fields = {v.field for v in raised.value.field_violations}
    assert fields == {"requestDetails.data[1].postalCode"}
    assert "not-a-postcode" not in str(raised.value)

    registration = client.update_registration(order.id_number_order, sample.registration)
    assert registration.attachments == []
    for item in sample.attachments:
        if item.mandatory:
            client.upload_attachment(
                order.id_number_order,
                item.requirement_id,
                content=item.content,
                file_name=item.file_name,
                mime_type=item.mime_type,
                document_type=item.document_type,
            )
    registration = client.get_registration(order.id_number_order)
    assert {a.attachment_id for a in registration.attachments} == {a.id for a in mandatory}

    submitted = client.submit_number_order(order.id_number_order)
    assert submitted.state == models.NumberOrderState.IN_REVIEW
    emulator.review(order.id_number_order, "approve")
    assert client.get_number_order(order.id_number_order).state == models.NumberOrderState.COMPLETED

    active = client.get_active_number(phone)
    assert active.phone_number == phone
    assert active.expire_at is None
    patched = client.update_active_number(
        phone,
        models.UpdateActiveNumberRequest(
            display_name="Reminders",
            voice_configuration=models.VoiceConfiguration(type="RTC", app_id="app-1"),
        ),
    )
    assert patched.display_name == "Reminders"
    assert patched.voice_configuration is not None
    assert patched.voice_configuration.app_id == "app-1"

    released = client.release_active_number(phone)
    assert released.expire_at is not None
    assert released.expire_at == released.next_charge_date
    assert client.release_active_number(phone).expire_at == released.expire_at


def test_errors_map_to_the_client_exceptions(
    client: api.SinchNumbersClient, emulator: EmulatorProcess
) -> None:
    with pytest.raises(api.NotFoundError):
        client.lookup_number_requirements("US", "LOCAL")
    with pytest.raises(api.NotFoundError):
        client.get_number_order("01aaaaaaaaaaaaaaaaaaaaaaaa")
    with pytest.raises(api.NotFoundError):
        client.get_active_number("+61499999999")


def test_blocked_order_logs_reach_the_client(
    client: api.SinchNumbersClient, emulator: EmulatorProcess
) -> None:
    order = client.create_number_order(
        models.CreateNumberOrderRequest(
            region_code="US",
            number_type="LOCAL",
            quantity_order_option=models.QuantityOrderOption(requested_quantity=2),
        )
    )
    client.submit_number_order(order.id_number_order)
    emulator.review(order.id_number_order, "block", "Upload proof of address.")
    assert client.get_number_order(order.id_number_order).state == models.NumberOrderState.BLOCKED
    logs = client.get_registration(order.id_number_order).logs
    assert [log.message for log in logs] == ["Upload proof of address."]


def test_expired_token_is_renewed(
    client: api.SinchNumbersClient, emulator: EmulatorProcess
) -> None:
    client.get_callback_configuration()
    emulator.advance_clock(3600)
    assert client.get_callback_configuration().project_id == "emulator-project"
    assert emulator.stats().get("POST /oauth2/token") == 2, "the expired token was renewed once"


def test_transient_faults_are_retried_for_reads(
    client: api.SinchNumbersClient, emulator: EmulatorProcess
) -> None:
    emulator.add_fault("numberOrders/", status=503, times=2, method="GET")
    order = client.create_number_order(
        models.CreateNumberOrderRequest(
            region_code="US",
            number_type="LOCAL",
            quantity_order_option=models.QuantityOrderOption(requested_quantity=1),
        )
    )
    assert client.get_number_order(order.id_number_order).id_number_order == order.id_number_order
    assert emulator.stats()["GET /v1/projects/{projectId}/numberOrders/{numberOrderId}"] == 3


def test_lost_create_answer_is_reported_as_unknown_outcome(
    client: api.SinchNumbersClient, emulator: EmulatorProcess
) -> None:
    emulator.add_fault("numberOrders:createNumberOrder", action="status_after", status=500)
    with pytest.raises(api.OrderOutcomeUnknownError):
        client.create_number_order(
            models.CreateNumberOrderRequest(
                region_code="US",
                number_type="LOCAL",
                quantity_order_option=models.QuantityOrderOption(requested_quantity=1),
            )
        )
    assert len(emulator.orders()) == 1  # the order exists although the answer was an error
