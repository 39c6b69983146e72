"""Where an order lives: the Sinch project and the Numbers API URL it was created (or adopted) in.

The state records both (outputs ``project_id`` and ``numbers_url``) so that no hook reads, changes
or drops an order through settings that point elsewhere: under another project a GET answers 404,
and a 404 there proves nothing about the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.order.settings import CONFIG_KEYS

HOME_OUTPUTS = ("project_id", "numbers_url")
"""The outputs that record an order's home; states written before they existed lack them."""


@dataclass(frozen=True)
class OrderHome:
    project_id: str
    numbers_url: str

    @classmethod
    def of(cls, client: SinchNumbersClient) -> OrderHome:
        """Where the client's calls go: the home of every order it creates or reads."""
        return cls(client.project_id, client.numbers_url.rstrip("/"))

    @classmethod
    def recorded(cls, outputs: Mapping[str, Any]) -> OrderHome | None:
        """The home the state records; None for a state written before it was recorded."""
        project_id, numbers_url = (outputs.get(key) for key in HOME_OUTPUTS)
        if isinstance(project_id, str) and project_id and isinstance(numbers_url, str):
            return cls(project_id, numbers_url.rstrip("/"))
        return None

    def to_outputs(self) -> dict[str, str]:
        return {"project_id": self.project_id, "numbers_url": self.numbers_url}

    def describe(self) -> str:
        return f"Sinch project {self.project_id} at {self.numbers_url}"


def elsewhere(order_id: str, recorded: OrderHome, configured: OrderHome) -> str | None:
    """Why nothing may be done to the order through the configured settings; None when they
    point at its home."""
    if recorded == configured:
        return None
    changed = [
        CONFIG_KEYS[key]
        for key in HOME_OUTPUTS
        if getattr(recorded, key) != getattr(configured, key)
    ]
    keys = " and ".join(changed)
    return (
        f"order {order_id} belongs to {recorded.describe()}, but the provider is configured for "
        f"{configured.describe()} ({keys} changed). Nothing was read, changed or dropped: a "
        f"404 there would prove nothing about the order. Put {keys} back (a plain "
        "`pulumi refresh` or `pulumi destroy` uses the settings saved at the last `pulumi up`). "
        "To move the order explicitly instead: take it out of the stack with `pulumi state "
        'delete URN`, then, if the new settings reach the same order, set adopt_order_id="'
        f'{order_id}"; otherwise its numbers stay active and billed in project '
        f"{recorded.project_id} until released there"
    )


def unrecorded_and_unreadable(order_id: str, configured: OrderHome) -> str:
    """A 404 for an order whose state (written by an older version) does not record its home."""
    return (
        f"order {order_id} is not in {configured.describe()}, and the stack's state (written "
        "by an earlier version) does not record which project it was created in, so the 404 "
        f"proves nothing: the order is kept. If {CONFIG_KEYS['project_id']} or "
        f"{CONFIG_KEYS['numbers_url']} changed since the order was created, put them back. If "
        "the order is gone from Sinch and none of its numbers is active, take it out of the "
        "stack with `pulumi state delete URN`"
    )
