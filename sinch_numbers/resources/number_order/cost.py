"""What an ``up`` would buy: the numbers a new order reserves and their prices, for preview.

Priced from the available-numbers data, as Sinch lists them now (an order is priced when it is
created, so this is an estimate): one ``GET availableNumbers/{number}`` for a specific number, one
search per region, type and criteria for a quantity, each cached per process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import NotFoundError
from sinch_numbers.api.models import AvailableNumber, Money
from sinch_numbers.core.requirements import OnceCache
from sinch_numbers.resources.number_order.inputs import OrderInputs


def _setup(number: AvailableNumber) -> Money | None:
    return number.setup_price


def _monthly(number: AvailableNumber) -> Money | None:
    return number.monthly_price


@dataclass(frozen=True)
class Quote:
    """The numbers an order would reserve now, and what they cost in all."""

    wanted: int
    numbers: tuple[AvailableNumber, ...]

    def _total(self, pick: Callable[[AvailableNumber], Money | None]) -> str:
        totals: dict[str, Decimal] = {}
        for number in self.numbers:
            money = pick(number)
            if money is None or not money.currency_code:
                continue
            try:
                amount = Decimal(money.amount)
            except InvalidOperation:
                continue
            totals[money.currency_code] = totals.get(money.currency_code, Decimal()) + amount
        return " + ".join(f"{amount:.2f} {code}" for code, amount in sorted(totals.items()))

    def describe(self, inputs: OrderInputs) -> str:
        pair = f"{inputs.region_code} {inputs.number_type.value}"
        if not self.numbers:
            return (
                f"an up would order {self.wanted} {pair} number(s): none is available now, so "
                "the order would fail"
            )
        what = (
            f"{inputs.phone_number}"
            if inputs.phone_number is not None
            else f"{self.wanted} number(s)"
            + (f" matching {inputs.number_pattern}" if inputs.number_pattern else "")
        )
        intervals = {n.payment_interval_months for n in self.numbers} - {None}
        every = (
            "every month"
            if intervals in (set(), {1})
            else "every " + "/".join(f"{i}" for i in sorted(i for i in intervals if i)) + " months"
        )
        short = (
            f"; only {len(self.numbers)} of {self.wanted} are available now"
            if len(self.numbers) < self.wanted
            else ""
        )
        return (
            f"an up would order {what} ({pair}): setup {self._total(_setup) or 'not listed'}"
            f", then {self._total(_monthly) or 'not listed'} {every}, as priced now{short}"
        )


def quote(client: SinchNumbersClient, cache: OnceCache, inputs: OrderInputs) -> Quote:
    """The numbers and prices for an order with these inputs (cached per process)."""
    if inputs.phone_number is not None:
        phone = inputs.phone_number

        def one() -> tuple[AvailableNumber, ...]:
            try:
                return (client.get_available_number(phone),)
            except NotFoundError:
                return ()

        found = cache.get(("number", phone), one)
        return Quote(1, _numbers(found))

    wanted = inputs.quantity or 1
    capabilities = tuple(c.value for c in inputs.capabilities or ())
    key: Hashable = (
        "search",
        inputs.region_code,
        inputs.number_type.value,
        inputs.number_pattern,
        inputs.search_pattern.value if inputs.search_pattern else None,
        capabilities,
        wanted,
    )

    def search() -> tuple[AvailableNumber, ...]:
        return tuple(
            client.list_available_numbers(
                inputs.region_code,
                inputs.number_type,
                capabilities=list(capabilities) or None,
                pattern=inputs.number_pattern,
                search_pattern=inputs.search_pattern,
                size=wanted,
            )
        )

    return Quote(wanted, _numbers(cache.get(key, search))[:wanted])


def _numbers(value: object) -> tuple[AvailableNumber, ...]:
    assert isinstance(value, tuple)
    found: Sequence[AvailableNumber] = value
    return tuple(found)
