"""The fault matrix: every API call the lifecycle makes x every fault the emulator injects.

Each cell runs through the real plugin process (ProgramRunner) against the emulator on loopback:
an `up` (a refresh for the review log, a destroy for release), then whatever the documented
recovery is, and asserts the outcome in `EXPECTED`. Faults fire once (`times=1`), so a retried
call costs one backoff of at most 0.5 s; `SINCH_HTTP_TIMEOUT` makes "latency beyond the client
timeout" cost about a second instead of thirty.
"""

from __future__ import annotations

import copy
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.reliability.support import (
    CREATE,
    GET_ORDER,
    GET_REGISTRATION,
    LATENCY_MS,
    LOOKUP,
    MATRIX_RESULTS,
    PUT_REGISTRATION,
    RELEASE,
    ROOT,
    SUBMIT,
    TOKEN,
    UPLOAD,
    Kyc,
    Stack,
    held_documents,
    wait_until,
)

MakeStack = Callable[..., Stack]

AU_PROOF = "01jxn2251d0shhamtbykft2xzx"
AU_IDENTITY = "01jxn22a7kq3m8v5t0w2r4y6zb"


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # regex on the request path, as the emulator's fault registry takes it
    route: str  # the emulator's per-route counter
    scenario: str  # up | resume | refresh | destroy
    step: str | None = None  # the workflow step that fails, for calls after create
    position: int = 1  # requests to `route` up to and including the faulted one in a run


CALLS = (
    Call("token", "POST", r"^/oauth2/token$", TOKEN, "up"),
    Call("lookup requirements", "POST", r":lookupNumberRequirements$", LOOKUP, "up"),
    Call("create order", "POST", r":createNumberOrder$", CREATE, "up", "create_order"),
    Call("PUT registration", "PUT", r"/registration$", PUT_REGISTRATION, "up", "registration"),
    Call("upload proof", "POST", rf"/attachments/{AU_PROOF}$", UPLOAD, "up", "attachments", 1),
    Call(
        "upload identity", "POST", rf"/attachments/{AU_IDENTITY}$", UPLOAD, "up", "attachments", 2
    ),
    Call("submit", "POST", r"/submit$", SUBMIT, "up", "submit"),
    Call("get order", "GET", r"/numberOrders/[^/:]+$", GET_ORDER, "resume"),
    Call("get registration", "GET", r"/registration$", GET_REGISTRATION, "refresh"),
    Call("release", "POST", r"/activeNumbers/[^/]+:release$", RELEASE, "destroy"),
)

FAULTS: dict[str, dict[str, Any]] = {
    "503": {"action": "status", "status": 503},
    "500": {"action": "status", "status": 500},
    "429 + Retry-After: 1": {"action": "status", "status": 429, "retry_after": "1"},
    "latency > timeout": {"action": "latency", "latency_ms": LATENCY_MS},
    "dropped": {"action": "drop"},
    "503 after applied": {"action": "status_after", "status": 503},
}

RETRIED = "retried"
RESUMED = "resumed"
DESTROY_AGAIN = "destroy again"
UNKNOWN_NONE = "unknown: none"
UNKNOWN_ORPHAN = "unknown: adopt"

LEGEND = {
    RETRIED: "the client retried the call; the run succeeded with no user action",
    RESUMED: "the run failed with the order id kept in state and `failed_step` set; the next "
    "`up` resumed that order from the failed step (no second order)",
    DESTROY_AGAIN: "destroy failed saying so, the order stayed in state; the next destroy "
    "released the number (release is idempotent)",
    UNKNOWN_NONE: "create-order is never retried on an ambiguous failure: the run failed saying "
    "the outcome is unknown and pointing at `adopt_order_id`; no order existed, the next `up` "
    "created exactly one",
    UNKNOWN_ORPHAN: "as above, but the order did exist (the API applied it and the answer was "
    "lost): the stack cannot know it; recovery is `adopt_order_id`, after which there is "
    "exactly one order. These are the cells that cannot be made safe: the API cannot list "
    "orders, so no client can find the order by itself",
}


