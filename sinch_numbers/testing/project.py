"""The project a program belongs to: its name, its stack config, URNs and type tokens, and the
working directory and environment a program runs in; the same for the simulator and the CLI."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Final

from pulumi.dynamic import ResourceProvider

from . import _pulumi_private as private
from .values import Secret

__all__ = [
    "DEFAULT_DYNAMIC_TYPE",
    "PROVIDER_KEY",
    "dynamic_type",
    "import_root",
    "make_urn",
    "provider_property",
]

PROVIDER_KEY: Final[str] = "__provider"
DEFAULT_DYNAMIC_TYPE: Final[str] = "pulumi-python:dynamic:Resource"
DYNAMIC_TYPE_PREFIX: Final[str] = "pulumi-python:dynamic"
"""How the type token of every dynamic resource starts, whatever its module and name."""

# The engine registers the dynamic plugin under this package name; Configure's legacy
# `variables` map is keyed "<package>:config:<key>" with it.
PLUGIN_PACKAGE: Final[str] = "pulumi-python"


def dynamic_type(module: str = "", name: str = "Resource") -> str:
    """The type token ``class X(Resource, module=..., name=...)`` registers."""
    return f"pulumi-python:dynamic{'/' + module if module else ''}:{name}"


def make_urn(project: str, stack: str, type_: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def provider_property(provider: ResourceProvider) -> Any:
    """``__provider`` as ``pulumi.dynamic.Resource`` builds it (a :class:`Secret` by default)."""
    blob, contains = private.pickle_provider(provider)
    if getattr(provider, "serialize_as_secret_always", True) or contains:
        return Secret(blob)
    return blob


def import_root(module: ModuleType | str) -> Path:
    """The ``sys.path`` entry that makes ``module`` importable under its current name.

    A provider class is pickled by reference (module path + class name); the plugin process must be
    able to import that module, so pass this to ``extra_pythonpath``.
    """
    mod = sys.modules[module] if isinstance(module, str) else module
    if mod.__file__ is None:
        raise ValueError(f"module {mod.__name__} has no file")
    path = Path(mod.__file__).resolve()
    depth = mod.__name__.count(".") + (2 if path.name == "__init__.py" else 1)
    return path.parents[depth - 1]


def read_project_name(project_dir: Path) -> str | None:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        path = project_dir / candidate
        if path.is_file():
            # Only the top-level `name:` is needed; no YAML dependency for that.
            match = re.search(r"^name:\s*['\"]?([^'\"#\s]+)", path.read_text(), re.MULTILINE)
            if match:
                return match.group(1)
    return None


def normalise_config(config: Mapping[str, Any], project: str) -> dict[str, Any]:
    """Stack config as the engine holds it: namespaced keys, string values (objects as JSON)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        full_key = key if ":" in key else f"{project}:{key}"
        secret = isinstance(value, Secret)
        raw = value.value if isinstance(value, Secret) else value
        text = raw if isinstance(raw, str) else json.dumps(raw)
        out[full_key] = Secret(text) if secret else text
    return out


@contextlib.contextmanager
def program_environment(project_dir: Path | None, env: Mapping[str, str]) -> Iterator[None]:
    """While a program runs: ``env`` set and, given a project directory, that directory as the
    working directory and first on ``sys.path``, as the language host runs ``__main__.py``."""
    old_cwd = Path.cwd()
    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    if project_dir is not None:
        os.chdir(project_dir)
        sys.path.insert(0, str(project_dir))
    try:
        yield
    finally:
        if project_dir is not None:
            os.chdir(old_cwd)
            with contextlib.suppress(ValueError):
                sys.path.remove(str(project_dir))
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
