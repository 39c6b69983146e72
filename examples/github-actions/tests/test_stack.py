"""The stack's own test, run in CI against the emulator (no Sinch account, no Pulumi CLI).

Copy to infra/tests/ in your repository. It runs the real program (`infra/__main__.py`) through
preview and up with the provider plugin, and checks that nothing but the planned order happened.
"""

from pathlib import Path

from sinch_numbers.testing import Op, ProgramRunner
from sinch_numbers.testing.emulator import start_emulator

INFRA = Path(__file__).resolve().parents[1]


def test_stack_orders_its_numbers_on_the_emulator() -> None:
    with (
        start_emulator(review_policy="manual") as emulator,
        ProgramRunner(INFRA, config=emulator.stack_config()) as stack,
    ):
        preview = stack.preview()
        assert preview.ok, preview.error
        assert set(preview.ops().values()) == {Op.CREATE}
        assert emulator.orders() == []  # preview never orders

        up = stack.up()
        assert up.ok, up.error
        assert len(emulator.orders()) == len(preview.ops())
        assert stack.up().ops() == dict.fromkeys(preview.ops(), Op.SAME)
