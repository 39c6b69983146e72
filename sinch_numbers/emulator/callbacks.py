"""Background delivery of NUMBER_ORDER_PROCESSING callbacks, signed, retried, loopback only.

The emulator never calls anything but loopback hosts: tests and demos must not be able to make it
post data to the Internet. Other hosts are recorded as skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import queue
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from sinch_numbers.emulator.clock import callback_timestamp, new_id


@dataclass
class Delivery:
    eventId: str
    orderId: str
    eventStatus: str
    url: str
    status: str  # pending | delivered | failed | skipped
    attempts: int
    responseStatus: int | None
    error: str | None
    signed: bool


def is_loopback(url: str) -> bool:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def event_body(project_id: str, order_id: str, status: str, at: float) -> bytes:
    event = {
        "eventId": new_id(at),
        "timestamp": callback_timestamp(at),
        "projectId": project_id,
        "resourceId": order_id,
        "resourceType": "NUMBER_ORDER",
        "eventType": "NUMBER_ORDER_PROCESSING",
        "status": status,
        "failureCode": None,
        "internalFailureCode": None,
    }
    return json.dumps(event, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


class CallbackDispatcher:
    """One worker thread: deliveries for an order leave in the order the transitions happened."""

    def __init__(self, attempts: int, backoff_seconds: float, timeout_seconds: float = 2.0) -> None:
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.timeout_seconds = timeout_seconds
        self._queue: queue.Queue[tuple[Delivery, bytes, dict[str, str]] | None] = queue.Queue()
        self._records: list[Delivery] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="callbacks", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def enqueue(
        self, url: str, project_id: str, order_id: str, status: str, at: float, secret: str | None
    ) -> None:
        body = event_body(project_id, order_id, status, at)
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Sinch-Signature"] = signature(secret, body)
        record = Delivery(
            eventId=json.loads(body)["eventId"],
            orderId=order_id,
            eventStatus=status,
            url=url,
            status="pending",
            attempts=0,
            responseStatus=None,
            error=None,
            signed=bool(secret),
        )
        with self._lock:
            self._records.append(record)
        if not is_loopback(url):
            record.status = "skipped"
            record.error = "the emulator only calls loopback hosts"
            return
        self._queue.put((record, body, headers))

    def records(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(record) for record in self._records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout_seconds, follow_redirects=False) as client:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                self._deliver(client, *item)

    def _deliver(
        self, client: httpx.Client, record: Delivery, body: bytes, headers: dict[str, str]
    ) -> None:
        for attempt in range(1, self.attempts + 1):
            if self._stopping.is_set():
                return
            record.attempts = attempt
            try:
                response = client.post(record.url, content=body, headers=headers)
            except httpx.HTTPError as error:
                record.error = type(error).__name__
            else:
                record.responseStatus = response.status_code
                if response.is_success:
                    record.status, record.error = "delivered", None
                    return
                record.error = f"HTTP {response.status_code}"
            if attempt < self.attempts:
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        record.status = "failed"
