"""A region code is judged as given, before it is upper-cased: "ß".upper() is "SS" (South Sudan).

Every entry point that takes a region code (a NumberOrder's inputs, the program-time lookups, the
command line's arguments and options) must refuse a value whose upper case only happens to be two
ASCII letters, and must never send such a value on as a code.
"""

from __future__ import annotations

import sys

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from sinch_numbers.cli.options import region_code as cli_region_code
from sinch_numbers.lookups import LookupArgumentError, find_available_numbers, lookup_requirements
from sinch_numbers.resources.number_order.inputs import check_inputs

# Every character that is not an ASCII letter but whose upper case is made of ASCII letters only:
# "ß" -> "SS", "ﬀ" -> "FF", dotless i -> "I", long s -> "S", "ﬆ" -> "ST", ...
_UPPERS_TO_ASCII = [
    chr(point)
    for point in range(sys.maxunicode + 1)
    if not ("A" <= chr(point) <= "Z" or "a" <= chr(point) <= "z")
    and chr(point).upper().isascii()
    and chr(point).upper().isalpha()
]
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Values whose upper case is two ASCII letters though they are not two ASCII letters themselves.
disguised_codes = (
    st.lists(
        st.sampled_from(_UPPERS_TO_ASCII) | st.sampled_from(_ASCII_LETTERS), min_size=1, max_size=2
    )
    .map("".join)
    .filter(lambda text: len(text.upper()) == 2 and not text.isascii())
)


def test_the_disguised_characters_exist() -> None:
    # The property below is only as strong as this list: it must hold the known offenders.
    assert {"ß", "ﬀ", "\u0131", "\u017f"} <= set(_UPPERS_TO_ASCII)


@given(disguised_codes)
def test_a_number_order_refuses_a_region_code_that_only_upper_cases_to_a_code(value: str) -> None:
    checked = check_inputs(
        {"region_code": value, "number_type": "MOBILE", "phone_number": "+61412000100"}
    )
    assert [str(f) for f in checked.failures] == [
        "region_code: must be an ISO 3166-1 alpha-2 code such as AU or DE"
    ]
    assert checked.parsed is None
    assert checked.inputs["region_code"] == value


@given(disguised_codes)
def test_the_lookups_refuse_a_region_code_that_only_upper_cases_to_a_code(value: str) -> None:
    with pytest.raises(LookupArgumentError, match="region_code"):
        lookup_requirements(value, "MOBILE")
    with pytest.raises(LookupArgumentError, match="region_code"):
        find_available_numbers(value, "MOBILE")


@given(disguised_codes)
def test_the_command_line_refuses_a_region_code_that_only_upper_cases_to_a_code(
    value: str,
) -> None:
    with pytest.raises(typer.BadParameter):
        cli_region_code(value)


@pytest.mark.parametrize("value", ["AU\n", "au\n", " AU", "A U"])
def test_the_command_line_refuses_a_region_code_with_white_space(value: str) -> None:
    with pytest.raises(typer.BadParameter):
        cli_region_code(value)


@pytest.mark.parametrize(("value", "code"), [("au", "AU"), ("De", "DE"), ("US", "US")])
def test_two_ascii_letters_are_upper_cased_everywhere(value: str, code: str) -> None:
    checked = check_inputs({"region_code": value, "number_type": "MOBILE", "quantity": 1})
    assert checked.inputs["region_code"] == code
    assert cli_region_code(value) == code
