"""Canaries through the real CLI: nothing secret in `pulumi stack export`, the CLI's output or
the plugin's output (which the CLI relays), and the KYC outputs are ciphertext in state."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

import sinch_numbers.resource
from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.engine.programs import DOCUMENTS, OneOrder, au_attachments, au_registration
from tests.free_text import review_when_submitted

KEY_ID = "canary-keyid-Gv5d"
KEY_SECRET = "canary-secret-Hy7p"
LAST = "Canarylast-Mq3z"
BUSINESS = "Canary-business-Wt6k"
STREET = "canary-street-Rb9x"
FILE_TAG = "canary-passport-Jn4s"
CONTENT_TAG = b"CANARY-DOCUMENT-BYTES-Ez2u"
_SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _documents(directory: Path) -> tuple[Path, Path]:
    directory.mkdir()
    proof = directory / f"{FILE_TAG}-proof.pdf"
    proof.write_bytes((DOCUMENTS / "proof-of-address.pdf").read_bytes() + b"\n% " + CONTENT_TAG)
    identity = directory / f"{FILE_TAG}-identity.png"
    identity.write_bytes((DOCUMENTS / "identity-document.png").read_bytes() + CONTENT_TAG)
    return proof, identity


def _ciphertext(value: Any) -> bool:
    return isinstance(value, dict) and value.get(_SECRET_SIG) and "ciphertext" in value


def test_no_canary_reaches_state_output_or_logs(cli: PulumiCli, tmp_path: Path) -> None:
    with start_emulator(review_policy="manual", key_id=KEY_ID, key_secret=KEY_SECRET) as emu:
        proof, identity = _documents(tmp_path / "documents")
        registration = au_registration(lastName=LAST)
        registration[1].update(endBusinessName=BUSINESS, endBusinessAddress=STREET)
        program = OneOrder(
            registration=registration,
            attachments=au_attachments(proof, identity),
            wait_for_completion=True,
            completion_timeout=60,
        )
        # As the docs advise: the engine records every `sinch:` value in the state of the
        # default provider, so the key id is set as a secret too.
        config = emu.stack_config(**{"sinch:keyId": Secret(KEY_ID)})
        stack = PulumiCliRunner(program, cli=cli, config=config, work_dir=tmp_path / "cli")
        try:
            assert stack.preview().ok
            reviewer = review_when_submitted(
                emu, f"{LAST.upper()} at {STREET}: {FILE_TAG}-proof unreadable ({BUSINESS})"
            )
            blocked = stack.up()
            reviewer.join()
            assert not blocked.ok, "the wait ended BLOCKED, which fails the run"
            assert "is BLOCKED by review (1 review message;" in (blocked.error or "")
            assert stack.refresh().ok
            assert stack.resource("order").outputs["state"] == "BLOCKED"
            exported = stack.export()
            outputs = stack.outputs()
            assert stack.destroy().ok
        finally:
            stack.close()
        held = emu.orders()

    # The canaries did reach the API: the test would prove nothing otherwise.
    held_text = json.dumps(held)
    assert LAST in held_text
    assert FILE_TAG in held_text

    resource = next(
        r for r in exported["deployment"]["resources"] if r["type"].endswith("NumberOrder")
    )
    for key in ("registration", "attachments", "progress", "registration_logs"):
        assert _ciphertext(resource["outputs"][key]), key
    for key in ("registration", "attachments"):
        assert _ciphertext(resource["inputs"][key]), key
    # The completion's plain error says the state, the count and the command that shows the
    # review text.
    order_id = resource["outputs"]["order_id"]
    assert f"sinch-numbers order show {order_id} --show-review-text" in (blocked.error or "")

    visible = "\n".join([json.dumps(exported), json.dumps(outputs, default=str), *stack.transcript])
    canaries = [
        KEY_ID,
        KEY_SECRET,
        base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode(),
        LAST,
        LAST.upper(),
        BUSINESS,
        STREET,
        FILE_TAG,
        CONTENT_TAG.decode(),
        base64.b64encode(CONTENT_TAG).decode()[:16],
        "unreadable",  # the reviewer's own words: secret, not only redacted
    ]
    found = [c for c in canaries if c in visible]
    assert found == [], f"canaries leaked: {found}"


SURNAME = "Ng"
QUOTED = "NG THAO of Cafe Nandu, 0491 570 157: upload_passport_scan-Kq7w_v2.pdf unreadable"
UNREDACTABLE = ("THAO", "Cafe Nandu", "0491 570 157", "Kq7w", "unreadable")


def test_server_free_text_is_ciphertext_in_the_export_and_absent_from_the_run(
    cli: PulumiCli, tmp_path: Path
) -> None:
    """Canaries the redactor cannot be relied on for (a two-letter surname, names without their
    diacritics, a national-format number, a file name inside a longer token), in a 400's text and
    then in a reviewer's message: ciphertext in `pulumi stack export`, absent from the CLI's
    output, the plugin's output it relays and every plain output."""
    with start_emulator(review_policy="manual") as emu:
        proof = tmp_path / "passport scan-Kq7w.pdf"
        proof.write_bytes((DOCUMENTS / "proof-of-address.pdf").read_bytes())
        registration = au_registration(
            firstName="Thảo", lastName=SURNAME, phoneNumber="+61491570157"
        )
        registration[1].update(endBusinessName="Café Ñandú Pty Ltd")
        program = OneOrder(
            registration=registration,
            attachments=au_attachments(proof),
            wait_for_completion=True,
            completion_timeout=60,
        )
        stack = PulumiCliRunner(program, cli=cli, config=emu.stack_config(), work_dir=tmp_path)
        try:
            emu.add_fault(r"/registration$", method="PUT", status=400, message=f"refused: {QUOTED}")
            refused = stack.up()
            assert not refused.ok, "the 400 fails the run"
            after_refusal = stack.export()
            reviewer = review_when_submitted(emu, QUOTED)
            blocked = stack.up()
            reviewer.join()
            assert not blocked.ok, "the wait ended BLOCKED, which fails the run"
            refreshed = stack.refresh()
            assert refreshed.ok, refreshed.error
            exported = stack.export()
            outputs = stack.outputs()
            assert stack.destroy().ok
        finally:
            stack.close()

    def order_outputs(export: dict[str, Any]) -> dict[str, Any]:
        resource = next(
            r for r in export["deployment"]["resources"] if r["type"].endswith("NumberOrder")
        )
        found: dict[str, Any] = resource["outputs"]
        return found

    refusal = order_outputs(after_refusal)
    assert refusal["failed_step"] == "registration"
    assert "HTTP 400" in refusal["last_error"]
    assert _ciphertext(refusal["last_error_detail"]), "the 400's text is ciphertext"
    review = order_outputs(exported)
    assert review["state"] == "BLOCKED"
    assert _ciphertext(review["registration_logs"]), "the review log is ciphertext"
    # The completion's failed run points to the review text; it never quotes it.
    assert "--show-review-text" in (blocked.error or "")

    shown = [json.dumps(after_refusal), json.dumps(exported), json.dumps(outputs, default=str)]
    visible = "\n".join([*shown, *stack.transcript])
    found = [c for c in UNREDACTABLE if c in visible]
    found += [SURNAME] if re.search(rf"\b{SURNAME}\b", visible, re.IGNORECASE) else []
    assert found == [], f"canaries leaked: {found}"


