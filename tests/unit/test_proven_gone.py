"""Nothing leaves the stack on a 404 that proves nothing (issue 16, item 1).

Every branch of read, delete, update and diff for an order the state records in one Sinch project
(and API URL) while the provider is configured for another, for a 404 while the order's numbers
are still active, and for states written before the project was recorded. HTTP is mocked at the
transport (respx), so every call the logic makes is counted.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from sinch_numbers.core.log import NumberOrderError
from sinch_numbers.core.settings import Connection, connection_for, provider_settings
from sinch_numbers.resources.number_order.diff import diff_order
from sinch_numbers.resources.number_order.lifecycle import delete_order, read_order, update_order
from tests.unit.conftest import recording_log

API = "https://numbers.example.test"
OTHER_API = "https://numbers.elsewhere.test"
NUMBER = "+61412000100"
ORDER = f"{API}/v1/projects/p1/numberOrders/o1"
ACTIVE = f"{API}/v1/projects/p1/activeNumbers/{NUMBER}"
NOT_FOUND = httpx.Response(
    404, json={"error": {"code": 404, "message": "", "status": "NOT_FOUND", "details": []}}
)


def _connection(project_id: str = "p1", numbers_url: str = API) -> Connection:
    return connection_for(
        provider_settings(
            {
                "project_id": project_id,
                "key_id": "k1",
                "key_secret": "s1",
                "numbers_url": numbers_url,
                "auth_method": "basic",
            }
        )
    )


def _warnings(lines: list[tuple[str, str]]) -> list[str]:
    return [text for severity, text in lines if severity == "warn"]


def _props(state: str = "COMPLETED", **changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "region_code": "AU",
        "number_type": "MOBILE",
        "quantity": 1,
        "release_on_destroy": True,
        "order_id": "o1",
        "state": state,
        "phone_numbers": [NUMBER],
        "order_numbers": [{"phone_number": NUMBER, "capabilities": ["SMS"]}],
        "project_id": "p1",
        "numbers_url": API,
    }
    props.update(changes)
    return props


def _legacy(state: str = "COMPLETED") -> dict[str, Any]:
    """Outputs written before the order's project and URL were recorded."""
    props = _props(state)
    del props["project_id"], props["numbers_url"]
    return props


def _active(expire_at: str | None = None) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "phoneNumber": NUMBER,
            "projectId": "p1",
            "regionCode": "AU",
            "type": "MOBILE",
            "capability": ["SMS"],
            "nextChargeDate": "2026-04-05T16:53:00Z",
            "expireAt": expire_at,
        },
    )


def _order(state: str = "COMPLETED") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "idNumberOrder": "o1",
            "projectId": "p1",
            "regionCode": "AU",
            "numberType": "MOBILE",
            "state": state,
            "orderNumbers": [{"phoneNumber": NUMBER, "capability": ["SMS"]}],
            "createTime": "2026-03-05T16:53:00Z",
        },
    )


# --- the project and URL an order belongs to --------------------------------------------------


def test_read_records_the_project_and_url_the_order_was_read_in() -> None:
    log, _ = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=_order("IN_REVIEW"))
        found = read_order(_connection(), "o1", _legacy("IN_REVIEW"), log)
    assert found is not None
    outputs, _inputs = found
    assert (outputs["project_id"], outputs["numbers_url"]) == ("p1", API)


@pytest.mark.parametrize("hook", ["read", "delete", "update"])
def test_another_project_refuses_before_any_call_naming_both(hook: str) -> None:
    log, lines = recording_log()
    connection = _connection(project_id="p2")
    props = _props()
    calls = {
        "read": lambda: read_order(connection, "o1", props, log),
        "delete": lambda: delete_order(connection, "o1", props, log),
        "update": lambda: update_order(connection, "o1", props, {**props, "quantity": 1}, log),
    }
    with respx.mock() as mock, pytest.raises(NumberOrderError) as refused:
        calls[hook]()
    assert mock.calls.call_count == 0, "nothing is read or changed in the other project"
    message = str(refused.value)
    assert "p1" in message
    assert "p2" in message
    assert "sinch:projectId" in message
    assert "pulumi state delete" in message, "names the explicit way to let the order go"
    assert lines == []


def test_another_numbers_url_refuses_naming_both_urls() -> None:
    log, _ = recording_log()
    with respx.mock() as mock, pytest.raises(NumberOrderError) as refused:
        read_order(_connection(numbers_url=OTHER_API), "o1", _props(), log)
    assert mock.calls.call_count == 0
    message = str(refused.value)
    assert API in message
    assert OTHER_API in message
    assert "sinch:numbersUrl" in message


def test_diff_under_another_project_refuses_without_a_call() -> None:
    log, _ = recording_log()
    props = _props()
    with respx.mock() as mock, pytest.raises(NumberOrderError) as refused:
        diff_order(lambda: _connection(project_id="p2"), "o1", props, props, log)
    assert mock.calls.call_count == 0
    assert "p1" in str(refused.value)
    assert "p2" in str(refused.value)


