"""Both client constructors take the same call options, which _start receives by name."""

from __future__ import annotations

import inspect

from sinch_numbers.api import client as client_module
from sinch_numbers.api.client import SinchNumbersClient


def _keywords(function: object) -> set[str]:
    return {
        name
        for name, parameter in inspect.signature(function).parameters.items()  # type: ignore[arg-type]
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_the_keyword_constructor_and_from_settings_share_their_call_options() -> None:
    options = set(client_module._CLIENT_OPTIONS)
    assert _keywords(SinchNumbersClient._start) == options
    assert options <= _keywords(SinchNumbersClient.__init__)
    assert _keywords(SinchNumbersClient.from_settings) == options
    settings_arguments = _keywords(SinchNumbersClient.__init__) - options
    assert settings_arguments == {
        "project_id",
        "key_id",
        "key_secret",
        "numbers_url",
        "auth_url",
        "setting_names",
    }
