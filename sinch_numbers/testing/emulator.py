"""Start the Sinch Numbers API emulator as a subprocess, for tests, demos and users.

Example::

    from sinch_numbers.testing.emulator import start_emulator

    with start_emulator(review_policy="manual") as emulator:
        os.environ.update(emulator.env())       # SINCH_* variables pointing at it
        ...                                     # create an order with any client
        emulator.review(order_id, "approve")
        emulator.advance_clock(3600)

The emulator runs ``python -m sinch_numbers.emulator --port 0`` and this helper reads the real port
from its ready line. Admin calls use plain httpx, never the project's API client, so a bug in the
client cannot hide behind the helper. See docs/emulator.md for the admin API.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

import httpx

from sinch_numbers.api import settings
from sinch_numbers.emulator.config import DEFAULT_KEY_ID, DEFAULT_KEY_SECRET, DEFAULT_PROJECT_ID

READY = re.compile(r"^Sinch Numbers emulator listening on (http://\S+)$")


class EmulatorError(RuntimeError):
    """The emulator did not start, or an admin call failed."""


@dataclass(frozen=True)
class EmulatorCredentials:
    project_id: str
    key_id: str
    key_secret: str


@dataclass(frozen=True)
class SampleAttachment:
    requirement_id: str
    file_name: str
    mime_type: str
    document_type: str | None
    content: bytes
    mandatory: bool


@dataclass(frozen=True)
class Sample:
    """A valid registration ``data`` payload and files for one region and number type."""

    registration: Any
    attachments: list[SampleAttachment]


class EmulatorProcess:
    """A running emulator; options are the CLI flags in snake_case (``review_policy="manual"``).

    ``True`` boolean options become bare flags; ``None`` options are left out.
    """

    def __init__(
        self,
        *,
        startup_timeout: float = 30.0,
        python: str | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("port", 0)
        self.options = options
        self.startup_timeout = startup_timeout
        self.python = python or sys.executable
        self.credentials = EmulatorCredentials(
            project_id=str(options.get("project_id", DEFAULT_PROJECT_ID)),
            key_id=str(options.get("key_id", DEFAULT_KEY_ID)),
            key_secret=str(options.get("key_secret", DEFAULT_KEY_SECRET)),
        )
        self._url: str | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._output: list[str] = []
        self._admin: httpx.Client | None = None

    # --- life cycle -------------------------------------------------------------------------
    def command(self) -> list[str]:
        command = [self.python, "-m", "sinch_numbers.emulator"]
        for key, value in self.options.items():
            if value is None or value is False:
                continue
            flag = "--" + key.replace("_", "-")
            command.extend([flag] if value is True else [flag, str(value)])
        return command

    def start(self) -> Self:
        if self._process is not None:
            raise EmulatorError("the emulator is already running")
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.command(),
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        ready = threading.Event()
        threading.Thread(target=self._read_stdout, args=(ready,), daemon=True).start()
        if not ready.wait(self.startup_timeout) or self._url is None:
            output = self._diagnostics()
            self.stop()
            raise EmulatorError(f"the emulator did not become ready:\n{output}")
        self._admin = httpx.Client(base_url=self._url, timeout=10.0)
        return self

    def _read_stdout(self, ready: threading.Event) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._output.append(line)
            match = READY.match(line.strip())
            if match and self._url is None:
                self._url = match.group(1)
                ready.set()
        ready.set()  # the process ended; start() reports it

    def _diagnostics(self) -> str:
        stderr = b""
        if self._stderr is not None:
            self._stderr.seek(0)
            stderr = self._stderr.read()[-4000:]
        return "".join(self._output)[-2000:] + stderr.decode(errors="replace")

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait, SIGKILL as a last resort; returns the exit code."""
        process, self._process = self._process, None
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        code = None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            code = process.returncode
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._url = None
        return code

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        # Stopped however the block ended; the exception, if any, propagates.
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def url(self) -> str:
        if self._url is None:
            raise EmulatorError("the emulator is not running")
        return self._url

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/token"

    def env(self) -> dict[str, str]:
        """The SINCH_* environment variables that point the provider and client at this emulator."""
        return {
            settings.ENV_PROJECT_ID: self.credentials.project_id,
            settings.ENV_KEY_ID: self.credentials.key_id,
            settings.ENV_KEY_SECRET: self.credentials.key_secret,
            settings.ENV_NUMBERS_URL: self.url,
            settings.ENV_AUTH_URL: self.token_url,
        }

    def stack_config(self, **extra: Any) -> dict[str, Any]:
        """Pulumi stack config that points NumberOrder at this emulator (the key secret wrapped
        as a secret, as ``pulumi config set --secret`` stores it), plus any ``extra`` keys."""
        from sinch_numbers.configuration import SETTINGS
        from sinch_numbers.testing.values import Secret

        # The stack keys of the variables env() sets, each with the same value.
        env = self.env()
        config: dict[str, Any] = {
            setting.stack_key: Secret(env[setting.variable])
            if setting.secret
            else env[setting.variable]
            for setting in SETTINGS
            if setting.stack_key is not None and setting.variable in env
        }
        config.update(extra)
        return config

    # --- admin API --------------------------------------------------------------------------
    def _call(self, method: str, path: str, json: Any = None) -> Any:
        if self._admin is None:
            raise EmulatorError("the emulator is not running")
        response = self._admin.request(method, f"/_emulator{path}", json=json)
        if response.is_error:
            raise EmulatorError(
                f"{method} /_emulator{path}: {response.status_code} {response.text}"
            )
        return response.json()

    def reset(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/reset")
        return result

    def advance_clock(self, seconds: float) -> str:
        """Moves the emulator clock forward; returns the new emulator time (RFC 3339)."""
        return str(self._call("POST", "/clock", {"advance_seconds": seconds})["now"])

    def now(self) -> str:
        return str(self._call("GET", "/clock")["now"])

    def review(self, order_id: str, outcome: str, message: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"outcome": outcome}
        if message is not None:
            body["message"] = message
        result: dict[str, Any] = self._call("POST", f"/orders/{order_id}/review", body)
        return result

    def forget_order(self, order_id: str) -> None:
        """Makes the emulator forget an order (the API answers 404 for it) while its active
        numbers stay active, as when Sinch no longer returns an order whose numbers it bills."""
        self._call("DELETE", f"/orders/{order_id}")

    def orders(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/orders")["orders"])

    def order(self, order_id: str) -> dict[str, Any]:
        for order in self.orders():
            if order["idNumberOrder"] == order_id:
                return order
        raise EmulatorError(f"no order {order_id}")

    def stats(self) -> dict[str, int]:
        return dict(self._call("GET", "/stats")["calls"])

    def max_in_flight(self) -> int:
        """The most API requests the emulator handled at once since the last stats reset."""
        return int(self._call("GET", "/stats")["max_in_flight"])

    def call_sequence(self) -> list[str]:
        """Every API call since the last stats reset, by route template, in arrival order."""
        return list(self._call("GET", "/stats/sequence")["calls"])

    def reset_stats(self) -> None:
        self._call("POST", "/stats/reset")

    def add_fault(
        self,
        path: str,
        action: str = "status",
        *,
        method: str = "*",
        status: int | None = None,
        retry_after: str | None = None,
        latency_ms: int | None = None,
        times: int | None = 1,
        message: str | None = None,
    ) -> dict[str, Any]:
        """Injects a fault on requests whose path matches the regex ``path``.

        ``times=None`` keeps the fault until ``clear_faults()``; ``message`` is the error's text
        (a server that quotes what was sent).
        """
        body: dict[str, Any] = {"method": method, "path": path, "action": action}
        for key, value in (
            ("status", status),
            ("retry_after", retry_after),
            ("latency_ms", latency_ms),
            ("times", times),
            ("message", message),
        ):
            if value is not None:
                body[key] = value
        if action in ("status", "status_after") and status is None:
            body["status"] = 503
        result: dict[str, Any] = self._call("POST", "/faults", body)
        return result

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def sample(self, region_code: str, number_type: str) -> Sample:
        raw = self._call("GET", f"/samples/{region_code}/{number_type}")
        return Sample(
            registration=raw["registration"],
            attachments=[
                SampleAttachment(
                    requirement_id=item["requirementId"],
                    file_name=item["fileName"],
                    mime_type=item["mimeType"],
                    document_type=item["documentType"],
                    content=base64.b64decode(item["contentBase64"]),
                    mandatory=item["mandatory"],
                )
                for item in raw["attachments"]
            ],
        )

    def callbacks(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/callbacks")["callbacks"])

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Reads, or changes at run time, review policy/delay, reservation, token lifetime, ..."""
        if changes:
            result: dict[str, Any] = self._call("PATCH", "/settings", changes)
        else:
            result = self._call("GET", "/settings")
        return result

    def wait_for_callbacks(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Waits until ``count`` deliveries are no longer pending."""
        deadline = time.monotonic() + timeout
        while True:
            done = [c for c in self.callbacks() if c["status"] != "pending"]
            if len(done) >= count or time.monotonic() > deadline:
                return done
            time.sleep(0.05)


@contextmanager
def start_emulator(**options: Any) -> Iterator[EmulatorProcess]:
    """Runs an emulator for the duration of a ``with`` block (options: see ``EmulatorProcess``)."""
    emulator = EmulatorProcess(**options)
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def write_sample_files(sample: Sample, directory: Path) -> dict[str, Path]:
    """Writes a sample's attachments to ``directory``; returns requirement id → path."""
    paths = {}
    for item in sample.attachments:
        path = directory / f"{item.requirement_id}-{item.file_name}"
        path.write_bytes(item.content)
        paths[item.requirement_id] = path
    return paths


def environment_with(emulator: EmulatorProcess) -> dict[str, str]:
    """``os.environ`` plus the emulator's SINCH_* variables, for subprocesses."""
    return {**os.environ, **emulator.env()}
