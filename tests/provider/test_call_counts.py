"""Exact API call counts through the real plugin: the round trips an order costs, as guards.

Time is what users feel, but on a shared machine it is noise; the number of requests per order is
exact and is what the time is made of (see ``benchmarks/`` and docs/performance.md). Each test
starts its own plugin process, as the CLI does per command, so the token and requirements caches
start cold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.provider import SECRET_OUTPUTS, NumberOrderProvider
from sinch_numbers.resources.number_order.inputs import DECLARATION_INPUT
from sinch_numbers.testing import (
    DynamicProviderPlugin,
    EngineSimulator,
    Op,
    ResourceSpec,
    ResourceState,
    Secret,
    dynamic_type,
    make_urn,
    provider_property,
)
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.conftest import ROOT

SEARCH = "GET /v1/projects/{projectId}/availableNumbers"
TOKEN = "POST /oauth2/token"
LOOKUP = "POST /v1/projects/{projectId}/numberOrders:lookupNumberRequirements"
CREATE = "POST /v1/projects/{projectId}/numberOrders:createNumberOrder"
REGISTRATION = "PUT /v1/projects/{projectId}/numberOrders/{numberOrderId}/registration"
UPLOAD = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
SUBMIT = "POST /v1/projects/{projectId}/numberOrders/{numberOrderId}/submit"

TYPE = dynamic_type("sinch", "NumberOrder")
PAIRS = [("AU", "LOCAL"), ("SE", "TOLL_FREE"), ("DE", "LOCAL")]


class Orders:
    """Valid inputs per region/type pair, from the emulator's own samples."""

    def __init__(self, emu: EmulatorProcess, directory: Path) -> None:
        self._emu = emu
        self._directory = directory
        self._inputs: dict[tuple[str, str], dict[str, Any]] = {}

    def inputs(self, region_code: str, number_type: str) -> dict[str, Any]:
        key = (region_code, number_type)
        if key not in self._inputs:
            sample = self._emu.sample(region_code, number_type)
            attachments = []
            for item in sample.attachments:
                if not item.mandatory:
                    continue
                path = self._directory / f"{region_code}-{number_type}-{item.requirement_id}"
                path.write_bytes(item.content)
                attachment = {"requirement_id": item.requirement_id, "file": str(path)}
                if item.document_type:
                    attachment["document_type"] = item.document_type
                attachments.append(attachment)
            self._inputs[key] = {
                "region_code": region_code,
                "number_type": number_type,
                "quantity": 1,
                "registration": Secret(sample.registration),
                "attachments": Secret(attachments),
            }
        return dict(self._inputs[key])

    def documents(self, region_code: str, number_type: str) -> int:
        attachments = self.inputs(region_code, number_type)["attachments"]
        return len(attachments.value)

    def with_provider(self, region_code: str, number_type: str) -> dict[str, Any]:
        return {
            **self.inputs(region_code, number_type),
            "__provider": provider_property(NumberOrderProvider()),
        }

    def spec(self, name: str, region_code: str, number_type: str) -> ResourceSpec:
        return ResourceSpec(
            name,
            {**self.inputs(region_code, number_type), DECLARATION_INPUT: name},
            provider=NumberOrderProvider(),
            type=TYPE,
            additional_secret_outputs=list(SECRET_OUTPUTS),
        )


@pytest.fixture
def orders(emu: EmulatorProcess, tmp_path: Path) -> Orders:
    return Orders(emu, tmp_path)


@pytest.fixture
def plugin(emu: EmulatorProcess) -> Iterator[DynamicProviderPlugin]:
    with DynamicProviderPlugin(ROOT, config=emu.stack_config()) as started:
        yield started


def urn(plugin: DynamicProviderPlugin, name: str) -> str:
    return make_urn(plugin.project, plugin.stack, TYPE, name)


def order_through(plugin: DynamicProviderPlugin, name: str, news: dict[str, Any]) -> None:
    """What the engine does for a new resource in `up`: Check, then Create (with the
    declaration NumberOrder passes, so that orders of identical inputs are told apart)."""
    news = {**news, DECLARATION_INPUT: urn(plugin, name)}
    checked = plugin.check(urn(plugin, name), {}, news)
    assert checked.failures == []
    _id, outputs = plugin.create(urn(plugin, name), checked.inputs)
    assert outputs["state"] == "IN_REVIEW"
    assert outputs.get("failed_step") is None


def minimum_for_one_order(documents: int) -> dict[str, int]:
    # SEARCH: check prices what a new order would buy (sinch:showCost, on by default).
    return {
        TOKEN: 1,
        LOOKUP: 1,
        SEARCH: 1,
        CREATE: 1,
        REGISTRATION: 1,
        UPLOAD: documents,
        SUBMIT: 1,
    }


