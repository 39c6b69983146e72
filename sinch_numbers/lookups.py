"""Program-time lookups, as a provider's data sources: what a region and number type require,
and which numbers are available, so a program refers to requirement ids instead of copying them.

Both run while the Pulumi program runs (``pulumi preview`` included) and return plain, frozen
values, not Outputs. They read the same settings as the provider: the ``sinch:`` stack config
(``sinch:projectId``, ``sinch:keyId``, the secret ``sinch:keySecret``, ...), with the ``SINCH_*``
variables as fallback. They order nothing, and they cache per process: one call per question
and settings, however often a program asks (:func:`clear_cache` forgets the answers).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sinch_numbers.api.errors import SinchNumbersError
from sinch_numbers.api.models import AvailableNumber, Money, NumberRequirements, NumberType
from sinch_numbers.api.models import SearchPattern as SearchPatternEnum
from sinch_numbers.core.checking import (
    Checker,
    check_number_pattern,
    parse_capabilities,
    parse_region_code,
)
from sinch_numbers.core.lookup_schema import FindAvailableNumbersArguments as _Args
from sinch_numbers.core.requirements import OnceCache, PairNotOfferedError, RequirementsCache
from sinch_numbers.core.requirements import lookup_requirements as cached_requirements
from sinch_numbers.core.settings import ProviderSettings, connection_for
from sinch_numbers.core.wording import describe_error
from sinch_numbers.provider import program_settings

__all__ = [
    "AttachmentRequirement",
    "LookupArgumentError",
    "LookupFailedError",
    "OfferedNumber",
    "Price",
    "Requirements",
    "UnknownRequirementError",
    "clear_cache",
    "find_available_numbers",
    "lookup_requirements",
]


class LookupArgumentError(SinchNumbersError, ValueError):
    """An argument of a lookup breaks a rule; the message names each argument and rule."""


class LookupFailedError(SinchNumbersError):
    """The API could not answer a lookup; the message says why and which settings to check."""


class UnknownRequirementError(SinchNumbersError, LookupError):
    """No attachment requirement has the title asked for; the message lists those there are."""


@dataclass(frozen=True)
class AttachmentRequirement:
    """One document a pair's KYC asks for: its ``id`` is an ``AttachmentArgs.requirement_id``."""

    id: str
    title: str
    description: str
    mandatory: bool
    allowed_mime_types: tuple[str, ...]
    """Empty: any type."""
    allowed_document_types: tuple[str, ...]
    """Not empty: the attachment's ``document_type`` must be one of these."""


