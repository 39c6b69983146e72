"""Where and as whom the ``sinch-numbers`` commands call the API: the connection options.

The options are declared once here; ``with_connection`` adds them to a command, which receives
them as one ``Connection``. The API client is imported inside the functions that build it, so
``sinch-numbers --help`` and the ``emulator`` command never load httpx, pydantic or phonenumbers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sinch_numbers.cli.failures import CliFailure, ExitCode
from sinch_numbers.cli.options import choice_settings, option_parameter
from sinch_numbers.configuration import BY_NAME, FLAGS, Setting
from sinch_numbers.emulator.config import DEFAULT_KEY_ID, DEFAULT_KEY_SECRET, DEFAULT_PROJECT_ID

if TYPE_CHECKING:
    from sinch_numbers.api import ClientSettings, SinchNumbersClient, SinchTransportError
    from sinch_numbers.api.settings import AuthMethod

# What the client's messages call each setting: the flag a user types (the client adds the
# environment variable).
SETTING_FLAGS = FLAGS


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
    auth_method: AuthMethod | None = None
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
        # The account's SINCH_* variables are ignored on purpose: they usually hold the real
        # account, whose secret must not be sent to a local emulator (which would refuse it
        # anyway). How to call (SINCH_AUTH_METHOD, SINCH_HTTP_TIMEOUT) still applies.
        return Connection(
            project_id=self.project_id or DEFAULT_PROJECT_ID,
            key_id=self.key_id or DEFAULT_KEY_ID,
            key_secret=self.key_secret or DEFAULT_KEY_SECRET,
            numbers_url=base,
            auth_url=base + "/oauth2/token",
            auth_method=self.auth_method,
        )

    def settings(self) -> ClientSettings:
        """The flags, then the ``SINCH_*`` variables, resolved by the provider's own code."""
        from sinch_numbers.api import ConfigurationError
        from sinch_numbers.core.settings import client_settings

        try:
            return client_settings(vars(self.resolved()), names=SETTING_FLAGS)
        except ConfigurationError as error:
            # The client names flags and variables, never values.
            local = "; or use --emulator URL for a local emulator" if error.missing else ""
            raise CliFailure(f"{error}{local}", ExitCode.CONFIGURATION) from None

    def client(self) -> SinchNumbersClient:
        from sinch_numbers.api import SinchNumbersClient

        return SinchNumbersClient.from_settings(self.settings())


_PANEL = "Connection (flags win over SINCH_* environment variables)"


def _option(
    name: str, flag: str, help_text: str, default: str | None = None, **extra: Any
) -> inspect.Parameter:
    return option_parameter(
        name,
        str if default is not None else str | None,
        default,
        flag,
        help=help_text,
        rich_help_panel=_PANEL,
        show_default=default is not None,
        **extra,
    )


def _setting_option(setting: Setting, flag: str) -> inspect.Parameter:
    """A setting's flag, its help made from the settings table."""
    note = "; prefer the variable (flags show up in shell history)" if setting.secret else ""
    shown = "" if setting.required else f"; default: {setting.shown_default}"
    extra = choice_settings(setting.choices) if setting.choices else {}
    help_text = f"{setting.meaning}{note}. \\[env: {setting.variable}{shown}]"
    return _option(setting.name, flag, help_text, **extra)


# The same options on every command that calls the API. Typer takes the root command's options
# only before the sub-command, and these are documented after it
# (``sinch-numbers search AU MOBILE --emulator URL``), so ``with_connection`` adds them to each.
_OPTIONS: tuple[inspect.Parameter, ...] = (
    *(_setting_option(BY_NAME[name], flag) for name, flag in SETTING_FLAGS.items()),
    _option(
        "emulator_url",
        "--emulator",
        "Use a local emulator at URL (as printed by 'sinch-numbers emulator'): its default "
        "credentials unless given as flags; SINCH_* variables are ignored.",
        metavar="URL",
    ),
)


def with_connection(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` the connection options; it receives them as its ``connection`` argument.

    Typer reads a command's options from its signature, so the wrapper's signature is the
    command's own (without ``connection``) followed by the shared options.
    """
    own = inspect.signature(command, eval_str=True)
    parameters = [p for name, p in own.parameters.items() if name != "connection"]
    names = [p.name for p in _OPTIONS]

    def run(**arguments: Any) -> None:
        values = {name: arguments.pop(name) for name in names}
        command(**arguments, connection=Connection(**values))

    run.__name__ = command.__name__
    run.__qualname__ = command.__qualname__
    run.__doc__ = command.__doc__
    run.__module__ = command.__module__
    run.__signature__ = own.replace(parameters=[*parameters, *_OPTIONS])  # type: ignore[attr-defined]
    return run


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
        SinchTransportError,
        TokenError,
    )

    try:
        yield
    except CliFailure:
        raise  # the command's own ending, already worded (it derives from the root too)
    except NotFoundError as error:
        raise CliFailure(str(error), ExitCode.NOT_FOUND) from None
    except SinchTransportError as error:
        if isinstance(error, TokenError) and error.status_code is not None:
            # The token endpoint answered: its own words, as for any API error.
            raise CliFailure(str(error), ExitCode.API_ERROR) from None
        raise CliFailure(
            f"cannot reach {_endpoint_of(connection, error)}: {error}; check "
            "--numbers-url/--auth-url (or --emulator) and the network",
            ExitCode.API_ERROR,
        ) from None
    except ConfigurationError as error:
        raise CliFailure(str(error), ExitCode.CONFIGURATION) from None
    except APIError as error:
        raise CliFailure(str(error), ExitCode.API_ERROR) from None
    except SinchNumbersError as error:
        raise CliFailure(str(error), ExitCode.API_ERROR) from None


def _endpoint_of(connection: Connection, error: SinchTransportError) -> str:
    """Which endpoint a failed request was for, as the user configured it."""
    from sinch_numbers.api import TokenError

    settings = connection.settings()
    if not isinstance(error, TokenError):
        return f"the Sinch API at {_without_userinfo(settings.numbers_url)}"
    return f"the Sinch token endpoint {_without_userinfo(settings.auth_url)}"


def _without_userinfo(url: str) -> str:
    # A URL written as https://user:password@host must not echo the password back.
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
