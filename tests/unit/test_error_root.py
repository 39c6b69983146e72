"""One exception root: every error sinch_numbers defines derives from ``SinchNumbersError``, so
a program's (or the CLI's) one ``except sinch_numbers.SinchNumbersError`` catches any of them."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

import sinch_numbers
import sinch_numbers.errors
from sinch_numbers.api.errors import SinchNumbersError as ApiRoot

# The emulator's internals and the testing kit's own errors (a test harness's, not a program's)
# are outside the tree.
OUTSIDE = ("sinch_numbers.emulator", "sinch_numbers.testing")


def _our_exception_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(sinch_numbers.__path__, "sinch_numbers."):
        if info.name.startswith(OUTSIDE):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                found.append(value)
    return found


OURS = _our_exception_classes()

# Each kind a program (or the CLI's user) can see, by the import path it has today.
PROGRAM_VISIBLE = [
    "sinch_numbers.SinchNumbersError",
    "sinch_numbers.errors.SinchNumbersError",
    "sinch_numbers.api.SinchNumbersError",
    "sinch_numbers.api.ConfigurationError",
    "sinch_numbers.api.APIError",
    "sinch_numbers.api.InvalidArgumentError",
    "sinch_numbers.api.AuthenticationError",
    "sinch_numbers.api.PermissionDeniedError",
    "sinch_numbers.api.NotFoundError",
    "sinch_numbers.api.ConflictError",
    "sinch_numbers.api.ContentTooLargeError",
    "sinch_numbers.api.RateLimitedError",
    "sinch_numbers.api.ServerError",
    "sinch_numbers.api.UnexpectedResponseError",
    "sinch_numbers.api.SinchTransportError",
    "sinch_numbers.api.TokenError",
    "sinch_numbers.api.OrderOutcomeUnknownError",
    "sinch_numbers.kyc.DocumentFileError",
    "sinch_numbers.callbacks.CallbackError",
    "sinch_numbers.callbacks.BodyTooLarge",
    "sinch_numbers.callbacks.ForbiddenSource",
    "sinch_numbers.callbacks.InvalidSignature",
    "sinch_numbers.callbacks.MalformedEvent",
    "sinch_numbers.callbacks.ReplayedEvent",
    "sinch_numbers.provider.SettingsError",
    "sinch_numbers.lookups.LookupArgumentError",
    "sinch_numbers.lookups.LookupFailedError",
    "sinch_numbers.lookups.UnknownRequirementError",
    "sinch_numbers.resource.NumberOrderIncompleteError",
    "sinch_numbers.resource.NumberOrderImportError",
    "sinch_numbers.resource.ActiveNumberImportError",
    "sinch_numbers.active_number.ActiveNumberError",
    "sinch_numbers.core.log.NumberOrderError",
    "sinch_numbers.core.requirements.PairNotOfferedError",
    "sinch_numbers.core.journal.JournalRefusal",
    "sinch_numbers.core.journal.RecordUnusable",
    "sinch_numbers.core.journal.CreateInProgress",
    "sinch_numbers.resources.number_order.plan.DiffRefused",
    "sinch_numbers.resources.number_order.workflow.RoutingRefused",
    "sinch_numbers.resources.number_order.workflow.WorkflowError",
    "sinch_numbers.cli.failures.CliFailure",
]


def _named(path: str) -> type[BaseException]:
    module, _, name = path.rpartition(".")
    found = getattr(importlib.import_module(module), name)
    assert isinstance(found, type), path
    assert issubclass(found, BaseException), path
    return found


def test_the_root_is_one_class_under_each_of_its_names() -> None:
    assert sinch_numbers.SinchNumbersError is sinch_numbers.errors.SinchNumbersError is ApiRoot
    assert "SinchNumbersError" in sinch_numbers.__all__


def test_the_walk_finds_the_errors_of_every_layer() -> None:
    modules = {cls.__module__.split(".")[1] for cls in OURS}
    assert {"errors", "api", "kyc", "core", "resources", "lookups", "resource", "cli"} <= modules


@pytest.mark.parametrize("cls", OURS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_exception_class_of_the_package_derives_from_the_root(
    cls: type[BaseException],
) -> None:
    assert issubclass(cls, sinch_numbers.SinchNumbersError)


@pytest.mark.parametrize("path", PROGRAM_VISIBLE)
def test_one_except_catches_each_kind_a_program_can_see(path: str) -> None:
    cls = _named(path)
    error = cls.__new__(cls)
    caught: BaseException | None = None
    try:
        raise error
    except sinch_numbers.SinchNumbersError as raised:
        caught = raised
    assert caught is error


@pytest.mark.parametrize(
    ("path", "also"),
    [
        ("sinch_numbers.kyc.DocumentFileError", ValueError),
        ("sinch_numbers.lookups.LookupArgumentError", ValueError),
        ("sinch_numbers.lookups.UnknownRequirementError", LookupError),
    ],
)
def test_the_builtin_bases_errors_had_are_kept(path: str, also: type[BaseException]) -> None:
    assert issubclass(_named(path), also)


def test_an_error_of_the_root_still_pickles() -> None:
    error = _named("sinch_numbers.resources.number_order.plan.DiffRefused")("no")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, just made
    assert type(copy) is type(error)
    assert copy.args == ("no",)
