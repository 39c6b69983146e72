"""``create``: adopt a number already active in the project; never buy one.

The checks that need no call come first; then one GET, and at most one PATCH of what the inputs
set and the number does not carry yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.log import Log
from sinch_numbers.core.routing import Configuration
from sinch_numbers.core.settings import CONFIG_KEYS, Connection
from sinch_numbers.resources.active_number.check import require_valid
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.number import (
    find,
    patch,
    refuse_missing_capabilities,
    released_until,
)
from sinch_numbers.resources.active_number.outputs import project
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P


def create_number(
    connection: Callable[[], Connection], props: Mapping[str, Any], log: Log
) -> tuple[str, dict[str, Any]]:
    """The number's id (the number itself) and its outputs, once it is adopted."""
    checked = require_valid(props)
    phone = checked.phone_number
    client = connection().client
    number = find(client, phone, "adopt")
    if number is None:
        raise ActiveNumberError(
            f"phone_number: {phone} is not an active number of this Sinch project. "
            "ActiveNumber never buys a number: order it with NumberOrder first, or check "
            f"the number and {CONFIG_KEYS[P.project_id.name]}"
        )
    if number.is_released:
        log.warn(f"{phone} {released_until(number)}")
    refuse_missing_capabilities(checked.inputs, phone, number.capabilities)
    desired = checked.configuration
    request = Configuration.carried_by(number).seen_as(desired).patch_to(desired)
    if request is not None:
        number = patch(client, phone, request, log)
    log.info(f"adopted active number {phone}; nothing was bought")
    return phone, project(checked.inputs, number, SinchHome.of(client))
