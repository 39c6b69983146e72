"""The one way the order logic reads an order: a typed "gone" instead of an exception."""

from __future__ import annotations

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import NotFoundError
from sinch_numbers.api.models import NumberOrder


def find_order(client: SinchNumbersClient, order_id: str) -> NumberOrder | None:
    """The order as Sinch has it now, or None when Sinch does not know it (404).

    Every other failure raises from the client's error tree: "could not tell" is never "gone".
    """
    try:
        return client.get_number_order(order_id)
    except NotFoundError:
        return None
