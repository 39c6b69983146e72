"""The orders every benchmark figure uses, so the provider and the baseline do the same work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sinch_numbers.testing import Secret
from sinch_numbers.testing.emulator import EmulatorProcess

# AU LOCAL has exactly one mandatory document: figure 1's "one order, one document".
SINGLE_DOCUMENT_PAIR = ("AU", "LOCAL")
# Four pairs with one or two mandatory documents each, so the orders are not all alike.
PAIRS = (("AU", "LOCAL"), ("SE", "TOLL_FREE"), ("AU", "MOBILE"), ("DE", "LOCAL"))

# The calls one order needs when nothing is cached: token, lookup, the price search check makes
# for a new order (sinch:showCost), create, registration, submit.
FIXED_CALLS = 6


@dataclass(frozen=True)
class Document:
    requirement_id: str
    path: Path
    mime_type: str
    document_type: str | None


@dataclass(frozen=True)
class OrderSpec:
    region_code: str
    number_type: str
    registration: Any
    documents: tuple[Document, ...]

    @property
    def minimum_calls(self) -> int:
        """Token, lookup, price search, create, registration, one upload per document, submit."""
        return FIXED_CALLS + len(self.documents)

    def inputs(self) -> dict[str, Any]:
        """NumberOrder inputs as the resource class registers them (KYC data secret)."""
        attachments = [
            {
                "requirement_id": d.requirement_id,
                "file": str(d.path),
                **({"document_type": d.document_type} if d.document_type else {}),
            }
            for d in self.documents
        ]
        return {
            "region_code": self.region_code,
            "number_type": self.number_type,
            "quantity": 1,
            "registration": Secret(self.registration),
            "attachments": Secret(attachments),
            "release_on_destroy": True,
            "wait_for_completion": False,
        }


def build_specs(emulator: EmulatorProcess, directory: Path) -> dict[tuple[str, str], OrderSpec]:
    """A valid registration and the mandatory documents of every pair, written to ``directory``."""
    specs = {}
    for region_code, number_type in {SINGLE_DOCUMENT_PAIR, *PAIRS}:
        sample = emulator.sample(region_code, number_type)
        documents = []
        for item in sample.attachments:
            if not item.mandatory:
                continue
            path = directory / f"{region_code}-{number_type}-{item.requirement_id}-{item.file_name}"
            path.write_bytes(item.content)
            documents.append(
                Document(item.requirement_id, path, item.mime_type, item.document_type)
            )
        specs[(region_code, number_type)] = OrderSpec(
            region_code, number_type, sample.registration, tuple(documents)
        )
    return specs


def order_mix(specs: dict[tuple[str, str], OrderSpec], count: int) -> list[OrderSpec]:
    """``count`` orders spread round-robin over ``PAIRS``."""
    return [specs[PAIRS[i % len(PAIRS)]] for i in range(count)]
