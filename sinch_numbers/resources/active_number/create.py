"""``create``: adopt a number already active in the project; never buy one.

Every check that needs no call comes first (:func:`~.check.require_valid`, which also makes the
inputs' part of the outputs); then one GET, and at most one PATCH of what the inputs set and the
number does not carry yet. What runs after the GET only refuses, sends and adds the number's
outputs: nothing goes back to the inputs.
"""

from __future__ import annotations

from typing import Any

from sinch_numbers.api.errors import SinchNumbersError
from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.log import Log
from sinch_numbers.core.routing import Configuration
from sinch_numbers.core.settings import CONFIG_KEYS
from sinch_numbers.resources.active_number.check import require_valid
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.number import (
    Connect,
    Props,
    patch,
    refuse_missing_capabilities,
    released_until,
    unreadable,
)
from sinch_numbers.resources.active_number.outputs import number_outputs
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P


def create_number(connection: Connect, props: Props, log: Log) -> tuple[str, dict[str, Any]]:
    """The number's id (the number itself) and its outputs, once it is adopted."""
    checked = require_valid(props)
    phone, desired = checked.phone_number, checked.configuration
    client = connection().client
    try:
        number = client.find_active_number(phone)
    except SinchNumbersError as error:
        raise ActiveNumberError(unreadable("adopt", phone, error)) from None
    if number is None:
        raise ActiveNumberError(
            f"{P.phone_number.name}: {phone} is not an active number of this Sinch project. "
            "ActiveNumber never buys a number: order it with NumberOrder first, or check "
            f"the number and {CONFIG_KEYS[P.project_id.name]}"
        )
    if number.is_released:
        log.warn(f"{phone} {released_until(number)}")
    refuse_missing_capabilities(phone, desired.routing, number.capabilities)
    request = Configuration.carried_by(number).seen_as(desired).patch_to(desired)
    if request is not None:
        number = patch(client, phone, request, log)
    log.info(f"adopted active number {phone}; nothing was bought")
    return phone, {**checked.echoed, **number_outputs(number, SinchHome.of(client))}
