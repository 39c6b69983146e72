"""The wire models build on first use (``defer_build``), so importing the package costs no model
build (figure 5 of docs/performance.md). Built on first use, though, each build would run after
its answer arrived, on the first order's critical path (figure 1). A new client therefore starts
the builds in a background thread, once per process: they run while its first requests wait on
the network. Safe alongside a first use in another thread, since pydantic 2.14 (the declared
minimum) builds a model under a lock.
"""

from __future__ import annotations

import contextlib
import threading

from pydantic import BaseModel

from sinch_numbers.api import models
from sinch_numbers.api.auth import _TokenResponse

# What an order parses or sends, in the order it meets them; every other model follows.
_ORDER_PATH: tuple[type[BaseModel], ...] = (
    _TokenResponse,
    models.NumberRequirements,
    models.ListAvailableNumbersResponse,
    models.CreateNumberOrderRequest,
    models.NumberOrder,
    models.UpdateRegistrationRequest,
    models.Registration,
    models.Attachment,
    models.ErrorBody,
)

_started = threading.Lock()
_builder: list[threading.Thread] = []


def deferred_models() -> list[type[BaseModel]]:
    """Every model built on first use: the order path's first."""
    rest = [
        model
        for model in vars(models).values()
        if isinstance(model, type)
        and issubclass(model, models.WireModel)
        and model is not models.WireModel
        and model not in _ORDER_PATH
    ]
    return [*_ORDER_PATH, *rest]


def build_in_background() -> threading.Thread:
    """The one thread of this process that builds every deferred model; started on first call."""
    with _started:
        if not _builder:
            thread = threading.Thread(target=_build, name="sinch-numbers-models", daemon=True)
            thread.start()
            _builder.append(thread)
        return _builder[0]


def _build() -> None:
    for model in deferred_models():
        # A model that cannot build here fails again, with its error, at its first use.
        with contextlib.suppress(Exception):
            model.model_rebuild()
