"""A local record of orders created but not yet handed to the engine.

The Python dynamic provider can return an order to the engine only when ``create`` returns. A run
killed in between (CI job timeout, Ctrl-C twice, SIGKILL, a crashed plugin) leaves an order at
Sinch that the stack never learns of; the engine then marks the resource "interrupted while
creating" and, on the next ``pulumi up``, only warns and calls ``create`` again, which would order
a second time. Sinch has no call to list orders, so nothing online can find the first one again.

So ``create`` notes each order here the moment it exists and removes the note just before it
returns. A note left behind by another process means an interrupted create: a new ``create`` for
the same inputs refuses to order again and names the order to adopt instead. Notes of this very
process are orders other resources are creating right now, not interrupted ones.

The record lives on the machine that ran ``pulumi up`` (``SINCH_NUMBERS_STATE_DIR``, by default
``$XDG_STATE_HOME/sinch-numbers``); a CI runner that starts empty has none, and there the log line
``order ... created`` is what leads back to the order.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_STATE_DIR = "SINCH_NUMBERS_STATE_DIR"


def default_directory() -> Path | None:
    """Where the notes live; None when ``SINCH_NUMBERS_STATE_DIR=off`` turns them off."""
    configured = os.environ.get(ENV_STATE_DIR, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sinch-numbers"


def inputs_key(*parts: Any) -> str:
    """One key for what identifies an order's inputs (no KYC value is kept, only a hash)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class InterruptedCreate:
    order_id: str
    created_at: float
    path: Path


class CreateJournal:
    """Notes per Sinch project: ``{key: [{order_id, pid, created_at}, ...]}`` in one JSON file."""

    def __init__(self, directory: Path, project_id: str) -> None:
        name = hashlib.sha256(project_id.encode()).hexdigest()[:16]
        self.path = directory / f"creates-{name}.json"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, list[dict[str, Any]]]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = json.loads(self.path.read_text()) if self.path.exists() else {}
            except (OSError, ValueError):
                data = {}
            if not isinstance(data, dict):
                data = {}
            yield data
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data, sort_keys=True))
            temporary.replace(self.path)

    def interrupted(self, key: str) -> InterruptedCreate | None:
        """An order created for ``key`` by another process that never handed it over."""
        with self._locked() as data:
            for note in data.get(key, []):
                if note.get("pid") != os.getpid():
                    return InterruptedCreate(
                        str(note.get("order_id")), float(note.get("created_at", 0)), self.path
                    )
        return None

    def note(self, key: str, order_id: str) -> None:
        with self._locked() as data:
            data.setdefault(key, []).append(
                {"order_id": order_id, "pid": os.getpid(), "created_at": time.time()}
            )

    def forget(self, order_id: str) -> None:
        """The order reached the engine (or was adopted): nothing is pending for it."""
        with self._locked() as data:
            for key in list(data):
                data[key] = [n for n in data[key] if n.get("order_id") != order_id]
                if not data[key]:
                    del data[key]
