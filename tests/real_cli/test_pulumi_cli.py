"""The quickstart stack through the real Pulumi CLI (Automation API, local file backend).

The CLI cannot be installed on the machines this project is built on, so this test is skipped
there; everywhere `pulumi` is on PATH it runs preview, up, refresh and destroy for real.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

pytestmark = pytest.mark.skipif(
    shutil.which("pulumi") is None,
    reason="the pulumi CLI is not on PATH (no registry here ships it); "
    "the engine-faithful harness tests cover the same lifecycle",
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual") as process:
        yield process


def test_quickstart_with_the_real_cli(emulator: EmulatorProcess, tmp_path: Path) -> None:
    from pulumi import automation as auto

    backend = tmp_path / "backend"
    backend.mkdir()
    workspace = auto.LocalWorkspaceOptions(
        work_dir=str(ROOT / "examples" / "quickstart"),
        env_vars={
            "PULUMI_BACKEND_URL": backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "test-only",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
        },
    )
    stack = auto.create_or_select_stack(stack_name="test", opts=workspace)
    creds = emulator.credentials
    stack.set_all_config(
        {
            "sinch:projectId": auto.ConfigValue(creds.project_id),
            "sinch:keyId": auto.ConfigValue(creds.key_id),
            "sinch:keySecret": auto.ConfigValue(creds.key_secret, secret=True),
            "sinch:numbersUrl": auto.ConfigValue(emulator.url),
            "sinch:authUrl": auto.ConfigValue(emulator.token_url),
        }
    )
    try:
        preview = stack.preview()
        assert preview.change_summary.get("create") == 1
        assert emulator.orders() == []

        up = stack.up()
        assert up.summary.result == "succeeded"
        order_id = up.outputs["order_id"].value
        assert [o["idNumberOrder"] for o in emulator.orders()] == [order_id]
        assert "Citizen" not in (up.stdout or "")  # registration data never printed

        emulator.review(order_id, "approve")
        stack.refresh()
        assert stack.outputs()["state"].value == "COMPLETED"

        destroyed = stack.destroy()
        assert destroyed.summary.result == "succeeded"
    finally:
        stack.workspace.remove_stack("test", force=True)
