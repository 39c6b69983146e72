"""What `pulumi new` makes of templates/sinch-numbers-python, for a CLI that cannot run it.

`pulumi new` (Pulumi 3.276, pkg/cmd/pulumi/newcmd/new.go and sdk/go/common/workspace/templates.go)
copies every file of the template, replacing ``${PROJECT}`` and ``${DESCRIPTION}`` in each, then
saves Pulumi.yaml with the name and description and without its ``template:`` section, and
finally sets each ``template.config`` value (its default with ``--yes``) as stack config, secret
where the template says so. This helper does the same, so that the test can run the stack it
would have made.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from sinch_numbers.testing import Secret
from tests.docs.blocks import ROOT

TEMPLATE = ROOT / "templates" / "sinch-numbers-python"


def template_config(template: Path = TEMPLATE) -> dict[str, Any]:
    """The stack config `pulumi new --yes` sets: every default, secret ones as Secret."""
    project = yaml.safe_load((template / "Pulumi.yaml").read_text(encoding="utf-8"))
    config: dict[str, Any] = {}
    for key, spec in project["template"]["config"].items():
        value = str(spec["default"])
        config[key] = Secret(value) if spec.get("secret") else value
    return config


def render(dest: Path, name: str, description: str = "", template: Path = TEMPLATE) -> Path:
    """The project folder `pulumi new TEMPLATE --dir DEST --name NAME --yes` writes."""
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("__pycache__"))
    for path in dest.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            replaced = content.replace(b"${PROJECT}", name.encode()).replace(
                b"${DESCRIPTION}", description.encode()
            )
            if replaced != content:
                path.write_bytes(replaced)
    project_file = dest / "Pulumi.yaml"
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    project.pop("template")
    project["name"] = name
    project["description"] = description
    project_file.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    return dest
