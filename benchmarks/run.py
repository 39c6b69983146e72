"""`make bench`: how many round trips an order costs and how well orders overlap.

Runs the real ``pulumi.dynamic`` plugin process against the emulator with latency injected into
every API request, measures the five figures of the performance issue in one run, and writes
``benchmarks/results.md`` with each figure beside its target. Times are compared as ratios to
limits measured or computed in the same run, because absolute times on a small shared machine
are noise; call counts are exact and are also guarded by ``tests/provider/test_call_counts.py``.

    python benchmarks/run.py [--latency-ms 50] [--output benchmarks/results.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from baseline import BaselineScript, BaselineTarget, kept_alive_order
from engine import real_engine
from plugin import parallel_up
from plugin import startup as plugin_startup
from workload import PAIRS, SINGLE_DOCUMENT_PAIR, OrderSpec, build_specs, order_mix

from sinch_numbers.provider import SECRET_OUTPUTS, NumberOrderProvider
from sinch_numbers.resources.number_order.inputs import DECLARATION_INPUT
from sinch_numbers.testing import (
    DynamicProviderPlugin,
    EngineSimulator,
    Op,
    ResourceSpec,
    dynamic_type,
    make_urn,
    provider_property,
)
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli, find_pulumi_cli

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results.md"
PROJECT = "sinch-numbers-bench"
TYPE = dynamic_type("sinch", "NumberOrder")
# pulumi.dynamic serves the engine with a ThreadPoolExecutor(max_workers=4): at most four calls
# run at once, whatever the engine's own parallelism.
PLUGIN_CONCURRENCY = 4

TOKEN = "POST /oauth2/token"  # noqa: S105 - a route name, not a credential
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
REGISTRATION = "PUT /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
UPLOAD = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
SUBMIT = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/submit"
SEARCH = "GET /v1/projects/{projectId}/availableNumbers"

ONE_ORDER_WALL_FACTOR = 1.15
MANY_ORDERS_WALL_FACTOR = 1.25


# --- reporting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    measured: str
    target: str = "-"
    met: bool | None = None
    """None: reported for reference, no target."""


@dataclass
class Figure:
    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, measured: str, target: str = "-", met: bool | None = None) -> None:
        self.rows.append(Row(name, measured, target, met))

    @property
    def targets(self) -> list[Row]:
        return [r for r in self.rows if r.met is not None]


def _met(value: bool | None) -> str:
    return "n/a" if value is None else ("yes" if value else "**NO**")


def render(figures: Sequence[Figure], context: dict[str, str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`benchmarks/run.py`); do not edit by hand. "
        "See docs/performance.md for what is measured and why.",
        "",
        "| run | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in context.items()),
        "",
        "## Summary",
        "",
        "| figure | measured | target | met |",
        "|---|---|---|---|",
    ]
    for figure in figures:
        for row in figure.targets:
            lines.append(
                f"| {figure.number}. {row.name} | {row.measured} | {row.target} | {_met(row.met)} |"
            )
    for figure in figures:
        lines += [
            "",
            f"## {figure.number}. {figure.title}",
            "",
            "| measure | measured | target | met |",
            "|---|---|---|---|",
        ]
        lines += [f"| {r.name} | {r.measured} | {r.target} | {_met(r.met)} |" for r in figure.rows]
        if figure.notes:
            lines.append("")
            lines += [f"- {note}" for note in figure.notes]
    return "\n".join(lines) + "\n"


# --- process measurements ----------------------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (no psutil on the provider's path)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    # The command name may contain spaces; the fields after its closing parenthesis do not.
    fields = raw[raw.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / _CLOCK_TICKS


def status_kib(pid: int, key: str) -> int:
    """A ``/proc/<pid>/status`` memory line such as VmHWM (peak RSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def ratio(value: float) -> str:
    return f"{value:.2f}x"


# --- plugin plumbing ---------------------------------------------------------------------------


_PROVIDER = provider_property(NumberOrderProvider())


def urn(name: str) -> str:
    return make_urn(PROJECT, "bench", TYPE, name)


def with_provider(inputs: dict[str, Any]) -> dict[str, Any]:
    return {**inputs, "__provider": _PROVIDER}


def declared(spec: OrderSpec, declaration: str) -> dict[str, Any]:
    """The inputs as ``NumberOrder`` registers them, with which declaration this is."""
    return {**spec.inputs(), DECLARATION_INPUT: declaration}


def warm_up(plugin: DynamicProviderPlugin) -> None:
    """First call: unpickles ``__provider`` and so imports the provider module.

    The inputs fail the offline check on purpose (a quantity of 0), so ``check`` never looks the
    requirements up: caches, token and connections stay cold.
    """
    outcome = plugin.check(
        urn("warm-up"),
        {},
        with_provider({"region_code": "AU", "number_type": "LOCAL", "quantity": 0}),
    )
    if [prop for prop, _reason in outcome.failures] != ["quantity"]:
        raise RuntimeError(f"warm-up check failed unexpectedly: {outcome.failures}")


@contextmanager
def plugin_for(emulator: EmulatorProcess) -> Iterator[DynamicProviderPlugin]:
    with DynamicProviderPlugin(ROOT, config=emulator.stack_config(), project=PROJECT) as plugin:
        yield plugin


def check_and_create(plugin: DynamicProviderPlugin, name: str, spec: OrderSpec) -> str:
    """What the engine does for a new resource in `up`: Check, then Create."""
    # The declaration NumberOrder passes: orders of identical inputs are different resources.
    checked = plugin.check(urn(name), {}, with_provider(declared(spec, urn(name))))
    if checked.failures:
        raise RuntimeError(f"{name}: check failed: {checked.failures}")
    order_id, outputs = plugin.create(urn(name), checked.inputs)
    if outputs.get("state") != "IN_REVIEW" or outputs.get("failed_step"):
        raise RuntimeError(f"{name}: order {order_id} did not reach IN_REVIEW")
    return order_id


def api_calls(stats: dict[str, int]) -> int:
    return sum(stats.values())


def describe_calls(stats: dict[str, int]) -> str:
    short = {TOKEN: "token", LOOKUP: "lookup", CREATE: "create", REGISTRATION: "registration"}
    short |= {UPLOAD: "upload", SUBMIT: "submit"}
    return ", ".join(f"{short.get(k, k)} {v}" for k, v in sorted(stats.items()))


# --- figures -----------------------------------------------------------------------------------


def calibrate(emulator: EmulatorProcess, figure: Figure) -> float:
    """Round trip of one API request from plain httpx on a kept-alive connection.

    Also warms the emulator, whose first requests pay for its own lazy start-up.
    """
    creds = emulator.credentials
    url = f"{emulator.url}/v1/projects/{creds.project_id}/numberOrders/calibration"
    samples = []
    with httpx.Client(auth=(creds.key_id, creds.key_secret), timeout=10) as client:
        for _ in range(12):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
    measured = statistics.median(samples[2:])
    figure.add("one request, plain httpx, kept-alive (median)", ms(measured))
    return measured


def one_order(
    emulator: EmulatorProcess, spec: OrderSpec, latency: float, runs: int, figure: Figure
) -> None:
    """Median of ``runs`` orders, each the first order of a fresh plugin process."""
    walls, calls, floors = [], [], []
    target = BaselineTarget(emulator.url, emulator.token_url, emulator.credentials)
    for run in range(runs):
        with plugin_for(emulator) as plugin:
            warm_up(plugin)
            emulator.reset_stats()
            start = time.perf_counter()
            check_and_create(plugin, f"one-order-{run}", spec)
            walls.append(time.perf_counter() - start)
        stats = emulator.stats()
        calls.append(stats)
        floors.append(kept_alive_order(target, spec))
    minimum = spec.minimum_calls
    chain = minimum * latency
    wall = statistics.median(walls)
    floor = statistics.median(floors)
    counts = sorted({api_calls(c) for c in calls})
    figure.add(
        "API calls (every run)",
        " / ".join(map(str, counts)),
        f"= {minimum} (minimum)",
        counts == [minimum],
    )
    figure.add("calls by route", describe_calls(calls[-1]))
    figure.add("chain limit (minimum calls x latency)", ms(chain))
    figure.add(f"wall time, Check + Create (median of {runs})", ms(wall))
    figure.add(
        "wall / chain limit",
        ratio(wall / chain),
        f"<= {ONE_ORDER_WALL_FACTOR:.2f}x",
        wall <= ONE_ORDER_WALL_FACTOR * chain,
    )
    figure.add("each run / chain limit", ", ".join(ratio(w / chain) for w in walls))
    figure.add("floor: same calls from plain httpx, one connection", ms(floor))
    figure.add("floor / chain limit (the emulator's own cost)", ratio(floor / chain))
    figure.add("provider overhead over the floor", ms(wall - floor))
    figure.notes.append(
        f"{spec.region_code} {spec.number_type}, {len(spec.documents)} document. Each run is "
        "the first order of a fresh plugin process whose provider module is already imported "
        "(start-up is figure 5): it pays for the client, the token and the lookup."
    )
    figure.notes.append(
        "The floor sends the same minimum requests with nothing but httpx: the gap between it "
        "and the chain limit is the emulator's own service time on this machine."
    )
    figure.notes.append(
        "The provider sends the price search alongside the requirements lookup, so its chain is "
        "one round trip shorter than the floor's, which sends every request after the last: its "
        "overhead over the floor can be below zero."
    )


def many_orders(
    emulator: EmulatorProcess, specs: list[OrderSpec], latency: float, figure: Figure
) -> dict[str, float]:
    with plugin_for(emulator) as plugin:
        assert plugin.pid is not None
        warm_up(plugin)
        hwm_idle = status_kib(plugin.pid, "VmHWM")
        emulator.reset_stats()
        cpu_before = cpu_seconds(plugin.pid)
        start = time.perf_counter()
        with ThreadPoolExecutor(PLUGIN_CONCURRENCY) as pool:
            list(
                pool.map(
                    lambda i: check_and_create(plugin, f"order-{i:03d}", specs[i]),
                    range(len(specs)),
                )
            )
        wall = time.perf_counter() - start
        cpu = cpu_seconds(plugin.pid) - cpu_before
        hwm = status_kib(plugin.pid, "VmHWM")
    stats = emulator.stats()
    pairs = len({(s.region_code, s.number_type) for s in specs})
    ideal = sum(s.minimum_calls for s in specs) * latency / PLUGIN_CONCURRENCY
    figure.add("orders / pairs / concurrent calls", f"{len(specs)} / {pairs} / 4")
    figure.add("token fetches", str(stats.get(TOKEN, 0)), "= 1", stats.get(TOKEN, 0) == 1)
    figure.add(
        "requirement lookups",
        str(stats.get(LOOKUP, 0)),
        f"= {pairs} (one per pair)",
        stats.get(LOOKUP, 0) == pairs,
    )
    figure.add("API calls in all", str(api_calls(stats)))
    figure.add("ideal ((orders / 4) x one order's chain)", ms(ideal))
    figure.add("wall time", ms(wall))
    figure.add(
        "wall / ideal",
        ratio(wall / ideal),
        f"<= {MANY_ORDERS_WALL_FACTOR:.2f}x",
        wall <= MANY_ORDERS_WALL_FACTOR * ideal,
    )
    figure.add("plugin CPU per order", ms(cpu / len(specs)))
    figure.notes.append(
        "One plugin process; four threads each send Check then Create, as the engine does with "
        "its default parallelism. One order's chain is its minimum calls (token and lookup "
        "included) x latency, averaged over the mix, so the ideal assumes no caching at all."
    )
    return {"wall": wall, "hwm_kib": hwm, "hwm_idle_kib": hwm_idle}


def preview(
    emulator: EmulatorProcess, specs: list[OrderSpec], latency_ms: int, figure: Figure
) -> None:
    resources = [
        ResourceSpec(
            f"number-{i:03d}",
            declared(spec, urn(f"number-{i:03d}")),
            provider=NumberOrderProvider(),
            type=TYPE,
            additional_secret_outputs=list(SECRET_OUTPUTS),
        )
        for i, spec in enumerate(specs)
    ]
    # The stack has to exist for diff to run; build it without latency, it is not measured.
    emulator.settings(latency_ms=0)
    with plugin_for(emulator) as plugin:
        builder = EngineSimulator(plugin)
        up = builder.up(resources)
        if not up.ok:
            raise RuntimeError(f"building the preview stack failed: {up.error}")
        state = dict(builder.state)
    emulator.settings(latency_ms=latency_ms)

    # `pulumi preview` starts its own plugin process, so every cache starts cold.
    with plugin_for(emulator) as plugin:
        assert plugin.pid is not None
        warm_up(plugin)
        engine = EngineSimulator(plugin)
        engine.state = state
        plugin.clear_calls()
        emulator.reset_stats()
        cpu_before = cpu_seconds(plugin.pid)
        start = time.perf_counter()
        result = engine.preview(resources)
        wall = time.perf_counter() - start
        cpu = cpu_seconds(plugin.pid) - cpu_before
        methods = [c.method for c in plugin.calls]
    if not result.ok:
        raise RuntimeError(f"preview failed: {result.error}")
    unchanged = sum(1 for op in result.ops().values() if op == Op.SAME)
    stats = emulator.stats()
    pairs = len({(s.region_code, s.number_type) for s in specs})
    lookups = stats.get(LOOKUP, 0)
    numbers_api = api_calls({k: v for k, v in stats.items() if k != TOKEN})
    n = len(specs)
    figure.add("resources / pairs", f"{n} / {pairs}")
    figure.add(
        "plugin calls (Check, Diff)",
        f"{methods.count('Check')}, {methods.count('Diff')}",
        f"{n}, {n}",
        methods.count("Check") == n and methods.count("Diff") == n,
    )
    figure.add("resources unchanged", str(unchanged), str(n), unchanged == n)
    figure.add(
        "Numbers API calls",
        f"{numbers_api} ({lookups} lookups)",
        "= 0: unchanged inputs are not checked again",
        numbers_api == 0,
    )
    figure.add("OAuth token fetches", str(stats.get(TOKEN, 0)), "= 0", stats.get(TOKEN, 0) == 0)
    figure.add("plugin CPU per resource (Check + Diff)", ms(cpu / n))
    figure.add("wall time per resource", ms(wall / n))
    figure.add("wall time", ms(wall))

    # The same resources as a new stack: check validates each and prices what an up would buy.
    with plugin_for(emulator) as plugin:
        warm_up(plugin)
        emulator.reset_stats()
        fresh = EngineSimulator(plugin).preview(resources)
    if not fresh.ok:
        raise RuntimeError(f"preview of a new stack failed: {fresh.error}")
    calls = emulator.stats()
    searches = calls.get(SEARCH, 0)
    figure.add(
        f"new stack of {n}: API calls (lookups + price searches)",
        f"{api_calls({k: v for k, v in calls.items() if k != TOKEN})} "
        f"({calls.get(LOOKUP, 0)} + {searches})",
        f"= {pairs} + {pairs}: one of each per pair and criteria",
        calls.get(LOOKUP, 0) == pairs and searches == pairs,
    )
    figure.notes.append(
        "A fresh plugin process (provider module imported) previews a stack whose resources "
        "all exist and are unchanged: the engine sends Check and Diff for each. CPU is the "
        "plugin process's utime + stime from /proc/<pid>/stat over the preview."
    )


def baseline(
    emulator: EmulatorProcess, specs: list[OrderSpec], ours: float, figure: Figure
) -> None:
    script = BaselineScript(BaselineTarget(emulator.url, emulator.token_url, emulator.credentials))
    emulator.reset_stats()
    start = time.perf_counter()
    script.run(specs)
    wall = time.perf_counter() - start
    stats = emulator.stats()
    figure.add("orders", str(len(specs)))
    figure.add("baseline API calls", str(api_calls(stats)))
    figure.add("baseline wall time", ms(wall))
    figure.add("provider wall time (figure 2)", ms(ours))
    figure.add("provider / baseline", ratio(ours / wall), "< 1.00x", ours < wall)
    figure.add("speed-up", f"{wall / ours:.1f}x faster")
    figure.notes.append(
        "`benchmarks/baseline.py`: plain httpx, sequential, every step a new connection with a "
        "freshly fetched token; the same orders, registrations and documents as figure 2."
    )


_IMPORT_PROBE = """
import sys, time
import pulumi.dynamic  # the plugin has imported this before it unpickles any provider
start = time.perf_counter()
import sinch_numbers.provider
print(time.perf_counter() - start)
"""


def import_cost() -> float:
    """The provider module's own import, on top of what ``pulumi.dynamic`` already loaded."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(float(out.stdout.strip()))
    # The minimum is the least disturbed run: the others only add scheduler noise.
    return min(runs)


IMPORT_BASELINE = "import pulumi.dynamic, httpx, pydantic"
IMPORT_RATIO_TARGET = 1.4


@dataclass(frozen=True)
class ImportRatio:
    provider_wall: float
    baseline_wall: float
    provider_cpu: float
    baseline_cpu: float


def import_ratio(runs: int = 5) -> ImportRatio:
    """Medians over fresh processes importing the provider, and only its libraries.

    The package is byte-compiled first, as an installed one is: where PYTHONDONTWRITEBYTECODE is
    set, every run would otherwise compile the sources anew and measure the compiler. CPU time
    (user + system of the child) is reported too because wall time on a shared machine swings
    by a third from run to run; the target is judged on it.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "sinch_numbers")],
        check=True,
        capture_output=True,
    )
    probes = {"provider": "import sinch_numbers.provider", "baseline": IMPORT_BASELINE}
    wall: dict[str, list[float]] = {key: [] for key in probes}
    cpu: dict[str, list[float]] = {key: [] for key in probes}
    for _ in range(runs):
        # Interleaved, so that a busy moment of the machine weighs on both alike.
        for key, code in probes.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            wall[key].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            cpu[key].append(used)
    median = statistics.median
    return ImportRatio(
        median(wall["provider"]),
        median(wall["baseline"]),
        median(cpu["provider"]),
        median(cpu["baseline"]),
    )


