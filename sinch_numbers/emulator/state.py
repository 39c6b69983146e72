"""Everything the emulator remembers, behind one lock, optionally persisted to an atomic JSON file.

Time-driven transitions (reservation expiry, automatic review, end of released numbers) are
evaluated lazily by ``tick()`` on every access and by a background ticker, always dated at the
moment they were due rather than when they were noticed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sinch_numbers.emulator.clock import Clock
from sinch_numbers.emulator.config import EmulatorConfig, ReviewPolicy

STATE_VERSION = 1
# Orders whose numbers are held for the customer: they are no longer offered to anyone else.
HOLDING_STATES = frozenset({"CREATED", "IN_REVIEW", "BLOCKED"})
MAX_TOKENS = 20_000


@dataclass
class Settings:
    """The knobs tests may turn at run time; ``/_emulator/reset`` restores the start-up values."""

    review_policy: ReviewPolicy
    review_delay_seconds: float
    reservation_seconds: int
    token_lifetime_seconds: int
    max_upload_bytes: int
    latency_ms: int
    hmac_secret: str | None

    @classmethod
    def from_config(cls, config: EmulatorConfig) -> Settings:
        """The start-up values: each knob has the name of the config field it starts from."""
        return cls(**{f.name: getattr(config, f.name) for f in fields(cls)})


@dataclass
class Order:
    id: str
    project_id: str
    region_code: str
    number_type: str
    state: str
    order_numbers: list[dict[str, Any]]
    sms_configuration: dict[str, Any] | None
    voice_configuration: dict[str, Any] | None
    callback_url: str | None
    create_time: float
    update_time: float
    expire_time: float
    review_due: float | None = None
    registration: dict[str, Any] | None = None
    attachments: dict[str, dict[str, Any]] = field(default_factory=dict)
    logs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def phone_numbers(self) -> list[str]:
        return [item["phoneNumber"] for item in self.order_numbers]


@dataclass
class ActiveNumber:
    phone_number: str
    region_code: str
    number_type: str
    capability: list[str]
    money: dict[str, str]
    next_charge_date: float
    expire_at: float | None
    display_name: str
    sms_configuration: dict[str, Any]
    voice_configuration: dict[str, Any]
    callback_url: str
    order_id: str
    # The project of the order that bought it; "" in state files written before it was kept.
    project_id: str = ""


Notifier = Callable[[Order, str, float], None]


class EmulatorState:
    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.clock = Clock()
        self.settings = Settings.from_config(config)
        self.orders: dict[str, Order] = {}
        self.active: dict[str, ActiveNumber] = {}
        self.tokens: dict[str, float] = {}
        self._notify: Notifier = lambda order, status, at: None
        self._dirty = False
        if config.state_file is not None and config.state_file.exists():
            self._load(config.state_file)

    def set_notifier(self, notifier: Notifier) -> None:
        self._notify = notifier

    @contextlib.contextmanager
    def session(self) -> Iterator[float]:
        """Lock, bring time-driven transitions up to date, yield "now", persist what changed."""
        with self.lock:
            now = self.clock.now()
            self.tick(now)
            try:
                yield now
            finally:
                self.save_if_dirty()

    def touch(self) -> None:
        self._dirty = True

    # --- reservations -----------------------------------------------------------------------
    def taken_numbers(self) -> set[str]:
        taken = set(self.active)
        for order in self.orders.values():
            if order.state in HOLDING_STATES:
                taken.update(order.phone_numbers)
        return taken

    # --- transitions ------------------------------------------------------------------------
    def transition(self, order: Order, new_state: str, at: float, log: str | None = None) -> None:
        order.state = new_state
        order.update_time = at
        if new_state != "IN_REVIEW":
            order.review_due = None
        if log:
            order.logs.append({"message": log, "createTime": at})
        if new_state == "COMPLETED":
            self._activate(order, at)
        self._dirty = True
        self._notify(order, new_state, at)

    def _activate(self, order: Order, at: float) -> None:
        sms = order.sms_configuration or {}
        voice = order.voice_configuration or {}
        for item in order.order_numbers:
            self.active[item["phoneNumber"]] = ActiveNumber(
                phone_number=item["phoneNumber"],
                region_code=order.region_code,
                number_type=order.number_type,
                capability=list(item["capabilities"]),
                money=dict(item["numberPrice"]["monthlyPrice"]),
                next_charge_date=at + 30 * 86400,
                expire_at=None,
                display_name="",
                sms_configuration={
                    "servicePlanId": sms.get("servicePlanId", ""),
                    "campaignId": sms.get("campaignId", ""),
                },
                voice_configuration={
                    "type": voice.get("type", "RTC"),
                    "appId": voice.get("appId", ""),
                    "trunkId": voice.get("trunkId", ""),
                    "serviceId": voice.get("serviceId", ""),
                    "lastUpdatedTime": at if voice else None,
                },
                callback_url=order.callback_url or "",
                order_id=order.id,
                project_id=order.project_id,
            )

    def tick(self, now: float) -> None:
        for order in list(self.orders.values()):
            if order.state == "CREATED" and order.expire_time <= now:
                self.transition(order, "EXPIRED", order.expire_time)
            elif (
                order.state == "IN_REVIEW"
                and order.review_due is not None
                and order.review_due <= now
            ):
                self.transition(order, "COMPLETED", order.review_due)
        for phone, number in list(self.active.items()):
            if number.expire_at is not None and number.expire_at <= now:
                del self.active[phone]
                self._dirty = True
        # A token once issued must keep answering "expired", never "invalid" (clients renew only
        # on "expired", and the live API's JWTs stay recognisable), so tokens are dropped only
        # when there are very many, oldest expiry first.
        if len(self.tokens) > MAX_TOKENS:
            for token, _ in sorted(self.tokens.items(), key=lambda item: item[1])[
                : MAX_TOKENS // 10
            ]:
                del self.tokens[token]
            self._dirty = True

    # --- admin ------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget orders, numbers and settings; tokens survive so long-lived clients keep going."""
        with self.lock:
            self.orders.clear()
            self.active.clear()
            self.clock.offset_seconds = 0.0
            self.settings = Settings.from_config(self.config)
            self._dirty = True
            self.save_if_dirty()

    def update_settings(self, changes: dict[str, Any]) -> Settings:
        with self.lock:
            self.settings = replace(self.settings, **changes)
            self._dirty = True
            self.save_if_dirty()
            return self.settings

    # --- persistence ------------------------------------------------------------------------
    def save_if_dirty(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        path = self.config.state_file
        if path is None:
            return
        document = {
            "version": STATE_VERSION,
            "clockOffsetSeconds": self.clock.offset_seconds,
            "settings": asdict(self.settings),
            "orders": [asdict(order) for order in self.orders.values()],
            "activeNumbers": [asdict(number) for number in self.active.values()],
            "tokens": self.tokens,
        }
        _write_atomically(path, json.dumps(document, ensure_ascii=False).encode())

    def _load(self, path: Path) -> None:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != STATE_VERSION:
            raise ValueError(f"{path}: unsupported emulator state version")
        self.clock.offset_seconds = float(document["clockOffsetSeconds"])
        self.settings = Settings(**_known(Settings, document["settings"]))
        for raw in document["orders"]:
            order = Order(**_known(Order, raw))
            self.orders[order.id] = order
        for raw in document["activeNumbers"]:
            number = ActiveNumber(**_known(ActiveNumber, raw))
            self.active[number.phone_number] = number
        self.tokens = {str(k): float(v) for k, v in document["tokens"].items()}


def _known(cls: type, raw: dict[str, Any]) -> dict[str, Any]:
    names = {item.name for item in fields(cls)}
    return {key: value for key, value in raw.items() if key in names}


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
