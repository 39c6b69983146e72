"""Shared fixtures: one real emulator process on loopback for the session, reset per test.

Folders whose tests need other emulator options (tests/provider, tests/reliability,
tests/examples) define their own ``emulator`` fixture, which overrides this one there.

Every test gets one tier marker from the folder it sits in (``FOLDER_TIERS``; any other folder
is ``process``). A module's ``pytestmark`` or a test's own marker names another tier where a
folder mixes them (tests/docs). A test of the unit tier that asks for a fixture starting a
process fails at collection: it belongs in the process tier.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.docs.blocks import TALLY
from tests.loopback import TrickleServer
from tests.reliability.support import FUZZ_FIGURES, MATRIX_RESULTS

# Hypothesis' per-example deadline and its too-slow health check are timed assertions, and
# timings on a loaded CI machine are noise: examples are judged by what they do, never by how
# long they take.
settings.register_profile(
    "sinch-numbers", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("sinch-numbers")


def _import_the_fuzzers_now() -> None:
    """Hypothesis and Schemathesis import many of their modules only when a test first needs them
    (the optimiser while shrinking, body overrides while generating), and pytest rewrites those
    imports (both are pytest plugins) with ``ast.parse``. CPython 3.11's ``ast.parse`` keeps its
    recursion depth in state that threads share: one running while a thread that another test
    left parses too fails with "AST constructor recursion depth mismatch" (seen in two CI runs'
    fuzz tests). Imported here, in the main thread before any test, they are parsed once and
    never during a test."""
    for package in (hypothesis, schemathesis):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.startswith("hypothesis.extra"):
                continue  # optional integrations, each needing a library of its own
            # Some need an optional library this suite does not use (allure, attrs).
            with contextlib.suppress(ImportError):
                importlib.import_module(module.name)


_import_the_fuzzers_now()

# pytest-xdist's workers inherit COLUMNS=80 and LINES=24, which a plain run does not have: the
# command line would wrap its tables at 80 columns in one and not the other. Tests that need a
# width set it themselves.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "process", "engine")
# unit: in process, no emulator, plugin or CLI process; engine: the real Pulumi CLI.
FOLDER_TIERS = {"unit": "unit", "docs": "unit", "engine": "engine", "plugin": "process"}
# Fixtures that start an emulator, a provider plugin or the real Pulumi CLI.
PROCESS_FIXTURES = frozenset(
    {
        "emulator_server",
        "emulator",
        "emu",
        "console_emulator",
        "check_plugin",
        "plugin",
        "make_plugin",
        "cli_runner",
        "sim_runner",
        "make_stack",
        "language_host",
        "yaml_host",
    }
)


def tier_of(item: pytest.Item) -> str:
    """The test's tier: the one it names (its own marker before its module's), else its folder's."""
    own = [marker.name for marker in item.own_markers if marker.name in TIERS]
    named = set(own or (marker.name for marker in item.iter_markers() if marker.name in TIERS))
    if len(named) > 1:
        raise pytest.UsageError(f"{item.nodeid}: one tier, not {sorted(named)}")
    if named:
        return named.pop()
    folder = Path(item.path).resolve().relative_to(TESTS).parts[0]
    return FOLDER_TIERS.get(folder, "process")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    misplaced: list[str] = []
    for item in items:
        tier = tier_of(item)
        starts = PROCESS_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if tier == "unit" and starts:
            misplaced.append(f"{item.nodeid} ({', '.join(sorted(starts))})")
        item.add_marker(tier)
        program = item.get_closest_marker("package_program")
        if program is not None:
            # Carried in the test's reports, which pytest-xdist hands to the controlling process.
            item.user_properties.append((PACKAGE_PROGRAM, program.args[0]))
    if getattr(config, "workerinput", None) is not None:
        # A pytest-xdist worker: the longest tests first (the slow waits, then the real engine,
        # then the other processes), so that the short ones fill the gaps at the end. The sort is
        # stable, so a module's tests keep their order and the workers agree on it.
        rank = {"engine": 1, "process": 2, "unit": 3}
        items.sort(key=lambda item: 0 if item.get_closest_marker("slow") else rank[tier_of(item)])
    if misplaced:
        raise pytest.UsageError(
            "in the unit tier but starting a process (mark them process, or move them):\n  "
            + "\n  ".join(misplaced)
        )


