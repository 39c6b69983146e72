"""More than four calls at a time through the plugin, where the dynamic form has four.

The dynamic provider's plugin serves the engine from a pool of four threads, so however many
steps the engine runs at once, at most four API calls overlap. `pulumi up --parallel 16` of 16
orders with latency on every API call shows the plugin's own limit: the emulator counts the
requests it handles at once, exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import resources
from tests.engine.programs import CREATE

pytestmark = pytest.mark.package_program("python")

ORDERS = 16
DYNAMIC_LIMIT = 4


def test_up_with_parallel_16_overlaps_more_than_four_api_calls(
    package_project: Callable[..., Folder], emu: EmulatorProcess
) -> None:
    project = package_project()
    project.ok("stack", "select", "dev", "--create")
    project.set_config({**emu.stack_config(), "count": str(ORDERS)})
    emu.settings(latency_ms=400)
    emu.reset_stats()
    try:
        done = project.run("up", "--yes", "--skip-preview", "--parallel", str(ORDERS))
    finally:
        emu.settings(latency_ms=0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert emu.stats()[CREATE] == ORDERS
    assert len(resources(project)) == ORDERS
    most = emu.max_in_flight()
    print(f"most API calls at once: {most}")  # the figure the report gives (pytest -s)
    assert most > DYNAMIC_LIMIT, f"at most {most} API calls at once"
