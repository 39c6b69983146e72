"""The admin surface under ``/_emulator/``: no Sinch route lives there, and no auth is asked."""

from __future__ import annotations

import base64
import re
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request

from sinch_numbers.emulator import orders
from sinch_numbers.emulator.bodies import Checker, json_object
from sinch_numbers.emulator.callbacks import CallbackDispatcher
from sinch_numbers.emulator.clock import rfc3339
from sinch_numbers.emulator.errors import invalid_field
from sinch_numbers.emulator.faults import ACTIONS, ADMIN_PREFIX, FaultRegistry
from sinch_numbers.emulator.requirements_catalog import requirements_for
from sinch_numbers.emulator.sample_files import FILES
from sinch_numbers.emulator.state import EmulatorState, Settings
from sinch_numbers.emulator.wire import order_wire, registration_wire

ADMIN_LIMIT = 64 * 1024


def _number(body: dict[str, Any], key: str, *, minimum: float = 0) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise invalid_field(key, f"must be a number >= {minimum}")
    return float(value)


def build_admin_router(
    state: EmulatorState, faults: FaultRegistry, callbacks: CallbackDispatcher
) -> APIRouter:
    router = APIRouter(prefix=ADMIN_PREFIX, include_in_schema=False)

    def clock_view() -> dict[str, Any]:
        return {"now": rfc3339(state.clock.now()), "offset_seconds": state.clock.offset_seconds}

    @router.post("/reset")
    async def reset() -> dict[str, Any]:
        state.reset()
        faults.clear()
        faults.reset_stats()
        callbacks.clear()
        return clock_view()

    @router.get("/clock")
    async def get_clock() -> dict[str, Any]:
        return clock_view()

    @router.post("/clock")
    async def move_clock(request: Request) -> dict[str, Any]:
        body = await json_object(request, ADMIN_LIMIT)
        seconds = _number(body, "advance_seconds")
        if seconds is None:
            raise invalid_field("advance_seconds", "is required")
        with state.lock:
            state.clock.advance(seconds)
            state.touch()
            with state.session():
                pass
            return clock_view()

    @router.post("/orders/{order_id}/review")
    async def review(order_id: str, request: Request) -> dict[str, Any]:
        body = await json_object(request, ADMIN_LIMIT)
        check = Checker()
        outcome = check.enum(
            body, "outcome", "outcome", tuple(orders.REVIEW_OUTCOMES), required=True
        )
        message = check.string(body, "message", "message")
        check.raise_if_any("invalid review")
        with state.session() as now:
            order = orders.get_order(state, order_id)
            orders.review(state, order, outcome or "", message, now)
            return order_wire(order)

    @router.delete("/orders/{order_id}")
    async def forget_order(order_id: str) -> dict[str, Any]:
        """Sinch no longer returns the order; its active numbers stay active (and billed)."""
        with state.session():
            orders.get_order(state, order_id)
            del state.orders[order_id]
            state.touch()
            return {}

    @router.get("/orders")
    async def list_orders() -> dict[str, Any]:
        with state.session():
            return {
                "orders": [
                    {
                        **order_wire(order),
                        "callbackUrl": order.callback_url,
                        "registration": registration_wire(order),
                    }
                    for order in sorted(state.orders.values(), key=lambda o: o.create_time)
                ]
            }

    @router.get("/samples/{region_code}/{number_type}")
    async def sample(region_code: str, number_type: str) -> dict[str, Any]:
        requirements = requirements_for(region_code, number_type)
        if requirements is None:
            return {"registration": None, "attachments": []}
        attachments = []
        for item in requirements.attachments:
            mime = item["allowedMimeTypes"][0] if item["allowedMimeTypes"] else "application/pdf"
            file_name, make = FILES[mime]
            documents = item["allowedDocumentTypes"]
            attachments.append(
                {
                    "requirementId": item["id"],
                    "mandatory": item["mandatory"],
                    "fileName": file_name,
                    "mimeType": mime,
                    "documentType": documents[0] if documents else None,
                    "contentBase64": base64.b64encode(make()).decode(),
                }
            )
        return {"registration": requirements.sample, "attachments": attachments}

    @router.post("/faults")
    async def add_fault(request: Request) -> dict[str, Any]:
        body = await json_object(request, ADMIN_LIMIT)
        check = Checker()
        check.unknown_keys(
            body,
            {"method", "path", "action", "status", "retry_after", "latency_ms", "times", "message"},
        )
        method = (check.string(body, "method", "method") or "*").upper()
        path = check.string(body, "path", "path", required=True) or ""
        action = check.enum(body, "action", "action", ACTIONS, required=True)
        status = _number(body, "status", minimum=100)
        latency = _number(body, "latency_ms")
        times = _number(body, "times", minimum=1)
        message = check.string(body, "message", "message")
        retry_after = body.get("retry_after")
        if retry_after is not None and not isinstance(retry_after, str | int):
            check.add("retry_after", "must be a string or an integer")
        check.raise_if_any("invalid fault")
        if action in ("status", "status_after") and status is None:
            raise invalid_field("status", "is required for this action")
        try:
            re.compile(path)
        except re.error:
            raise invalid_field("path", "is not a valid regular expression") from None
        fault = faults.add(
            method=method,
            path=path,
            action=action,
            status=int(status or 503),
            retry_after=str(retry_after) if retry_after is not None else None,
            latency_ms=int(latency or 0),
            times=int(times) if times is not None else None,
            message=message or None,
        )
        return fault.wire()

    @router.get("/faults")
    async def list_faults() -> dict[str, Any]:
        return {"faults": faults.list()}

    @router.delete("/faults")
    async def clear_faults() -> dict[str, Any]:
        faults.clear()
        return {}

    @router.get("/stats")
    async def stats() -> dict[str, Any]:
        return {"calls": faults.stats(), **faults.concurrency()}

    @router.get("/stats/sequence")
    async def sequence() -> dict[str, Any]:
        return {"calls": list(faults.calls_in_order())}

    @router.post("/stats/reset")
    async def reset_stats() -> dict[str, Any]:
        faults.reset_stats()
        return {}

    @router.get("/callbacks")
    async def list_callbacks() -> dict[str, Any]:
        return {"callbacks": callbacks.records()}

    @router.get("/settings")
    async def get_settings() -> dict[str, Any]:
        return asdict(state.settings)

    @router.patch("/settings")
    async def patch_settings(request: Request) -> dict[str, Any]:
        body = await json_object(request, ADMIN_LIMIT)
        known = set(Settings.__dataclass_fields__)
        check = Checker()
        check.unknown_keys(body, known)
        if "review_policy" in body:
            check.enum(body, "review_policy", "review_policy", ("auto", "manual"), required=True)
        changes: dict[str, Any] = {}
        for key in known - {"review_policy", "hmac_secret"}:
            if key in body:
                value = _number(body, key)
                changes[key] = value if key == "review_delay_seconds" else int(value or 0)
        if "hmac_secret" in body:
            changes["hmac_secret"] = check.string(body, "hmac_secret", "hmac_secret")
        check.raise_if_any("invalid settings")
        if "review_policy" in body:
            changes["review_policy"] = body["review_policy"]
        return asdict(state.update_settings(changes))

    return router
