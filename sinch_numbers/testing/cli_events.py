"""What a Pulumi CLI command showed, read into the simulator's terms.

The engine's event stream becomes :class:`~sinch_numbers.testing.simulator.Step` values (one per
resource), its error diagnostics check failures and a one-paragraph failure, and a
``pulumi stack export`` value has each secret as :class:`~sinch_numbers.testing.values.Secret`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .project import DYNAMIC_TYPE_PREFIX
from .results import summarize
from .simulator import Op, Step
from .values import Secret

# How `pulumi stack export` marks a secret: {_SECRET_SIG: _SECRET_VALUE, "ciphertext"|"plaintext"}.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105 - a format marker, not a secret
_SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270"  # noqa: S105
# The engine's op names, as the event stream spells them, mapped to the simulator's.
_OPS = {
    "create": Op.CREATE,
    "update": Op.UPDATE,
    "same": Op.SAME,
    "delete": Op.DELETE,
    "replace": Op.REPLACE,
    "create-replacement": Op.REPLACE,
    "delete-replaced": Op.REPLACE,
    "refresh": Op.REFRESH,
}
# The engine renders a CheckFailure as "<type> resource '<name>': property <path> value <value>
# has a problem: <reason>", or without "property ... value ..." when the failure names none.
_CHECK_FAILURE = re.compile(
    r"resource '(?P<name>[^']*)'(?::)? (?:property (?P<prop>\S+) value .*? )?"
    r"has a problem: (?P<reason>.*)$"
)


def from_export(value: Any) -> Any:
    """A value of ``pulumi stack export --show-secrets`` with each secret as :class:`Secret`."""
    if isinstance(value, dict):
        if value.get(_SECRET_SIG) == _SECRET_VALUE:
            if "plaintext" in value:
                return Secret(json.loads(value["plaintext"]))
            return Secret(None)
        return {k: from_export(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_export(v) for v in value]
    return value


@dataclass
class Capture:
    """What one CLI command showed: its output lines and the engine's structured events."""

    lines: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    diagnostics: list[tuple[str, str, str]] = field(default_factory=list)
    """(severity, urn, message)"""
    lock: threading.Lock = field(default_factory=threading.Lock)

    echo: Callable[[str], None] | None = None
    prelude_at: float | None = None
    summary_at: float | None = None

    def line(self, text: str) -> None:
        with self.lock:
            self.lines.append(text)
        if self.echo is not None:
            self.echo(text)

    def event(self, event: Any) -> None:
        now = time.perf_counter()
        with self.lock:
            if getattr(event, "prelude_event", None) is not None:
                self.prelude_at = now
            if getattr(event, "summary_event", None) is not None:
                self.summary_at = now
            pre = getattr(event, "resource_pre_event", None)
            done = getattr(event, "res_outputs_event", None)
            diagnostic = getattr(event, "diagnostic_event", None)
            if diagnostic is not None and diagnostic.severity != "debug":
                self.diagnostics.append(
                    (diagnostic.severity, diagnostic.urn or "", diagnostic.message.rstrip("\n"))
                )
            metadata = pre.metadata if pre is not None else None
            if metadata is None and done is not None and getattr(done, "metadata", None):
                # Refresh reports through outputs events only.
                metadata = done.metadata
                if str(getattr(metadata.op, "value", metadata.op)) != "refresh":
                    return
            if metadata is None or not str(metadata.type).startswith(DYNAMIC_TYPE_PREFIX):
                return
            op_name = str(getattr(metadata.op, "value", metadata.op))
            op = _OPS.get(op_name)
            if op is None:
                return
            if op is Op.REFRESH and done is not None and metadata.new is None:
                op = Op.REFRESH_REMOVED
            # One step per resource: a replacement reports three events, a refresh two.
            if any(s.urn == metadata.urn and s.op is op for s in self.steps):
                return
            self.steps = [s for s in self.steps if s.urn != metadata.urn or op is not Op.REPLACE]
            self.steps.append(Step(op, metadata.urn, {"engine_op": op_name}))

    @property
    def text(self) -> str:
        with self.lock:
            return "\n".join(self.lines)


# What the engine adds to every failed run, which says nothing about the failure itself.
_ENGINE_NOISE = ("update failed", "Resource monitor has terminated, shutting down")


def summary(diagnostics: Sequence[tuple[str, str, str]], error: str) -> str:
    """One paragraph for a failed command: what each error diagnostic says, tracebacks cut to
    their message; the command's own error when the engine showed none."""
    said = [
        summarize(message)
        for severity, _urn, message in diagnostics
        if severity == "error" and message.strip() not in _ENGINE_NOISE
    ]
    return "; ".join(dict.fromkeys(said)) or summarize(error)


def check_failures(
    diagnostics: Sequence[tuple[str, str, str]],
) -> dict[str, list[tuple[str, str]]]:
    """Check failures per URN, as (property, reason), from the engine's error diagnostics."""
    found: dict[str, list[tuple[str, str]]] = {}
    for severity, urn, message in diagnostics:
        if severity != "error" or not urn:
            continue
        for line in message.splitlines():
            match = _CHECK_FAILURE.search(line.strip())
            if match:
                found.setdefault(urn, []).append((match["prop"] or "", match["reason"]))
    return found
