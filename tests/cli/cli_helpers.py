"""Orders in every state, made with plain httpx (never the project's client), and output checks."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sinch_numbers.api.settings import ENV_VARIABLES
from sinch_numbers.testing.emulator import EmulatorProcess

CONSOLE_SCRIPT = Path(sys.executable).parent / "sinch-numbers"

PAIRS_WITH_KYC = [
    ("AU", "MOBILE"),
    ("AU", "LOCAL"),
    ("DE", "LOCAL"),
    ("BR", "MOBILE"),
    ("GB", "MOBILE"),
    ("SE", "TOLL_FREE"),
]
PAIRS_WITHOUT_KYC = [("US", "LOCAL"), ("US", "TOLL_FREE")]
BLOCK_MESSAGE = "Please upload a clearer passport scan."
REJECT_MESSAGE = "The business address could not be verified."

SINCH_VARIABLES = tuple(ENV_VARIABLES.values())


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Cli = Callable[..., Run]


def clean_environment(extra: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """CliRunner's ``env``: every SINCH_* variable unset unless given."""
    env: dict[str, str | None] = dict.fromkeys(SINCH_VARIABLES)
    env.update(extra or {})
    return env


def create_order(api: httpx.Client, region: str = "AU", number_type: str = "MOBILE") -> str:
    listed = api.get("/availableNumbers", params={"regionCode": region, "type": number_type})
    assert listed.status_code == 200, listed.text
    phone = listed.json()["availableNumbers"][0]["phoneNumber"]
    body: dict[str, Any] = {
        "regionCode": region,
        "numberType": number_type,
        "numberOrderOption": {"phoneNumbers": [phone]},
    }
    response = api.post("/numberOrders:createNumberOrder", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["idNumberOrder"])


def register(
    api: httpx.Client, emulator: EmulatorProcess, order_id: str, region: str, kind: str
) -> Any:
    """PUT the emulator's sample registration and upload its mandatory files; returns the data."""
    sample = emulator.sample(region, kind)
    if sample.registration is None:
        return None
    response = api.put(
        f"/numberOrders/{order_id}/registration",
        json={"requestDetails": {"data": sample.registration}},
    )
    assert response.status_code == 200, response.text
    for item in sample.attachments:
        if not item.mandatory:
            continue
        data = {"documentType": item.document_type} if item.document_type else {}
        uploaded = api.post(
            f"/numberOrders/{order_id}/attachments/{item.requirement_id}",
            files={"file": (item.file_name, item.content, item.mime_type)},
            data=data,
        )
        assert uploaded.status_code == 200, uploaded.text
    return sample.registration


def submitted_order(
    api: httpx.Client, emulator: EmulatorProcess, region: str = "AU", kind: str = "MOBILE"
) -> str:
    order_id = create_order(api, region, kind)
    register(api, emulator, order_id, region, kind)
    response = api.post(f"/numberOrders/{order_id}/submit")
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "IN_REVIEW"
    return order_id


def order_in_state(api: httpx.Client, emulator: EmulatorProcess, state: str) -> str:
    if state == "CREATED":
        return create_order(api)
    if state == "EXPIRED":
        order_id = create_order(api)
        emulator.advance_clock(49 * 3600)
        return order_id
    order_id = submitted_order(api, emulator)
    if state == "COMPLETED":
        emulator.review(order_id, "approve")
    elif state == "BLOCKED":
        emulator.review(order_id, "block", BLOCK_MESSAGE)
    elif state == "REJECTED":
        emulator.review(order_id, "reject", REJECT_MESSAGE)
    else:
        assert state == "IN_REVIEW", state
    return order_id


def sample_strings(registration: Any) -> set[str]:
    """Every string value of a registration payload: none of them may appear in output."""
    found: set[str] = set()
    if isinstance(registration, str):
        found.add(registration)
    elif isinstance(registration, dict):
        for value in registration.values():
            found |= sample_strings(value)
    elif isinstance(registration, list):
        for value in registration:
            found |= sample_strings(value)
    return found


def encoded(content: bytes) -> str:
    return base64.b64encode(content).decode()


def assert_one_error_line(stderr: str, *needles: str) -> str:
    """stderr is exactly one ``error:`` line, naming every needle, with no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    (line,) = lines
    assert line.startswith("error: "), line
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in line, (needle, line)
    return line


def command(*args: str) -> list[str]:
    """The installed console script when there is one, else ``python -m sinch_numbers.cli``."""
    if CONSOLE_SCRIPT.exists():
        return [str(CONSOLE_SCRIPT), *args]
    return [sys.executable, "-m", "sinch_numbers.cli", *args]


def run(
    args: list[str], env: Mapping[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )


@contextmanager
def serving(args: list[str], env: Mapping[str, str], cwd: Path | None = None) -> Iterator[str]:
    """Runs an emulator command (``sinch-numbers emulator --port 0 ...``); yields its URL.

    On leaving, the emulator must stop cleanly (exit 0) when asked to.
    """
    process = subprocess.Popen(
        args, cwd=cwd, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Sinch Numbers emulator listening on http://127.0.0.1:"), line
        yield line.rsplit(" ", 1)[1]
    finally:
        process.terminate()
        assert process.wait(timeout=15) == 0
