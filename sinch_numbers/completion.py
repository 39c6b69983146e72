"""The Pulumi dynamic provider behind ``NumberOrderCompletion``: the engine's hooks, mapped onto
``resources/number_order_completion/lifecycle.py``.

``sinch_numbers.completion.NumberOrderCompletionProvider`` is pickled *by reference* into every
user's state, so this module path and the class name are a stable API.

A cancelled run (one SIGINT: what a CI cancel sends first) should end the wait at once: the engine
calls the plugin's ``Cancel`` and then waits for every create in flight, for hours if that create
is waiting for review. The Python SDK's dynamic-provider plugin answers ``Cancel`` itself and
tells the provider nothing, so this module teaches it to (see :func:`hear_the_engine_cancel`).
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable
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

CANCELLED = threading.Event()
"""Set when the engine cancels the run (its ``Cancel`` call to this plugin process)."""

_PLUGIN_SERVICER = "DynamicResourceProviderServicer"
"""The servicer class of ``python -m pulumi.dynamic`` (the plugin's ``__main__``); checked with
the pulumi SDK 3.272.0 and CLI v3.276.0, whose ``Cancel`` only answers ``Empty``."""


def _cancel_and_tell(self: Any, request: Any, context: Any) -> Any:
    """The plugin's ``Cancel``, which also tells the waits of this process to stop. Its code
    runs as the plugin's own method (with that module's globals), so it imports what it uses."""
    from google.protobuf import empty_pb2

    import sinch_numbers.completion

    sinch_numbers.completion.CANCELLED.set()
    return empty_pb2.Empty()


def hear_the_engine_cancel() -> bool:
    """Make the plugin's ``Cancel`` set :data:`CANCELLED`; whether it could.

    gRPC bound the servicer's method when the plugin started its server, before this module was
    imported, so replacing the class attribute would change nothing: the method's code is
    replaced instead. Anything unexpected (another SDK, not the plugin process) leaves the
    plugin as it is, and a cancelled wait then runs on until review ends or its timeout, as
    before.
    """
    plugin = sys.modules.get("__main__")
    servicer = getattr(plugin, _PLUGIN_SERVICER, None)
    cancel = getattr(servicer, "Cancel", None)
    if not inspect.isfunction(cancel) or cancel.__module__ != getattr(plugin, "__name__", None):
        return False
    if cancel.__code__ is _cancel_and_tell.__code__:
        return True
    expected = ("self", "request", "context")
    if cancel.__code__.co_varnames[:3] != expected or cancel.__code__.co_freevars:
        return False
    cancel.__code__ = _cancel_and_tell.__code__
    return True


def _run_ended(watch: EngineWatch) -> Callable[[], bool]:
    return lambda: CANCELLED.is_set() or watch.gone()


hear_the_engine_cancel()


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
        stopped = _run_ended(_ENGINE.with_program())
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
