"""The one declaration of ``NumberOrderCompletion``'s properties: its inputs (the order to wait
for, how long) and what it records once the order is COMPLETED."""

from __future__ import annotations

from sinch_numbers.core import schema
from sinch_numbers.core.schema import Group, Kind, Property, computed
from sinch_numbers.core.wait import MAX_COMPLETION_TIMEOUT


class CompletedNumberFields(schema.Properties):
    """One number of a completed order."""

    phone_number = computed(Kind.STRING, "The number, E.164.", required=True)
    next_charge_date = computed(Kind.STRING, "The next time Sinch bills it, RFC 3339.")


COMPLETED_NUMBER = schema.ObjectType.of(CompletedNumberFields)


class NumberOrderCompletionProperties(schema.Properties):
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
    state = computed(
        Kind.STRING, "The order's state once the wait ends (`COMPLETED`).", required=True
    )
    phone_numbers = computed(
        Kind.ARRAY, "The numbers of the order.", required=True, items=Kind.STRING
    )
    active_numbers = computed(
        Kind.ARRAY,
        "Per number of the completed order: `phone_number`, `next_charge_date`.",
        items=COMPLETED_NUMBER.name,
    )


SCHEMA = schema.ResourceSchema(
    "NumberOrderCompletion",
    "Waits until a number order leaves review, outside the create that made the order. Orders "
    "nothing and releases nothing; the id is the order id.",
    NumberOrderCompletionProperties.declared(),
    types=(COMPLETED_NUMBER,),
)

INPUTS = SCHEMA.inputs
COMPUTED_OUTPUTS = SCHEMA.computed_outputs
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""
