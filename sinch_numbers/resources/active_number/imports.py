"""``pulumi import`` of an ActiveNumber by its phone number: read as a refresh reads it, in the
Sinch project the settings point at."""

from __future__ import annotations

from typing import Any

from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.log import Log
from sinch_numbers.resources.active_number.lifecycle import read_number
from sinch_numbers.resources.active_number.number import Connect


def import_number(
    connection: Connect, phone: str, log: Log
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The number's id, outputs and inputs; None when the configured project does not have it
    (an import has no earlier state whose project a 404 could contradict)."""
    here = SinchHome.of(connection().client)
    return read_number(connection, phone, here.to_outputs(), log)
