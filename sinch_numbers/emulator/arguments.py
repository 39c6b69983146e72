"""The emulator's start-up options, declared once for ``python -m sinch_numbers.emulator`` and
``sinch-numbers emulator`` (which builds its Typer command from ``OPTIONS``).

This module stays free of the CLI's libraries: the emulator never imports the CLI.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from sinch_numbers.emulator.config import EmulatorConfig

DEFAULTS = EmulatorConfig()


@dataclass(frozen=True)
class Option:
    """One flag: the ``EmulatorConfig`` field it sets, its type and its help text.

    The flag is the field's name spelt ``--like-this`` unless ``flag`` says otherwise.
    """

    field: str
    kind: type[str] | type[int] | type[float] | type[Path]
    help: str
    choices: tuple[str, ...] = ()
    optional: bool = False
    flag: str = ""

    def __post_init__(self) -> None:
        if not self.flag:
            object.__setattr__(self, "flag", "--" + self.field.replace("_", "-"))

    @property
    def default(self) -> object:
        return getattr(DEFAULTS, self.field)


OPTIONS: tuple[Option, ...] = (
    Option("host", str, "Interface to listen on (keep it loopback)."),
    Option("port", int, "Port; 0 picks a free one."),
    Option(
        "state_file", Path, "Persist orders, numbers, tokens and the clock here.", optional=True
    ),
    Option("latency_ms", int, "Latency added to every API request."),
    Option("project_id", str, "Project id accepted in paths."),
    Option(
        "other_project_ids", str, "More project ids accepted (comma-separated); own orders each."
    ),
    Option("key_id", str, "Access key id accepted."),
    Option("key_secret", str, "Access key secret accepted."),
    Option("hmac_secret", str, "Signs callbacks (X-Sinch-Signature).", optional=True),
    Option(
        "review_policy",
        str,
        "auto: approve after --review-delay-seconds; manual: admin call.",
        choices=("auto", "manual"),
    ),
    Option("review_delay_seconds", float, "Emulator-clock seconds before auto approval."),
    Option(
        "token_lifetime_seconds", int, "Access token lifetime, seconds.", flag="--token-lifetime"
    ),
    Option("reservation_seconds", int, "How long a created order holds its numbers."),
    Option("max_upload_bytes", int, "Largest attachment accepted."),
    Option("log_level", str, "uvicorn log level."),
)


def config_of(values: dict[str, object]) -> EmulatorConfig:
    """The configuration for option values keyed by ``Option.field``."""
    return EmulatorConfig(**values)  # type: ignore[arg-type]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sinch_numbers.emulator", description="Run the Sinch Numbers API emulator."
    )
    for option in OPTIONS:
        p.add_argument(
            option.flag,
            dest=option.field,
            type=option.kind,
            default=option.default,
            choices=option.choices or None,
            metavar=option.flag.removeprefix("--").replace("-", "_").upper(),
            help=option.help,
        )
    return p


def parse(argv: list[str]) -> EmulatorConfig:
    args = parser().parse_args(argv)
    return config_of({option.field: getattr(args, option.field) for option in OPTIONS})
