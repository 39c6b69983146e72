"""The path a create's inputs take through the package's layers, measured while it runs.

    .venv/bin/python tools/call_path.py

Starts the emulator, points the providers at it (the ``SINCH_*`` variables, as the plugin reads
them), and calls in this process ``NumberOrderProvider().create`` with a valid KYC order's
inputs as its ``check`` returns them, ``ActiveNumberProvider().create`` for a number already
active, and ``NumberOrderCompletionProvider().create`` for the order once it is approved. While
each create runs, a profile hook (``sys.setprofile``, and ``threading.setprofile`` for threads
started meanwhile) sees every call into a function defined in ``sinch_numbers/``; its caller is
the nearest frame up the same thread's stack whose code is in ``sinch_numbers/`` too. Each
module maps to its layer by its path, as ``tests/unit/test_layers.py`` reads it:

    leaves (errors, configuration, _lazy: any layer may use them) < api < kyc < core
        < resources < hooks (provider, active_number, completion, lookups) < resource

Comprehensions, lambdas and generators belong to the module that defines them. For each create
it prints:
- the layers the call tree enters, in the order of the calls, each stay once;
- the climbs: calls in which a function of a lower layer calls one of a higher layer (a callback
  handed down), with each caller -> callee pair and how often;
- the most climbs along any single chain from the create down to a leaf.

Counts only, never times: a run prints the same layers, modules and climbs each time. One count
depends on the machine: the completion's number of calls grows with the processes its engine
watch reads from /proc (the tool's parent's children). Exits 1 when a chain climbs more than once.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sinch_numbers"
sys.path.insert(0, str(ROOT))

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator  # noqa: E402

LAYERS = ("leaves", "api", "kyc", "core", "resources", "hooks", "resource")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# A module's first path part under sinch_numbers/ -> its layer (as in tests/unit/test_layers.py).
LAYER_OF_PART = {
    "api": "api",
    "kyc": "kyc",
    "core": "core",
    "_lazy": "leaves",
    "errors": "leaves",
    "configuration": "leaves",
    "resources": "resources",
    "provider": "hooks",
    "active_number": "hooks",
    "completion": "hooks",
    "lookups": "hooks",
    "resource": "resource",
}
MAX_CLIMBS = 1
US_LOCAL = "+13075551000"
KYC_PAIR = ("AU", "LOCAL")


def module_of(filename: str) -> str | None:
    """The module's path under sinch_numbers/ (``core/log.py``), or None outside the package."""
    try:
        return Path(filename).resolve().relative_to(PACKAGE).as_posix()
    except ValueError:
        return None


def layer_of(module: str) -> str:
    """The layer of a module path under sinch_numbers/; outside the layers, its first part."""
    first = module.split("/", 1)[0].removesuffix(".py")
    return LAYER_OF_PART.get(first, first)


@dataclass(frozen=True)
class Climb:
    caller: str
    """``module:function`` of the lower layer's function."""
    callee: str
    """``module:function`` of the higher layer's function it called."""


@dataclass
class CallPath:
    """What one create's call tree did, layer by layer."""

    name: str
    layers: list[str] = field(default_factory=list)
    """The layers entered in the order of the calls, each stay once."""
    modules: list[str] = field(default_factory=list)
    """The same, module by module."""
    calls: int = 0
    climbs: Counter[Climb] = field(default_factory=Counter)
    most_climbs_in_a_chain: int = 0
    worst_chain: tuple[str, ...] = ()
    threads: int = 0

    @property
    def climb_count(self) -> int:
        return sum(self.climbs.values())

    def lines(self) -> list[str]:
        out = [
            f"{self.name}",
            f"  calls between package functions: {self.calls} "
            f"(in {self.threads} thread{'s' if self.threads != 1 else ''})",
            f"  layers entered ({len(self.layers)} stays): {' > '.join(self.layers)}",
            f"  modules entered ({len(self.modules)} stays): {' > '.join(self.modules)}",
            f"  climbs (a lower layer calling a higher one): {self.climb_count}",
        ]
        for climb, count in sorted(
            self.climbs.items(), key=lambda kv: (kv[0].caller, kv[0].callee)
        ):
            out.append(f"    {climb.caller} -> {climb.callee}: {count}")
        out.append(f"  most climbs along one chain: {self.most_climbs_in_a_chain}")
        if self.worst_chain:
            out.append(f"    e.g. {' -> '.join(self.worst_chain)}")
        return out


def _name(frame: FrameType, module: str) -> str:
    code = frame.f_code
    return f"{module}:{getattr(code, 'co_qualname', code.co_name)}"


