"""preview / up / refresh / destroy of a NumberOrder, driven through the real plugin process."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest

from sinch_numbers import NumberOrder
from sinch_numbers.core.journal import CreateJournal, inputs_key
from sinch_numbers.testing import Op, ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.conftest import (
    AU_PROOF,
    ROOT,
    Stack,
    active_number,
    au_attachments,
    au_order,
    au_registration,
    pdf_bytes,
)

CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
REGISTRATION = "PUT /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
UPLOAD = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
SUBMIT = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/submit"
GET_ORDER = "GET /v1/projects/{projectId}/numberOrders/{numberOrderId}"
RELEASE = "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release"
PATCH_NUMBER = "PATCH /v1/projects/{projectId}/activeNumbers/{phoneNumber}"
TOKEN = "POST /oauth2/token"

MakeStack = Callable[..., Stack]


def completed(emu: EmulatorProcess, stack: Stack) -> dict[str, Any]:
    """Up, approve through the admin API, refresh: the order ends COMPLETED."""
    up = stack.runner.up()
    assert up.ok, up.error
    emu.review(stack.outputs()["order_id"], "approve")
    refreshed = stack.runner.refresh()
    assert refreshed.ok, refreshed.error
    assert stack.outputs()["state"] == "COMPLETED"
    return stack.outputs()


def test_preview_checks_and_plans_without_creating(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    assert preview.op("order") == Op.CREATE
    methods = {c.method for c in stack.runner.plugin.calls}
    assert "Create" not in methods
    assert emu.orders() == []
    stats = emu.stats()
    assert CREATE not in stats
    assert stats.get(LOOKUP) == 1  # KYC checked against the requirements, nothing else


def test_preview_reports_bad_kyc_data_before_any_order(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(registration=au_registration(phoneNumber="0400 000 000"))
    preview = stack.runner.preview()
    assert not preview.ok
    failures = preview.check_failures
    flat = [pair for pairs in failures.values() for pair in pairs]
    assert any(prop == "registration[2].phoneNumber" and "pattern" in rule for prop, rule in flat)
    assert all("0400 000 000" not in rule for _, rule in flat)
    assert emu.orders() == []
    up = stack.runner.up()
    assert not up.ok
    assert emu.orders() == []


def test_preview_reports_a_missing_mandatory_document(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(attachments=[])
    result = stack.runner.preview()
    flat = [pair for pairs in result.check_failures.values() for pair in pairs]
    assert any(prop == "attachments" and "mandatory" in rule for prop, rule in flat), flat
    assert emu.orders() == []


def test_up_runs_every_step_once_and_a_second_up_does_nothing(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    up = stack.runner.up()
    assert up.ok, up.error
    outputs = stack.outputs()
    assert outputs["state"] == "IN_REVIEW"
    assert outputs.get("failed_step") is None
    assert outputs["completed_steps"] == [
        "lookup",
        "create_order",
        "registration",
        "attachments",
        "submit",
    ]
    assert len(outputs["phone_numbers"]) == 1
    assert outputs["phone_numbers"][0].startswith("+614")
    assert outputs["expire_time"]
    stats = emu.stats()
    assert stats[TOKEN] == 1
    assert stats[LOOKUP] == 1
    assert stats[CREATE] == 1
    assert stats[REGISTRATION] == 1
    assert stats[UPLOAD] == 2
    assert stats[SUBMIT] == 1

    emu.reset_stats()
    again = stack.runner.up()
    assert again.ok, again.error
    assert again.op("order") == Op.SAME
    assert emu.stats() == {}, "a no-op up (check and diff) must make no API call"
    assert len(emu.orders()) == 1


def test_kyc_outputs_are_secret_in_the_engine_sense(make_stack: MakeStack) -> None:
    stack = make_stack()
    up = stack.runner.up()
    assert up.ok, up.error
    assert isinstance(up.outputs["registration"], Secret)
    state = stack.state()
    for key in ("registration", "attachments", "progress"):
        assert key in state.secret_keys, key
    assert "order_id" not in state.secret_keys


def test_wait_for_completion_polls_until_approved(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    emu.settings(review_policy="auto", review_delay_seconds=1.5)
    stack = make_stack(wait_for_completion=True, completion_timeout=60)
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.ops() == {"order": Op.CREATE, "order-completion": Op.CREATE}
    completion = stack.runner.resource("order-completion")
    assert completion.id == stack.outputs()["order_id"]
    assert completion.outputs["state"] == "COMPLETED"
    assert completion.outputs["phone_numbers"] == stack.outputs()["phone_numbers"]
    # The order's own create did not wait: it returned once the order was submitted.
    assert stack.outputs()["state"] == "IN_REVIEW"
    assert "wait" not in stack.outputs()["completed_steps"]
    creates = [c for c in stack.runner.plugin.calls if c.method == "Create"]
    assert len(creates) == 2


def test_wait_fails_clearly_on_rejection_naming_the_review_messages_not_their_text(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(wait_for_completion=True, completion_timeout=60)

    def reject_when_submitted() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            orders = [o for o in emu.orders() if o["state"] == "IN_REVIEW"]
            if orders:
                emu.review(orders[0]["idNumberOrder"], "reject", "Proof of address is unreadable")
                return
            time.sleep(0.1)

    reviewer = threading.Thread(target=reject_when_submitted)
    reviewer.start()
    up = stack.runner.up()
    reviewer.join()
    assert not up.ok
    order_id = stack.outputs()["order_id"]
    # The reviewer's words are in the secret output; the error names the count and the command.
    assert f"order {order_id} was REJECTED by review (1 review message;" in (up.error or "")
    assert f"`sinch-numbers order show {order_id} --show-review-text`" in (up.error or "")
    assert "unreadable" not in (up.error or "")
    with pytest.raises(KeyError):
        stack.runner.resource("order-completion")
    refreshed = stack.runner.refresh()
    assert refreshed.ok, refreshed.error
    outputs = stack.outputs()
    assert outputs["state"] == "REJECTED"
    logs = outputs["registration_logs"]
    assert isinstance(logs, Secret)
    assert logs.value[0]["message"] == "Proof of address is unreadable"


def test_wait_times_out_and_the_next_up_waits_again(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(wait_for_completion=True, completion_timeout=1.5)
    up = stack.runner.up()
    assert not up.ok
    assert "still IN_REVIEW" in (up.error or "")
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "approve")
    emu.reset_stats()
    again = stack.runner.up()
    assert again.ok, again.error
    assert again.ops() == {"order": Op.SAME, "order-completion": Op.CREATE}
    assert stack.runner.resource("order-completion").outputs["state"] == "COMPLETED"
    assert CREATE not in emu.stats()
    assert len(emu.orders()) == 1


@pytest.mark.parametrize(
    ("route", "step"),
    [(REGISTRATION, "registration"), (UPLOAD, "attachments"), (SUBMIT, "submit")],
)
def test_a_failure_after_create_keeps_the_order_and_the_next_up_resumes(
    emu: EmulatorProcess, make_stack: MakeStack, route: str, step: str
) -> None:
    method = route.split(" ", 1)[0]
    pattern = {
        "registration": r"/registration$",
        "attachments": r"/attachments/",
        "submit": r"/submit$",
    }[step]
    # A 400 is never retried, so the step fails on the first try.
    emu.add_fault(method=method, path=pattern, action="status", status=400, times=1)
    stack = make_stack()
    up = stack.runner.up()
    assert not up.ok
    outputs = stack.outputs()
    order_id = outputs["order_id"]
    assert order_id
    assert outputs["failed_step"] == step
    assert order_id in (up.error or "")
    assert "run `pulumi up` again" in (up.error or "")

    emu.reset_stats()
    resumed = stack.runner.up()
    assert resumed.ok, resumed.error
    assert resumed.op("order") == Op.UPDATE
    assert stack.outputs()["order_id"] == order_id
    assert stack.outputs().get("failed_step") is None
    assert stack.outputs()["state"] == "IN_REVIEW"
    orders = emu.orders()
    assert [o["idNumberOrder"] for o in orders] == [order_id]
    stats = emu.stats()
    assert CREATE not in stats
    expected_uploads = {"registration": 2, "attachments": 2, "submit": 0}[step]
    # After a failed upload, the one that succeeded before it is not sent again.
    if step == "attachments":
        expected_uploads = 1 if stats.get(UPLOAD) == 1 else 2
    assert stats.get(UPLOAD, 0) == expected_uploads
    assert stats.get(REGISTRATION, 0) == (1 if step == "registration" else 0)


def test_completed_order_kyc_changes_are_state_only(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    completed(emu, stack)
    emu.reset_stats()
    stack.inputs["registration"] = au_registration(firstName="Robin")
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    # check validates the changed data (one lookup, a read); nothing is sent or read for it.
    assert {k: v for k, v in emu.stats().items() if k != TOKEN} == {LOOKUP: 1}
    assert stack.outputs()["state"] == "COMPLETED"


def test_completed_order_sms_change_patches_numbers_and_never_releases(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    outputs = completed(emu, stack)
    emu.reset_stats()
    stack.inputs["sms_configuration"] = {"service_plan_id": "plan-two"}
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    stats = emu.stats()
    assert stats.get(PATCH_NUMBER) == len(outputs["phone_numbers"])
    assert RELEASE not in stats
    assert CREATE not in stats
    number = active_number(emu, outputs["phone_numbers"][0])
    assert number["smsConfiguration"]["servicePlanId"] == "plan-two"


def test_blocked_order_is_fixed_and_resubmitted(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "block", "Contact person must be the account owner")
    assert stack.runner.refresh().ok
    assert stack.outputs()["state"] == "BLOCKED"
    logs = stack.outputs()["registration_logs"]
    assert logs.value[0]["message"] == "Contact person must be the account owner"

    emu.reset_stats()
    stack.inputs["registration"] = au_registration(firstName="Owner")
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    stats = emu.stats()
    assert stats.get(REGISTRATION) == 1
    assert UPLOAD not in stats, "unchanged documents are not uploaded again"
    assert stats.get(SUBMIT) == 1
    assert stack.outputs()["state"] == "IN_REVIEW"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]


def test_a_fix_for_a_blocked_order_checked_offline_only_is_refused_saying_nothing_was_sent(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "block", "Contact person must be the account owner")
    stack.runner.config["sinch:offlineCheck"] = "true"
    stack.inputs["registration"] = au_registration(phoneNumber="0400 000 000")
    emu.reset_stats()
    up = stack.runner.up()
    assert not up.ok
    error = up.error or ""
    assert "invalid KYC data" in error
    assert "nothing was ordered or sent" in error
    assert "no order was created" not in error, "the order exists; only the fix was refused"
    assert REGISTRATION not in emu.stats()
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]


def test_rejected_order_is_replaced_and_the_old_one_left_alone(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    old_id = stack.outputs()["order_id"]
    emu.review(old_id, "reject", "Documents do not match")
    assert stack.runner.refresh().ok
    assert stack.outputs()["state"] == "REJECTED"
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    new_id = stack.outputs()["order_id"]
    assert new_id != old_id
    assert RELEASE not in emu.stats()
    states = {o["idNumberOrder"]: o["state"] for o in emu.orders()}
    assert states == {old_id: "REJECTED", new_id: "IN_REVIEW"}


def test_expired_order_is_replaced(emu: EmulatorProcess, make_stack: MakeStack) -> None:
    emu.add_fault(method="POST", path=r"/submit$", action="status", status=400, times=1)
    stack = make_stack()
    assert not stack.runner.up().ok
    old_id = stack.outputs()["order_id"]
    assert stack.outputs()["state"] == "CREATED"
    emu.advance_clock(49 * 3600)
    assert stack.runner.refresh().ok
    assert stack.outputs()["state"] == "EXPIRED"
    up = stack.runner.up()
    assert up.ok, up.error
    assert up.op("order") == Op.REPLACE
    states = {o["idNumberOrder"]: o["state"] for o in emu.orders()}
    assert states[old_id] == "EXPIRED"
    assert list(states.values()).count("IN_REVIEW") == 1


def test_refresh_removes_an_order_the_server_no_longer_knows(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.reset()
    refreshed = stack.runner.refresh()
    assert refreshed.ok, refreshed.error
    assert refreshed.op("order") == Op.REFRESH_REMOVED
    assert stack.runner.state == {}


def test_refresh_maps_states_and_returns_inputs(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    _, outs, inputs = stack.runner.plugin.read(
        stack.state().urn, order_id, _plain(stack.state().outputs), _plain(stack.state().inputs)
    )
    assert outs["state"] == "IN_REVIEW"
    assert inputs is not None
    assert inputs["region_code"] == "AU"
    assert "order_id" not in inputs


def test_destroy_releases_a_completed_orders_numbers(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    outputs = completed(emu, stack)
    emu.reset_stats()
    destroyed = stack.runner.destroy()
    assert destroyed.ok, destroyed.error
    assert emu.stats().get(RELEASE) == len(outputs["phone_numbers"])
    number = active_number(emu, outputs["phone_numbers"][0])
    assert number["expireAt"]


def test_destroy_keeps_numbers_when_release_on_destroy_is_false(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(release_on_destroy=False)
    completed(emu, stack)
    emu.reset_stats()
    assert stack.runner.destroy().ok
    assert RELEASE not in emu.stats()
    assert stack.runner.plugin.wait_for_output("stay active and billed")


@pytest.mark.parametrize(
    ("prepare", "warning"),
    [
        ("in_review", "CANNOT be cancelled"),
        ("created", "reservation lapses at"),
        ("blocked", "CANNOT be cancelled"),
    ],
)
def test_destroy_of_an_open_order_warns_with_the_order_id(
    emu: EmulatorProcess, make_stack: MakeStack, prepare: str, warning: str
) -> None:
    if prepare == "created":
        emu.add_fault(method="POST", path=r"/submit$", action="status", status=400, times=1)
    stack = make_stack()
    stack.runner.up()
    order_id = stack.outputs()["order_id"]
    if prepare == "blocked":
        emu.review(order_id, "block", "Need more")
    emu.reset_stats()
    assert stack.runner.destroy().ok
    assert stack.runner.plugin.wait_for_output(warning)
    assert order_id in stack.runner.plugin.stderr_text()
    assert RELEASE not in emu.stats()


def test_destroy_tolerates_an_order_gone_from_the_server(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.reset()
    assert stack.runner.destroy().ok


def test_adopt_an_existing_order_instead_of_creating(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    first = make_stack()
    assert first.runner.up().ok
    order_id = first.outputs()["order_id"]
    phone = first.outputs()["phone_numbers"][0]
    emu.reset_stats()
    adopter = make_stack(adopt_order_id=order_id)
    up = adopter.runner.up()
    assert up.ok, up.error
    assert CREATE not in emu.stats()
    assert adopter.outputs()["order_id"] == order_id
    assert adopter.outputs()["phone_numbers"] == [phone]
    assert len(emu.orders()) == 1
    # Dropping adopt_order_id afterwards is state-only, not a replacement.
    del adopter.inputs["adopt_order_id"]
    again = adopter.runner.up()
    assert again.ok, again.error
    assert again.op("order") in (Op.UPDATE, Op.SAME)
    assert len(emu.orders()) == 1


def test_adopt_refuses_an_order_that_does_not_match(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    first = make_stack()
    assert first.runner.up().ok
    order_id = first.outputs()["order_id"]
    adopter = make_stack(
        adopt_order_id=order_id, region_code="GB", registration=None, attachments=None
    )
    up = adopter.runner.up()
    assert not up.ok
    assert "does not match" in (up.error or "")
    assert "region_code" in (up.error or "")
    assert len(emu.orders()) == 1


def test_a_changed_document_is_uploaded_again(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(pdf_bytes("first"))
    stack = make_stack(attachments=au_attachments(proof))
    emu.add_fault(method="POST", path=r"/submit$", action="status", status=400, times=1)
    assert not stack.runner.up().ok
    assert stack.outputs()["state"] == "CREATED"
    proof.write_bytes(pdf_bytes("second"))
    emu.reset_stats()
    up = stack.runner.up()
    assert up.ok, up.error
    stats = emu.stats()
    assert stats.get(UPLOAD) == 1
    order = emu.order(stack.outputs()["order_id"])
    uploaded = {a["attachmentId"] for a in order["registration"]["attachments"]}
    assert AU_PROOF in uploaded


def _plain(value: Any) -> Any:
    if isinstance(value, Secret):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_file_assets_in_plain_dict_attachments_survive_diff(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    import pulumi

    from tests.provider.conftest import AU_IDENTITY, DOCUMENTS

    stack = make_stack(
        attachments=[
            {
                "requirement_id": AU_PROOF,
                "file": pulumi.FileAsset(str(DOCUMENTS / "proof-of-address.pdf")),
            },
            {
                "requirement_id": AU_IDENTITY,
                "file": pulumi.FileAsset(str(DOCUMENTS / "identity-document.png")),
                "document_type": "Passport",
            },
        ]
    )
    assert stack.runner.up().ok
    again = stack.runner.up()  # Diff: a FileAsset in state would crash the plugin here
    assert again.ok, again.error
    assert again.op("order") == Op.SAME


def test_a_number_our_own_interrupted_order_holds_is_named_not_just_not_available(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    holder = make_stack()
    assert holder.runner.up().ok
    order_id = holder.outputs()["order_id"]
    phone = holder.outputs()["phone_numbers"][0]
    # What a run killed between createNumberOrder and its return leaves in the record, for a
    # declaration this one's key does not match (renamed resource, other stack).
    record_dir = tmp_path / "record"
    record = CreateJournal(record_dir, emu.credentials.project_id)
    record.note(inputs_key("a declaration renamed since"), order_id, phone_number=phone)
    emu.reset_stats()
    wanting = make_stack(
        env={"SINCH_NUMBERS_STATE_DIR": str(record_dir)}, quantity=None, phone_number=phone
    )
    up = wanting.runner.up()
    assert not up.ok
    error = up.error or ""
    assert "not available" in error
    assert order_id in error
    assert f'adopt_order_id="{order_id}"' in error
    assert emu.stats().get(CREATE) == 1
    assert len(emu.orders()) == 1


def test_the_testing_kit_never_reads_the_users_own_record(
    emu: EmulatorProcess, make_stack: MakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The user's own record, where a plain `pulumi up` on this machine keeps it, made unusable:
    # a run that read it would refuse to order (it fails closed).
    monkeypatch.delenv("SINCH_NUMBERS_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    users_record = tmp_path / "xdg" / "sinch-numbers"
    users_record.parent.mkdir()
    users_record.write_text("the user's own record, not a folder")
    stack = make_stack()
    up = stack.runner.up()
    assert up.ok, up.error
    assert users_record.read_text() == "the user's own record, not a folder"
    assert len(emu.orders()) == 1


def test_orders_of_the_same_name_and_inputs_under_two_components_are_two_declarations(
    emu: EmulatorProcess,
) -> None:
    # Under components the URN tells children of one name apart by the parent's type: so does
    # the record's key, which gets no URN. Same inputs, created at once: two orders.
    inputs = au_order()

    def program() -> None:
        for kind, name in (("my:lines:Sales", "sales"), ("my:lines:Support", "support")):
            parent = pulumi.ComponentResource(kind, name)
            order = NumberOrder("order", opts=pulumi.ResourceOptions(parent=parent), **inputs)
            pulumi.export(f"{name}_order_id", order.order_id)

    with ProgramRunner(program, project_dir=ROOT, config=emu.stack_config()) as stack:
        up = stack.up()
        assert up.ok, up.error
        assert up.outputs["sales_order_id"] != up.outputs["support_order_id"]
    assert len(emu.orders()) == 2
