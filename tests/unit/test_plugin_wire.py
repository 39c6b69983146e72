"""The provider plugin's boundary (``sinch_numbers.plugin.wire``): the package's camelCase to the
declarations' snake_case and back, guided by the declarations; secrets and unknowns."""

from __future__ import annotations

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.runtime import rpc

from sinch_numbers.codegen import package
from sinch_numbers.plugin.wire import Names, engine_value, is_unknown, plain, spell
from sinch_numbers.resources.number_order.schema import SCHEMA as ORDER


def _values(
    raw: dict[str, object], secret: frozenset[str] = frozenset()
) -> dict[str, PropertyValue]:
    return {k: engine_value(v, secret=k in secret) for k, v in raw.items()}


def _package_names() -> Names:
    """NumberOrder as the package has it (what the plugin maps by)."""
    return Names(ORDER, [p for p in ORDER if package.in_package(p)])


def test_object_fields_are_renamed_and_free_json_is_left_as_written() -> None:
    names = Names(ORDER)
    given = _values(
        {
            "regionCode": "AU",
            "smsConfiguration": {"servicePlanId": "p"},
            "attachments": [{"requirementId": "r", "file": "a.pdf", "documentType": "Passport"}],
            "registration": [{"senderId": "+61", "purpose_of_it": "x"}],
        },
        secret=frozenset({"registration"}),
    )
    unwrapped = names.unwrap(given)
    assert unwrapped.values == {
        "region_code": "AU",
        "sms_configuration": {"service_plan_id": "p"},
        "attachments": [{"requirement_id": "r", "file": "a.pdf", "document_type": "Passport"}],
        "registration": [{"senderId": "+61", "purpose_of_it": "x"}],
    }
    assert unwrapped.secret.names == {"registration"}
    back = names.wrap(unwrapped.values, secret=unwrapped.secret)
    assert plain(back["smsConfiguration"]) == {"servicePlanId": "p"}
    assert plain(back["registration"]) == [{"senderId": "+61", "purpose_of_it": "x"}]
    assert back["registration"].is_secret


def test_a_name_no_property_has_stays_as_written_for_check_to_refuse() -> None:
    assert _package_names().unwrap(_values({"waitForCompletion": True})).values == {
        "waitForCompletion": True
    }


def test_failure_paths_are_spelled_as_the_package_user_writes_them() -> None:
    names = Names(ORDER)
    assert names.path("attachments[1].requirement_id") == "attachments[1].requirementId"
    assert names.path("sms_configuration.service_plan_id") == "smsConfiguration.servicePlanId"
    assert names.path("registration[2].first_name") == "registration[2].first_name"
    assert names.path("") == ""


def test_integers_go_out_as_floats_and_unknowns_as_the_engine_sentinel() -> None:
    assert engine_value(3).value == 3.0
    assert engine_value(True).value is True
    unknown = plain(PropertyValue(rpc.UNKNOWN))
    assert is_unknown(unknown)
    assert engine_value(unknown).value == rpc.UNKNOWN


def test_an_output_carrying_a_secret_inputs_text_is_secret_too() -> None:
    names = Names(ORDER)
    given = names.unwrap(
        _values({"callbackUrl": "https://hook/s3cret"}, secret=frozenset({"callbackUrl"}))
    )
    out = names.wrap(
        {
            "callback_url": "https://hook/s3cret",
            "active_numbers": [{"phone_number": "+1", "callback_url": "https://hook/s3cret"}],
            "phone_numbers": ["+1"],
        },
        secret=given.secret,
    )
    assert out["callbackUrl"].is_secret
    assert out["activeNumbers"].is_secret
    assert not out["phoneNumbers"].is_secret


def test_messages_name_declared_properties_as_the_package_does() -> None:
    assert spell('set adopt_order_id="x"; see last_error_detail') == (
        'set adoptOrderId="x"; see lastErrorDetail'
    )
    assert spell("a file named proof_of_address.pdf") == "a file named proof_of_address.pdf"
