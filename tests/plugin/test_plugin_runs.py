"""What the dynamic form cannot do, shown through the plugin's own process: partial state
after a failure, a cancelled wait, more than four calls at a time."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.package_plugin import PackageCallError, PackagePlugin

from .conftest import us_order


def test_a_failure_after_the_order_exists_returns_it_as_a_failed_initialisation(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    urn = plugin.urn("NumberOrder", "o")
    inputs, _ = plugin.check(urn, us_order())
    emu.add_fault(r"/submit$", method="POST", status=400, times=1)
    with pytest.raises(PackageCallError) as failed:
        plugin.create(urn, inputs)
    init = failed.value.init
    assert init is not None, failed.value.details
    order_id = init.id
    assert emu.order(order_id)["state"] == "CREATED"
    assert init.outputs["orderId"] == order_id
    assert init.outputs["failedStep"] == "submit"
    assert init.inputs["regionCode"] == "US"
    assert len(init.reasons) == 1
    assert "run `pulumi up` again to resume" in init.reasons[0]
    assert "lastErrorDetail" in init.reasons[0]
    assert "Traceback" not in failed.value.details

    # The next `up`: the engine calls Update for a resource with init errors, even without a
    # change; it resumes the same order, ordering nothing anew.
    assert plugin.diff(urn, order_id, init.outputs, inputs).replaces == []
    resumed = plugin.update(urn, order_id, init.outputs, inputs)
    assert resumed["state"] == "IN_REVIEW"
    assert resumed["failedStep"] is None
    assert len(emu.orders()) == 1


def test_cancel_ends_a_completion_wait_at_once_and_creates_nothing(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    order_id, _ = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    urn = plugin.urn("NumberOrderCompletion", "wait")
    inputs, failures = plugin.check(urn, {"orderId": order_id, "timeout": 3600})
    assert failures == []
    outcome: dict[str, Any] = {}

    def wait() -> None:
        try:
            outcome["created"] = plugin.create(urn, inputs)
        except PackageCallError as error:
            outcome["error"] = error

    waiting = threading.Thread(target=wait)
    waiting.start()
    assert plugin.wait_for_engine_log("waiting", timeout=60)
    started = time.monotonic()
    plugin.cancel()
    waiting.join(timeout=120)
    assert not waiting.is_alive()
    # Ended by the cancel, long before the wait's hour (no tighter timing is asserted).
    assert time.monotonic() - started < 120
    assert "created" not in outcome
    assert "stopped" in outcome["error"].details.lower()
    assert emu.order(order_id)["state"] == "IN_REVIEW"


def test_the_plugin_serves_more_than_four_creates_at_once(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    emu.settings(latency_ms=400)
    emu.reset_stats()
    count = 16
    with ThreadPoolExecutor(count) as pool:
        created = list(
            pool.map(
                lambda i: plugin.create(plugin.urn("NumberOrder", f"o{i}"), us_order()),
                range(count),
            )
        )
    assert len({order_id for order_id, _ in created}) == count
    # The dynamic provider serves four at a time; the engine's default --parallel is 16.
    assert emu.max_in_flight() > 8


def test_a_completion_is_created_once_review_completes(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    order_id, _ = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    urn = plugin.urn("NumberOrderCompletion", "wait")
    inputs, _ = plugin.check(urn, {"orderId": order_id, "timeout": 600})
    outcome: dict[str, Any] = {}
    waiting = threading.Thread(target=lambda: outcome.update(done=plugin.create(urn, inputs)))
    waiting.start()
    assert plugin.wait_for_engine_log("waiting", timeout=60)
    emu.review(order_id, "approve")
    waiting.join(timeout=120)
    completion_id, outputs = outcome["done"]
    assert completion_id == order_id
    assert outputs["state"] == "COMPLETED"
    assert outputs["phoneNumbers"] == [n["phoneNumber"] for n in outputs["activeNumbers"]]


def test_closed_by_the_engine_mid_wait_it_exits_at_once_and_quietly(
    plugin: PackagePlugin, emu: EmulatorProcess
) -> None:
    order_id, _ = plugin.create(plugin.urn("NumberOrder", "o"), us_order())
    urn = plugin.urn("NumberOrderCompletion", "wait")
    inputs, _ = plugin.check(urn, {"orderId": order_id, "timeout": 3600})
    outcome: dict[str, Any] = {}

    def wait() -> None:
        try:
            plugin.create(urn, inputs)
        except PackageCallError as error:
            outcome["error"] = error

    waiting = threading.Thread(target=wait)
    waiting.start()
    assert plugin.wait_for_engine_log("waiting", timeout=60)
    assert plugin.interrupt(timeout=60) == 0
    waiting.join(timeout=60)
    assert "error" in outcome
    # A clean stop: no traceback of the gRPC server on stderr, which the engine would show.
    assert "Traceback" not in plugin.stderr_text()
