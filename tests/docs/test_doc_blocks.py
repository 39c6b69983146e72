"""Every ```python block of the README, docs/ and the template's README runs (docs/development.md).

A program block runs as a Pulumi program under ProgramRunner (preview, then up) against a fresh
emulator; a test block runs under pytest; a script block runs with python and the SINCH_*
variables of a fresh emulator; a fragment is compiled. Each must succeed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers import lookups
from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.api.models import CreateNumberOrderRequest, QuantityOrderOption
from sinch_numbers.testing import Op, ProgramRunner, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import ENV_PULUMI_BIN
from tests.active_numbers import activate
from tests.docs.blocks import PYTHON_KINDS, ROOT, TALLY, Block, python_blocks
from tests.docs.template import render
from tests.engine.conftest import _locate_cli

BLOCKS = python_blocks()
# Blocks run against an emulator process, in python and pytest processes of their own; a block
# whose directive says needs=cli runs the real Pulumi CLI, which puts it in the engine tier.
pytestmark = pytest.mark.process
# Fragments are compiled only, so each one must say why it cannot run, and there are few.
MAX_FRAGMENTS = 3


def _order(emu: EmulatorProcess, pair: str) -> str:
    """An order for one number of the pair (``US/LOCAL``), created as another tool would."""
    region, number_type = pair.split("/")
    creds = emu.credentials
    with SinchNumbersClient(
        project_id=creds.project_id,
        key_id=creds.key_id,
        key_secret=creds.key_secret,
        numbers_url=emu.url,
        auth_url=emu.token_url,
    ) as sinch:
        option = QuantityOrderOption(requested_quantity=1)
        request = CreateNumberOrderRequest(
            region_code=region, number_type=number_type, quantity_order_option=option
        )
        return sinch.create_number_order(request).id_number_order


def _config_value(emu: EmulatorProcess, value: str) -> Any:
    if value.startswith("sample:"):
        registration = emu.sample(*value[len("sample:") :].split("/")).registration
        return Secret(json.dumps(registration))
    if value.startswith("order:"):
        return _order(emu, value[len("order:") :])
    return value


def _prepare(block: Block, emu: EmulatorProcess) -> dict[str, Any]:
    """What the block's directive says it assumes: active numbers, extra stack config."""
    for number in filter(None, block.options.get("active", "").split(",")):
        activate(emu, number)  # a US number, made active by an order of its own
    return {key: _config_value(emu, value) for key, value in block.config.items()}


def _needs(block: Block) -> dict[str, str]:
    """Skips a block whose directive needs what is not here; the environment it needs."""
    if block.options.get("needs") != "cli":
        return {}
    cli = _locate_cli()
    if cli is None:
        reason = "no Pulumi CLI: `make pulumi` builds one"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true runs every block: {reason}")
        pytest.skip(reason)
    return {ENV_PULUMI_BIN: str(cli.bin_dir)}


def _run_program(block: Block, emu: EmulatorProcess, tmp_path: Path) -> None:
    project = tmp_path / "project"
    if "dir" in block.options:
        shutil.copytree(
            ROOT / block.options["dir"],
            project,
            ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__"),
        )
    else:
        project.mkdir(parents=True)
        (project / "Pulumi.yaml").write_text("name: doc-block\nruntime: python\n")
    main = project / "__main__.py"
    main.write_text(block.text, encoding="utf-8")
    config = emu.stack_config(**_prepare(block, emu))
    lookups.clear_cache()  # the program runs in this process: no answers from another block
    with ProgramRunner(main, config=config) as runner:
        preview = runner.preview()
        assert preview.ok, preview.error
        assert preview.check_failures == {}
        up = runner.up()
        assert up.ok, up.error
        ops = up.ops()
        assert ops, "the program declared no resource"
        assert set(ops.values()) == {Op.CREATE}, ops


def _run_test(block: Block, emu: EmulatorProcess, tmp_path: Path) -> None:
    if "stack" in block.options:
        render(tmp_path / block.options["stack"], name=block.options["stack"])
    (tmp_path / "test_block.py").write_text(block.text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_block.py"],
        cwd=tmp_path,
        env={**os.environ, **{k: str(v) for k, v in _prepare(block, emu).items()}},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout, done.stdout


def _run_script(block: Block, emu: EmulatorProcess, tmp_path: Path, env: dict[str, str]) -> None:
    _prepare(block, emu)
    script = tmp_path / "block.py"
    script.write_text(block.text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT / block.options.get("dir", "."),
        env={**os.environ, **emu.env(), **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_python_block_has_a_kind_and_fragments_are_rare_and_justified() -> None:
    assert len(BLOCKS) >= 15
    assert {block.kind for block in BLOCKS} <= set(PYTHON_KINDS)
    fragments = [block for block in BLOCKS if block.kind == "fragment"]
    assert len(fragments) <= MAX_FRAGMENTS, [block.id for block in fragments]
    for block in fragments:
        assert block.fragment_reason, f"{block.id}: say why it is a fragment"
    for kind in ("program", "test", "script"):
        assert any(block.kind == kind for block in BLOCKS), kind


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(
            block,
            id=block.id,
            marks=pytest.mark.engine if block.options.get("needs") == "cli" else (),
        )
        for block in BLOCKS
    ],
)
def test_the_block_runs(block: Block, emu: EmulatorProcess, tmp_path: Path) -> None:
    env = _needs(block)
    if block.kind == "fragment":
        compile(block.text, block.id, "exec")
    elif block.kind == "program":
        _run_program(block, emu, tmp_path)
    elif block.kind == "test":
        _run_test(block, emu, tmp_path)
    else:
        _run_script(block, emu, tmp_path, env)
    TALLY.count(block.kind)


def test_a_failing_block_fails(emu: EmulatorProcess, tmp_path: Path) -> None:
    # The harness must not pass what does not work: an invalid program, test and script.
    bad = tmp_path / "bad.md"
    no_kyc = 'NumberOrder("x", region_code="AU", number_type="MOBILE", quantity=1)\n'
    program = Block(
        bad, 1, "python", f"import pulumi\nfrom sinch_numbers import NumberOrder\n{no_kyc}"
    )
    with pytest.raises(AssertionError):
        _run_program(program, emu, tmp_path / "p")
    test = Block(bad, 1, "python", "def test_no() -> None:\n    assert False\n")
    (tmp_path / "t").mkdir()
    with pytest.raises(AssertionError):
        _run_test(test, emu, tmp_path / "t")
    script = Block(bad, 1, "python", "raise SystemExit(3)\n")
    (tmp_path / "s").mkdir()
    with pytest.raises(AssertionError):
        _run_script(script, emu, tmp_path / "s", {})
