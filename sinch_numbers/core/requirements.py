"""The requirements lookup and its caches, shared by NumberOrder's check, the lookups and the
CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import (
    NotFoundError,
    SinchNumbersError,
)
from sinch_numbers.api.models import (
    NumberRequirements,
)
from sinch_numbers.core.passes import NOT_NOTED, CommandNotes


class PairNotOfferedError(SinchNumbersError):
    """Sinch has no requirements for the pair and no numbers of it: it is not offered."""

    def __init__(self, region_code: str, number_type: str) -> None:
        super().__init__(
            f"Sinch offers no {number_type} numbers in {region_code}: it lists neither KYC "
            "requirements nor any available number for the pair"
        )
        self.region_code = region_code
        self.number_type = number_type


_NOT_OFFERED = object()


class OnceCache:
    """Values by key, each fetched once per process even when threads ask at the same time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, object] = {}
        self._key_locks: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, fetch: Callable[[], object]) -> object:
        with self._lock:
            if key in self._entries:
                return self._entries[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            value = fetch()
            with self._lock:
                self._entries[key] = value
            return value


class RequirementsCache(OnceCache):
    """Requirements per (region, type), fetched once per process and shared by threads.

    ``None`` is cached too: it means the pair needs no KYC (the API answers 404 and has numbers
    of it), as is a pair that is not offered at all.
    """


def lookup_requirements(
    client: SinchNumbersClient,
    cache: RequirementsCache,
    region_code: str,
    number_type: str,
    notes: CommandNotes | None = None,
) -> NumberRequirements | None:
    """Requirements for a pair, or None where it needs no KYC; cached per process, and with
    ``notes`` read from and left for the other pass of the same ``pulumi`` command.

    The API answers 404 both for pairs without KYC and for pairs it does not offer at all, so a
    404 is followed by one search for a single available number: none means not offered
    (:class:`PairNotOfferedError`).
    """

    def ask() -> object:
        try:
            return client.lookup_number_requirements(region_code, number_type)
        except NotFoundError:
            pass
        if client.list_available_numbers(region_code, number_type, size=1):
            return None
        return _NOT_OFFERED

    def fetch() -> object:
        if notes is None:
            return ask()
        noted = notes.requirements(region_code, str(number_type))
        if noted is not NOT_NOTED:
            return noted
        found = ask()
        if found is None or isinstance(found, NumberRequirements):
            notes.keep_requirements(region_code, str(number_type), found)
        return found

    found = cache.get((region_code, str(number_type)), fetch)
    if found is _NOT_OFFERED:
        raise PairNotOfferedError(region_code, str(number_type))
    assert found is None or isinstance(found, NumberRequirements)
    return found
