"""templates/sinch-numbers-python makes a stack that works against the emulator, under the real CLI.

This project's CLI has no Python language host, and `pulumi new` asks the host for runtime
options before it writes a single file, so here it stops there (after it has read the template
and validated its Pulumi.yaml). The test asserts exactly that, renders the project the way
`pulumi new` would (tests/docs/template.py), lets the CLI validate the rendered project and set
its config, and runs the program through PulumiCliRunner: preview and up must order the number.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinch_numbers.testing import Op, Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.docs.template import TEMPLATE, render, template_config

NO_HOST = "no language plugin 'pulumi-language-python' found"


@pytest.fixture
def runner(cli: PulumiCli, tmp_path: Path) -> Iterator[PulumiCliRunner]:
    # A runner gives the environment of a local, offline engine (its cli_env()); its program
    # is the template's own, until the test points it at the rendered project.
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


def test_pulumi_new_reads_the_template_and_stops_only_for_the_missing_language_host(
    runner: PulumiCliRunner, tmp_path: Path
) -> None:
    if runner.cli.has_language_host:
        pytest.skip("this CLI has a language host: the next test's rendering is not needed")
    for extra in ((), ("--force",)):
        dest = tmp_path / f"new{len(extra)}"
        args = [str(TEMPLATE), "--generate-only", "--yes", "--name", "x", "--stack", "dev"]
        done = _pulumi(runner, "new", *args, "--dir", str(dest), *extra, cwd=tmp_path)
        assert done.returncode != 0
        assert NO_HOST in done.stderr, done.stderr
        assert list(dest.iterdir()) == [], "it failed before writing anything"


def test_pulumi_new_refuses_a_template_whose_project_file_is_invalid(
    runner: PulumiCliRunner, tmp_path: Path
) -> None:
    # So the first test's failure does come after the template was read and validated.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Pulumi.yaml").write_text("name: x\nruntime: python\ntemplate:\n  config: 5\n")
    args = [str(broken), "--generate-only", "--yes", "--name", "x", "--dir", str(tmp_path / "out")]
    done = _pulumi(runner, "new", *args, cwd=tmp_path)
    assert done.returncode != 0
    assert "#/template/config" in done.stderr, done.stderr


def test_the_rendered_project_is_a_stack_that_orders_a_number(
    runner: PulumiCliRunner, emu: EmulatorProcess, tmp_path: Path
) -> None:
    project = render(tmp_path / "my-numbers", name="my-numbers", description="Numbers")
    assert not (project / "Pulumi.yaml").read_text().count("${")
    init = _pulumi(runner, "stack", "init", "dev", cwd=project)
    assert init.returncode == 0, init.stderr  # the CLI accepts the rendered Pulumi.yaml
    asked = template_config()
    for key, value in asked.items():
        secret = ["--secret"] if isinstance(value, Secret) else []
        plain = value.value if isinstance(value, Secret) else value
        done = _pulumi(runner, "config", "set", key, plain, *secret, cwd=project)
        assert done.returncode == 0, done.stderr
    shown = _pulumi(runner, "config", "--json", cwd=project)
    saved = json.loads(shown.stdout)
    assert {key for key, entry in saved.items() if entry["secret"]} == {
        "sinch:keySecret",
        "my-numbers:registration",
    }

    # The stack as pulumi new leaves it, with the URLs of this test's emulator instead of :8787.
    config = {**asked, **emu.stack_config()}
    with PulumiCliRunner(
        project, cli=runner.cli, config=config, work_dir=tmp_path / "cli"
    ) as stack:
        preview = stack.preview()
        assert preview.ok, preview.error
        assert preview.op("phone-number") == Op.CREATE
        up = stack.up()
        assert up.ok, up.error
        assert up.op("phone-number") == Op.CREATE
        (order,) = emu.orders()
        assert (order["regionCode"], order["numberType"], order["state"]) == (
            "AU",
            "LOCAL",
            "IN_REVIEW",
        )
        assert up.outputs["order_id"] == order["idNumberOrder"]
        assert [a["attachmentId"] for a in order["registration"]["attachments"]] == [
            "01jy0aulocal0proofaddrs0001"
        ]


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
