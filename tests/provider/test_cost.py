"""Preview says what an up would buy and what it costs, through the real plugin: the number or
the quantity, setup and monthly price from the available-numbers data, one search per pair and
criteria, and nothing for an unchanged stack or when turned off."""

from __future__ import annotations

import re

import httpx

from sinch_numbers import NumberOrder
from sinch_numbers.testing import ProgramRunner
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.provider.conftest import ROOT, au_order
from tests.provider.test_lifecycle import MakeStack

SEARCH = "GET /v1/projects/{projectId}/availableNumbers"
GET_AVAILABLE = "GET /v1/projects/{projectId}/availableNumbers/{phoneNumber}"


def _cost_lines(messages: list[tuple[str, str]]) -> list[str]:
    return [text for _severity, text in messages if "an up would order" in text]


def _listed_prices(emu: EmulatorProcess, count: int) -> tuple[str, str]:
    creds = emu.credentials
    numbers = httpx.get(
        f"{emu.url}/v1/projects/{creds.project_id}/availableNumbers",
        params={"regionCode": "AU", "type": "MOBILE", "size": count},
        auth=(creds.key_id, creds.key_secret),
        timeout=10,
    ).json()["availableNumbers"][:count]
    setup = sum(float(n["setupPrice"]["amount"]) for n in numbers)
    monthly = sum(float(n["monthlyPrice"]["amount"]) for n in numbers)
    currency = numbers[0]["setupPrice"]["currencyCode"]
    return f"{setup:.2f} {currency}", f"{monthly:.2f} {currency}"


def test_preview_prices_a_quantity_order_with_one_search_per_pair_and_criteria(
    emu: EmulatorProcess,
) -> None:
    def program() -> None:
        for name in ("first", "second"):
            NumberOrder(name, **au_order(quantity=2))

    with ProgramRunner(program, project_dir=ROOT, config=emu.stack_config()) as runner:
        preview = runner.preview()
    assert preview.ok, preview.error
    setup, monthly = _listed_prices(emu, 2)
    lines = _cost_lines(preview.messages)
    assert len(lines) == 2
    assert "2 number(s) (AU MOBILE)" in lines[0]
    assert f"setup {setup}, then {monthly} every month" in lines[0]
    stats = emu.stats()
    assert stats[SEARCH] == 1 + 1, "one search for the two alike orders, one for the prices above"
    assert emu.orders() == []


def test_preview_prices_a_specific_number_and_says_when_it_is_not_available(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack(quantity=None, phone_number="+61412000100")
    preview = stack.runner.preview()
    (line,) = _cost_lines(preview.messages)
    assert "would order +61412000100 (AU MOBILE): setup " in line
    assert emu.stats()[GET_AVAILABLE] == 1
    assert stack.runner.up().ok

    other = make_stack(quantity=None, phone_number="+61412000100")
    preview = other.runner.preview()
    (line,) = _cost_lines(preview.messages)
    assert "none is available now, so the order would fail" in line


def test_an_unchanged_stack_is_not_priced_and_a_replacement_is(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    assert stack.runner.up().ok
    emu.review(stack.outputs()["order_id"], "approve")
    assert stack.runner.refresh().ok
    emu.reset_stats()
    unchanged = stack.runner.preview()
    assert _cost_lines(unchanged.messages) == []
    assert emu.stats() == {}
    stack.inputs["quantity"] = 3
    replacing = stack.runner.preview()
    (line,) = _cost_lines(replacing.messages)
    assert "3 number(s)" in line


def test_show_cost_false_turns_pricing_and_its_calls_off(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    stack.runner.config["sinch:showCost"] = "false"
    preview = stack.runner.preview()
    assert preview.ok, preview.error
    assert _cost_lines(preview.messages) == []
    assert not any(re.match(r"GET .*/availableNumbers", key) for key in emu.stats())


def test_a_malformed_show_cost_fails_check_naming_the_key(
    emu: EmulatorProcess, make_stack: MakeStack
) -> None:
    stack = make_stack()
    stack.runner.config["sinch:showCost"] = "sometimes"
    preview = stack.runner.preview()
    assert not preview.ok
    text = " ".join(r for pairs in preview.check_failures.values() for _p, r in pairs)
    assert "sinch:showCost" in text
    assert "sometimes" not in text
