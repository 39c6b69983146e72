"""The committed SDKs under ``sdk/`` are of the committed schema: same version, every resource,
function and input property there in each language. A cheap guard in the unit tier; the
engine tier (tests/engine/test_package_sdk.py) regenerates them and compares byte for byte."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers import __version__
from sinch_numbers.codegen.package import PACKAGE_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
SDK = ROOT / "sdk"
SCHEMA: dict[str, Any] = json.loads((ROOT / PACKAGE_SCHEMA).read_text(encoding="utf-8"))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _member(token: str) -> str:
    return token.rsplit(":", 1)[1]


def test_each_sdk_has_the_schemas_name_and_version() -> None:
    plugin = json.loads((SDK / "python/pulumi_sinch/pulumi-plugin.json").read_text())
    assert plugin == {"resource": True, "name": "sinch", "version": __version__}
    pyproject = tomllib.loads((SDK / "python/pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "pulumi_sinch"
    assert pyproject["project"]["version"] == __version__
    package = json.loads((SDK / "nodejs/package.json").read_text())
    assert package["name"] == "@sinch-numbers/pulumi-sinch"
    assert package["version"] == __version__
    assert package["pulumi"] == {"resource": True, "name": "sinch", "version": __version__}
    go_plugin = json.loads((SDK / "go/sinch/pulumi-plugin.json").read_text())
    assert go_plugin["version"] == __version__
    go_mod = (SDK / "go/go.mod").read_text()
    assert go_mod.startswith("module github.com/sinch-numbers/sinch-numbers/sdk/go\n")
    assert "github.com/pulumi/pulumi/sdk/v3 v3.276.0" in go_mod
    assert (SDK / "go/go.sum").is_file()


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_each_resource_and_its_inputs_are_in_every_sdk(token: str) -> None:
    name = _member(token)
    python = (SDK / f"python/pulumi_sinch/numbers/{_snake(name)}.py").read_text()
    nodejs = (SDK / f"nodejs/numbers/{_camel(name)}.ts").read_text()
    go = (SDK / f"go/sinch/numbers/{_camel(name)}.go").read_text()
    for text in (python, nodejs, go):
        assert f"{token}" in text
    for prop in SCHEMA["resources"][token]["inputProperties"]:
        assert f"{_snake(prop)}: " in python, (token, prop)
        assert f"{prop}?: " in nodejs or f"{prop}: " in nodejs, (token, prop)
        assert f'`pulumi:"{prop}"`' in go, (token, prop)
    # What the package leaves out is in no SDK (the Python program class still has it).
    for left_out in ("wait_for_completion", "waitForCompletion", "completionTimeout"):
        assert left_out not in python + nodejs + go


@pytest.mark.parametrize("token", sorted(SCHEMA["functions"]))
def test_each_function_and_its_inputs_are_in_every_sdk(token: str) -> None:
    name = _member(token)
    python = (SDK / f"python/pulumi_sinch/numbers/{_snake(name)}.py").read_text()
    nodejs = (SDK / f"nodejs/numbers/{name}.ts").read_text()
    go = (SDK / f"go/sinch/numbers/{name}.go").read_text()
    for text in (python, nodejs, go):
        assert f"{token}" in text
    for prop in SCHEMA["functions"][token]["inputs"]["properties"]:
        assert f"{_snake(prop)}: " in python, (token, prop)
        assert f"{prop}?: " in nodejs or f"{prop}: " in nodejs, (token, prop)
        assert f'`pulumi:"{prop}"`' in go, (token, prop)


def test_each_object_type_is_in_every_sdk() -> None:
    python = (SDK / "python/pulumi_sinch/numbers/outputs.py").read_text()
    nodejs = (SDK / "nodejs/types/output.ts").read_text()
    go = (SDK / "go/sinch/numbers/pulumiTypes.go").read_text()
    for token in SCHEMA["types"]:
        name = _member(token)
        assert f"class {name}(dict)" in python, name
        assert f"export interface {name} " in nodejs, name
        assert f"type {name} struct" in go, name


def test_the_python_sdk_is_installed_from_the_checkout() -> None:
    import pulumi_sinch

    assert Path(pulumi_sinch.__file__).resolve().is_relative_to(SDK / "python")
    assert pulumi_sinch.numbers.NumberOrder is not None
