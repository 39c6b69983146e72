"""The API package stands alone: no Pulumi, nothing from the rest of sinch_numbers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sinch_numbers.api

API_DIR = Path(sinch_numbers.api.__file__).parent
LEAVES = {"sinch_numbers._lazy", "sinch_numbers.errors", "sinch_numbers.configuration"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            names.add("." * node.level + (node.module or ""))
    return names


def test_api_modules_import_only_within_the_package() -> None:
    offenders = []
    for path in sorted(API_DIR.glob("*.py")):
        for name in _imported_modules(path):
            # The leaves of the standard library that any layer may use: _lazy, the exception
            # root and the settings table.
            escapes = name.startswith("..") or (
                name.startswith("sinch_numbers")
                and not name.startswith("sinch_numbers.api")
                and name not in LEAVES
            )
            if escapes or name.split(".")[0] == "pulumi":
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_the_client_does_not_load_pulumi() -> None:
    code = (
        "import sys, sinch_numbers.api\n"
        "loaded = [m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
