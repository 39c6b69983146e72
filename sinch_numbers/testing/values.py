"""Property values as the testing kit holds them, and their marshalling.

Values are plain Python data. A secret is :class:`Secret` (the engine's ``resource.MakeSecret``),
an unknown (preview only) is the string :data:`UNKNOWN` (the sentinel the engine puts on the wire).
:func:`to_struct` / :func:`from_struct` convert to and from the gRPC wire the way the engine's
``MarshalProperties`` does; :func:`from_sdk` / :func:`to_sdk` to and from the SDK's own form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pulumi
from google.protobuf import struct_pb2

from . import _pulumi_private as private

__all__ = [
    "UNKNOWN",
    "Secret",
    "annotate_secrets",
    "contains_secrets",
    "contains_unknowns",
    "from_sdk",
    "reveal",
    "to_sdk",
]

UNKNOWN: Final[str] = private.UNKNOWN
"""The engine's wire sentinel for a value not known during preview."""


@dataclass(frozen=True)
class Secret:
    """A secret value, as the engine holds it in state."""

    value: Any

    def __repr__(self) -> str:
        # Test failure output must not print the secret itself.
        return "Secret(***)"


def is_unknown(value: Any) -> bool:
    return (isinstance(value, str) and value == UNKNOWN) or isinstance(value, private.Unknown)


def _any_leaf(value: Any, hit: Callable[[Any], bool]) -> bool:
    """Whether ``hit`` holds for the value or anything inside it (secrets are looked into)."""
    if hit(value):
        return True
    if isinstance(value, Secret):
        return _any_leaf(value.value, hit)
    if isinstance(value, Mapping):
        return any(_any_leaf(v, hit) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_any_leaf(v, hit) for v in value)
    return False


def contains_unknowns(value: Any) -> bool:
    return _any_leaf(value, is_unknown)


def contains_secrets(value: Any) -> bool:
    return _any_leaf(value, lambda v: isinstance(v, Secret))


def reveal(value: Any) -> Any:
    """Strip every :class:`Secret` wrapper: what the engine sends a plugin without secrets."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return value


def annotate_secrets(outs: dict[str, Any] | None, ins: Mapping[str, Any] | None) -> None:
    """Re-mark outputs secret the way the engine does after a call to a plugin without secrets.

    Same-named keys only; two objects are recursed into so one secret field does not taint a
    whole structure; any other output whose input contained a secret becomes secret entirely.
    """
    if outs is None or ins is None:
        return
    for key, in_value in ins.items():
        if key not in outs:
            continue
        out_value = outs[key]
        if isinstance(out_value, dict) and isinstance(in_value, Mapping):
            annotate_secrets(out_value, in_value)
        elif not isinstance(out_value, Secret) and contains_secrets(in_value):
            outs[key] = Secret(out_value)


def apply_additional_secret_outputs(outs: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in outs and not isinstance(outs[name], Secret):
            outs[name] = Secret(outs[name])


def _asset_hash(asset: Any) -> str | None:
    # The engine hashes assets when the program registers them; a missing file simply has no hash.
    try:
        if isinstance(asset, pulumi.StringAsset):
            return hashlib.sha256(asset.text.encode()).hexdigest()
        if isinstance(asset, pulumi.FileAsset):
            return hashlib.sha256(Path(str(asset.path)).read_bytes()).hexdigest()
    except OSError:
        return None
    return None


def to_value(
    value: Any, *, keep_secrets: bool, keep_unknowns: bool, elide_assets: bool
) -> struct_pb2.Value | None:
    """Marshal one value like the engine's ``MarshalPropertyValue``; None means "drop it"."""
    kw = {
        "keep_secrets": keep_secrets,
        "keep_unknowns": keep_unknowns,
        "elide_assets": elide_assets,
    }
    if is_unknown(value):
        # Outside preview the engine silently drops unknowns instead of sending them.
        return struct_pb2.Value(string_value=UNKNOWN) if keep_unknowns else None
    if value is None:
        return struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
    if isinstance(value, Secret):
        inner = to_value(value.value, **kw)
        if not keep_secrets or inner is None:
            return inner
        wrapped = struct_pb2.Struct()
        wrapped.fields[private.SIG_KEY].string_value = private.SECRET_SIG
        wrapped.fields["value"].CopyFrom(inner)
        return struct_pb2.Value(struct_value=wrapped)
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, int | float):
        return struct_pb2.Value(number_value=float(value))
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value)
    if isinstance(value, pulumi.Asset):
        return _asset_to_value(value, elide_assets)
    if isinstance(value, pulumi.Archive):
        return _archive_to_value(value, elide_assets)
    if isinstance(value, Mapping):
        return struct_pb2.Value(struct_value=to_struct(value, **kw))
    if isinstance(value, list | tuple):
        items = [to_value(v, **kw) for v in value]
        null = struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
        return struct_pb2.Value(
            list_value=struct_pb2.ListValue(values=[v if v is not None else null for v in items])
        )
    raise TypeError(f"cannot marshal a value of type {type(value).__name__} to the engine wire")


