"""The repository's Pulumi projects run the way a user runs them: `pulumi` typed in the project
folder, with the real Python language host, against a file backend.

Each test runs in a copy of the checkout (so the `Pulumi.<stack>.yaml` files the CLI writes never
land in the repository, and tests cannot share a stack file). The copy keeps every project's
relative layout, and its `.venv` is a link to the virtual environment running the tests, which has
sinch-numbers installed: each project's own `virtualenv` option (`.venv` at the root,
`../../.venv` in the examples) then finds a ready environment, as it does in a developer's
checkout after `make`, and no test installs anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinch_numbers.testing import Secret
from sinch_numbers.testing.pulumi_cli import PulumiCli

ROOT = Path(__file__).resolve().parents[2]
DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic"
PASSPHRASE = "sinch-numbers-folders"

# What a copy of the checkout leaves out: local environments, caches, and VCS data.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", ".demo", "__pycache__", ".*_cache", ".hypothesis", "Pulumi.*.yaml"
)


def running_virtualenv() -> Path | None:
    """The virtual environment running the tests (it has sinch-numbers installed), if any."""
    prefix = Path(sys.prefix)
    in_venv = sys.prefix != sys.base_prefix and (prefix / "bin" / "python").exists()
    return prefix if in_venv else None


def copy_checkout(dest: Path, venv: Path) -> Path:
    """The repository's files (and its committed stack files) at ``dest``, with ``.venv`` a link
    to ``venv``."""
    shutil.copytree(ROOT, dest, ignore=_NOT_COPIED)
    for stack_file in ROOT.glob("Pulumi.*.yaml"):
        shutil.copy2(stack_file, dest / stack_file.name)
    (dest / ".venv").symlink_to(venv, target_is_directory=True)
    return dest


@dataclass
class Folder:
    """One project folder and the private Pulumi home and file backend its commands use."""

    cli: PulumiCli
    path: Path
    home: Path
    backend: Path
    state_dir: Path
    python_bin: Path
    """The bin folder of a Python with sinch-numbers: first after the CLI's on PATH, as in a
    shell where that environment is active (the host makes virtualenvs with its `python3`)."""
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        # Nothing of the caller's Pulumi or Sinch settings: the stack config is the only source.
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PULUMI_", "SINCH_"))
            and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
        }
        return {
            **inherited,
            "PATH": os.pathsep.join(
                [str(self.cli.bin_dir), str(self.python_bin), os.environ.get("PATH", "")]
            ),
            "PULUMI_BACKEND_URL": self.backend.as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_HOME": str(self.home),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "SINCH_NUMBERS_STATE_DIR": str(self.state_dir),
            **self.extra_env,
        }

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS --non-interactive`` in the folder; never raises on failure."""
        return subprocess.run(
            [str(self.cli.executable), *args, "--non-interactive"],
            cwd=self.path,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """``pulumi ARGS --non-interactive`` in the folder, running: its output (standard error
        in it) is read from ``stdout`` as it is printed."""
        return subprocess.Popen(
            [str(self.cli.executable), *args, "--non-interactive"],
            cwd=self.path,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def ok(self, *args: str) -> str:
        """``pulumi ARGS`` that must succeed; its standard output."""
        done = self.run(*args)
        assert done.returncode == 0, f"pulumi {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def set_config(self, config: dict[str, Any]) -> None:
        """``pulumi config set-all``: a :class:`Secret` value with ``--secret``."""
        args = []
        for key, value in config.items():
            if isinstance(value, Secret):
                args += ["--secret", f"{key}={value.value}"]
            else:
                args += ["--plaintext", f"{key}={value}"]
        self.ok("config", "set-all", *args)

    def dynamic_resources(self) -> list[dict[str, Any]]:
        """The stack's dynamic resources as ``pulumi stack export --show-secrets`` shows them."""
        exported = json.loads(self.ok("stack", "export", "--show-secrets"))
        resources = exported.get("deployment", {}).get("resources") or []
        return [r for r in resources if str(r.get("type", "")).startswith(DYNAMIC_TYPE_PREFIX)]

    def outputs(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.ok("stack", "output", "--json", "--show-secrets"))
        return result


def lend_virtualenv(dest: Path, venv: Path) -> Path:
    """A virtualenv at ``dest`` whose packages are those of ``venv``: what `pulumi new` and then
    `pulumi install` (with the sinch-numbers line the template's requirements.txt asks for) leave
    behind, made without downloading anything. Its site-packages links to ``venv``'s entries.

    The package's Python SDK (``pulumi_sinch``, installed in the tests' venv for the package's
    own tests) is left out: the template's users do not have it, and with it the host would
    report the plugin `sinch` as a package to install, which `pulumi new` tries to download."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True)
    (site,) = (dest / "lib").glob("python*/site-packages")
    (lent,) = (venv / "lib").glob("python*/site-packages")
    # Linked .pth files are read as the venv's own (the editable install of sinch-numbers is one).
    for entry in lent.iterdir():
        if "pulumi_sinch" not in entry.name and not (site / entry.name).exists():
            (site / entry.name).symlink_to(entry)
    return dest
