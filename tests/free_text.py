"""Helpers for the tests of server free text: a reviewer who acts on the first order that
reaches review, and the plain part of outputs (what the engine stores unencrypted)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess


def review_when_submitted(
    emu: EmulatorProcess, message: str, outcome: str = "block", *, within: float = 60
) -> threading.Thread:
    """A reviewer (a started thread; join it) who gives ``outcome`` with ``message`` to the
    first order that reaches IN_REVIEW."""

    def review() -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for order in emu.orders():
                if order["state"] == "IN_REVIEW":
                    emu.review(order["idNumberOrder"], outcome, message)
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=review, daemon=True)
    thread.start()
    return thread


def not_secret(value: Any) -> Any:
    """Only what the engine stores in plaintext: secret values dropped."""
    if isinstance(value, Secret):
        return None
    if isinstance(value, dict):
        return {k: not_secret(v) for k, v in value.items()}
    if isinstance(value, list):
        return [not_secret(v) for v in value]
    return value