EARLIER_SECRET_OUTPUTS = ("registration", "attachments", "progress")


def test_a_review_log_stored_in_plaintext_before_is_encrypted_by_the_next_up(
    cli: PulumiCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stack written before registration_logs was secret: the real engine learns the new
    secret outputs from the program, so a plain refresh leaves the log as it was and the next
    `up` encrypts it (what docs/security.md tells users to run after upgrading)."""

    def review_log(stack: PulumiCliRunner) -> Any:
        resource = next(
            r
            for r in stack.export()["deployment"]["resources"]
            if r["type"].endswith("NumberOrder")
        )
        return resource["outputs"]["registration_logs"]

    with start_emulator(review_policy="manual") as emu:
        stack = PulumiCliRunner(OneOrder(), cli=cli, config=emu.stack_config(), work_dir=tmp_path)
        try:
            # The program as earlier versions registered it (the inline program runs here).
            monkeypatch.setattr(
                sinch_numbers.resource,
                "SECRET_OUTPUTS",
                ("registration", "attachments", "progress"),
            )
            up = stack.up()
            assert up.ok, up.error
            emu.review(up.outputs["order_id"], "block", "Canary-review-Vd3q")
            assert stack.refresh().ok
            assert not _ciphertext(review_log(stack)), "the earlier version's state is plain"
            monkeypatch.undo()

            assert stack.refresh().ok
            after_plain_refresh = review_log(stack)
            assert stack.up().ok
            after_up = review_log(stack)
            assert stack.destroy().ok
        finally:
            stack.close()

    assert not _ciphertext(after_plain_refresh), "a plain refresh runs no program"
    assert _ciphertext(after_up), "the next up records the new secret outputs"
