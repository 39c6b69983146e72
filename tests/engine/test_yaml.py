"""The Pulumi YAML program of examples/package/yaml, run as a user runs it: the commands typed in
a copy of the project folder, with the real CLI, Pulumi's YAML language host and the provider
plugin `pulumi-resource-sinch`, against the emulator over loopback.

The plugin is found the two ways docs/languages/yaml.md gives: on PATH (the virtualenv's bin,
where `pip install` put it; the tests' PATH has it after the CLI's folder) and, in one test,
through `plugins: providers:` in Pulumi.yaml with nothing on PATH. Each folder uses its own file
backend and passphrase (tests/engine/folders.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.conftest import unavailable
from tests.engine.folders import ROOT, Folder, running_virtualenv
from tests.engine.programs import active_number

pytestmark = pytest.mark.package_program("yaml")

EXAMPLE = ROOT / "examples" / "package" / "yaml"
PLUGIN = "pulumi-resource-sinch"
ORDER = "sinch:numbers:NumberOrder"
COMPLETION = "sinch:numbers:NumberOrderCompletion"
ACTIVE_NUMBER = "sinch:numbers:ActiveNumber"
# What the engine prints when it starts a plugin it found on PATH rather than where the project
# or the plugin cache names it.
FROM_PATH = f"using {PLUGIN} from $PATH"
# Values of the example's registration and documents: personal data, which no plain text of the
# state or of the commands' output may hold.
KYC_CANARIES = ("Example Clinic Pty Ltd", "1 Example Street", "+61400000000", "Alex")
DOCUMENT_CANARIES = ("proof-of-address.pdf", "identity-document.png")


@pytest.fixture(scope="session")
def plugin_dir() -> Path:
    """The bin folder of the virtualenv running the tests, where `pip install -e .` put the
    plugin's executable."""
    venv = running_virtualenv()
    found = venv / "bin" / PLUGIN if venv is not None else None
    if found is None or not os.access(found, os.X_OK):
        unavailable(
            "YAML tier",
            f"no {PLUGIN} in the virtualenv running the tests: run them in one where "
            "`pip install -e .` installed the project (make test)",
        )
    return found.parent


@dataclass
class Project:
    """One project folder, and everything its commands printed (searched for canaries)."""

    folder: Folder
    printed: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder.path

    def run(self, *args: str) -> tuple[int, str]:
        """``pulumi ARGS`` as typed in the folder: its exit code and its output."""
        done = self.folder.run(*args)
        out = done.stdout + done.stderr
        self.printed.append(out)
        return done.returncode, out

    def ok(self, *args: str) -> str:
        code, out = self.run(*args)
        assert code == 0, f"pulumi {' '.join(args)}:\n{out}"
        return out

    def configure(self, emu: EmulatorProcess) -> None:
        """`pulumi config set` of each `sinch:` key, the key secret with `--secret`."""
        for key, value in emu.stack_config().items():
            if isinstance(value, Secret):
                self.ok("config", "set", "--secret", key, str(value.value))
            else:
                self.ok("config", "set", key, str(value))

    def edit(self, old: str, new: str) -> None:
        program = self.path / "Pulumi.yaml"
        text = program.read_text()
        assert text.count(old) == 1, old
        program.write_text(text.replace(old, new))

    def exported(self) -> str:
        """`pulumi stack export` as the CLI prints it: secrets encrypted."""
        return self.ok("stack", "export")

    def resources(self, type_: str) -> list[dict[str, Any]]:
        """The stack's resources of ``type_``, secrets shown."""
        shown = json.loads(self.folder.ok("stack", "export", "--show-secrets"))
        found = shown.get("deployment", {}).get("resources") or []
        return [r for r in found if r.get("type") == type_]

    def outputs(self) -> dict[str, Any]:
        return self.folder.outputs()


@pytest.fixture
def project(yaml_host: PulumiCli, plugin_dir: Path, tmp_path: Path) -> Callable[..., Project]:
    """``project(name)``: a copy of the example (or of ``source``; an empty folder for None) at
    ``tmp_path/name``. Every project of a test shares one backend and one Pulumi home."""
    (tmp_path / "backend").mkdir()

    def make(name: str = "project", source: Path | None = EXAMPLE, **env: str) -> Project:
        path = tmp_path / name
        if source is None:
            path.mkdir()
        else:
            shutil.copytree(source, path, ignore=shutil.ignore_patterns("Pulumi.*.yaml"))
        folder = Folder(
            cli=yaml_host,
            path=path,
            home=tmp_path / "pulumi-home",
            backend=tmp_path / "backend",
            state_dir=tmp_path / "sinch-numbers-state",
            python_bin=plugin_dir,
            extra_env=env,
        )
        return Project(folder)

    return make


def auto_review(emu: EmulatorProcess) -> None:
    """The emulator approves each submitted order after a second, as a reviewer would later."""
    emu.settings(review_policy="auto", review_delay_seconds=1)


