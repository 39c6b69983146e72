"""`make demo`: the whole life of a number order, on the built-in emulator.

Starts the emulator (state kept in .demo/ so the demo survives restarts), then runs the quickstart
stack (Pulumi.yaml at the top of the repository) through preview, up, the stack outputs, the review
decision, refresh and destroy. With the `pulumi` CLI on PATH it runs the real CLI against a local
file backend; without it, it runs the same program through `sinch_numbers.testing`, which drives
the real provider plugin the way the engine does. Exits non-zero if any step fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".demo"
STACK = "dev"
DEV_STACK_PORT = 8787
PASSPHRASE = "sinch-numbers-demo"  # noqa: S105 - encrypts only the local demo stack


class DemoFailed(Exception):
    pass


def heading(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m", flush=True)


def show(line: str) -> None:
    print(f"   {line}", flush=True)


def run_with_harness(config: dict[str, Any], approve: Callable[[str], None]) -> None:
    from sinch_numbers.testing import ProgramRunner, Secret

    print(
        "\n\033[33m*** The pulumi CLI is not on PATH: running the quickstart program through\n"
        "*** sinch_numbers.testing, which starts the real provider plugin and drives it over\n"
        "*** gRPC the way the Pulumi engine does. With the CLI installed, the demo uses it.\033[0m"
    )

    def plugin_line(line: str) -> None:
        if line.startswith(("info: sinch:", "warning: sinch:")):
            show(line.split("sinch: ", 1)[1] if "sinch: " in line else line)

    def outputs(result: Any) -> dict[str, Any]:
        return {k: ("[secret]" if isinstance(v, Secret) else v) for k, v in result.outputs.items()}

    with ProgramRunner(
        ROOT / "examples" / "quickstart",
        project_dir=ROOT,
        config=config,
        stack=STACK,
        on_output=plugin_line,
    ) as stack:
        heading("pulumi preview: the plan (check and diff only; nothing is created)")
        result = stack.preview()
        _require(result.ok, "preview", result.error)
        for name, op in result.ops().items():
            show(f"{op.value:>8}  NumberOrder {name}")

        heading("pulumi up: each workflow step as it happens")
        result = stack.up()
        _require(result.ok, "up", result.error)
        heading("stack outputs")
        for key, value in outputs(result).items():
            show(f"{key:<18} {json.dumps(value)}")

        order_id = str(result.outputs["order_id"])
        heading(f"review: Sinch's team approves order {order_id} (emulator admin call)")
        approve(order_id)

        heading("pulumi refresh: the stack learns the outcome")
        result = stack.refresh()
        _require(result.ok, "refresh", result.error)
        state = stack.resource("au-sms-number").outputs.get("state")
        show(f"state              {state}")
        _require(state == "COMPLETED", "refresh", f"expected COMPLETED, got {state}")

        heading("pulumi destroy: releases the numbers")
        result = stack.destroy()
        _require(result.ok, "destroy", result.error)


def run_with_cli(url: str, approve: Callable[[str], None]) -> None:
    backend = WORK / "backend"
    backend.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        # The emulator's address for this run; the committed dev stack points at port 8787.
        "SINCH_NUMBERS_URL": url,
        "SINCH_AUTH_URL": f"{url}/oauth2/token",
    }

    def pulumi(*args: str, capture: bool = False) -> str:
        command = ["pulumi", *args, "--stack", STACK, "--non-interactive"]
        done = subprocess.run(  # noqa: S603 - fixed arguments
            command, cwd=ROOT, env=env, text=True, capture_output=capture, check=False
        )
        _require(done.returncode == 0, " ".join(args[:1]), done.stderr if capture else None)
        return done.stdout or ""

    subprocess.run(  # noqa: S603
        ["pulumi", "stack", "init", STACK, "--non-interactive"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    heading("pulumi preview")
    pulumi("preview")
    heading("pulumi up")
    pulumi("up", "--yes")
    heading("stack outputs")
    raw = pulumi("stack", "output", "--json", capture=True)
    print(raw)
    order_id = json.loads(raw)["order_id"]
    heading(f"review: approve order {order_id} (emulator admin call)")
    approve(order_id)
    heading("pulumi refresh")
    pulumi("refresh", "--yes")
    heading("pulumi destroy")
    pulumi("destroy", "--yes")


def _require(ok: bool, step: str, detail: str | None) -> None:
    if not ok:
        raise DemoFailed(f"{step} failed:\n{detail or ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--port", type=int, default=DEV_STACK_PORT, help="emulator port (0: any free one)"
    )
    parser.add_argument("--fresh", action="store_true", help="forget the emulator's saved state")
    parser.add_argument(
        "--no-cli", action="store_true", help="use sinch_numbers.testing even if pulumi is on PATH"
    )
    args = parser.parse_args(argv)

    from sinch_numbers.testing.emulator import start_emulator

    WORK.mkdir(exist_ok=True)
    state_file = WORK / "emulator.sqlite"
    if args.fresh and state_file.exists():
        state_file.unlink()
    use_cli = shutil.which("pulumi") is not None and not args.no_cli
    if use_cli and args.port != DEV_STACK_PORT:
        # The real CLI reads the committed dev stack config, which names this port.
        parser.error(
            f"with the pulumi CLI the emulator must use port {DEV_STACK_PORT} "
            "(Pulumi.dev.yaml); add --no-cli to use another port"
        )
    heading("starting the Sinch Numbers emulator")
    try:
        with start_emulator(
            port=args.port, state_file=state_file, review_policy="manual"
        ) as emulator:
            show(f"listening on {emulator.url} (state in {state_file.relative_to(ROOT)})")

            def approve(order_id: str) -> None:
                emulator.review(order_id, "approve")
                show(f"order {order_id}: approved")

            if use_cli:
                run_with_cli(emulator.url, approve)
            else:
                # Pulumi.dev.yaml's config, with the emulator's actual address.
                config = emulator.stack_config(servicePlanId="quickstart-service-plan")
                run_with_harness(config, approve)
    except DemoFailed as error:
        print(f"\n\033[31mdemo failed: {error}\033[0m", file=sys.stderr)
        return 1
    heading("done: the order went CREATED → IN_REVIEW → COMPLETED, and its number was released")
    return 0


if __name__ == "__main__":
    sys.exit(main())
