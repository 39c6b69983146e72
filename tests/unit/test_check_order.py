"""check_order reads the provider settings once per check, whatever it goes on to do."""

from __future__ import annotations

import pytest

from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.order.check import check_order
from sinch_numbers.order.log import Log
from sinch_numbers.order.settings import ProviderSettings, provider_settings

NEW_ORDER = {"region_code": "US", "number_type": "LOCAL", "quantity": 1}


def _recorded() -> tuple[Log, list[tuple[str, str]]]:
    lines: list[tuple[str, str]] = []
    log = Log(
        info=lambda text: lines.append(("info", text)),
        warn=lambda text: lines.append(("warn", text)),
    )
    return log, lines


class _CountingSettings:
    def __init__(self, resolve: ProviderSettings | ConfigurationError) -> None:
        self.resolve = resolve
        self.calls = 0

    def __call__(self) -> ProviderSettings:
        self.calls += 1
        if isinstance(self.resolve, ConfigurationError):
            raise self.resolve
        return self.resolve


@pytest.mark.parametrize(
    "resolve",
    [
        ConfigurationError("missing Sinch settings: sinch:keyId", missing=("key_id",)),
        provider_settings(
            {
                "project_id": "p",
                "key_id": "k",
                "key_secret": "s",
                "offline_check": "true",
            }
        ),
    ],
    ids=["not configured", "offline check"],
)
def test_a_new_order_reads_the_settings_once(
    resolve: ProviderSettings | ConfigurationError,
) -> None:
    settings = _CountingSettings(resolve)
    log, lines = _recorded()
    inputs, failures = check_order({}, NEW_ORDER, settings, log)
    assert failures == []
    assert inputs["region_code"] == "US"
    assert settings.calls == 1
    assert [level for level, _ in lines] == ["warn"], "one line: checked offline only"
    assert "offline only" in lines[0][1]


def test_an_unchanged_order_reads_no_settings() -> None:
    settings = _CountingSettings(ConfigurationError("never read"))
    olds, _ = check_order({}, NEW_ORDER, _CountingSettings(ConfigurationError("x")), _recorded()[0])
    _, failures = check_order(olds, NEW_ORDER, settings, _recorded()[0])
    assert failures == []
    assert settings.calls == 0
