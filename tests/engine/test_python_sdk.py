"""The Python SDK's program (examples/package/python), typed in its folder as a user types it:
the generated `pulumi_sinch` over the provider plugin, with the real CLI and Python language host.

preview (first failing a check that names the property and its rule, never the value), up (the
order, then the wait for review as NumberOrderCompletion), a routing change applied in place,
refresh and destroy; the CLI's own `pulumi stack export` and everything the commands printed
hold none of the registration's personal data.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import CANARY, COMPLETION, copy_example, leaks, resources
from tests.engine.programs import CREATE, PATCH_NUMBER, active_number

pytestmark = pytest.mark.package_program("python")

BAD_URL = "http://not-https.example.com/Canary-hook"
"""A callback URL the check refuses (https only, http only for localhost)."""
PROBLEM = re.compile(r"property (?P<prop>\S+) value .*? has a problem: (?P<reason>.*)$")


def check_problems(printed: str) -> dict[str, str]:
    """Each property the engine says has a problem, and the provider's reason for it. The engine
    shows the value itself; the reason is the provider's words alone."""
    found = {}
    for line in printed.splitlines():
        match = PROBLEM.search(line)
        if match:
            found[match["prop"]] = match["reason"]
    return found


def python_example(package_project: Callable[..., Folder], venv: Path, tmp_path: Path) -> Folder:
    """The example's folder in a copy, its contact's last name the canary."""
    path = copy_example(tmp_path / "checkout", venv)
    main = path / "__main__.py"
    source = main.read_text()
    assert '"lastName": "Example"' in source
    main.write_text(source.replace('"lastName": "Example"', f'"lastName": "{CANARY}"'))
    return package_project(path)


def up_through_review(project: Folder, emu: EmulatorProcess) -> str:
    """``pulumi up``, approving the order's review while the completion waits for it."""
    up = project.start("up", "--yes", "--skip-preview")
    deadline = time.monotonic() + 180
    while not (emu.orders() and emu.orders()[0]["state"] == "IN_REVIEW"):
        assert up.poll() is None, up.communicate()[0]
        assert time.monotonic() < deadline, "no order in review"
        time.sleep(0.2)
    emu.review(emu.orders()[0]["idNumberOrder"], "approve")
    printed, _ = up.communicate(timeout=240)
    assert up.returncode == 0, printed
    return printed


def test_the_python_sdk_program_runs_in_its_folder(
    package_project: Callable[..., Folder],
    sdk: str,
    venv: Path,
    tmp_path: Path,
    emu: EmulatorProcess,
) -> None:
    project = python_example(package_project, venv, tmp_path)
    project.ok("stack", "select", "dev", "--create")
    printed: list[str] = []

    # A check failure in preview names the property and the rule, not the value.
    project.set_config({**emu.stack_config(), "callbackUrl": BAD_URL})
    refused = project.run("preview")
    printed.append(refused.stdout + refused.stderr)
    assert refused.returncode != 0, printed[-1]
    problems = check_problems(printed[-1])
    assert "callbackUrl" in problems, printed[-1]
    assert "https" in problems["callbackUrl"], problems
    assert "Canary-hook" not in problems["callbackUrl"], "the reason never quotes the value"
    assert emu.orders() == []
    project.ok("config", "rm", "callbackUrl")
    preview = project.run("preview")
    printed.append(preview.stdout + preview.stderr)
    assert preview.returncode == 0, printed[-1]
    assert emu.orders() == [], "preview orders nothing"

    printed.append(up_through_review(project, emu))
    [order] = emu.orders()
    order_id = order["idNumberOrder"]
    outputs = project.outputs()
    assert outputs["orderId"] == order_id
    assert outputs["orderState"] == "IN_REVIEW", "the order's state when it was saved"
    numbers = outputs["phoneNumbers"]
    assert numbers, "the completion's numbers"
    [completion] = resources(project, COMPLETION)
    assert completion["id"] == order_id

    # A routing change is applied in place: no new order.
    emu.reset_stats()
    project.set_config({"servicePlanId": "another-service-plan"})
    changed = project.run("up", "--yes", "--skip-preview")
    printed.append(changed.stdout + changed.stderr)
    assert changed.returncode == 0, printed[-1]
    assert "1 updated" in printed[-1], printed[-1]
    stats = emu.stats()
    assert CREATE not in stats, "a routing change never orders again"
    assert stats.get(PATCH_NUMBER) == len(numbers)
    for number in numbers:
        routing = active_number(emu, number)["smsConfiguration"]
        assert routing["servicePlanId"] == "another-service-plan"

    refreshed = project.run("refresh", "--yes")
    printed.append(refreshed.stdout + refreshed.stderr)
    assert refreshed.returncode == 0, printed[-1]
    project.ok("preview", "--expect-no-changes")

    assert leaks(project, *printed) == []

    destroyed = project.run("destroy", "--yes")
    printed.append(destroyed.stdout + destroyed.stderr)
    assert destroyed.returncode == 0, printed[-1]
    assert resources(project) == []
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    for number in numbers:
        assert active_number(emu, number)["expireAt"] is not None, f"{number} released"
    assert leaks(project, *printed) == []
