"""Backoff policy and the retry loop shared by API calls and token requests.

The loop is small and local rather than tenacity: whether to retry depends on the response status,
the ``Retry-After`` header of that response, and on *which* transport failure happened, and the
final outcome must be the last response (not an exception) so the caller can map it to the error
tree. Expressed with tenacity that is a custom retry predicate, a custom wait reading the last
response, and ``retry_error_callback`` plumbing: more code than the loop itself.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

logger = logging.getLogger("sinch_numbers.api")

_jitter_source = random.Random()  # noqa: S311 - backoff jitter, not cryptography


def _full_jitter(ceiling: float) -> float:
    return _jitter_source.uniform(0.0, ceiling)


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter, honouring ``Retry-After``.

    The n-th retry (n = 0, 1, ...) waits a uniformly random time in
    ``[0, min(max_delay, initial_delay * multiplier**n)]``, unless the response carried
    ``Retry-After``, which is then obeyed (capped at ``max_retry_after``). Tests inject ``sleep``
    and ``jitter`` to run without waiting and to assert the delays.
    """

    initial_delay: float = 0.5
    max_delay: float = 20.0
    multiplier: float = 2.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    jitter: Callable[[float], float] = field(default=_full_jitter, repr=False, compare=False)
    now: Callable[[], datetime] = field(
        default=lambda: datetime.now(UTC), repr=False, compare=False
    )

    @classmethod
    def immediate(cls) -> RetryPolicy:
        """No waiting at all (``Retry-After`` is still parsed, then capped at zero)."""
        return cls(
            initial_delay=0.0, max_delay=0.0, max_retry_after=0.0, sleep=lambda _seconds: None
        )

    def backoff(self, retry_index: int) -> float:
        ceiling = min(self.max_delay, self.initial_delay * self.multiplier**retry_index)
        return max(0.0, self.jitter(max(0.0, ceiling)))

    def delay(self, retry_index: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after)
        return self.backoff(retry_index)


def provably_unsent(error: httpx.RequestError) -> bool:
    """True only when the request cannot have reached the server: no connection was made."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def is_transient(error: httpx.RequestError) -> bool:
    """Network trouble worth retrying an idempotent call for (not a malformed request)."""
    return isinstance(
        error, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
    )


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date); None if absent
    or unreadable. A date in the past gives 0."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def send_with_retries(
    send: Callable[[], httpx.Response],
    *,
    policy: RetryPolicy,
    max_retries: int,
    retry_response: Callable[[httpx.Response], bool],
    retry_error: Callable[[httpx.RequestError], bool],
    label: str,
) -> httpx.Response:
    """Call ``send`` until it gives a response not worth retrying, or the retries run out.

    Returns the last response, whatever its status; re-raises the last ``httpx.RequestError``.
    ``max_retries`` counts retries, so at most ``max_retries + 1`` requests are sent.
    """
    retry_index = 0
    while True:
        try:
            response = send()
        except httpx.RequestError as error:
            if retry_index >= max_retries or not retry_error(error):
                raise
            wait = policy.delay(retry_index, None)
            logger.info(
                "%s: %s, retry %d of %d in %.2fs",
                label,
                type(error).__name__,
                retry_index + 1,
                max_retries,
                wait,
            )
        else:
            if retry_index >= max_retries or not retry_response(response):
                return response
            retry_after = parse_retry_after(response.headers.get("retry-after"), now=policy.now())
            wait = policy.delay(retry_index, retry_after)
            logger.info(
                "%s: HTTP %d, retry %d of %d in %.2fs",
                label,
                response.status_code,
                retry_index + 1,
                max_retries,
                wait,
            )
            response.close()
        policy.sleep(wait)
        retry_index += 1
