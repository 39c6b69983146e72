"""A local record of orders created but not yet handed to the engine.

The Python dynamic provider can return an order to the engine only when ``create`` returns. A run
killed in between (CI job timeout, Ctrl-C twice, SIGKILL, a crashed plugin) leaves an order at
Sinch that the stack never learns of; the engine then marks the resource "interrupted while
creating" and, on the next ``pulumi up``, only warns and calls ``create`` again, which would order
a second time. Sinch has no call to list orders, so nothing online can find the first one again.

So ``create`` claims its declaration before ordering: it takes an exclusive ``flock`` on the
declaration's lock file and holds it until it returns. It notes each order the moment it exists
and removes the note just before it returns. Who is creating is told by that lock alone, which
the kernel releases when the creating process dies, whatever its pid: a note whose lock can be
taken was left by a create that is gone (an interrupted create, and a new create refuses to order
again and names the order to adopt); a lock that is held means that declaration is being created
right now, by this process or another, and a second create refuses to order too.

The record fails closed: a record that cannot be read, has the wrong shape, or lives in a folder
that cannot be used refuses to order, naming the file and ``SINCH_NUMBERS_STATE_DIR``; it is
never replaced by an empty one.

The record lives on the machine that ran ``pulumi up`` (``SINCH_NUMBERS_STATE_DIR``, by default
``$XDG_STATE_HOME/sinch-numbers``); a CI runner that starts empty has none unless the folder is
cached or on a volume (docs/troubleshooting.md), and there the log line ``order ... created`` is
what leads back to the order.
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
from typing import IO, Any

from sinch_numbers.configuration import STATE_DIR
from sinch_numbers.errors import SinchNumbersError

ENV_STATE_DIR = STATE_DIR.variable


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
    """One key for what identifies a declared order (only a hash of it is kept)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class JournalRefusal(SinchNumbersError):
    """The record says not to order now; the message says why and what to do."""


