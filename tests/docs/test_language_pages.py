"""The TypeScript and Go programs the docs show are the ones CI runs (tests/engine/
test_typescript.py and test_go.py build examples/package/typescript and examples/package/go):
each page shows each of its example's source files whole, in a block of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.blocks import ROOT, extract

EXAMPLES = ROOT / "examples" / "package"
PAGES = {
    "typescript": (ROOT / "docs" / "languages" / "typescript.md", ("index.ts", "runner.ts")),
    "go": (ROOT / "docs" / "languages" / "go.md", ("program.go", "main.go")),
}


@pytest.mark.parametrize(
    ("page", "example"),
    [
        pytest.param(page, EXAMPLES / language / name, id=f"{language}/{name}")
        for language, (page, names) in PAGES.items()
        for name in names
    ],
)
def test_the_page_shows_the_example_file_whole(page: Path, example: Path) -> None:
    shown = [block.text for block in extract(page)]
    assert example.read_text() in shown, f"{page.name} lacks {example.name} as it is"


def test_the_go_page_shows_the_lines_of_go_mod_that_name_the_sdk() -> None:
    """go.mod is mostly what `go mod tidy` lists; the page shows the two lines a user writes."""
    (block,) = [b for b in extract(PAGES["go"][0]) if b.lang == "go-mod"]
    lines = set((EXAMPLES / "go" / "go.mod").read_text().splitlines())
    shown = [line for line in block.text.splitlines() if line.strip()]
    assert len(shown) == 2
    for line in shown:
        words = line.split(None, 1)
        # The file groups its requirements in a block: `require X v` there reads `\tX v`.
        assert line in lines or f"\t{words[1]}" in lines, line


def test_both_examples_carry_the_same_fictitious_registration() -> None:
    """Each example folder is whole for a user to copy, so each has the file; they stay one."""
    copies = {(EXAMPLES / lang / "registration.example.json").read_text() for lang in PAGES}
    assert len(copies) == 1
