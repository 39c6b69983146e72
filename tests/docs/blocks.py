"""The fenced code blocks of the documentation, and what kind of block each one is.

The convention is documented in docs/development.md ("Docs that run"); this module is its one
implementation, shared by the tests that run the blocks and the ones that count them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC_FILES: tuple[Path, ...] = (
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "templates").glob("*/README.md")),
)
PYTHON_KINDS = ("program", "test", "script", "fragment")

_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w-]*)\s*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*doc-test:\s*(?P<body>.*?)\s*-->\s*$")
_FRAGMENT = re.compile(r"^# doc: fragment \((?P<reason>[^)]+)\)\s*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    """1-based line of the opening fence."""
    lang: str
    text: str
    directive: tuple[str, ...] = ()
    """The words of a ``<!-- doc-test: ... -->`` comment right above the fence."""

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def options(self) -> dict[str, str]:
        """``key=value`` words of the directive."""
        return dict(word.split("=", 1) for word in self.directive if "=" in word)

    @property
    def config(self) -> dict[str, str]:
        """``config.KEY=VALUE`` words: extra stack config for a program or a test."""
        return {k[len("config.") :]: v for k, v in self.options.items() if k.startswith("config.")}

    @property
    def fragment_reason(self) -> str | None:
        first = self.text.split("\n", 1)[0]
        match = _FRAGMENT.match(first)
        return match.group("reason") if match else None

    @property
    def kind(self) -> str:
        named = [word for word in self.directive if "=" not in word]
        if named:
            return named[0]
        if self.text.startswith("# doc: fragment"):
            return "fragment"
        if re.search(r"^def test_\w+\(", self.text, re.MULTILINE):
            return "test"
        if re.search(r"^(import pulumi\b|from pulumi\b)", self.text, re.MULTILINE):
            return "program"
        return "script"


def extract(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with the directive comment above it, if any."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent = len(opening.group("indent"))
        body: list[str] = []
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            body.append(lines[end][indent:] if lines[end][:indent].isspace() else lines[end])
            end += 1
        directive: tuple[str, ...] = ()
        above = index - 1
        while above >= 0 and not lines[above].strip():
            above -= 1
        if above >= 0 and (found := _DIRECTIVE.match(lines[above])):
            directive = tuple(shlex.split(found.group("body")))
        text = "\n".join(body) + "\n"
        blocks.append(Block(path, index + 1, opening.group("lang"), text, directive))
        index = end + 1
    return blocks


def all_blocks() -> list[Block]:
    return [block for path in DOC_FILES for block in extract(path)]


def python_blocks() -> list[Block]:
    return [block for block in all_blocks() if block.lang == "python"]


@dataclass
class Tally:
    """How many blocks of each kind ran in this session, for the terminal summary."""

    ran: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.ran[kind] = self.ran.get(kind, 0) + 1


TALLY = Tally()
