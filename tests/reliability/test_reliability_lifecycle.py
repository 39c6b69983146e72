"""Lifecycle edges: expiry, review outcomes, orders gone from the server, rotated credentials,
and a plugin killed in the middle of a create."""

from __future__ import annotations

import copy
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from sinch_numbers.testing import Op, ProgramResult, ProgramRunner
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from tests.reliability.support import (
    CREATE,
    FAST_ENV,
    PUT_REGISTRATION,
    RELEASE,
    ROOT,
    SUBMIT,
    UPLOAD,
    Kyc,
    Stack,
    held_documents,
    make_kyc,
    order_inputs,
    program_for,
    wait_until,
)

MakeStack = Callable[..., Stack]


def _fault_hits(emu: EmulatorProcess) -> int:
    response = httpx.get(f"{emu.url}/_emulator/faults", timeout=10)
    return sum(f["hits"] for f in response.json()["faults"])


def _fail_submit_once(emu: EmulatorProcess) -> None:
    emu.add_fault(r"/submit$", method="POST", action="status", status=400, times=1)


def _states(emu: EmulatorProcess) -> dict[str, str]:
    return {o["idNumberOrder"]: o["state"] for o in emu.orders()}


def _changed_registration(stack: Stack, first_name: str) -> Any:
    registration = copy.deepcopy(stack.inputs["registration"])
    registration[2]["firstName"] = first_name
    return registration


# --- expiry -------------------------------------------------------------------------------


def test_expiry_before_submit_then_a_new_order(emu: EmulatorProcess, make_stack: MakeStack) -> None:
    """The reservation lapses while the run is still uploading (the server clock jumps while
    submit is in flight): the run fails saying so and the next `up` replaces the order."""
    emu.settings(reservation_seconds=600)
    emu.add_fault(r"/submit$", method="POST", action="latency", latency_ms=800, times=1)
    stack = make_stack(env={})  # the default timeout: the slow submit is answered

    def expire_while_submitting() -> None:
        wait_until(lambda: _fault_hits(emu) == 1, what="submit in flight")
        emu.advance_clock(700)

    mover = threading.Thread(target=expire_while_submitting)
    mover.start()
    up = stack.runner.up()
    mover.join()
    assert not up.ok
    old_id = stack.outputs()["order_id"]
    assert old_id in (up.error or "")
    assert "is EXPIRED" in (up.error or ""), "the plain error names the state the failure revealed"
    assert stack.outputs()["failed_step"] == "submit"
    assert stack.outputs()["state"] == "EXPIRED", "the state the failure revealed is kept"

    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    new_id = stack.outputs()["order_id"]
    assert _states(emu) == {old_id: "EXPIRED", new_id: "IN_REVIEW"}


