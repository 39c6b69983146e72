"""ActiveNumber's whole life and the program-time lookups, through the real CLI and the simulator.

Each test runs once per ``kind`` ("cli": the real Pulumi CLI; "simulator": sinch_numbers.testing)
with the same assertions, on the operations, the stack's state and the calls the emulator saw.
Token requests are left out of the counts: the simulator keeps one plugin process between
operations, the CLI starts one per command.
"""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest

from sinch_numbers import (
    ActiveNumber,
    NumberOrder,
    find_available_numbers,
    lookup_requirements,
    lookups,
)
from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.active_numbers import (
    CREATE_ORDER,
    GET_NUMBER,
    LOOKUP,
    PATCH_NUMBER,
    RELEASE,
    SEARCH,
    OneNumber,
    activate,
    api_calls,
    change_outside,
)
from tests.engine.conftest import MakeRunner
from tests.engine.programs import active_number


def test_adopt_update_refresh_and_destroy_keeping_the_number(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    phone = activate(emu)
    program = OneNumber(phone, display_name="Support", sms_configuration={"service_plan_id": "a"})
    stack = runner(program)

    preview = stack.preview()
    assert preview.ok, preview.error
    assert preview.ops() == {"number": Op.CREATE}
    assert emu.stats() == {}, "preview makes no call"

    up = stack.up()
    assert up.ok, up.error
    assert up.ops() == {"number": Op.CREATE}
    assert api_calls(emu.stats()) == {GET_NUMBER: 1, PATCH_NUMBER: 1}, "adopted, not bought"
    assert CREATE_ORDER not in emu.stats()
    number = active_number(emu, phone)
    assert (number["displayName"], number["smsConfiguration"]["servicePlanId"]) == ("Support", "a")
    assert up.outputs["phone_number"] == phone

    emu.reset_stats()
    again = stack.up()
    assert again.ok, again.error
    assert again.ops() == {"number": Op.SAME}
    assert emu.stats() == {}, "an unchanged up makes no call"

    program.inputs["display_name"] = "Sales"
    updated = stack.up()
    assert updated.ok, updated.error
    assert updated.ops() == {"number": Op.UPDATE}
    assert api_calls(emu.stats()) == {PATCH_NUMBER: 1}
    assert active_number(emu, phone)["displayName"] == "Sales"

    change_outside(emu, phone, {"smsConfiguration": {"servicePlanId": "drifted"}})
    refreshed = stack.refresh()
    assert refreshed.ok, refreshed.error
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}
    outputs = stack.resource("number").outputs
    assert outputs["sms_configuration"] == {"service_plan_id": "drifted"}
    assert outputs["next_charge_date"].startswith(number["nextChargeDate"][:19])
    assert outputs["monthly_price"] == {"currency_code": "USD", "amount": "0.50"}
    assert outputs["capabilities"] == ["SMS", "VOICE"]

    emu.reset_stats()
    restored = stack.up()
    assert restored.ok, restored.error
    assert restored.ops() == {"number": Op.UPDATE}
    assert api_calls(emu.stats()) == {PATCH_NUMBER: 1}
    assert active_number(emu, phone)["smsConfiguration"]["servicePlanId"] == "a"

    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert destroyed.ops() == {"number": Op.DELETE}
    assert emu.stats() == {}, "no release"
    assert active_number(emu, phone)["expireAt"] is None
    assert any(f"{phone} stays active and billed" in text for _s, text in destroyed.messages), (
        destroyed.output
    )
    assert stack.state == {}