# What the provider's import pulls in beyond pulumi.dynamic, worth watching by name.
NOTABLE_IMPORTS = (
    "httpx",
    "httpx._main",
    "httpcore",
    "pydantic",
    "phonenumbers",
    "sinch_numbers.api.models",
    "sinch_numbers.kyc",
)


def notable_imports() -> list[tuple[str, float]]:
    """Cumulative import time of ``NOTABLE_IMPORTS`` inside the provider's import."""
    probe = "import pulumi.dynamic\nimport sinch_numbers.provider"
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = [line for line in out.stderr.splitlines() if line.startswith("import time:")]
    # Modules print as they finish; everything after pulumi.dynamic's own line is the provider's.
    first = max(i for i, line in enumerate(lines) if line.rstrip().endswith("| pulumi.dynamic"))
    found = {}
    for line in lines[first + 1 :]:
        _self, cumulative, name = (p.strip() for p in line[len("import time:") :].split("|"))
        if name in NOTABLE_IMPORTS:
            found[name] = int(cumulative) / 1e6
    return [(name, found[name]) for name in NOTABLE_IMPORTS if name in found]


def startup(emulator: EmulatorProcess, figure: Figure, many: dict[str, float]) -> None:
    start = time.perf_counter()
    plugin = DynamicProviderPlugin(ROOT, config=emulator.stack_config(), project=PROJECT)
    plugin.start()
    try:
        ready = time.perf_counter() - start
        first_start = time.perf_counter()
        warm_up(plugin)
        first = time.perf_counter() - first_start
        second_start = time.perf_counter()
        warm_up(plugin)
        second = time.perf_counter() - second_start
    finally:
        plugin.close()
    figure.add("plugin process up (launch, bring-up, Configure)", ms(ready))
    figure.add("first call (Check; unpickling imports the provider)", ms(first))
    figure.add("launch to first call served", ms(ready + first))
    figure.add("the same call again", ms(second))
    figure.add("provider module import (after pulumi.dynamic)", ms(import_cost()))
    imports = import_ratio()
    cpu_ratio = imports.provider_cpu / imports.baseline_cpu
    figure.add(
        f"import sinch_numbers.provider / {IMPORT_BASELINE}, CPU (medians of 5 processes)",
        f"{ms(imports.provider_cpu)} / {ms(imports.baseline_cpu)} = {ratio(cpu_ratio)}",
        f"<= {ratio(IMPORT_RATIO_TARGET)}",
        cpu_ratio <= IMPORT_RATIO_TARGET,
    )
    figure.add(
        "the same, wall time",
        f"{ms(imports.provider_wall)} / {ms(imports.baseline_wall)} = "
        f"{ratio(imports.provider_wall / imports.baseline_wall)}",
    )
    notable = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in notable_imports())
    figure.add("of which (cumulative ms, one run)", notable)
    figure.add("peak memory, warmed up, idle (VmHWM)", f"{many['hwm_idle_kib'] / 1024:.1f} MiB")
    figure.add("peak memory, 40 orders in flight (VmHWM)", f"{many['hwm_kib'] / 1024:.1f} MiB")


