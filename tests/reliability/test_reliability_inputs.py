"""Bad inputs through the real plugin's Check, and random inputs that must never make check raise.

Each case names the property and a fragment of the rule the failure must state; the failure must
never repeat the bad value (check failures are printed by the engine, in CI logs), and no order
may be created. KYC cases are validated against the emulator's requirements, as `pulumi preview`
does when credentials are configured.

The table of cases (tests/unit/bad_inputs.py) runs case by case in process, in
tests/unit/test_bad_inputs.py; here one case of each family goes through the plugin, which
proves the wiring: the engine's wire form, the lookup against the emulator, and a file check
that must not hang the plugin.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinch_numbers.provider import NumberOrderProvider
from sinch_numbers.resource import _plain
from sinch_numbers.resources.number_order.inputs import ALL_INPUTS
from sinch_numbers.testing import DynamicProviderPlugin, dynamic_type, make_urn, provider_property
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.reliability.support import (
    CREATE,
    FAST_ENV,
    ROOT,
    Kyc,
    make_kyc,
    order_inputs,
)
from tests.unit.bad_inputs import (
    AU_IDENTITY,
    AU_PROOF,
    CASES,
    Bad,
    make_bad_files,
)

# One case per family through the plugin: an input rule (its value never echoed), a file that
# must be refused unopened (a FIFO would hang the plugin), a KYC rule of the emulator's
# requirements, and a pair the API has no requirements for (the lookup's 404).
THROUGH_THE_PLUGIN = (
    "region name",
    "file is a named pipe",
    "sender not E.164",
    "documents for a pair without KYC",
)


def test_each_family_has_its_case_through_the_plugin() -> None:
    assert set(THROUGH_THE_PLUGIN) <= {case.name for case in CASES}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return make_bad_files(tmp_path_factory.mktemp("bad-files"))


@pytest.fixture(scope="module")
def check_plugin(emulator: EmulatorProcess) -> Iterator[DynamicProviderPlugin]:
    """One plugin for the whole table: Check is stateless, and configure() runs once anyway."""
    emulator.reset()
    emulator.clear_faults()
    with DynamicProviderPlugin(ROOT, config=emulator.stack_config(), env=FAST_ENV) as plugin:
        yield plugin


@pytest.fixture(scope="module")
def valid_props(emulator: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory) -> Any:
    kyc: Kyc = make_kyc(emulator, "AU", "MOBILE", tmp_path_factory.mktemp("kyc"))
    return _plain(
        order_inputs(kyc, "AU", "MOBILE", sms_configuration={"service_plan_id": "plan-one"})
    )


URN = make_urn("sinch-numbers", "test", dynamic_type("sinch", "NumberOrder"), "bad")


def test_the_valid_order_passes_check(
    check_plugin: DynamicProviderPlugin, valid_props: dict[str, Any]
) -> None:
    news = {**valid_props, "__provider": provider_property(NumberOrderProvider())}
    assert check_plugin.check(URN, {}, news).failures == []


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.name in THROUGH_THE_PLUGIN],
    ids=lambda case: case.name,
)
def test_bad_input_is_a_check_failure_naming_property_and_rule(
    check_plugin: DynamicProviderPlugin,
    valid_props: dict[str, Any],
    bad_files: dict[str, str],
    emulator: EmulatorProcess,
    case: Bad,
) -> None:
    props = copy.deepcopy(valid_props)
    case.spoil(props, bad_files)
    news = {**props, "__provider": provider_property(NumberOrderProvider())}
    failures = check_plugin.check(URN, {}, news).failures
    case.assert_refused(failures)
    assert CREATE not in emulator.stats()
    assert emulator.orders() == []


# --- random inputs ------------------------------------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["AU", "MOBILE", "+61412000123", "SMS", "RTC", "https://x.example", ""])
)
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_attachment = st.fixed_dictionaries(
    {},
    optional={
        "requirement_id": st.sampled_from([AU_PROOF, AU_IDENTITY, "x", ""]) | _scalars,
        "file": st.sampled_from(["", ".", "/", "/etc", "README.md", "\0", "a" * 300]) | _json,
        "document_type": _scalars,
    },
)
_props = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(ALL_INPUTS, _json),
        "region_code": st.sampled_from(["AU", "US", "au", "XX", ""]) | _json,
        "number_type": st.sampled_from(["MOBILE", "LOCAL", "TOLL_FREE", "mobile"]) | _json,
        "quantity": st.integers(min_value=-5, max_value=200) | _json,
        "attachments": st.lists(_attachment, max_size=3) | _json,
    },
).flatmap(
    lambda props: st.dictionaries(st.text(min_size=1, max_size=12), _json, max_size=2).map(
        lambda extra: {**extra, **props}
    )
)

RANDOM_EXAMPLES = 400


def test_random_inputs_never_make_check_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    # Offline only: credentials from the caller's environment must not send lookups anywhere.
    for name in list(os.environ):
        if name.startswith("SINCH_"):
            monkeypatch.delenv(name)

    @settings(
        max_examples=RANDOM_EXAMPLES,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(props=_props)
    def run(props: dict[str, Any]) -> None:
        result = NumberOrderProvider().check({}, props)
        for failure in result.failures:
            assert isinstance(failure.property, str)
            assert failure.reason

    run()


_registration = st.lists(_json, max_size=4) | _json


@pytest.fixture(scope="module")
def configured_env(emulator: EmulatorProcess) -> Iterator[None]:
    """SINCH_* for the in-process provider, so check validates KYC against the requirements."""
    saved = {k: os.environ.get(k) for k in emulator.env()}
    os.environ.update(emulator.env())
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


KYC_EXAMPLES = 200


def test_random_registrations_never_make_kyc_check_raise(
    configured_env: None, valid_props: dict[str, Any]
) -> None:
    provider = NumberOrderProvider()

    @settings(
        max_examples=KYC_EXAMPLES,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(registration=_registration, attachments=st.lists(_attachment, max_size=3))
    def run(registration: Any, attachments: list[dict[str, Any]]) -> None:
        props = {**valid_props, "registration": registration}
        if attachments:
            props["attachments"] = valid_props["attachments"] + attachments
        provider.check({}, props)

    run()


PLUGIN_EXAMPLES = 12


def test_random_inputs_through_the_plugin(
    check_plugin: DynamicProviderPlugin, emulator: EmulatorProcess
) -> None:
    provider = provider_property(NumberOrderProvider())

    @settings(
        max_examples=PLUGIN_EXAMPLES,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(props=_props)
    def run(props: dict[str, Any]) -> None:
        # Struct keys are strings and cannot hold NaN/inf in JSON form; the engine sends what
        # protobuf carries, which the plugin must take without a crash either way.
        check_plugin.check(URN, {}, {**props, "__provider": provider})

    run()
    assert check_plugin.running
    assert CREATE not in emulator.stats()
