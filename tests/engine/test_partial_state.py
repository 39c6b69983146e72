"""Partial state through the real CLI: a failure after the order exists at Sinch.

The plugin answers such a create with the order, its id and outputs as a failed initialisation
(`ErrorResourceInitFailed`): the engine keeps the resource with its id and `initErrors`, the run
fails, and the next `up` resumes the order (the engine calls Update on a resource with init
errors). The engine's state alone carries the order: the local record of interrupted creates,
which the dynamic form needs, is deleted here before the resume.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import leaks, plain_value, resources
from tests.engine.programs import CREATE, SUBMIT, UPLOAD

pytestmark = pytest.mark.package_program("python")


def test_a_failure_after_the_order_exists_is_kept_by_the_engine_and_the_next_up_resumes(
    package_project: Callable[..., Folder], emu: EmulatorProcess
) -> None:
    project = package_project()
    project.ok("stack", "select", "dev", "--create")
    project.set_config(emu.stack_config())
    emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)

    failed = project.run("up", "--yes", "--skip-preview")
    printed = failed.stdout + failed.stderr
    assert failed.returncode != 0, printed
    assert "submit" in printed, printed
    [order] = emu.orders()
    order_id = order["idNumberOrder"]
    assert emu.stats()[CREATE] == 1

    [resource] = resources(project)
    assert resource["id"] == order_id, "the engine holds the order with its id"
    assert resource.get("initErrors"), "kept as a failed initialisation"
    outputs = plain_value(resource["outputs"])
    assert outputs["orderId"] == order_id
    assert outputs["failedStep"] == "submit"
    assert leaks(project, printed) == []

    # No local record is needed: the engine's state alone names the order. The plugin noted
    # the order in its record of interrupted creates, which is deleted whole.
    assert list(project.state_dir.glob("creates-*.json")), "the record the plugin wrote"
    shutil.rmtree(project.state_dir)
    emu.clear_faults()
    resumed = project.run("up", "--yes", "--skip-preview")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    [resource] = resources(project)
    assert resource["id"] == order_id
    assert not resource.get("initErrors"), "a resumed order is whole again"
    assert plain_value(resource["outputs"]).get("failedStep") in (None, "")
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert emu.order(order_id)["state"] == "IN_REVIEW"
    stats = emu.stats()
    assert stats[CREATE] == 1, "exactly one order, over both runs"
    assert stats[SUBMIT] >= 2, "the failed submit, then the resumed one"
    assert stats[UPLOAD] == 2, "each document was uploaded once, by the first up"

    # Nothing left to do: the next preview shows no change.
    project.ok("preview", "--expect-no-changes")
