"""What Linux's ``/proc`` tells of a process: its parent, start time and name, and whether it ended.

The plugin uses it to know which ``pulumi`` command it serves (``passes``) and whether that
command and its program are still there (``completion``); the testing kit uses it to find the
processes it started. Where ``/proc`` cannot be read, every answer is None (or nothing found) and
callers do without.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessStat:
    parent: int
    start_time: str
    """In clock ticks since boot: with the pid, it names one process, whatever reuses the pid."""
    name: str
    """The command name the kernel keeps (the executable's file name, cut to 15 characters)."""
    ended: bool
    """It exited and its parent has not collected it yet (a zombie)."""


def process_stat(pid: int) -> ProcessStat | None:
    """The parent, start time, name and end of ``pid``; None where they cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        # The fields after the command name, which is in parentheses and may hold any text.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        return ProcessStat(
            parent=int(fields[1]), start_time=fields[19], name=name, ended=fields[0] in ("Z", "X")
        )
    except (OSError, ValueError, IndexError):
        return None


def children(pid: int) -> dict[int, ProcessStat]:
    """The processes whose parent is ``pid`` now; empty where ``/proc`` cannot be read."""
    found = {}
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return {}
    for entry in entries:
        if entry.name.isdigit():
            stat = process_stat(int(entry.name))
            if stat is not None and stat.parent == pid:
                found[int(entry.name)] = stat
    return found
