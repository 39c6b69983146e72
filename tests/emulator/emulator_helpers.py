"""Small flows shared by the emulator tests (plain httpx, never the project's client)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from sinch_numbers.testing.emulator import EmulatorProcess

PAIRS_WITH_KYC = [
    ("AU", "MOBILE"),
    ("AU", "LOCAL"),
    ("DE", "LOCAL"),
    ("BR", "MOBILE"),
    ("GB", "MOBILE"),
    ("SE", "TOLL_FREE"),
]
PAIRS_WITHOUT_KYC = [("US", "LOCAL"), ("US", "TOLL_FREE")]
ALL_PAIRS = PAIRS_WITH_KYC + PAIRS_WITHOUT_KYC


def first_available(api: httpx.Client, region: str, number_type: str, **params: Any) -> str:
    response = api.get(
        "/availableNumbers", params={"regionCode": region, "type": number_type, **params}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["availableNumbers"][0]["phoneNumber"])


def create_order(
    api: httpx.Client, region: str = "AU", number_type: str = "MOBILE", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"regionCode": region, "numberType": number_type, **extra}
    if "quantityOrderOption" not in body and "numberOrderOption" not in body:
        body["numberOrderOption"] = {"phoneNumbers": [first_available(api, region, number_type)]}
    response = api.post("/numberOrders:createNumberOrder", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def put_sample_registration(
    api: httpx.Client, emulator: EmulatorProcess, order: dict[str, Any]
) -> None:
    sample = emulator.sample(order["regionCode"], order["numberType"])
    if sample.registration is None:
        return
    response = api.put(
        f"/numberOrders/{order['idNumberOrder']}/registration",
        json={"requestDetails": {"data": sample.registration}},
    )
    assert response.status_code == 200, response.text
    for item in sample.attachments:
        if item.mandatory:
            upload(
                api,
                order["idNumberOrder"],
                item.requirement_id,
                item.content,
                item.file_name,
                item.document_type,
            )


def upload(
    api: httpx.Client,
    order_id: str,
    attachment_id: str,
    content: bytes,
    file_name: str = "doc.pdf",
    document_type: str | None = None,
    declared_type: str = "application/octet-stream",
) -> httpx.Response:
    data = {"documentType": document_type} if document_type is not None else {}
    return api.post(
        f"/numberOrders/{order_id}/attachments/{attachment_id}",
        files={"file": (file_name, content, declared_type)},
        data=data,
    )


def submitted_order(
    api: httpx.Client,
    emulator: EmulatorProcess,
    region: str = "AU",
    number_type: str = "MOBILE",
    **extra: Any,
) -> dict[str, Any]:
    order = create_order(api, region, number_type, **extra)
    put_sample_registration(api, emulator, order)
    response = api.post(f"/numberOrders/{order['idNumberOrder']}/submit")
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "IN_REVIEW"
    return dict(response.json())


def completed_order(
    api: httpx.Client,
    emulator: EmulatorProcess,
    region: str = "AU",
    number_type: str = "MOBILE",
    **extra: Any,
) -> dict[str, Any]:
    order = submitted_order(api, emulator, region, number_type, **extra)
    return emulator.review(order["idNumberOrder"], "approve")


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "status", "details"}, error
    assert error["code"] == response.status_code
    return dict(error)


def violations_of(response: httpx.Response) -> dict[str, str]:
    error = error_of(response)
    assert response.status_code == 400
    assert error["status"] == "INVALID_ARGUMENT"
    (detail,) = error["details"]
    assert detail["type"] == "BadRequest"
    return {v["field"]: v["description"] for v in detail["fieldViolations"]}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200


@contextmanager
def callback_receiver() -> Iterator[Receiver]:
    """A tiny HTTP server on loopback that records every POST."""
    holder: dict[str, Receiver] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver = holder["r"]
            receiver.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/sinch")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["r"]
    finally:
        server.shutdown()
        server.server_close()
