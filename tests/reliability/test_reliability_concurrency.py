"""Many orders through one plugin process at the engine's concurrency (4 gRPC worker threads).

The plugin shares one provider instance, one HTTP pool, one token and one requirements cache
between the threads; nothing about one resource may leak into another.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sinch_numbers.provider import NumberOrderProvider
from sinch_numbers.resource import _plain
from sinch_numbers.resources.number_order.inputs import DECLARATION_INPUT
from sinch_numbers.testing import DynamicProviderPlugin, dynamic_type, make_urn, provider_property
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.reliability.support import (
    CREATE,
    FAST_ENV,
    LOOKUP,
    ROOT,
    SUBMIT,
    TOKEN,
    held_documents,
    make_kyc,
    order_inputs,
)

# (region, type, configuration kind): SMS where the numbers can take it, voice elsewhere.
PAIRS = (
    ("AU", "MOBILE", "sms"),
    ("AU", "LOCAL", "voice"),
    ("DE", "LOCAL", "voice"),
    ("GB", "MOBILE", "sms"),
    ("SE", "TOLL_FREE", "voice"),
    ("US", "LOCAL", "sms"),  # no KYC: the lookup answers 404, cached as "none needed"
)
PER_PAIR = 7
ENGINE_THREADS = 4


def test_forty_orders_at_engine_concurrency(emu: EmulatorProcess, tmp_path: Path) -> None:
    specs: dict[str, dict[str, Any]] = {}
    for region, number_type, kind in PAIRS:
        kyc = make_kyc(emu, region, number_type, tmp_path / f"{region}-{number_type}")
        for n in range(PER_PAIR):
            name = f"{region}-{number_type}-{n}".lower()
            config: dict[str, Any] = (
                {"sms_configuration": {"service_plan_id": f"plan-{name}"}}
                if kind == "sms"
                else {"voice_configuration": {"type": "RTC", "app_id": f"app-{name}"}}
            )
            specs[name] = _plain(
                order_inputs(kyc, region, number_type, quantity=1 + n % 2, **config)
            )
    assert len(specs) >= 40

    provider = provider_property(NumberOrderProvider())
    kind = dynamic_type("sinch", "NumberOrder")

    with DynamicProviderPlugin(ROOT, config=emu.stack_config(), env=FAST_ENV) as plugin:

        def up(name: str) -> tuple[str, str, dict[str, Any]]:
            urn = make_urn("sinch-numbers", "test", kind, name)
            news = {**specs[name], DECLARATION_INPUT: urn, "__provider": provider}
            checked = plugin.check(urn, {}, news)
            assert checked.failures == [], (name, checked.failures)
            order_id, outputs = plugin.create(urn, checked.inputs)
            return name, order_id, outputs

        with ThreadPoolExecutor(ENGINE_THREADS) as pool:
            results = list(pool.map(up, specs))

    orders = {o["idNumberOrder"]: o for o in emu.orders()}
    assert len(orders) == len(specs)
    ids = [order_id for _, order_id, _ in results]
    assert len(set(ids)) == len(specs), "two resources share an order"

    numbers: Counter[str] = Counter()
    for name, order_id, outputs in results:
        wanted = specs[name]
        order = orders[order_id]
        assert outputs["order_id"] == order_id
        assert outputs.get("last_error") is None, (name, outputs.get("last_error"))
        assert outputs["state"] == order["state"] == "IN_REVIEW"
        assert (order["regionCode"], order["numberType"]) == (
            wanted["region_code"],
            wanted["number_type"],
        )
        # Each resource's own configuration on its own order: no cross-talk between threads.
        if "sms_configuration" in wanted:
            plan = wanted["sms_configuration"]["service_plan_id"]
            assert order["smsConfiguration"]["servicePlanId"] == plan
        else:
            app = wanted["voice_configuration"]["app_id"]
            assert order["voiceConfiguration"]["appId"] == app
        phones = [n["phoneNumber"] for n in order["orderNumbers"]]
        assert outputs["phone_numbers"] == phones
        assert len(phones) == wanted["quantity"]
        numbers.update(phones)
        documents = {
            a["requirement_id"]: Path(a["file"]).name for a in wanted.get("attachments", [])
        }
        assert held_documents(emu, order_id) == documents
        if "registration" in wanted:
            assert order["registration"]["requestDetails"]["data"] == wanted["registration"]

    assert [n for n, count in numbers.items() if count > 1] == [], "a number ordered twice"
    stats = emu.stats()
    assert stats[TOKEN] == 1, "one token for the whole process"
    assert stats[LOOKUP] == len(PAIRS), "one requirements lookup per region/type pair"
    assert stats[CREATE] == len(specs)
    assert stats[SUBMIT] == len(specs)
