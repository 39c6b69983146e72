"""A local emulator of the Sinch Numbers API (number orders with KYC, active numbers, callbacks).

It embodies the API on its own and never imports the project's client, so it catches the client's
mistakes instead of sharing them. Start it with ``sinch-numbers emulator`` or
``python -m sinch_numbers.emulator``; see docs/emulator.md.

Its web stack is the optional ``emulator`` extra; this module imports none of it, so both entry
points can say what to install before anything fails to import.
"""

from __future__ import annotations

import importlib.util

from sinch_numbers.emulator.config import EmulatorConfig

__all__ = ["MISSING_EXTRA_EXIT_CODE", "EmulatorConfig", "missing_extra"]

# The distributions of the extra, each with the modules that provide it (python-multipart before
# 0.0.13 installs only "multipart").
_EXTRA: dict[str, tuple[str, ...]] = {
    "fastapi": ("fastapi",),
    "uvicorn": ("uvicorn",),
    "python-multipart": ("python_multipart", "multipart"),
}

# The CLI's ExitCode.CONFIGURATION (docs/cli.md); the emulator never imports the CLI.
MISSING_EXTRA_EXIT_CODE = 3


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_extra() -> str | None:
    """None when the emulator can run, else one line saying what to install."""
    missing = [name for name, modules in _EXTRA.items() if not any(map(_importable, modules))]
    if not missing:
        return None
    return (
        f"the emulator needs the 'emulator' extra, which is not installed (missing "
        f"{', '.join(missing)}): pip install 'sinch-numbers[emulator]'"
    )