class RecordUnusable(JournalRefusal):
    """The record cannot be read or written: without it, ordering could order twice."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(
            f"the record of interrupted creates {path} {what}, so nothing was ordered: without "
            "it a second order could be placed for an order an interrupted run left. Repair "
            f"the file or its folder, or point {ENV_STATE_DIR} at a usable folder (removing the "
            "file forgets any order an interrupted run left in it)"
        )
        self.path = path


class CreateInProgress(JournalRefusal):
    """Another create of the same declaration holds its lock: it is running right now."""

    def __init__(self, lock: Path) -> None:
        super().__init__(
            "another run is creating this order right now (it holds the lock "
            f"{lock}), so nothing was ordered. Let that run finish, then run `pulumi up` "
            "again; a run killed since lets go of the lock and its order is named then"
        )
        self.lock = lock


@dataclass(frozen=True)
class InterruptedCreate:
    order_id: str
    created_at: float
    path: Path


def _unusable(path: Path, error: OSError) -> RecordUnusable:
    # strerror only ("Not a directory", "Permission denied"): never the file's content.
    return RecordUnusable(path, f"cannot be used ({error.strerror or type(error).__name__})")


class CreateJournal:
    """Notes per Sinch project: ``{key: [{order_id, created_at, phone_number?}, ...]}`` in one
    JSON file, and one lock file per declaration key (kept: removing a lock file while another
    process opens it would let two processes hold "the" lock)."""

    def __init__(self, directory: Path, project_id: str) -> None:
        self.name = hashlib.sha256(project_id.encode()).hexdigest()[:16]
        self.directory = directory
        self.path = directory / f"creates-{self.name}.json"

    def lock_path(self, key: str) -> Path:
        return self.directory / f"creating-{self.name}-{key[:32]}.lock"

    def _open(self, path: Path) -> IO[str]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _unusable(self.directory, error) from None
        try:
            return open(path, "a")
        except OSError as error:
            raise _unusable(path, error) from None

    @contextlib.contextmanager
    def creating(self, key: str) -> Iterator[Claim]:
        """Hold the declaration's lock for a whole create; CreateInProgress when another holds
        it (a separate open file, so a second create in this very process is refused too)."""
        lock_path = self.lock_path(key)
        with self._open(lock_path) as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CreateInProgress(lock_path) from None
            except OSError as error:
                raise _unusable(lock_path, error) from None
            yield Claim(self, key)

    def interrupted(self, key: str) -> InterruptedCreate | None:
        """An order noted for ``key`` whose creator is gone; CreateInProgress while one lives."""
        with self.creating(key) as claim:
            return claim.interrupted()

    def note(self, key: str, order_id: str, *, phone_number: str | None = None) -> None:
        with self._record() as data:
            entry: dict[str, Any] = {"order_id": order_id, "created_at": time.time()}
            if phone_number is not None:
                entry["phone_number"] = phone_number
            data.setdefault(key, []).append(entry)

    def forget(self, order_id: str) -> None:
        """The order reached the engine (or was adopted): nothing is pending for it."""
        with self._record() as data:
            for key in list(data):
                data[key] = [n for n in data[key] if n["order_id"] != order_id]
                if not data[key]:
                    del data[key]

    def holding_number(self, phone_number: str) -> InterruptedCreate | None:
        """An interrupted create that ordered ``phone_number`` (its creator gone)."""
        with self._record(write=False) as data:
            notes = [
                (key, note)
                for key, listed in data.items()
                for note in listed
                if note.get("phone_number") == phone_number
            ]
        for key, note in notes:
            with contextlib.suppress(CreateInProgress), self.creating(key):
                return self._found(note)
        return None

    def first_note(self, key: str) -> InterruptedCreate | None:
        """The first order noted for ``key``, whoever noted it (callers decide who is alive)."""
        with self._record(write=False) as data:
            notes = data.get(key, [])
        return self._found(notes[0]) if notes else None

    def _found(self, note: dict[str, Any]) -> InterruptedCreate:
        return InterruptedCreate(note["order_id"], float(note["created_at"]), self.path)

    @contextlib.contextmanager
    def _record(self, *, write: bool = True) -> Iterator[dict[str, list[dict[str, Any]]]]:
        lock_path = self.path.with_suffix(".lock")
        with self._open(lock_path) as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)
            except OSError as error:
                raise _unusable(lock_path, error) from None
            data = self._read()
            yield data
            if write:
                temporary = self.path.with_suffix(".tmp")
                try:
                    temporary.write_text(json.dumps(data, sort_keys=True))
                    temporary.replace(self.path)
                except OSError as error:
                    raise _unusable(self.path, error) from None

    def _read(self) -> dict[str, list[dict[str, Any]]]:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise _unusable(self.path, error) from None
        try:
            data = json.loads(text)
        except ValueError:
            raise RecordUnusable(self.path, "is not valid JSON") from None
        if not _well_formed(data):
            raise RecordUnusable(self.path, "does not hold notes in the expected form")
        return data  # type: ignore[no-any-return]


def _well_formed(data: Any) -> bool:
    def note_ok(note: Any) -> bool:
        return (
            isinstance(note, dict)
            and isinstance(note.get("order_id"), str)
            and isinstance(note.get("created_at"), int | float)
            and not isinstance(note.get("created_at"), bool)
            and isinstance(note.get("phone_number", ""), str)
        )

    return isinstance(data, dict) and all(
        isinstance(notes, list) and all(note_ok(n) for n in notes) for notes in data.values()
    )


class Claim:
    """A create holding its declaration's lock: what it finds and what it notes."""

    def __init__(self, journal: CreateJournal, key: str) -> None:
        self.journal = journal
        self.key = key

    def interrupted(self) -> InterruptedCreate | None:
        """Any note for this key: its creator is gone, since this claim holds the lock."""
        return self.journal.first_note(self.key)

    def note(self, order_id: str, *, phone_number: str | None = None) -> None:
        self.journal.note(self.key, order_id, phone_number=phone_number)