def assert_no_leak(project: Project, emu: EmulatorProcess) -> None:
    exported = project.exported()
    printed = "\n".join(project.printed)
    for canary in (*KYC_CANARIES, *DOCUMENT_CANARIES, emu.credentials.key_secret):
        assert canary not in exported, f"{canary!r} in pulumi stack export"
        assert canary not in printed, f"{canary!r} in the commands' output"


def the_order(project: Project, emu: EmulatorProcess) -> dict[str, Any]:
    """The stack's one NumberOrder, and the emulator's one order: the same."""
    (resource,) = project.resources(ORDER)
    (order,) = emu.orders()
    assert resource["id"] == order["idNumberOrder"]
    return resource


def test_the_program_runs_as_a_user_types_it(
    project: Callable[..., Project], emu: EmulatorProcess
) -> None:
    """stack init, config set, preview, up, a routing change edited into the YAML and up (an
    update in place), refresh, destroy; nothing personal in the state or the output."""
    auto_review(emu)
    user = project()
    user.ok("stack", "init", "dev")
    user.configure(emu)

    preview = user.ok("preview")
    assert emu.orders() == [], "preview orders nothing"
    assert FROM_PATH in preview, "the plugin came from PATH"
    assert "auSmsNumber" in preview, preview
    assert "auSmsNumberReview" in preview, preview

    user.ok("up", "--yes")
    order = the_order(user, emu)
    order_id = order["id"]
    outputs = user.outputs()
    assert outputs["orderId"] == order_id
    assert outputs["state"] == "COMPLETED", "up waited for the review"
    numbers = outputs["phoneNumbers"]
    assert len(numbers) == 1
    (completion,) = user.resources(COMPLETION)
    assert completion["id"] == order_id

    user.edit("servicePlanId: ${servicePlanId}", "servicePlanId: another-service-plan")
    changed = user.ok("up", "--yes")
    assert "1 updated" in changed, changed
    assert the_order(user, emu)["id"] == order_id, "a routing change never orders again"
    routing = active_number(emu, numbers[0])["smsConfiguration"]
    assert routing["servicePlanId"] == "another-service-plan", routing

    user.ok("refresh", "--yes")
    user.ok("preview", "--expect-no-changes")
    assert the_order(user, emu)["outputs"]["state"] == "COMPLETED"

    assert_no_leak(user, emu)

    user.ok("destroy", "--yes")
    assert user.resources(ORDER) == []
    assert user.resources(COMPLETION) == []
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id], "destroy orders nothing"
    assert active_number(emu, numbers[0])["expireAt"] is not None, "destroy released it"
    assert_no_leak(user, emu)


def test_the_plugin_is_found_through_plugins_providers_in_pulumi_yaml(
    project: Callable[..., Project], plugin_dir: Path, emu: EmulatorProcess
) -> None:
    """With no `pulumi-resource-sinch` on PATH, `plugins: providers:` names its folder; without
    either, the preview fails and orders nothing."""
    searched = os.environ.get("PATH", "").split(os.pathsep)
    kept = [d for d in searched if d and not (Path(d) / PLUGIN).exists()]
    user = project("named")
    # The CLI's folder first, as Folder.env has it, but not the virtualenv's bin.
    no_plugin = os.pathsep.join([str(user.folder.cli.bin_dir), *kept])
    user.folder.extra_env["PATH"] = no_plugin
    plugins = f"plugins:\n  providers:\n    - name: sinch\n      path: {plugin_dir}\n"
    user.edit("runtime: yaml\n", f"runtime: yaml\n{plugins}")
    user.ok("stack", "init", "dev")
    user.configure(emu)
    preview = user.ok("preview")
    assert FROM_PATH not in preview, preview
    assert "auSmsNumber" in preview, preview

    # The same project (so a stack of its own in the shared backend), without `plugins:`.
    unnamed = project("unnamed", PATH=no_plugin)
    unnamed.ok("stack", "init", "without-plugin")
    unnamed.configure(emu)
    code, out = unnamed.run("preview")
    assert code != 0, "without PATH or plugins: providers, no plugin runs"
    assert f"no resource plugin '{PLUGIN}' found" in out, out
    assert emu.orders() == []


def reasons(out: str) -> list[tuple[str, str]]:
    """(property, reason) of each check failure the engine printed."""
    found = re.findall(r"property (\S+) value .*? has a problem: (.*)$", out, re.MULTILINE)
    return [(prop, reason.strip()) for prop, reason in found]


