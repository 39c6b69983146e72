"""check_order reads the provider settings once per check, whatever it goes on to do, and sends
a new order's price search alongside its requirements lookup."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest

from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.core.settings import ProviderSettings, provider_settings
from sinch_numbers.resources.number_order.check import check_order
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.unit.conftest import recording_log

NEW_ORDER = {"region_code": "US", "number_type": "LOCAL", "quantity": 1}


class _CountingSettings:
    def __init__(self, resolve: ProviderSettings | ConfigurationError) -> None:
        self.resolve = resolve
        self.calls = 0

    def __call__(self) -> ProviderSettings:
        self.calls += 1
        if isinstance(self.resolve, ConfigurationError):
            raise self.resolve
        return self.resolve


@pytest.mark.parametrize(
    "resolve",
    [
        ConfigurationError("missing Sinch settings: sinch:keyId", missing=("key_id",)),
        provider_settings(
            {
                "project_id": "p",
                "key_id": "k",
                "key_secret": "s",
                "offline_check": "true",
            }
        ),
    ],
    ids=["not configured", "offline check"],
)
def test_a_new_order_reads_the_settings_once(
    resolve: ProviderSettings | ConfigurationError,
) -> None:
    settings = _CountingSettings(resolve)
    log, lines = recording_log()
    inputs, failures = check_order({}, NEW_ORDER, settings, log)
    assert failures == []
    assert inputs["region_code"] == "US"
    assert settings.calls == 1
    assert [level for level, _ in lines] == ["warn"], "one line: checked offline only"
    assert "offline only" in lines[0][1]


def test_an_unchanged_order_reads_no_settings() -> None:
    settings = _CountingSettings(ConfigurationError("never read"))
    olds, _ = check_order(
        {}, NEW_ORDER, _CountingSettings(ConfigurationError("x")), recording_log()[0]
    )
    _, failures = check_order(olds, NEW_ORDER, settings, recording_log()[0])
    assert failures == []
    assert settings.calls == 0


class _Gate:
    """A pass-through to the emulator that holds the requirements lookup's answer until the price
    search has arrived (or ten seconds have passed), noting which it was."""

    def __init__(self, upstream: str) -> None:
        self.search_arrived = threading.Event()
        self.lookup_waited_for_search: list[bool] = []
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if "/availableNumbers" in self.path:
                    gate.search_arrived.set()
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                answer = httpx.request(
                    self.command, upstream + self.path, headers=headers, content=body
                )
                if self.path.endswith(":lookupNumberRequirements"):
                    gate.lookup_waited_for_search.append(gate.search_arrived.wait(10))
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _forward

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.process  # the emulator answers behind the gate
def test_a_new_order_sends_the_price_search_while_the_lookup_is_answered(
    emulator: EmulatorProcess,
) -> None:
    gate = _Gate(emulator.url)
    try:
        creds = emulator.credentials
        settings = provider_settings(
            {
                "project_id": creds.project_id,
                "key_id": creds.key_id,
                "key_secret": creds.key_secret,
                "numbers_url": gate.url,
                "auth_url": gate.url + urlsplit(emulator.token_url).path,
            }
        )
        log, lines = recording_log()
        _, failures = check_order({}, NEW_ORDER, lambda: settings, log)
    finally:
        gate.server.shutdown()
    assert failures == []
    assert gate.lookup_waited_for_search == [True], "the search went out before the lookup's answer"
    (cost,) = [text for level, text in lines if level == "info"]
    assert "an up would order 1 number(s) (US LOCAL)" in cost
