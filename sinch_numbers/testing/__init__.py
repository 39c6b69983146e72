"""Test your stacks without the Pulumi CLI.

Two levels, both driving the real ``pulumi.dynamic`` plugin process over gRPC as the engine does:

* :mod:`sinch_numbers.testing.plugin`: :class:`DynamicProviderPlugin` (one call at a time) and
  :class:`EngineSimulator` (preview / up / refresh / destroy over a kept state);
* :mod:`sinch_numbers.testing.program`: :class:`ProgramRunner` runs a whole Pulumi program under
  ``pulumi.runtime.set_mocks`` and forwards its dynamic resources to the plugin.

See docs/testing.md.
"""

from __future__ import annotations

from typing import Any

from .plugin import (
    PROVIDER_KEY,
    UNKNOWN,
    CallRecord,
    CheckFailedError,
    CheckOutcome,
    DiffOutcome,
    DynamicProviderPlugin,
    EngineError,
    EngineSimulator,
    Op,
    OperationResult,
    PluginCallError,
    PluginStartError,
    ReadOutcome,
    ResourceSpec,
    ResourceState,
    Secret,
    Step,
    annotate_secrets,
    contains_secrets,
    contains_unknowns,
    dynamic_type,
    import_root,
    make_urn,
    provider_property,
    reveal,
)
from .program import EngineMocks, ProgramResult, ProgramRunner

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
