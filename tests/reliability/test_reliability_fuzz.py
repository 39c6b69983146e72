"""schemathesis against the live emulator's own `/openapi.json`, over loopback, bounded.

Every operation the document lists gets schema-valid and schema-violating requests (positive and
negative generation); valid cases aim at a real order and attachment requirement so they reach
the deep validation code, not just the 404 for an unknown id. Targets: no 5xx (none is injected
here), and every error from the Numbers API in the documented envelope
`{"error": {code, message, status, details}}`. The OAuth2 token endpoint answers RFC 6749 errors
(`{"error": "...", "error_description": "..."}`) by design and is checked for that shape instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.reliability.support import FUZZ_FIGURES

EXAMPLES_PER_OPERATION_AND_MODE = 20
TIME_BUDGET_SECONDS = 90.0
AU_PROOF = "01jxn2251d0shhamtbykft2xzx"


def _envelope_problem(path: str, response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return "not JSON"
    if path.startswith("/oauth2/"):
        ok = isinstance(body, dict) and isinstance(body.get("error"), str)
        return None if ok else "not an OAuth2 error"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "no error object"
    missing = {"code", "message", "status", "details"} - set(error)
    if missing:
        return f"error object lacks {sorted(missing)}"
    if error["code"] != response.status_code or not isinstance(error["details"], list):
        return "code differs from the HTTP status, or details is not a list"
    return None


@dataclass
class Tally:
    sent: int = 0
    server_errors: list[str] = field(default_factory=list)
    envelope_problems: list[str] = field(default_factory=list)


def _fuzz(emu: EmulatorProcess, order_id: str, operation: Any, mode: Any, tally: Tally) -> None:
    creds = emu.credentials
    positive = mode == schemathesis.GenerationMode.POSITIVE
    where = f"{operation.method.upper()} {operation.path} ({mode.value})"

    @settings(
        max_examples=EXAMPLES_PER_OPERATION_AND_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        params = case.path_parameters or {}
        if "projectId" in params:
            params["projectId"] = creds.project_id
        if positive and "numberOrderId" in params:
            params["numberOrderId"] = order_id
        if positive and "attachmentId" in params:
            params["attachmentId"] = AU_PROOF
        response = case.call(base_url=emu.url, auth=(creds.key_id, creds.key_secret), timeout=10)
        tally.sent += 1
        if response.status_code >= 500:
            tally.server_errors.append(f"{where}: {response.status_code} {response.text[:200]}")
        elif response.status_code >= 400:
            problem = _envelope_problem(operation.path, response)
            if problem:
                tally.envelope_problems.append(f"{where}: {response.status_code} {problem}")

    run()


def test_fuzzed_requests_get_no_server_error_and_the_documented_envelope(
    emu: EmulatorProcess,
) -> None:
    creds = emu.credentials
    schema = schemathesis.openapi.from_url(f"{emu.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, "the emulator's document lists fewer operations than it serves"
    order_id = httpx.post(
        f"{emu.url}/v1/projects/{creds.project_id}/numberOrders:createNumberOrder",
        json={
            "regionCode": "AU",
            "numberType": "MOBILE",
            "quantityOrderOption": {"requestedQuantity": 1},
        },
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    ).json()["idNumberOrder"]

    tally = Tally()
    started = time.monotonic()
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            if time.monotonic() - started < TIME_BUDGET_SECONDS:
                _fuzz(emu, order_id, operation, mode, tally)

    FUZZ_FIGURES.update(
        operations=len(operations),
        requests=tally.sent,
        server_errors=len(tally.server_errors),
        envelope_problems=len(tally.envelope_problems),
        seconds=round(time.monotonic() - started, 1),
    )
    assert tally.sent >= 300, f"only {tally.sent} requests within the time budget"
    assert tally.server_errors == []
    assert tally.envelope_problems == []
