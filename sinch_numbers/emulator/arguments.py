"""Command-line options of ``python -m sinch_numbers.emulator`` (the CLI mirrors them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sinch_numbers.emulator.config import EmulatorConfig

_DEFAULTS = EmulatorConfig()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sinch_numbers.emulator", description="Run the Sinch Numbers API emulator."
    )
    p.add_argument("--host", default=_DEFAULTS.host)
    p.add_argument("--port", type=int, default=_DEFAULTS.port, help="0 picks a free port")
    p.add_argument("--state-file", type=Path, default=None, help="persist state across restarts")
    p.add_argument("--latency-ms", type=int, default=0, help="added to every API request")
    p.add_argument("--project-id", default=_DEFAULTS.project_id)
    p.add_argument("--key-id", default=_DEFAULTS.key_id)
    p.add_argument("--key-secret", default=_DEFAULTS.key_secret)
    p.add_argument("--hmac-secret", default=None, help="signs callbacks (X-Sinch-Signature)")
    p.add_argument("--review-policy", choices=("auto", "manual"), default=_DEFAULTS.review_policy)
    p.add_argument("--review-delay-seconds", type=float, default=_DEFAULTS.review_delay_seconds)
    p.add_argument("--token-lifetime", type=int, default=_DEFAULTS.token_lifetime_seconds)
    p.add_argument("--reservation-seconds", type=int, default=_DEFAULTS.reservation_seconds)
    p.add_argument("--max-upload-bytes", type=int, default=_DEFAULTS.max_upload_bytes)
    p.add_argument("--log-level", default=_DEFAULTS.log_level)
    return p


def parse(argv: list[str]) -> EmulatorConfig:
    args = parser().parse_args(argv)
    return EmulatorConfig(
        host=args.host,
        port=args.port,
        state_file=args.state_file,
        latency_ms=args.latency_ms,
        project_id=args.project_id,
        key_id=args.key_id,
        key_secret=args.key_secret,
        hmac_secret=args.hmac_secret,
        review_policy=args.review_policy,
        review_delay_seconds=args.review_delay_seconds,
        token_lifetime_seconds=args.token_lifetime,
        reservation_seconds=args.reservation_seconds,
        max_upload_bytes=args.max_upload_bytes,
        log_level=args.log_level,
    )
