"""The Pulumi dynamic provider behind ``ActiveNumber``: the engine's hooks, mapped onto
``resources/active_number/``.

``sinch_numbers.active_number.ActiveNumberProvider`` is pickled *by reference* into every user's
state, so this module path and the class name are a stable API: renaming either breaks
``refresh`` and ``destroy`` of every stack that holds an ActiveNumber (keep an alias if they ever
must move). Nothing is pickled with it; settings come from ``configure`` (the ``sinch:*`` stack
config) or the ``SINCH_*`` variables each time the plugin starts, exactly as for NumberOrder.

An ActiveNumber never buys a number. ``create`` adopts one that is already active (bought outside
this tool, or by a completed NumberOrder) and PATCHes the configuration the inputs set; ``delete``
leaves it active unless ``release_on_destroy`` is true.
"""

from __future__ import annotations

from typing import Any

from pulumi import dynamic

from sinch_numbers.provider import ENGINE_LOG, SinchProvider
from sinch_numbers.resources.active_number.check import check_number_inputs
from sinch_numbers.resources.active_number.create import create_number
from sinch_numbers.resources.active_number.diff import diff_number
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.lifecycle import (
    delete_number,
    read_number,
    update_number,
)
from sinch_numbers.resources.active_number.outputs import COMPUTED_OUTPUTS, INPUTS

__all__ = ["COMPUTED_OUTPUTS", "INPUTS", "ActiveNumberError", "ActiveNumberProvider"]


class ActiveNumberProvider(SinchProvider):
    """Manages a number already active in the Sinch project; never buys one."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        checked = check_number_inputs(news)
        failures = [dynamic.CheckFailure(f.field, f.rule) for f in checked.failures]
        return dynamic.CheckResult(checked.inputs, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        plan = diff_number(self._connect(), id_, olds, news, ENGINE_LOG)
        return dynamic.DiffResult(
            changes=plan.changes,
            replaces=list(plan.replaces),
            stables=None,
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        phone, outputs = create_number(self._connect(), props, ENGINE_LOG)
        return dynamic.CreateResult(phone, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        found = read_number(self._connect(), id_, props, ENGINE_LOG)
        if found is None:
            return dynamic.ReadResult("", {})
        return dynamic.ReadResult(*found)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        return dynamic.UpdateResult(update_number(self._connect(), id_, olds, news, ENGINE_LOG))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        delete_number(self._connect(), id_, props, ENGINE_LOG)
