"""Project folders for the provider plugin (`pulumi-resource-sinch`), run with the real CLI and the
real Python language host, as a user types the commands in the folder (tests/engine/folders.py).

The plugin is the console script the venv running the tests has (``pip install -e .`` puts it in
its bin folder, which :class:`~tests.engine.folders.Folder` puts on PATH): the engine finds it on
PATH, with no ``plugins:`` entry. The programs here declare the package's resources by token
(``pulumi.CustomResource("sinch:numbers:NumberOrder", ...)``), so what they test is the plugin
alone, not the generated SDK; tests/engine/test_python_sdk.py runs the SDK's own program.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

from sinch_numbers.testing.cli_events import from_export
from sinch_numbers.testing.values import Secret
from tests.engine.folders import ROOT, Folder
from tests.engine.programs import DOCUMENTS, au_registration

PLUGIN = "pulumi-resource-sinch"
ORDER = "sinch:numbers:NumberOrder"
COMPLETION = "sinch:numbers:NumberOrderCompletion"
ACTIVE_NUMBER = "sinch:numbers:ActiveNumber"
CANARY = "Canary-Q7f3a9"
"""A contact's last name no output, log or plain state may show: KYC data is secret."""

# One AU MOBILE order per `count` (config), with its registration (the contact's last name is the
# canary) and two documents; `completionTimeout` set adds a NumberOrderCompletion per order.
# Property names are the package schema's (camelCase); a None value names an output to read.
PROGRAM = textwrap.dedent(
    '''
    """Orders declared by the package's tokens, for the plugin's engine tests."""

    from pathlib import Path

    import pulumi

    config = pulumi.Config()
    documents = Path(__file__).parent / "documents"
    count = config.get_int("count") or 1
    plan = config.get("servicePlanId") or "plan-one"
    timeout = config.get_float("completionTimeout")
    registration = REGISTRATION
    OUTPUTS = ("orderId", "state", "phoneNumbers", "failedStep", "lastError")

    for index in range(count):
        name = "order" if count == 1 else f"order-{index:03d}"
        order = pulumi.CustomResource(
            "sinch:numbers:NumberOrder",
            name,
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "quantity": 1,
                "smsConfiguration": {"servicePlanId": plan},
                "registration": pulumi.Output.secret(registration),
                "attachments": pulumi.Output.secret(
                    [
                        {
                            "requirementId": "01jxn2251d0shhamtbykft2xzx",
                            "file": pulumi.FileAsset(str(documents / "proof-of-address.pdf")),
                        },
                        {
                            "requirementId": "01jxn22a7kq3m8v5t0w2r4y6zb",
                            "file": pulumi.FileAsset(str(documents / "identity-document.png")),
                            "documentType": "Passport",
                        },
                    ]
                ),
                **{key: None for key in OUTPUTS},
            },
        )
        if count == 1:
            pulumi.export("orderId", order.orderId)  # type: ignore[attr-defined]
        if timeout is not None:
            pulumi.CustomResource(
                "sinch:numbers:NumberOrderCompletion",
                f"{name}-completion",
                {
                    "orderId": order.orderId,  # type: ignore[attr-defined]
                    "timeout": timeout,
                    "state": None,
                },
            )
    '''
).replace("REGISTRATION", repr(au_registration(lastName=CANARY)))


def write_project(dest: Path, venv: Path, name: str = "sinch-package-test") -> Path:
    """A Python project folder at ``dest`` running :data:`PROGRAM` in ``venv``."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "Pulumi.yaml").write_text(
        f"name: {name}\n"
        "runtime:\n"
        "  name: python\n"
        "  options:\n"
        "    toolchain: pip\n"
        f"    virtualenv: {venv}\n"
    )
    (dest / "__main__.py").write_text(PROGRAM)
    shutil.copytree(DOCUMENTS, dest / "documents", dirs_exist_ok=True)
    return dest


PYTHON_EXAMPLE = "examples/package/python"


def copy_example(root: Path, venv: Path, relative: str = PYTHON_EXAMPLE) -> Path:
    """The example folder ``relative`` at the same place under ``root``, with ``root/.venv`` a
    link to ``venv``: its ``virtualenv`` option (relative, as in a developer's checkout) finds
    a ready environment and nothing is installed. The CLI writes its stack files in the copy."""
    dest = root / relative
    shutil.copytree(
        ROOT / relative, dest, ignore=shutil.ignore_patterns("Pulumi.*.yaml", "__pycache__")
    )
    if not (root / ".venv").exists():
        (root / ".venv").symlink_to(venv, target_is_directory=True)
    return dest


def exported(folder: Folder, *, show_secrets: bool = False) -> dict[str, Any]:
    """The CLI's own ``pulumi stack export`` (Automation API's shows secrets)."""
    args = ["stack", "export", *(["--show-secrets"] if show_secrets else [])]
    result: dict[str, Any] = json.loads(folder.ok(*args))
    return result


def resources(folder: Folder, type_: str = ORDER) -> list[dict[str, Any]]:
    """The stack's resources of ``type_`` as ``pulumi stack export --show-secrets`` has them."""
    deployment = exported(folder, show_secrets=True).get("deployment", {})
    return [r for r in deployment.get("resources") or [] if r.get("type") == type_]


def plain_value(value: Any) -> Any:
    """A value of an export with secrets shown, each secret replaced by its plaintext."""
    if isinstance(value, dict):
        if isinstance(secret := from_export(value), Secret):
            return plain_value(secret.value)
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    return value


def leaks(folder: Folder, *printed: str) -> list[str]:
    """Where the canary shows: the CLI's export (no ``--show-secrets``), every file of the
    backend, and each text given (the commands' output)."""
    found = []
    if CANARY in json.dumps(exported(folder)):
        found.append("pulumi stack export")
    for path in folder.backend.rglob("*"):
        if path.is_file() and CANARY.encode() in path.read_bytes():
            found.append(str(path))
    found += [f"output {i}" for i, text in enumerate(printed) if CANARY in text]
    return found
