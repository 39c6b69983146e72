"""The layers of docs/architecture.md, enforced: what each package may import, read from the
source (every import statement, those inside functions too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sinch_numbers"

# Layer -> the sinch_numbers layers it may import (itself included) and third-party roots it
# must not import. A module's layer is its first path part under sinch_numbers/.
MAY_IMPORT: dict[str, set[str]] = {
    "_lazy": set(),
    "errors": set(),
    "configuration": set(),
    "api": {"api"},
    "kyc": {"api", "kyc"},
    "core": {"api", "kyc", "core"},
    "resources": {"api", "kyc", "core", "resources"},
    "callbacks": {"api"},
    "emulator": {"emulator", "api"},
    "cli": {"cli", "api", "kyc", "core", "resources", "codegen", "emulator", "__init__"},
    "provider": {"api", "kyc", "core", "resources", "provider"},
    "active_number": {"api", "kyc", "core", "resources", "provider", "active_number"},
    "completion": {"api", "kyc", "core", "resources", "provider", "completion"},
    "lookups": {"api", "kyc", "core", "resources", "provider", "lookups"},
    # __init__ for __version__ alone (the package schema's version): it imports nothing eagerly.
    "codegen": {"core", "resources", "codegen", "__init__"},
    # The package's provider plugin: the resources' logic behind the engine's gRPC calls; the
    # lookups for its functions, codegen for what the schema it serves names (tokens, which
    # properties the package has), the package root for its version only.
    "plugin": {"api", "kyc", "core", "resources", "lookups", "codegen", "plugin", "__init__"},
    "surface": {"surface"},
    "generated": {"generated", "surface"},
    "resource": {
        "core",
        "resources",
        "generated",
        "surface",
        "provider",
        "active_number",
        "completion",
        "resource",
    },
    "__init__": {"resource", "lookups"},
    "testing": {
        "api",
        "kyc",
        "core",
        "resources",
        "emulator",
        "provider",
        "completion",
        "resource",
        "testing",
        "__init__",
    },
}
# Leaves any layer may use: _lazy (module attributes imported on first use), errors (the one
# exception root) and configuration (the table of settings). They import nothing of the package.
LEAVES = {"_lazy", "errors", "configuration"}
MUST_NOT_IMPORT: dict[str, set[str]] = {
    "api": {"pulumi", "typer", "rich", "fastapi", "starlette", "uvicorn"},
    "kyc": {"pulumi", "typer", "rich", "fastapi", "starlette", "uvicorn", "httpx"},
    "core": {"pulumi", "typer", "rich", "fastapi", "starlette", "uvicorn"},
    "resources": {"pulumi", "typer", "rich", "fastapi", "starlette", "uvicorn"},
    "codegen": {"pulumi", "typer", "rich", "fastapi", "starlette", "uvicorn", "httpx"},
    "surface": {"typer", "rich", "httpx"},
    "generated": {"typer", "rich", "httpx"},
    "callbacks": {"pulumi", "typer", "rich", "httpx"},
    "emulator": {"pulumi", "typer", "rich"},
    "cli": {"pulumi"},
    "provider": {"typer", "rich"},
    "active_number": {"typer", "rich"},
    "completion": {"typer", "rich"},
    "lookups": {"typer", "rich"},
    "resource": {"typer", "rich"},
    "plugin": {"typer", "rich", "fastapi", "starlette", "uvicorn"},
}


def _layer(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """Every module named by an import in the file, relative imports made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(("sinch_numbers", *path.relative_to(PACKAGE).parent.parts))
    package_parts = package.split(".")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # `from sinch_numbers import provider` names a module too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_layer_may(path: Path) -> None:
    layer = _layer(path)
    assert layer in MAY_IMPORT, f"{layer}: a new layer; add it to docs/architecture.md and here"
    ours: set[str] = set()
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "sinch_numbers":
            if len(parts) == 1:
                ours.add("__init__")
            elif (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").exists():
                ours.add(parts[1])
            elif parts[1] == "__version__":
                ours.add("__init__")
        elif parts[0] in MUST_NOT_IMPORT.get(layer, set()):
            pytest.fail(f"{path.relative_to(PACKAGE)} ({layer}) imports {name}")
    wrong = ours - MAY_IMPORT[layer] - LEAVES
    assert not wrong, f"{path.relative_to(PACKAGE)} ({layer}) imports the layers {sorted(wrong)}"


RESOURCES = PACKAGE / "resources"
HOOK_MODULES = ("provider.py", "active_number.py", "completion.py")


def _resource_packages() -> list[Path]:
    return sorted(p for p in RESOURCES.iterdir() if (p / "__init__.py").exists())


@pytest.mark.parametrize("package", _resource_packages(), ids=lambda p: p.name)
def test_a_resource_package_imports_no_other_resource_package(package: Path) -> None:
    """What two resources share belongs in core/: a resource package is read alone."""
    for path in sorted(package.rglob("*.py")):
        for name in _imports(path):
            parts = name.split(".")
            if parts[:2] == ["sinch_numbers", "resources"] and len(parts) > 2:
                assert parts[2] == package.name, (
                    f"{path.relative_to(PACKAGE)} imports {name}: move what both use to core/"
                )


@pytest.mark.parametrize("package", _resource_packages(), ids=lambda p: p.name)
def test_a_resource_package_opens_with_its_one_declaration(package: Path) -> None:
    """Every resource package has the same shape: ``schema.py`` declares its properties, and
    ``SCHEMA`` is what the checks, projections, program classes and docs derive from."""
    schema = package / "schema.py"
    assert schema.exists(), f"resources/{package.name} has no schema.py"
    tree = ast.parse(schema.read_text(encoding="utf-8"))
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    assert "SCHEMA" in assigned, f"resources/{package.name}/schema.py defines no SCHEMA"


@pytest.mark.parametrize("name", HOOK_MODULES)
def test_the_hooks_stay_thin_and_never_call_the_api_themselves(name: str) -> None:
    """A hook maps one engine call onto one package function: it neither makes API calls nor
    holds the logic (the API client is the package's to use, through core's connection)."""
    path = PACKAGE / name
    imported = _imports(path)
    assert not any(m.startswith("sinch_numbers.api.client") for m in imported), (
        f"{name} imports the API client"
    )
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 200, f"{name} is not thin"
