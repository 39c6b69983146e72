"""The window in which an order exists at Sinch and the engine's state does not hold its id.

From Sinch's answer to createNumberOrder (the emulator stamps the order's ``createTime`` as it
answers) until the file backend's state file first holds a NumberOrder with that id, under the real
CLI (``pulumi up``), with ``wait_for_completion`` false and true. Review is approved a fixed delay
after the order is submitted, so a run that waited for review inside create shows that delay in
its window. A killed or cancelled job loses what is in this window (the record of unsaved orders
in ``SINCH_NUMBERS_STATE_DIR`` then names the order).

    export SINCH_NUMBERS_PULUMI_BIN=$(tools/pulumi-cli.sh --find)
    .venv/bin/python benchmarks/create_window.py

Options: ``--runs N`` (default 5 per mode), ``--review-after S`` (default 3 s), ``--latency-ms M``
(added to every API call, default 0).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from workload import build_specs

from sinch_numbers import NumberOrder
from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCliRunner

PAIR = ("AU", "MOBILE")


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Secret) else value


def _program(inputs: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        NumberOrder("order", **inputs)

    return program


def _saved_order_ids(backend: Path) -> set[str]:
    """Ids of the NumberOrders in the stack's state file, as the engine last wrote it."""
    found: set[str] = set()
    for path in (backend / ".pulumi" / "stacks").rglob("*.json"):
        try:
            deployment = json.loads(path.read_text()).get("checkpoint", {}).get("latest") or {}
        except (OSError, ValueError):
            continue  # caught mid-write: the next poll reads it whole
        for resource in deployment.get("resources") or []:
            if str(resource.get("type", "")).endswith(":NumberOrder") and resource.get("id"):
                found.add(str(resource["id"]))
    return found


def _watch_state(backend: Path, seen: dict[str, float], stop: threading.Event) -> None:
    while not stop.is_set():
        now = time.time()
        for order_id in _saved_order_ids(backend):
            seen.setdefault(order_id, now)
        time.sleep(0.005)


def _approve_after(emu: EmulatorProcess, delay: float, stop: threading.Event) -> None:
    while not stop.is_set():
        in_review = [o for o in emu.orders() if o["state"] == "IN_REVIEW"]
        if in_review:
            time.sleep(delay)
            emu.review(in_review[0]["idNumberOrder"], "approve")
            return
        time.sleep(0.05)


def _created_at(order: dict[str, Any]) -> float:
    return datetime.fromisoformat(str(order["createTime"]).replace("Z", "+00:00")).timestamp()


def measure(
    emu: EmulatorProcess, inputs: dict[str, Any], review_after: float, latency_ms: int
) -> float:
    """Seconds from the create's answer until the engine's state held the order id."""
    emu.reset()
    emu.clear_faults()
    emu.settings(review_policy="manual")
    if latency_ms:
        emu.add_fault(path=".*", action="latency", latency_ms=latency_ms, times=None)
    with tempfile.TemporaryDirectory(prefix="sinch-numbers-window-") as work:
        runner = PulumiCliRunner(
            _program(inputs),
            config=emu.stack_config(),
            env={"SINCH_NUMBERS_STATE_DIR": str(Path(work) / "record")},
            work_dir=Path(work) / "cli",
            project="sinch-numbers-window",
        )
        seen: dict[str, float] = {}
        stop = threading.Event()
        threads = [
            threading.Thread(target=_watch_state, args=(runner.backend, seen, stop), daemon=True),
            threading.Thread(target=_approve_after, args=(emu, review_after, stop), daemon=True),
        ]
        for thread in threads:
            thread.start()
        try:
            result = runner.up()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=review_after + 5)
            runner.close()
        if not result.ok:
            raise RuntimeError(f"up failed: {result.error}")
        [order] = emu.orders()
        return seen[order["idNumberOrder"]] - _created_at(order)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--review-after", type=float, default=3.0)
    parser.add_argument("--latency-ms", type=int, default=0)
    options = parser.parse_args()
    with start_emulator(review_policy="manual") as emu, tempfile.TemporaryDirectory() as docs:
        spec = build_specs(emu, Path(docs))[PAIR]
        inputs = {k: _plain(v) for k, v in spec.inputs().items()}
        print(f"latency added to each API call: {options.latency_ms} ms")
        print("| wait_for_completion | runs | median | max | review approved after |")
        print("|---|---|---|---|---|")
        for wait in (False, True):
            windows = [
                measure(
                    emu,
                    {**inputs, "wait_for_completion": wait},
                    options.review_after,
                    options.latency_ms,
                )
                for _ in range(options.runs)
            ]
            print(
                f"| {str(wait).lower()} | {len(windows)} | {statistics.median(windows):.2f} s "
                f"| {max(windows):.2f} s | {options.review_after:g} s |"
            )


if __name__ == "__main__":
    main()
