"""Start-up settings of the emulator, shared by the CLI and ``python -m sinch_numbers.emulator``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

ReviewPolicy = Literal["auto", "manual"]

DEFAULT_PROJECT_ID = "emulator-project"
DEFAULT_KEY_ID = "emulator-key"
DEFAULT_KEY_SECRET = "emulator-secret"  # noqa: S105 - a documented, local-only test credential


@dataclass(frozen=True)
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 8787
    state_file: Path | None = None
    latency_ms: int = 0
    project_id: str = DEFAULT_PROJECT_ID
    # Comma-separated: more projects the key may use, each seeing only its own orders (a key
    # with access to several projects, as when a stack's sinch:projectId changes).
    other_project_ids: str = ""
    key_id: str = DEFAULT_KEY_ID
    key_secret: str = DEFAULT_KEY_SECRET
    hmac_secret: str | None = None
    review_policy: ReviewPolicy = "auto"
    review_delay_seconds: float = 2.0
    # The live API answers 3599 (observed), one second short of the documented hour.
    token_lifetime_seconds: int = 3599
    reservation_seconds: int = 48 * 3600
    max_upload_bytes: int = 5 * 1024 * 1024
    max_json_bytes: int = 1024 * 1024
    callback_attempts: int = 4
    callback_backoff_seconds: float = 0.2
    log_level: str = "warning"

    @property
    def project_ids(self) -> frozenset[str]:
        others = (p.strip() for p in self.other_project_ids.split(","))
        return frozenset({self.project_id, *(p for p in others if p)})

    def with_port(self, port: int) -> EmulatorConfig:
        return replace(self, port=port)
