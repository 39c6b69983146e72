"""Connection settings, exit codes and one-line error reporting for the ``sinch-numbers`` CLI.

The API client is imported inside the functions that build it, so ``sinch-numbers --help`` and
the ``emulator`` command never load httpx, pydantic or phonenumbers.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sinch_numbers.api import SinchNumbersClient

EMULATOR_PROJECT_ID = "emulator-project"
EMULATOR_KEY_ID = "emulator-key"
EMULATOR_KEY_SECRET = "emulator-secret"  # noqa: S105 - the emulator's documented local credential

AuthMethod = Literal["oauth2", "basic"]


class ExitCode(enum.IntEnum):
    """The documented exit codes (docs/cli.md); scripts branch on them, so they never change."""

    OK = 0
    API_ERROR = 1
    USAGE = 2
    CONFIGURATION = 3
    NOT_FOUND = 4
    ORDER_UNSUCCESSFUL = 5
    TIMEOUT = 6
    INTERRUPTED = 130


class CliFailure(Exception):
    """Ends the command: the root group prints ``error: <message>`` on stderr and exits.

    The message is made one line there, so the text of an error can be put in as it is.
    """

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


# What the client's messages call each setting: the flag a user types (the client adds the
# environment variable).
SETTING_FLAGS = {
    "project_id": "--project-id",
    "key_id": "--key-id",
    "key_secret": "--key-secret",
    "numbers_url": "--numbers-url",
    "auth_url": "--auth-url",
}


@dataclass(frozen=True)
class Connection:
    """Where and as whom to call the API, from flags, ``SINCH_*`` variables or ``--emulator``.

    ``key_secret`` is kept out of ``repr`` so that no debugging print can show it.
    """

    project_id: str | None = None
    key_id: str | None = None
    key_secret: str | None = field(default=None, repr=False)
    numbers_url: str | None = None
    auth_url: str | None = None
    auth_method: AuthMethod = "oauth2"
    emulator_url: str | None = None

    def resolved(self) -> Connection:
        """Apply ``--emulator``; raise ``CliFailure`` for conflicting settings."""
        if self.emulator_url is None:
            return self
        if self.numbers_url or self.auth_url:
            raise CliFailure(
                "--emulator sets the API and token URLs; leave out --numbers-url and --auth-url",
                ExitCode.USAGE,
            )
        base = self.emulator_url.rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CliFailure(
                "--emulator must be the emulator's base URL, such as http://127.0.0.1:8787",
                ExitCode.USAGE,
            )
        # SINCH_* variables are ignored on purpose: they usually hold the real account, whose
        # secret must not be sent to a local emulator (which would refuse it anyway).
        return Connection(
            project_id=self.project_id or EMULATOR_PROJECT_ID,
            key_id=self.key_id or EMULATOR_KEY_ID,
            key_secret=self.key_secret or EMULATOR_KEY_SECRET,
            numbers_url=base,
            auth_url=base + "/oauth2/token",
            auth_method=self.auth_method,
        )

    def client(self) -> SinchNumbersClient:
        from sinch_numbers.api import ConfigurationError, SinchNumbersClient

        settings = self.resolved()
        try:
            return SinchNumbersClient(
                project_id=settings.project_id,
                key_id=settings.key_id,
                key_secret=settings.key_secret,
                numbers_url=settings.numbers_url,
                auth_url=settings.auth_url,
                auth_method=settings.auth_method,
                setting_names=SETTING_FLAGS,
            )
        except ConfigurationError as error:
            # The client names flags and variables, never values.
            local = "; or use --emulator URL for a local emulator" if error.missing else ""
            raise CliFailure(f"{error}{local}", ExitCode.CONFIGURATION) from None


@contextmanager
def api_errors(connection: Connection) -> Iterator[None]:
    """Turn the client's errors into ``CliFailure`` with an exit code and a hint.

    The client's messages carry only statuses, API messages, methods, paths and request ids
    (never credentials or request bodies), so they are safe to show as they are; on a 401 or
    403 they already say which flags and variables to check.
    """
    from sinch_numbers.api import (
        APIError,
        ConfigurationError,
        NotFoundError,
        SinchNumbersError,
        TransportError,
    )

    try:
        yield
    except NotFoundError as error:
        raise CliFailure(str(error), ExitCode.NOT_FOUND) from None
    except TransportError as error:
        raise CliFailure(
            f"cannot reach {_endpoint_of(connection, error.path)}: {error}; check "
            "--numbers-url/--auth-url (or --emulator) and the network",
            ExitCode.API_ERROR,
        ) from None
    except ConfigurationError as error:
        raise CliFailure(str(error), ExitCode.CONFIGURATION) from None
    except APIError as error:
        raise CliFailure(str(error), ExitCode.API_ERROR) from None
    except SinchNumbersError as error:
        raise CliFailure(str(error), ExitCode.API_ERROR) from None


def _endpoint_of(connection: Connection, path: str) -> str:
    """Which endpoint a failed request was for, as the user configured it."""
    from sinch_numbers.api.settings import DEFAULT_AUTH_URL, DEFAULT_NUMBERS_URL

    settings = connection.resolved()
    if path.startswith("/v1/"):
        url = settings.numbers_url or os.environ.get("SINCH_NUMBERS_URL") or DEFAULT_NUMBERS_URL
        return f"the Sinch API at {_without_userinfo(url)}"
    url = settings.auth_url or os.environ.get("SINCH_AUTH_URL") or DEFAULT_AUTH_URL
    return f"the Sinch token endpoint {_without_userinfo(url)}"


def _without_userinfo(url: str) -> str:
    # A URL written as https://user:password@host must not echo the password back.
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
