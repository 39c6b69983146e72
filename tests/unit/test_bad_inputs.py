"""Every case of the bad-inputs table (tests/unit/bad_inputs.py), in process.

A case spoils a valid AU MOBILE order built from the emulator's catalog (its sample registration
and a document per mandatory requirement); the inputs go through the engine's wire form (numbers
as floats, as the plugin receives them), then the input rules, then, when those pass, the KYC
rules of the pair's requirements as the lookup returns them. Each case must fail naming its
property and rule, never repeat the bad value, and send nothing but the requirements lookup.
tests/reliability/test_reliability_inputs.py sends one case per family through the real plugin.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.api import SinchNumbersClient
from sinch_numbers.api.errors import NotFoundError
from sinch_numbers.emulator.requirements_catalog import requirements_for
from sinch_numbers.resources.number_order.check import kyc_violations
from sinch_numbers.resources.number_order.inputs import check_inputs
from sinch_numbers.testing.values import from_struct, to_struct
from tests.unit.bad_inputs import CASES, KYC, Bad, make_bad_files, valid_order
from tests.unit.conftest import FakeSinch, api_error, recording_log, reply

LOOKUP = "numberOrders:lookupNumberRequirements"


@pytest.fixture
def serve_requirements(fake: FakeSinch) -> Callable[[str, str], None]:
    """The lookup answers as the emulator does: the catalog's requirements, or 404 without."""

    def serve(region: str, number_type: str) -> None:
        found = requirements_for(region, number_type)
        if found is None:
            fake.on("POST", LOOKUP, api_error(404, "NOT_FOUND", "no requirements"))
        else:
            fake.on("POST", LOOKUP, reply(200, found.wire()))

    return serve


def check(
    props: dict[str, Any], client: SinchNumbersClient, serve: Callable[[str, str], None]
) -> list[tuple[str, str]]:
    """What the provider's check finds, in process: the input rules, then the pair's KYC rules."""
    struct = to_struct(props, keep_secrets=False, keep_unknowns=False, elide_assets=False)
    wire = from_struct(struct)
    checked = check_inputs(wire)
    failures = [(f.field, f.rule) for f in checked.failures]
    if failures or checked.parsed is None:
        return failures
    serve(checked.parsed.region_code, checked.parsed.number_type.value)
    try:
        requirements = client.lookup_number_requirements(
            checked.parsed.region_code, checked.parsed.number_type
        )
    except NotFoundError:
        requirements = None
    log, _lines = recording_log()
    return kyc_violations(checked.parsed, requirements, log)


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 50
    assert len(KYC) >= 15
    assert len({c.name for c in CASES}) == len(CASES)


def test_the_valid_order_passes(
    client: SinchNumbersClient,
    serve_requirements: Callable[[str, str], None],
    tmp_path: Path,
    fake: FakeSinch,
) -> None:
    assert check(valid_order(tmp_path / "kyc"), client, serve_requirements) == []
    assert [request.url.path.rsplit("/", 1)[-1] for request in fake.api_requests] == [LOOKUP]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return make_bad_files(tmp_path_factory.mktemp("bad-files"))


@pytest.fixture(scope="module")
def valid_props(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return valid_order(tmp_path_factory.mktemp("kyc"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_a_check_failure_naming_property_and_rule(
    client: SinchNumbersClient,
    serve_requirements: Callable[[str, str], None],
    fake: FakeSinch,
    valid_props: dict[str, Any],
    bad_files: dict[str, str],
    case: Bad,
) -> None:
    props = copy.deepcopy(valid_props)
    case.spoil(props, bad_files)
    failures = check(props, client, serve_requirements)
    case.assert_refused(failures)
    # Nothing is ordered: at most the requirements lookup was sent.
    sent = {request.url.path.rsplit("/", 1)[-1] for request in fake.api_requests}
    assert sent <= {LOOKUP}, sent
