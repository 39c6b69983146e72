"""templates/sinch-numbers-python: what the template asks for, and a broken template refused.

The template itself runs where users run it: tests/engine/test_folders.py makes a project with
`pulumi new` under the real CLI and its Python language host, and takes its stack through
preview, up, a change, refresh and destroy in that folder.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.docs.template import TEMPLATE, template_config


@pytest.fixture
def runner(cli: PulumiCli, tmp_path: Path) -> Iterator[PulumiCliRunner]:
    # A runner gives the environment of a local, offline engine (its cli_env()).
    made = PulumiCliRunner(TEMPLATE, cli=cli, work_dir=tmp_path / "runner")
    yield made
    made.close()


def _pulumi(runner: PulumiCliRunner, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(runner.cli.executable), *args, "--non-interactive"],
        cwd=cwd,
        env=runner.cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.engine
def test_pulumi_new_refuses_a_template_whose_project_file_is_invalid(
    runner: PulumiCliRunner, tmp_path: Path
) -> None:
    # `pulumi new` validates a template's Pulumi.yaml before it writes anything.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Pulumi.yaml").write_text("name: x\nruntime: python\ntemplate:\n  config: 5\n")
    args = [str(broken), "--generate-only", "--yes", "--name", "x", "--dir", str(tmp_path / "out")]
    done = _pulumi(runner, "new", *args, cwd=tmp_path)
    assert done.returncode != 0
    assert "#/template/config" in done.stderr, done.stderr


def test_the_template_asks_for_every_setting_the_program_reads() -> None:
    program = (TEMPLATE / "__main__.py").read_text()
    asked = template_config()
    for key in ("trunkId", "registration"):
        assert f'"{key}"' in program
        assert key in asked
    for key in ("sinch:projectId", "sinch:keyId", "sinch:keySecret", "sinch:numbersUrl"):
        assert key in asked, key
    assert asked["sinch:authUrl"] == "http://127.0.0.1:8787/oauth2/token", (
        "both URLs, or the key goes to Sinch"
    )
    requirements = (TEMPLATE / "requirements.txt").read_text()
    assert requirements.splitlines()[0].startswith("pulumi>=")
