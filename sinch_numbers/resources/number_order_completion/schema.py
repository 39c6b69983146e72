"""The one declaration of ``NumberOrderCompletion``'s properties: its inputs (the order to wait
for, how long) and what it records once the order is COMPLETED."""

from __future__ import annotations

from sinch_numbers.core.schema import Group, Kind, ObjectType, Properties, Property, ResourceSchema
from sinch_numbers.resources.number_order.schema import MAX_COMPLETION_TIMEOUT


class CompletedNumberFields(Properties):
    phone_number = Property(Kind.STRING, "The number, E.164.", input=False, required=True)
    next_charge_date = Property(Kind.STRING, "The next time Sinch bills it, RFC 3339.", input=False)


COMPLETED_NUMBER = ObjectType(
    "CompletedNumber", "One number of a completed order.", CompletedNumberFields.declared()
)


class NumberOrderCompletionProperties(Properties):
    """NumberOrderCompletion's properties, in the order the docs list them."""

    order_id = Property(
        Kind.STRING,
        "A `NumberOrder`'s `order_id`: this also makes the engine create the order first; "
        "another id replaces the completion.",
        required=True,
        replace_on_change=True,
    )
    timeout = Property(
        Kind.NUMBER,
        f"Seconds to wait, 1 s to {MAX_COMPLETION_TIMEOUT / 86400:.0f} days; unset: no limit. "
        "A change is state only.",
        group=Group.STATE_ONLY,
    )
    state = Property(
        Kind.STRING,
        "The order's state once the wait ends (`COMPLETED`).",
        input=False,
        required=True,
    )
    phone_numbers = Property(
        Kind.ARRAY, "The numbers of the order.", input=False, required=True, items=Kind.STRING
    )
    active_numbers = Property(
        Kind.ARRAY,
        "Per number of the completed order: `phone_number`, `next_charge_date`.",
        input=False,
        items=COMPLETED_NUMBER.name,
    )


SCHEMA = ResourceSchema(
    "NumberOrderCompletion",
    "Waits until a number order leaves review, outside the create that made the order. Orders "
    "nothing and releases nothing; the id is the order id.",
    NumberOrderCompletionProperties.declared(),
    types=(COMPLETED_NUMBER,),
)

INPUTS = SCHEMA.inputs
COMPUTED_OUTPUTS = SCHEMA.computed_outputs
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""
