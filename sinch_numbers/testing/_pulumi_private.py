"""Every part of the Pulumi Python SDK the testing kit uses that is not its public API.

The kit reproduces what the engine puts on the wire and drives the SDK's mock machinery further
than ``pulumi.runtime.set_mocks`` offers, which needs SDK internals: wire sentinels, the provider
pickler, the mock monitor, runtime settings and the SDK's own sync-await. They are all reached
through this module, so an SDK upgrade that moves one breaks here, with a message naming it,
instead of somewhere inside a test run; tests/testing/test_pulumi_private.py checks each one's
shape. Public SDK names (``pulumi.runtime.set_mocks``, ``Mocks``, ``run_in_stack``, the generated
``pulumi.runtime.proto`` modules of the gRPC protocol) are imported where they are used.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Mapping
from importlib import metadata
from typing import Any, Final, TypeVar

TESTED_SDK_VERSIONS: Final[tuple[str, ...]] = ("3.272.0",)
"""The ``pulumi`` (pip) versions every name here was checked with, test suite and engine tier."""

RELIED_ON: Final[tuple[str, ...]] = (
    "pulumi.runtime.rpc.UNKNOWN",
    "pulumi.runtime.rpc._special_sig_key",
    "pulumi.runtime.rpc._special_secret_sig",
    "pulumi.runtime.rpc._special_asset_sig",
    "pulumi.runtime.rpc._special_archive_sig",
    "pulumi.runtime.rpc.serialize_properties",
    "pulumi.runtime.rpc.deserialize_properties",
    "pulumi.runtime.rpc.is_rpc_secret",
    "pulumi.runtime.rpc.wrap_rpc_secret",
    "pulumi.runtime.rpc.unwrap_rpc_secret",
    "pulumi.output.Unknown",
    "pulumi.dynamic.dynamic.serialize_provider",
    "pulumi.runtime._serialization._serialize",
    "pulumi.runtime.mocks.MockMonitor",
    "pulumi.runtime.settings.ROOT",
    "pulumi.runtime.settings.SETTINGS",
    "pulumi.runtime.sync_await._sync_await",
    "pulumi.runtime.sync_await._ensure_event_loop",
)
"""Dotted names of every SDK internal below; the shape test resolves each one."""


def sdk_version() -> str:
    try:
        return metadata.version("pulumi")
    except metadata.PackageNotFoundError:
        return "unknown"


def describe_change(name: str, problem: str) -> str:
    """The message for an SDK internal that is gone or changed: which, and against what."""
    return (
        f"sinch_numbers.testing relies on the Pulumi SDK internal {name}, which {problem} in "
        f"pulumi {sdk_version()} (tested with {', '.join(TESTED_SDK_VERSIONS)}); "
        "see sinch_numbers/testing/_pulumi_private.py"
    )


class PulumiInternalsChanged(ImportError):
    """The installed Pulumi SDK lacks an internal the testing kit needs."""


try:
    from pulumi.dynamic.dynamic import serialize_provider
    from pulumi.output import Unknown
    from pulumi.runtime import rpc
    from pulumi.runtime import settings as _settings
    from pulumi.runtime._serialization import _serialize
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

    UNKNOWN: Final[str] = rpc.UNKNOWN
    """The engine's wire sentinel for a value not known during preview."""
    SIG_KEY: Final[str] = rpc._special_sig_key
    SECRET_SIG: Final[str] = rpc._special_secret_sig
    ASSET_SIG: Final[str] = rpc._special_asset_sig
    ARCHIVE_SIG: Final[str] = rpc._special_archive_sig
    _ROOT: contextvars.ContextVar[Any] = _settings.ROOT
    _SETTINGS: Any = _settings.SETTINGS
except (ImportError, AttributeError) as exc:
    # An AttributeError knows the module and the name; an ImportError only says it in words.
    owner = getattr(getattr(exc, "obj", None), "__name__", None)
    name = getattr(exc, "name", None) if isinstance(exc, AttributeError) else None
    missing = f"{owner}.{name}" if owner and name else str(exc)
    raise PulumiInternalsChanged(describe_change(missing, "is missing")) from exc

_T = TypeVar("_T")

__all__ = [
    "ARCHIVE_SIG",
    "ASSET_SIG",
    "RELIED_ON",
    "SECRET_SIG",
    "SIG_KEY",
    "TESTED_SDK_VERSIONS",
    "UNKNOWN",
    "MockMonitor",
    "PulumiInternalsChanged",
    "Unknown",
    "deserialize_properties",
    "ensure_event_loop",
    "is_rpc_secret",
    "pickle_provider",
    "reset_root_and_outputs",
    "serialize_properties",
    "set_placeholder_root",
    "sync_await",
    "unwrap_rpc_secret",
    "wrap_rpc_secret",
]


def deserialize_properties(struct: Any, *, keep_unknowns: bool | None = None) -> Any:
    return rpc.deserialize_properties(struct, keep_unknowns=keep_unknowns)


def serialize_properties(props: Mapping[str, Any]) -> Any:
    """A resource's properties as the SDK puts them on the wire (a Struct)."""
    return sync_await(rpc.serialize_properties(props, {}))


def is_rpc_secret(value: Any) -> bool:
    return bool(rpc.is_rpc_secret(value))


def wrap_rpc_secret(value: Any) -> Any:
    return rpc.wrap_rpc_secret(value)


def unwrap_rpc_secret(value: Any) -> Any:
    return rpc.unwrap_rpc_secret(value)


def pickle_provider(provider: Any) -> tuple[str, bool]:
    """``__provider`` as ``pulumi.dynamic.Resource`` pickles it: (blob, whether it held secrets)."""
    blob, contains_secrets = _serialize(True, serialize_provider, provider)
    return blob, bool(contains_secrets)


def sync_await(awaitable: Awaitable[_T]) -> _T:
    # The mock monitor answers synchronously from inside the SDK's event loop; the SDK's own
    # helper is what runs a coroutine to completion there.
    return _sync_await(awaitable)


def ensure_event_loop() -> None:
    _ensure_event_loop()  # type: ignore[no-untyped-call]


def set_placeholder_root() -> None:
    # A placeholder root stops set_mocks from registering a throwaway Stack, so the only stack
    # outputs the monitor sees are the program's own.
    _ROOT.set(object())


def reset_root_and_outputs() -> None:
    """After set_mocks: no root yet (the program's stack registers one), no pending outputs."""
    _ROOT.set(None)
    _SETTINGS.outputs = set()
