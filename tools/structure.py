"""The figures docs/architecture.md promises about the package's shape, read from the source.

    .venv/bin/python tools/structure.py

Prints, and exits 1 when one is broken:
- modules over 600 lines (the emulator's catalogs and ``callbacks.py`` excepted);
- each resource property's name written outside its declaration: a string constant equal to a
  property's name anywhere in ``sinch_numbers/`` except the declarations (the schema modules,
  the shared properties, the generated modules) and the formats listed in ``FORMATS``, whose
  keys are fixed by something other than our properties and only share some names.

Nothing is run or imported but the schemas.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sinch_numbers"
sys.path.insert(0, str(ROOT))

from sinch_numbers.core.schema import ResourceSchema  # noqa: E402

MAX_LINES = 600
LONG_ALLOWED = {"callbacks.py", "emulator/requirements_catalog.py", "emulator/openapi_bodies.py"}
FORMATS = {
    "api/": "the Numbers API's wire models",
    "emulator/": "the emulator of that API",
    "testing/emulator.py": "the emulator's admin API, as the testing kit calls it",
    "core/journal.py": "the record of interrupted creates on disk: existing records keep its keys",
    "configuration.py": "the settings table, a declaration of its own (sinch:projectId ...)",
}
"""Not counted, and why: each speaks a format whose field names are not our properties'."""
HOMONYMS = {
    ("cli/app.py", "timeout"): "order watch's JSON outcome when its wait ran out, not an input",
}
"""Single strings that spell a property's name but mean something else, and what."""


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def long_modules() -> list[tuple[str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and _relative(path) not in LONG_ALLOWED:
            found.append((_relative(path), lines))
    return found


def _schemas() -> list[ResourceSchema]:
    schemas: list[ResourceSchema] = []
    for schema_module in sorted((PACKAGE / "resources").glob("*/schema.py")):
        parts = schema_module.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("sinch_numbers", *parts))
        module = __import__(name, fromlist=["SCHEMA"])
        schema = getattr(module, "SCHEMA", None)
        if isinstance(schema, ResourceSchema):
            schemas.append(schema)
    return schemas


def _declaring(path: Path) -> bool:
    relative = _relative(path)
    text = path.read_text(encoding="utf-8")
    return (
        relative.endswith("schema.py")
        or relative.startswith(("generated/", "core/common_properties"))
        or "generated from the resources' schemas" in text[:400]
    )


def property_names_written_twice() -> dict[str, list[str]]:
    """Each property name -> the places (file:line) outside its declaration that spell it."""
    names: set[str] = set()
    for schema in _schemas():
        names.update(p.name for p in schema)
    places: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = _relative(path)
        if relative.startswith(tuple(FORMATS)) or _declaring(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and node.value in names
                and (relative, node.value) not in HOMONYMS
            ):
                places.setdefault(node.value, []).append(f"{relative}:{node.lineno}")
    return places


def main() -> int:
    broken = False
    long = long_modules()
    print(f"modules over {MAX_LINES} lines (catalogs and callbacks.py excepted): {len(long)}")
    for relative, lines in long:
        print(f"  {relative}: {lines}")
    broken |= bool(long)

    twice = property_names_written_twice()
    names = sum(len(p) for p in twice.values())
    print(f"property names written outside their declaration: {len(twice)} names, {names} places")
    for name, where in sorted(twice.items()):
        print(f"  {name}: {', '.join(where[:6])}{' ...' if len(where) > 6 else ''}")
    for place, why in FORMATS.items():
        print(f"  not counted: {place} ({why})")
    for (place, name), why in HOMONYMS.items():
        print(f"  not counted: {name!r} in {place} ({why})")
    broken |= bool(twice)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
