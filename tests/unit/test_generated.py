"""What ``make generate`` writes is what the resources' declarations give: the typed surface of the
program classes and the docs' tables. A declaration changed without ``make generate`` fails here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sinch_numbers.codegen import SCHEMAS, generated_files
from sinch_numbers.codegen.docs import DOCS, inputs_table, outputs_table, render_doc
from sinch_numbers.codegen.python import GENERATED_MODULE, render_module
from sinch_numbers.core.schema import Kind, Property, ResourceSchema

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("relative", sorted(generated_files(ROOT)))
def test_the_committed_file_is_what_the_declarations_give(relative: str) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == generated_files(ROOT)[relative], f"{relative}: run `make generate`"


def test_a_changed_declaration_changes_the_module_and_the_tables() -> None:
    order = SCHEMAS[0]
    renamed = Property(Kind.STRING, "A new input.", replace_on_change=True)
    object.__setattr__(renamed, "name", "brand_new_input")
    changed = ResourceSchema(
        order.name, order.description, (*order.properties, renamed), order.types
    )
    module = render_module((changed, *SCHEMAS[1:]))
    assert module != render_module(SCHEMAS)
    assert "        brand_new_input: pulumi.Input[str] | None = None," in module
    assert "    brand_new_input: pulumi.Output[str | None]" in module
    page = (ROOT / DOCS[0]).read_text(encoding="utf-8")
    row = "| `brand_new_input` | string | \N{EN DASH} | **replace** | A new input. |"
    assert row in render_doc(page, (changed, *SCHEMAS[1:]))


def test_every_resource_has_its_tables_in_the_docs() -> None:
    pages = "".join((ROOT / d).read_text(encoding="utf-8") for d in DOCS)
    for schema in SCHEMAS:
        for part, table in (("inputs", inputs_table), ("outputs", outputs_table)):
            marker = f"<!-- generated from the schema: {schema.name} {part} -->\n"
            assert pages.count(marker) == 1, marker
            assert marker + table(schema) + "<!-- end -->" in pages


def test_each_input_and_output_is_documented_once_per_table() -> None:
    for schema in SCHEMAS:
        inputs = inputs_table(schema)
        outputs = outputs_table(schema)
        for prop in schema:
            row = f"| `{prop.name}` |"
            shown = (inputs.count(row), outputs.count(row))
            if prop.hidden and not prop.output:
                assert shown == (0, 0), prop.name
            elif prop.input and not prop.hidden:
                assert shown == (1, 0), prop.name
            else:
                assert shown == (0, 1), prop.name


def test_the_generated_args_match_the_declarations() -> None:
    from sinch_numbers.generated import resources

    for schema in SCHEMAS:
        args = getattr(resources, f"{schema.name}Args")
        fields = {f.name: f for f in dataclasses.fields(args)}
        assert list(fields) == [p.name for p in schema if p.input and not p.hidden]
        for prop in schema:
            if prop.name in fields:
                no_default = fields[prop.name].default is dataclasses.MISSING
                assert no_default == prop.required, prop.name


def test_the_module_is_written_where_the_package_imports_it() -> None:
    assert (ROOT / GENERATED_MODULE).is_file()
    assert GENERATED_MODULE == "sinch_numbers/generated/resources.py"
