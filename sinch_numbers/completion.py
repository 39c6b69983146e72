"""The Pulumi dynamic provider behind ``NumberOrderCompletion``: the engine's hooks, mapped onto
``resources/number_order_completion/lifecycle.py``.

``sinch_numbers.completion.NumberOrderCompletionProvider`` is pickled *by reference* into every
user's state, so this module path and the class name are a stable API.

A cancelled run (one SIGINT: what a CI cancel sends first) ends the wait at once: the engine
calls the plugin's ``Cancel`` and then waits for every create in flight, for hours if that create
is waiting for review. The Python SDK's dynamic-provider plugin answers ``Cancel`` itself and
tells the provider nothing, but the engine also cancels its language host, which interrupts the
program that declared the resources: the wait watches that program (``EngineWatch``).
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from sinch_numbers.provider import ENGINE_LOG, SinchProvider
from sinch_numbers.resources.number_order_completion.lifecycle import (
    COMPLETION_INPUTS,
    EngineWatch,
    check_completion,
    create_completion,
    diff_completion,
    read_completion,
    stoppable_sleep,
)

__all__ = ["NumberOrderCompletionProvider"]

_ENGINE = EngineWatch.of_this_process()
"""Taken when the plugin process imports this module, before it serves any create."""


class NumberOrderCompletionProvider(SinchProvider):
    """Waits for a number order's review to end; orders and releases nothing."""

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_completion(news)
        return CheckResult(inputs, [CheckFailure(p, r) for p, r in failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changes, replaces = diff_completion(olds, news)
        return DiffResult(changes=changes, replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        # The program is noted when the wait begins: a plugin may outlive the run it started in.
        stopped = _ENGINE.with_program().gone
        order_id, outputs = create_completion(
            self._connection(), props, ENGINE_LOG, sleep=stoppable_sleep(stopped)
        )
        return CreateResult(order_id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        outputs = read_completion(self._connection(), id_, props, ENGINE_LOG)
        if outputs is None:
            return ReadResult("", {})
        return ReadResult(id_, outputs, {k: props.get(k) for k in COMPLETION_INPUTS})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Only the timeout changed (another order replaces): it applies to the next wait.
        return UpdateResult({**olds, **{k: news.get(k) for k in COMPLETION_INPUTS}})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Nothing to do: the completion holds nothing; the order and its numbers belong to
        the NumberOrder (``release_on_destroy``)."""
