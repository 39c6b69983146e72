"""The declarations of NumberOrder and NumberOrderCompletion: what is derived from them, and that
the code names each property through them rather than with a string of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sinch_numbers.core import schema as declaring
from sinch_numbers.core.common_properties import HomeProperties, RoutingProperties
from sinch_numbers.core.schema import Group, Kind, Property
from sinch_numbers.resources.number_order.schema import SCHEMA as ORDER
from sinch_numbers.resources.number_order.schema import NumberOrderProperties
from sinch_numbers.resources.number_order_completion.schema import SCHEMA as COMPLETION

PACKAGE = Path(__file__).resolve().parents[2] / "sinch_numbers"

# The modules that hold the order's and the completion's logic, and the shared core they use:
# none of them may spell a property's name (the declarations do). Other modules are checked
# once their resource is declared the same way.
NAMED_THROUGH_THE_DECLARATION = (
    "resources/number_order",
    "resources/number_order_completion",
    "core/checking.py",
    "core/routing.py",
    "core/home.py",
    "core/common_properties.py",
    "provider.py",
    "completion.py",
    "lookups.py",
)
DECLARING = {
    "resources/number_order/schema.py",
    "resources/number_order_completion/schema.py",
    "core/common_properties.py",
}
COINCIDENCES = {
    # The workflow's steps are persisted names of their own (``completed_steps``), not properties.
    ("resources/number_order/workflow.py", "registration"),
    ("resources/number_order/workflow.py", "attachments"),
}


def test_every_property_has_its_traits_once() -> None:
    assert ORDER.replace_on_change == ORDER.group(Group.IDENTITY)[:-1]
    assert ORDER.group(Group.IDENTITY)[-1] == NumberOrderProperties.adopt_order_id.name
    assert set(ORDER.secret) == {
        "registration",
        "attachments",
        "registration_logs",
        "last_error_detail",
        "progress",
    }
    assert ORDER.stored_defaults == {"wait_for_completion": False, "release_on_destroy": True}
    assert ORDER.defaults["completion_timeout"] == 3600.0
    assert "declaration" in ORDER.inputs
    assert "declaration" not in ORDER.echoed_inputs
    assert not set(ORDER.echoed_inputs) & set(ORDER.computed_outputs)
    assert COMPLETION.inputs == ("order_id", "timeout")
    assert COMPLETION.computed_outputs == ("state", "phone_numbers", "active_numbers")
    assert COMPLETION.replace_on_change == ("order_id",)


def test_shared_properties_are_declared_once_and_keep_their_place() -> None:
    assert NumberOrderProperties.sms_configuration is RoutingProperties.sms_configuration
    assert NumberOrderProperties.project_id is HomeProperties.project_id
    names = [p.name for p in ORDER]
    assert names[:3] == ["region_code", "number_type", "phone_number"]
    assert names.index("callback_url") == names.index("capabilities") + 3
    assert names[-2:] == ["project_id", "numbers_url"]


def test_a_property_listed_again_under_another_name_is_refused() -> None:
    with pytest.raises((TypeError, RuntimeError)):

        class Renamed(RoutingProperties):
            another = RoutingProperties.callback_url


def test_object_types_are_declared_and_resolved() -> None:
    for schema in (ORDER, COMPLETION):
        named = {p.items for p in schema} | {p.object_type for p in schema}
        named -= {None, *(k.value for k in Kind)}
        assert named <= {t.name for t in schema.types}
    attachment = ORDER.type("Attachment")
    assert [f.name for f in attachment if f.input] == ["requirement_id", "file", "document_type"]

    class ThingFields(declaring.Properties):
        """A thing."""

        size = declaring.computed(Kind.INTEGER, "How big.")

    thing = declaring.ObjectType.of(ThingFields)
    assert (thing.name, thing.description) == ("Thing", "A thing.")
    with pytest.raises(ValueError, match="undeclared type Other"):
        declaring.ResourceSchema("R", "r", (Property(Kind.OBJECT, "x", object_type="Other"),))


def test_the_unknown_input_rule_comes_from_the_declaration() -> None:
    assert ORDER.unknown_inputs(
        {"region_code": 1, "colour": 2, "__provider": 3}, ignored=("__provider",)
    ) == ["colour"]
    assert ORDER.unknown_input_rule() == "is not an input of NumberOrder"


def _modules() -> list[Path]:
    found: list[Path] = []
    for place in NAMED_THROUGH_THE_DECLARATION:
        path = PACKAGE / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [p for p in found if str(p.relative_to(PACKAGE)) not in DECLARING]


def _spelt_names(path: Path, names: set[str]) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in names
        and id(node) not in docstrings
    ]


def test_the_code_names_each_property_through_its_declaration() -> None:
    names = {p.name for p in ORDER} | {p.name for p in COMPLETION}
    spelt = [
        f"{path.relative_to(PACKAGE)}:{line}: {name!r}"
        for path in _modules()
        for line, name in _spelt_names(path, names)
        if (str(path.relative_to(PACKAGE)), name) not in COINCIDENCES
    ]
    assert not spelt, "name these through the declaration (Properties.x.name):\n" + "\n".join(spelt)
