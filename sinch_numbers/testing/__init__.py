"""Test your stacks without the Pulumi CLI.

Two levels, both driving the real ``pulumi.dynamic`` plugin process over gRPC as the engine does:

* :class:`DynamicProviderPlugin` (:mod:`.plugin`, one call at a time) and :class:`EngineSimulator`
  (:mod:`.simulator`, preview / up / refresh / destroy over a kept state);
* :class:`ProgramRunner` (:mod:`.program`) runs a whole Pulumi program under
  ``pulumi.runtime.set_mocks`` and forwards its dynamic resources to the plugin.

Values (:class:`Secret`, :data:`UNKNOWN`) are those of :mod:`.values`; :mod:`.pulumi_cli` runs the
same programs through the real CLI. See docs/testing.md.
"""

from __future__ import annotations

from typing import Any

from .mocks import EngineMocks
from .plugin import CheckOutcome, DiffOutcome, DynamicProviderPlugin, ReadOutcome
from .plugin_process import CallRecord, PluginCallError, PluginStartError
from .program import ProgramRunner
from .project import PROVIDER_KEY, dynamic_type, import_root, make_urn, provider_property
from .results import ProgramResult
from .simulator import (
    CheckFailedError,
    EngineError,
    EngineSimulator,
    Op,
    OperationResult,
    ResourceSpec,
    ResourceState,
    Step,
)
from .values import UNKNOWN, Secret, annotate_secrets, contains_secrets, contains_unknowns, reveal

__all__ = [
    "PROVIDER_KEY",
    "UNKNOWN",
    "CallRecord",
    "CheckFailedError",
    "CheckOutcome",
    "DiffOutcome",
    "DynamicProviderPlugin",
    "EngineError",
    "EngineMocks",
    "EngineSimulator",
    "Op",
    "OperationResult",
    "PluginCallError",
    "PluginStartError",
    "ProgramResult",
    "ProgramRunner",
    "ReadOutcome",
    "ResourceSpec",
    "ResourceState",
    "Secret",
    "Step",
    "annotate_secrets",
    "contains_secrets",
    "contains_unknowns",
    "dynamic_type",
    "import_root",
    "make_urn",
    "provider_property",
    "reveal",
]


def __getattr__(name: str) -> Any:
    # The emulator is optional (extra dependencies) and owned elsewhere; import it only on use.
    if name == "emulator":
        import importlib

        return importlib.import_module(f"{__name__}.emulator")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
