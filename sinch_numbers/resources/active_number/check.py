"""``check``: the inputs validated and normalised offline, as the declaration says.

Unknown keys, the required ``phone_number``, each input's type and the defaults come from
:data:`~sinch_numbers.resources.active_number.schema.SCHEMA`; the routing rules are NumberOrder's,
from the same code. A failure names the property and the rule, never the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.models import validate_e164
from sinch_numbers.core.checking import Checker, parse_callback_url, parse_sms, parse_voice
from sinch_numbers.core.routing import Configuration
from sinch_numbers.core.schema import Kind, Property
from sinch_numbers.kyc.violation import Violation
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.outputs import echoed
from sinch_numbers.resources.active_number.schema import SCHEMA
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P

_PROVIDER = "__provider"
"""The engine's own key in a dynamic resource's inputs (the pickled provider)."""


@dataclass(frozen=True)
class CheckedNumberInputs:
    inputs: dict[str, Any]
    failures: list[Violation]
    echoed: dict[str, Any]
    """The inputs' part of the outputs (:func:`~.outputs.echoed`): made with the inputs, so that
    what runs after a call to the API only adds the number to it."""

    @property
    def phone_number(self) -> str:
        return str(self.inputs[P.phone_number.name])

    @property
    def configuration(self) -> Configuration:
        return Configuration.of(self.inputs)


def _phone_number(c: Checker) -> None:
    phone = c.string(P.phone_number.name, required=P.phone_number.required)
    if phone is not None:
        try:
            validate_e164(phone)
        except ValueError as error:
            c.fail(P.phone_number.name, str(error))


_RULES: dict[str, Callable[[Checker], object]] = {
    P.phone_number.name: _phone_number,
    P.sms_configuration.name: parse_sms,
    P.voice_configuration.name: parse_voice,
    P.callback_url.name: parse_callback_url,
}
"""The inputs whose rule is more than their declared kind."""


def _by_kind(c: Checker, prop: Property) -> None:
    if prop.kind is Kind.BOOLEAN:
        c.boolean(prop.name, prop.default)
    else:
        c.string(prop.name, required=prop.required)


def check_number_inputs(news: Mapping[str, Any]) -> CheckedNumberInputs:
    """Validate and normalise the inputs without any network call; failures name the property
    and the rule, never the value."""
    out: dict[str, Any] = {k: v for k, v in news.items() if k != _PROVIDER}
    for key, default in SCHEMA.defaults.items():
        out.setdefault(key, default)
    echo = echoed(out)
    c = Checker(news)
    for key in sorted(set(news) - set(SCHEMA.inputs) - {_PROVIDER}):
        c.fail(key, f"is not an input of {SCHEMA.name}")
    for prop in SCHEMA:
        rule = _RULES.get(prop.name)
        if rule is not None:
            rule(c)
        elif prop.input:
            _by_kind(c, prop)
    return CheckedNumberInputs(out, c.failures, echo)


def require_valid(props: Mapping[str, Any]) -> CheckedNumberInputs:
    """The checked inputs of a create or update; the engine checked them already, so a failure
    here is an error, not a list."""
    checked = check_number_inputs(props)
    if checked.failures:
        listed = "; ".join(map(str, checked.failures))
        raise ActiveNumberError(f"invalid inputs: {listed}")
    return checked
