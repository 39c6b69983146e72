"""Reviewers' free text and a refusal's text are secret: canaries the redactor cannot know.

A surname of two letters, a first name and a business name quoted without their diacritics, a
number quoted in national format and a document's file name inside a longer token go into a
reviewer's message and into a 400's text. None may reach a plain output, the failed run's error
or the plugin's output; the secret outputs keep the server's words, and the plain error says the
state, how many review messages there are and the command that shows them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from sinch_numbers.testing import ProgramResult, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.free_text import not_secret, review_when_submitted
from tests.provider.conftest import DOCUMENTS, au_attachments, au_registration
from tests.provider.test_lifecycle import MakeStack

SURNAME = "Ng"
FIRST = "Thảo"
BUSINESS = "Café Ñandú Pty Ltd"
PHONE = "+61491570157"
FILE_TAG = "Kq7w"
QUOTED = (
    f"{SURNAME.upper()} THAO of Cafe Nandu, 0491 570 157: "
    f"upload_passport_scan-{FILE_TAG}_v2.pdf unreadable"
)
CANARIES = ("THAO", "Cafe Nandu", "0491 570 157", FILE_TAG, "unreadable")


def _registration() -> list[Any]:
    registration = au_registration(firstName=FIRST, lastName=SURNAME, phoneNumber=PHONE)
    registration[1]["endBusinessName"] = BUSINESS
    return registration


def _proof(tmp_path: Path) -> Path:
    proof = tmp_path / f"passport scan-{FILE_TAG}.pdf"
    shutil.copyfile(DOCUMENTS / "proof-of-address.pdf", proof)
    return proof


def _leaks(texts: list[str]) -> list[str]:
    text = "\n".join(texts)
    found = [c for c in CANARIES if c in text]
    if re.search(rf"\b{SURNAME}\b", text, re.IGNORECASE):
        found.append(SURNAME)
    return found


def _visible(stack: Any, results: list[ProgramResult], outputs: list[dict[str, Any]]) -> list[str]:
    texts = [stack.runner.plugin.output_text()]
    texts += [r.error or "" for r in results]
    texts += [json.dumps(not_secret(r.outputs), default=str) for r in results]
    texts += [json.dumps(not_secret(o), default=str) for o in outputs]
    return texts


def test_a_reviewers_message_is_secret_and_the_error_says_state_count_and_command(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    stack = make_stack(
        registration=_registration(),
        attachments=au_attachments(_proof(tmp_path)),
        wait_for_completion=True,
        completion_timeout=60,
    )
    reviewer = review_when_submitted(emu, QUOTED)
    blocked = stack.runner.up()
    reviewer.join()
    assert not blocked.ok
    after_up = stack.outputs()
    refreshed = stack.runner.refresh()
    assert refreshed.ok, refreshed.error
    after_refresh = stack.outputs()

    # The message did reach the server's review log (the test would prove nothing otherwise).
    assert FILE_TAG in json.dumps(emu.orders())
    order_id = after_up["order_id"]
    command = f"sinch-numbers order show {order_id} --show-review-text"
    # The order's create returned once submitted; its completion waited and met the block.
    assert after_up["state"] == "IN_REVIEW"
    assert after_refresh["state"] == "BLOCKED"
    logs = after_refresh["registration_logs"]
    assert isinstance(logs, Secret), "the review log is a secret output"
    assert "unreadable" in logs.value[0]["message"]
    assert "registration_logs" in stack.state().secret_keys
    assert blocked.error is not None
    assert "BLOCKED" in blocked.error
    assert "1 review message" in blocked.error
    assert command in blocked.error

    leaked = _leaks(_visible(stack, [blocked, refreshed], [after_up, after_refresh]))
    assert leaked == [], f"canaries leaked: {leaked}"


def test_a_refusals_text_is_secret_and_the_error_names_status_and_count(
    emu: EmulatorProcess, make_stack: MakeStack, tmp_path: Path
) -> None:
    stack = make_stack(registration=_registration(), attachments=au_attachments(_proof(tmp_path)))
    emu.add_fault(r"/registration$", method="PUT", status=400, message=f"refused: {QUOTED}")
    refused = stack.runner.up()
    assert not refused.ok
    outputs = stack.outputs()
    assert outputs["failed_step"] == "registration"
    assert "HTTP 400 INVALID_ARGUMENT" in outputs["last_error"]
    assert "last_error_detail" in outputs["last_error"]
    detail = outputs["last_error_detail"]
    assert isinstance(detail, Secret), "the server's words are a secret output"
    assert "refused" in detail.value
    assert refused.error is not None
    assert "HTTP 400" in refused.error

    resumed = stack.runner.up()
    assert resumed.ok, resumed.error
    assert stack.outputs().get("last_error") is None

    leaked = _leaks(_visible(stack, [refused, resumed], [outputs]))
    assert leaked == [], f"canaries leaked: {leaked}"
