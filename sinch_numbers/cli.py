"""The ``sinch-numbers`` command line.

Each command imports what it needs inside its body, so ``sinch-numbers --help`` stays fast and no
command pays for another's dependencies. Add a command by writing one more ``@app.command()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="sinch-numbers",
    help="Tools for the sinch-numbers Pulumi provider.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Tools for the sinch-numbers Pulumi provider."""


@app.command()
def emulator(
    host: Annotated[str, typer.Option(help="Interface to listen on (keep it loopback).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8787,
    state_file: Annotated[
        Path | None, typer.Option(help="Persist orders, numbers, tokens and the clock here.")
    ] = None,
    latency_ms: Annotated[int, typer.Option(help="Latency added to every API request.")] = 0,
    project_id: Annotated[str, typer.Option(help="Project id accepted in paths.")] = (
        "emulator-project"
    ),
    key_id: Annotated[str, typer.Option(help="Access key id accepted.")] = "emulator-key",
    key_secret: Annotated[str, typer.Option(help="Access key secret accepted.")] = (
        "emulator-secret"  # noqa: S107 - the emulator's documented local-only credential
    ),
    hmac_secret: Annotated[
        str | None, typer.Option(help="Signs callbacks (X-Sinch-Signature).")
    ] = None,
    review_policy: Annotated[
        str, typer.Option(help="auto: approve after --review-delay-seconds; manual: admin call.")
    ] = "auto",
    review_delay_seconds: Annotated[
        float, typer.Option(help="Emulator-clock seconds before auto approval.")
    ] = 2.0,
    token_lifetime: Annotated[int, typer.Option(help="Access token lifetime, seconds.")] = 3599,
    reservation_seconds: Annotated[
        int, typer.Option(help="How long a created order holds its numbers.")
    ] = 48 * 3600,
    max_upload_bytes: Annotated[int, typer.Option(help="Largest attachment accepted.")] = (
        5 * 1024 * 1024
    ),
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Serve a local emulator of the Sinch Numbers API (stop it with Ctrl-C)."""
    if review_policy not in ("auto", "manual"):
        raise typer.BadParameter("must be auto or manual", param_hint="--review-policy")
    from sinch_numbers.emulator.config import EmulatorConfig
    from sinch_numbers.emulator.server import run

    config = EmulatorConfig(
        host=host,
        port=port,
        state_file=state_file,
        latency_ms=latency_ms,
        project_id=project_id,
        key_id=key_id,
        key_secret=key_secret,
        hmac_secret=hmac_secret,
        review_policy="auto" if review_policy == "auto" else "manual",
        review_delay_seconds=review_delay_seconds,
        token_lifetime_seconds=token_lifetime,
        reservation_seconds=reservation_seconds,
        max_upload_bytes=max_upload_bytes,
        log_level=log_level,
    )
    raise typer.Exit(run(config))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