def expected(call: Call, fault: str) -> str:
    action = FAULTS[fault]
    if fault.startswith("429"):
        return RETRIED
    if call.scenario in ("resume", "refresh") or call.route in (TOKEN, LOOKUP, PUT_REGISTRATION):
        return RETRIED
    if call.route == CREATE:
        applied = action["action"] in ("latency", "status_after")
        return UNKNOWN_ORPHAN if applied else UNKNOWN_NONE
    if call.route == RELEASE:
        return DESTROY_AGAIN
    return RESUMED


EXPECTED = {(c.name, f): expected(c, f) for c in CALLS for f in FAULTS}


def render_matrix(results: dict[tuple[str, str], str]) -> str:
    """A Markdown table: calls down, faults across (the same text as in docs/reliability.md)."""
    faults = list(FAULTS)
    lines = [
        "| call | " + " | ".join(faults) + " |",
        "|---|" + "---|" * len(faults),
    ]
    for call in CALLS:
        cells = [results.get((call.name, f), "not run") for f in faults]
        lines.append(f"| {call.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- helpers ------------------------------------------------------------------------------


def faults_hit(emu: EmulatorProcess) -> int:
    response = httpx.get(f"{emu.url}/_emulator/faults", timeout=10)
    response.raise_for_status()
    return sum(f["hits"] for f in response.json()["faults"])


def inject(emu: EmulatorProcess, call: Call, fault: str) -> None:
    emu.add_fault(call.path, method=call.method, times=1, **FAULTS[fault])


def active_number(emu: EmulatorProcess, phone_number: str) -> dict[str, Any]:
    creds = emu.credentials
    response = httpx.get(
        f"{emu.url}/v1/projects/{creds.project_id}/activeNumbers/{phone_number}",
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def assert_one_complete_order(emu: EmulatorProcess, stack: Stack, kyc: Kyc) -> str:
    orders = emu.orders()
    assert len(orders) == 1, [o["idNumberOrder"] for o in orders]
    order_id = str(orders[0]["idNumberOrder"])
    outputs = stack.outputs()
    assert outputs["order_id"] == order_id
    assert outputs["state"] == "IN_REVIEW" == orders[0]["state"]
    assert outputs.get("failed_step") is None
    assert outputs.get("last_error") is None
    assert held_documents(emu, order_id) == kyc.expected()
    return order_id


def wait_for_delayed_effect(emu: EmulatorProcess, call: Call, fault: str, order_id: str) -> None:
    """A latency fault delays the request, it does not cancel it: the server applies it after
    the client gave up. Wait for that, so the next run meets a settled server."""
    if FAULTS[fault]["action"] != "latency":
        return
    if call.route == UPLOAD:
        requirement = call.path.rsplit("/", 1)[1].rstrip("$")
        wait_until(lambda: requirement in held_documents(emu, order_id), what="late upload")
    elif call.route == SUBMIT:
        wait_until(lambda: emu.order(order_id)["state"] == "IN_REVIEW", what="late submit")
    elif call.route == CREATE:
        wait_until(lambda: len(emu.orders()) == 1, what="late create")
    else:
        time.sleep(LATENCY_MS / 1000)


# --- the optional client timeout the matrix relies on --------------------------------------


def test_sinch_http_timeout_bounds_every_request(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    """Without a way to shorten the client's 30 s read timeout, a hung API hangs `up`."""
    emu.add_fault(r":lookupNumberRequirements$", action="latency", latency_ms=8_000, times=1)
    stack = make_stack(env={"SINCH_HTTP_TIMEOUT": "0.5"})
    started = time.monotonic()
    up = stack.runner.up()
    elapsed = time.monotonic() - started
    assert up.ok, up.error
    assert elapsed < 6, f"the slow lookup was not cut off at 0.5 s ({elapsed:.1f} s)"
    assert emu.stats()[LOOKUP] == 2


# Each bad value is a case of tests/unit/test_setting_failures.py; one fails an up here.
@pytest.mark.parametrize("value", ["0"])
def test_a_bad_sinch_http_timeout_is_a_clear_error(
    emu: EmulatorProcess, make_stack: MakeStack, value: str
) -> None:
    stack = make_stack(env={"SINCH_HTTP_TIMEOUT": value})
    up = stack.runner.up()
    assert not up.ok
    assert "SINCH_HTTP_TIMEOUT must be a positive number of seconds" in (up.error or "")
    assert emu.orders() == []


# --- the matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("call", CALLS, ids=[c.name.replace(" ", "-") for c in CALLS])
def test_fault_matrix(
    emu: EmulatorProcess, make_stack: MakeStack, au_kyc: Kyc, call: Call, fault: str
) -> None:
    outcome = EXPECTED[(call.name, fault)]
    runner = {
        "up": _fault_during_up,
        "resume": _fault_during_resume,
        "refresh": _fault_reading_review_log,
        "destroy": _fault_during_destroy,
    }[call.scenario]
    runner(emu, make_stack, au_kyc, call, fault, outcome)
    assert faults_hit(emu) == 1, "the fault never fired: the cell tested nothing"
    MATRIX_RESULTS[(call.name, fault)] = outcome


def _fault_during_up(
    emu: EmulatorProcess, make_stack: MakeStack, kyc: Kyc, call: Call, fault: str, outcome: str
) -> None:
    inject(emu, call, fault)
    stack = make_stack()
    started = time.monotonic()
    up = stack.runner.up()
    elapsed = time.monotonic() - started
    stats = Counter(emu.stats())

    if outcome == RETRIED:
        assert up.ok, up.error
        normal = len(kyc.documents) if call.route == UPLOAD else 1
        assert stats[call.route] == normal + 1, "one failed request, one retry"
        assert call.route == CREATE or stats[CREATE] == 1
        if fault.startswith("429"):
            assert elapsed >= 1.0, "Retry-After: 1 was not honoured"
        assert_one_complete_order(emu, stack, kyc)
        return

    assert not up.ok
    error = up.error or ""
    # Nothing that may have been applied is repeated blindly within the run.
    assert stats[call.route] == call.position, stats

    if outcome in (UNKNOWN_NONE, UNKNOWN_ORPHAN):
        assert "outcome of creating" in error
        assert "may have been created" in error
        assert "adopt_order_id" in error
        assert not stack.has_order(), "nothing to save: no order id came back"
        if outcome == UNKNOWN_NONE:
            assert emu.orders() == []
        else:
            wait_for_delayed_effect(emu, call, fault, "")
            orphan = emu.orders()
            assert len(orphan) == 1
            assert orphan[0]["state"] == "CREATED"
            # The documented recovery: adopt the order the dashboard shows.
            stack.inputs["adopt_order_id"] = orphan[0]["idNumberOrder"]
        emu.reset_stats()
        again = stack.runner.up()
        assert again.ok, again.error
        assert emu.stats().get(CREATE, 0) == (1 if outcome == UNKNOWN_NONE else 0)
        assert_one_complete_order(emu, stack, kyc)
        return

    assert outcome == RESUMED
    outputs = stack.outputs()
    order_id = outputs["order_id"]
    assert order_id
    assert order_id in error
    assert outputs["failed_step"] == call.step
    assert "run `pulumi up` again" in error
    wait_for_delayed_effect(emu, call, fault, order_id)

    emu.reset_stats()
    resumed = stack.runner.up()
    assert resumed.ok, resumed.error
    assert resumed.op("order") == Op.UPDATE
    stats = Counter(emu.stats())
    assert stats[CREATE] == 0
    assert stats[PUT_REGISTRATION] == 0, "the registration was sent already"
    if call.route == UPLOAD:
        # The faulted upload and those after it; never the ones recorded as done.
        assert stats[UPLOAD] == len(kyc.documents) - call.position + 1
    else:
        assert stats[UPLOAD] == 0
    applied = FAULTS[fault]["action"] in ("latency", "status_after")
    assert stats[SUBMIT] == (0 if call.route == SUBMIT and applied else 1)
    assert assert_one_complete_order(emu, stack, kyc) == order_id


def _fault_during_resume(
    emu: EmulatorProcess, make_stack: MakeStack, kyc: Kyc, call: Call, fault: str, outcome: str
) -> None:
    # A first run that stops before submit; the next `up` resumes and reads the order first.
    emu.add_fault(r"/submit$", method="POST", action="status", status=400, times=1)
    stack = make_stack()
    assert not stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.clear_faults()
    inject(emu, call, fault)
    emu.reset_stats()
    up = stack.runner.up()
    assert outcome == RETRIED
    assert up.ok, up.error
    assert up.op("order") == Op.UPDATE
    # diff reads the order once (its stored state is not final), retried past the fault; the
    # update reads it again.
    assert emu.stats()[GET_ORDER] == 3
    assert assert_one_complete_order(emu, stack, kyc) == order_id


def _fault_reading_review_log(
    emu: EmulatorProcess, make_stack: MakeStack, kyc: Kyc, call: Call, fault: str, outcome: str
) -> None:
    # Only a BLOCKED or REJECTED order has a review log worth reading: block it, refresh.
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "block", "Contact person must be the account owner")
    inject(emu, call, fault)
    emu.reset_stats()
    refreshed = stack.runner.refresh()
    assert outcome == RETRIED
    assert refreshed.ok, refreshed.error
    assert emu.stats()[GET_REGISTRATION] == 2
    outputs = stack.outputs()
    assert outputs["state"] == "BLOCKED"
    logs = outputs["registration_logs"].value
    assert logs[0]["message"] == "Contact person must be the account owner"

    registration = copy.deepcopy(stack.inputs["registration"])
    registration[2]["firstName"] = "Owner"
    stack.inputs["registration"] = registration
    up = stack.runner.up()
    assert up.ok, up.error
    assert assert_one_complete_order(emu, stack, kyc) == order_id


def _fault_during_destroy(
    emu: EmulatorProcess, make_stack: MakeStack, kyc: Kyc, call: Call, fault: str, outcome: str
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    order_id = stack.outputs()["order_id"]
    emu.review(order_id, "approve")
    assert stack.runner.refresh().ok
    phone = stack.outputs()["phone_numbers"][0]
    inject(emu, call, fault)
    emu.reset_stats()
    destroyed = stack.runner.destroy()
    if outcome == RETRIED:
        assert destroyed.ok, destroyed.error
        assert emu.stats()[RELEASE] == 2
    else:
        assert outcome == DESTROY_AGAIN
        assert not destroyed.ok
        error = destroyed.error or ""
        assert order_id in error
        assert phone in error
        assert "Run destroy again" in error
        assert emu.stats()[RELEASE] == 1, "a release that may have been applied is not repeated"
        assert stack.has_order(), "a failed destroy keeps the order in state"
        if FAULTS[fault]["action"] == "latency":
            wait_until(lambda: active_number(emu, phone)["expireAt"], what="late release")
        again = stack.runner.destroy()
        assert again.ok, again.error
    assert not stack.has_order()
    assert active_number(emu, phone)["expireAt"], "the number is released"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]


def test_the_documented_matrix_is_the_tested_one() -> None:
    docs = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert render_matrix(EXPECTED) in docs
    for code, meaning in LEGEND.items():
        assert f"`{code}`" in docs, code
        assert meaning.split(":")[0] in docs.replace("\n", " "), code
