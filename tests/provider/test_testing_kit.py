"""The testing kit as a user of it meets it: orders survive a test process that exits, warnings
and failures come back in a form a test can assert on (through the real plugin)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sinch_numbers.testing import Op, ProgramRunner
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.conftest import ROOT, au_order, au_registration, one_order_program
from tests.provider.test_lifecycle import LOOKUP, TOKEN

CANARY = "Canarystate-Qm7t"


def test_a_state_file_keeps_the_orders_of_a_process_that_exited(
    emu: EmulatorProcess, tmp_path: Path
) -> None:
    state_file = tmp_path / "stack-state.json"
    inputs = au_order(registration=au_registration(lastName=CANARY))
    first = ProgramRunner(
        one_order_program(inputs),
        project_dir=ROOT,
        config=emu.stack_config(),
        state_file=state_file,
    )
    assert first.up().ok
    order_id = first.resource("order").id
    first.close()  # the test process "exits" without a destroy

    text = state_file.read_text()
    assert order_id in text
    assert CANARY not in text, "secrets are not written to disk"
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    assert json.loads(text)["version"] == 1

    second = ProgramRunner(
        one_order_program(inputs),
        project_dir=ROOT,
        config=emu.stack_config(),
        state_file=state_file,
    )
    try:
        assert second.resource("order").id == order_id
        emu.reset_stats()
        again = second.up()
        assert again.ok, again.error
        assert again.ops() == {"order": Op.SAME}, "the dropped secrets take today's values"
        # The first check after a reload may look the requirements up again: reads only.
        assert set(emu.stats()) <= {LOOKUP, TOKEN}
        destroyed = second.destroy()
        assert destroyed.ok, destroyed.error
        assert second.state == {}
        assert any(order_id in warning for warning in destroyed.warnings)
    finally:
        second.close()
    assert json.loads(state_file.read_text())["resources"] == []
    assert len(emu.orders()) == 1


def test_warnings_and_failures_come_back_as_a_test_can_assert_them(
    emu: EmulatorProcess,
) -> None:
    unconfigured = {"SINCH_PROJECT_ID": "", "SINCH_KEY_ID": "", "SINCH_KEY_SECRET": ""}
    with ProgramRunner(
        one_order_program(au_order()), project_dir=ROOT, config={}, env=unconfigured
    ) as runner:
        preview = runner.preview()
        assert preview.ok, preview.error
        assert any("checked offline only" in w for w in preview.warnings), preview.messages
        failed = runner.up()
    assert not failed.ok
    assert failed.error is not None
    assert "\n" not in failed.error, "one paragraph, not a traceback"
    assert "missing Sinch settings" in failed.error
    assert failed.details is not None
    assert "Traceback" in failed.details
