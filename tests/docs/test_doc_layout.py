"""The documentation's layout holds: the README's first screen, links that resolve, every page
reachable from the README, and a testing page that names every public name of the testing kit."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from tests.docs.blocks import DOC_FILES, ROOT, extract

README = ROOT / "README.md"
TESTING = ROOT / "docs" / "testing.md"
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"^#{1,6} (.+)$", line)
        if match:
            slug = _slug(match.group(1))
            anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # links in code are not links
    text = re.sub(r"`[^`\n]*`", "", text)
    return [link for link in _LINK.findall(text) if not re.match(r"^[a-z]+:", link)]


def test_the_first_screen_is_what_the_project_is_and_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_screen = text[: text.index("\n## ")]
    blocks = extract(README)
    assert blocks[0].lang == "bash"
    commands = [line.split("#")[0].strip() for line in blocks[0].text.splitlines()]
    assert commands == ["make demo", "make test"]
    assert first_screen.count("```") == 2, "one block on the first screen"
    assert len(first_screen.splitlines()) <= 20


def test_the_readme_links_every_page_and_the_changelog() -> None:
    linked = {(README.parent / link.split("#")[0]).resolve() for link in _links(README)}
    pages = {path.resolve() for path in (ROOT / "docs").glob("*.md")}
    assert pages - linked == set()
    assert (ROOT / "CHANGELOG.md").resolve() in linked


@pytest.mark.parametrize("path", DOC_FILES, ids=[str(p.relative_to(ROOT)) for p in DOC_FILES])
def test_every_relative_link_resolves(path: Path) -> None:
    for link in _links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        assert file.exists(), f"{path.name}: {link}"
        if anchor and file.suffix == ".md":
            assert anchor in _anchors(file), f"{path.name}: {link}: no such heading"


MODULES_WITH_ALL = (
    "sinch_numbers.testing",
    "sinch_numbers.testing.values",
    "sinch_numbers.testing.project",
    "sinch_numbers.testing.plugin_process",
    "sinch_numbers.testing.plugin",
    "sinch_numbers.testing.simulator",
    "sinch_numbers.testing.mocks",
    "sinch_numbers.testing.results",
    "sinch_numbers.testing.program",
    "sinch_numbers.testing.pulumi_cli",
    "sinch_numbers.testing.package_plugin",
)


def _public_names() -> dict[str, set[str]]:
    names = {name: set(importlib.import_module(name).__all__) for name in MODULES_WITH_ALL}
    emulator = importlib.import_module("sinch_numbers.testing.emulator")
    names["sinch_numbers.testing.emulator"] = {
        name
        for name, value in vars(emulator).items()
        if not name.startswith("_")
        and getattr(value, "__module__", emulator.__name__) == emulator.__name__
        and not inspect.ismodule(value)
        and name not in {"annotations"}
    }
    return names


def test_the_testing_page_names_every_public_name() -> None:
    text = TESTING.read_text(encoding="utf-8")
    names = _public_names()
    assert len(names["sinch_numbers.testing"]) >= 25
    missing = {
        module: sorted(name for name in found if not re.search(rf"`{name}\b", text))
        for module, found in names.items()
    }
    assert all(not found for found in missing.values()), missing


def test_every_public_name_of_the_results_has_its_fields_documented() -> None:
    from sinch_numbers.testing import ProgramResult, ResourceState, Step

    text = TESTING.read_text(encoding="utf-8")
    for cls in (ProgramResult, ResourceState, Step):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{cls.__name__}"))
        for name in cls.__dataclass_fields__:
            assert f"`{name}`" in row, f"{cls.__name__}.{name}"
