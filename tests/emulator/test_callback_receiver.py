"""The example callback receiver (examples/callback-receiver/app.py), in process and end to end.

In process: the ASGI app behind ``httpx.ASGITransport``, whose ``client`` tuple stands in for the
TCP peer. End to end: the receiver served by uvicorn on loopback, the emulator posting real signed
callbacks to it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn
from emulator_helpers import submitted_order

from sinch_numbers.callbacks import (
    SINCH_CALLBACK_IPS,
    CallbackVerifier,
    NumberOrderEvent,
    SourcePolicy,
    compute_signature,
)
from sinch_numbers.testing.emulator import EmulatorProcess

APP_PATH = Path(__file__).resolve().parents[2] / "examples" / "callback-receiver" / "app.py"
SECRET = "receiver-test-secret-0123456789abcdef"
SINCH_IP = SINCH_CALLBACK_IPS[1]
STRANGER_IP = "198.51.100.20"
PROXY_IP = "10.0.0.5"
CANARY = "CANARY-RECEIVER-BODY-c4e1a9"
LOGGER = "callback_receiver"


def _load_app_module() -> ModuleType:
    # The example directory name has a hyphen, so it is loaded by path, not imported.
    spec = importlib.util.spec_from_file_location("callback_receiver_app", APP_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


receiver = _load_app_module()


def order_event(**changes: Any) -> bytes:
    body = {
        "eventId": "01jr7stexp0znky34pj07dwp41",
        "timestamp": "2025-04-07T09:38:04.854087",
        "projectId": "PROJ",
        "resourceId": "01jgkbb8xywmz3hhahd76menqf",
        "resourceType": "NUMBER_ORDER",
        "eventType": "NUMBER_ORDER_PROCESSING",
        "status": "COMPLETED",
        "failureCode": None,
        "internalFailureCode": None,
        **changes,
    }
    return json.dumps(body).encode()


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {"X-Sinch-Signature": compute_signature(body, secret)}


def make_app(*, max_body_bytes: int = 64 * 1024, **handler: Any) -> Any:
    verifier = CallbackVerifier(
        SECRET,
        SourcePolicy(trusted_proxies=[PROXY_IP]),
        max_body_bytes=max_body_bytes,
    )
    return receiver.create_app(verifier, **handler)


def post(
    app: Any,
    content: bytes | AsyncIterator[bytes],
    headers: dict[str, str] | None = None,
    peer: str = SINCH_IP,
    method: str = "POST",
) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(peer, 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
            return await client.request(
                method, receiver.CALLBACK_PATH, content=content, headers=headers
            )

    return asyncio.run(send())


def receiver_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


# --- in process ----------------------------------------------------------------------------------


def test_a_good_event_is_accepted_with_one_sanitized_log_line(
    logs: pytest.LogCaptureFixture,
) -> None:
    body = order_event(note=CANARY)
    response = post(make_app(), body, signed(body))
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    assert receiver_lines(logs) == [
        "accepted callback: NUMBER_ORDER_PROCESSING status=COMPLETED "
        "resource=01jgkbb8xywmz3hhahd76menqf event=01jr7stexp0znky34pj07dwp41 "
        "at=2025-04-07T09:38:04.854087+00:00"
    ]
    assert CANARY not in logs.text
    assert CANARY not in response.text


def test_the_handler_receives_the_event_after_the_response(logs: pytest.LogCaptureFixture) -> None:
    seen: list[Any] = []

    async def handler(event: Any) -> None:
        seen.append(event)

    body = order_event()
    assert post(make_app(on_event=handler), body, signed(body)).status_code == 200
    (event,) = seen
    assert isinstance(event, NumberOrderEvent)
    assert event.order_id == "01jgkbb8xywmz3hhahd76menqf"
    assert len(receiver_lines(logs)) == 1


def test_a_failing_handler_is_logged_by_type_only(logs: pytest.LogCaptureFixture) -> None:
    def handler(event: Any) -> None:
        raise RuntimeError(CANARY)

    body = order_event()
    assert post(make_app(on_event=handler), body, signed(body)).status_code == 200
    lines = receiver_lines(logs)
    assert len(lines) == 2
    assert "callback handler failed (RuntimeError)" in lines[1]
    assert CANARY not in logs.text


REFUSALS = {
    "forged-signature": (order_event(status=CANARY), {"X-Sinch-Signature": "0" * 40}, SINCH_IP),
    "missing-signature": (order_event(status=CANARY), {}, SINCH_IP),
    "wrong-source": (order_event(status=CANARY), None, STRANGER_IP),
    "spoofed-forwarded-for": (
        order_event(status=CANARY),
        {"X-Forwarded-For": SINCH_IP},
        STRANGER_IP,
    ),
    "malformed": (order_event(status=CANARY), None, SINCH_IP),
    "not-json": (CANARY.encode() + b"{", None, SINCH_IP),
}
EXPECTED = {
    "forged-signature": (401, "invalid_signature"),
    "missing-signature": (401, "invalid_signature"),
    "wrong-source": (403, "forbidden_source"),
    "spoofed-forwarded-for": (403, "forbidden_source"),
    "malformed": (400, "malformed_event"),
    "not-json": (400, "malformed_event"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_answer_the_right_status_and_log_only_the_reason(
    case: str, logs: pytest.LogCaptureFixture
) -> None:
    body, headers, peer = REFUSALS[case]
    if headers is None:
        headers = signed(body)
    elif "X-Forwarded-For" in headers:
        headers = {**headers, **signed(body)}
    status, reason = EXPECTED[case]
    response = post(make_app(), body, headers, peer)
    assert response.status_code == status
    assert response.json() == {"error": reason}
    (line,) = receiver_lines(logs)
    assert line.startswith(f"refused callback ({reason}): ")
    assert CANARY not in logs.text
    assert CANARY not in response.text


def test_forwarded_for_from_the_trusted_proxy_is_honoured() -> None:
    body = order_event()
    headers = {**signed(body), "X-Forwarded-For": f"{STRANGER_IP}, {SINCH_IP}"}
    assert post(make_app(), body, headers, PROXY_IP).status_code == 200
    second = order_event(eventId="another-event")
    headers = {**signed(second), "X-Forwarded-For": f"{SINCH_IP}, {STRANGER_IP}"}
    assert post(make_app(), second, headers, PROXY_IP).status_code == 403


def test_a_replayed_event_is_refused(logs: pytest.LogCaptureFixture) -> None:
    app = make_app()
    body = order_event()
    assert post(app, body, signed(body)).status_code == 200
    response = post(app, body, signed(body))
    assert response.status_code == 409
    assert response.json() == {"error": "replayed_event"}
    assert (
        receiver_lines(logs)[1]
        == "refused callback (replayed_event): this eventId was already accepted"
    )


def test_an_oversized_body_is_refused_from_its_content_length(
    logs: pytest.LogCaptureFixture,
) -> None:
    body = order_event(note=CANARY + "x" * 2000)
    response = post(make_app(max_body_bytes=1024), body, signed(body))
    assert response.status_code == 413
    assert response.json() == {"error": "body_too_large"}
    assert receiver_lines(logs) == [
        "refused callback (body_too_large): the body is larger than 1024 bytes"
    ]
    assert CANARY not in logs.text


def test_an_oversized_chunked_body_is_refused_without_reading_it_all() -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += 1
            yield b"x" * 1024

    response = post(make_app(max_body_bytes=4096), chunks())
    assert response.status_code == 413
    assert sent <= 6


def test_duplicate_signature_headers_are_refused() -> None:
    body = order_event()
    good = compute_signature(body, SECRET)

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=make_app(), client=(SINCH_IP, 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
            request = client.build_request("POST", receiver.CALLBACK_PATH, content=body)
            request.headers = httpx.Headers(
                [("X-Sinch-Signature", good), ("X-Sinch-Signature", "0" * 40)]
            )
            return await client.send(request)

    assert asyncio.run(send()).status_code == 401


def test_other_methods_are_not_allowed() -> None:
    assert post(make_app(), b"", method="GET").status_code == 405


# --- configuration from the environment ----------------------------------------------------------


def test_defaults_from_the_environment(logs: pytest.LogCaptureFixture) -> None:
    verifier = receiver.verifier_from_env({})
    assert not verifier.checks_signatures
    assert [str(n.network_address) for n in verifier.source_policy.allowed] == list(
        SINCH_CALLBACK_IPS
    )
    assert verifier.source_policy.trusted_proxies == ()
    assert "NOT checked" in logs.text


def test_full_configuration_from_the_environment() -> None:
    verifier = receiver.verifier_from_env(
        {
            "SINCH_CALLBACK_HMAC_SECRET": SECRET,
            "SINCH_CALLBACK_ALLOWED_IPS": "127.0.0.1, 192.0.2.0/24,",
            "SINCH_CALLBACK_TRUSTED_PROXIES": "10.0.0.0/8",
        }
    )
    assert verifier.checks_signatures
    assert verifier.source_policy.is_allowed("192.0.2.7", None)
    assert verifier.source_policy.is_allowed("10.1.2.3", "127.0.0.1")
    assert not verifier.source_policy.is_allowed(SINCH_IP, None)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SINCH_CALLBACK_HMAC_SECRET": ""}, "set but empty"),
        ({"SINCH_CALLBACK_HMAC_SECRET": "  "}, "set but empty"),
        ({"SINCH_CALLBACK_ALLOWED_IPS": " , "}, "lists no address"),
        ({"SINCH_CALLBACK_ALLOWED_IPS": "example.com"}, "not an IP address"),
        ({"SINCH_CALLBACK_TRUSTED_PROXIES": "10.0.0.1/8"}, "not an IP address"),
    ],
)
def test_bad_environment_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(receiver.ConfigurationError, match=message):
        receiver.verifier_from_env(environ)


def test_create_app_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SINCH_CALLBACK_HMAC_SECRET", SECRET)
    monkeypatch.setenv("SINCH_CALLBACK_ALLOWED_IPS", STRANGER_IP)
    app = receiver.create_app()
    body = order_event()
    assert post(app, body, signed(body), STRANGER_IP).status_code == 200
    other = order_event(eventId="e2")
    assert post(app, other, signed(other), SINCH_IP).status_code == 403


# --- end to end: the emulator posts signed callbacks to the receiver on loopback ---------------


class ServedReceiver:
    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}{receiver.CALLBACK_PATH}"
        config = uvicorn.Config(
            app, log_level="warning", proxy_headers=False, lifespan="off", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> ServedReceiver:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def served() -> Iterator[tuple[ServedReceiver, list[Any]]]:
    events: list[Any] = []
    verifier = CallbackVerifier(SECRET, SourcePolicy(allowed=["127.0.0.1"]))
    with ServedReceiver(receiver.create_app(verifier, on_event=events.append)) as server:
        yield server, events


def test_emulator_callbacks_are_verified_end_to_end(
    served: tuple[ServedReceiver, list[Any]],
    emulator: EmulatorProcess,
    api: httpx.Client,
    logs: pytest.LogCaptureFixture,
) -> None:
    server, events = served
    emulator.settings(hmac_secret=SECRET)
    order = submitted_order(api, emulator, callbackUrl=server.url)
    emulator.review(order["idNumberOrder"], "approve")
    deliveries = emulator.wait_for_callbacks(2)
    assert [(d["eventStatus"], d["status"], d["responseStatus"]) for d in deliveries] == [
        ("IN_REVIEW", "delivered", 200),
        ("COMPLETED", "delivered", 200),
    ]
    assert all(d["signed"] for d in deliveries)
    assert [(e.order_id, e.status) for e in events] == [
        (order["idNumberOrder"], "IN_REVIEW"),
        (order["idNumberOrder"], "COMPLETED"),
    ]
    accepted = [line for line in receiver_lines(logs) if line.startswith("accepted callback: ")]
    assert len(accepted) == 2


def test_emulator_callbacks_signed_with_another_secret_are_refused(
    served: tuple[ServedReceiver, list[Any]],
    emulator: EmulatorProcess,
    api: httpx.Client,
    logs: pytest.LogCaptureFixture,
) -> None:
    server, events = served
    emulator.settings(hmac_secret="a-different-secret-0123456789abcdef")
    submitted_order(api, emulator, callbackUrl=server.url)
    (delivery,) = emulator.wait_for_callbacks(1, timeout=30)
    assert delivery["responseStatus"] == 401
    assert events == []
    assert "refused callback (invalid_signature)" in logs.text
