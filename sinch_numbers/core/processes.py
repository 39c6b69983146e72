"""What Linux's ``/proc`` tells of a process: its parent and its start time.

The plugin uses it to know which ``pulumi`` command it serves (``passes``) and whether that
command is still there (``completion``); the testing kit uses it to find the processes it started.
Where ``/proc`` cannot be read, every answer is None and callers do without.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessStat:
    parent: int
    start_time: str
    """In clock ticks since boot: with the pid, it names one process, whatever reuses the pid."""


def process_stat(pid: int) -> ProcessStat | None:
    """The parent and start time of ``pid``; None where they cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        # The fields after the command name, which is in parentheses and may hold any text.
        fields = stat[stat.rindex(")") + 2 :].split()
        return ProcessStat(parent=int(fields[1]), start_time=fields[19])
    except (OSError, ValueError, IndexError):
        return None
