"""The deterministic stock of numbers the emulator offers per region and number type.

Every number is valid for its region (checked in the tests with ``phonenumbers``); the stock is
large enough for hundreds of orders per pair, and what is reserved or active is no longer offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

SMS = "SMS"
VOICE = "VOICE"
STOCK_SIZE = 1000


@dataclass(frozen=True)
class Product:
    region_code: str
    number_type: str
    prefix: str
    digits: int
    first: int
    currency: str
    setup_price: str
    monthly_price: str
    # Capabilities cycle by position so that capability filters have something to select.
    capability_cycle: tuple[tuple[str, ...], ...]
    supporting_documentation_required: bool

    def number(self, index: int) -> str:
        return f"{self.prefix}{self.first + index:0{self.digits}d}"

    def index_of(self, phone_number: str) -> int | None:
        if not phone_number.startswith(self.prefix):
            return None
        tail = phone_number[len(self.prefix) :]
        if len(tail) != self.digits or not tail.isdigit():
            return None
        index = int(tail) - self.first
        return index if 0 <= index < STOCK_SIZE else None

    def capabilities(self, index: int) -> list[str]:
        return list(self.capability_cycle[index % len(self.capability_cycle)])

    def money(self, amount: str) -> dict[str, str]:
        return {"currencyCode": self.currency, "amount": amount}


_BOTH = (SMS, VOICE)
PRODUCTS: tuple[Product, ...] = (
    Product("AU", "MOBILE", "+61412", 6, 100, "USD", "1.00", "4.50", (_BOTH, (SMS,), _BOTH), True),
    Product("AU", "LOCAL", "+61290", 6, 2000, "USD", "1.00", "3.00", ((VOICE,),), True),
    Product("DE", "LOCAL", "+49301", 7, 12000, "EUR", "2.00", "1.50", ((VOICE,),), True),
    Product("BR", "MOBILE", "+5511987", 6, 3000, "USD", "0.00", "6.00", (_BOTH, (SMS,)), True),
    Product("GB", "MOBILE", "+447400", 6, 40000, "USD", "0.00", "1.25", (_BOTH, (SMS,)), True),
    Product("SE", "TOLL_FREE", "+46201", 5, 5000, "EUR", "10.00", "12.00", ((VOICE,),), True),
    # The live API reports supportingDocumentationRequired=true for US numbers although their
    # requirements lookup answers 404 (observed); mirrored here on purpose.
    Product("US", "LOCAL", "+1307555", 4, 1000, "USD", "0.00", "0.50", (_BOTH,), True),
    Product("US", "TOLL_FREE", "+1833555", 4, 2000, "USD", "0.00", "2.00", (_BOTH, (VOICE,)), True),
)


@cache
def product(region_code: str, number_type: str) -> Product | None:
    for item in PRODUCTS:
        if item.region_code == region_code and item.number_type == number_type:
            return item
    return None


def find_product(phone_number: str) -> tuple[Product, int] | None:
    for item in PRODUCTS:
        index = item.index_of(phone_number)
        if index is not None:
            return item, index
    return None


def available_number(item: Product, index: int) -> dict[str, Any]:
    return {
        "phoneNumber": item.number(index),
        "regionCode": item.region_code,
        "type": item.number_type,
        "capability": item.capabilities(index),
        "setupPrice": item.money(item.setup_price),
        "monthlyPrice": item.money(item.monthly_price),
        "paymentIntervalMonths": 1,
        "supportingDocumentationRequired": item.supporting_documentation_required,
    }


def order_number(item: Product, index: int) -> dict[str, Any]:
    return {
        "phoneNumber": item.number(index),
        "numberPrice": {
            "setupPrice": item.money(item.setup_price),
            "monthlyPrice": item.money(item.monthly_price),
            "paymentIntervalMonths": 1,
        },
        "capabilities": item.capabilities(index),
    }


def matches_pattern(phone_number: str, pattern: str | None, search: str | None) -> bool:
    """Patterns match the full E.164 string with its '+' (observed: '212' finds no US number)."""
    if not pattern:
        return True
    if search == "CONTAINS":
        return pattern in phone_number
    if search == "END":
        return phone_number.endswith(pattern)
    return phone_number.startswith(pattern)
