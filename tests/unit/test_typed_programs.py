"""A user's program is type-checked against the resources and lookups: ``mypy --strict`` catches a
misspelt input or attribute before anything runs, and passes a correct program."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import subprocess
import sys
from pathlib import Path

GOOD = """
import pulumi
from sinch_numbers import (
    ActiveNumber,
    AttachmentArgs,
    NumberOrder,
    NumberOrderCompletion,
    SmsConfigurationArgs,
    find_available_numbers,
    lookup_requirements,
)

requirements = lookup_requirements("AU", "MOBILE")
proof = AttachmentArgs(
    requirement_id=requirements.attachment("Proof of business address").id, file="proof.pdf"
)
number = ActiveNumber(
    "support",
    phone_number="+13075551000",
    display_name="Support",
    sms_configuration=SmsConfigurationArgs(service_plan_id="plan"),
    release_on_destroy=False,
)
cheapest: list[str] = [n.phone_number for n in find_available_numbers("AU", "MOBILE", size=1)]
next_charge: pulumi.Output[str | None] = number.next_charge_date
order = NumberOrder(
    "au",
    region_code="AU",
    number_type="MOBILE",
    quantity=1,
    sms_configuration=SmsConfigurationArgs(service_plan_id="plan"),
    attachments=[proof],
    wait_for_completion=True,
)
state: pulumi.Output[str] = order.state
if order.completion is not None:
    reviewed: pulumi.Output[str] = order.completion.state
explicit = NumberOrderCompletion("au-reviewed", order_id=order.order_id, timeout=3600)
numbers: pulumi.Output[list[str]] = explicit.phone_numbers
"""

TYPOS = """
from sinch_numbers import ActiveNumber, NumberOrder, lookup_requirements

NumberOrder("c", regoin_code="AU", number_type="MOBILE", quantity=1)
NumberOrder("d", region_code="AU", number_type="MOBILE", quantity="five")

ActiveNumber("a", phone_numbr="+13075551000")
ActiveNumber("b", phone_number="+13075551000", release_on_destroy="yes")
lookup_requirements("AU", "MOBILE").attachment("Proof").idd
"""


def test_mypy_strict_catches_typos_in_a_program_and_passes_a_correct_one(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "typos.py").write_text(TYPOS)
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".cache")]
    done = subprocess.run(
        [*command, "good.py", "typos.py"],
        cwd=tmp_path,  # no project config: what a user's own project would get
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1, done.stdout + done.stderr
    assert not [e for e in errors if e.startswith("good.py")], errors
    assert any('Unexpected keyword argument "phone_numbr" for "ActiveNumber"' in e for e in errors)
    assert any('Argument "release_on_destroy" to "ActiveNumber"' in e for e in errors)
    assert any('"AttachmentRequirement" has no attribute "idd"' in e for e in errors)
    assert any('Unexpected keyword argument "regoin_code" for "NumberOrder"' in e for e in errors)
    assert any('Argument "quantity" to "NumberOrder"' in e for e in errors)
    assert len(errors) == 5, errors


def _keywords(resource: type) -> list[str]:
    """The keyword-only parameters of a resource's constructor, in order."""
    return [
        name
        for name, parameter in inspect.signature(resource.__init__).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]


def _declared_outputs(resource: type) -> set[str]:
    """The ``pulumi.Output`` annotations of the class and of its generated surface, as written
    (evaluation is postponed): Pulumi's own classes aside."""
    return {
        name
        for klass in resource.__mro__
        if klass.__module__.startswith("sinch_numbers.")
        for name, hint in vars(klass).get("__annotations__", {}).items()
        if str(hint).startswith("pulumi.Output[")
    }


def test_the_resource_keywords_are_the_args_fields_and_the_provider_inputs() -> None:
    from sinch_numbers.resource import NumberOrder, NumberOrderArgs
    from sinch_numbers.resources.number_order.inputs import ALL_INPUTS

    fields = [f.name for f in dataclasses.fields(NumberOrderArgs)]
    assert _keywords(NumberOrder) == fields
    assert set(fields) == set(ALL_INPUTS)


