"""What ``make generate`` derives from the resources' declarations (``resources/*/schema.py``).

- :mod:`sinch_numbers.codegen.python` renders the typed surface of the program classes,
  ``sinch_numbers/generated/resources.py``: the ``Args`` dataclasses, the constructors' typed
  keywords and the output attributes, as Pulumi's generated SDKs have them.
- :mod:`sinch_numbers.codegen.docs` renders the docs' tables of inputs and outputs between
  marker comments in ``docs/*.md``.
- :mod:`sinch_numbers.codegen.package` renders the Pulumi package schema the provider plugin
  serves, ``sinch_numbers/plugin/schema.json``, from these and the lookups' declarations
  (:mod:`sinch_numbers.core.lookup_schema`) and the settings table; the SDKs under ``sdk/`` are
  generated from that file (``make sdk``).

``python -m sinch_numbers.codegen`` writes them all; ``--check`` only says what differs (a test does
the same, so a declaration changed without ``make generate`` fails the suite). Nothing here imports
Pulumi: the generated module does.
"""

from __future__ import annotations

from pathlib import Path

from sinch_numbers.core.lookup_schema import FUNCTIONS
from sinch_numbers.core.schema import FunctionSchema, ResourceSchema
from sinch_numbers.resources.active_number.schema import SCHEMA as ACTIVE_NUMBER
from sinch_numbers.resources.number_order.schema import SCHEMA as NUMBER_ORDER
from sinch_numbers.resources.number_order_completion.schema import SCHEMA as COMPLETION

SCHEMAS: tuple[ResourceSchema, ...] = (NUMBER_ORDER, COMPLETION, ACTIVE_NUMBER)
"""Every resource a program declares, in the order the generated module lists them."""
LOOKUPS: tuple[FunctionSchema, ...] = FUNCTIONS
"""Every lookup, as the package's functions."""


def generated_files(root: Path) -> dict[str, str]:
    """Each generated file's path under the repository ``root`` and the text the declarations
    give it (a doc is its current text with the tables between its markers rendered again)."""
    from sinch_numbers.codegen.docs import DOCS, render_doc
    from sinch_numbers.codegen.package import PACKAGE_SCHEMA, render_package_schema
    from sinch_numbers.codegen.python import GENERATED_MODULE, render_module

    files = {
        GENERATED_MODULE: render_module(SCHEMAS),
        PACKAGE_SCHEMA: render_package_schema(SCHEMAS, LOOKUPS),
    }
    for relative in DOCS:
        files[relative] = render_doc((root / relative).read_text(encoding="utf-8"), SCHEMAS)
    return files
