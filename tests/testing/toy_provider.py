"""A toy dynamic provider for testing the harness: a JSON file per resource in a directory.

Importable (pickled by reference); importing it has no side effects.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

_KEYS = ("dir", "label", "token", "dbr")


def _known(value: Any) -> bool:
    return not isinstance(value, Unknown)


class ToyProvider(ResourceProvider):
    """``dir`` change replaces; ``label``/``token`` change updates; ``dbr`` = delete first."""

    def configure(self, req: ConfigureRequest) -> None:
        # Config arrives once per process; stored for echoing so tests can see it arrived.
        self._greeting = req.config.get("toy:greeting")
        self._shout = req.config.get("shout")

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        directory = news.get("dir")
        if directory is None:
            failures.append(CheckFailure("dir", "dir is required"))
        elif _known(directory) and not isinstance(directory, str):
            failures.append(CheckFailure("dir", "dir must be a string"))
        label = news.get("label", "")
        if _known(label) and "!" in str(label):
            failures.append(CheckFailure("label", "label must not contain '!'"))
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in _KEYS if olds.get(k) != news.get(k)]
        replaces = ["dir"] if "dir" in changed else []
        return DiffResult(
            changes=bool(changed), replaces=replaces, delete_before_replace=bool(news.get("dbr"))
        )

    def _outs(self, id_: str, props: dict[str, Any], writes: int) -> dict[str, Any]:
        outs = {k: props[k] for k in _KEYS if k in props}
        outs.update(
            path=str(Path(props["dir"]) / f"{id_}.json"),
            api_key=f"key-{id_}",
            writes=writes,
            greeting=getattr(self, "_greeting", None),
            shout=getattr(self, "_shout", None),
        )
        return outs

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get("label") == "explode":
            raise RuntimeError("toy create failed on purpose")
        if str(props.get("label", "")).startswith("slow"):
            time.sleep(1.5)
        id_ = uuid.uuid4().hex[:12]
        outs = self._outs(id_, props, 1)
        Path(outs["path"]).write_text(json.dumps({"label": props.get("label"), "writes": 1}))
        print(f"toy: created {id_}")
        pulumi.log.info(f"toy: info for {id_}")
        return CreateResult(id_, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        path = Path(props["path"])
        if not path.exists():
            return ReadResult("", {})
        live = json.loads(path.read_text())
        outs = {**props, "label": live["label"], "writes": live["writes"]}
        inputs = {k: outs[k] for k in _KEYS if k in outs}
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        writes = int(olds.get("writes", 0)) + 1
        outs = self._outs(id_, news, writes)
        Path(outs["path"]).write_text(json.dumps({"label": news.get("label"), "writes": writes}))
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        Path(props["path"]).unlink(missing_ok=True)


class ToyResource(Resource, module="toy", name="Thing"):
    """Merges ``additional_secret_outputs`` so secrecy never depends on the caller."""

    path: pulumi.Output[str]
    api_key: pulumi.Output[str]
    writes: pulumi.Output[float]
    label: pulumi.Output[str]
    token: pulumi.Output[str]
    greeting: pulumi.Output[str]

    def __init__(
        self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=["api_key"])
        )
        outputs = {"path": None, "api_key": None, "writes": None, "greeting": None, "shout": None}
        super().__init__(
            ToyProvider(), name, {**outputs, "label": None, "token": None, **props}, opts
        )


class EchoProvider(ResourceProvider):
    """Only ``create``: ``diff`` says DIFF_UNKNOWN and ``update`` returns no outputs."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("echo-1", dict(props))
