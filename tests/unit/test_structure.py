"""The shape docs/architecture.md promises, held by the same reading as ``tools/structure.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOL = Path(__file__).resolve().parents[2] / "tools" / "structure.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("structure_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("structure_tool", module)
    spec.loader.exec_module(module)
    return module


def test_no_module_is_over_600_lines() -> None:
    assert _tool().long_modules() == []


def test_each_property_name_is_written_only_in_its_declaration() -> None:
    """Code names a property through its declaration (``P.region_code.name``), never by a
    string of its own: a rename is then one edit, and the type checker finds every use."""
    tool = _tool()
    assert tool.property_names_written_twice() == {}
    # The reading sees the declarations: it would catch a name if one were spelled again.
    names = {p.name for schema in tool._schemas() for p in schema}
    assert {"region_code", "phone_number", "order_id", "timeout"} <= names
