"""What an operation of a runner returns, the same for the simulator and the real CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .simulator import Op, Step

__all__ = ["ProgramResult"]


@dataclass
class ProgramResult:
    kind: str
    ok: bool
    error: str | None = None
    """Why the operation failed, in one paragraph (the exception's message, not its traceback);
    the whole text the engine showed is in :attr:`details`."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """Stack outputs; a secret output is a :class:`Secret`, an unknown one (preview) is UNKNOWN."""
    steps: list[Step] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)
    """URNs the program registered, in order (all types)."""
    check_failures: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)
    """(severity, text) of every diagnostic the operation showed: ``("warning", "sinch: ...")``."""
    output: str = ""
    """Everything the operation printed, as a user would see it."""
    details: str | None = None
    """The failure in full, tracebacks included, as the engine shows it."""

    @property
    def warnings(self) -> list[str]:
        """What providers warned of (``pulumi.log.warn``), without the ``warning: `` prefix:
        e.g. ``"sinch: credentials are not configured, so the inputs were checked offline"``."""
        found = []
        for severity, text in self.messages:
            if text.startswith("warning: "):
                found.append(text[len("warning: ") :])
            elif severity == "warning":
                found.append(text)
        return found

    def ops(self) -> dict[str, Op]:
        """Resource name -> operation done (create/update/replace/same/delete/...)."""
        return {s.name: s.op for s in self.steps}

    def op(self, name: str) -> Op | None:
        return self.ops().get(name)


_EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?([A-Z]\w*(?:Error|Exception|Failure)): (.+)$")


def summarize(text: str) -> str:
    """One paragraph for a failure: the message of the innermost exception a traceback ends
    with (its class name kept), or the text itself when it holds no traceback."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        match = _EXCEPTION_LINE.match(line)
        if match:
            return f"{match.group(1)}: {match.group(2)}"
    return " ".join(lines)
