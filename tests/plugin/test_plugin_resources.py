"""The plugin's resource calls, one engine call at a time: configure, check, the life of a
NumberOrder and an ActiveNumber, import, secrets and what it prints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.package_plugin import PackageCallError, PackagePlugin
from sinch_numbers.testing.values import UNKNOWN, Secret

from .conftest import AU_IDENTITY, AU_PROOF, CANARY, au_order, plain_text, us_order


def test_it_serves_the_package_schema(plugin: PackagePlugin) -> None:
    schema = json.loads(plugin.schema())
    assert schema["name"] == "sinch"


def test_configure_takes_the_sinch_keys_with_the_key_secret_as_a_secret(
    plugin: PackagePlugin,
) -> None:
    assert plugin.config_failures == []
    assert isinstance(plugin.checked_config["keySecret"], Secret)
    # Configured: a create reaches the emulator with these settings.
    order_id, _ = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    assert order_id


def test_without_settings_a_create_names_the_missing_stack_keys(
    emu: EmulatorProcess, make_plugin: Any
) -> None:
    bare = make_plugin({}, inherit_env=False)
    with pytest.raises(PackageCallError) as failed:
        bare.create(bare.urn("NumberOrder", "o"), us_order())
    assert "sinch:keySecret" in failed.value.details
    assert "Traceback" not in failed.value.details


def test_check_failures_name_the_property_as_the_package_user_writes_it(
    plugin: PackagePlugin,
) -> None:
    urn = plugin.urn("NumberOrder", "o")
    secret_value = "plan-9-do-not-echo"
    _, failures = plugin.check(
        urn,
        us_order(quantity=0, smsConfiguration={"servicePlanIdx": secret_value}),
    )
    paths = {path for path, _ in failures}
    assert "quantity" in paths
    assert "smsConfiguration.servicePlanIdx" in paths
    assert "smsConfiguration.servicePlanId" in paths
    assert all(secret_value not in rule for _, rule in failures)
    # The rules name properties as the package does, too ("is not a field of smsConfiguration").
    assert all("sms_configuration" not in rule for _, rule in failures)
    assert any("smsConfiguration" in rule for _, rule in failures)


def test_a_program_only_input_of_the_python_class_is_no_input_of_the_package(
    plugin: PackagePlugin,
) -> None:
    _, failures = plugin.check(plugin.urn("NumberOrder", "o"), us_order(waitForCompletion=True))
    assert [path for path, _ in failures] == ["waitForCompletion"]


def test_check_in_preview_skips_what_is_unknown_and_stores_the_defaults(
    plugin: PackagePlugin,
) -> None:
    urn = plugin.urn("NumberOrder", "o")
    inputs, failures = plugin.check(urn, us_order(smsConfiguration=UNKNOWN), preview=True)
    assert failures == []
    assert inputs["releaseOnDestroy"] is True
    assert inputs["quantity"] == 1


def test_a_create_in_preview_answers_unknown_computed_outputs(plugin: PackagePlugin) -> None:
    urn = plugin.urn("NumberOrder", "o")
    inputs, _ = plugin.check(urn, us_order())
    resource_id, outputs = plugin.create(urn, inputs, preview=True)
    assert resource_id == ""
    assert outputs["orderId"] == UNKNOWN
    assert outputs["regionCode"] == "US"


def test_a_number_order_is_created_read_updated_and_deleted(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    urn = plugin.urn("NumberOrder", "o")
    inputs, failures = plugin.check(urn, us_order())
    assert failures == []
    order_id, outputs = plugin.create(urn, inputs)
    assert outputs["orderId"] == order_id
    assert outputs["state"] == "IN_REVIEW"
    assert outputs["smsConfiguration"] == {"servicePlanId": "plan-one"}
    assert emu.order(order_id)["state"] == "IN_REVIEW"

    emu.review(order_id, "approve")
    read_id, refreshed, read_inputs = plugin.read(urn, order_id, outputs, inputs)
    assert (read_id, refreshed["state"]) == (order_id, "COMPLETED")
    assert read_inputs["regionCode"] == "US"

    changed, _ = plugin.check(urn, us_order(smsConfiguration={"servicePlanId": "plan-two"}))
    diff = plugin.diff(urn, order_id, refreshed, changed)
    assert diff.changes is True
    assert diff.replaces == []
    assert list(diff.detailed) == ["smsConfiguration"]
    updated = plugin.update(urn, order_id, refreshed, changed)
    assert updated["smsConfiguration"] == {"servicePlanId": "plan-two"}
    number = updated["phoneNumbers"][0]
    assert updated["activeNumbers"][0]["smsConfiguration"] == {"servicePlanId": "plan-two"}

    other, _ = plugin.check(urn, us_order(regionCode="CA"))
    assert plugin.diff(urn, order_id, updated, other).replaces == ["regionCode"]

    plugin.delete(urn, order_id, updated)
    released = [n for n in emu.orders() if n["idNumberOrder"] == order_id]
    assert released  # the order stays at Sinch; its number is released
    assert any(f"released {number}" in log.message for log in plugin.engine_logs)


def test_an_active_number_is_adopted_updated_and_left_active(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    order_id, outputs = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    emu.review(order_id, "approve")
    phone = outputs["phoneNumbers"][0]
    urn = plugin.urn("ActiveNumber", "n")
    inputs, failures = plugin.check(urn, {"phoneNumber": phone, "displayName": "Front desk"})
    assert failures == []
    number_id, number = plugin.create(urn, inputs)
    assert number_id == phone
    assert number["displayName"] == "Front desk"
    assert number["regionCode"] == "US"

    renamed, _ = plugin.check(urn, {"phoneNumber": phone, "displayName": "Back office"})
    diff = plugin.diff(urn, phone, number, renamed)
    assert (diff.changes, diff.replaces, list(diff.detailed)) == (True, [], ["displayName"])
    number = plugin.update(urn, phone, number, renamed)
    assert number["displayName"] == "Back office"
    read_id, refreshed, _ = plugin.read(urn, phone, number, renamed)
    assert (read_id, refreshed["displayName"]) == (phone, "Back office")

    plugin.delete(urn, phone, refreshed)
    assert any("stays active and billed" in log.message for log in plugin.engine_logs)


def test_an_order_proven_gone_leaves_the_stack_on_refresh(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    urn = plugin.urn("NumberOrder", "o")
    inputs, _ = plugin.check(urn, us_order())
    order_id, outputs = plugin.create(urn, inputs)
    emu.forget_order(order_id)
    assert plugin.read(urn, order_id, outputs, inputs)[0] == ""


def test_import_reads_an_order_into_inputs_that_diff_as_no_change(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    made_urn = plugin.urn("NumberOrder", "made")
    order_id, _ = plugin.create(made_urn, us_order())

    urn = plugin.urn("NumberOrder", "imported")
    read_id, outputs, inputs = plugin.read(urn, order_id)
    assert read_id == order_id
    assert outputs["orderId"] == order_id
    assert outputs["state"] == "IN_REVIEW"
    # What `pulumi import` writes into the program: the order as Sinch has it.
    assert inputs["regionCode"] == "US"
    assert inputs["numberType"] == "LOCAL"
    checked, failures = plugin.check(urn, inputs, inputs)
    assert failures == []
    diff = plugin.diff(urn, order_id, outputs, checked)
    assert diff.changes is False


def test_import_of_an_order_sinch_does_not_know_finds_nothing(plugin: PackagePlugin) -> None:
    urn = plugin.urn("NumberOrder", "imported")
    assert plugin.read(urn, "01m97cs5dsz6yb3c6c0x8ec1bb")[0] == ""


def test_import_reads_an_active_number_by_its_phone_number(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    order_id, outputs = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    emu.review(order_id, "approve")
    phone = outputs["phoneNumbers"][0]
    urn = plugin.urn("ActiveNumber", "imported")
    read_id, number, inputs = plugin.read(urn, phone)
    assert read_id == phone
    assert inputs["phoneNumber"] == phone
    checked, failures = plugin.check(urn, inputs, inputs)
    assert failures == []
    assert plugin.diff(urn, phone, number, checked).changes is False


def test_kyc_inputs_and_secret_outputs_come_back_as_secrets_and_nothing_prints_them(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    urn = plugin.urn("NumberOrder", "kyc")
    inputs, failures = plugin.check(urn, au_order())
    assert failures == []
    assert isinstance(inputs["registration"], Secret)
    assert isinstance(inputs["attachments"], Secret)
    emu.add_fault(r"/submit$", method="POST", status=400, message=f"refused: {CANARY}", times=1)
    with pytest.raises(PackageCallError) as failed:
        plugin.create(urn, inputs)
    init = failed.value.init
    assert init is not None
    outputs = init.outputs
    for name in ("registration", "attachments", "registrationLogs", "progress", "lastErrorDetail"):
        assert isinstance(outputs[name], Secret), name
    # The server's text is kept, as a secret (and with the registration's values redacted).
    assert "refused" in outputs["lastErrorDetail"].value
    assert CANARY not in plain_text(outputs)
    assert CANARY not in plain_text(init.inputs)
    assert CANARY not in failed.value.details
    assert CANARY not in plugin.output_text()


def test_import_of_a_kyc_order_needs_no_kyc_inputs_to_preview_without_change(
    plugin: PackagePlugin,
) -> None:
    """Sinch never sends a registration or documents back: the imported inputs lack them, and
    the order, already submitted, needs none to stay as it is."""
    made = plugin.urn("NumberOrder", "made")
    inputs, _ = plugin.check(made, au_order())
    order_id, _ = plugin.create(made, inputs)

    urn = plugin.urn("NumberOrder", "imported")
    _, outputs, imported = plugin.read(urn, order_id)
    assert "registration" not in imported
    checked, failures = plugin.check(urn, imported, imported)
    assert failures == []
    assert plugin.diff(urn, order_id, outputs, checked).changes is False


def test_offline_check_from_the_provider_config_checks_offline_and_says_so(
    emu: EmulatorProcess, make_plugin: Any
) -> None:
    configured = make_plugin({**emu.stack_config(), "sinch:offlineCheck": True})
    assert configured.config_failures == []
    configured.check(configured.urn("NumberOrder", "o"), au_order(), preview=True)
    assert configured.wait_for_engine_log("checked offline only")


def test_the_functions_answer_as_the_python_lookups_do(plugin: PackagePlugin) -> None:
    needs = plugin.invoke(
        "sinch:numbers:lookupRequirements", {"regionCode": "au", "numberType": "MOBILE"}
    )
    assert (needs["regionCode"], needs["needsKyc"], needs["offered"]) == ("AU", True, True)
    assert {a["id"] for a in needs["attachments"]} >= {AU_PROOF, AU_IDENTITY}
    found = plugin.invoke(
        "sinch:numbers:findAvailableNumbers",
        {"regionCode": "US", "numberType": "LOCAL", "size": 2},
    )
    assert len(found["numbers"]) == 2
    assert found["numbers"][0]["phoneNumber"].startswith("+1")


def test_a_function_refuses_a_bad_argument_naming_it_as_the_package_does(
    plugin: PackagePlugin,
) -> None:
    with pytest.raises(PackageCallError) as failed:
        plugin.invoke(
            "sinch:numbers:findAvailableNumbers",
            {"regionCode": "US", "numberType": "LOCAL", "searchPattern": "START"},
        )
    assert "searchPattern" in failed.value.details
    assert "search_pattern" not in failed.value.details


def test_import_of_a_number_the_project_does_not_have_finds_nothing(
    plugin: PackagePlugin,
) -> None:
    assert plugin.read(plugin.urn("ActiveNumber", "imported"), "+15550000000")[0] == ""