def _asset_to_value(asset: Any, elide: bool) -> struct_pb2.Value:
    obj: dict[str, Any] = {private.SIG_KEY: private.ASSET_SIG}
    digest = _asset_hash(asset)
    if digest is not None:
        obj["hash"] = digest
    if not elide:
        for attr in ("path", "text", "uri"):
            if hasattr(asset, attr):
                obj[attr] = str(getattr(asset, attr))
                break
    return struct_pb2.Value(
        struct_value=to_struct(obj, keep_secrets=False, keep_unknowns=False, elide_assets=elide)
    )


def _archive_to_value(archive: Any, elide: bool) -> struct_pb2.Value:
    obj: dict[str, Any] = {private.SIG_KEY: private.ARCHIVE_SIG}
    if not elide:
        if hasattr(archive, "assets"):
            obj["assets"] = archive.assets
        elif hasattr(archive, "path"):
            obj["path"] = str(archive.path)
        elif hasattr(archive, "uri"):
            obj["uri"] = str(archive.uri)
    return struct_pb2.Value(
        struct_value=to_struct(obj, keep_secrets=False, keep_unknowns=False, elide_assets=elide)
    )


def to_struct(
    props: Mapping[str, Any], *, keep_secrets: bool, keep_unknowns: bool, elide_assets: bool
) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    for key, value in props.items():
        marshalled = to_value(
            value, keep_secrets=keep_secrets, keep_unknowns=keep_unknowns, elide_assets=elide_assets
        )
        if marshalled is not None:
            out.fields[key].CopyFrom(marshalled)
    return out


def from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "null_value" or kind is None:
        return None
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        return value.number_value
    if kind == "string_value":
        return value.string_value
    if kind == "list_value":
        return [from_value(v) for v in value.list_value.values]
    return _from_struct_value(value.struct_value)


def _from_struct_value(struct: struct_pb2.Struct) -> Any:
    if private.SIG_KEY in struct.fields:
        sig = struct.fields[private.SIG_KEY].string_value
        if sig == private.SECRET_SIG:
            return Secret(from_value(struct.fields["value"]))
        if sig in (private.ASSET_SIG, private.ARCHIVE_SIG):
            return private.deserialize_properties(struct)
    return from_struct(struct)


def from_struct(struct: struct_pb2.Struct | None) -> dict[str, Any]:
    if struct is None:
        return {}
    return {k: from_value(v) for k, v in struct.fields.items()}


def from_sdk(value: Any) -> Any:
    """SDK wire form (wrapped secrets, ``Unknown()``) -> the harness model (Secret, UNKNOWN)."""
    if private.is_rpc_secret(value):
        return Secret(from_sdk(private.unwrap_rpc_secret(value)))
    if isinstance(value, private.Unknown):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: from_sdk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_sdk(v) for v in value]
    return value


def to_sdk(value: Any) -> Any:
    """The harness model -> what a monitor hands back to the SDK (secrets become secret Outputs)."""
    if isinstance(value, Secret):
        return private.wrap_rpc_secret(to_sdk(value.value))
    if isinstance(value, dict):
        return {k: to_sdk(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_sdk(v) for v in value]
    return value
