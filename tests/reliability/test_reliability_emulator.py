"""Fault-injection fidelity the matrix depends on: what each fault does to the server's state."""

from __future__ import annotations

import httpx
import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tests.reliability.support import wait_until


def _order_body() -> dict[str, object]:
    return {
        "regionCode": "US",
        "numberType": "LOCAL",
        "quantityOrderOption": {"requestedQuantity": 1},
    }


def _create(emu: EmulatorProcess, timeout: float) -> httpx.Response:
    creds = emu.credentials
    return httpx.post(
        f"{emu.url}/v1/projects/{creds.project_id}/numberOrders:createNumberOrder",
        json=_order_body(),
        auth=(creds.key_id, creds.key_secret),
        timeout=timeout,
    )


def test_a_request_delayed_past_the_client_timeout_is_still_applied(
    emu: EmulatorProcess,
) -> None:
    """A slow server has the request already and applies it after the client gave up: that late
    write is what makes a lost answer dangerous, so the emulator must not quietly drop it."""
    emu.add_fault(r":createNumberOrder$", method="POST", action="latency", latency_ms=800)
    with pytest.raises(httpx.ReadTimeout):
        _create(emu, timeout=0.2)
    wait_until(lambda: len(emu.orders()) == 1, timeout=5, what="the delayed order")


def test_a_dropped_request_is_not_applied(emu: EmulatorProcess) -> None:
    emu.add_fault(r":createNumberOrder$", method="POST", action="drop")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        _create(emu, timeout=5)
    assert emu.orders() == []


def test_a_5xx_after_the_change_was_applied_keeps_the_change(emu: EmulatorProcess) -> None:
    emu.add_fault(r":createNumberOrder$", method="POST", action="status_after", status=503)
    response = _create(emu, timeout=5)
    assert response.status_code == 503
    assert response.json()["error"]["status"] == "UNAVAILABLE"
    assert len(emu.orders()) == 1
