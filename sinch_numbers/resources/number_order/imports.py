"""``pulumi import`` of a NumberOrder by its id: the inputs that describe the order as Sinch has
it, so the program ``pulumi import`` prints previews with no change.

What Sinch does not send back (the registration, the documents, the callback URL) cannot be
read: the inputs leave it out, and a KYC change is what a program adds later (its diff then
decides as for any order: refused while in review).
"""

from __future__ import annotations

from typing import Any

from sinch_numbers.api.errors import SinchNumbersError
from sinch_numbers.core.find import find_order
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.routing import Routing
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.number_order.lifecycle import read_order
from sinch_numbers.resources.number_order.schema import P


def import_order(
    connection: Connection, order_id: str, log: Log
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(outputs, inputs) of the order ``order_id``; None when Sinch does not know it."""
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(f"order {order_id}: {describe_error(error)}") from None
    if order is None:
        return None
    inputs: dict[str, Any] = {
        P.region_code.name: order.region_code,
        P.number_type.name: order.number_type.value if order.number_type else None,
    }
    numbers = order.phone_numbers
    if len(numbers) == 1:
        inputs[P.phone_number.name] = numbers[0]
    else:
        inputs[P.quantity.name] = float(len(numbers))
    routing = Routing.of_order(order).to_dict()
    inputs.update({k: v for k, v in routing.items() if v is not None})
    inputs[P.release_on_destroy.name] = P.release_on_destroy.default
    log.info(f"importing order {order_id} in state {order.state.value}")
    return read_order(connection, order_id, inputs, log)