def locate_cli() -> PulumiCli | None:
    """The CLI on PATH or in $SINCH_NUMBERS_PULUMI_BIN, else the one `make pulumi` built."""
    found = find_pulumi_cli()
    if found is not None:
        return found
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / "pulumi-cli.sh"), "--find"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return find_pulumi_cli(lines[-1]) if done.returncode == 0 and lines else None


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--latency-ms", type=int, default=50, help="added to every API request")
    p.add_argument("--orders", type=int, default=40, help="orders in figures 2 and 4")
    p.add_argument("--preview-resources", type=int, default=100, help="stack size in figure 3")
    p.add_argument("--runs", type=int, default=7, help="orders measured in figure 1 (median)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    p.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a target is not met")
    p.add_argument(
        "--plugin-orders", type=int, default=100, help="orders of figure 7's up --parallel 16"
    )
    p.add_argument(
        "--only",
        type=lambda text: {int(n) for n in text.split(",")},
        default=None,
        help="measure only these figures (comma-separated numbers), e.g. 7",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    args = parse_args(argv)
    if args.latency_ms <= 0:
        raise SystemExit("--latency-ms must be positive: the targets are multiples of it")
    latency = args.latency_ms / 1000
    began = time.perf_counter()
    calibration = Figure(0, "Calibration: what one request costs")
    f1 = Figure(1, "One KYC order with one document")
    f2 = Figure(2, f"{args.orders} orders over {len(PAIRS)} pairs, 4 calls at a time")
    f3 = Figure(3, f"Preview of a {args.preview_resources}-resource stack")
    f4 = Figure(4, "Against the usual script (baseline)")
    f5 = Figure(5, "Plugin start-up and memory")
    f6 = Figure(6, "The real Pulumi CLI")
    f7 = Figure(7, "The provider plugin (pulumi-resource-sinch)")
    wanted = args.only or {0, 1, 2, 3, 4, 5, 6, 7}

    def step(label: str, action: Callable[[], Any]) -> Any:
        print(f"bench: {label} ...", file=sys.stderr, flush=True)
        return action()

    with (
        tempfile.TemporaryDirectory(prefix="sinch-bench-") as tmp,
        start_emulator(review_policy="manual", latency_ms=args.latency_ms) as emulator,
    ):
        specs = build_specs(emulator, Path(tmp))
        if 0 in wanted:
            step("calibration", lambda: calibrate(emulator, calibration))
        calibration.add("latency injected per request", f"{args.latency_ms} ms")
        single = specs[SINGLE_DOCUMENT_PAIR]
        if 1 in wanted:
            step("figure 1", lambda: one_order(emulator, single, latency, args.runs, f1))
        mix = order_mix(specs, args.orders)
        many: dict[str, float] = {}
        if wanted & {2, 4, 5}:
            many = step("figure 2", lambda: many_orders(emulator, mix, latency, f2))
        if 4 in wanted:
            step("figure 4", lambda: baseline(emulator, mix, many["wall"], f4))
        stack = order_mix(specs, args.preview_resources)
        if 3 in wanted:
            step("figure 3", lambda: preview(emulator, stack, args.latency_ms, f3))
        if 5 in wanted:
            step("figure 5", lambda: startup(emulator, f5, many))
        cli = locate_cli()
        if cli is None:
            for figure in (f6, f7):
                figure.notes.append("No Pulumi CLI was found (`make pulumi` builds one).")
        else:
            if 6 in wanted:
                emulator.reset()
                step(
                    "figure 6",
                    lambda: real_engine(cli, emulator, stack, mix, latency, Path(tmp) / "cli", f6),
                )
            if 7 in wanted:
                emulator.reset()
                step("figure 7", lambda: plugin_startup(emulator, ROOT, PROJECT, warm_up, f7))
                plugin_mix = order_mix(specs, args.plugin_orders)
                step(
                    "figure 7",
                    lambda: parallel_up(
                        cli, emulator, plugin_mix, latency, Path(tmp) / "plugin", ROOT, PROJECT, f7
                    ),
                )

    figures = [f for f in (f1, f2, f3, f4, f5, f6, f7, calibration) if f.number in wanted]
    context = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "latency": f"{args.latency_ms} ms added to every API request (token included)",
        "bench duration": f"{time.perf_counter() - began:.0f} s",
    }
    args.output.write_text(render(figures, context))
    missed = [(f.number, r.name) for f in figures for r in f.targets if not r.met]
    print(f"bench: wrote {args.output}", file=sys.stderr)
    for number, name in missed:
        print(f"bench: target missed: figure {number}: {name}", file=sys.stderr)
    if not missed:
        print("bench: every target met", file=sys.stderr)
    return 1 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
