"""`numbers list` and `number release`: the real console script against the emulator."""

from __future__ import annotations

import json

import httpx
import pytest
from cli_helpers import Cli, assert_one_error_line, command, run, submitted_order

from sinch_numbers.testing.emulator import EmulatorProcess

RELEASE = "POST /v1/projects/{projectId}/activeNumbers/{phoneNumber}:release"
NUMBER_KEYS = {
    "phone_number",
    "region_code",
    "type",
    "capabilities",
    "display_name",
    "monthly_price",
    "payment_interval_months",
    "next_charge_date",
    "released",
    "expire_at",
    "sms_configuration",
    "voice_configuration",
    "callback_url",
}


def active_number(api: httpx.Client, emulator: EmulatorProcess, region: str, kind: str) -> str:
    """Orders one number of REGION/KIND, approves it, and returns the now active number."""
    order_id = submitted_order(api, emulator, region, kind)
    order = emulator.review(order_id, "approve")
    assert order["state"] == "COMPLETED"
    return str(order["orderNumbers"][0]["phoneNumber"])


def api_number(api: httpx.Client, phone_number: str) -> dict[str, object]:
    response = api.get(f"/activeNumbers/{phone_number}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def sinch(emulator: EmulatorProcess, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = run(command(*args, "--emulator", emulator.url), env)
    return result.returncode, result.stdout, result.stderr


# --- numbers list --------------------------------------------------------------------------------


def test_list_shows_every_active_number_and_filters(
    emulator: EmulatorProcess, api: httpx.Client, subprocess_env: dict[str, str]
) -> None:
    australian = active_number(api, emulator, "AU", "MOBILE")
    american = active_number(api, emulator, "US", "LOCAL")

    code, stdout, stderr = sinch(emulator, subprocess_env, "numbers", "list")
    assert (code, stderr) == (0, "")
    assert "Active numbers (2)" in stdout
    assert australian in stdout
    assert american in stdout
    assert "AU MOBILE" in stdout
    assert "US LOCAL" in stdout

    code, stdout, _ = sinch(emulator, subprocess_env, "numbers", "list", "--region", "au")
    assert code == 0
    assert "Active AU numbers (1)" in stdout
    assert australian in stdout
    assert american not in stdout

    code, stdout, _ = sinch(
        emulator, subprocess_env, "numbers", "list", "--type", "local", "--json"
    )
    assert code == 0
    listed = json.loads(stdout)
    assert [n["phone_number"] for n in listed] == [american]
    assert set(listed[0]) == NUMBER_KEYS
    assert listed[0]["released"] is False
    assert listed[0]["expire_at"] is None


def test_list_of_no_numbers(emulator: EmulatorProcess, subprocess_env: dict[str, str]) -> None:
    code, stdout, _ = sinch(emulator, subprocess_env, "numbers", "list", "--type", "TOLL_FREE")
    assert code == 0
    assert stdout.strip() == "No active TOLL_FREE numbers."
    code, stdout, _ = sinch(emulator, subprocess_env, "numbers", "list", "--json")
    assert (code, json.loads(stdout)) == (0, [])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--region", "AUS"], ["--region", "two-letter"]),
        (["--type", "SATELLITE"], ["--type", "MOBILE, LOCAL, TOLL_FREE"]),
        (["--capability", "FAX"], ["--capability", "SMS, VOICE"]),
    ],
)
def test_list_filters_are_checked(on_emulator: Cli, args: list[str], named: list[str]) -> None:
    result = on_emulator("numbers", "list", *args)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, *named)


# --- number release ------------------------------------------------------------------------------


def test_release_prints_until_when_the_number_stays(
    emulator: EmulatorProcess, api: httpx.Client, subprocess_env: dict[str, str]
) -> None:
    phone = active_number(api, emulator, "AU", "MOBILE")
    code, stdout, stderr = sinch(
        emulator, subprocess_env, "number", "release", phone, "--confirm", phone
    )
    assert (code, stderr) == (0, "")
    released = api_number(api, phone)
    assert released["expireAt"] is not None
    day = str(released["expireAt"])[:10]
    assert stdout.startswith(f"{phone} released: it stays active until {day} ")
    assert "not charged again" in stdout

    # The list now shows it released; a second release says so and sends no second release.
    code, stdout, _ = sinch(emulator, subprocess_env, "numbers", "list")
    assert code == 0
    assert f"active until {day}" in stdout
    emulator.reset_stats()
    code, stdout, _ = sinch(
        emulator, subprocess_env, "number", "release", phone, "--confirm", phone
    )
    assert code == 0
    assert stdout.startswith(f"{phone} was already released: it stays active until {day} ")
    assert RELEASE not in emulator.stats()


def test_release_json(emulator: EmulatorProcess, api: httpx.Client, on_emulator: Cli) -> None:
    phone = active_number(api, emulator, "US", "LOCAL")
    result = on_emulator("number", "release", phone, "--confirm", phone, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == NUMBER_KEYS | {"already_released"}
    assert document["released"] is True
    assert document["already_released"] is False
    assert document["expire_at"] == api_number(api, phone)["expireAt"]


@pytest.mark.parametrize(
    ("confirm", "named"),
    [
        ([], ["cannot be undone", "--confirm PHONE_NUMBER"]),
        (["--confirm", "+61412000199"], ["--confirm names another number", "nothing was released"]),
        (["--confirm", "yes"], ["--confirm names another number"]),
    ],
)
def test_release_refuses_without_the_number_repeated(
    emulator: EmulatorProcess,
    api: httpx.Client,
    subprocess_env: dict[str, str],
    confirm: list[str],
    named: list[str],
) -> None:
    phone = active_number(api, emulator, "AU", "MOBILE")
    emulator.reset_stats()
    code, stdout, stderr = sinch(emulator, subprocess_env, "number", "release", phone, *confirm)
    assert code == 2
    assert stdout == ""
    assert_one_error_line(stderr, *named)
    assert emulator.stats() == {}  # not one API call, the token included
    assert api_number(api, phone)["expireAt"] is None


def test_release_of_a_number_that_is_not_active(
    emulator: EmulatorProcess, subprocess_env: dict[str, str]
) -> None:
    phone = "+61412000199"
    code, stdout, stderr = sinch(
        emulator, subprocess_env, "number", "release", phone, "--confirm", phone
    )
    assert code == 4
    assert stdout == ""
    assert_one_error_line(
        stderr, f"{phone} is not an active number of project", "sinch-numbers numbers list"
    )
    assert RELEASE not in emulator.stats()


@pytest.mark.parametrize(
    "phone", ["0412000100", "+0412000100", "+1", "61412000100", "+61 412 000 100"]
)
def test_release_needs_an_e164_number(on_emulator: Cli, phone: str) -> None:
    result = on_emulator("number", "release", phone, "--confirm", phone)
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, "'PHONE_NUMBER'", "E.164")
