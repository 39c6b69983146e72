"""The CLI's ORDER_ID and the provider's adopt_order_id accept exactly the same ids."""

from __future__ import annotations

import string

import pytest
from cli_helpers import clean_environment
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sinch_numbers.cli import app
from sinch_numbers.resources.number_order.inputs import check_inputs

RUNNER = CliRunner()

# Characters ids are made of, and ones that must never get through (path, query, quoting, space).
ID_CHARACTERS = string.ascii_letters + string.digits + "._:-"
HOSTILE = "/\\?#%&+@ '\"\t\n\r\x00é日"


def provider_accepts(order_id: str) -> bool:
    checked = check_inputs(
        {"region_code": "AU", "number_type": "MOBILE", "adopt_order_id": order_id}
    )
    return all(failure.field != "adopt_order_id" for failure in checked.failures)


def cli_accepts(order_id: str) -> bool:
    # After "--" the id is always the argument, never read as an option such as --help.
    result = RUNNER.invoke(app, ["order", "show", "--", order_id], env=clean_environment())
    if result.exit_code == 2:
        assert "'ORDER_ID'" in result.stderr, result.stderr
        return False
    # Accepted: the command went on and stopped at the missing credentials.
    assert result.exit_code == 3, result.output
    return True


@pytest.mark.parametrize(
    ("order_id", "accepted"),
    [
        ("03kjzencnckxrn216rr1zzzzzz", True),  # the spec's example order id
        ("d1c7ccbf-919d-462f-8587-dec95a1b11zz", True),  # UUID-like, as the spec's attachment id
        ("order.v2:1_a", True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("..", False),
        ("-x", False),
        ("../../etc", False),
        ("https://dashboard.sinch.com/orders/01j", False),
        ("01j 02k", False),
        ("01j\n", False),
    ],
)
def test_known_ids(order_id: str, accepted: bool) -> None:
    assert provider_accepts(order_id) is accepted
    assert cli_accepts(order_id) is accepted


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,130}", fullmatch=True),
        st.text(alphabet=ID_CHARACTERS + HOSTILE, min_size=1, max_size=140),
        st.text(min_size=1, max_size=40),
    )
)
def test_the_cli_and_the_provider_agree(order_id: str) -> None:
    # The empty string is left out: for the provider it means "not set", for the CLI a bad id.
    assert provider_accepts(order_id) == cli_accepts(order_id)
