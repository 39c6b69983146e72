"""The ``sinch-numbers`` Typer app and its commands.

Each command imports what it needs inside its body, so ``sinch-numbers --help`` stays fast and no
command pays for another's dependencies (the read commands never import Pulumi, the ``emulator``
command alone imports FastAPI). Add a command by writing one more ``@app.command()``; one that
calls the API adds ``@with_connection`` and takes ``connection: Connection``.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sinch_numbers.cli.connection import Connection, api_errors, with_connection
from sinch_numbers.cli.failures import CliFailure, ExitCode, OneLineErrorsGroup
from sinch_numbers.cli.options import (
    NUMBER_TYPES,
    SEARCH_PATTERNS,
    SKELETON_FORMATS,
    CapabilityOption,
    JsonFlag,
    NumberTypeArg,
    OrderId,
    Region,
    ShowReviewTextFlag,
    choice_option,
    e164,
    listed,
    number_pattern,
    option_parameter,
    region_code,
)
from sinch_numbers.emulator.arguments import OPTIONS, Option, config_of

if TYPE_CHECKING:
    from sinch_numbers.api import SinchNumbersClient
    from sinch_numbers.api.models import NumberOrder, RegistrationLog

app = typer.Typer(
    name="sinch-numbers",
    help="Tools for the sinch-numbers Pulumi provider.",
    no_args_is_help=True,
    add_completion=False,
    cls=OneLineErrorsGroup,
    pretty_exceptions_enable=False,
)
order_app = typer.Typer(
    name="order",
    help="Inspect and follow number orders.",
    no_args_is_help=True,
)
app.add_typer(order_app, name="order")
numbers_app = typer.Typer(
    name="numbers", help="The project's active numbers.", no_args_is_help=True
)
app.add_typer(numbers_app, name="numbers")
number_app = typer.Typer(name="number", help="Act on one active number.", no_args_is_help=True)
app.add_typer(number_app, name="number")


def _print_version(value: bool) -> None:
    if value:
        from sinch_numbers import __version__

        _write(f"sinch-numbers {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Tools for the sinch-numbers Pulumi provider."""


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _show(json_output: bool, document: Callable[[], object], view: Callable[[], Any]) -> None:
    """Print a command's result: ``document()`` as JSON with --json, else ``view()`` rendered."""
    from sinch_numbers.cli.render import console_for, dump_json

    if json_output:
        _write(dump_json(document()))
    else:
        console_for().print(view())


# --- requirements --------------------------------------------------------------------------------


@app.command()
@with_connection
def requirements(
    region: Region,
    number_type: NumberTypeArg,
    json_output: JsonFlag = False,
    skeleton: Annotated[
        str | None,
        choice_option(
            "--skeleton",
            SKELETON_FORMATS,
            f"Print a registration skeleton to paste into a program: {listed(SKELETON_FORMATS)}.",
        ),
    ] = None,
    *,
    connection: Connection,
) -> None:
    """Show the KYC fields and documents a REGION and TYPE need (or that they need none)."""
    if json_output and skeleton is not None:
        raise typer.BadParameter("cannot be combined with --skeleton", param_hint="--json")
    from sinch_numbers.api.models import NumberRequirements
    from sinch_numbers.cli.render import (
        console_for,
        dump_json,
        requirements_json,
        requirements_view,
    )
    from sinch_numbers.cli.skeletons import no_registration_skeleton, render_skeleton
    from sinch_numbers.core.requirements import (
        PairNotOfferedError,
        RequirementsCache,
        lookup_requirements,
    )
    from sinch_numbers.kyc.grammar import GrammarNotUnderstood, RequirementsGrammar

    found: NumberRequirements | None
    with connection.client() as client, api_errors(connection):
        try:
            # The provider's own rule: a 404 means "no KYC" only where numbers of the pair are
            # available; where none is, the pair is not offered.
            found = lookup_requirements(client, RequirementsCache(), region, number_type)
        except PairNotOfferedError as error:
            raise CliFailure(str(error), ExitCode.NOT_FOUND) from None

    pair = f"{region} {number_type}"
    if found is None:
        if json_output:
            _write("null\n")
        elif skeleton is not None:
            _write(no_registration_skeleton(skeleton, region, number_type))
        else:
            console_for().print(
                f"{pair} needs no KYC registration: Sinch has no number requirements for it. "
                "Order it without registration or attachments.",
                markup=False,
            )
        return

    if json_output:
        _write(dump_json(requirements_json(found)))
        return
    grammar = RequirementsGrammar.parse(found.fields)
    if skeleton is not None:
        if isinstance(grammar, GrammarNotUnderstood):
            raise CliFailure(
                f"cannot build a skeleton for {pair}: the requirement format is not understood "
                f"({grammar.reason}); run without --skeleton to see the raw fields",
                ExitCode.API_ERROR,
            )
        _write(render_skeleton(skeleton, region, number_type, grammar, found.attachments))
        return
    console_for().print(requirements_view(region, number_type, found, grammar))


