"""The package as users get it: the sdist and wheel `python -m build` makes, installed into a
fresh virtual environment (from PyPI for the dependencies), first without and then with the
``emulator`` extra, and run from outside the checkout so nothing is imported from the source tree.
"""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import sinch_numbers
from tests.cli.cli_helpers import serving

ROOT = Path(__file__).resolve().parents[2]
VERSION = sinch_numbers.__version__
INSTALL = "pip install 'sinch-numbers[emulator]'"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    out = tmp_path_factory.mktemp("dist")
    # Without options build makes the sdist, then the wheel from the unpacked sdist: a file the
    # sdist lacks fails the wheel build.
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Dist(sdist, wheel)


def outside_env() -> dict[str, str]:
    """This environment minus whatever would point a process at the checkout or an account."""
    dropped = {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SINCH_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "160", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def test_the_sdist_holds_the_package_and_its_type_marker(dist: Dist) -> None:
    assert dist.sdist.name == f"sinch_numbers-{VERSION}.tar.gz"
    top = f"sinch_numbers-{VERSION}/"
    with tarfile.open(dist.sdist) as archive:
        names = set(archive.getnames())
        metadata = archive.extractfile(top + "PKG-INFO")
        assert metadata is not None
        info = email.message_from_bytes(metadata.read())
    for wanted in (
        "sinch_numbers/__init__.py",
        "sinch_numbers/py.typed",
        "sinch_numbers/cli/app.py",
        "sinch_numbers/cli/__main__.py",
        "sinch_numbers/emulator/__main__.py",
        "sinch_numbers/api/ids.py",
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "docs/install.md",
    ):
        assert top + wanted in names, wanted
    for name in names:
        assert not any(part in name for part in (".hypothesis", "__pycache__", ".venv/")), name
    assert info["Version"] == VERSION


def test_the_wheel_holds_the_package_and_the_console_script(dist: Dist) -> None:
    assert dist.wheel.name == f"sinch_numbers-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(dist.wheel) as archive:
        names = set(archive.namelist())
        info_dir = f"sinch_numbers-{VERSION}.dist-info/"
        metadata = email.message_from_bytes(archive.read(info_dir + "METADATA"))
        entry_points = archive.read(info_dir + "entry_points.txt").decode()
    assert "sinch_numbers/py.typed" in names
    assert "sinch_numbers/emulator/server.py" in names
    # The package schema the plugin serves (generated, not Python: shipped as package data).
    assert "sinch_numbers/plugin/schema.json" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "benchmarks/"))]
    assert metadata["Version"] == VERSION
    assert "emulator" in metadata.get_all("Provides-Extra", [])
    assert "sinch-numbers = sinch_numbers.cli:main" in entry_points


class Installed:
    """A fresh virtual environment holding the wheel; commands run outside the checkout."""

    def __init__(self, root: Path) -> None:
        venv.EnvBuilder(with_pip=True).create(root / "venv")
        self.bin = root / "venv" / "bin"
        self.cwd = root
        self.env = outside_env()

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def pip_install(self, requirement: str) -> None:
        result = self.run(str(self.bin / "python"), "-m", "pip", "install", "-q", requirement)
        assert result.returncode == 0, result.stderr

    def sinch(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.bin / "sinch-numbers"), *args, timeout=120)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, dist: Dist) -> Installed:
    return Installed(tmp_path_factory.mktemp("installed"))


@pytest.fixture
def installed_emulator(installed: Installed) -> Iterator[str]:
    """The installed package's own emulator, through its console script; yields its URL."""
    args = [str(installed.bin / "sinch-numbers"), "emulator", "--port", "0"]
    with serving(args, installed.env, cwd=installed.cwd) as url:
        yield url


def test_the_wheel_installed_without_the_emulator_extra(installed: Installed, dist: Dist) -> None:
    installed.pip_install(str(dist.wheel))

    version = installed.sinch("--version")
    assert (version.returncode, version.stdout, version.stderr) == (
        0,
        f"sinch-numbers {VERSION}\n",
        "",
    )
    where = installed.run(
        str(installed.bin / "python"), "-c", "import sinch_numbers; print(sinch_numbers.__file__)"
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.bin.parent)

    for command in (
        [str(installed.bin / "sinch-numbers"), "emulator"],
        [str(installed.bin / "python"), "-m", "sinch_numbers.emulator"],
    ):
        result = installed.run(*command, timeout=120)
        assert result.returncode == 3, result.stderr
        assert result.stderr.strip().splitlines() == [
            "error: the emulator needs the 'emulator' extra, which is not installed (missing "
            f"fastapi, uvicorn, python-multipart): {INSTALL}"
        ]


def test_the_wheel_with_the_emulator_extra(
    installed: Installed, dist: Dist, request: pytest.FixtureRequest
) -> None:
    # Runs after the test above (file order) in the same environment, adding the extra to it.
    installed.pip_install(f"{dist.wheel}[emulator]")
    url = request.getfixturevalue("installed_emulator")  # only now can the emulator start

    found = installed.sinch("requirements", "AU", "MOBILE", "--json", "--emulator", url)
    assert found.returncode == 0, found.stderr
    assert len(json.loads(found.stdout)["fields"]["rules"]) == 3
    none = installed.sinch("requirements", "US", "LOCAL", "--emulator", url)
    assert none.returncode == 0, none.stderr
    assert "needs no KYC registration" in none.stdout
    listed = installed.sinch("numbers", "list", "--json", "--emulator", url)
    assert (listed.returncode, json.loads(listed.stdout)) == (0, [])
