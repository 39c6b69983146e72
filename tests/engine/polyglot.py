"""The TypeScript and Go example programs (examples/package/), built and run as a user runs them.

Each example is an Automation API runner around an inline program: one step per invocation
(``init``, ``preview``, ``up``, ``refresh``, ``destroy``), in a stack folder whose config the real
CLI sets (``pulumi config set``), against a file backend. The engine starts the provider plugin
``pulumi-resource-sinch`` from PATH, where the venv's bin folder puts it.

What each runner needs comes from `make pulumi` into the cache: npm packages
(tools/node-deps.sh) and a Go module cache (tools/go-deps.sh). Without them, or without the
generated SDKs or the plugin, the tests skip with the reason; with ``CI=true`` they fail.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinch_numbers.testing import Secret
from sinch_numbers.testing.cli_events import from_export
from sinch_numbers.testing.emulator import EmulatorProcess
from sinch_numbers.testing.pulumi_cli import PulumiCli
from tests.engine.programs import CREATE, PATCH_NUMBER, RELEASE, active_number

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "package"
SDK = ROOT / "sdk"
PLUGIN = "pulumi-resource-sinch"
ORDER = "au-sms-number"
"""The NumberOrder both examples declare."""

# The steps a runner takes, and how long one may take here (a cold start of the engine, the
# plugin and the program on 2 busy cores, then the emulator's calls).
STEP_TIMEOUT = 300.0


@dataclass(frozen=True)
class StepResult:
    """What one runner invocation did: its summary line and everything it printed."""

    step: str
    ok: bool
    ops: dict[str, str]
    """Each resource's operation, by name, as the engine's events spell it."""
    outputs: dict[str, Any]
    """The stack outputs; a secret one is ``"[secret]"``."""
    output: str
    seconds: float


def deps_folder(script: str) -> Path | None:
    """The folder ``tools/<script> --find`` prints, when the cache holds what it prepares."""
    done = subprocess.run(
        ["bash", str(ROOT / "tools" / script), "--find"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return Path(lines[-1]) if done.returncode == 0 and lines else None


def plugin_bin() -> Path | None:
    """The folder holding the plugin executable: this Python's (the venv's) bin folder."""
    folder = Path(sys.executable).parent
    return folder if os.access(folder / PLUGIN, os.X_OK) else None


@dataclass
class ExampleStack:
    """One example's runner and its stack folder, with the environment every command gets."""

    command: Sequence[str]
    root: Path
    cli: PulumiCli
    plugin_dir: Path
    stack: str = "dev"
    transcript: list[str] = field(default_factory=list)
    """Everything every command printed (stdout and stderr), in order."""
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.work_dir = self.root / "stack"
        for folder in (self.work_dir, self.root / "backend", self.root / "home"):
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        path = os.pathsep.join(
            [str(self.cli.bin_dir), str(self.plugin_dir), os.environ.get("PATH", "")]
        )
        return {
            **os.environ,
            "PATH": path,
            "PULUMI_BACKEND_URL": (self.root / "backend").as_uri(),
            "PULUMI_CONFIG_PASSPHRASE": "sinch-numbers-test",
            "PULUMI_HOME": str(self.root / "home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_SKIP_CONFIRMATIONS": "true",
            # The plugin's record of interrupted creates: this test's, never the user's.
            "SINCH_NUMBERS_STATE_DIR": str(self.root / "sinch-numbers-state"),
            "SINCH_EXAMPLE_DIR": str(self.work_dir),
            "SINCH_EXAMPLE_STACK": self.stack,
        }

    def run(self, step: str) -> StepResult:
        started = time.monotonic()
        done = subprocess.run(
            [*self.command, step],
            cwd=self.work_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
        seconds = time.monotonic() - started
        self.timings[step] = self.timings.get(step, 0.0) + seconds
        text = done.stdout + done.stderr
        self.transcript.extend(text.splitlines())
        summary = _summary(done.stdout)
        if summary is None:
            raise AssertionError(f"{step} printed no summary (exit {done.returncode}):\n{text}")
        if summary["ok"] != (done.returncode == 0):
            raise AssertionError(f"{step} exited {done.returncode} but said {summary}:\n{text}")
        return StepResult(
            step=step,
            ok=bool(summary["ok"]),
            ops=dict(summary["ops"]),
            outputs=dict(summary["outputs"]),
            output=text,
            seconds=seconds,
        )

    def pulumi(self, *args: str, record: bool = True) -> str:
        """A ``pulumi`` command against the stack, in its folder, as a user types it."""
        done = subprocess.run(
            [str(self.cli.executable), *args, "--stack", self.stack, "--non-interactive"],
            cwd=self.work_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if record:
            self.transcript.extend((done.stdout + done.stderr).splitlines())
        if done.returncode != 0:
            raise AssertionError(f"pulumi {args[0]} failed: {done.stdout}{done.stderr}")
        return done.stdout

    def set_config(
        self, plain: Mapping[str, str] | None = None, secret: Mapping[str, str] | None = None
    ) -> None:
        """``pulumi config set-all``; the values are not recorded (the test chose them)."""
        args = ["config", "set-all"]
        for key, value in (plain or {}).items():
            args += ["--plaintext", f"{key}={value}"]
        for key, value in (secret or {}).items():
            args += ["--secret", f"{key}={value}"]
        self.pulumi(*args, record=False)

    def remove_config(self, key: str) -> None:
        self.pulumi("config", "rm", key)

    def export(self) -> dict[str, Any]:
        """The CLI's own ``pulumi stack export`` (secrets as ciphertext), parsed."""
        result: dict[str, Any] = json.loads(self.pulumi("stack", "export"))
        return result


def _summary(stdout: str) -> dict[str, Any] | None:
    """The runner's last line: its JSON summary."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, dict) and "ok" in value else None
        if line.strip():
            return None
    return None


def copy_sources(source: Path, destination: Path, *names: str) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(source / name, destination / name)


# Canaries: each stands for personal data or a credential, and none may reach the CLI's export
# of the state or anything a command printed.
KEY_ID = "canary-keyid-Pw4c"
KEY_SECRET = "canary-secret-Tz8m"
LAST_NAME = "Canarylast-Hq2v"
BUSINESS = "Canary-business-Lx5n"
FILE_TAG = "canary-passport-Ry7d"
CONTENT_TAG = b"CANARY-DOCUMENT-BYTES-Uf3k"
BAD_HOOK = "http://canary-hook-Sb6w.example/events"
"""A callback URL that is not https: the bad input of the check failure (the value itself is
not personal data, but an error quoting it would quote anything)."""


def registration_with_canaries() -> list[Any]:
    """The example's registration.example.json, with canaries for a name and a business."""
    example = EXAMPLES / "typescript" / "registration.example.json"
    groups: list[Any] = json.loads(example.read_text())
    groups[1]["endBusinessName"] = BUSINESS
    groups[2]["lastName"] = LAST_NAME
    return groups


def documents_with_canaries(directory: Path) -> tuple[Path, Path]:
    """The quickstart's two documents, with a canary in their names and their contents."""
    source = ROOT / "examples" / "quickstart" / "documents"
    directory.mkdir(parents=True, exist_ok=True)
    proof = directory / f"{FILE_TAG}-proof.pdf"
    proof.write_bytes((source / "proof-of-address.pdf").read_bytes() + b"\n% " + CONTENT_TAG)
    identity = directory / f"{FILE_TAG}-identity.png"
    identity.write_bytes((source / "identity-document.png").read_bytes() + CONTENT_TAG)
    return proof, identity


def canaries() -> list[str]:
    return [
        KEY_ID,
        KEY_SECRET,
        base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode(),
        LAST_NAME,
        BUSINESS,
        FILE_TAG,
        CONTENT_TAG.decode(),
        base64.b64encode(CONTENT_TAG).decode()[:16],
    ]


def is_ciphertext(value: Any) -> bool:
    """A secret as the CLI's export without --show-secrets has it: encrypted."""
    return isinstance(from_export(value), Secret) and "ciphertext" in value


def lifecycle(stack: ExampleStack, emu: EmulatorProcess) -> None:
    """preview (and a check failure), up, an update of the routing, refresh and destroy, through
    one example's runner against ``emu``; nothing secret in the CLI's export or the output."""
    proof, identity = documents_with_canaries(stack.root / "documents")
    creds = emu.credentials
    assert (creds.key_id, creds.key_secret) == (KEY_ID, KEY_SECRET), "start emu with the canaries"
    assert stack.run("init").ok
    stack.set_config(
        plain={
            "sinch:projectId": creds.project_id,
            "sinch:numbersUrl": emu.url,
            "sinch:authUrl": emu.token_url,
            "proofOfAddress": str(proof),
            "identityDocument": str(identity),
            "servicePlanId": "plan-one",
        },
        # As the docs advise, the key id too: the engine keeps every `sinch:` value in the
        # default provider's state.
        secret={
            "sinch:keyId": KEY_ID,
            "sinch:keySecret": KEY_SECRET,
            "registration": json.dumps(registration_with_canaries()),
        },
    )

    preview = stack.run("preview")
    assert preview.ok, preview.output
    assert preview.ops == {ORDER: "create"}, preview.output
    assert emu.orders() == [], "a preview orders nothing"

    stack.set_config(plain={"callbackUrl": BAD_HOOK})
    refused = stack.run("preview")
    assert not refused.ok, refused.output
    problems = [line for line in refused.output.splitlines() if "has a problem:" in line]
    assert problems, refused.output
    # The engine renders "property <name> value <value> has a problem: <reason>": the name is
    # the one the plugin's failure gives, the schema's (camelCase); the reason is the plugin's
    # own words, the rule, and never the value (the engine's rendering of a plain input shows
    # it; a secret one it shows as [secret]).
    named = [line for line in problems if "property callbackUrl " in line]
    assert named, problems
    for line in named:
        reason = line.split("has a problem:", 1)[1]
        assert "https" in reason, line
        assert "canary-hook" not in reason, line
    assert "callback_url" not in refused.output, "the Python name leaked into the package"
    stack.remove_config("callbackUrl")
    assert emu.orders() == []

    emu.reset_stats()
    up = stack.run("up")
    assert up.ok, up.output
    assert up.ops == {ORDER: "create"}, up.output
    assert emu.stats().get(CREATE) == 1
    order_id = up.outputs["orderId"]
    assert [o["idNumberOrder"] for o in emu.orders()] == [order_id]
    assert up.outputs["state"] == "IN_REVIEW"
    (phone_number,) = up.outputs["phoneNumbers"]

    exported = stack.export()
    resources = exported["deployment"]["resources"]
    (order,) = [r for r in resources if r["type"] == "sinch:numbers:NumberOrder"]
    assert order["id"] == order_id
    for key in ("registration", "attachments"):
        assert is_ciphertext(order["inputs"][key]), key
        assert is_ciphertext(order["outputs"][key]), key
    assert is_ciphertext(order["outputs"]["registrationLogs"])
    # The canaries did reach the API: the search below would prove nothing otherwise.
    assert LAST_NAME in json.dumps(emu.orders())
    leaked = [c for c in canaries() if c in json.dumps(exported)]
    assert leaked == [], f"in pulumi stack export: {leaked}"

    emu.review(order_id, "approve")
    refreshed = stack.run("refresh")
    assert refreshed.ok, refreshed.output
    # The engine names a refreshed resource's step "same" when its inputs did not change,
    # whatever its outputs did (it says "2 unchanged" here): the state shows the change.
    assert set(refreshed.ops) == {ORDER}, refreshed.output
    (order,) = [
        r for r in stack.export()["deployment"]["resources"] if r["type"].endswith("NumberOrder")
    ]
    assert order["outputs"]["state"] == "COMPLETED"

    stack.set_config(plain={"servicePlanId": "plan-two"})
    emu.reset_stats()
    changed = stack.run("up")
    assert changed.ok, changed.output
    assert changed.ops == {ORDER: "update"}, changed.output
    assert CREATE not in emu.stats(), "a routing change orders nothing anew"
    assert emu.stats().get(PATCH_NUMBER) == 1
    assert active_number(emu, phone_number)["smsConfiguration"]["servicePlanId"] == "plan-two"
    assert changed.outputs["orderId"] == order_id

    emu.reset_stats()
    destroyed = stack.run("destroy")
    assert destroyed.ok, destroyed.output
    assert destroyed.ops == {ORDER: "delete"}, destroyed.output
    assert emu.stats().get(RELEASE) == 1
    assert len(emu.orders()) == 1

    leaked = [c for c in canaries() if c in "\n".join(stack.transcript)]
    assert leaked == [], f"in the commands' output: {leaked}"


def build_typescript(node_work: Path, destination: Path) -> list[str]:
    """The generated Node.js SDK compiled as a local package and the example compiled against
    it, both with the cache's typescript and @pulumi/pulumi; returns the runner's command.

    The SDK is built as its own generated package.json says (``tsc`` into ``bin/``), and its
    package.json is put beside the compiled code, where its utilities read their version from.
    Every package resolves @pulumi/pulumi to the one copy in the cache.
    """
    modules = node_work / "node_modules"
    tsc = [shutil.which("node") or "node", str(modules / "typescript" / "bin" / "tsc")]
    sdk = destination / "sdk"
    shutil.copytree(SDK / "nodejs", sdk, ignore=shutil.ignore_patterns("node_modules", "bin"))
    (sdk / "node_modules").symlink_to(modules, target_is_directory=True)
    _compile(tsc, sdk)
    shutil.copy2(sdk / "package.json", sdk / "bin" / "package.json")

    app = destination / "app"
    copy_sources(EXAMPLES / "typescript", app, "index.ts", "runner.ts", "tsconfig.json")
    (app / "node_modules" / "@sinch-numbers").mkdir(parents=True)
    for name in ("@pulumi", "@types"):
        (app / "node_modules" / name).symlink_to(modules / name, target_is_directory=True)
    (app / "node_modules" / "@sinch-numbers" / "pulumi-sinch").symlink_to(sdk / "bin")
    _compile(tsc, app)
    return [tsc[0], str(app / "bin" / "runner.js")]


def _compile(tsc: list[str], project: Path) -> None:
    done = subprocess.run(
        [*tsc, "-p", str(project)], capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise AssertionError(f"tsc -p {project} failed:\n{done.stdout}{done.stderr}")


def go_environment(caches: Path) -> dict[str, str]:
    """What tools/go-deps.sh prepared the caches with, and no network: every module the
    example needs is in the cache, or the build fails saying which is missing."""
    return {
        **os.environ,
        "GOMODCACHE": str(caches / "mod"),
        "GOCACHE": str(caches / "build"),
        "GOFLAGS": "-modcacherw -buildvcs=false",
        "CGO_ENABLED": "0",
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
    }


def build_go(caches: Path, destination: Path) -> list[str]:
    """The Go example built with the generated Go SDK (its go.mod's ``replace``); returns the
    runner's command. The build writes nothing into the repository."""
    binary = destination / "sinch-numbers-order"
    done = subprocess.run(
        [shutil.which("go") or "go", "build", "-o", str(binary), "."],
        cwd=EXAMPLES / "go",
        env=go_environment(caches),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise AssertionError(f"go build failed:\n{done.stdout}{done.stderr}")
    return [str(binary)]