@pytest.mark.parametrize(("region_code", "number_type"), [("AU", "LOCAL"), ("DE", "LOCAL")])
def test_one_order_makes_exactly_the_minimum_calls(
    emu: EmulatorProcess,
    plugin: DynamicProviderPlugin,
    orders: Orders,
    region_code: str,
    number_type: str,
) -> None:
    emu.reset_stats()
    order_through(plugin, "one", orders.with_provider(region_code, number_type))
    # One token, one lookup shared by check and create, one price search, one request per step.
    assert emu.stats() == minimum_for_one_order(orders.documents(region_code, number_type))


def test_a_no_op_up_makes_no_call(
    emu: EmulatorProcess, plugin: DynamicProviderPlugin, orders: Orders
) -> None:
    engine = EngineSimulator(plugin)
    specs = [orders.spec(f"order-{i}", *PAIRS[i % 2]) for i in range(4)]
    first = engine.up(specs)
    assert first.ok, first.error
    emu.reset_stats()
    again = engine.up(specs)
    assert again.ok, again.error
    assert set(again.ops().values()) == {Op.SAME}
    assert emu.stats() == {}


def build_stack(
    emu: EmulatorProcess, orders: Orders, count: int, pairs: list[tuple[str, str]]
) -> tuple[list[ResourceSpec], dict[str, ResourceState]]:
    specs = [orders.spec(f"number-{i:02d}", *pairs[i % len(pairs)]) for i in range(count)]
    with DynamicProviderPlugin(ROOT, config=emu.stack_config()) as builder:
        engine = EngineSimulator(builder)
        result = engine.up(specs)
        assert result.ok, result.error
        return specs, dict(engine.state)


@pytest.mark.parametrize("auth_method", ["oauth2", "basic"])
def test_preview_of_many_unchanged_resources_makes_no_api_call(
    emu: EmulatorProcess, orders: Orders, auth_method: str
) -> None:
    """Unchanged inputs were checked when first planned and nothing is sent again for them;
    an unchanged order whose state needs no confirming read is planned from state alone."""
    specs, state = build_stack(emu, orders, 12, PAIRS)
    config = {**emu.stack_config(), "sinch:authMethod": auth_method}
    # `pulumi preview` runs in a plugin process of its own: nothing is cached yet.
    with DynamicProviderPlugin(ROOT, config=config) as plugin:
        engine = EngineSimulator(plugin)
        engine.state = state
        emu.reset_stats()
        preview = engine.preview(specs)
        methods = Counter(call.method for call in plugin.calls)
    assert preview.ok, preview.error
    assert set(preview.ops().values()) == {Op.SAME}
    assert methods["Check"] == methods["Diff"] == len(specs)
    assert methods["Create"] == methods["Update"] == 0
    assert emu.stats() == {}


@pytest.mark.parametrize(
    ("auth_method", "expected_tokens"), [("oauth2", 1), ("basic", 0)], ids=["oauth2", "basic"]
)
def test_preview_of_many_new_resources_looks_up_each_pair_once(
    emu: EmulatorProcess, orders: Orders, auth_method: str, expected_tokens: int
) -> None:
    specs = [orders.spec(f"number-{i:02d}", *PAIRS[i % len(PAIRS)]) for i in range(12)]
    config = {**emu.stack_config(), "sinch:authMethod": auth_method}
    with DynamicProviderPlugin(ROOT, config=config) as plugin:
        engine = EngineSimulator(plugin)
        emu.reset_stats()
        preview = engine.preview(specs)
    assert preview.ok, preview.error
    assert set(preview.ops().values()) == {Op.CREATE}
    # Each pair (with the same criteria) is looked up once and priced once.
    expected = {LOOKUP: len(PAIRS), SEARCH: len(PAIRS)}
    if expected_tokens:
        expected[TOKEN] = expected_tokens
    assert emu.stats() == expected


def test_concurrent_orders_share_one_token_and_one_lookup_per_pair(
    emu: EmulatorProcess, plugin: DynamicProviderPlugin, orders: Orders
) -> None:
    pairs = PAIRS[:2]
    count = 12
    work = [(f"order-{i:02d}", pairs[i % len(pairs)]) for i in range(count)]
    emu.reset_stats()
    # The plugin serves four calls at once, as it does for the engine's parallel steps.
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = [
            pool.submit(order_through, plugin, name, orders.with_provider(*pair))
            for name, pair in work
        ]
        for future in done:
            future.result()
    documents = sum(orders.documents(*pair) for _name, pair in work)
    assert emu.stats() == {
        TOKEN: 1,
        LOOKUP: len(pairs),
        SEARCH: len(pairs),
        CREATE: count,
        REGISTRATION: count,
        UPLOAD: documents,
        SUBMIT: count,
    }
    assert len(emu.orders()) == count
