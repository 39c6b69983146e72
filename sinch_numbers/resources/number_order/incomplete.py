"""What a user is told when an order exists but a step after its creation failed: said by the
program class of the dynamic resource and by the provider plugin's partial state alike."""

from __future__ import annotations

from typing import Any

REPLACED_STATES = ("EXPIRED", "REJECTED")
"""States in which the next ``up`` replaces the order rather than resume it."""


def incomplete_message(order_id: Any, state: Any, step: Any, error: Any) -> str | None:
    """Why the run fails, from the order's id, state, failed step and last error (outputs, in
    the provider's own words); None when nothing failed."""
    if not error:
        return None
    if state in REPLACED_STATES:
        advice = (
            f"The order is {state}; the next `pulumi up` replaces it with a new order (after "
            "you fix what the review or the error asks for)"
        )
    else:
        advice = (
            "The order is saved in the stack; run `pulumi up` again to resume from that step "
            "(no new order is created)"
        )
    return f"number order {order_id} stopped at step {step or 'unknown'}: {error}. {advice}"
