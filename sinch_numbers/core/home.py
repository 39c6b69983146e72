"""Where an order or an active number lives: the Sinch project and the Numbers API URL it was
created or adopted in.

The state records both (outputs ``project_id`` and ``numbers_url``) so that no hook reads, changes
or drops a resource through settings that point elsewhere: under another project a GET answers
404, and a 404 there proves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.core.common_properties import HomeProperties
from sinch_numbers.core.settings import CONFIG_KEYS

HOME_OUTPUTS = HomeProperties.names()
"""The outputs that record an order's home; states written before they existed lack them."""


@dataclass(frozen=True)
class SinchHome:
    project_id: str
    numbers_url: str

    @classmethod
    def of(cls, client: SinchNumbersClient) -> SinchHome:
        """Where the client's calls go: the home of everything it creates or reads."""
        return cls(client.project_id, client.numbers_url.rstrip("/"))

    @classmethod
    def recorded(cls, outputs: Mapping[str, Any]) -> SinchHome | None:
        """The home the state records; None for a state written before it was recorded."""
        project_id, numbers_url = (outputs.get(key) for key in HOME_OUTPUTS)
        if isinstance(project_id, str) and project_id and isinstance(numbers_url, str):
            return cls(project_id, numbers_url.rstrip("/"))
        return None

    def to_outputs(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in HOME_OUTPUTS}

    def describe(self) -> str:
        return f"Sinch project {self.project_id} at {self.numbers_url}"


def elsewhere(what: str, recorded: SinchHome, configured: SinchHome, *, move: str) -> str | None:
    """Why nothing may be done to ``what`` ("order 01…", "number +1…") through the configured
    settings; None when they point at its home. ``move`` ends the advice on moving it
    explicitly, after taking it out of the stack."""
    if recorded == configured:
        return None
    changed = [
        CONFIG_KEYS[key]
        for key in HOME_OUTPUTS
        if getattr(recorded, key) != getattr(configured, key)
    ]
    keys = " and ".join(changed)
    return (
        f"{what} belongs to {recorded.describe()}, but the provider is configured for "
        f"{configured.describe()} ({keys} changed). Nothing was read, changed or dropped: a "
        f"404 there would prove nothing. Put {keys} back (a plain `pulumi refresh` or "
        "`pulumi destroy` uses the settings saved at the last `pulumi up`). To move it "
        f"explicitly instead, take it out of the stack with `pulumi state delete URN`; {move}"
    )


def order_elsewhere(order_id: str, recorded: SinchHome, configured: SinchHome) -> str | None:
    return elsewhere(
        f"order {order_id}",
        recorded,
        configured,
        move=f'then, if the new settings reach the same order, set adopt_order_id="{order_id}"; '
        f"otherwise its numbers stay active and billed in project {recorded.project_id} until "
        "released there",
    )


def unrecorded_and_unreadable(what: str, configured: SinchHome) -> str:
    """A 404 for ``what`` whose state (written by an earlier version) does not record its home."""
    return (
        f"{what} is not in {configured.describe()}, and the stack's state (written by an "
        "earlier version) does not record which project it belongs to, so the 404 proves "
        f"nothing: it is kept. If {' or '.join(CONFIG_KEYS[key] for key in HOME_OUTPUTS)} "
        "changed since, put them back. If it is really gone from Sinch and nothing of it is "
        "active, take it out of the stack with `pulumi state delete URN`"
    )
