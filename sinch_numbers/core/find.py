"""The one way an order and its numbers are read: a typed "gone" instead of an exception.
Shared by NumberOrder, its completion and the CLI."""

from __future__ import annotations

from collections.abc import Callable

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import NotFoundError, SinchNumbersError
from sinch_numbers.api.models import ActiveNumber, NumberOrder
from sinch_numbers.core.wording import describe_error


def find_order(client: SinchNumbersClient, order_id: str) -> NumberOrder | None:
    """The order as Sinch has it now, or None when Sinch does not know it (404).

    Every other failure raises from the client's error tree: "could not tell" is never "gone".
    """
    try:
        return client.get_number_order(order_id)
    except NotFoundError:
        return None


def find_active_numbers(
    client: SinchNumbersClient, order: NumberOrder, announce: Callable[[str], None]
) -> tuple[ActiveNumber, ...] | None:
    """The numbers of a completed order as Sinch has them (one GET each; a number gone from the
    project is left out). Best effort: a failed read is announced and leaves them unknown
    (None)."""
    numbers = []
    for phone_number in order.phone_numbers:
        try:
            numbers.append(client.get_active_number(phone_number))
        except NotFoundError:
            continue
        except SinchNumbersError as error:
            announce(
                f"order {order.id_number_order}: could not read {phone_number}: "
                f"{describe_error(error)}"
            )
            return None
    return tuple(numbers)