def test_release_on_destroy_true_releases_the_number(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    phone = activate(emu)
    stack = runner(OneNumber(phone, release_on_destroy=True))
    up = stack.up()
    assert up.ok, up.error
    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert api_calls(emu.stats()) == {RELEASE: 1}
    number = active_number(emu, phone)
    assert number["expireAt"] == number["nextChargeDate"]


def test_a_number_that_is_not_active_fails_create_and_nothing_is_bought(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneNumber("+13075551234"))
    up = stack.up()
    assert not up.ok
    assert "+13075551234 is not an active number of this Sinch project" in up.output
    assert api_calls(emu.stats()) == {GET_NUMBER: 1}
    assert emu.orders() == []
    assert stack.state == {}


@pytest.fixture
def fresh_answers() -> Iterator[None]:
    # Programs run in this process under both kinds: answers would carry over between tests.
    lookups.clear_cache()
    yield
    lookups.clear_cache()


def asking() -> None:
    requirements = lookup_requirements("AU", "MOBILE")
    lookup_requirements("AU", "MOBILE")
    numbers = find_available_numbers("AU", "MOBILE", capabilities=["VOICE"], size=2)
    find_available_numbers("AU", "MOBILE", capabilities=["VOICE"], size=2)
    pulumi.export("proof", requirements.attachment("Proof of business address").id)
    pulumi.export("numbers", [n.phone_number for n in numbers])


@pytest.mark.usefixtures("fresh_answers")
def test_lookups_answer_in_preview_and_up_and_ask_once(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(asking)
    preview = stack.preview()
    assert preview.ok, preview.error
    assert api_calls(emu.stats()) == {LOOKUP: 1, SEARCH: 1}
    up = stack.up()
    assert up.ok, up.error
    assert api_calls(emu.stats()) == {LOOKUP: 1, SEARCH: 1}, "answered from the cache"
    assert up.outputs["proof"] == "01jxn2251d0shhamtbykft2xzx"
    assert up.outputs["numbers"] == ["+61412000100", "+61412000102"]
    assert emu.orders() == []


class OrderAndItsNumber:
    """A NumberOrder ``order`` of one US number and, once ``manage_number`` is set, an
    ActiveNumber ``number`` for that number, its phone_number taken from the order's outputs."""

    def __init__(self) -> None:
        self.manage_number = False

    def __call__(self) -> None:
        order = NumberOrder("order", region_code="US", number_type="LOCAL", quantity=1)
        if self.manage_number:
            ActiveNumber(
                "number",
                phone_number=order.phone_numbers.apply(lambda numbers: numbers[0]),
                display_name="Support",
            )


def _billed_warnings(messages: list[tuple[str, str]], phone: str) -> list[str]:
    """Warnings that ``phone`` stays billed: the CLI's by severity; the simulator relays a
    plugin's warning as a line that says so."""
    return [
        text
        for severity, text in messages
        if (severity == "warning" or text.startswith("warning: "))
        and phone in text
        and "billed" in text
    ]


def test_one_destroy_of_an_order_and_its_number_releases_it_and_never_says_it_stays(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    """Issue 16, item 7: the ActiveNumber is deleted first (it depends on the order), and used to
    warn that the number "stays active and billed" just before the order's delete released it."""
    program = OrderAndItsNumber()
    stack = runner(program)
    up = stack.up()
    assert up.ok, up.error
    emu.review(stack.resource("order").outputs["order_id"], "approve")
    assert stack.refresh().ok
    program.manage_number = True
    adopted = stack.up()
    assert adopted.ok, adopted.error
    assert adopted.op("number") is Op.CREATE
    phone = str(stack.resource("number").outputs["phone_number"])

    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert destroyed.ops() == {"order": Op.DELETE, "number": Op.DELETE}
    assert api_calls(emu.stats()).get(RELEASE) == 1
    assert active_number(emu, phone)["expireAt"] is not None, "the destroy released it"
    assert _billed_warnings(destroyed.messages, phone) == [], destroyed.output


def test_removing_only_the_number_of_an_order_leaves_it_with_the_order(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    """The number stays in the stack, held by its order: nothing billed leaves the stack."""
    program = OrderAndItsNumber()
    stack = runner(program)
    assert stack.up().ok
    emu.review(stack.resource("order").outputs["order_id"], "approve")
    assert stack.refresh().ok
    program.manage_number = True
    assert stack.up().ok
    phone = str(stack.resource("number").outputs["phone_number"])

    program.manage_number = False
    emu.reset_stats()
    removed = stack.up()
    assert removed.ok, removed.error
    assert removed.op("number") is Op.DELETE
    assert RELEASE not in emu.stats()
    assert _billed_warnings(removed.messages, phone) == [], removed.output
    assert any(phone in text and "order" in text for _s, text in removed.messages), removed.output
