"""``python -m sinch_numbers.cli``: the ``sinch-numbers`` command without its console script."""

from __future__ import annotations

from sinch_numbers.cli.app import main

if __name__ == "__main__":
    main()