def test_the_output_attributes_are_every_input_and_every_computed_output() -> None:
    from sinch_numbers.resource import NumberOrder
    from sinch_numbers.resources.number_order.inputs import ALL_INPUTS
    from sinch_numbers.resources.number_order.outputs import COMPUTED_OUTPUTS, SECRET_OUTPUTS

    declared = _declared_outputs(NumberOrder)
    assert len(declared) > 20
    assert declared == set(ALL_INPUTS) | set(COMPUTED_OUTPUTS)
    assert not set(ALL_INPUTS) & set(COMPUTED_OUTPUTS), "an output is either an input or computed"
    assert set(SECRET_OUTPUTS) <= declared


def test_the_completion_keywords_args_and_outputs_agree_with_the_provider() -> None:
    from sinch_numbers.resource import NumberOrderCompletion, NumberOrderCompletionArgs
    from sinch_numbers.resources.number_order_completion.lifecycle import (
        COMPLETION_INPUTS,
        COMPLETION_OUTPUTS,
    )

    fields = [f.name for f in dataclasses.fields(NumberOrderCompletionArgs)]
    assert _keywords(NumberOrderCompletion) == fields == list(COMPLETION_INPUTS)
    assert _declared_outputs(NumberOrderCompletion) == set(COMPLETION_INPUTS) | set(
        COMPLETION_OUTPUTS
    )


def test_wait_for_completion_known_only_later_is_refused_naming_the_way_out() -> None:
    import pulumi
    import pytest

    from sinch_numbers.resource import NumberOrder

    # An Output needs an event loop of its own: another test of this process may have closed
    # the one the main thread had (asyncio.run does).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        with pytest.raises(TypeError) as refused:
            NumberOrder(
                "au",
                region_code="AU",
                number_type="MOBILE",
                quantity=1,
                wait_for_completion=pulumi.Output.from_input(True),  # type: ignore[arg-type]
            )
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    assert "wait_for_completion must be a plain true or false" in str(refused.value)
    assert "declare NumberOrderCompletion yourself" in str(refused.value)


def test_the_active_number_keywords_args_and_outputs_agree_with_the_provider() -> None:
    from sinch_numbers.active_number import COMPUTED_OUTPUTS, INPUTS
    from sinch_numbers.resource import ActiveNumber, ActiveNumberArgs
    from sinch_numbers.resources.active_number.schema import ActiveNumberProperties

    holding_order = ActiveNumberProperties.number_order_id.name
    fields = [f.name for f in dataclasses.fields(ActiveNumberArgs)]
    assert _keywords(ActiveNumber) == fields
    assert set(fields) == set(INPUTS) - {holding_order}, "the holding order is set by the class"
    assert _declared_outputs(ActiveNumber) == set(INPUTS) | set(COMPUTED_OUTPUTS)


def test_each_program_class_takes_its_keywords_and_outputs_from_its_declaration() -> None:
    from sinch_numbers.codegen import SCHEMAS
    from sinch_numbers.core.schema import ResourceSchema
    from sinch_numbers.generated import resources as generated
    from sinch_numbers.resource import ActiveNumber, NumberOrder, NumberOrderCompletion

    classes: dict[str, type] = {
        c.__name__: c for c in (ActiveNumber, NumberOrder, NumberOrderCompletion)
    }
    assert sorted(classes) == sorted(s.name for s in SCHEMAS)
    for schema in SCHEMAS:
        assert isinstance(schema, ResourceSchema)
        resource = classes[schema.name]
        surface = getattr(generated, f"{schema.name}Surface")
        assert issubclass(resource, surface)
        assert resource.__init__ is surface.__init__, "the keywords are the generated ones"
        program_inputs = [p.name for p in schema if p.input and not p.hidden]
        assert _keywords(resource) == program_inputs
        assert _declared_outputs(resource) == {p.name for p in schema if p.output}
        # The program class adds behaviour, never a property of its own.
        own = set(vars(resource).get("__annotations__", {})) & {p.name for p in schema}
        assert not own, own
