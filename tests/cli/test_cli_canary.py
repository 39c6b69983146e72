"""Canaries: the key secret and KYC data never appear in anything the CLI prints."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cli_helpers import Cli, create_order

from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator

SECRET = "cli-canary-secret-4e8d2b7a"
WRONG_SECRET = "cli-canary-wrong-9c1f3a6e"
KYC_NAME = "Canary Kyc Holdings 7f2c"
KYC_FILE = "canary-passport-1b9e.png"


@pytest.fixture(scope="module")
def canary_emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual", key_secret=SECRET) as emulator:
        yield emulator


@pytest.fixture
def canary_order(canary_emulator: EmulatorProcess) -> str:
    """A BLOCKED AU MOBILE order whose registration and file name carry canary values."""
    canary_emulator.reset()
    creds = canary_emulator.credentials
    with httpx.Client(
        base_url=f"{canary_emulator.url}/v1/projects/{creds.project_id}",
        auth=(creds.key_id, creds.key_secret),
        timeout=15.0,
    ) as api:
        order_id = create_order(api)
        sample = canary_emulator.sample("AU", "MOBILE")
        registration = sample.registration
        registration[1]["endBusinessName"] = KYC_NAME
        put = api.put(
            f"/numberOrders/{order_id}/registration",
            json={"requestDetails": {"data": registration}},
        )
        assert put.status_code == 200, put.text
        for item in sample.attachments:
            if item.mandatory:
                data = {"documentType": item.document_type} if item.document_type else {}
                uploaded = api.post(
                    f"/numberOrders/{order_id}/attachments/{item.requirement_id}",
                    files={"file": (KYC_FILE, item.content, item.mime_type)},
                    data=data,
                )
                assert uploaded.status_code == 200, uploaded.text
        assert api.post(f"/numberOrders/{order_id}/submit").status_code == 200
    canary_emulator.review(order_id, "block", "Please check the documents.")
    return order_id


def commands(order_id: str) -> list[list[str]]:
    return [
        ["requirements", "AU", "MOBILE"],
        ["requirements", "AU", "MOBILE", "--json"],
        ["requirements", "AU", "MOBILE", "--skeleton", "python"],
        ["requirements", "US", "LOCAL"],
        ["search", "AU", "MOBILE", "--size", "2"],
        ["search", "AU", "MOBILE", "--size", "2", "--json"],
        ["order", "show", order_id],
        ["order", "show", order_id, "--json"],
        ["order", "watch", order_id, "--interval", "0.2"],
        ["order", "watch", order_id, "--json"],
        ["order", "show", "01jzzzzzzzzzzzzzzzzzzzzzzz"],
    ]


def assert_clean(output: str) -> None:
    for canary in (SECRET, WRONG_SECRET, KYC_NAME, KYC_FILE):
        assert canary not in output, canary


def test_secret_and_kyc_data_never_printed(
    cli: Cli, canary_emulator: EmulatorProcess, canary_order: str
) -> None:
    env = canary_emulator.env()
    codes = []
    for args in commands(canary_order):
        for extra_env, extra_args in (
            (env, []),  # the secret from the environment
            ({k: v for k, v in env.items() if k != "SINCH_KEY_SECRET"}, ["--key-secret", SECRET]),
            ({**env, "SINCH_KEY_SECRET": WRONG_SECRET}, []),
            ({**env, "SINCH_KEY_SECRET": WRONG_SECRET}, ["--auth-method", "basic"]),
            ({"SINCH_KEY_SECRET": SECRET}, []),  # the other settings missing
            ({}, ["--emulator", canary_emulator.url, "--key-secret", SECRET]),
        ):
            result = cli(*args, *extra_args, env=extra_env)
            assert_clean(result.output)
            codes.append(result.exit_code)
    # Every path ran: successes, a blocked order, not found, wrong credentials, missing settings.
    assert {0, 1, 3, 4, 5} <= set(codes)


def test_secret_never_printed_by_a_process(
    canary_emulator: EmulatorProcess, canary_order: str, subprocess_env: dict[str, str]
) -> None:
    script = Path(sys.executable).parent / "sinch-numbers"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "sinch_numbers.cli"]
    for args, secret in (
        (["order", "show", canary_order], SECRET),
        (["order", "show", canary_order], WRONG_SECRET),
        (["requirements", "AU", "MOBILE", "--skeleton", "yaml"], WRONG_SECRET),
    ):
        env = {**subprocess_env, **canary_emulator.env(), "SINCH_KEY_SECRET": secret}
        result = subprocess.run(
            [*base, *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert_clean(result.stdout + result.stderr)