# --- search --------------------------------------------------------------------------------------


@app.command()
@with_connection
def search(
    region: Region,
    number_type: NumberTypeArg,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            callback=number_pattern,
            help="Digits the number must contain; matched against the E.164 form, so START "
            "patterns include + and the country code (+61412).",
            show_default=False,
        ),
    ] = None,
    search_pattern: Annotated[
        str | None,
        choice_option(
            "--search-pattern",
            SEARCH_PATTERNS,
            f"Where --pattern must match: {listed(SEARCH_PATTERNS)}.",
        ),
    ] = None,
    capability: CapabilityOption = None,
    size: Annotated[
        int | None,
        typer.Option("--size", min=1, help="At most this many numbers.", show_default=False),
    ] = None,
    json_output: JsonFlag = False,
    *,
    connection: Connection,
) -> None:
    """List numbers available to order in REGION of TYPE, with prices and capabilities."""
    if search_pattern is not None and pattern is None:
        raise typer.BadParameter("needs --pattern", param_hint="--search-pattern")
    from sinch_numbers.cli.render import available_number_json, available_numbers_view

    with connection.client() as client, api_errors(connection):
        numbers = client.list_available_numbers(
            region,
            number_type,
            capabilities=capability or [],
            pattern=pattern,
            search_pattern=search_pattern,
            size=size,
        )
    _show(
        json_output,
        lambda: [available_number_json(n) for n in numbers],
        lambda: available_numbers_view(region, number_type, numbers),
    )


# --- orders --------------------------------------------------------------------------------------


def _fetch_order(client: SinchNumbersClient, order_id: str) -> NumberOrder:
    from sinch_numbers.core.find import find_order

    order = find_order(client, order_id)
    if order is None:
        raise CliFailure(
            f"order {order_id} not found in project {client.project_id}; check the order id "
            "and --project-id (SINCH_PROJECT_ID)",
            ExitCode.NOT_FOUND,
        )
    return order


def _fetch_logs(client: SinchNumbersClient, order: NumberOrder) -> list[RegistrationLog] | None:
    """The review feedback, for the states that have some; nothing else of the registration.

    The registration also holds the KYC data; it is read here only for its ``logs`` and is
    dropped at once.
    """
    from sinch_numbers.api import NotFoundError
    from sinch_numbers.cli.render import LOG_STATES

    if order.state not in LOG_STATES:
        return None
    try:
        return list(client.get_registration(order.id_number_order).logs)
    except NotFoundError:
        return []


def _now() -> datetime:
    return datetime.now(UTC)


@order_app.command("show")
@with_connection
def order_show(
    order_id: OrderId,
    json_output: JsonFlag = False,
    show_review_text: ShowReviewTextFlag = False,
    *,
    connection: Connection,
) -> None:
    """Show an order: state, expiry, numbers with prices, and the review log when there is one
    (its messages only with --show-review-text: they may quote personal data)."""
    from sinch_numbers.cli.render import order_json, order_view

    with connection.client() as client, api_errors(connection):
        order = _fetch_order(client, order_id)
        logs = _fetch_logs(client, order)
    now = _now()
    _show(
        json_output,
        lambda: order_json(order, logs or [], now, show_review_text=show_review_text),
        lambda: order_view(order, logs, now, show_review_text=show_review_text),
    )


