"""The ``sinch-numbers`` command line (docs/cli.md); ``main`` is the console script.

Errors end as one line on stderr (``error: ...``) and a documented exit code (``ExitCode``),
never a traceback: people paste these lines into tickets and CI greps them.
"""

from __future__ import annotations

from sinch_numbers.cli.app import app, main

__all__ = ["app", "main"]
