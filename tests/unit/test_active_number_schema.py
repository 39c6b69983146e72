"""ActiveNumber's one declaration drives its checking and its outputs' projection, and shares the
routing and home properties with NumberOrder's through core.common_properties."""

from __future__ import annotations

from sinch_numbers.active_number import COMPUTED_OUTPUTS, INPUTS, ActiveNumberError
from sinch_numbers.api.models import ActiveNumber
from sinch_numbers.core.common_properties import (
    ConfigurationProperties,
    HomeProperties,
    RoutingProperties,
)
from sinch_numbers.core.home import HOME_OUTPUTS, SinchHome
from sinch_numbers.core.routing import ROUTING_INPUTS
from sinch_numbers.resources.active_number import errors
from sinch_numbers.resources.active_number.check import check_number_inputs
from sinch_numbers.resources.active_number.outputs import number_outputs, project
from sinch_numbers.resources.active_number.schema import SCHEMA, ActiveNumberProperties

PHONE = "+13075551000"


def test_the_inputs_and_outputs_are_the_declarations() -> None:
    assert (
        INPUTS
        == SCHEMA.inputs
        == (
            "phone_number",
            "display_name",
            "sms_configuration",
            "voice_configuration",
            "callback_url",
            "release_on_destroy",
            "number_order_id",
        )
    )
    assert SCHEMA.computed_outputs == COMPUTED_OUTPUTS
    assert SCHEMA.replace_on_change == ("phone_number",)
    assert SCHEMA.defaults == {"release_on_destroy": False}
    assert SCHEMA.secret == ()


def test_shared_properties_are_declared_once() -> None:
    assert ActiveNumberProperties.sms_configuration is RoutingProperties.sms_configuration
    assert ActiveNumberProperties.display_name is ConfigurationProperties.display_name
    assert ActiveNumberProperties.project_id is HomeProperties.project_id
    assert RoutingProperties.names() == ROUTING_INPUTS
    assert HomeProperties.names() == HOME_OUTPUTS
    assert ConfigurationProperties.names() == ("display_name", *ROUTING_INPUTS)


def test_the_projection_gives_every_declared_output_and_nothing_else() -> None:
    number = ActiveNumber.model_validate({"phoneNumber": PHONE, "capability": ["SMS"]})
    home = SinchHome("p1", "https://numbers.example.test")
    assert tuple(number_outputs(number, home)) == SCHEMA.computed_outputs
    outputs = project({"phone_number": PHONE}, number, home)
    assert tuple(outputs) == tuple(p.name for p in SCHEMA if p.output)


def test_the_check_reads_the_declaration() -> None:
    checked = check_number_inputs({"phone_number": PHONE})
    assert checked.failures == []
    assert checked.inputs == {"phone_number": PHONE, "release_on_destroy": False}
    assert checked.echoed == {name: checked.inputs.get(name) for name in SCHEMA.inputs}
    missing = check_number_inputs({"release_on_destroy": "yes"})
    assert [(f.field, f.rule) for f in missing.failures] == [
        ("phone_number", "is required"),
        ("release_on_destroy", "must be true or false"),
    ]


def test_the_error_keeps_its_import_path() -> None:
    assert ActiveNumberError is errors.ActiveNumberError