def test_expiry_between_runs_by_the_clock_replaces_without_a_call(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    """Real time passes the stored expire_time: diff (no API call) plans the replacement."""
    emu.settings(reservation_seconds=1)
    _fail_submit_once(emu)
    stack = make_stack()
    assert not stack.runner.up().ok
    old_id = stack.outputs()["order_id"]
    time.sleep(1.2)
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    assert _states(emu) == {old_id: "EXPIRED", stack.outputs()["order_id"]: "IN_REVIEW"}
    assert emu.stats()[CREATE] == 1


def test_expiry_between_runs_on_the_server_clock(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    """The server's clock is ahead of the local one: the local clock cannot see the expiry, but
    the order is incomplete and its stored state not final, so diff reads it once, sees EXPIRED
    and plans the replacement in the same run."""
    emu.settings(reservation_seconds=600)
    _fail_submit_once(emu)
    stack = make_stack()
    assert not stack.runner.up().ok
    old_id = stack.outputs()["order_id"]
    emu.advance_clock(700)  # under a day: see the lead's note on old tokens after long jumps

    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    assert _states(emu) == {old_id: "EXPIRED", stack.outputs()["order_id"]: "IN_REVIEW"}
    assert emu.stats()[CREATE] == 1


# --- review outcomes ----------------------------------------------------------------------


def test_rejection_then_corrected_data_makes_a_new_order_and_leaves_the_old_alone(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    old_id = stack.outputs()["order_id"]
    emu.review(old_id, "reject", "Proof of address is older than three months")
    before = emu.order(old_id)

    stack.inputs["registration"] = _changed_registration(stack, "Corrected")
    # Without a refresh the stack still says IN_REVIEW; a registration change on an order that
    # may be in review is planned only after reading it: it is REJECTED, so it is replaced.
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    new_id = stack.outputs()["order_id"]
    assert new_id != old_id
    assert _states(emu) == {old_id: "REJECTED", new_id: "IN_REVIEW"}
    after = emu.order(old_id)
    assert after["updateTime"] == before["updateTime"], "the rejected order was touched"
    assert after["registration"] == before["registration"]
    assert emu.order(new_id)["registration"]["requestDetails"]["data"][2]["firstName"] == (
        "Corrected"
    )


def test_a_blocked_order_is_fixed_and_resubmitted_without_a_refresh(
    emu: EmulatorProcess, make_stack: MakeStack, au_kyc: Kyc
) -> None:
    """The reviewer blocks; the user fixes the data and runs `up` straight away: the stack
    still says IN_REVIEW, the server says BLOCKED, and the server is right."""
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "block", "The contact must be the account owner")

    stack.inputs["registration"] = _changed_registration(stack, "Owner")
    proof = au_kyc.documents[0].path
    proof.write_bytes(proof.read_bytes() + b"% second scan\n")
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    stats = Counter(emu.stats())
    assert stats[PUT_REGISTRATION] == 1
    assert stats[UPLOAD] == 1, "only the changed document is sent again"
    assert stats[SUBMIT] == 1
    assert stats[CREATE] == 0
    assert _states(emu) == {order_id: "IN_REVIEW"}
    assert stack.outputs()["state"] == "IN_REVIEW"


def test_a_change_while_really_in_review_is_refused_with_advice(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    stack.inputs["registration"] = _changed_registration(stack, "Changed")
    emu.reset_stats()
    up = stack.runner.up()
    assert not up.ok
    assert "IN_REVIEW" in (up.error or "")
    assert "Revert the change" in (up.error or "")
    assert "Changed" not in (up.error or "")
    assert PUT_REGISTRATION not in emu.stats()


def test_destroy_during_review_warns_that_the_order_goes_on(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.reset_stats()
    destroyed = stack.runner.destroy()
    assert destroyed.ok, destroyed.error
    assert not stack.has_order()
    assert stack.runner.plugin.wait_for_output("CANNOT be cancelled")
    stderr = stack.runner.plugin.stderr_text()
    assert "BILLED" in stderr
    assert order_id in stderr
    assert RELEASE not in emu.stats()
    # What the warning is about: review goes on without the stack.
    emu.review(order_id, "approve")
    assert _states(emu) == {order_id: "COMPLETED"}


# --- orders the server no longer knows ----------------------------------------------------


def test_refresh_of_an_unknown_order_removes_it_and_up_orders_again(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.reset()  # the server forgets every order
    refreshed = stack.runner.refresh()
    assert refreshed.ok, refreshed.error
    assert refreshed.op("order") == Op.REFRESH_REMOVED
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.CREATE
    assert len(emu.orders()) == 1


def test_resuming_an_order_the_server_lost_says_how_to_recover(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    _fail_submit_once(emu)
    stack = make_stack()
    assert not stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.reset()
    up = stack.runner.up()
    assert not up.ok
    error = up.error or ""
    assert order_id in error
    assert "no longer exists" in error
    assert "pulumi refresh" in error
    assert emu.orders() == []
    assert stack.runner.refresh().ok
    assert stack.runner.up().ok
    assert len(emu.orders()) == 1


# --- credentials rotated ------------------------------------------------------------------


def test_credentials_rotated_between_up_and_destroy(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator-state.json"
    old = {"key_id": "old-key", "key_secret": "old-secret-1", "state_file": state_file}
    new = {"key_id": "new-key", "key_secret": "new-secret-2", "state_file": state_file}
    with start_emulator(review_policy="manual", **old) as first:
        port = httpx.URL(first.url).port  # the second emulator serves the same URL
        kyc = make_kyc(first, "AU", "MOBILE", tmp_path / "documents")
        inputs = order_inputs(kyc, "AU", "MOBILE", sms_configuration={"service_plan_id": "p1"})
        runner = ProgramRunner(
            program_for({"order": inputs}),
            project_dir=ROOT,
            config=first.stack_config(),
            env=FAST_ENV,
        )
        try:
            assert runner.up().ok
            order_id = runner.resource("order").outputs["order_id"]
            first.review(order_id, "approve")
            assert runner.refresh().ok
            phone = runner.resource("order").outputs["phone_numbers"][0]
        finally:
            runner.close()

    # The old key is revoked; the same account (state) answers only the new one, at the same URL
    # (the order records its API URL, and no hook acts on it under another).
    with start_emulator(review_policy="manual", port=port, **new) as second:
        assert [o["idNumberOrder"] for o in second.orders()] == [order_id]
        runner.config = second.stack_config()  # a new plugin process, as for every CLI command
        try:
            # As the engine: a plain destroy runs with the settings saved at the last up.
            stale = runner.destroy()
            assert not stale.ok
            assert "--run-program" in (stale.error or "")
            destroyed = runner.destroy(run_program=True)
        finally:
            runner.close()
        assert destroyed.ok, destroyed.error
        assert second.stats()[RELEASE] == 1
        creds = second.credentials
        number = httpx.get(
            f"{second.url}/v1/projects/{creds.project_id}/activeNumbers/{phone}",
            auth=(creds.key_id, creds.key_secret),
            timeout=10,
        ).json()
        assert number["expireAt"], "released with the rotated credentials"
        text = runner.plugin.output_text() + (destroyed.error or "")
        assert "old-secret-1" not in text
        assert "new-secret-2" not in text


# --- a run killed in the middle of a create -----------------------------------------------


def test_a_plugin_killed_mid_create_leaves_an_order_only_adoption_recovers(
    emu: EmulatorProcess, make_stack: MakeStack, au_kyc: Kyc
) -> None:
    """The one window the Python dynamic provider cannot close: the order exists, its id never
    reached the engine. The next `up` would create a second order; adopt_order_id recovers."""
    emu.add_fault(r"/submit$", method="POST", action="latency", latency_ms=1500, times=1)
    stack = make_stack(env={})
    result: list[ProgramResult] = []
    worker = threading.Thread(target=lambda: result.append(stack.runner.up()))
    worker.start()
    wait_until(lambda: _fault_hits(emu) == 1, what="submit in flight")
    pid = stack.runner.plugin.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the plugin this test started, by its id
    worker.join(timeout=30)
    assert result
    assert not result[0].ok
    assert not stack.has_order(), "no id came back: the engine has nothing to save"
    stack.runner.plugin.close()

    orders = emu.orders()
    assert len(orders) == 1, "the order exists on the server regardless"
    orphan = orders[0]["idNumberOrder"]
    # The late submit still lands: the server had the request.
    wait_until(lambda: _states(emu)[orphan] == "IN_REVIEW", what="late submit")

    stack.inputs["adopt_order_id"] = orphan
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.CREATE
    assert CREATE not in emu.stats()
    assert stack.outputs()["order_id"] == orphan
    assert stack.outputs()["state"] == "IN_REVIEW"
    assert _states(emu) == {orphan: "IN_REVIEW"}
    assert held_documents(emu, orphan) == au_kyc.expected()
