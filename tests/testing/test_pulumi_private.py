"""The Pulumi SDK internals the testing kit relies on are all there, with the shape it expects.

Each failure names the internal that moved, the installed SDK and the versions the kit was tested
with, so an SDK upgrade that breaks the kit says where instead of failing deep inside a run.
"""

from __future__ import annotations

import ast
import contextvars
import importlib
import inspect
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import struct_pb2

import sinch_numbers.testing
from sinch_numbers.testing import _pulumi_private as private

from .toy_provider import ToyProvider

KIT = Path(sinch_numbers.testing.__file__).parent


def _resolve(dotted: str) -> Any:
    """The object a dotted name stands for: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def _fail_unless(ok: bool, name: str, problem: str) -> None:
    if not ok:
        pytest.fail(private.describe_change(name, problem), pytrace=False)


def test_every_relied_on_internal_exists() -> None:
    missing = []
    for dotted in private.RELIED_ON:
        try:
            _resolve(dotted)
        except (ImportError, AttributeError):
            missing.append(dotted)
    _fail_unless(not missing, ", ".join(missing), "is missing")


# The engine's wire format (sdk/go/common/resource/sig), which the kit puts on the wire itself.
WIRE_SENTINELS = {
    "UNKNOWN": ("pulumi.runtime.rpc.UNKNOWN", "04da6b54-80e4-46f7-96ec-b56ff0331ba9"),
    "SIG_KEY": ("pulumi.runtime.rpc._special_sig_key", "4dabf18193072939515e22adb298388d"),
    "SECRET_SIG": ("pulumi.runtime.rpc._special_secret_sig", "1b47061264138c4ac30d75fd1eb44270"),
    "ASSET_SIG": ("pulumi.runtime.rpc._special_asset_sig", "c44067f5952c0a294b673a41bacd8c17"),
    "ARCHIVE_SIG": (
        "pulumi.runtime.rpc._special_archive_sig",
        "0def7320c3a5731c473e5ecbe6d01bc7",
    ),
}


@pytest.mark.parametrize("alias", sorted(WIRE_SENTINELS))
def test_the_wire_sentinels_are_the_engines(alias: str) -> None:
    dotted, expected = WIRE_SENTINELS[alias]
    value = getattr(private, alias)
    _fail_unless(value == expected, dotted, f"is {value!r}, not the engine's {expected!r}")


# The leading parameters each internal is called with, in order.
SIGNATURES: dict[str, list[str]] = {
    "pulumi.runtime.rpc.serialize_properties": ["inputs", "property_deps"],
    "pulumi.runtime.rpc.deserialize_properties": ["props_struct", "keep_unknowns"],
    "pulumi.runtime.rpc.is_rpc_secret": ["value"],
    "pulumi.runtime.rpc.wrap_rpc_secret": ["value"],
    "pulumi.runtime.rpc.unwrap_rpc_secret": ["value"],
    "pulumi.runtime._serialization._serialize": ["allow_secrets", "f", "args", "kwargs"],
    "pulumi.dynamic.dynamic.serialize_provider": ["provider"],
    "pulumi.runtime.sync_await._sync_await": ["awaitable"],
    "pulumi.runtime.sync_await._ensure_event_loop": [],
    "pulumi.runtime.mocks.MockMonitor.__init__": ["self", "mocks"],
    "pulumi.runtime.mocks.MockMonitor.make_urn": ["self", "parent", "type_", "name"],
    "pulumi.runtime.mocks.MockMonitor.RegisterResource": ["self", "request"],
    "pulumi.runtime.mocks.MockMonitor.RegisterResourceOutputs": ["self", "request"],
}


@pytest.mark.parametrize("dotted", sorted(SIGNATURES))
def test_each_internal_takes_the_parameters_the_kit_passes(dotted: str) -> None:
    try:
        func = _resolve(dotted)
    except (ImportError, AttributeError):
        pytest.fail(private.describe_change(dotted, "is missing"), pytrace=False)
    expected = SIGNATURES[dotted]
    found = list(inspect.signature(func).parameters)
    _fail_unless(found[: len(expected)] == expected, dotted, f"takes {found}, not {expected} first")


def test_the_mock_monitor_keeps_registrations_as_the_subclass_does() -> None:
    registration = private.MockMonitor.ResourceRegistration
    fields = getattr(registration, "_fields", None)
    _fail_unless(
        fields == ("urn", "id", "state"),
        "pulumi.runtime.mocks.MockMonitor.ResourceRegistration",
        f"has fields {fields}, not (urn, id, state)",
    )
    monitor = private.MockMonitor(None)
    _fail_unless(
        isinstance(getattr(monitor, "resources", None), dict),
        "pulumi.runtime.mocks.MockMonitor.resources",
        "is not a dict of registrations",
    )


def test_the_runtime_settings_hold_a_root_and_pending_outputs() -> None:
    from pulumi.runtime import settings

    _fail_unless(
        isinstance(settings.ROOT, contextvars.ContextVar),
        "pulumi.runtime.settings.ROOT",
        f"is a {type(settings.ROOT).__name__}, not a ContextVar",
    )
    _fail_unless(
        isinstance(getattr(settings.SETTINGS, "outputs", None), set | type(None)),
        "pulumi.runtime.settings.SETTINGS.outputs",
        "is not the set of pending outputs",
    )
    saved = settings.SETTINGS.outputs

    def placeholder_then_reset() -> tuple[object, object]:
        private.set_placeholder_root()
        during = settings.ROOT.get()
        private.reset_root_and_outputs()
        return during, settings.ROOT.get()

    try:
        during, after = contextvars.copy_context().run(placeholder_then_reset)
    finally:
        settings.SETTINGS.outputs = saved
    assert during is not None
    assert after is None


def test_secrets_round_trip_through_the_sdk_helpers() -> None:
    wrapped = private.wrap_rpc_secret("s3cret")
    _fail_unless(private.is_rpc_secret(wrapped), "pulumi.runtime.rpc.is_rpc_secret", "changed")
    _fail_unless(
        private.unwrap_rpc_secret(wrapped) == "s3cret",
        "pulumi.runtime.rpc.unwrap_rpc_secret",
        "does not give back what wrap_rpc_secret wrapped",
    )


def test_properties_round_trip_through_the_sdk_wire() -> None:
    struct = private.serialize_properties({"n": 1, "s": private.wrap_rpc_secret("x")})
    _fail_unless(
        isinstance(struct, struct_pb2.Struct),
        "pulumi.runtime.rpc.serialize_properties",
        f"gives a {type(struct).__name__}, not a Struct",
    )
    back = private.deserialize_properties(struct)
    assert back["n"] == 1
    assert private.is_rpc_secret(back["s"])
    unknown = struct_pb2.Struct()
    unknown.fields["u"].string_value = private.UNKNOWN
    kept = private.deserialize_properties(unknown, keep_unknowns=True)
    _fail_unless(
        isinstance(kept["u"], private.Unknown),
        "pulumi.output.Unknown",
        "is not what deserialize_properties(keep_unknowns=True) gives for an unknown",
    )


def test_the_provider_pickler_gives_a_blob_and_whether_it_held_secrets() -> None:
    blob, contains = private.pickle_provider(ToyProvider())
    _fail_unless(
        isinstance(blob, str) and bool(blob) and isinstance(contains, bool),
        "pulumi.runtime._serialization._serialize",
        "does not give (str, bool) for serialize_provider",
    )


def test_sync_await_runs_a_coroutine_to_completion() -> None:
    async def answer() -> int:
        return 42

    _fail_unless(
        private.sync_await(answer()) == 42,
        "pulumi.runtime.sync_await._sync_await",
        "does not return the coroutine's result",
    )


_INTERNAL_MODULES = frozenset(name.rsplit(".", 1)[0] for name in private.RELIED_ON)
_INTERNAL_ATTRIBUTE = re.compile(
    r"\bpulumi\.(?:output\.|runtime\.(?:rpc|settings|mocks|sync_await|_serialization)\b)"
    r"|\b(?:rpc|settings)\._\w+"
)


def _internals_used(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = [match.group(0) for match in _INTERNAL_ATTRIBUTE.finditer(text)]
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("pulumi"):
            continue
        module = node.module or ""
        for alias in node.names:
            dotted = f"{module}.{alias.name}"
            if (
                module in _INTERNAL_MODULES
                or dotted in _INTERNAL_MODULES
                or dotted in private.RELIED_ON
                or any(part.startswith("_") for part in dotted.split("."))
            ):
                found.append(dotted)
    return found


def test_no_other_module_of_the_kit_reaches_into_the_sdk() -> None:
    used = {
        path.name: _internals_used(path)
        for path in sorted(KIT.glob("*.py"))
        if path.name != "_pulumi_private.py"
    }
    assert not {name: found for name, found in used.items() if found}, (
        "SDK internals belong in sinch_numbers/testing/_pulumi_private.py"
    )


def test_the_check_itself_sees_an_internal() -> None:
    assert _internals_used(KIT / "_pulumi_private.py")


def test_the_installed_sdk_is_one_the_kit_was_tested_with() -> None:
    assert private.TESTED_SDK_VERSIONS, "name the SDK versions the internals were checked with"
    installed = private.sdk_version()
    if installed not in private.TESTED_SDK_VERSIONS:
        # The shape checks above still hold; a version not yet run through the engine tier is
        # worth knowing about, not failing on.
        warnings.warn(
            f"pulumi {installed} is not among the SDK versions the testing kit was tested with "
            f"({', '.join(private.TESTED_SDK_VERSIONS)}): run the engine tier, then add it to "
            "TESTED_SDK_VERSIONS in sinch_numbers/testing/_pulumi_private.py",
            stacklevel=1,
        )
