"""The YAML program the docs show is the one CI runs (tests/engine/test_yaml.py runs
examples/package/yaml): docs/languages/yaml.md shows the file whole, and docs/operator.md's
`Program` manifest holds the same program."""

from __future__ import annotations

from typing import Any

import yaml

from sinch_numbers.configuration import SETTINGS
from tests.docs.blocks import ROOT, Block, extract

EXAMPLE = ROOT / "examples" / "package" / "yaml" / "Pulumi.yaml"
LANGUAGE_PAGE = ROOT / "docs" / "languages" / "yaml.md"
OPERATOR_PAGE = ROOT / "docs" / "operator.md"
# What a Program's `program:` holds of a project file (the operator writes the project's name from
# the Program's name, and `runtime: yaml`).
PROGRAM_KEYS = ("configuration", "variables", "resources", "outputs")


def _yaml_blocks(path: Any) -> list[Block]:
    return [block for block in extract(path) if block.lang == "yaml"]


def test_the_language_page_shows_the_example_whole() -> None:
    shown = [block.text for block in _yaml_blocks(LANGUAGE_PAGE)]
    assert EXAMPLE.read_text() in shown


def _manifest() -> list[dict[str, Any]]:
    (block,) = [b for b in _yaml_blocks(OPERATOR_PAGE) if "operator-manifest" in b.directive]
    return [document for document in yaml.safe_load_all(block.text) if document]


def test_the_operator_program_is_the_example() -> None:
    example = yaml.safe_load(EXAMPLE.read_text())
    (program,) = [d for d in _manifest() if d["kind"] == "Program"]
    assert program["apiVersion"] == "pulumi.com/v1"
    assert program["metadata"]["name"] == example["name"], "the project's name"
    assert set(program["program"]) <= set(PROGRAM_KEYS)
    for key in PROGRAM_KEYS:
        assert program["program"].get(key) == example.get(key), key
    assert set(example) - set(PROGRAM_KEYS) <= {"name", "description", "runtime"}


def test_the_operator_stack_runs_that_program_as_the_page_says() -> None:
    documents = _manifest()
    (program,) = [d for d in documents if d["kind"] == "Program"]
    (stack,) = [d for d in documents if d["kind"] == "Stack"]
    spec = stack["spec"]
    assert spec["programRef"]["name"] == program["metadata"]["name"]
    assert spec["refresh"] is True
    assert spec["runProgram"] is True
    assert spec["continueResyncOnCommitMatch"] is True
    workspace = stack["spec"]["workspaceTemplate"]["spec"]
    secrets = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Secret"}
    (credentials,) = [s["secretRef"]["name"] for s in workspace["envFrom"]]
    required = {setting.variable for setting in SETTINGS if setting.required}
    assert set(secrets[credentials]["stringData"]) == required
    env = {e["name"]: e["value"] for e in workspace["env"]}
    (container,) = workspace["podTemplate"]["spec"]["containers"]
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in workspace["podTemplate"]["spec"]["volumes"]}
    state = volumes[mounts[env["SINCH_NUMBERS_STATE_DIR"]]]
    claims = {d["metadata"]["name"] for d in documents if d["kind"] == "PersistentVolumeClaim"}
    assert state["persistentVolumeClaim"]["claimName"] in claims
    documents_dir = volumes[mounts[spec["config"]["documentsDir"]]]
    assert documents_dir["secret"]["secretName"] in secrets
