"""`make pulumi` (tools/pulumi-cli.sh) installs the Python and YAML language hosts beside the CLI,
cached like the CLI: a cached CLI is never rebuilt for a host, a cache hit checks the hosts are
there too, and without the Python host's source folder the script says where a host comes from.

A stand-in CLI (a script that prints the pinned version) fills the cache, and a stand-in host
source (a Go program without dependencies) builds in a second, offline; the YAML host's tagged
module is a stand-in served by a Go module proxy in a folder. The real builds are the ones
`.ci/run` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "pulumi-cli.sh"


def pinned(name: str) -> str:
    return next(
        line.split("=", 1)[1].strip()
        for line in (ROOT / "tools" / "pulumi-cli.env").read_text().splitlines()
        if line.startswith(f"{name}=")
    )


VERSION = pinned("PULUMI_CLI_VERSION")
YAML_VERSION = pinned("PULUMI_LANGUAGE_YAML_VERSION")
YAML_HOST = "pulumi-language-yaml"
YAML_MODULE = "github.com/pulumi/pulumi-yaml"

pytestmark = pytest.mark.skipif(shutil.which("go") is None, reason="needs Go to build a host")


@pytest.fixture(scope="module")
def go_caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One Go build cache for the module's builds: the standard library compiles once."""
    return tmp_path_factory.mktemp("go")


def cached_cli(cache: Path, go_caches: Path, *, yaml_host: bool = True) -> Path:
    """The bin folder of a cached CLI build: what an earlier `make pulumi` left."""
    cache.mkdir(parents=True)
    (cache / "go").symlink_to(go_caches, target_is_directory=True)
    bin_dir = cache / f"pulumi-{VERSION}" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "pulumi").write_text(f"#!/bin/sh\necho v{VERSION}\n")
    for name in ("pulumi", "pulumi-resource-pulumi-python", "pulumi-language-python-exec"):
        (bin_dir / name).touch()
        (bin_dir / name).chmod(0o755)
    if yaml_host:
        # The YAML host the pinned version built: these tests are about the Python host.
        (bin_dir / YAML_HOST).write_text("#!/bin/sh\necho cached\n")
        (bin_dir / YAML_HOST).chmod(0o755)
        (bin_dir / f".{YAML_HOST}.version").write_text(f"v{YAML_VERSION}\n")
    return bin_dir


def host_source(folder: Path, says: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "go.mod").write_text("module example.invalid/host\n\ngo 1.21\n")
    (folder / "go.sum").write_text("")
    (folder / "main.go").write_text(
        f'package main\n\nimport "fmt"\n\nfunc main() {{ fmt.Println("{says}") }}\n'
    )
    return folder


def make_pulumi(
    cache: Path, source: Path, *args: str, proxy: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """tools/pulumi-cli.sh offline: no Go module proxy, or the folder ``proxy`` as one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SINCH_NUMBERS_", "GO"))
    }
    env.update(
        SINCH_NUMBERS_CACHE=str(cache),
        SINCH_NUMBERS_PULUMI="pinned",
        SINCH_NUMBERS_LANGUAGE_HOST_SOURCE=str(source),
        GOPROXY=proxy.as_uri() if proxy is not None else "off",
        # The stand-in module is in no checksum database.
        GONOSUMDB=YAML_MODULE,
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


def yaml_module_proxy(folder: Path, says: str) -> Path:
    """A Go module proxy in ``folder`` serving a stand-in of the YAML host's tagged module at the
    pinned version: a main package that prints ``says`` and the version stamped into it."""
    version = f"v{YAML_VERSION}"
    gomod = f"module {YAML_MODULE}\n\ngo 1.21\n"
    files = {
        "go.mod": gomod,
        "pkg/version/version.go": "package version\n\nvar Version string\n",
        f"cmd/{YAML_HOST}/main.go": (
            "package main\n\n"
            f'import (\n\t"fmt"\n\n\t"{YAML_MODULE}/pkg/version"\n)\n\n'
            f'func main() {{ fmt.Println("{says}", version.Version) }}\n'
        ),
    }
    at = folder / YAML_MODULE / "@v"
    at.mkdir(parents=True, exist_ok=True)
    (at / "list").write_text(f"{version}\n")
    (at / f"{version}.info").write_text(json.dumps({"Version": version}))
    (at / f"{version}.mod").write_text(gomod)
    with zipfile.ZipFile(at / f"{version}.zip", "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{YAML_MODULE}@{version}/{name}", text)
    return folder


def yaml_host_says(bin_dir: Path) -> str:
    done = subprocess.run([str(bin_dir / YAML_HOST)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_yaml_host_is_built_at_the_pinned_version_once(tmp_path: Path, go_caches: Path) -> None:
    cache = tmp_path / "cache"
    bin_dir = cached_cli(cache, go_caches, yaml_host=False)
    cli_before = (bin_dir / "pulumi").stat().st_mtime_ns
    source = host_source(tmp_path / "source", "host")
    proxy = yaml_module_proxy(tmp_path / "proxy", "yaml one")

    # --find only looks: a cached CLI without the YAML host is still found, nothing is built.
    found = make_pulumi(cache, source, "--find", proxy=proxy)
    assert found.returncode == 0, found.stderr
    assert not (bin_dir / YAML_HOST).exists()

    first = make_pulumi(cache, source, proxy=proxy)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == str(bin_dir)
    assert yaml_host_says(bin_dir) == f"yaml one v{YAML_VERSION}", "the version stamped in"
    assert f"built {YAML_HOST}" in first.stderr
    assert (bin_dir / "pulumi").stat().st_mtime_ns == cli_before, "the CLI was not rebuilt"

    # A cache hit: nothing is built again, even with other module content on offer.
    yaml_module_proxy(tmp_path / "proxy", "yaml two")
    again = make_pulumi(cache, source, proxy=proxy)
    assert again.returncode == 0, again.stderr
    assert "building" not in again.stderr
    assert yaml_host_says(bin_dir) == f"yaml one v{YAML_VERSION}"

    # A host built at another version (the pin changed since): built again, the CLI still not.
    (bin_dir / f".{YAML_HOST}.version").write_text("v0.0.1\n")
    shutil.rmtree(go_caches / "mod" / "cache" / "download" / YAML_MODULE, ignore_errors=True)
    shutil.rmtree(go_caches / "mod" / f"{YAML_MODULE}@v{YAML_VERSION}", ignore_errors=True)
    changed = make_pulumi(cache, source, proxy=proxy)
    assert changed.returncode == 0, changed.stderr
    assert f"building {YAML_HOST}" in changed.stderr
    assert yaml_host_says(bin_dir) == f"yaml two v{YAML_VERSION}"
    assert (bin_dir / f".{YAML_HOST}.version").read_text().strip() == f"v{YAML_VERSION}"
    assert (bin_dir / "pulumi").stat().st_mtime_ns == cli_before
