"""No module of the package changes another library for the whole process.

The package is imported into a user's program and into the plugin process that serves the engine,
beside other code that uses the same libraries: an entry put into ``sys.modules``, a replaced
attribute of an imported module or class, or a replaced code object would change them for that
code too. The source is read, not run, so a patch made only on some path is found as well.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import sinch_numbers

PACKAGE = Path(sinch_numbers.__file__).parent
OWN = "sinch_numbers"

_SYS_MODULES_WRITERS = frozenset({"__setitem__", "__delitem__", "update", "setdefault", "pop"})
_SETTERS = frozenset({"setattr", "delattr"})


@dataclass(frozen=True)
class Patch:
    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}"


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _imported_from_elsewhere(tree: ast.Module) -> set[str]:
    """Names any scope of the module binds by importing another library (or its members)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != OWN:
                    names.add(alias.asname or alias.name.split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] != OWN
        ):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _stored(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = list(node.targets)
    else:
        return []
    flat: list[ast.expr] = []
    while targets:
        target = targets.pop()
        if isinstance(target, ast.Tuple | ast.List):
            targets.extend(target.elts)
        elif isinstance(target, ast.Starred):
            targets.append(target.value)
        else:
            flat.append(target)
    return flat


def patches_in(source: str, file: str) -> list[Patch]:
    tree = ast.parse(source, file)
    imported = _imported_from_elsewhere(tree)
    found: list[Patch] = []

    def touches_library(target: ast.expr) -> bool:
        root = _root(target)
        return isinstance(root, ast.Name) and root.id in imported

    for node in ast.walk(tree):
        for target in _stored(node):
            if isinstance(target, ast.Subscript) and _dotted(target.value) == "sys.modules":
                found.append(Patch(file, target.lineno, "writes an entry of sys.modules"))
            elif isinstance(target, ast.Attribute) and target.attr == "__code__":
                found.append(Patch(file, target.lineno, "replaces a code object (__code__)"))
            elif isinstance(target, ast.Attribute) and touches_library(target):
                found.append(
                    Patch(file, target.lineno, f"sets {_dotted(target)} of an imported library")
                )
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and _dotted(func.value) == "sys.modules":
            if func.attr in _SYS_MODULES_WRITERS:
                found.append(Patch(file, node.lineno, f"calls sys.modules.{func.attr}"))
        elif isinstance(func, ast.Name) and func.id in _SETTERS and node.args:
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and name.value == "__code__":
                found.append(Patch(file, node.lineno, f"{func.id} of a code object (__code__)"))
            elif touches_library(node.args[0]):
                found.append(Patch(file, node.lineno, f"{func.id} on an imported library"))
    return sorted(found, key=lambda patch: patch.line)


def test_no_module_of_the_package_patches_another_library() -> None:
    found = [
        patch
        for path in sorted(PACKAGE.rglob("*.py"))
        for patch in patches_in(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert [str(p) for p in found] == []


def test_the_scan_finds_each_kind_of_patch() -> None:
    source = """
import sys
import httpx
from pulumi.dynamic import ResourceProvider
from sinch_numbers.api import client

sys.modules["httpx._main"] = None
sys.modules.setdefault("x", None)
del sys.modules["y"]

def teach(servicer):
    servicer.Cancel.__code__ = teach.__code__
    setattr(servicer, "__code__", None)

httpx.Client.send = None
ResourceProvider.create = None
setattr(httpx, "get", None)
client.DEFAULT = 1

class Own:
    pass

own = Own()
own.value = sys.modules.get("__main__")
"""
    assert [(p.line, p.what) for p in patches_in(source, "probe.py")] == [
        (7, "writes an entry of sys.modules"),
        (8, "calls sys.modules.setdefault"),
        (9, "writes an entry of sys.modules"),
        (12, "replaces a code object (__code__)"),
        (13, "setattr of a code object (__code__)"),
        (15, "sets httpx.Client.send of an imported library"),
        (16, "sets ResourceProvider.create of an imported library"),
        (17, "setattr on an imported library"),
    ]
