"""Canaries: credentials and every KYC value and document go in; none may come out.

The whole lifecycle runs with canary values for the key id and secret, for every free-text
registration field, and for each document's file name and content. Everything a user or a CI log
could see is then searched: the plugin's stdout/stderr and engine log, every error and check
failure, the non-secret outputs, and the `__provider` blob in state (decoded and unpickled).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import dill
import httpx

from sinch_numbers.testing import ProgramResult, ProgramRunner, Secret
from sinch_numbers.testing.emulator import start_emulator
from tests.free_text import not_secret, review_when_submitted
from tests.reliability.support import (
    FAST_ENV,
    ROOT,
    make_kyc,
    order_inputs,
    program_for,
)

KEY_ID = "canary-keyid-5Qm2"
KEY_SECRET = "canary-secret-Zt8w"
FIRST = "Canaryfirst-Kp3v"
FIXED_FIRST = "Canaryfixed-Rw5b"
REGISTRATION_CANARIES = {
    "purposeOfTheTraffic": "canary-purpose-Hx4n",
    "endBusinessName": "Canary-business-Jd7c",
    "endBusinessAddress": "canary-street-Lf2q",
    "endBusinessAddress2": "canary-level-Pv9t",
    "city": "Canarycity-Ws6e",
    "firstName": FIRST,
    "lastName": "Canarylast-Yb1u",
    "senderId": "+61491570156",
    "phoneNumber": "+61491570157",
}
DOCUMENT_TAG = "canary-doc-Nq8r"  # in every document's file name and content


def _registration(sample: Any) -> Any:
    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: REGISTRATION_CANARIES.get(k, fill(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    return fill(sample)


def _provider_blobs(runner: ProgramRunner) -> list[str]:
    blobs = []
    for resource in runner.state.values():
        for props in (resource.inputs, resource.outputs):
            value = props.get("__provider")
            if isinstance(value, Secret):
                value = value.value
            if isinstance(value, str):
                blobs.append(value)
    return blobs


def test_no_canary_leaks_anywhere(tmp_path: Path) -> None:
    with start_emulator(review_policy="manual", key_id=KEY_ID, key_secret=KEY_SECRET) as emu:
        kyc = make_kyc(emu, "AU", "MOBILE", tmp_path / "documents", tag=DOCUMENT_TAG)
        kyc.registration = _registration(kyc.registration)
        inputs = order_inputs(kyc, "AU", "MOBILE", sms_configuration={"service_plan_id": "p1"})
        runner = ProgramRunner(
            program_for({"order": inputs}),
            project_dir=ROOT,
            config=emu.stack_config(),
            env=FAST_ENV,
        )
        results: list[ProgramResult] = []
        try:
            # A bad value in a KYC field: the check failure must name it, not show it.
            inputs["registration"][1]["postalCode"] = "Canarypostcode-Gg3h"
            results.append(runner.preview())
            assert not results[-1].ok
            inputs["registration"][1]["postalCode"] = "3000"
            results.append(runner.preview())
            assert results[-1].ok, results[-1].error

            # A failure after create (error text), then the resume.
            emu.add_fault(r"/attachments/", method="POST", action="status", status=503, times=1)
            results.append(runner.up())
            assert not results[-1].ok
            results.append(runner.up())
            assert results[-1].ok, results[-1].error
            order_id = runner.resource("order").outputs["order_id"]

            # A reviewer quotes personal data back; the review log is a secret output.
            emu.review(order_id, "block", f"Contact {FIRST} is not the account owner")
            results.append(runner.refresh())
            assert results[-1].ok, results[-1].error
            blocked = dict(runner.resource("order").outputs)
            inputs["registration"][2]["firstName"] = FIXED_FIRST
            results.append(runner.up())
            assert results[-1].ok, results[-1].error

            emu.review(order_id, "approve")
            results.append(runner.refresh())
            assert results[-1].ok, results[-1].error
            states = [blocked, *(dict(r.outputs) for r in runner.state.values())]
            blobs = _provider_blobs(runner)
            results.append(runner.destroy())
            assert results[-1].ok, results[-1].error
        finally:
            runner.close()
        emulator_holds = httpx.get(f"{emu.url}/_emulator/orders", timeout=10).text

    # The canaries did reach the API (the test would prove nothing otherwise).
    assert FIXED_FIRST in emulator_holds
    assert DOCUMENT_TAG in emulator_holds  # file names

    visible = [runner.plugin.output_text()]
    visible += [r.error or "" for r in results]
    visible += [repr(r.check_failures) for r in results]
    visible += [json.dumps(not_secret(r.outputs), default=str) for r in results]
    visible += [json.dumps(not_secret(s), default=str) for s in states]
    assert blobs, "no __provider in state"
    for blob in blobs:
        raw = base64.b64decode(blob)
        visible.append(raw.decode("latin-1"))
        visible.append(repr(vars(dill.loads(raw))))  # noqa: S301 - our own state blob
    text = "\n".join(visible)

    canaries = [
        KEY_ID,
        KEY_SECRET,
        FIXED_FIRST,
        DOCUMENT_TAG,
        "Canarypostcode-Gg3h",
        *REGISTRATION_CANARIES.values(),
        base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode(),
    ]
    found = [c for c in canaries if c in text]
    assert found == [], f"canaries leaked: {found}"
    # The reviewer's message is kept as a secret, with the personal data taken out besides.
    assert blocked["registration_logs"].value[0]["message"] == (
        "Contact [redacted] is not the account owner"
    )


def test_reviewer_feedback_is_redacted_in_create_update_and_blocked_waits(
    tmp_path: Path,
) -> None:
    """The review ends BLOCKED while the completion waits, after the order's create (then
    update): what the hooks return (refresh reads the block), and the failed run's error, must
    not repeat the personal data the reviewer quoted, in any case or word order, nor a
    document's file name with or without its extension."""
    with start_emulator(review_policy="manual") as emu:
        kyc = make_kyc(emu, "AU", "MOBILE", tmp_path / "documents", tag=DOCUMENT_TAG)
        kyc.registration = _registration(kyc.registration)
        inputs = order_inputs(
            kyc,
            "AU",
            "MOBILE",
            wait_for_completion=True,
            completion_timeout=60,
        )
        stem = kyc.documents[0].path.stem
        last = REGISTRATION_CANARIES["lastName"]
        runner = ProgramRunner(
            program_for({"order": inputs}), project_dir=ROOT, config=emu.stack_config()
        )
        try:
            reviewer = review_when_submitted(
                emu, f"{last.upper()}, {FIRST.lower()}: {stem} is unreadable"
            )
            created = runner.up()
            reviewer.join()
            assert not created.ok
            assert runner.refresh().ok
            after_create = dict(runner.resource("order").outputs)
            assert after_create["state"] == "BLOCKED"

            inputs["registration"][2]["firstName"] = FIXED_FIRST
            reviewer = review_when_submitted(emu, f"{FIXED_FIRST} / {stem}.pdf still unreadable")
            updated = runner.up()
            reviewer.join()
            assert not updated.ok
            assert runner.refresh().ok
            after_update = dict(runner.resource("order").outputs)
            assert after_update["state"] == "BLOCKED"
            output = runner.plugin.output_text()
        finally:
            runner.close()

    visible = [created.error or "", updated.error or "", output]
    visible += [json.dumps(not_secret(o), default=str) for o in (after_create, after_update)]
    visible += [json.dumps(not_secret(r.outputs), default=str) for r in (created, updated)]
    text = "\n".join(visible)
    for canary in (last, last.upper(), FIRST, FIRST.lower(), FIXED_FIRST, stem, DOCUMENT_TAG):
        assert canary not in text, canary
    # The advice survives the redaction, in the secret review log; the plain error points to it.
    assert "is unreadable" in after_create["registration_logs"].value[0]["message"]
    messages = [log["message"] for log in after_update["registration_logs"].value]
    assert any("still unreadable" in message for message in messages), messages
    assert "--show-review-text" in (updated.error or "")