class _LiveStatus:
    """Re-rendered by rich's ``Live`` several times a second, so the countdown keeps moving."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.order: NumberOrder | None = None
        self.polls = 0

    def __rich__(self) -> Any:
        from rich.text import Text

        from sinch_numbers.cli.render import watch_status

        if self.order is None:
            return Text("fetching the order...")
        return watch_status(self.order, _now(), time.monotonic() - self.started, self.polls)


@order_app.command("watch")
@with_connection
def order_watch(
    order_id: OrderId,
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between polls.")
    ] = 10.0,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0.0,
            help="Give up after this many seconds (exit 6).",
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
    show_review_text: ShowReviewTextFlag = False,
    *,
    connection: Connection,
) -> None:
    """Poll an order until COMPLETED, REJECTED, EXPIRED or BLOCKED (which needs your action).

    Exit 0 when it completes, 5 when it ends any other way, 6 on --timeout.
    """
    from rich.live import Live

    from sinch_numbers.api.models import NumberOrderState
    from sinch_numbers.cli.render import (
        STATE_MEANINGS,
        console_for,
        dump_json,
        order_json,
        order_view,
        state_text,
    )
    from sinch_numbers.core.redaction import review_text_pointer
    from sinch_numbers.core.wait import WaitObserver, WaitPolicy, wait_for_order

    console = console_for()
    started = time.monotonic()
    status = _LiveStatus(started)
    # A live line only on a terminal: in CI logs it would be a stream of redrawn lines.
    live = Live(status, console=console, transient=True, refresh_per_second=4)
    animate = console.is_interactive and not json_output
    with connection.client() as client, api_errors(connection):
        if animate:
            live.start()
        try:
            previous: list[NumberOrderState] = []

            def heard(order: NumberOrder, polls: int) -> None:
                status.order, status.polls = order, polls
                if (not previous or order.state is not previous[-1]) and not json_output:
                    stamp = _now().strftime("%H:%M:%S")
                    console.print(f"{stamp} ", state_text(order.state, meaning=True), sep="")
                previous.append(order.state)

            first = _fetch_order(client, order_id)
            heard(first, 1)
            waited = wait_for_order(
                client,
                first,
                WaitPolicy.every(interval, timeout),
                WaitObserver(on_poll=lambda order, polls: heard(order, polls + 1)),
            )
            order, timed_out = waited.order, waited.timed_out
            logs = _fetch_logs(client, order)
        finally:
            if animate:
                live.stop()

    elapsed = time.monotonic() - started
    now = _now()
    outcome = "timeout" if timed_out else order.state.value.lower()
    if json_output:
        document = order_json(order, logs or [], now, show_review_text=show_review_text)
        document["watch"] = {
            "outcome": outcome,
            "elapsed_seconds": round(elapsed, 1),
            "polls": status.polls,
        }
        _write(dump_json(document))
    else:
        console.print(order_view(order, logs, now, show_review_text=show_review_text))
    if timed_out:
        raise CliFailure(
            f"timed out after {elapsed:.0f}s: order {order_id} is still {order.state.value}; "
            "watch again or raise --timeout",
            ExitCode.TIMEOUT,
        )
    if order.state is not NumberOrderState.COMPLETED:
        if not logs:
            latest = ""
        elif show_review_text:
            latest = f" (review log: {logs[-1].message})"
        else:
            latest = f"; {review_text_pointer(order_id, len(logs))}"
        raise CliFailure(
            f"order {order_id} ended {order.state.value}: "
            f"{STATE_MEANINGS.get(order.state, '')}{latest}",
            ExitCode.ORDER_UNSUCCESSFUL,
        )


# --- active numbers ------------------------------------------------------------------------------


@numbers_app.command("list")
@with_connection
def numbers_list(
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            callback=region_code,
            help="Only numbers of this two-letter country code, such as AU.",
            show_default=False,
        ),
    ] = None,
    number_type: Annotated[
        str | None, choice_option("--type", NUMBER_TYPES, "Only numbers of this type.")
    ] = None,
    capability: CapabilityOption = None,
    json_output: JsonFlag = False,
    *,
    connection: Connection,
) -> None:
    """List the project's active numbers, with prices and configuration.

    Released numbers are listed too until their paid period ends (column 'released').
    """
    from sinch_numbers.cli.render import active_number_json, active_numbers_view

    with connection.client() as client, api_errors(connection):
        numbers = client.list_active_numbers(
            region_code=region, number_type=number_type, capabilities=capability or []
        )
    selection = " ".join(p for p in (region, number_type, *(capability or [])) if p)
    _show(
        json_output,
        lambda: [active_number_json(n) for n in numbers],
        lambda: active_numbers_view(numbers, selection),
    )


@number_app.command("release")
@with_connection
def number_release(
    phone_number: Annotated[
        str,
        typer.Argument(
            metavar="PHONE_NUMBER",
            callback=e164,
            help="The active number in E.164, such as +61412000100.",
            show_default=False,
        ),
    ],
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            metavar="PHONE_NUMBER",
            help="The same number again: a released number cannot be taken back.",
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
    *,
    connection: Connection,
) -> None:
    """Release an active number: Sinch stops billing it and drops it when the paid period ends.

    Needs --confirm repeating the number; nothing happens without it.
    """
    # A yes-flag is typed by reflex; repeating the number is not, and a command edited to
    # another number no longer matches its --confirm.
    if confirm is None:
        raise CliFailure(
            "releasing a number cannot be undone: repeat it as --confirm PHONE_NUMBER",
            ExitCode.USAGE,
        )
    if confirm != phone_number:
        raise CliFailure(
            "--confirm names another number than PHONE_NUMBER; nothing was released",
            ExitCode.USAGE,
        )
    from sinch_numbers.api import NotFoundError
    from sinch_numbers.cli.render import active_number_json, release_text

    with connection.client() as client, api_errors(connection):
        try:
            number = client.get_active_number(phone_number)
            # Released already: say until when, without a second release whose live effect
            # nobody has observed.
            already = number.is_released
            if not already:
                number = client.release_active_number(phone_number)
        except NotFoundError:
            raise CliFailure(
                f"{phone_number} is not an active number of project {client.project_id}; "
                "'sinch-numbers numbers list' shows them",
                ExitCode.NOT_FOUND,
            ) from None
    _show(
        json_output,
        lambda: {**active_number_json(number), "already_released": already},
        lambda: release_text(number, already=already),
    )


# --- emulator ------------------------------------------------------------------------------------


def _emulator_option(option: Option) -> inspect.Parameter:
    def one_of(value: str) -> str:
        if value not in option.choices:
            raise typer.BadParameter(f"must be {listed(option.choices)}")
        return value

    return option_parameter(
        option.field,
        option.kind | None if option.optional else option.kind,
        option.default,
        option.flag,
        help=option.help,
        callback=one_of if option.choices else None,
    )


def emulator(**values: Any) -> None:
    """Serve a local emulator of the Sinch Numbers API (stop it with Ctrl-C)."""
    from sinch_numbers.emulator import missing_extra

    problem = missing_extra()
    if problem is not None:
        raise CliFailure(problem, ExitCode.CONFIGURATION)
    from sinch_numbers.emulator.server import run

    raise typer.Exit(run(config_of(values)))


# The options are those of python -m sinch_numbers.emulator, declared in emulator.arguments.
emulator.__signature__ = inspect.Signature([_emulator_option(o) for o in OPTIONS])  # type: ignore[attr-defined]
app.command()(emulator)


def main() -> None:
    app()