@dataclass(frozen=True)
class Requirements:
    """What ordering ``number_type`` numbers in ``region_code`` requires.

    ``offered`` is false when Sinch lists neither requirements nor any available number for the
    pair; ``needs_kyc`` is false when it is offered without KYC (no registration, no documents).
    """

    region_code: str
    number_type: str
    offered: bool
    needs_kyc: bool
    attachments: tuple[AttachmentRequirement, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """The registration requirements as Sinch sends them (free-form; see docs/kyc.md)."""

    @property
    def mandatory_attachments(self) -> tuple[AttachmentRequirement, ...]:
        return tuple(a for a in self.attachments if a.mandatory)

    def attachment(self, title: str) -> AttachmentRequirement:
        """The attachment requirement titled ``title`` (exactly, else ignoring case)."""
        for candidate in (
            [a for a in self.attachments if a.title == title],
            [a for a in self.attachments if a.title.casefold() == title.casefold()],
        ):
            if len(candidate) == 1:
                return candidate[0]
        pair = f"{self.region_code} {self.number_type}"
        if not self.offered:
            raise UnknownRequirementError(f"Sinch does not offer {pair} numbers")
        titles = ", ".join(repr(a.title) for a in self.attachments) or "none"
        raise UnknownRequirementError(
            f"{pair} has no single attachment requirement titled {title!r}; its titles: {titles}"
        )


@dataclass(frozen=True)
class Price:
    currency_code: str
    amount: str
    """A decimal as a string, as Sinch sends it (``"0.50"``)."""

    def __str__(self) -> str:
        return f"{self.amount} {self.currency_code}"


@dataclass(frozen=True)
class OfferedNumber:
    """A number available to order now; searches are snapshots, so order it soon."""

    phone_number: str
    region_code: str
    number_type: str | None
    capabilities: tuple[str, ...]
    setup_price: Price | None
    monthly_price: Price | None
    payment_interval_months: int | None
    supporting_documentation_required: bool | None


@dataclass(frozen=True)
class _Answers:
    requirements: RequirementsCache
    searches: OnceCache


# The arguments are named as their declaration (core.lookup_schema) names them, which is also
# how the package's functions name them; those NumberOrder also has are judged as its inputs are.
_REGION = _Args.region_code.name
_TYPE = _Args.number_type.name
_PATTERN = _Args.pattern.name
_WHERE = _Args.search_pattern.name
_CAPABILITIES = _Args.capabilities.name
_SIZE = _Args.size.name

_ANSWERS: dict[str, _Answers] = {}
_ANSWERS_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every answer, so the next lookups ask Sinch again (a long-lived process that runs
    programs over and over, such as an Automation API service, may want fresh ones)."""
    with _ANSWERS_LOCK:
        _ANSWERS.clear()


def lookup_requirements(
    region_code: str,
    number_type: str,
    *,
    settings: Callable[[], ProviderSettings] = program_settings,
) -> Requirements:
    """What ordering ``number_type`` numbers in ``region_code`` requires, from Sinch.

    ``settings`` reads where and how to call Sinch once the arguments are judged: the program's
    stack config by default; the provider plugin passes its own configuration's.

    Raises :class:`LookupArgumentError` for a malformed argument, ``ConfigurationError`` naming
    the stack keys for missing settings, :class:`LookupFailedError` when the API cannot answer.
    """
    c = Checker({_REGION: region_code, _TYPE: number_type})
    region = parse_region_code(c, _REGION)
    kind = c.enum(_TYPE, NumberType, required=True)
    _raise_failures("lookup_requirements", c)
    assert region is not None
    assert kind is not None
    current = settings()
    try:
        found = cached_requirements(
            connection_for(current).client, _answers(current).requirements, region, kind.value
        )
    except PairNotOfferedError:
        return Requirements(region, kind.value, offered=False, needs_kyc=False)
    except SinchNumbersError as error:
        raise LookupFailedError(
            f"lookup_requirements({region} {kind.value}): {describe_error(error)}"
        ) from None
    if found is None:
        return Requirements(region, kind.value, offered=True, needs_kyc=False)
    return _requirements(region, kind.value, found)


def find_available_numbers(
    region_code: str,
    number_type: str,
    *,
    pattern: str | None = None,
    search_pattern: str | None = None,
    capabilities: Sequence[str] | None = None,
    size: int | None = None,
    settings: Callable[[], ProviderSettings] = program_settings,
) -> tuple[OfferedNumber, ...]:
    """Numbers available to order, as ``sinch-numbers search`` lists them; reserves nothing.

    ``pattern`` is matched against the E.164 form (``+61412``), where ``search_pattern`` (START,
    CONTAINS or END) says; ``capabilities`` (SMS, VOICE) must all be offered; ``size`` caps the
    count. ``settings`` as for :func:`lookup_requirements`. Raises like it.
    """
    c = Checker(
        {
            _REGION: region_code,
            _TYPE: number_type,
            _PATTERN: pattern,
            _WHERE: search_pattern,
            _CAPABILITIES: list(capabilities)
            if isinstance(capabilities, Sequence) and not isinstance(capabilities, str)
            else capabilities,
            _SIZE: size,
        }
    )
    region = parse_region_code(c, _REGION)
    kind = c.enum(_TYPE, NumberType, required=True)
    digits = c.string(_PATTERN)
    check_number_pattern(c, _PATTERN, digits)
    where = c.enum(_WHERE, SearchPatternEnum)
    if where is not None and digits is None:
        c.fail(_WHERE, f"needs {_PATTERN}")
    wanted = parse_capabilities(c, _CAPABILITIES)
    count = c.number(_SIZE)
    if count is not None and (not count.is_integer() or count < 1):
        c.fail(_SIZE, "must be a whole number of at least 1")
    _raise_failures("find_available_numbers", c)
    assert region is not None
    assert kind is not None
    limit = int(count) if count is not None else None
    current = settings()
    client = connection_for(current).client

    def search() -> object:
        found = client.list_available_numbers(
            region,
            kind,
            capabilities=list(wanted or ()),
            pattern=digits,
            search_pattern=where,
            size=limit,
        )
        return tuple(_offered(n) for n in found)

    try:
        numbers = _answers(current).searches.get(
            (region, kind, digits, where, wanted, limit), search
        )
    except SinchNumbersError as error:
        raise LookupFailedError(
            f"find_available_numbers({region} {kind.value}): {describe_error(error)}"
        ) from None
    assert isinstance(numbers, tuple)
    return numbers


def _answers(settings: ProviderSettings) -> _Answers:
    key = settings.cache_key()
    with _ANSWERS_LOCK:
        answers = _ANSWERS.get(key)
        if answers is None:
            answers = _ANSWERS[key] = _Answers(RequirementsCache(), OnceCache())
        return answers


def _raise_failures(function: str, c: Checker) -> None:
    if c.failures:
        listed = "; ".join(map(str, c.failures))
        raise LookupArgumentError(f"{function}: {listed}")


def _requirements(region: str, number_type: str, found: NumberRequirements) -> Requirements:
    return Requirements(
        region,
        number_type,
        offered=True,
        needs_kyc=True,
        attachments=tuple(
            AttachmentRequirement(
                id=a.id,
                title=a.title,
                description=a.description,
                mandatory=a.mandatory,
                allowed_mime_types=tuple(a.allowed_mime_types),
                allowed_document_types=tuple(a.allowed_document_types),
            )
            for a in found.attachments
        ),
        fields=MappingProxyType(dict(found.fields)),
    )


def _price(money: Money | None) -> Price | None:
    return Price(money.currency_code, money.amount) if money is not None else None


def _offered(number: AvailableNumber) -> OfferedNumber:
    return OfferedNumber(
        phone_number=number.phone_number,
        region_code=number.region_code,
        number_type=number.type.value if number.type is not None else None,
        capabilities=tuple(c.value for c in number.capabilities),
        setup_price=_price(number.setup_price),
        monthly_price=_price(number.monthly_price),
        payment_interval_months=number.payment_interval_months,
        supporting_documentation_required=number.supporting_documentation_required,
    )
