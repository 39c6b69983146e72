"""Figure 7 of `make bench`: the package's provider plugin (`pulumi-resource-sinch`).

Measured in one run, as ratios to limits of the same run:

* start-up to first answer: the plugin launched, configured and answering its first Check,
  against the dynamic provider's plugin doing the same (medians of a few launches each);
* `pulumi up --parallel 16` of many orders over four pairs through the plugin and the real CLI,
  wall time against the ideal of ceil(orders / 16) x one order's chain, that chain measured in
  the same run (Check then Create of one order in a fresh plugin process, every call cold).
"""

from __future__ import annotations

import contextlib
import math
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
from workload import OrderSpec

from sinch_numbers.core.schema import pulumi_name
from sinch_numbers.testing import DynamicProviderPlugin, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.package_plugin import PackagePlugin
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner

ORDER = "sinch:numbers:NumberOrder"
PARALLEL = 16
UP_WALL_FACTOR = 1.3
LAUNCHES = 3
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"


def _package_inputs(spec: OrderSpec) -> dict[str, Any]:
    """The order's inputs as the package spells them: camelCase, documents as file assets, the
    KYC data secret (the SDK does that; these programs declare the token directly)."""
    attachments = [
        {
            "requirementId": d.requirement_id,
            "file": pulumi.FileAsset(str(d.path)),
            **({"documentType": d.document_type} if d.document_type else {}),
        }
        for d in spec.documents
    ]
    return {
        pulumi_name(key): value
        for key, value in {
            "region_code": spec.region_code,
            "number_type": spec.number_type,
            "quantity": 1,
            "registration": pulumi.Output.secret(spec.registration),
            "attachments": pulumi.Output.secret(attachments),
            "release_on_destroy": True,
        }.items()
    }


def _program(specs: list[OrderSpec]) -> Callable[[], None]:
    def program() -> None:
        for index, spec in enumerate(specs):
            pulumi.CustomResource(ORDER, f"number-{index:03d}", _package_inputs(spec))

    return program


