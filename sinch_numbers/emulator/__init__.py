"""A local emulator of the Sinch Numbers API (number orders with KYC, active numbers, callbacks).

It embodies the API on its own and never imports the project's client, so it catches the client's
mistakes instead of sharing them. Start it with ``sinch-numbers emulator`` or
``python -m sinch_numbers.emulator``; see the README (The emulator).
"""

from __future__ import annotations

from sinch_numbers.emulator.config import EmulatorConfig

__all__ = ["EmulatorConfig"]
