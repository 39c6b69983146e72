"""An ActiveNumber records the Sinch project and API URL of its number, and no hook acts on it, or
drops it on a 404, under others (issue 16, item 1: a number dropped after a project change stays
billed in the old project with nothing left to release it). HTTP mocked at the transport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from sinch_numbers.active_number import ActiveNumberError, ActiveNumberProvider

API = "https://numbers.example.test"
PHONE = "+13075551000"
NUMBER = f"{API}/v1/projects/p1/activeNumbers/{PHONE}"
NOT_FOUND = httpx.Response(
    404, json={"error": {"code": 404, "message": "", "status": "NOT_FOUND", "details": []}}
)
FOUND = httpx.Response(
    200,
    json={
        "phoneNumber": PHONE,
        "projectId": "p1",
        "regionCode": "US",
        "type": "LOCAL",
        "capability": ["SMS"],
        "nextChargeDate": "2026-04-05T16:53:00Z",
    },
)


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ActiveNumberProvider]:
    def configured(project_id: str = "p1") -> ActiveNumberProvider:
        monkeypatch.setenv("SINCH_PROJECT_ID", project_id)
        monkeypatch.setenv("SINCH_KEY_ID", "k1")
        monkeypatch.setenv("SINCH_KEY_SECRET", "s1")
        monkeypatch.setenv("SINCH_NUMBERS_URL", API)
        monkeypatch.setenv("SINCH_AUTH_METHOD", "basic")
        return ActiveNumberProvider()

    return configured


def _stored(**changes: Any) -> dict[str, Any]:
    return {
        "phone_number": PHONE,
        "display_name": "Support",
        "release_on_destroy": True,
        "capabilities": ["SMS"],
        "project_id": "p1",
        "numbers_url": API,
        **changes,
    }


def _legacy() -> dict[str, Any]:
    stored = _stored()
    del stored["project_id"], stored["numbers_url"]
    return stored


def test_create_and_read_record_the_project_and_url(
    provider: Callable[[str], ActiveNumberProvider],
) -> None:
    with respx.mock() as mock:
        mock.get(NUMBER).mock(return_value=FOUND)
        mock.patch(NUMBER).mock(return_value=FOUND)
        created = provider("p1").create({"phone_number": PHONE, "display_name": "Support"})
        read = provider("p1").read(PHONE, _legacy())
    assert created.outs is not None
    assert (created.outs["project_id"], created.outs["numbers_url"]) == ("p1", API)
    assert read.outs is not None
    assert (read.outs["project_id"], read.outs["numbers_url"]) == ("p1", API)


@pytest.mark.parametrize("hook", ["read", "update", "delete", "diff"])
def test_another_project_refuses_before_any_call_naming_both(
    provider: Callable[[str], ActiveNumberProvider], hook: str
) -> None:
    elsewhere = provider("p2")
    stored = _stored()
    news = {"phone_number": PHONE, "display_name": "Sales", "release_on_destroy": True}
    calls = {
        "read": lambda: elsewhere.read(PHONE, stored),
        "update": lambda: elsewhere.update(PHONE, stored, news),
        "delete": lambda: elsewhere.delete(PHONE, stored),
        "diff": lambda: elsewhere.diff(PHONE, stored, news),
    }
    with respx.mock() as mock, pytest.raises(ActiveNumberError) as refused:
        calls[hook]()
    assert mock.calls.call_count == 0
    message = str(refused.value)
    assert "project p1" in message
    assert "project p2" in message
    assert "sinch:projectId" in message


def test_a_404_in_its_own_project_drops_the_number(
    provider: Callable[[str], ActiveNumberProvider],
) -> None:
    with respx.mock() as mock:
        mock.get(NUMBER).mock(return_value=NOT_FOUND)
        result = provider("p1").read(PHONE, _stored())
    assert result.id == ""


def test_a_404_for_a_state_without_a_recorded_project_refuses(
    provider: Callable[[str], ActiveNumberProvider],
) -> None:
    with respx.mock() as mock:
        mock.get(NUMBER).mock(return_value=NOT_FOUND)
        with pytest.raises(ActiveNumberError, match="pulumi state delete"):
            provider("p1").read(PHONE, _legacy())
