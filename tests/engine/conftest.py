"""The real-engine tier: every test runs the real Pulumi CLI against the emulator over loopback.

The CLI comes from `make pulumi` (built from Pulumi's Go modules into a cache outside the repo) or
from PATH. With ``CI=true`` a missing CLI fails every test here; elsewhere they are skipped with
the reason. Scenarios marked with the ``kind`` fixture run through the simulator in
``sinch_numbers.testing`` too, with the same assertions, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, Protocol

import pytest

from sinch_numbers.testing import ProgramResult, ProgramRunner, ResourceState
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner, find_pulumi_cli
from tests.engine.folders import Folder, running_virtualenv
from tests.engine.package import PLUGIN, write_project

ROOT = Path(__file__).resolve().parents[2]
FIND_CLI = ROOT / "tools" / "pulumi-cli.sh"


class Runner(Protocol):
    """What the simulator (``ProgramRunner``) and the real CLI (``PulumiCliRunner``) share."""

    config: dict[str, Any]
    env: dict[str, str]

    def preview(self) -> ProgramResult: ...
    def up(self) -> ProgramResult: ...
    def refresh(self) -> ProgramResult: ...
    def destroy(self) -> ProgramResult: ...
    def resource(self, name: str) -> ResourceState: ...
    def close(self) -> None: ...

    @property
    def state(self) -> dict[str, ResourceState]: ...


MakeRunner = Callable[..., Any]


def _locate_cli() -> PulumiCli | None:
    found = find_pulumi_cli()
    if found is not None:
        return found
    done = subprocess.run(
        ["bash", str(FIND_CLI), "--find"], capture_output=True, text=True, check=False
    )
    lines = done.stdout.strip().splitlines()
    return find_pulumi_cli(lines[-1]) if done.returncode == 0 and lines else None


def unavailable(tier: str, reason: str) -> NoReturn:
    """Skip a tier that cannot run here, saying why; with ``CI=true``, fail it instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs the {tier}: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cli() -> PulumiCli:
    found = _locate_cli()
    if found is None:
        unavailable(
            "real-engine tier",
            "no Pulumi CLI: `make pulumi` builds one (about 8 minutes cold), or install it and "
            "put it on PATH",
        )
    return found


@pytest.fixture(scope="session")
def language_host(cli: PulumiCli) -> PulumiCli:
    """The CLI, with Pulumi's Python language host beside it (what `pulumi up` in a project
    folder runs the program with). CI fails without one, like without the CLI."""
    if not cli.has_language_host:
        unavailable(
            "folder-level tier",
            f"no pulumi-language-python beside {cli.executable}: `make pulumi` builds it from "
            "../shared/pulumi-language-python when that folder exists; a CLI installed the "
            "official way has its own",
        )
    return cli


@pytest.fixture(scope="session")
def yaml_host(cli: PulumiCli) -> PulumiCli:
    """The CLI, with Pulumi's YAML language host beside it (what runs a `runtime: yaml`
    project). CI fails without one, like without the CLI."""
    if not cli.has_yaml_host:
        unavailable(
            "YAML tier",
            f"no pulumi-language-yaml beside {cli.executable} or on PATH: `make pulumi` builds "
            "it from its Go module (3 to 7 minutes cold on 2 cores)",
        )
    return cli


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    with start_emulator(review_policy="manual") as process:
        yield process


@pytest.fixture
def emu(emulator: EmulatorProcess) -> EmulatorProcess:
    emulator.reset()
    emulator.clear_faults()
    emulator.settings(review_policy="manual")
    return emulator


@pytest.fixture
def cli_runner(
    cli: PulumiCli, emu: EmulatorProcess, tmp_path: Path
) -> Iterator[Callable[..., PulumiCliRunner]]:
    """A PulumiCliRunner per call, pointed at the emulator unless ``config`` says otherwise."""
    made: list[PulumiCliRunner] = []

    def make(program: Any, **options: Any) -> PulumiCliRunner:
        options.setdefault("config", emu.stack_config())
        runner = PulumiCliRunner(
            program, cli=cli, work_dir=tmp_path / f"cli-{len(made)}", **options
        )
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


@pytest.fixture
def sim_runner(emu: EmulatorProcess) -> Iterator[Callable[..., ProgramRunner]]:
    made: list[ProgramRunner] = []

    def make(program: Any, **options: Any) -> ProgramRunner:
        options.setdefault("config", emu.stack_config())
        if callable(program):
            options.setdefault("project_dir", ROOT)
        options.setdefault("project", "sinch-numbers-test")
        runner = ProgramRunner(program, **options)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


@pytest.fixture(params=["cli", "simulator"])
def kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def runner(kind: str, request: pytest.FixtureRequest) -> MakeRunner:
    """``runner(program, **options)`` through the real CLI or the simulator, per ``kind``."""
    name = "cli_runner" if kind == "cli" else "sim_runner"
    factory: MakeRunner = request.getfixturevalue(name)

    def make(program: Any, **options: Any) -> Any:
        if kind == "cli":
            options.setdefault("project", "sinch-numbers-test")
        return factory(program, **options)

    return make


@pytest.fixture(scope="session")
def venv() -> Path:
    """The virtualenv running the tests, lent to the project folders (tests/engine/folders.py)."""
    found = running_virtualenv()
    if found is None:
        unavailable(
            "folder-level tier",
            "it lends its projects the virtualenv running the tests: run them in one (make test)",
        )
    return found


@pytest.fixture(scope="session")
def plugin(language_host: PulumiCli, venv: Path) -> Path:
    """The provider plugin `pulumi-resource-sinch`, as `pip install` puts it in the venv's bin
    folder (which the project folders have on PATH)."""
    found = venv / "bin" / PLUGIN
    if not found.is_file():
        unavailable("plugin tier", f"no {PLUGIN} in {found.parent}: `make .venv/.installed`")
    return found


@pytest.fixture(scope="session")
def sdk(plugin: Path) -> str:
    """The generated Python SDK `pulumi_sinch`, installed into the venv (sdk/python)."""
    if importlib.util.find_spec("pulumi_sinch") is None:
        unavailable("Python SDK tier", "no pulumi_sinch: `pip install -e sdk/python`")
    return "pulumi_sinch"


@pytest.fixture
def package_project(
    language_host: PulumiCli, plugin: Path, venv: Path, tmp_path: Path
) -> Callable[..., Folder]:
    """``package_project()``: a project folder running tests/engine/package.py's PROGRAM through
    the plugin, with its own backend, Pulumi home and record of interrupted creates; ``path``
    runs another folder with the same settings. ``env`` reaches the CLI and the plugin."""
    made: list[Folder] = []

    def make(path: Path | None = None, **env: str) -> Folder:
        index = len(made)
        folder = Folder(
            cli=language_host,
            path=path or write_project(tmp_path / f"project-{index}", venv),
            home=tmp_path / "pulumi-home",
            backend=tmp_path / "backend",
            state_dir=tmp_path / "sinch-numbers-state",
            python_bin=venv / "bin",
            extra_env=env,
        )
        folder.backend.mkdir(exist_ok=True)
        made.append(folder)
        return folder

    return make
