"""``python -m sinch_numbers.emulator [options]``: the same server as ``sinch-numbers emulator``."""

from __future__ import annotations

import sys

from sinch_numbers.emulator import MISSING_EXTRA_EXIT_CODE, missing_extra


def _main() -> int:
    problem = missing_extra()
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return MISSING_EXTRA_EXIT_CODE
    from sinch_numbers.emulator.server import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
