"""Every example program runs through preview, up and destroy against the emulator."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sinch_numbers.testing import Op, ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual") as process:
        yield process


@pytest.fixture
def emu(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    emulator.clear_faults()
    return emulator


EXAMPLE_CONFIG: dict[str, dict[str, Any]] = {
    "quickstart": {},
    "bulk-voice": {"trunkId": "trunk-example", "quantity": "3"},
    "kyc-documents": {
        "registration": Secret(
            (EXAMPLES / "kyc-documents" / "registration.example.json").read_text()
        ),
        "releaseOnDestroy": "true",
        "protect": "false",
    },
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_CONFIG))
def test_example_previews_ups_and_destroys(emu: EmulatorProcess, name: str) -> None:
    project = EXAMPLES / name
    config = emu.stack_config(**EXAMPLE_CONFIG[name])
    with ProgramRunner(project, config=config) as stack:
        preview = stack.preview()
        assert preview.ok, preview.error
        assert set(preview.ops().values()) == {Op.CREATE}
        assert emu.orders() == []

        up = stack.up()
        assert up.ok, up.error
        orders = emu.orders()
        assert len(orders) == 1
        assert orders[0]["state"] == "IN_REVIEW"
        order_id = orders[0]["idNumberOrder"]
        assert up.outputs["order_id"] == order_id

        emu.review(order_id, "approve")
        assert stack.refresh().ok
        destroyed = stack.destroy()
        assert destroyed.ok, destroyed.error
        assert stack.state == {}


def test_bulk_voice_orders_the_requested_quantity_by_pattern(emu: EmulatorProcess) -> None:
    config = emu.stack_config(**EXAMPLE_CONFIG["bulk-voice"])
    with ProgramRunner(EXAMPLES / "bulk-voice", config=config) as stack:
        up = stack.up()
        assert up.ok, up.error
        numbers = up.outputs["phone_numbers"]
        assert len(numbers) == 3
        assert all(n.startswith("+1307") for n in numbers)
        assert set(up.outputs["monthly_prices"]) == set(numbers)
        # No KYC: no registration was sent and nothing was uploaded.
        stats = emu.stats()
        assert not any("registration" in key or "attachments" in key for key in stats)


def test_kyc_documents_keeps_its_data_secret_and_its_numbers_by_default(
    emu: EmulatorProcess,
) -> None:
    config = emu.stack_config(**{**EXAMPLE_CONFIG["kyc-documents"], "releaseOnDestroy": "false"})
    with ProgramRunner(EXAMPLES / "kyc-documents", config=config) as stack:
        assert stack.up().ok
        state = stack.resource("de-local-number")
        assert {"registration", "attachments"} <= set(state.secret_keys)
        emu.review(state.outputs["order_id"], "approve")
        assert stack.refresh().ok
        emu.reset_stats()
        assert stack.destroy().ok
        assert not any(":release" in key for key in emu.stats())
        assert stack.plugin.wait_for_output("stay active and billed")


def test_github_actions_workflow_previews_prs_and_deploys_main() -> None:
    workflow = yaml.safe_load(
        (EXAMPLES / "github-actions" / ".github" / "workflows" / "numbers.yml").read_text()
    )
    jobs = workflow["jobs"]
    assert set(jobs) == {"test", "preview", "deploy"}

    def pulumi_step(job: str) -> dict[str, Any]:
        steps = [s for s in jobs[job]["steps"] if str(s.get("uses", "")).startswith("pulumi/")]
        assert len(steps) == 1
        return dict(steps[0]["with"])

    preview = pulumi_step("preview")
    assert preview["command"] == "preview"
    assert preview["comment-on-pr"] is True
    assert preview["refresh"] is True
    assert "pull_request" in jobs["preview"]["if"]
    deploy = pulumi_step("deploy")
    assert deploy["command"] == "up"
    assert deploy["refresh"] is True
    assert "refs/heads/main" in jobs["deploy"]["if"]
    assert jobs["preview"]["needs"] == jobs["deploy"]["needs"] == "test"
    assert any("pytest" in str(s.get("run", "")) for s in jobs["test"]["steps"])
    secrets = json.dumps(workflow["env"])
    assert "secrets.SINCH_KEY_SECRET" in secrets


def test_github_actions_deploy_keeps_the_record_of_interrupted_creates_in_a_cache() -> None:
    """The sequence tests/engine/test_interrupted.py runs with the real CLI: restore the newest
    record before `up`, save it after `up` even when the job fails or is cancelled."""
    workflow = yaml.safe_load(
        (EXAMPLES / "github-actions" / ".github" / "workflows" / "numbers.yml").read_text()
    )
    deploy = workflow["jobs"]["deploy"]
    record = "${{ env.SINCH_NUMBERS_STATE_DIR }}"
    assert deploy["env"]["SINCH_NUMBERS_STATE_DIR"].startswith("${{ github.workspace }}/")
    uses = [str(step.get("uses", "")) for step in deploy["steps"]]
    restore = uses.index("actions/cache/restore@v4")
    up = next(i for i, name in enumerate(uses) if name.startswith("pulumi/"))
    save = uses.index("actions/cache/save@v4")
    assert restore < up < save
    restored, saved = deploy["steps"][restore]["with"], deploy["steps"][save]["with"]
    assert restored["path"] == saved["path"] == record
    assert deploy["steps"][save]["if"] == "always()"
    # A cache is immutable per key: each run saves its own, the next restores the newest by prefix.
    assert saved["key"] == restored["key"]
    assert "github.run_id" in saved["key"]
    assert saved["key"].startswith(restored["restore-keys"])
    assert "timeout-minutes" in deploy["steps"][up], "the up step leaves the job time to save"


def test_the_github_actions_stack_test_passes_on_a_real_program() -> None:
    spec = importlib.util.spec_from_file_location(
        "example_stack_test", EXAMPLES / "github-actions" / "tests" / "test_stack.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.INFRA = EXAMPLES / "quickstart"
    module.test_stack_orders_its_numbers_on_the_emulator()


def test_make_demo_runs_the_whole_life_of_an_order(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), "--port", "0", "--fresh", "--no-cli"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for expected in (
        "pulumi preview",
        "submitting for review",
        "state              COMPLETED",
        "released +61",
    ):
        assert expected in out
    assert "emulator-secret" not in out + done.stderr
    assert "Citizen" not in out + done.stderr  # the registration's contact name
