"""The package's provider plugin under the real CLI: a Python program declares
``sinch:numbers:NumberOrder`` as a plain ``pulumi.CustomResource`` (no SDK, no dynamic
provider), and the engine finds ``pulumi-resource-sinch`` on PATH, as ``pip install`` puts it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCliRunner

pytestmark = pytest.mark.package_program("python")

TYPE = "sinch:numbers:NumberOrder"
SECRET_PLAN = "plan-kept-secret"


def order_program(sms: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        order = pulumi.CustomResource(
            TYPE,
            "order",
            {
                "regionCode": "US",
                "numberType": "LOCAL",
                "quantity": 1,
                "smsConfiguration": sms,
                "callbackUrl": pulumi.Output.secret(f"https://example.com/{SECRET_PLAN}"),
                "orderId": None,
                "state": None,
                "phoneNumbers": None,
            },
        )
        pulumi.export("order_id", order.orderId)  # type: ignore[attr-defined]
        pulumi.export("state", order.state)  # type: ignore[attr-defined]

    return program


def with_plugin_on_path() -> dict[str, str]:
    """The venv's bin first on PATH: where `pip install` puts `pulumi-resource-sinch`."""
    return {"PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}


def package_resources(runner: PulumiCliRunner) -> list[dict[str, Any]]:
    deployment = runner.export().get("deployment", {})
    return [r for r in deployment.get("resources") or [] if r.get("type") == TYPE]


def test_preview_up_refresh_update_and_destroy_through_the_plugin(
    cli_runner: Callable[..., PulumiCliRunner], emu: EmulatorProcess
) -> None:
    program_sms = {"servicePlanId": "plan-one"}
    env = with_plugin_on_path()
    runner = cli_runner(lambda: order_program(program_sms)(), env=env)

    preview = runner.preview()
    assert preview.ok, preview.error
    assert emu.orders() == []

    up = runner.up()
    assert up.ok, up.error
    order_id = up.outputs["order_id"]
    assert up.outputs["state"] == "IN_REVIEW"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    (saved,) = package_resources(runner)
    assert saved["id"] == order_id
    export = str(runner.export())
    assert SECRET_PLAN not in export

    emu.review(order_id, "approve")
    refresh = runner.refresh()
    assert refresh.ok, refresh.error
    (refreshed,) = package_resources(runner)
    assert refreshed["outputs"]["state"] == "COMPLETED"

    program_sms["servicePlanId"] = "plan-two"
    changed = runner.up()
    assert changed.ok, changed.error
    (updated,) = package_resources(runner)
    assert updated["id"] == order_id
    assert updated["outputs"]["smsConfiguration"] == {"servicePlanId": "plan-two"}
    assert len(emu.orders()) == 1

    destroyed = runner.destroy()
    assert destroyed.ok, destroyed.error
    assert package_resources(runner) == []
    assert SECRET_PLAN not in "\n".join(runner.transcript)
