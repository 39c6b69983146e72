"""What the preview pass of one ``pulumi`` command found, for the update pass of the same command.

A plain ``pulumi up`` runs the engine twice: a preview, then (once confirmed) the update, each
with a provider plugin process of its own, and the engine tells neither plugin which pass it
serves (a ``CheckRequest`` has no preview flag, the plugins' environments are the same; only
``Create``, which comes in the update alone, is told). So each pass looked the requirements up and
said what the up would buy.

Both plugins are started by the same ``pulumi`` process, and no other command's plugins are:
that process, by its pid and start time (read from ``/proc``), names the command. The first pass
notes in the state folder, under that name, the requirements it looked up (by the settings'
fingerprint, region and type: requirements are no secret) and each cost line it said; the
second pass reads them instead of asking and saying again. Another command, a plugin whose
``pulumi`` cannot be found (no ``/proc``), ``SINCH_NUMBERS_STATE_DIR=off``, a note that cannot be
read: none of them shares anything, and the lookup is made as before. A note only ever saves a
call: every pass still checks the inputs against the requirements it holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.core.journal import default_directory
from sinch_numbers.core.processes import process_stat

NOT_NOTED = object()
"""What :meth:`CommandNotes.requirements` answers when nothing usable is noted."""
# Notes of commands that ended are removed once they are this old; a command's own notes are
# read whatever their age (its update may wait at the confirmation prompt for long).
_KEEP_SECONDS = 24 * 3600


def _command_identity() -> str | None:
    """The ``pulumi`` process this plugin serves (its nearest ancestor running ``pulumi``), as
    pid and start time, or None where it cannot be told."""
    pid = os.getppid()
    for _ in range(4):
        stat = process_stat(pid)
        try:
            executable = os.readlink(Path("/proc") / str(pid) / "exe")
        except OSError:
            return None
        if stat is None:
            return None
        if Path(executable).name == "pulumi":
            return f"{pid}:{stat.start_time}"
        pid = stat.parent
        if pid <= 1:
            return None
    return None


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


class CommandNotes:
    """The notes of one ``pulumi`` command, in one JSON file: ``{"requirements": {key: model or
    null}, "said": [key, ...]}``. Every reader and writer holds a lock on the file."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint

    @classmethod
    def for_this_command(cls, fingerprint: str) -> CommandNotes | None:
        """The notes of the command this plugin serves, for one set of settings (``fingerprint``:
        a digest of where and as whom it calls); None where nothing can be shared."""
        directory = default_directory()
        command = _command_identity()
        if directory is None or command is None:
            return None
        return cls(directory / "passes" / f"{_key(command)[:32]}.json", fingerprint)

    @contextlib.contextmanager
    def _locked(self, *, write: bool) -> Iterator[dict[str, Any]]:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = json.loads(self.path.read_text())
            except (OSError, ValueError):
                data = {}
            if not isinstance(data, dict):
                data = {}
            yield data
            if write:
                temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(json.dumps(data, sort_keys=True))
                temporary.replace(self.path)
                _remove_old_notes(self.path.parent)

    def _read(self) -> dict[str, Any]:
        try:
            with self._locked(write=False) as data:
                return data
        except OSError:
            return {}

    def requirements(self, region: str, number_type: str) -> object:
        """The noted requirements (None: the pair needs no KYC), or ``NOT_NOTED``."""
        noted = self._read().get("requirements")
        key = _key(self.fingerprint, region, number_type)
        entry = noted.get(key) if isinstance(noted, dict) else None
        if not isinstance(entry, dict):
            return NOT_NOTED
        if entry.get("needs_kyc") is False:
            return None
        try:
            return NumberRequirements.model_validate(entry.get("model"))
        except ValidationError:
            return NOT_NOTED

    def keep_requirements(
        self, region: str, number_type: str, found: NumberRequirements | None
    ) -> None:
        entry: dict[str, Any] = (
            {"needs_kyc": False}
            if found is None
            else {"needs_kyc": True, "model": found.model_dump(mode="json")}
        )
        with contextlib.suppress(OSError), self._locked(write=True) as data:
            noted = data.get("requirements")
            if not isinstance(noted, dict):
                noted = data["requirements"] = {}
            noted[_key(self.fingerprint, region, number_type)] = entry

    def said_by_an_earlier_pass(self, what: str) -> bool:
        """Whether an earlier pass of this command said the cost line for ``what`` once more
        than this pass has so far: each line said there stands for one here (a stack may hold
        two orders alike, and each is said)."""
        with contextlib.suppress(OSError), self._locked(write=True) as data:
            counts = _said_counts(data, _key(self.fingerprint, what))
            mine = str(os.getpid())
            earlier = max((n for p, n in counts.items() if p != mine), default=0)
            if counts.get(mine, 0) < earlier:
                counts[mine] = counts.get(mine, 0) + 1
                return True
        return False

    def note_said(self, what: str) -> None:
        with contextlib.suppress(OSError), self._locked(write=True) as data:
            counts = _said_counts(data, _key(self.fingerprint, what))
            mine = str(os.getpid())
            counts[mine] = counts.get(mine, 0) + 1


def _said_counts(data: dict[str, Any], key: str) -> dict[str, int]:
    """How many cost lines for ``key`` each pass (by pid) said, kept in ``data``."""
    said = data.get("said")
    if not isinstance(said, dict):
        said = data["said"] = {}
    counts = said.get(key)
    if not isinstance(counts, dict) or not all(isinstance(n, int) for n in counts.values()):
        counts = said[key] = {}
    return counts


def _remove_old_notes(directory: Path) -> None:
    cutoff = time.time() - _KEEP_SECONDS
    for entry in directory.iterdir():
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
