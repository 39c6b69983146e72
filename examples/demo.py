"""`make demo`: the whole life of a number order, on the built-in emulator.

Starts the emulator (state kept in .demo/ so the demo survives restarts), then runs the quickstart
stack (examples/quickstart, the program the top-level project runs) through preview, up, the stack
outputs, the review decision, refresh and destroy. With a Pulumi CLI (the one `make pulumi`
builds, or `pulumi` on PATH) it runs the real CLI against a local file backend; without one, it
runs the same program through `sinch_numbers.testing`, which drives the real provider plugin the
way the engine does, and says so. Exits non-zero if any step fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".demo"
STACK = "dev"
DEV_STACK_PORT = 8787


class DemoFailed(Exception):
    pass


def heading(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m", flush=True)


def show(line: str) -> None:
    print(f"   {line}", flush=True)


def run_with_harness(config: dict[str, Any], approve: Callable[[str], None]) -> None:
    from sinch_numbers.testing import ProgramRunner, Secret

    print(
        "\n\033[33m*** No Pulumi CLI found (`make pulumi` builds one): running the quickstart\n"
        "*** through sinch_numbers.testing, which starts the real provider plugin and drives it\n"
        "*** over gRPC the way the Pulumi engine does. With a CLI, the demo uses it.\033[0m"
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


def run_with_cli(cli: Any, config: dict[str, Any], approve: Callable[[str], None]) -> None:
    from sinch_numbers.testing.pulumi_cli import PulumiCliRunner

    print(
        f"\n\033[32m*** The real Pulumi CLI {cli.version()} ({cli.executable}): preview, up,\n"
        "*** refresh and destroy run through it, against a local file backend in a temporary\n"
        "*** folder; the quickstart program runs inline (Automation API).\033[0m"
    )

    def show_line(line: str) -> None:
        if line.strip():
            show(line)

    with PulumiCliRunner(
        ROOT / "examples" / "quickstart", config=config, stack=STACK, on_output=show_line
    ) as stack:
        heading("pulumi preview: the plan (check and diff only; nothing is created)")
        result = stack.preview()
        _require(result.ok, "preview", result.error)
        heading("pulumi up: each workflow step as it happens")
        result = stack.up()
        _require(result.ok, "up", result.error)
        order_id = str(result.outputs["order_id"])
        heading(f"review: Sinch's team approves order {order_id} (emulator admin call)")
        approve(order_id)
        heading("pulumi refresh --run-program: the stack learns the outcome")
        result = stack.refresh(run_program=True)
        _require(result.ok, "refresh", result.error)
        state = result.outputs.get("state")
        _require(state == "COMPLETED", "refresh", f"expected COMPLETED, got {state}")
        heading("pulumi destroy: releases the numbers")
        result = stack.destroy()
        _require(result.ok, "destroy", result.error)


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
        "--no-cli", action="store_true", help="use sinch_numbers.testing even if a CLI is found"
    )
    args = parser.parse_args(argv)

    from sinch_numbers.testing.emulator import start_emulator

    WORK.mkdir(exist_ok=True)
    state_file = WORK / "emulator.sqlite"
    if args.fresh and state_file.exists():
        state_file.unlink()
    cli = None
    if not args.no_cli:
        from sinch_numbers.testing.pulumi_cli import find_pulumi_cli

        cli = find_pulumi_cli()
    heading("starting the Sinch Numbers emulator")
    try:
        with start_emulator(
            port=args.port, state_file=state_file, review_policy="manual"
        ) as emulator:
            show(f"listening on {emulator.url} (state in {state_file.relative_to(ROOT)})")

            def approve(order_id: str) -> None:
                emulator.review(order_id, "approve")
                show(f"order {order_id}: approved")

            # Pulumi.dev.yaml's config, with the emulator's actual address.
            config = emulator.stack_config(servicePlanId="quickstart-service-plan")
            if cli is not None:
                run_with_cli(cli, config, approve)
            else:
                run_with_harness(config, approve)
    except DemoFailed as error:
        print(f"\n\033[31mdemo failed: {error}\033[0m", file=sys.stderr)
        return 1
    heading("done: the order went CREATED → IN_REVIEW → COMPLETED, and its number was released")
    return 0


if __name__ == "__main__":
    sys.exit(main())