class _Recorder:
    """The profile hook: one entry per live package frame (its chain's climbs and its path)."""

    def __init__(self, path: CallPath) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.live: dict[int, tuple[FrameType, int, tuple[str, ...]]] = {}
        self.threads: set[int] = set()

    def _enclosing(self, frame: FrameType) -> tuple[FrameType, str] | None:
        parent = frame.f_back
        while parent is not None:
            module = module_of(parent.f_code.co_filename)
            if module is not None:
                return parent, module
            parent = parent.f_back
        return None

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "return":
            with self.lock:
                self.live.pop(id(frame), None)
            return
        if event != "call":
            return
        module = module_of(frame.f_code.co_filename)
        if module is None:
            return
        layer = layer_of(module)
        name = _name(frame, module)
        with self.lock:
            path = self.path
            path.calls += 1
            self.threads.add(threading.get_ident())
            if not path.layers or path.layers[-1] != layer:
                path.layers.append(layer)
            if not path.modules or path.modules[-1] != module:
                path.modules.append(module)
            enclosing = self._enclosing(frame)
            climbs = 0
            chain: tuple[str, ...] = (name,)
            if enclosing is not None:
                parent, parent_module = enclosing
                entry = self.live.get(id(parent))
                if entry is not None and entry[0] is parent:
                    climbs, chain = entry[1], (*entry[2], name)
                if RANK.get(layer_of(parent_module), -1) < RANK.get(layer, -1):
                    path.climbs[Climb(_name(parent, parent_module), name)] += 1
                    climbs += 1
            self.live[id(frame)] = (frame, climbs, chain)
            if climbs > path.most_climbs_in_a_chain:
                path.most_climbs_in_a_chain = climbs
                path.worst_chain = chain


def record(name: str, create: Callable[[], Any]) -> CallPath:
    """Runs ``create`` under the profile hook; what its call tree did."""
    path = CallPath(name)
    recorder = _Recorder(path)
    threading.setprofile(recorder)
    sys.setprofile(recorder)
    try:
        create()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    path.threads = len(recorder.threads)
    return path


@contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _activate(emulator: EmulatorProcess, phone_number: str) -> None:
    """Makes a US number active the way Sinch does: an order the reviewer approves."""
    creds = emulator.credentials
    with httpx.Client(
        base_url=f"{emulator.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    ) as api:
        created = api.post(
            "/numberOrders:createNumberOrder",
            json={
                "regionCode": "US",
                "numberType": "LOCAL",
                "numberOrderOption": {"phoneNumbers": [phone_number]},
            },
        )
        created.raise_for_status()
        order_id = created.json()["idNumberOrder"]
        api.post(f"/numberOrders/{order_id}/submit").raise_for_status()
    emulator.review(order_id, "approve")


def _kyc_order(emulator: EmulatorProcess, directory: Path) -> dict[str, Any]:
    """A valid KYC order's inputs, as the resource registers them (its documents written out)."""
    region_code, number_type = KYC_PAIR
    sample = emulator.sample(region_code, number_type)
    attachments = []
    for item in sample.attachments:
        if not item.mandatory:
            continue
        file = directory / f"{item.requirement_id}-{item.file_name}"
        file.write_bytes(item.content)
        attachment = {"requirement_id": item.requirement_id, "file": str(file)}
        if item.document_type:
            attachment["document_type"] = item.document_type
        attachments.append(attachment)
    return {
        "region_code": region_code,
        "number_type": number_type,
        "quantity": 1,
        "registration": sample.registration,
        "attachments": attachments,
        "wait_for_completion": False,
    }


def _checked(provider: Any, news: dict[str, Any]) -> dict[str, Any]:
    """What the engine passes to create: the provider's check's inputs, which must not fail."""
    result = provider.check({}, news)
    if result.failures:
        rules = [(f.property, f.reason) for f in result.failures]
        raise SystemExit(f"{type(provider).__name__}.check failed: {rules}")
    inputs: dict[str, Any] = result.inputs
    return inputs


def measure(emulator: EmulatorProcess) -> list[CallPath]:
    """The call paths of the three creates, against ``emulator`` (reset first)."""
    from sinch_numbers.active_number import ActiveNumberProvider
    from sinch_numbers.completion import NumberOrderCompletionProvider
    from sinch_numbers.provider import NumberOrderProvider

    emulator.reset()
    emulator.settings(review_policy="manual")
    paths = []
    with (
        tempfile.TemporaryDirectory(prefix="sinch-call-path-") as work,
        _environment({**emulator.env(), "SINCH_NUMBERS_STATE_DIR": str(Path(work) / "state")}),
    ):
        orders = NumberOrderProvider()
        props = _checked(orders, _kyc_order(emulator, Path(work)))
        created: list[str] = []
        paths.append(
            record(
                "NumberOrderProvider.create",
                lambda: created.append(orders.create(props).id),
            )
        )

        _activate(emulator, US_LOCAL)
        numbers = ActiveNumberProvider()
        number = _checked(
            numbers,
            {
                "phone_number": US_LOCAL,
                "display_name": "Support line",
                "sms_configuration": {"service_plan_id": "plan-a"},
            },
        )
        paths.append(record("ActiveNumberProvider.create", lambda: numbers.create(number)))

        emulator.review(created[0], "approve")
        completions = NumberOrderCompletionProvider()
        completion = _checked(completions, {"order_id": created[0]})
        paths.append(
            record(
                "NumberOrderCompletionProvider.create",
                lambda: completions.create(completion),
            )
        )
    return paths


def main() -> int:
    with start_emulator(review_policy="manual") as emulator:
        paths = measure(emulator)
    for path in paths:
        print("\n".join(path.lines()))
    worst = max(path.most_climbs_in_a_chain for path in paths)
    return 0 if worst <= MAX_CLIMBS else 1


if __name__ == "__main__":
    sys.exit(main())
