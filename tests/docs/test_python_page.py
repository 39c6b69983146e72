"""The Python SDK's program docs/languages/python.md shows is the one CI runs
(tests/engine/test_python_sdk.py runs examples/package/python): the page shows its `__main__.py`
and `Pulumi.yaml` whole, each in a block of its own."""

from __future__ import annotations

import pytest

from tests.docs.blocks import ROOT, extract

PAGE = ROOT / "docs" / "languages" / "python.md"
EXAMPLE = ROOT / "examples" / "package" / "python"


@pytest.mark.parametrize("name", ["__main__.py", "Pulumi.yaml"])
def test_the_page_shows_the_example_file_whole(name: str) -> None:
    shown = [block.text for block in extract(PAGE)]
    assert (EXAMPLE / name).read_text() in shown, f"{PAGE.name} lacks {name} as it is"


def test_the_import_example_is_the_program_the_import_test_runs() -> None:
    """The page's `import_` block and the test's program declare the same order."""
    from tests.engine.test_import import IMPORT_OPTION

    [block] = [b.text for b in extract(PAGE) if "import_=" in b.text]
    wanted = IMPORT_OPTION.replace("ORDER_ID", "01HZX3EXAMPLEORDERID00000")
    wanted = wanted.replace("PHONE_NUMBER", "+61412000100")
    for line in block.splitlines():
        if line.startswith("# doc:") or line.startswith("pulumi.export"):
            continue
        assert line in wanted.splitlines(), line
