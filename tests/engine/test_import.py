"""Import, which the dynamic form cannot do (pulumi#16175): an order made elsewhere is taken into
a stack by `pulumi import sinch:numbers:NumberOrder NAME ORDER_ID` typed in a Python project
folder, and by the `import_` resource option of `pulumi_sinch`; the program the CLI writes then
previews with no changes. An active number is imported by its phone number.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import ACTIVE_NUMBER, ORDER, leaks, resources
from tests.engine.programs import CREATE, RELEASE

pytestmark = pytest.mark.package_program("python")


def _empty_project(path: Path, venv: Path, name: str, program: str = "import pulumi\n") -> Path:
    path.mkdir(parents=True)
    (path / "Pulumi.yaml").write_text(
        f"name: {name}\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        f"    virtualenv: {venv}\n"
    )
    (path / "__main__.py").write_text(program)
    return path


def _made_elsewhere(package_project: Callable[..., Folder], emu: EmulatorProcess) -> str:
    """An order another stack made and Sinch approved; that stack then forgets it (`pulumi
    state delete`), as when an order moves to the stack that should own it."""
    origin = package_project()
    origin.ok("stack", "select", "origin", "--create")
    origin.set_config(emu.stack_config())
    origin.ok("up", "--yes", "--skip-preview")
    [order] = emu.orders()
    emu.review(order["idNumberOrder"], "approve")
    [resource] = resources(origin)
    origin.ok("state", "delete", resource["urn"], "--yes")
    return str(order["idNumberOrder"])


def test_pulumi_import_writes_a_program_that_previews_with_no_changes(
    package_project: Callable[..., Folder],
    sdk: str,
    venv: Path,
    tmp_path: Path,
    emu: EmulatorProcess,
) -> None:
    order_id = _made_elsewhere(package_project, emu)
    [number] = [n["phoneNumber"] for n in emu.order(order_id)["orderNumbers"]]
    project = package_project(_empty_project(tmp_path / "importer", venv, "sinch-importer"))
    project.ok("stack", "select", "dev", "--create")
    project.set_config(emu.stack_config())
    emu.reset_stats()

    imported = project.run("import", ORDER, "imported", order_id, "--yes", "--out", "order.py")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    [resource] = resources(project)
    assert resource["id"] == order_id
    program = (project.path / "order.py").read_text()
    assert "pulumi_sinch" in program, program

    numbered = project.run(
        "import", ACTIVE_NUMBER, "imported-number", number, "--yes", "--out", "number.py"
    )
    assert numbered.returncode == 0, numbered.stdout + numbered.stderr
    [active] = resources(project, ACTIVE_NUMBER)
    assert active["id"] == number

    # The program the CLI wrote, both resources in it, previews with no changes.
    number_program = (project.path / "number.py").read_text()
    (project.path / "__main__.py").write_text(program + "\n" + number_program)
    project.ok("preview", "--expect-no-changes")
    stats = emu.stats()
    assert CREATE not in stats, "import orders nothing"
    assert RELEASE not in stats
    assert leaks(project, imported.stdout, numbered.stdout) == []


IMPORT_OPTION = """
import pulumi
from pulumi_sinch import numbers

order = numbers.NumberOrder(
    "adopted",
    region_code="AU",
    number_type="MOBILE",
    phone_number="PHONE_NUMBER",
    sms_configuration=numbers.SmsConfigurationArgs(service_plan_id="plan-one"),
    opts=pulumi.ResourceOptions(import_="ORDER_ID", protect=True),
)
pulumi.export("orderId", order.order_id)
"""


def test_the_import_resource_option_takes_the_order_and_previews_with_no_changes(
    package_project: Callable[..., Folder],
    sdk: str,
    venv: Path,
    tmp_path: Path,
    emu: EmulatorProcess,
) -> None:
    order_id = _made_elsewhere(package_project, emu)
    [number] = [n["phoneNumber"] for n in emu.order(order_id)["orderNumbers"]]
    # What the order is, as its owner knows it: the number it holds and its routing. No KYC:
    # the order is past review, and the documents are Sinch's now.
    program = IMPORT_OPTION.replace("ORDER_ID", order_id).replace("PHONE_NUMBER", number)
    project = package_project(_empty_project(tmp_path / "adopter", venv, "sinch-adopter", program))
    project.ok("stack", "select", "dev", "--create")
    project.set_config(emu.stack_config())
    emu.reset_stats()
    up = project.run("up", "--yes")
    assert up.returncode == 0, up.stdout + up.stderr
    assert "1 imported" in up.stdout, up.stdout
    assert project.outputs()["orderId"] == order_id
    project.ok("preview", "--expect-no-changes")
    assert CREATE not in emu.stats()
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
