"""The Pulumi package schema (``sinch_numbers/plugin/schema.json``) says what the declarations
say: each property's name, type, description, default, secret and replace-on-change; the inputs
only Python programs have are left out; the provider's configuration is the settings table.
The committed file is what a fresh generation gives (``test_generated`` holds that for every
generated file; here a changed copy is shown to fail ``codegen --check``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers import __version__
from sinch_numbers.codegen import LOOKUPS, SCHEMAS, generated_files
from sinch_numbers.codegen.__main__ import main as codegen_main
from sinch_numbers.codegen.package import PACKAGE_SCHEMA, in_package, package_schema, token
from sinch_numbers.codegen.python import always_set
from sinch_numbers.configuration import SETTINGS
from sinch_numbers.core.schema import NO_DEFAULT, Kind, Property, ResourceSchema, pulumi_name
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties
from sinch_numbers.resources.number_order.schema import NumberOrderProperties

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return package_schema(SCHEMAS, LOOKUPS)


def _resource(spec: dict[str, Any], schema: ResourceSchema) -> dict[str, Any]:
    found: dict[str, Any] = spec["resources"][token(schema.name)]
    return found


def test_the_package_is_named_and_versioned_as_the_design_says(spec: dict[str, Any]) -> None:
    assert spec["name"] == "sinch"
    assert spec["version"] == __version__
    assert spec["license"] == "Apache-2.0"
    assert {"pulumi", "sinch"} <= set(spec["keywords"])
    assert any(k.startswith("category/") for k in spec["keywords"])
    assert set(spec["resources"]) == {
        "sinch:numbers:NumberOrder",
        "sinch:numbers:ActiveNumber",
        "sinch:numbers:NumberOrderCompletion",
    }
    assert set(spec["functions"]) == {
        "sinch:numbers:lookupRequirements",
        "sinch:numbers:findAvailableNumbers",
    }
    assert spec["language"]["python"]["packageName"] == "pulumi_sinch"
    assert spec["language"]["nodejs"]["packageName"] == "@sinch-numbers/pulumi-sinch"
    assert spec["language"]["go"]["importBasePath"] == (
        "github.com/sinch-numbers/sinch-numbers/sdk/go/sinch"
    )
    # Nothing may be downloaded: the plugin is installed with the wheel.
    assert "pluginDownloadURL" not in spec


def test_each_resource_has_the_declared_inputs_and_outputs(spec: dict[str, Any]) -> None:
    for schema in SCHEMAS:
        resource = _resource(spec, schema)
        shown = [p for p in schema if in_package(p)]
        inputs = [p.pulumi_name for p in shown if p.input]
        outputs = [p.pulumi_name for p in shown if p.output]
        assert list(resource["inputProperties"]) == inputs, schema.name
        assert list(resource["properties"]) == outputs, schema.name
        assert resource["requiredInputs"] == [
            p.pulumi_name for p in shown if p.input and p.required
        ]
        assert resource["required"] == [p.pulumi_name for p in shown if p.output and always_set(p)]


def test_hidden_and_program_only_inputs_are_left_out(spec: dict[str, Any]) -> None:
    order = _resource(spec, SCHEMAS[0])
    active = spec["resources"]["sinch:numbers:ActiveNumber"]
    left_out = {
        "sinch:numbers:NumberOrder": [
            NumberOrderProperties.declaration,
            NumberOrderProperties.wait_for_completion,
            NumberOrderProperties.completion_timeout,
        ],
        "sinch:numbers:ActiveNumber": [ActiveNumberProperties.number_order_id],
    }
    for resource, props in (
        (order, left_out["sinch:numbers:NumberOrder"]),
        (active, left_out["sinch:numbers:ActiveNumber"]),
    ):
        for prop in props:
            for part in ("inputProperties", "properties"):
                assert prop.pulumi_name not in resource[part], prop.name
                assert prop.name not in resource[part], prop.name
    # Left out by a trait of the declaration, not by name.
    assert NumberOrderProperties.wait_for_completion.program_only
    assert NumberOrderProperties.completion_timeout.program_only
    program_only = {p.name for s in SCHEMAS for p in s if p.program_only}
    assert program_only == {"wait_for_completion", "completion_timeout"}


def _each_property(spec: dict[str, Any]) -> list[tuple[Property, str, dict[str, Any]]]:
    found = []
    for schema in SCHEMAS:
        resource = _resource(spec, schema)
        for prop in schema:
            for part in ("inputProperties", "properties"):
                if prop.pulumi_name in resource[part]:
                    found.append((prop, part, resource[part][prop.pulumi_name]))
    return found


def test_secret_replace_on_change_and_defaults_are_where_declared(spec: dict[str, Any]) -> None:
    checked = _each_property(spec)
    assert len(checked) > 60
    for prop, part, shown in checked:
        where = f"{prop.name} ({part})"
        assert shown.get("secret", False) is prop.secret, where
        assert shown.get("replaceOnChanges", False) is prop.replace_on_change, where
        stored = prop.default is not NO_DEFAULT and prop.default_in_state
        if part == "inputProperties" and stored:
            assert shown["default"] == prop.default, where
        else:
            assert "default" not in shown, where
    secrets = {p.name for p, _, s in checked if s.get("secret")}
    assert {"registration", "attachments", "registration_logs", "progress"} <= secrets
    order = _resource(spec, SCHEMAS[0])
    assert order["inputProperties"]["regionCode"]["replaceOnChanges"] is True
    assert order["inputProperties"]["releaseOnDestroy"]["default"] is True
    active = spec["resources"]["sinch:numbers:ActiveNumber"]
    assert active["inputProperties"]["releaseOnDestroy"]["default"] is False
    assert active["inputProperties"]["phoneNumber"]["replaceOnChanges"] is True


def test_types_follow_the_kinds(spec: dict[str, Any]) -> None:
    order = _resource(spec, SCHEMAS[0])["inputProperties"]
    assert order["registration"] == {**order["registration"], "$ref": "pulumi.json#/Any"}
    assert order["attachments"]["items"] == {"$ref": "#/types/sinch:numbers:Attachment"}
    assert order["smsConfiguration"]["$ref"] == "#/types/sinch:numbers:SmsConfiguration"
    assert order["capabilities"]["items"] == {"type": "string"}
    assert order["quantity"]["type"] == "integer"
    attachment = spec["types"]["sinch:numbers:Attachment"]
    assert attachment["properties"]["file"]["$ref"] == "pulumi.json#/Asset"
    assert attachment["required"] == ["requirementId", "file"]
    progress = _resource(spec, SCHEMAS[0])["properties"]["progress"]
    assert progress["type"] == "object"
    assert progress["additionalProperties"] == {"$ref": "pulumi.json#/Any"}
    timeout = spec["resources"]["sinch:numbers:NumberOrderCompletion"]["inputProperties"]
    assert timeout["timeout"]["type"] == "number"


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        own = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        return own.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def test_every_reference_names_a_type_and_every_type_is_referenced(spec: dict[str, Any]) -> None:
    refs = _refs({k: spec[k] for k in ("resources", "functions", "types")})
    local = {r.removeprefix("#/types/") for r in refs if r.startswith("#/types/")}
    assert local == set(spec["types"])
    assert refs - {f"#/types/{t}" for t in local} <= {"pulumi.json#/Any", "pulumi.json#/Asset"}
    for name, shape in spec["types"].items():
        assert name.startswith("sinch:numbers:")
        assert shape["type"] == "object"
        for field in shape["properties"]:
            assert "_" not in field, f"{name}.{field} is not camelCase"


def test_names_and_the_names_descriptions_quote_are_camel_case(spec: dict[str, Any]) -> None:
    for prop, part, shown in _each_property(spec):
        assert prop.pulumi_name == pulumi_name(prop.name)
        assert "_" not in prop.pulumi_name, f"{prop.name} ({part})"
        for quoted in shown["description"].split("`")[1::2]:
            assert not any(w in quoted.split() for w in ("phone_number", "order_id")), quoted
    text = json.dumps(spec)
    # Python's own spellings stay in the Python program classes' docs.
    for python_only in ("AttachmentArgs", "SmsConfigurationArgs", "VoiceConfigurationArgs"):
        assert python_only not in text
    assert "`releaseOnDestroy`" in text
    assert "`release_on_destroy`" not in text


def test_the_functions_take_and_return_what_the_lookups_do(spec: dict[str, Any]) -> None:
    lookup = spec["functions"]["sinch:numbers:lookupRequirements"]
    assert list(lookup["inputs"]["properties"]) == ["regionCode", "numberType"]
    assert lookup["inputs"]["required"] == ["regionCode", "numberType"]
    assert list(lookup["outputs"]["properties"]) == [
        "regionCode",
        "numberType",
        "offered",
        "needsKyc",
        "attachments",
        "fields",
    ]
    requirement = spec["types"]["sinch:numbers:AttachmentRequirement"]["properties"]
    assert list(requirement) == [
        "id",
        "title",
        "description",
        "mandatory",
        "allowedMimeTypes",
        "allowedDocumentTypes",
    ]
    find = spec["functions"]["sinch:numbers:findAvailableNumbers"]
    assert list(find["inputs"]["properties"]) == [
        "regionCode",
        "numberType",
        "pattern",
        "searchPattern",
        "capabilities",
        "size",
    ]
    assert find["outputs"]["properties"]["numbers"]["items"] == {
        "$ref": "#/types/sinch:numbers:OfferedNumber"
    }
    offered = spec["types"]["sinch:numbers:OfferedNumber"]["properties"]
    assert offered["setupPrice"]["$ref"] == "#/types/sinch:numbers:Money"


def test_the_lookups_dataclasses_have_the_declared_fields() -> None:
    """The Python lookups' answers and the package functions' results are one shape."""
    import dataclasses

    from sinch_numbers.core import lookup_schema
    from sinch_numbers.lookups import AttachmentRequirement, OfferedNumber, Price, Requirements

    pairs = (
        (Requirements, lookup_schema.RequirementsFields),
        (AttachmentRequirement, lookup_schema.AttachmentRequirementFields),
        (OfferedNumber, lookup_schema.OfferedNumberFields),
    )
    for cls, fields in pairs:
        assert [f.name for f in dataclasses.fields(cls)] == list(fields.names()), cls.__name__
    money = next(t for f in LOOKUPS for t in f.types if t.name == "Money")
    assert [f.name for f in dataclasses.fields(Price)] == [p.name for p in money]


def test_the_configuration_is_the_settings_table(spec: dict[str, Any]) -> None:
    variables = spec["config"]["variables"]
    keyed = [s for s in SETTINGS if s.stack_key is not None]
    assert [f"sinch:{k}" for k in variables] == [s.stack_key for s in keyed]
    assert spec["provider"]["inputProperties"] == variables
    for setting in keyed:
        shown = variables[setting.stack_key.removeprefix("sinch:")]  # type: ignore[union-attr]
        assert shown.get("secret", False) is setting.secret
        assert setting.variable in shown["description"]
        # The provider falls back on the environment: a default the SDKs fill in would hide it.
        assert "default" not in shown
    assert variables["keySecret"]["secret"] is True
    assert variables["showCost"]["type"] == "boolean"
    assert variables["authMethod"]["type"] == "string"


def test_no_array_or_object_is_left_untyped(spec: dict[str, Any]) -> None:
    for prop, part, shown in _each_property(spec):
        if prop.kind is Kind.ARRAY:
            assert "items" in shown, f"{prop.name} ({part})"
        if prop.kind is Kind.OBJECT:
            assert "$ref" in shown or "additionalProperties" in shown, prop.name


def test_a_changed_copy_of_the_schema_fails_the_check(tmp_path: Path) -> None:
    """``codegen --check`` (``make lint``) fails on a schema.json that drifted from the
    declarations: a copy of the generated files passes, the same copy with one description
    edited does not."""
    for relative in generated_files(ROOT):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, tmp_path / relative)
    assert codegen_main(["--check", str(tmp_path)]) == 0
    copy = tmp_path / PACKAGE_SCHEMA
    edited = json.loads(copy.read_text(encoding="utf-8"))
    edited["resources"]["sinch:numbers:NumberOrder"]["description"] = "Edited by hand."
    copy.write_text(json.dumps(edited, indent=2) + "\n", encoding="utf-8")
    assert codegen_main(["--check", str(tmp_path)]) == 1
    assert json.loads(copy.read_text(encoding="utf-8")) == edited, "--check wrote the file"
    assert codegen_main([str(tmp_path)]) == 0
    assert copy.read_text(encoding="utf-8") == (ROOT / PACKAGE_SCHEMA).read_text(encoding="utf-8")
