"""The package as the CLI and the SDK generators see it: ``sdk/`` is byte for byte what Pulumi's
generators make from the committed schema (``make sdk``), and ``pulumi package get-schema`` of
the installed plugin prints that schema.

The generator is ``pulumi-sinch-sdkgen`` (tools/sdkgen/), which ``make pulumi`` builds beside the
CLI; the plugin is the ``pulumi-resource-sinch`` console script of this package. With ``CI=true``
a missing one fails its test, as a missing CLI does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sinch_numbers.codegen.package import PACKAGE_SCHEMA
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
SDKGEN = ROOT / "tools" / "sdkgen.sh"
KEPT_BY_HAND = {"go/go.mod", "go/go.sum"}
"""Files of sdk/ that the generators do not make (the Go SDK's module)."""


def _sdkgen() -> Path:
    done = subprocess.run(
        ["bash", str(SDKGEN), "--find"], capture_output=True, text=True, check=False
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        unavailable(
            "SDK generator",
            "no current pulumi-sinch-sdkgen beside the CLI: `make pulumi` builds it "
            "(tools/sdkgen.sh, about 3 minutes cold)",
        )
    return Path(lines[-1])


def _committed_sdk() -> dict[str, bytes]:
    """Every file of sdk/ that git tracks, by its path under sdk/."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", "sdk"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    names = [n for n in listed.split("\0") if n]
    assert names, "git tracks no file under sdk/"
    return {n.removeprefix("sdk/"): (ROOT / n).read_bytes() for n in names}


def _written(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_the_committed_sdks_are_what_the_generators_make(tmp_path: Path) -> None:
    tool = _sdkgen()
    out = tmp_path / "sdk"
    subprocess.run(
        [str(tool), str(ROOT / PACKAGE_SCHEMA), str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    fresh = _written(out)
    committed = {n: t for n, t in _committed_sdk().items() if n not in KEPT_BY_HAND}
    assert sorted(committed) == sorted(fresh), "files differ: run `make sdk`"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"differ from a fresh generation (run `make sdk`): {stale}"
    # The Node.js generator leaves the version to a release step: the tool fills it in.
    assert b"${VERSION}" not in b"".join(fresh.values())


def test_the_generator_keeps_the_go_module_files_it_does_not_make(tmp_path: Path) -> None:
    tool = _sdkgen()
    out = tmp_path / "sdk"
    (out / "go").mkdir(parents=True)
    (out / "go" / "go.mod").write_text("module example.invalid/kept\n")
    (out / "go" / "stale.go").write_text("package stale\n")
    subprocess.run(
        [str(tool), str(ROOT / PACKAGE_SCHEMA), str(out), "go"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert (out / "go" / "go.mod").read_text() == "module example.invalid/kept\n"
    assert not (out / "go" / "stale.go").exists()
    assert (out / "go" / "sinch" / "numbers" / "numberOrder.go").is_file()


def _plugin() -> Path:
    beside = Path(sys.executable).parent / "pulumi-resource-sinch"
    found = beside if beside.is_file() else shutil.which("pulumi-resource-sinch")
    if found is None:
        unavailable(
            "provider plugin",
            "no pulumi-resource-sinch beside this Python or on PATH: `pip install -e .` "
            "installs it",
        )
    return Path(found)


def test_get_schema_of_the_plugin_prints_the_committed_schema(
    cli: PulumiCli, tmp_path: Path
) -> None:
    plugin = _plugin()
    # A path, not a bare name: a bare name asks the Pulumi registry over the network.
    env = {
        **os.environ,
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    done = subprocess.run(
        [str(cli.executable), "package", "get-schema", str(plugin)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    committed = json.loads((ROOT / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    assert json.loads(done.stdout) == committed