def test_a_bad_input_fails_preview_naming_the_property_and_the_rule(
    project: Callable[..., Project], emu: EmulatorProcess
) -> None:
    """A registration phone number in national format (personal data, in free JSON) and a
    callback URL that is not https: each failure names the property in the schema's spelling
    and the rule; no reason repeats the value."""
    user = project()
    user.ok("stack", "init", "dev")
    user.configure(emu)

    user.edit('phoneNumber: "+61400000000"', 'phoneNumber: "0400 000 000"')
    code, out = user.run("preview")
    assert code != 0
    assert "Traceback" not in out, out
    failures = dict(reasons(out))
    assert "pattern" in failures.get("registration[2].phoneNumber", ""), out
    # The registration is secret: not even the engine's own "value {...}" shows it.
    assert "0400 000 000" not in out, out

    user.edit('phoneNumber: "0400 000 000"', 'phoneNumber: "+61400000000"')
    bad_url = "http://hooks.example.com/secret-path"
    user.edit("      quantity: 1\n", f"      quantity: 1\n      callbackUrl: {bad_url}\n")
    code, out = user.run("preview")
    assert code != 0
    failures = dict(reasons(out))
    assert "https" in failures.get("callbackUrl", ""), out
    # The plugin's reason never repeats it; the engine itself prints a top-level plain
    # input's value ("property callbackUrl value {...}"), which no provider can prevent.
    assert bad_url not in failures["callbackUrl"]
    assert emu.orders() == []


def test_pulumi_import_prints_a_program_that_previews_with_no_changes(
    project: Callable[..., Project], emu: EmulatorProcess
) -> None:
    """An order made by another stack, imported by id with `pulumi import --out`: the printed
    resource, put in a program, previews with no changes."""
    auto_review(emu)
    first = project("first")
    first.ok("stack", "init", "dev")
    first.configure(emu)
    first.ok("up", "--yes")
    order_id = the_order(first, emu)["id"]

    adopter = project("adopter", source=None)
    (adopter.path / "Pulumi.yaml").write_text("name: sinch-numbers-adopter\nruntime: yaml\n")
    adopter.ok("stack", "init", "dev")
    adopter.configure(emu)
    printed = adopter.path / "imported.yaml"
    adopter.ok("import", ORDER, "adopted", order_id, "--yes", "--out", str(printed))
    (resource,) = adopter.resources(ORDER)
    assert resource["id"] == order_id
    generated = yaml.safe_load(printed.read_text())
    assert generated["resources"]["adopted"]["type"] == ORDER
    program = {"name": "sinch-numbers-adopter", "runtime": "yaml", **generated}
    (adopter.path / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    adopter.ok("preview", "--expect-no-changes")
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id], "import orders nothing"
    assert_no_leak(adopter, emu)


def test_the_import_resource_option_adopts_an_order(
    project: Callable[..., Project], emu: EmulatorProcess
) -> None:
    """`options: import: <id>` in the program: up adopts the order, orders nothing, and the
    next preview shows no changes."""
    auto_review(emu)
    first = project("first")
    first.ok("stack", "init", "dev")
    first.configure(emu)
    first.ok("up", "--yes")
    order_id = the_order(first, emu)["id"]
    (number,) = first.outputs()["phoneNumbers"]

    adopter = project("adopter", source=None)
    program = {
        "name": "sinch-numbers-adopter",
        "runtime": "yaml",
        "resources": {
            "adopted": {
                "type": ORDER,
                "properties": {
                    "regionCode": "AU",
                    "numberType": "MOBILE",
                    "phoneNumber": number,
                    "smsConfiguration": {"servicePlanId": "example-service-plan"},
                },
                "options": {"import": order_id},
            }
        },
        "outputs": {"state": "${adopted.state}"},
    }
    (adopter.path / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    adopter.ok("stack", "init", "dev")
    adopter.configure(emu)
    up = adopter.ok("up", "--yes")
    assert "1 imported" in up, up
    assert adopter.outputs()["state"] == "COMPLETED"
    adopter.ok("preview", "--expect-no-changes")
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]


def test_pulumi_import_of_an_active_number_by_its_phone_number(
    project: Callable[..., Project], emu: EmulatorProcess
) -> None:
    auto_review(emu)
    first = project("first")
    first.ok("stack", "init", "dev")
    first.configure(emu)
    first.ok("up", "--yes")
    (number,) = first.outputs()["phoneNumbers"]

    adopter = project("adopter", source=None)
    (adopter.path / "Pulumi.yaml").write_text("name: sinch-numbers-adopter\nruntime: yaml\n")
    adopter.ok("stack", "init", "dev")
    adopter.configure(emu)
    printed = adopter.path / "imported.yaml"
    adopter.ok("import", ACTIVE_NUMBER, "number", number, "--yes", "--out", str(printed))
    (resource,) = adopter.resources(ACTIVE_NUMBER)
    assert resource["id"] == number
    generated = yaml.safe_load(printed.read_text())
    program = {"name": "sinch-numbers-adopter", "runtime": "yaml", **generated}
    (adopter.path / "Pulumi.yaml").write_text(yaml.safe_dump(program, sort_keys=False))
    adopter.ok("preview", "--expect-no-changes")
