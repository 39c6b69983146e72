"""Bad KYC data, a fault after the order exists, expiry and rejection: real CLI and simulator."""

from __future__ import annotations

from typing import Any

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.conftest import MakeRunner
from tests.engine.programs import (
    AU_IDENTITY,
    AU_PROOF,
    CREATE,
    SUBMIT,
    UPLOAD,
    OneOrder,
    au_registration,
)


def _flat(failures: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    return [pair for pairs in failures.values() for pair in pairs]


def test_bad_kyc_data_fails_preview_naming_property_and_rule(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneOrder(registration=au_registration(phoneNumber="0400 000 000")))
    preview = stack.preview()
    assert not preview.ok
    flat = _flat(preview.check_failures)
    assert any(p == "registration[2].phoneNumber" and "pattern" in r for p, r in flat), flat
    assert "0400 000 000" not in preview.output
    assert emu.orders() == []
    up = stack.up()
    assert not up.ok
    assert emu.orders() == []
    assert CREATE not in emu.stats()


def test_a_missing_mandatory_document_fails_preview(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneOrder(attachments=[]))
    preview = stack.preview()
    assert not preview.ok
    flat = _flat(preview.check_failures)
    assert any(p == "attachments" and "mandatory" in r for p, r in flat), flat
    assert emu.orders() == []


def test_a_fault_after_the_order_exists_keeps_it_and_the_next_up_resumes(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneOrder())
    emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)
    failed = stack.up()
    assert not failed.ok
    assert "submit" in (failed.error or "")
    orders = emu.orders()
    assert len(orders) == 1
    order_id = orders[0]["idNumberOrder"]
    saved = stack.resource("order")
    assert saved.id == order_id, "the order id reached the engine's state"
    assert saved.outputs["failed_step"] == "submit"

    emu.clear_faults()
    emu.reset_stats()
    resumed = stack.up()
    assert resumed.ok, resumed.error
    assert resumed.ops() == {"order": Op.UPDATE}
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert emu.order(order_id)["state"] == "IN_REVIEW"
    stats = emu.stats()
    assert stats.get(SUBMIT) == 1
    assert UPLOAD not in stats, "each document was uploaded once, by the first up"
    held = {a["attachmentId"] for a in emu.order(order_id)["registration"]["attachments"]}
    assert held == {AU_PROOF, AU_IDENTITY}


def test_an_order_that_expired_is_replaced_on_the_next_up(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = runner(OneOrder())
    emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)
    assert not stack.up().ok
    first = emu.orders()[0]["idNumberOrder"]
    emu.clear_faults()
    emu.advance_clock(49 * 3600)

    replaced = stack.up()
    assert replaced.ok, replaced.error
    assert replaced.ops() == {"order": Op.REPLACE}
    ids = [o["idNumberOrder"] for o in emu.orders()]
    assert len(ids) == 2
    assert stack.resource("order").id != first
    assert emu.order(first)["state"] == "EXPIRED"


def _rejected(runner: MakeRunner, emu: EmulatorProcess) -> tuple[Any, str, dict[str, int]]:
    stack = runner(OneOrder())
    up = stack.up()
    assert up.ok, up.error
    first = up.outputs["order_id"]
    emu.review(first, "reject", "the business name does not match the documents")
    before = emu.order(first)
    emu.reset_stats()
    return stack, first, before


def test_a_rejected_order_is_replaced_by_up_with_refresh_and_left_untouched(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack, first, before = _rejected(runner, emu)
    replaced = stack.up(refresh=True)
    assert replaced.ok, replaced.error
    assert replaced.ops()["order"] is Op.REPLACE
    orders = {o["idNumberOrder"]: o for o in emu.orders()}
    assert len(orders) == 2
    new_id = stack.resource("order").id
    assert new_id != first
    assert orders[new_id]["state"] == "IN_REVIEW"
    assert orders[first] == before, "the rejected order is left as review left it"


def test_a_rejected_order_is_replaced_after_a_refresh(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack, first, before = _rejected(runner, emu)
    refreshed = stack.refresh()
    assert refreshed.ok, refreshed.error
    assert stack.resource("order").outputs["state"] == "REJECTED"
    replaced = stack.up()
    assert replaced.ok, replaced.error
    assert replaced.ops()["order"] is Op.REPLACE
    assert len(emu.orders()) == 2
    assert emu.order(first) == before
