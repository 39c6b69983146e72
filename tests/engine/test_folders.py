"""The folder-level tier: every Pulumi project of the repository, and the template as `pulumi new`
makes it, run as a user types the commands in the project folder, with the real CLI and the real
Python language host, against the emulator (tests/engine/folders.py says how).

Each project goes through preview, up, a change and up, refresh and destroy; the assertions read
`pulumi stack export` and the emulator's admin API: exactly one order, and its numbers released
after destroy. The Automation API tests (test_examples.py and the rest of this folder) cover what
the programs do in more detail; these prove that the folders themselves run.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.folders import (
    ROOT,
    Folder,
    copy_checkout,
    lend_virtualenv,
)
from tests.engine.programs import active_number

KYC_DOCUMENTS = ROOT / "examples" / "kyc-documents" / "registration.example.json"


@dataclass(frozen=True)
class Case:
    """What a user sets in one project folder: the stack config before the first `up` (besides
    the `sinch:` settings of the emulator), and a change for the second."""

    config: dict[str, Any]
    change: dict[str, str]
    # The folder's committed Pulumi.dev.yaml holds the settings: only the emulator's URLs (it
    # names port 8787) are set.
    urls_only: bool = False


CASES: dict[str, Case] = {
    ".": Case(config={}, change={"servicePlanId": "another-service-plan"}, urls_only=True),
    "examples/quickstart": Case(config={}, change={"servicePlanId": "another-service-plan"}),
    "examples/bulk-voice": Case(
        config={"trunkId": "trunk-example", "quantity": "2"}, change={"trunkId": "trunk-2"}
    ),
    "examples/lookups": Case(config={"trunkId": "trunk-example"}, change={"trunkId": "trunk-2"}),
    # As the example's README has it: protected and kept on destroy until the stack says so.
    "examples/kyc-documents": Case(
        config={"registration": Secret(KYC_DOCUMENTS.read_text())},
        change={"protect": "false", "releaseOnDestroy": "true"},
    ),
}


def project_folders() -> set[str]:
    """Every folder of the repository with a Pulumi.yaml, but templates (they are not projects)
    and the package's programs (examples/package/*: each language's own test runs its program,
    with the provider plugin instead of the dynamic resource)."""
    found = set()
    for path in ROOT.rglob("Pulumi.yaml"):
        relative = path.parent.relative_to(ROOT)
        if relative.parts and relative.parts[0] in {".venv", "templates"}:
            continue
        if relative.parts[:2] == ("examples", "package"):
            continue
        found.add(relative.as_posix())
    return found


def test_every_project_folder_has_a_case() -> None:
    assert project_folders() == set(CASES)


def test_every_project_has_its_own_name() -> None:
    """Projects share a backend (one developer's file backend, one CI account): a stack is named
    by project and stack, so two projects of the same name would share their `dev` stack."""
    names = [
        yaml.safe_load((ROOT / folder / "Pulumi.yaml").read_text())["name"] for folder in CASES
    ]
    assert len(set(names)) == len(names), names


@pytest.fixture
def checkout(language_host: PulumiCli, venv: Path, tmp_path: Path) -> Path:
    return copy_checkout(tmp_path / "checkout", venv)


@pytest.fixture
def folder(
    language_host: PulumiCli, venv: Path, checkout: Path, tmp_path: Path
) -> Callable[..., Folder]:
    """``folder("examples/quickstart")``: that project in the copy (or any ``path``); one backend
    and one Pulumi home for every folder of the test, as on a developer's machine."""

    def make(relative: str, path: Path | None = None, **env: str) -> Folder:
        return Folder(
            cli=language_host,
            path=path or checkout / relative,
            home=tmp_path / "pulumi-home",
            backend=tmp_path / "backend",
            state_dir=tmp_path / "sinch-numbers-state",
            python_bin=venv / "bin",
            extra_env=env,
        )

    (tmp_path / "backend").mkdir()
    return make


def emulator_urls(emu: EmulatorProcess) -> dict[str, Any]:
    return {key: emu.stack_config()[key] for key in ("sinch:numbersUrl", "sinch:authUrl")}


def numbers_of(resource: dict[str, Any]) -> list[str]:
    return [str(number) for number in resource["outputs"].get("phone_numbers") or []]


def the_order(project: Folder, emu: EmulatorProcess) -> tuple[dict[str, Any], str]:
    """The stack's one dynamic resource, and the one order the emulator holds: the same."""
    (resource,) = project.dynamic_resources()
    (order,) = emu.orders()
    assert resource["id"] == order["idNumberOrder"]
    return resource, resource["id"]


def run_the_lifecycle(project: Folder, emu: EmulatorProcess, change: dict[str, str]) -> None:
    """preview, up, (review), a change and up, refresh, destroy: as a user types them."""
    preview = project.run("preview")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert emu.orders() == [], "preview orders nothing"

    project.ok("up", "--yes")
    resource, order_id = the_order(project, emu)
    assert resource["outputs"]["state"] == "IN_REVIEW"
    assert project.outputs()["order_id"] == order_id
    emu.review(order_id, "approve")

    project.set_config(change)
    changed = project.ok("up", "--yes")
    assert "1 updated" in changed, changed
    resource, same_id = the_order(project, emu)
    assert same_id == order_id, "a change never orders again"

    project.ok("refresh", "--yes")
    resource, _ = the_order(project, emu)
    assert resource["outputs"]["state"] == "COMPLETED"
    numbers = numbers_of(resource)
    assert numbers

    project.ok("destroy", "--yes")
    assert project.dynamic_resources() == []
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    for number in numbers:
        assert active_number(emu, number)["expireAt"] is not None, f"{number} released"


@pytest.mark.parametrize("relative", sorted(CASES))
def test_each_project_runs_in_its_folder(
    folder: Callable[..., Folder], emu: EmulatorProcess, relative: str
) -> None:
    case = CASES[relative]
    project = folder(relative)
    project.ok("stack", "select", "dev", "--create")
    config = emulator_urls(emu) if case.urls_only else {**emu.stack_config(), **case.config}
    project.set_config(config)
    run_the_lifecycle(project, emu, case.change)


def test_the_root_and_quickstart_dev_stacks_are_two_stacks(
    folder: Callable[..., Folder],
) -> None:
    root, quickstart = folder("."), folder("examples/quickstart")
    root.ok("stack", "select", "dev", "--create")
    quickstart.ok("stack", "select", "dev", "--create")
    listed = yaml.safe_load(root.ok("stack", "ls", "--all", "--json"))
    assert len(listed) == 2, listed


@pytest.mark.parametrize(
    ("relative", "command"),
    # The quickstart's preview checks offline and warns; lookups' program asks Sinch in preview.
    [("examples/quickstart", "up"), ("examples/lookups", "preview")],
)
def test_without_stack_config_the_run_fails_with_one_line(
    folder: Callable[..., Folder], emu: EmulatorProcess, relative: str, command: str
) -> None:
    project = folder(relative)
    project.ok("stack", "select", "dev", "--create")
    done = project.run(command, *(["--yes"] if command == "up" else []))
    out = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in out, out
    # The engine's summary of the run: the error diagnostic, whole on its line.
    lines = [line.strip() for line in out.splitlines()] + [""]
    said = [i for i, line in enumerate(lines) if line.startswith("error: missing Sinch settings")]
    assert len(said) == 1, out
    (at,) = said
    assert lines[at + 1] == "" or lines[at + 1].startswith("error: "), out
    for key in ("sinch:projectId (or SINCH_PROJECT_ID)", "sinch:keySecret (or SINCH_KEY_SECRET)"):
        assert key in lines[at]
    assert emu.orders() == []
    assert project.dynamic_resources() == []


def test_the_template_runs_in_the_folder_pulumi_new_makes(
    folder: Callable[..., Folder], checkout: Path, venv: Path, emu: EmulatorProcess
) -> None:
    """As templates/sinch-numbers-python/README.md has it: `pulumi new` from the checkout, then
    preview, up, a change, refresh and destroy in the new folder."""
    made = checkout.parent / "my-numbers"
    lend_virtualenv(made / "venv", venv)
    # pip installs nothing and asks no index: everything `pulumi new` installs is already there.
    template = str(checkout / "templates" / "sinch-numbers-python")
    args = ("--dir", "../my-numbers", "--name", "my-numbers", "--stack", "dev", "--yes")
    new = folder(".", PIP_NO_INDEX="1").run("new", template, *args, "--force")
    assert new.returncode == 0, new.stdout + new.stderr
    assert "Requirement already satisfied: pulumi" in new.stdout, new.stdout
    project = folder("", path=made)
    assert "my-numbers:trunkId" in project.ok("config", "--json")
    project.set_config(emulator_urls(emu))
    run_the_lifecycle(project, emu, {"trunkId": "trunk-2"})


def test_sigint_while_the_completion_waits_ends_the_wait_and_loses_nothing(
    folder: Callable[..., Folder], emu: EmulatorProcess
) -> None:
    """What a CI cancel does to `pulumi up` typed in a folder: one SIGINT to `pulumi` while the
    completion waits for review. The engine calls Cancel on the plugin (which the Python SDK does
    not pass on) and on the language host, which interrupts the program: the wait sees the
    program end and stops at once, not at its timeout; the order is kept and the next `up`
    waits again and completes."""
    project = folder("examples/quickstart")
    project.ok("stack", "select", "dev", "--create")
    project.set_config(
        {**emu.stack_config(), "waitForCompletion": "true", "completionTimeout": "300"}
    )
    up = project.start("up", "--yes", "--skip-preview")
    assert up.stdout is not None
    printed: list[str] = []
    for line in up.stdout:
        printed.append(line)
        if "waiting" in line and "for review" in line:
            break
    up.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    rest, _ = up.communicate(timeout=240)
    took = time.monotonic() - signalled
    out = "".join(printed) + rest
    assert up.returncode != 0, out
    assert "received; cancelling" in out, out
    assert "stopped because the run was cancelled" in out, out
    assert took < 60, f"the wait ran on for {took:.0f} s after the SIGINT"
    [order] = emu.orders()
    assert order["state"] == "IN_REVIEW"
    [resource] = project.dynamic_resources()
    assert resource["id"] == order["idNumberOrder"], "the order is kept, no completion"

    # The next up waits again, with the program watched, until review approves: a wait whose
    # run goes on is not stopped.
    again = project.start("up", "--yes", "--skip-preview")
    assert again.stdout is not None
    waited = False
    for line in again.stdout:
        if "waiting" in line and "for review" in line:
            waited = True
            break
    assert waited, "the next up waits for review"
    emu.review(order["idNumberOrder"], "approve")
    rest, _ = again.communicate(timeout=240)
    assert again.returncode == 0, rest
    assert {r["id"] for r in project.dynamic_resources()} == {order["idNumberOrder"]}
    assert len(project.dynamic_resources()) == 2, "the order and its completion"
    assert [o["idNumberOrder"] for o in emu.orders()] == [order["idNumberOrder"]]
