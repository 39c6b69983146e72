"""Exit codes and one-line error reporting for the ``sinch-numbers`` CLI.

Errors end as one line on stderr (``error: ...``) and a documented exit code (``ExitCode``,
docs/cli.md), never a traceback: people paste these lines into tickets and CI greps them.
"""

from __future__ import annotations

import enum
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.core

from sinch_numbers.errors import SinchNumbersError

DEBUG_VARIABLE = "SINCH_NUMBERS_DEBUG"


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


class CliFailure(SinchNumbersError):
    """Ends the command: the root group prints ``error: <message>`` on stderr and exits.

    The message is made one line there, so the text of an error can be put in as it is.
    """

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class OneLineErrorsGroup(typer.core.TyperGroup):
    """Prints every failure as one ``error:`` line instead of Typer's boxed panel.

    It wraps ``main`` because that is the one entry both the console script and ``CliRunner``
    go through, so tests see exactly what users see.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        _keep_library_logs_off_stderr()
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) else ExitCode.OK
        except CliFailure as failure:
            code = _fail(failure.message, failure.exit_code)
        except typer.Abort:
            code = _fail("aborted", ExitCode.INTERRUPTED)
        except Exception as error:
            code = _report(error)
        if not standalone_mode:
            return code
        sys.exit(int(code))


def _keep_library_logs_off_stderr() -> None:
    """The client logs each retry and each failed request (a WARNING), which Python's last-resort
    handler prints to stderr when nothing else is set up; the ``error:`` line already says what
    failed, so those lines appear only with ``SINCH_NUMBERS_DEBUG`` set."""
    logger = logging.getLogger("sinch_numbers")
    if not os.environ.get(DEBUG_VARIABLE) and not logger.handlers:
        logger.addHandler(logging.NullHandler())


# Our own guidance follows the server's text in a message, so the line may be longer than one
# server text; it is still bounded.
_ERROR_LINE_LIMIT = 2000


def _fail(message: str, code: int) -> int:
    # Imported here: the api package loads httpx and pydantic, which --help never needs.
    from sinch_numbers.api.text import one_line

    typer.echo(f"error: {one_line(message, _ERROR_LINE_LIMIT)}", err=True)
    return code


def _report(error: Exception) -> int:
    """Report click's usage and parameter errors on one line; anything else is a bug.

    Click's exceptions are recognised by shape, not class: Typer vendors its own copy of click
    in newer releases and uses the click package in older ones.
    """
    if type(error).__name__ == "NoArgsIsHelpError":
        # Typer has already printed the (rich) help while building this error.
        return ExitCode.USAGE
    format_message = getattr(error, "format_message", None)
    exit_code = getattr(error, "exit_code", None)
    if callable(format_message) and isinstance(exit_code, int):
        message = str(format_message())
        context = getattr(error, "ctx", None)
        command_path = getattr(context, "command_path", None)
        if exit_code == ExitCode.USAGE and command_path:
            message += f" (see '{command_path} --help')"
        return _fail(message, exit_code)
    if os.environ.get(DEBUG_VARIABLE):
        raise error
    # Only the type: an unexpected error's text could hold anything, including KYC data.
    return _fail(
        f"unexpected internal error ({type(error).__name__}); set {DEBUG_VARIABLE}=1 to see "
        "the traceback and report it",
        ExitCode.API_ERROR,
    )
