"""The TypeScript example (examples/package/typescript) under the real CLI: the generated Node.js
SDK and the Node.js Automation API's inline program, one runner invocation per step, against the
emulator over loopback; the engine runs the provider plugin from PATH."""

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
    build_typescript,
    deps_folder,
    lifecycle,
    plugin_bin,
)

pytestmark = pytest.mark.package_program("typescript")


def test_typescript_program_preview_up_update_refresh_destroy(
    cli: PulumiCli, tmp_path: Path
) -> None:
    if shutil.which("node") is None:
        unavailable("TypeScript tier", "no node on PATH: install Node.js 20 or newer")
    node_work = deps_folder("node-deps.sh")
    if node_work is None:
        unavailable("TypeScript tier", "no npm packages in the cache: `make pulumi` installs them")
    if not (SDK / "nodejs" / "package.json").is_file():
        unavailable("TypeScript tier", "no generated Node.js SDK in sdk/nodejs: `make sdk`")
    plugin_dir = plugin_bin()
    if plugin_dir is None:
        unavailable("TypeScript tier", "no pulumi-resource-sinch beside this Python")

    command = build_typescript(node_work, tmp_path / "build")
    with start_emulator(review_policy="manual", key_id=KEY_ID, key_secret=KEY_SECRET) as emu:
        stack = ExampleStack(command, tmp_path / "run", cli, plugin_dir)
        lifecycle(stack, emu)
