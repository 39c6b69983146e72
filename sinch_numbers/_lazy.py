"""Module attributes imported on first use, for a package's ``__init__``.

A package lists ``{name: submodule}``; ``lazy_exports`` gives it the ``__getattr__`` and
``__dir__`` that import the submodule when the name is first looked up, so importing the package
costs only what the caller then touches.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(
    package: str,
    exports: Mapping[str, str],
    public: Sequence[str],
    *,
    renamed: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps a name to its submodule.

    ``renamed`` maps an old name to ``(submodule, new name)``: it still resolves, with a
    ``DeprecationWarning`` that names the new one. ``__dir__`` lists the module's globals and
    ``public`` (its ``__all__``).
    """
    old_names = dict(renamed or {})

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is not None:
            return getattr(importlib.import_module(f"{package}.{module}"), name)
        if name in old_names:
            module, new_name = old_names[name]
            warnings.warn(f"{package}.{name} is now {new_name}", DeprecationWarning, stacklevel=2)
            return getattr(importlib.import_module(f"{package}.{module}"), new_name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*vars(importlib.import_module(package)), *public})

    return __getattr__, __dir__
