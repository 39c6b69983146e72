"""tools/call_path.py ranks the layers as tests/unit/test_layers.py lets them import: a module
never imports a layer the measure ranks above it, so a call the measure counts as a climb is one
no import could have made."""

from __future__ import annotations

import pytest

from tests.unit.test_layers import LEAVES, MAY_IMPORT
from tools.call_path import LAYER_OF_PART, RANK, layer_of


@pytest.mark.parametrize("part", sorted(LAYER_OF_PART))
def test_no_ranked_layer_may_import_one_ranked_above_it(part: str) -> None:
    own = RANK[LAYER_OF_PART[part]]
    for imported in MAY_IMPORT[part] | LEAVES:
        if imported in LAYER_OF_PART:
            assert RANK[LAYER_OF_PART[imported]] <= own, f"{part} may import {imported}"


def test_a_module_s_layer_is_its_first_path_part() -> None:
    assert layer_of("core/log.py") == "core"
    assert layer_of("errors.py") == layer_of("configuration.py") == "leaves"
    assert layer_of("resources/number_order/create.py") == "resources"
    assert layer_of("provider.py") == layer_of("active_number.py") == "hooks"
    assert layer_of("resource.py") == "resource"