def test_diff_without_settings_plans_from_the_state() -> None:
    """A preview without credentials cannot tell the project; it plans as before (no change)."""
    from sinch_numbers.api.errors import ConfigurationError

    def unconfigured() -> Connection:
        raise ConfigurationError("missing Sinch settings", missing=("key_id",))

    log, _ = recording_log()
    props = _props()
    assert diff_order(unconfigured, "o1", props, props, log).changes is False


# --- a 404 is "gone" only when no recorded number is still active ------------------------------


def test_404_with_no_active_number_drops_the_order() -> None:
    log, lines = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        active = mock.get(ACTIVE).mock(return_value=NOT_FOUND)
        found = read_order(_connection(), "o1", _props(), log)
    assert found is None
    assert active.call_count == 1, "the number was checked before dropping"
    assert _warnings(lines) == []


def test_404_of_a_completed_order_whose_number_is_active_keeps_it_with_a_warning() -> None:
    log, lines = recording_log()
    props = _props()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=_active())
        found = read_order(_connection(), "o1", props, log)
    assert found is not None, "an order whose number is active and billed is never dropped"
    outputs, inputs = found
    assert outputs["order_id"] == "o1"
    assert outputs["state"] == "COMPLETED"
    assert outputs["phone_numbers"] == [NUMBER]
    assert (outputs["project_id"], outputs["numbers_url"]) == ("p1", API)
    assert inputs["region_code"] == "AU"
    (warning,) = _warnings(lines)
    assert NUMBER in warning
    assert "active" in warning


def test_404_whose_number_is_released_drops_the_order() -> None:
    """A released number is no longer charged: it lapses at expire_at."""
    log, lines = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=_active(expire_at="2026-04-05T16:53:00Z"))
        assert read_order(_connection(), "o1", _props(), log) is None
    assert _warnings(lines) == []


def test_404_when_the_number_cannot_be_checked_refuses() -> None:
    log, _ = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=httpx.Response(500, json={}))
        with pytest.raises(NumberOrderError) as refused:
            read_order(_connection(), "o1", _props(), log)
    assert NUMBER in str(refused.value)


def test_404_of_a_completed_order_without_recorded_numbers_refuses() -> None:
    log, _ = recording_log()
    props = _props(phone_numbers=[], order_numbers=[])
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        with pytest.raises(NumberOrderError, match="numbers"):
            read_order(_connection(), "o1", props, log)


def test_404_for_an_older_state_without_a_recorded_project_refuses() -> None:
    log, _ = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=NOT_FOUND)
        with pytest.raises(NumberOrderError) as refused:
            read_order(_connection(), "o1", _legacy(), log)
    message = str(refused.value)
    assert "p1" in message
    assert "sinch:projectId" in message
    assert "pulumi state delete" in message


def test_404_for_an_older_state_whose_number_is_active_here_keeps_it() -> None:
    log, lines = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=_active())
        found = read_order(_connection(), "o1", _legacy(), log)
    assert found is not None
    assert found[0]["project_id"] == "p1", "its number is here, so the order was"
    assert any(NUMBER in text for text in _warnings(lines))


# --- delete -----------------------------------------------------------------------------------


def test_delete_after_a_404_releases_the_still_active_numbers() -> None:
    log, lines = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=_active())
        release = mock.post(f"{ACTIVE}:release").mock(
            return_value=_active(expire_at="2026-04-05T16:53:00Z")
        )
        delete_order(_connection(), "o1", _props(), log)
    assert release.call_count == 1
    assert any(NUMBER in text for text in _warnings(lines)), "says Sinch no longer had the order"


def test_delete_after_a_404_without_release_warns_naming_the_numbers() -> None:
    log, lines = recording_log()
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=_active())
        release = mock.post(f"{ACTIVE}:release")
        delete_order(_connection(), "o1", _props(release_on_destroy=False), log)
    assert release.call_count == 0
    assert any(NUMBER in text and "billed" in text for text in _warnings(lines))


def test_delete_after_a_404_with_nothing_active_deletes_nothing() -> None:
    log, lines = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=NOT_FOUND)
        delete_order(_connection(), "o1", _props(), log)
        assert mock.calls.call_count == 2
    assert _warnings(lines) == []


def test_delete_after_a_404_for_an_older_state_refuses() -> None:
    log, _ = recording_log()
    with respx.mock() as mock:
        mock.get(ORDER).mock(return_value=NOT_FOUND)
        mock.get(ACTIVE).mock(return_value=NOT_FOUND)
        with pytest.raises(NumberOrderError, match="pulumi state delete"):
            delete_order(_connection(), "o1", _legacy(), log)


def test_update_of_an_older_completed_state_reads_the_order_before_recording_a_project() -> None:
    """A final state spares the read, but only once the state records where the order is: an
    update must not record the current project for an order it never found there."""
    log, _ = recording_log()
    props = _legacy()
    news = {k: props[k] for k in ("region_code", "number_type", "quantity", "release_on_destroy")}
    with respx.mock() as mock:
        get = mock.get(ORDER).mock(return_value=NOT_FOUND)
        with pytest.raises(NumberOrderError, match="no longer exists"):
            update_order(_connection(), "o1", props, news, log)
    assert get.call_count == 1
