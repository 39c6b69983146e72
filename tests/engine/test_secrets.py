"""Canaries through the real CLI: nothing secret in `pulumi stack export`, the CLI's output or
the plugin's output (which the CLI relays), and the KYC outputs are ciphertext in state."""

from __future__ import annotations

import base64
import json
import threading
import time
from pathlib import Path
from typing import Any

from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.engine.programs import DOCUMENTS, OneOrder, au_attachments, au_registration

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


def _reviewer(emu: EmulatorProcess, message: str) -> threading.Thread:
    def block() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for order in emu.orders():
                if order["state"] == "IN_REVIEW":
                    emu.review(order["idNumberOrder"], "block", message)
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=block, daemon=True)
    thread.start()
    return thread


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
            reviewer = _reviewer(
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
    for key in ("registration", "attachments", "progress"):
        assert _ciphertext(resource["outputs"][key]), key
    for key in ("registration", "attachments"):
        assert _ciphertext(resource["inputs"][key]), key
    # The review feedback is shown, with the personal data taken out.
    logs = resource["outputs"]["registration_logs"]
    assert "unreadable" in logs[0]["message"]

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
    ]
    found = [c for c in canaries if c in visible]
    assert found == [], f"canaries leaked: {found}"