def _cpu_seconds(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


@contextlib.contextmanager
def _cpu_by_process(runner: PulumiCliRunner) -> Iterator[dict[str, float]]:
    """The CPU seconds the runner's plugin (`pulumi-resource-sinch`) and CLI (`pulumi`)
    processes used, sampled until the block ends: where an up's time goes on a small machine."""
    seen: dict[int, tuple[str, float]] = {}
    totals: dict[str, float] = {}
    done = threading.Event()

    def kind(pid: int) -> str | None:
        with contextlib.suppress(OSError):
            argv = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
            if any(a.endswith(b"pulumi-resource-sinch") for a in argv):
                return "plugin"
            if argv and argv[0].endswith(b"/pulumi"):
                return "cli"
        return None

    def sample() -> None:
        while not done.is_set():
            for process in runner._own_processes():
                found = kind(process.pid)
                cpu = _cpu_seconds(process.pid)
                if found is not None and cpu is not None:
                    seen[process.pid] = (found, max(cpu, seen.get(process.pid, (found, 0.0))[1]))
            done.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield totals
    finally:
        done.set()
        thread.join()
        for found, cpu in seen.values():
            totals[found] = totals.get(found, 0.0) + cpu


def _launch_to_first_answer(make: Callable[[], Any], first_call: Callable[[Any], None]) -> float:
    start = time.perf_counter()
    plugin = make()
    plugin.start()
    try:
        first_call(plugin)
        return time.perf_counter() - start
    finally:
        plugin.close()


def _package_warm_up(plugin: PackagePlugin) -> None:
    # A quantity of 0 fails the offline check, so the first answer needs no API call.
    _inputs, failures = plugin.check(
        plugin.urn("NumberOrder", "warm-up"),
        {"regionCode": "AU", "numberType": "LOCAL", "quantity": 0},
    )
    if [prop for prop, _reason in failures] != ["quantity"]:
        raise RuntimeError(f"warm-up check failed unexpectedly: {failures}")


def startup(
    emulator: EmulatorProcess,
    root: Path,
    project: str,
    dynamic_warm_up: Callable[[DynamicProviderPlugin], None],
    figure: Any,
) -> None:
    config = emulator.stack_config()
    package = [
        _launch_to_first_answer(
            lambda: PackagePlugin(root, config=config, project=project), _package_warm_up
        )
        for _ in range(LAUNCHES)
    ]
    dynamic = [
        _launch_to_first_answer(
            lambda: DynamicProviderPlugin(root, config=config, project=project), dynamic_warm_up
        )
        for _ in range(LAUNCHES)
    ]
    plugin_s, dynamic_s = statistics.median(package), statistics.median(dynamic)
    figure.add(
        f"launch to first answer (Check), pulumi-resource-sinch (median of {LAUNCHES})",
        f"{plugin_s * 1000:.0f} ms",
    )
    figure.add(
        f"the same, the dynamic provider's plugin (median of {LAUNCHES})",
        f"{dynamic_s * 1000:.0f} ms",
    )
    figure.add("  plugin / dynamic", f"{plugin_s / dynamic_s:.2f}x")


def _runner(
    cli: PulumiCli, emulator: EmulatorProcess, specs: list[OrderSpec], work: Path
) -> PulumiCliRunner:
    # The plugin is the console script beside this interpreter: the engine finds it on PATH.
    path = os.pathsep.join([str(cli.bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]])
    return PulumiCliRunner(
        _program(specs), cli=cli, config=emulator.stack_config(), work_dir=work, env={"PATH": path}
    )


def _plugin_inputs(spec: OrderSpec) -> dict[str, Any]:
    """The order's inputs as the engine sends them to the plugin (KYC data secret)."""
    attachments = [
        {
            "requirementId": d.requirement_id,
            "file": str(d.path),
            **({"documentType": d.document_type} if d.document_type else {}),
        }
        for d in spec.documents
    ]
    return {
        "regionCode": spec.region_code,
        "numberType": spec.number_type,
        "quantity": 1,
        "registration": Secret(spec.registration),
        "attachments": Secret(attachments),
        "releaseOnDestroy": True,
    }


def one_chain(emulator: EmulatorProcess, root: Path, project: str, spec: OrderSpec) -> float:
    """One order's chain: Check then Create of one order in a fresh plugin process, every call
    cold (token, lookup, price search, create, registration, uploads, submit), start-up not
    counted; the median of a few."""
    times = []
    for run in range(LAUNCHES):
        with PackagePlugin(root, config=emulator.stack_config(), project=project) as plugin:
            urn = plugin.urn("NumberOrder", f"chain-{run}")
            start = time.perf_counter()
            checked, failures = plugin.check(urn, _plugin_inputs(spec))
            if failures:
                raise RuntimeError(f"the chain's check failed: {failures}")
            plugin.create(urn, checked)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def parallel_up(
    cli: PulumiCli,
    emulator: EmulatorProcess,
    specs: list[OrderSpec],
    latency: float,
    work: Path,
    root: Path,
    project: str,
    figure: Any,
) -> None:
    latency_ms = int(latency * 1000)
    emulator.settings(latency_ms=latency_ms)
    chain = one_chain(emulator, root, project, specs[0])
    figure.add(
        f"one order's chain: Check + Create in a fresh plugin (median of {LAUNCHES})",
        f"{chain * 1000:.0f} ms",
    )
    figure.add(
        "  for reference: its minimum calls x latency",
        f"{specs[0].minimum_calls} x {latency_ms} ms = {specs[0].minimum_calls * latency_ms} ms",
    )
    # The fixed cost of a run through the CLI: the engine, the plugin process and its first
    # answer, which a no-change preview of a one-order stack shows.
    one = _runner(cli, emulator, specs[:1], work / "one")
    created = one.up()
    if not created.ok:
        raise RuntimeError(f"the one-order up failed: {created.error}")
    unchanged = one.preview()
    if not unchanged.ok:
        raise RuntimeError(f"the one-order preview failed: {unchanged.error}")
    fixed = one.last_engine_seconds or 0.0
    figure.add(
        "fixed cost: no-change preview of one order, engine wall time", f"{fixed * 1000:.0f} ms"
    )

    many = _runner(cli, emulator, specs, work / "many")
    emulator.reset_stats()
    own_before = os.times()
    start = time.perf_counter()
    with _cpu_by_process(many) as cpu:
        result = many.up(parallel=PARALLEL)
    command = time.perf_counter() - start
    own_after = os.times()
    if not result.ok:
        raise RuntimeError(f"up of {len(specs)} orders failed: {result.error}")
    wall = many.last_engine_seconds or command
    orders = emulator.stats().get(CREATE, 0)
    pairs = len({(s.region_code, s.number_type) for s in specs})
    ideal = math.ceil(len(specs) / PARALLEL) * chain
    figure.add(
        f"up --parallel {PARALLEL} of {len(specs)} orders over {pairs} pairs: engine wall "
        "(whole command)",
        f"{wall * 1000:.0f} ms ({command * 1000:.0f} ms)",
    )
    figure.add("  orders created", str(orders), str(len(specs)), orders == len(specs))
    figure.add("  most API calls at once (emulator, exact)", str(emulator.max_in_flight()))
    figure.add(
        f"  ideal: ceil({len(specs)} / {PARALLEL}) x one order's chain", f"{ideal * 1000:.0f} ms"
    )
    figure.add(
        "  engine wall / ideal",
        f"{wall / ideal:.2f}x",
        f"<= {UP_WALL_FACTOR:.1f}x",
        wall <= UP_WALL_FACTOR * ideal,
    )
    figure.add("  (engine wall - fixed cost) / ideal", f"{(wall - fixed) / ideal:.2f}x")
    program = (own_after.user + own_after.system) - (own_before.user + own_before.system)
    figure.add(
        "  CPU during the command: plugin / pulumi CLI / inline program (this process)",
        f"{cpu.get('plugin', 0.0):.1f} s / {cpu.get('cli', 0.0):.1f} s / {program:.1f} s "
        f"(wall {command:.1f} s, {os.cpu_count()} CPUs shared)",
    )
    figure.notes.append(
        f"The plugin pulumi-resource-sinch under the real CLI ({cli.version()}), programs inline "
        "through the Automation API declaring the package's token, a local file backend, "
        f"{latency_ms} ms on every API request. The engine's wall time runs from its first event "
        "to its summary. One order's chain is measured in this run: Check then Create of one "
        "order in a fresh plugin process, every call cold; the fixed cost is a no-change "
        "preview of a one-order stack (the engine, the plugin process and its first answer)."
    )
    for runner in (one, many):
        runner.close()
