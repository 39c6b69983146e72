"""Arguments and options that several ``sinch-numbers`` commands share, with their checks."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from sinch_numbers.api import ids
from sinch_numbers.core.redaction import REVIEW_TEXT_FLAG

NUMBER_TYPES = ("MOBILE", "LOCAL", "TOLL_FREE")
CAPABILITIES = ("SMS", "VOICE")
SEARCH_PATTERNS = ("START", "CONTAINS", "END")
SKELETON_FORMATS = ("python", "yaml", "json")


def option_parameter(
    name: str, annotation: Any, default: Any, *flags: str, **settings: Any
) -> inspect.Parameter:
    """A command parameter for an option declared away from the command's own signature.

    Typer reads options from a command's signature; commands whose options are shared or come
    from a table get a signature built from these.
    """
    option = typer.Option(*flags, **settings)
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, option],
    )


def pick(value: str, allowed: Sequence[str]) -> str:
    """Case-insensitive choice, answered in the canonical spelling.

    Choices are checked here rather than with enums so that the message lists them as the API
    spells them (Typer's own message lowercases them when matching ignores case).
    """
    for choice in allowed:
        if value.casefold() == choice.casefold():
            return choice
    raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")


def choice(allowed: Sequence[str]) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        return None if value is None else pick(value, allowed)

    return check


def choices(allowed: Sequence[str]) -> Callable[[list[str] | None], list[str]]:
    def check(values: list[str] | None) -> list[str]:
        picked = [pick(value, allowed) for value in values or ()]
        return list(dict.fromkeys(picked))

    return check


def listed(allowed: Sequence[str]) -> str:
    """``"START, CONTAINS or END"``: the choices as a help text names them."""
    return " or ".join(filter(None, (", ".join(allowed[:-1]), allowed[-1])))


def choice_settings(allowed: Sequence[str], *, many: bool = False) -> dict[str, Any]:
    """The metavar ``[A|B|C]`` and the check of an option taking one of ``allowed`` in any case
    (``many``: repeatable, each value one of them)."""
    return {"metavar": f"[{'|'.join(allowed)}]", "callback": (choices if many else choice)(allowed)}


def choice_option(flag: str, allowed: Sequence[str], help: str, *, many: bool = False) -> Any:
    """An option without a default that takes one of ``allowed``."""
    return typer.Option(flag, **choice_settings(allowed, many=many), help=help, show_default=False)


_PATTERN = re.compile(r"\+?[0-9]{1,15}")


def region_code(value: str | None) -> str | None:
    if value is None:
        return None
    code = ids.region_code(value)
    if code is None:
        raise typer.BadParameter(
            f"{value!r} is not a two-letter ISO 3166-1 country code (for example AU, DE, US)"
        )
    return code


def number_pattern(value: str | None) -> str | None:
    if value is not None and not _PATTERN.fullmatch(value):
        raise typer.BadParameter(
            f"{value!r} is not a digit sequence (optionally starting with +, at most 15 digits)"
        )
    return value


def order_id(value: str) -> str:
    # Checked here so that a pasted URL or a stray quote is a usage error, not a 404.
    from sinch_numbers.api.ids import ORDER_ID_RULE, is_order_id

    if not is_order_id(value):
        raise typer.BadParameter(
            f"an order id is {ORDER_ID_RULE} (as printed by the provider's order_id)"
        )
    return value


def e164(value: str | None) -> str | None:
    from sinch_numbers.api.models import validate_e164

    try:
        return None if value is None else validate_e164(value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def argument(metavar: str, check: Callable[..., Any], help: str) -> Any:
    """A required argument, checked by ``check``, without Typer's default column."""
    return typer.Argument(metavar=metavar, callback=check, help=help, show_default=False)


Region = Annotated[
    str,
    argument("REGION", region_code, "Two-letter ISO 3166-1 country code, such as AU."),
]
NumberTypeArg = Annotated[
    str,
    argument("TYPE", choice(NUMBER_TYPES), f"Number type: {listed(NUMBER_TYPES)}."),
]
OrderId = Annotated[
    str,
    argument("ORDER_ID", order_id, "The order id (the provider's order_id output)."),
]
CapabilityOption = Annotated[
    list[str] | None,
    choice_option(
        "--capability",
        CAPABILITIES,
        f"Required capability ({listed(CAPABILITIES)}); repeat for both.",
        many=True,
    ),
]
JsonFlag = Annotated[
    bool,
    typer.Option("--json", help="Print machine-readable JSON (snake_case keys) instead of tables."),
]
ShowReviewTextFlag = Annotated[
    bool,
    typer.Option(
        REVIEW_TEXT_FLAG,
        help="Show the reviewers' messages, which may quote the customer's personal data "
        "(hidden by default: only their number is shown).",
    ),
]
