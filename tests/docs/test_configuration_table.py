"""The docs' tables of settings agree with the one settings table, ``sinch_numbers.configuration``:
the README's configuration table row for row, and the CLI page's connection options."""

from __future__ import annotations

import re

from sinch_numbers.configuration import SETTINGS, Setting
from tests.docs.blocks import ROOT

README = ROOT / "README.md"
CLI_PAGE = ROOT / "docs" / "cli.md"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
NONE = "\N{EN DASH}"  # what the tables write for "no stack key", "no flag"


def _table(path_text: str, header: str) -> list[list[str]]:
    """The rows under ``header`` (its first cells), each cell without markup."""
    lines = path_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = _CELL_SPLIT.split(line.strip().strip("|"))
        rows.append([cell.strip().replace("`", "").replace("\\|", "|") for cell in cells])
    return rows


def _stack_cell(setting: Setting) -> str:
    if setting.stack_key is None:
        return NONE
    return f"{setting.stack_key} (set with --secret)" if setting.secret else setting.stack_key


def test_the_readme_lists_each_setting_as_the_table_does() -> None:
    rows = _table(README.read_text(encoding="utf-8"), "| stack config | environment variable |")
    assert [row[1] for row in rows] == [s.variable for s in SETTINGS]
    for row, setting in zip(rows, SETTINGS, strict=True):
        stack, variable, shown_default, meaning = row
        assert stack == _stack_cell(setting), variable
        assert shown_default == setting.shown_default, variable
        assert meaning.startswith(setting.meaning), variable


def test_the_cli_page_lists_each_connection_setting_with_its_flag() -> None:
    rows = _table(CLI_PAGE.read_text(encoding="utf-8"), "| option | environment variable |")
    rows = [row for row in rows if row[0] != "--emulator URL"]  # not a setting: the CLI's own
    connection = [s for s in SETTINGS if s.scope == "connection"]
    assert [row[1] for row in rows] == [s.variable for s in connection]
    for (option, variable, shown_default), setting in zip(rows, connection, strict=True):
        flag = option.split(" ")[0]
        assert flag == (setting.flag or NONE), variable
        assert shown_default.startswith(setting.shown_default), variable
