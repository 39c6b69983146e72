"""A plain `pulumi up` previews and updates in one command: one lookup, one cost line.

The engine runs the two passes in plugin processes of their own and tells neither which pass it
serves, so each looked the requirements up and said what the up would buy. The first pass now
leaves both for the second pass of the same `pulumi` command; separate commands share nothing.
Counts are exact, at the emulator.
"""

from __future__ import annotations

import pulumi
import pytest

from sinch_numbers import NumberOrder
from sinch_numbers.testing import ProgramResult
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, LOOKUP, SEARCH, OneOrder

COST_LINE = "an up would order"


def _cost_lines(result: ProgramResult) -> list[str]:
    return [message for _severity, message in result.messages if COST_LINE in message]


def test_separate_commands_each_look_up_and_say_the_cost(
    emu: EmulatorProcess, cli_runner: MakeRunner
) -> None:
    # `pulumi preview`, then `pulumi up --skip-preview`: nothing one command found is reused by
    # another, and an up without a preview says the cost before it orders.
    stack = cli_runner(OneOrder())
    emu.reset_stats()
    preview = stack.preview()
    up = stack.up()
    assert preview.ok, preview.error
    assert up.ok, up.error
    stats = emu.stats()
    assert stats[LOOKUP] == 2
    assert stats[SEARCH] == 2
    assert stats[CREATE] == 1
    assert len(_cost_lines(preview)) == 1
    assert len(_cost_lines(up)) == 1


class TwoAlike(OneOrder):
    """Two orders with the same inputs: two cost lines, each said once."""

    def __call__(self) -> None:
        for name in ("first", "second"):
            order = NumberOrder(name, **self.inputs)
            pulumi.export(f"{name}_id", order.order_id)


@pytest.mark.parametrize(("program", "orders"), [(OneOrder, 1), (TwoAlike, 2)])
def test_a_plain_up_looks_the_requirements_up_once_and_says_each_cost_once(
    emu: EmulatorProcess, cli_runner: MakeRunner, program: type[OneOrder], orders: int
) -> None:
    # Two orders alike: one lookup and one search serve both, and each is said once.
    stack = cli_runner(program())
    emu.reset_stats()
    up = stack.up(with_preview=True)
    assert up.ok, up.error
    stats = emu.stats()
    assert stats[LOOKUP] == 1
    assert stats[SEARCH] == 1
    assert stats[CREATE] == orders
    assert len(_cost_lines(up)) == orders, up.output
