"""``python -m sinch_numbers.emulator [options]``: the same server as ``sinch-numbers emulator``."""

from __future__ import annotations

import sys

from sinch_numbers.emulator.server import main

if __name__ == "__main__":
    sys.exit(main())
