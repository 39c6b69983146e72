"""The Go example (examples/package/go) under the real CLI: the generated Go SDK (through its
go.mod's `replace`) and the Go Automation API's inline program, one runner invocation per step,
against the emulator over loopback; the engine runs the provider plugin from PATH."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sinch_numbers.testing.emulator import start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.conftest import unavailable
from tests.engine.polyglot import (
    KEY_ID,
    KEY_SECRET,
    SDK,
    ExampleStack,
    build_go,
    deps_folder,
    lifecycle,
    plugin_bin,
)

pytestmark = pytest.mark.package_program("go")


def test_go_program_preview_up_update_refresh_destroy(cli: PulumiCli, tmp_path: Path) -> None:
    if shutil.which("go") is None:
        unavailable("Go tier", "no go on PATH: install Go")
    caches = deps_folder("go-deps.sh")
    if caches is None:
        unavailable("Go tier", "no Go module cache for the example: `make pulumi` prepares it")
    if not (SDK / "go" / "go.mod").is_file():
        unavailable("Go tier", "no generated Go SDK in sdk/go: `make sdk`")
    plugin_dir = plugin_bin()
    if plugin_dir is None:
        unavailable("Go tier", "no pulumi-resource-sinch beside this Python")

    command = build_go(caches, tmp_path / "build")
    with start_emulator(review_policy="manual", key_id=KEY_ID, key_secret=KEY_SECRET) as emu:
        stack = ExampleStack(command, tmp_path / "run", cli, plugin_dir)
        lifecycle(stack, emu)
