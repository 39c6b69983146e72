"""A simulator state kept on disk, so a test process that exits leaves no order nobody knows of.

The engine keeps its state in a backend; the simulator kept it only in memory, so a test run
against a sandbox that died (or a `--pdb` session quit) forgot the orders it had created. With a
state file, the next ``ProgramRunner`` on the same file sees them and can refresh or destroy them.

Secrets are not written: a secret value on disk in clear text is a leak. Two are kept, because
without them an order cannot be read or released again and neither holds personal data: the
pickled provider (``__provider``, a class named by reference) and ``progress`` (fingerprints of
what was sent). Every other secret is written as a placeholder; the next ``up`` takes the program's
current value for it, so a registration changed while the process was gone is not seen as a change,
and a secret output no program gives (the review log) is empty until the provider reads it again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sinch_numbers.resources.number_order.schema import NumberOrderProperties

from .simulator import ResourceState
from .values import Secret

KEPT_SECRETS = frozenset({"__provider", NumberOrderProperties.progress.name})
_VERSION = 1


class _Dropped:
    """The placeholder a secret value not written to the file reads back as."""

    def __repr__(self) -> str:
        return "<secret not kept on disk>"


DROPPED = _Dropped()


def _encode(value: Any, key: str | None) -> Any:
    if isinstance(value, Secret):
        if key in KEPT_SECRETS:
            return {"__secret__": True, "value": _encode(value.value, None)}
        return {"__secret__": True}
    if isinstance(value, Mapping):
        return {k: _encode(v, None) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v, None) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get("__secret__") is True:
            return Secret(_decode(value["value"])) if "value" in value else Secret(DROPPED)
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _encode(v, k) for k, v in props.items()}


def save(path: Path, state: Mapping[str, ResourceState], stack_outputs: Mapping[str, Any]) -> None:
    data = {
        "version": _VERSION,
        "resources": [
            {
                "urn": res.urn,
                "id": res.id,
                "inputs": _props(res.inputs),
                "outputs": _props(res.outputs),
                "additional_secret_outputs": list(res.additional_secret_outputs),
                "protect": res.protect,
                "retain_on_delete": res.retain_on_delete,
            }
            for res in state.values()
        ],
        "stack_outputs": _props(stack_outputs),
    }
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    temporary.replace(path)


def load(path: Path) -> tuple[dict[str, ResourceState], dict[str, Any]]:
    """The state and stack outputs in ``path``; empty when there is no file yet."""
    if not path.exists():
        return {}, {}
    data = json.loads(path.read_text())
    if data.get("version") != _VERSION:
        raise ValueError(f"{path}: not a state file of this version ({data.get('version')!r})")
    state = {
        raw["urn"]: ResourceState(
            urn=raw["urn"],
            id=raw["id"],
            inputs=_decode(raw["inputs"]),
            outputs=_outputs(_decode(raw["outputs"]), raw["inputs"]),
            additional_secret_outputs=tuple(raw["additional_secret_outputs"]),
            protect=bool(raw["protect"]),
            retain_on_delete=bool(raw["retain_on_delete"]),
        )
        for raw in data["resources"]
    }
    return state, _decode(data["stack_outputs"])


def _outputs(outputs: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A secret output that is no input (the server's free text, such as the review log) has
    no program value to take: it is empty, still secret, until the provider reads it again."""
    return {
        key: Secret(None)
        if isinstance(value, Secret) and value.value is DROPPED and key not in inputs
        else value
        for key, value in outputs.items()
    }


def fill_dropped(res: ResourceState, goal: Mapping[str, Any]) -> set[str]:
    """Secrets the file did not keep take the program's value now (inputs and outputs);
    returns the properties filled in."""
    filled: set[str] = set()
    for props in (res.inputs, res.outputs):
        for key, value in props.items():
            if isinstance(value, Secret) and value.value is DROPPED and key in goal:
                props[key] = goal[key] if isinstance(goal[key], Secret) else Secret(goal[key])
                filled.add(key)
    return filled
