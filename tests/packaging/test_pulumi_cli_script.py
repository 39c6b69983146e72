"""`make pulumi` (tools/pulumi-cli.sh) installs the Python language host beside the CLI, cached
like the CLI: a cached CLI is never rebuilt for the host, a cache hit checks the host is there
too, and without the host's source folder the script says where a host comes from.

A stand-in CLI (a script that prints the pinned version) fills the cache, and a stand-in host
source (a Go program without dependencies) builds in a second, offline; the real build is the
one `.ci/run` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "pulumi-cli.sh"
VERSION = next(
    line.split("=", 1)[1].strip()
    for line in (ROOT / "tools" / "pulumi-cli.env").read_text().splitlines()
    if line.startswith("PULUMI_CLI_VERSION=")
)

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs Go to build a host")


@pytest.fixture(scope="module")
def go_caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Go build cache for the module's builds: the standard library compiles once."""
    return tmp_path_factory.mktemp("go")


def cached_cli(cache: Path, go_caches: Path) -> Path:
    """The bin folder of a cached CLI build: what an earlier `make pulumi` left."""
    cache.mkdir(parents=True)
    (cache / "go").symlink_to(go_caches, target_is_directory=True)
    bin_dir = cache / f"pulumi-{VERSION}" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "pulumi").write_text(f"#!/bin/sh\necho v{VERSION}\n")
    for name in ("pulumi", "pulumi-resource-pulumi-python", "pulumi-language-python-exec"):
        (bin_dir / name).touch()
        (bin_dir / name).chmod(0o755)
    return bin_dir


def host_source(folder: Path, says: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "go.mod").write_text("module example.invalid/host\n\ngo 1.21\n")
    (folder / "go.sum").write_text("")
    (folder / "main.go").write_text(
        f'package main\n\nimport "fmt"\n\nfunc main() {{ fmt.Println("{says}") }}\n'
    )
    return folder


def make_pulumi(cache: Path, source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SINCH_NUMBERS_", "GO"))
    }
    env.update(
        SINCH_NUMBERS_CACHE=str(cache),
        SINCH_NUMBERS_PULUMI="pinned",
        SINCH_NUMBERS_LANGUAGE_HOST_SOURCE=str(source),
        GOPROXY="off",
        KEEP_GO_CACHES="1",
    )
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def host_says(bin_dir: Path) -> str:
    done = subprocess.run(
        [str(bin_dir / "pulumi-language-python")], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_cached_cli_gets_the_host_built_beside_it_and_is_not_rebuilt(
    tmp_path: Path, go_caches: Path
) -> None:
    cache = tmp_path / "cache"
    bin_dir = cached_cli(cache, go_caches)
    cli_before = (bin_dir / "pulumi").stat().st_mtime_ns
    source = host_source(tmp_path / "shared" / "pulumi-language-python", "host one")

    first = make_pulumi(cache, source)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == str(bin_dir)
    assert host_says(bin_dir) == "host one"
    assert (bin_dir / "pulumi").stat().st_mtime_ns == cli_before, "the CLI was not rebuilt"
    assert not list(source.parent.glob("**/pulumi-language-python/pulumi-language-python"))

    # A cache hit: nothing is built again.
    again = make_pulumi(cache, source)
    assert again.returncode == 0, again.stderr
    assert "building" not in again.stderr

    # Changed source: the host is built again, the CLI still not.
    host_source(source, "host two")
    changed = make_pulumi(cache, source)
    assert changed.returncode == 0, changed.stderr
    assert host_says(bin_dir) == "host two"
    assert (bin_dir / "pulumi").stat().st_mtime_ns == cli_before


def test_find_only_looks(tmp_path: Path, go_caches: Path) -> None:
    cache = tmp_path / "cache"
    bin_dir = cached_cli(cache, go_caches)
    source = host_source(tmp_path / "source", "host")
    found = make_pulumi(cache, source, "--find")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(bin_dir)
    assert not (bin_dir / "pulumi-language-python").exists()


def test_without_the_host_source_it_says_where_a_host_comes_from(
    tmp_path: Path, go_caches: Path
) -> None:
    cache = tmp_path / "cache"
    bin_dir = cached_cli(cache, go_caches)
    done = make_pulumi(cache, tmp_path / "no-such-folder")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(bin_dir)
    assert "installed the official way" in done.stderr
    assert "has its own" in done.stderr
    assert not (bin_dir / "pulumi-language-python").exists()
