"""tools/sdkgen.sh finds the SDK generator beside the CLI only when it was built from the source
in tools/sdkgen/, and deletes the Go caches the CLI's build left for it unless told to keep them.

A stand-in tool (a script) with a stamp fills the cache, so nothing is built here; the real build
is the one `make pulumi` does (tests/engine/test_package_sdk.py uses what it built).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "sdkgen.sh"
SOURCE = ROOT / "tools" / "sdkgen"
VERSION = next(
    line.split("=", 1)[1].strip()
    for line in (ROOT / "tools" / "pulumi-cli.env").read_text().splitlines()
    if line.startswith("PULUMI_CLI_VERSION=")
)


_PATH = "/usr/bin:/bin"
"""The script's PATH here: its shell tools, and no Go (a stale tool is never rebuilt here)."""


def _digest() -> str:
    """What the script stamps: sha256sum of go.mod, go.sum and main.go, hashed again."""
    lines = "".join(
        f"{hashlib.sha256((SOURCE / name).read_bytes()).hexdigest()}  {name}\n"
        for name in ("go.mod", "go.sum", "main.go")
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def _cached_tool(cache: Path, stamp: str) -> Path:
    bin_dir = cache / f"pulumi-{VERSION}" / "bin"
    bin_dir.mkdir(parents=True)
    tool = bin_dir / "pulumi-sinch-sdkgen"
    tool.write_text('#!/bin/sh\necho "generated $*"\n')
    tool.chmod(0o755)
    (bin_dir / ".pulumi-sinch-sdkgen.source").write_text(stamp + "\n")
    return tool


def _run(cache: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "KEEP_GO_CACHES"}
    environment.update(SINCH_NUMBERS_CACHE=str(cache), PATH=_PATH, **env)
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_tool_built_from_this_source_is_found_and_run(tmp_path: Path) -> None:
    tool = _cached_tool(tmp_path / "cache", _digest())
    found = _run(tmp_path / "cache", "--find")
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[-1] == str(tool)
    ran = _run(tmp_path / "cache", "schema.json", "out", "go")
    assert ran.returncode == 0, ran.stderr
    assert "generated schema.json out go" in ran.stderr
    assert ran.stdout.splitlines()[-1] == str(tool)


def test_a_tool_built_from_other_source_is_not_found(tmp_path: Path) -> None:
    _cached_tool(tmp_path / "cache", "0" * 64)
    found = _run(tmp_path / "cache", "--find")
    assert found.returncode == 1
    assert found.stdout == ""
    # Without Go on PATH a rebuild says what is missing instead of running the stale tool.
    assert shutil.which("go", path=_PATH) is None, "Go is on the test's PATH"
    ran = _run(tmp_path / "cache")
    assert ran.returncode == 1
    assert "no Go to build pulumi-sinch-sdkgen" in ran.stderr


def test_the_go_caches_the_cli_left_are_deleted_unless_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _cached_tool(cache, _digest())
    (cache / "go" / "mod").mkdir(parents=True)
    assert _run(cache, KEEP_GO_CACHES="1").returncode == 0
    assert (cache / "go" / "mod").is_dir()
    assert _run(cache, "--find").returncode == 0
    assert (cache / "go").is_dir(), "--find only looks"
    assert _run(cache).returncode == 0
    assert not (cache / "go").exists()