PACKAGE_PROGRAM = "package_program"
PROGRAMS_PASSED: dict[str, int] = {}
"""Per language, the passed tests that ran a program of the Pulumi package under the real CLI."""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # In a plain run this process prints the summary; under pytest-xdist the controlling process
    # sees every worker's reports here, and the workers' own counts are never printed.
    if report.when != "call" or not report.passed:
        return
    for name, language in report.user_properties:
        if name == PACKAGE_PROGRAM:
            PROGRAMS_PASSED[str(language)] = PROGRAMS_PASSED.get(str(language), 0) + 1


# What a run observed, for its closing summary: the documentation blocks that ran, the fault
# matrix's cells and the emulator fuzzing's figures. Under pytest-xdist each worker sends its
# share to the controlling process when it ends, which prints the sum.
def _observed() -> dict[str, object]:
    return {
        "blocks": TALLY.ran,
        "matrix": [[call, fault, outcome] for (call, fault), outcome in MATRIX_RESULTS.items()],
        "fuzz": FUZZ_FIGURES,
    }


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output["sinch_numbers_observed"] = json.dumps(_observed())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    worker_output = getattr(node, "workeroutput", {})
    observed = json.loads(worker_output.get("sinch_numbers_observed", "{}"))
    for kind, count in observed.get("blocks", {}).items():
        TALLY.ran[kind] = TALLY.ran.get(kind, 0) + count
    for call, fault, outcome in observed.get("matrix", []):
        MATRIX_RESULTS[(call, fault)] = outcome
    FUZZ_FIGURES.update(observed.get("fuzz", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if PROGRAMS_PASSED:
        counts = ", ".join(f"{lang} {n}" for lang, n in sorted(PROGRAMS_PASSED.items()))
        terminalreporter.write_line(
            f"Pulumi package programs under the real CLI (tests passed): {counts}"
        )
    if TALLY.ran:
        counts = ", ".join(f"{kind} {count}" for kind, count in sorted(TALLY.ran.items()))
        terminalreporter.write_line(f"documentation blocks that ran: {counts}")
    if MATRIX_RESULTS:
        from tests.reliability.test_reliability_faults import render_matrix

        terminalreporter.section("reliability: fault matrix (observed)")
        terminalreporter.write_line(render_matrix(MATRIX_RESULTS))
        terminalreporter.write_line(f"{len(MATRIX_RESULTS)} cells survived")
    if FUZZ_FIGURES:
        terminalreporter.section("reliability: emulator fuzzing")
        terminalreporter.write_line(", ".join(f"{k}={v:g}" for k, v in FUZZ_FIGURES.items()))


@pytest.fixture(autouse=True)
def _own_create_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own record of interrupted creates (plugins inherit the variable), so
    a test that kills a run cannot make another test's create refuse to order."""
    monkeypatch.setenv("SINCH_NUMBERS_STATE_DIR", str(tmp_path / "sinch-numbers-state"))


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorProcess]:
    # Manual review keeps every test in control of when an order leaves IN_REVIEW.
    process = EmulatorProcess(review_policy="manual")
    process.start()
    yield process
    assert process.stop() == 0


@pytest.fixture
def emulator(emulator_server: EmulatorProcess) -> EmulatorProcess:
    emulator_server.reset()
    return emulator_server


@pytest.fixture
def api(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    """API calls under /v1/projects/{projectId}, with Basic auth (it survives clock moves)."""
    creds = emulator.credentials
    with httpx.Client(
        base_url=f"{emulator.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=15.0,
    ) as client:
        yield client


@pytest.fixture
def trickle() -> Iterator[Callable[..., TrickleServer]]:
    made: list[TrickleServer] = []

    def start(**options: Any) -> TrickleServer:
        server = TrickleServer(**options)
        made.append(server)
        return server

    yield start
    for server in made:
        server.close()
