"""docs/troubleshooting.md, "An order destroyed while in review", step by step.

The stack forgets an order it destroys in review, but Sinch may still approve it: the warning must
name the commands, and those commands must find and release the numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sinch_numbers.testing.emulator import EmulatorProcess, environment_with
from tests.cli.cli_helpers import command, run
from tests.provider.conftest import Stack, active_number


def test_an_order_destroyed_in_review_is_released_with_the_cli(
    emu: EmulatorProcess, make_stack: Callable[..., Stack]
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    (phone,) = stack.outputs()["phone_numbers"]
    assert stack.outputs()["state"] == "IN_REVIEW"

    assert stack.runner.destroy().ok
    assert stack.runner.plugin.wait_for_output("CANNOT be cancelled")
    warning = stack.runner.plugin.stderr_text()
    assert f"sinch-numbers order watch {order_id}" in warning
    assert "sinch-numbers number release NUMBER --confirm NUMBER" in warning

    emu.review(order_id, "approve")  # later, Sinch approves the forgotten order
    env = {**environment_with(emu), "NO_COLOR": "1", "COLUMNS": "160"}
    watched = run(command("order", "watch", order_id, "--interval", "0.2", "--json"), env)
    assert watched.returncode == 0, watched.stderr
    document = json.loads(watched.stdout)
    assert document["state"] == "COMPLETED"
    assert [n["phone_number"] for n in document["numbers"]] == [phone]
    assert active_number(emu, phone)["expireAt"] is None  # active and billed until released

    released = run(command("number", "release", phone, "--confirm", phone), env)
    assert released.returncode == 0, released.stderr
    assert released.stdout.startswith(f"{phone} released: it stays active until ")
    assert active_number(emu, phone)["expireAt"] is not None
