"""The emulator as a process: CLI, ready line, signals, --state-file, --latency-ms, credentials."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from emulator_helpers import completed_order, create_order

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

READY = re.compile(r"^Sinch Numbers emulator listening on http://127\.0\.0\.1:(\d+)$")


def api_client(emulator: EmulatorProcess) -> httpx.Client:
    creds = emulator.credentials
    return httpx.Client(
        base_url=f"{emulator.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=15.0,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_ready_line_and_clean_stop(stop_signal: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sinch_numbers.cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().rstrip("\n")
        match = READY.match(line)
        assert match, line
        assert int(match.group(1)) > 0
        credentials = process.stdout.readline()
        assert "emulator-project" in credentials
        assert "emulator-key" in credentials
        assert "emulator-secret" in credentials
        url = f"http://127.0.0.1:{match.group(1)}"
        assert httpx.get(f"{url}/_emulator/clock").status_code == 200
        process.send_signal(stop_signal)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_help_lists_the_emulator_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sinch_numbers.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "emulator" in result.stdout
    flags = subprocess.run(
        [sys.executable, "-m", "sinch_numbers.cli", "emulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": ""},
    ).stdout
    for flag in [
        "--host",
        "--port",
        "--state-file",
        "--latency-ms",
        "--project-id",
        "--key-id",
        "--key-secret",
        "--hmac-secret",
        "--review-policy",
        "--review-delay-seconds",
        "--token-lifetime",
        "--reservation-seconds",
        "--max-upload-bytes",
    ]:
        assert flag in flags


def test_helper_env_and_custom_credentials() -> None:
    with start_emulator(project_id="p-1", key_id="k-1", key_secret="s-1") as emulator:
        env = emulator.env()
        assert env == {
            "SINCH_PROJECT_ID": "p-1",
            "SINCH_KEY_ID": "k-1",
            "SINCH_KEY_SECRET": "s-1",
            "SINCH_NUMBERS_URL": emulator.url,
            "SINCH_AUTH_URL": f"{emulator.url}/oauth2/token",
        }
        with api_client(emulator) as api:
            assert api.get("/callbackConfiguration").json()["projectId"] == "p-1"
        assert (
            httpx.get(
                f"{emulator.url}/v1/projects/p-1/callbackConfiguration",
                auth=("emulator-key", "emulator-secret"),
            ).status_code
            == 401
        )


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "state" / "emulator.json"
    with (
        start_emulator(state_file=state_file, review_policy="manual") as emulator,
        api_client(emulator) as api,
    ):
        token = httpx.post(
            emulator.token_url,
            auth=("emulator-key", "emulator-secret"),
            data={"grant_type": "client_credentials"},
        ).json()["access_token"]
        done = completed_order(api, emulator, "US", "LOCAL")
        pending = create_order(api, "AU", "MOBILE")
        api.patch("/callbackConfiguration", json={"hmacSecret": "z" * 40})
        emulator.advance_clock(3600 * 2)
        before = emulator.orders()
        clock_before = emulator.now()
    assert state_file.exists()
    with (
        start_emulator(state_file=state_file, review_policy="manual") as emulator,
        api_client(emulator) as api,
    ):
        assert emulator.orders() == before
        assert emulator.now() >= clock_before
        phone = done["orderNumbers"][0]["phoneNumber"]
        assert api.get(f"/activeNumbers/{phone}").status_code == 200
        reserved = pending["orderNumbers"][0]["phoneNumber"]
        assert api.get(f"/availableNumbers/{reserved}").status_code == 404
        assert api.get("/callbackConfiguration").json()["hmacSecret"] == "z" * 40
        # The token was issued before the 2-hour clock move, so it is expired now; a fresh
        # emulator would have called it invalid instead.
        response = httpx.get(
            f"{emulator.url}/v1/projects/emulator-project/callbackConfiguration",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert 'error="expired"' in response.headers["www-authenticate"]


def test_token_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    with start_emulator(state_file=state_file) as emulator:
        token = httpx.post(
            emulator.token_url,
            auth=("emulator-key", "emulator-secret"),
            data={"grant_type": "client_credentials"},
        ).json()["access_token"]
    with start_emulator(state_file=state_file) as emulator:
        response = httpx.get(
            f"{emulator.url}/v1/projects/emulator-project/callbackConfiguration",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200


def test_latency_flag_delays_api_calls_only() -> None:
    with start_emulator(latency_ms=300) as emulator, api_client(emulator) as api:
        started = time.monotonic()
        api.get("/callbackConfiguration")
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        emulator.stats()
        assert time.monotonic() - started < 0.3


def test_review_policy_flag(tmp_path: Path) -> None:
    with (
        start_emulator(review_policy="auto", review_delay_seconds=0.2) as emulator,
        api_client(emulator) as api,
    ):
        order = create_order(api, "US", "LOCAL")
        api.post(f"/numberOrders/{order['idNumberOrder']}/submit")
        deadline = time.monotonic() + 5
        while api.get(f"/numberOrders/{order['idNumberOrder']}").json()["state"] != "COMPLETED":
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_start_failure_is_reported() -> None:
    with pytest.raises(Exception, match="did not become ready"):
        EmulatorProcess(review_policy="sometimes", startup_timeout=20).start()
