"""The GitHub Actions workflow's sequence through the real CLI (and the simulator, with the same
assertions), and `make demo`. Every example runs in its own folder in test_folders.py."""

from __future__ import annotations

import os
import subprocess
import sys

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.conftest import ROOT, MakeRunner
from tests.engine.programs import CREATE, OneOrder, au_registration

EXAMPLES = ROOT / "examples"


def test_the_github_actions_sequence_preview_for_a_pr_then_up_on_main(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    """The workflow runs `pulumi preview` with refresh for a pull request and `pulumi up` with
    refresh on main (examples/github-actions/.github/workflows/numbers.yml)."""
    program = OneOrder()
    stack = runner(program)

    pr = stack.preview(refresh=True)
    assert pr.ok, pr.error
    assert pr.ops() == {"order": Op.CREATE}
    assert emu.orders() == []

    main = stack.up(refresh=True)
    assert main.ok, main.error
    order_id = main.outputs["order_id"]

    # A later pull request with bad KYC data fails its preview: nothing ordered, nothing sent.
    program.inputs["registration"] = au_registration(phoneNumber="0400 000 000")
    emu.reset_stats()
    bad = stack.preview(refresh=True)
    assert not bad.ok
    assert any(
        "registration[2].phoneNumber" in p
        for pairs in bad.check_failures.values()
        for p, _ in pairs
    )
    assert CREATE not in emu.stats()

    # The review finished between runs: the next deploy's refresh sees it; nothing to change.
    program.inputs["registration"] = au_registration()
    emu.review(order_id, "approve")
    deploy = stack.up(refresh=True)
    assert deploy.ok, deploy.error
    assert stack.resource("order").outputs["state"] == "COMPLETED"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]


def test_make_demo_uses_the_real_cli_and_says_so(cli: PulumiCli) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), "--port", "0", "--fresh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "SINCH_NUMBERS_PULUMI_BIN": str(cli.bin_dir)},
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert f"The real Pulumi CLI {cli.version()}" in out
    for expected in ("Previewing update", "submitting for review", "released +61"):
        assert expected in out, expected
    assert "sinch_numbers.testing" not in out.split("real Pulumi CLI")[0]
    assert "emulator-secret" not in out + done.stderr
    assert "Citizen" not in out + done.stderr
