"""Figure 6 of `make bench`: the same work through the real Pulumi CLI.

The engine adds its own costs on top of the plugin's: starting the CLI, the plugin process and the
inline program's language server, planning, and writing the state after each step. They are
measured here in one run, as ratios to limits of the same run:

* the fixed start-up cost: a preview of one unchanged order (engine, plugin process, first call);
* `pulumi preview` of an unchanged stack: wall time per resource above the fixed cost, and the
  plugin's CPU share of it;
* `pulumi up` of many orders over a few pairs: wall time against the ideal of (orders / 4) x one
  order's chain (the plugin serves four calls at a time).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workload import OrderSpec

from sinch_numbers import NumberOrder
from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner

PLUGIN_CONCURRENCY = 4
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
ENGINE_UP_WALL_FACTOR = 1.3


def _plain(value: Any) -> Any:
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _program(specs: list[OrderSpec]) -> Callable[[], None]:
    def program() -> None:
        for index, spec in enumerate(specs):
            NumberOrder(f"number-{index:03d}", **_plain(spec.inputs()))

    return program


def _cpu_seconds(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks
    return None


@contextlib.contextmanager
def _plugin_cpu(runner: PulumiCliRunner) -> Iterator[dict[int, float]]:
    """The CPU seconds each plugin process of ``runner`` used, sampled until it ends."""
    seen: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in runner._plugin_pids():
                cpu = _cpu_seconds(pid)
                if cpu is not None:
                    seen[pid] = max(cpu, seen.get(pid, 0.0))
            done.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        done.set()
        thread.join()


def _timed(runner: PulumiCliRunner, operation: Callable[[], Any]) -> tuple[float, float, Any]:
    """(the command's wall time, the engine's own, the result)."""
    start = time.perf_counter()
    result = operation()
    wall = time.perf_counter() - start
    return wall, runner.last_engine_seconds or wall, result


def real_engine(
    cli: PulumiCli,
    emulator: EmulatorProcess,
    preview_specs: list[OrderSpec],
    up_specs: list[OrderSpec],
    latency: float,
    work: Path,
    figure: Any,
) -> None:
    config = emulator.stack_config()
    # The fixed cost: the engine, the plugin process and its first call, with nothing to do (a
    # preview of one unchanged order makes no API call).
    one = PulumiCliRunner(_program(up_specs[:1]), cli=cli, config=config, work_dir=work / "one")
    emulator.settings(latency_ms=0)
    one.up()
    emulator.settings(latency_ms=int(latency * 1000))
    command, fixed, _ = _timed(one, one.preview)
    figure.add(
        "fixed cost: preview of one unchanged order (engine / whole command)",
        f"{fixed * 1000:.0f} ms / {command * 1000:.0f} ms",
    )

    # Preview of an unchanged stack: built without latency (not measured), previewed with it.
    stack = PulumiCliRunner(
        _program(preview_specs), cli=cli, config=config, work_dir=work / "preview"
    )
    emulator.settings(latency_ms=0)
    built = stack.up()
    if not built.ok:
        raise RuntimeError(f"building the preview stack failed: {built.error}")
    emulator.settings(latency_ms=int(latency * 1000))
    emulator.reset_stats()
    with _plugin_cpu(stack) as cpu:
        _command, wall, result = _timed(stack, stack.preview)
    if not result.ok:
        raise RuntimeError(f"preview failed: {result.error}")
    n = len(preview_specs)
    unchanged = sum(1 for op in result.ops().values() if op.value == "same")
    above = max(wall - fixed, 1e-9)
    plugin_cpu = sum(cpu.values())
    figure.add(f"preview of {n} unchanged resources: engine wall time", f"{wall * 1000:.0f} ms")
    figure.add("  resources reported unchanged", str(unchanged), str(n), unchanged == n)
    figure.add("  API calls", str(sum(emulator.stats().values())), "= 0", not emulator.stats())
    figure.add("  wall time per resource, above the fixed cost", f"{above / n * 1000:.1f} ms")
    figure.add(
        "  plugin's share (plugin CPU / wall above the fixed cost)",
        f"{plugin_cpu / above:.0%} ({plugin_cpu * 1000:.0f} ms CPU)",
    )

    # up of many orders: wall against the ideal of (orders / 4) x one order's chain.
    orders = PulumiCliRunner(_program(up_specs), cli=cli, config=config, work_dir=work / "up")
    emulator.reset_stats()
    command, wall, result = _timed(orders, orders.up)
    if not result.ok:
        raise RuntimeError(f"up failed: {result.error}")
    created = emulator.stats().get(CREATE, 0)
    pairs = len({(s.region_code, s.number_type) for s in up_specs})
    chain = sum(s.minimum_calls for s in up_specs) / len(up_specs) * latency
    ideal = len(up_specs) / PLUGIN_CONCURRENCY * chain
    figure.add(
        f"up of {len(up_specs)} orders over {pairs} pairs: engine wall time (whole command)",
        f"{wall * 1000:.0f} ms ({command * 1000:.0f} ms)",
    )
    figure.add("  orders created", str(created), str(len(up_specs)), created == len(up_specs))
    figure.add("  ideal ((orders / 4) x one order's chain)", f"{ideal * 1000:.0f} ms")
    figure.add("  engine wall / ideal", f"{wall / ideal:.2f}x")
    figure.add(
        "  (engine wall - fixed cost) / ideal",
        f"{(wall - fixed) / ideal:.2f}x",
        f"<= {ENGINE_UP_WALL_FACTOR:.1f}x",
        wall - fixed <= ENGINE_UP_WALL_FACTOR * ideal,
    )
    figure.notes.append(
        f"The real CLI ({cli.version()}), inline programs through the Automation API, a local "
        "file backend. The engine's wall time runs from its first event to its summary; the whole "
        "command adds starting the CLI and the Automation API's follow-up commands (stack "
        "outputs, history). The fixed cost is a preview of one unchanged order: the engine, the "
        "plugin process and its first call, no API call; one "
        "order's chain is its minimum calls x latency, averaged over the mix."
    )
    for runner in (one, stack, orders):
        runner.close()
