"""``sinch-numbers order show`` and ``order watch`` against orders in every state."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest
from cli_helpers import (
    BLOCK_MESSAGE,
    REJECT_MESSAGE,
    Cli,
    assert_one_error_line,
    create_order,
    order_in_state,
    register,
    sample_strings,
    submitted_order,
)

from sinch_numbers.testing.emulator import EmulatorProcess

ORDER_KEYS = {
    "order_id",
    "project_id",
    "region_code",
    "number_type",
    "state",
    "final",
    "needs_action",
    "create_time",
    "update_time",
    "expire_time",
    "seconds_until_expiry",
    "numbers",
    "sms_configuration",
    "voice_configuration",
    "registration_logs",
    "review_text_hidden",
}
STATES = ["CREATED", "IN_REVIEW", "BLOCKED", "COMPLETED", "REJECTED", "EXPIRED"]
LOGS = {"BLOCKED": BLOCK_MESSAGE, "REJECTED": REJECT_MESSAGE}


@pytest.fixture
def later() -> Iterator[list[threading.Timer]]:
    """Admin calls made while a command runs in the foreground."""
    timers: list[threading.Timer] = []
    yield timers
    for timer in timers:
        timer.cancel()
        timer.join()


def after(
    timers: list[threading.Timer], seconds: float, action: Callable[..., object], *args: object
) -> None:
    timer = threading.Timer(seconds, action, args)
    timers.append(timer)
    timer.start()


@pytest.mark.parametrize("state", STATES)
def test_show_every_state(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess, state: str
) -> None:
    order_id = order_in_state(api, emulator, state)
    wire = emulator.order(order_id)

    table = on_emulator("order", "show", order_id)
    assert table.exit_code == 0, table.output
    assert table.stderr == ""
    assert order_id in table.stdout
    assert f"state        {state}" in table.stdout
    for number in wire["orderNumbers"]:
        assert number["phoneNumber"] in table.stdout
        price = number["numberPrice"]["monthlyPrice"]
        assert f"{price['amount']} {price['currencyCode']}" in table.stdout
    if state in LOGS:
        assert "Review log" in table.stdout
        assert LOGS[state] not in table.stdout, "review text only with --show-review-text"
        shown = on_emulator("order", "show", order_id, "--show-review-text")
        assert LOGS[state] in shown.stdout
    else:
        assert "Review log" not in table.stdout
    if state == "CREATED":
        assert "left (expires" in table.stdout

    as_json = on_emulator("order", "show", order_id, "--json")
    assert as_json.exit_code == 0
    document = json.loads(as_json.stdout)
    assert set(document) == ORDER_KEYS
    assert document["order_id"] == order_id
    assert document["state"] == state
    assert document["final"] == (state in {"COMPLETED", "REJECTED", "EXPIRED"})
    assert document["needs_action"] == (state == "BLOCKED")
    assert [n["phone_number"] for n in document["numbers"]] == [
        n["phoneNumber"] for n in wire["orderNumbers"]
    ]
    assert document["review_text_hidden"] is True
    assert [log["message"] for log in document["registration_logs"]] == (
        [None] if state in LOGS else []
    )
    revealed = on_emulator("order", "show", order_id, "--json", "--show-review-text")
    document = json.loads(revealed.stdout)
    assert document["review_text_hidden"] is False
    assert [log["message"] for log in document["registration_logs"]] == (
        [LOGS[state]] if state in LOGS else []
    )


def test_show_never_prints_registration_data(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order_id = create_order(api)
    registration = register(api, emulator, order_id, "AU", "MOBILE")
    assert api.post(f"/numberOrders/{order_id}/submit").status_code == 200
    emulator.review(order_id, "block", BLOCK_MESSAGE)
    file_names = {a.file_name for a in emulator.sample("AU", "MOBILE").attachments}
    # Short values ("AU", "VIC") also name the order's own region; the rest are personal data.
    secrets = {v for v in sample_strings(registration) | file_names if len(v) >= 6}
    secrets -= {n["phoneNumber"] for n in emulator.order(order_id)["orderNumbers"]}
    assert "Example Clinic Pty Ltd" in secrets
    for args in (("order", "show", order_id), ("order", "show", order_id, "--json")):
        result = on_emulator(*args)
        assert result.exit_code == 0
        for value in secrets:
            assert value not in result.output, value


def test_show_unknown_order(on_emulator: Cli) -> None:
    result = on_emulator("order", "show", "01jzzzzzzzzzzzzzzzzzzzzzzz")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert_one_error_line(
        result.stderr, "order 01jzzzzzzzzzzzzzzzzzzzzzzz not found", "emulator-project"
    )


def test_show_sms_configuration(on_emulator: Cli, api: httpx.Client) -> None:
    phone = api.get("/availableNumbers", params={"regionCode": "GB", "type": "MOBILE"}).json()[
        "availableNumbers"
    ][0]["phoneNumber"]
    created = api.post(
        "/numberOrders:createNumberOrder",
        json={
            "regionCode": "GB",
            "numberType": "MOBILE",
            "numberOrderOption": {"phoneNumbers": [phone]},
            "smsConfiguration": {"servicePlanId": "plan-cli-1"},
        },
    ).json()
    result = on_emulator("order", "show", created["idNumberOrder"])
    assert "service plan plan-cli-1" in result.stdout
    document = json.loads(on_emulator("order", "show", created["idNumberOrder"], "--json").stdout)
    assert document["sms_configuration"]["service_plan_id"] == "plan-cli-1"


# --- watch ---------------------------------------------------------------------------------------


def test_watch_until_completed(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.settings(review_policy="auto", review_delay_seconds=0.6)
    order_id = submitted_order(api, emulator)
    result = on_emulator("order", "watch", order_id, "--interval", "0.2", "--timeout", "20")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "IN_REVIEW" in result.stdout
    assert "COMPLETED" in result.stdout
    assert result.stdout.index("IN_REVIEW") < result.stdout.index("COMPLETED")


def test_watch_until_completed_json(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    emulator.settings(review_policy="auto", review_delay_seconds=0.6)
    order_id = submitted_order(api, emulator)
    result = on_emulator("order", "watch", order_id, "--interval", "0.2", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == ORDER_KEYS | {"watch"}
    assert document["state"] == "COMPLETED"
    assert document["watch"]["outcome"] == "completed"
    assert document["watch"]["polls"] >= 2


def test_watch_until_rejected(
    on_emulator: Cli,
    api: httpx.Client,
    emulator: EmulatorProcess,
    later: list[threading.Timer],
) -> None:
    order_id = submitted_order(api, emulator)
    after(later, 0.7, emulator.review, order_id, "reject", REJECT_MESSAGE)
    result = on_emulator(
        "order", "watch", order_id, "--interval", "0.2", "--timeout", "20", "--show-review-text"
    )
    assert result.exit_code == 5, result.output
    assert REJECT_MESSAGE in result.stdout  # the review log
    assert_one_error_line(result.stderr, f"order {order_id} ended REJECTED", REJECT_MESSAGE)


def test_watch_stops_at_blocked(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order_id = order_in_state(api, emulator, "BLOCKED")
    result = on_emulator(
        "order", "watch", order_id, "--interval", "0.2", "--json", "--show-review-text"
    )
    assert result.exit_code == 5
    document = json.loads(result.stdout)
    watch = document["watch"]
    assert {key: watch[key] for key in ("outcome", "polls")} == {"outcome": "blocked", "polls": 1}
    # Ended at the first read, before the first interval: the read itself takes a tenth of a
    # second on a loaded machine, so the figure is bounded by the interval, not equal to 0.0.
    assert set(watch) == {"outcome", "elapsed_seconds", "polls"}
    assert 0.0 <= watch["elapsed_seconds"] < 0.2
    assert document["registration_logs"][0]["message"] == BLOCK_MESSAGE
    assert_one_error_line(result.stderr, "ended BLOCKED", "needs your action")


def test_watch_expired_order(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order_id = order_in_state(api, emulator, "EXPIRED")
    result = on_emulator("order", "watch", order_id)
    assert result.exit_code == 5
    assert_one_error_line(result.stderr, "ended EXPIRED")


def test_watch_completed_order_returns_at_once(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order_id = order_in_state(api, emulator, "COMPLETED")
    result = on_emulator("order", "watch", order_id)  # default interval: would take 10 s
    assert result.exit_code == 0
    assert "COMPLETED" in result.stdout


def test_watch_timeout(on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess) -> None:
    order_id = submitted_order(api, emulator)
    result = on_emulator("order", "watch", order_id, "--interval", "0.2", "--timeout", "0.7")
    assert result.exit_code == 6
    assert "IN_REVIEW" in result.stdout
    assert_one_error_line(result.stderr, "timed out", f"order {order_id} is still IN_REVIEW")
    as_json = on_emulator("order", "watch", order_id, "--timeout", "0", "--json")
    assert as_json.exit_code == 6
    assert json.loads(as_json.stdout)["watch"]["outcome"] == "timeout"


def test_watch_shows_a_live_line_on_a_terminal(
    on_emulator: Cli,
    api: httpx.Client,
    emulator: EmulatorProcess,
    later: list[threading.Timer],
) -> None:
    order_id = submitted_order(api, emulator)
    after(later, 1.0, emulator.review, order_id, "approve")
    result = on_emulator(
        "order",
        "watch",
        order_id,
        "--interval",
        "0.2",
        env={"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "watching" in result.stdout
    assert "left (expires" in result.stdout or "expire" in result.stdout


def test_watch_unknown_order(on_emulator: Cli) -> None:
    result = on_emulator("order", "watch", "01jzzzzzzzzzzzzzzzzzzzzzzz", "--interval", "0.2")
    assert result.exit_code == 4
    assert_one_error_line(result.stderr, "not found")


def test_watch_blocked_then_resubmitted_is_followed_again(
    on_emulator: Cli,
    api: httpx.Client,
    emulator: EmulatorProcess,
    later: list[threading.Timer],
) -> None:
    order_id = order_in_state(api, emulator, "BLOCKED")
    assert api.post(f"/numberOrders/{order_id}/submit").status_code == 200
    after(later, 0.6, emulator.review, order_id, "approve")
    result = on_emulator("order", "watch", order_id, "--interval", "0.2", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["state"] == "COMPLETED"


def test_a_forged_review_log_reaches_the_terminal_as_one_plain_line(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess
) -> None:
    order_id = submitted_order(api, emulator)
    emulator.review(order_id, "reject", "address bad\n\x1b[32mINFO: order approved\x1b[0m\r\n")
    shown = on_emulator("order", "show", order_id, "--show-review-text")
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.stdout
    assert "\r" not in shown.stdout
    assert "address bad INFO: order approved" in shown.stdout
    assert not any(line.startswith("INFO:") for line in shown.stdout.splitlines())

    watched = on_emulator(
        "order", "watch", order_id, "--interval", "0.2", "--timeout", "5", "--show-review-text"
    )
    assert watched.exit_code == 5, watched.output
    line = assert_one_error_line(watched.stderr, "address bad INFO: order approved")
    assert "\x1b" not in line


CANARY_REVIEW = "Surname NG (Thao, 0491 570 157) on upload_passport_scan-Kq7w_v2.pdf unreadable"


def _canaries_in(text: str) -> list[str]:
    found = [c for c in ("Thao", "0491 570 157", "Kq7w", "unreadable") if c in text]
    return found + (["NG"] if re.search(r"\bNG\b", text) else [])


@pytest.mark.parametrize(("outcome", "state"), [("block", "BLOCKED"), ("reject", "REJECTED")])
def test_review_text_is_shown_only_when_asked(
    on_emulator: Cli, api: httpx.Client, emulator: EmulatorProcess, outcome: str, state: str
) -> None:
    """A reviewer's message may quote the customer: by default show and watch (table, --json and
    the error line) say how many messages there are and the command that shows them."""
    order_id = submitted_order(api, emulator)
    emulator.review(order_id, outcome, CANARY_REVIEW)
    command = f"sinch-numbers order show {order_id} --show-review-text"
    table = on_emulator("order", "show", order_id)
    as_json = on_emulator("order", "show", order_id, "--json")
    watched = on_emulator("order", "watch", order_id, "--interval", "0.2")
    watched_json = on_emulator("order", "watch", order_id, "--interval", "0.2", "--json")
    for run in (table, as_json, watched, watched_json):
        assert _canaries_in(run.output) == [], run.output
    assert table.exit_code == 0, table.output
    assert "1 review message" in table.stdout
    assert command in " ".join(table.stdout.split())
    document = json.loads(as_json.stdout)
    assert document["review_text_hidden"] is True
    assert document["registration_logs"][0]["message"] is None
    assert document["registration_logs"][0]["create_time"]
    assert watched.exit_code == 5
    assert_one_error_line(watched.stderr, f"ended {state}", "1 review message", command)
    assert json.loads(watched_json.stdout)["review_text_hidden"] is True

    shown = [
        on_emulator("order", "show", order_id, "--show-review-text"),
        on_emulator("order", "show", order_id, "--json", "--show-review-text"),
        on_emulator("order", "watch", order_id, "--interval", "0.2", "--show-review-text"),
    ]
    for run in shown:
        assert CANARY_REVIEW in " ".join(run.output.split()), run.output
    assert CANARY_REVIEW in shown[2].stderr
