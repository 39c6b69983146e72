"""A bounded schemathesis run against the emulator's OpenAPI document: never a 5xx.

The document is built in-process (the same one ``/openapi.json`` serves); the requests go to the
real server over HTTP.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from sinch_numbers.emulator.app import create_emulator
from sinch_numbers.emulator.config import EmulatorConfig
from sinch_numbers.testing.emulator import EmulatorProcess

schema = schemathesis.openapi.from_dict(create_emulator(EmulatorConfig()).api.openapi())


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_fuzzed_requests_never_fail_the_server(case: Any, emulator_server: EmulatorProcess) -> None:
    creds = emulator_server.credentials
    if "projectId" in (case.path_parameters or {}):
        case.path_parameters["projectId"] = creds.project_id
    response = case.call(
        base_url=emulator_server.url,
        auth=(creds.key_id, creds.key_secret),
    )
    assert response.status_code < 500, (case.method, case.formatted_path, response.text)
    case.validate_response(response, checks=(not_a_server_error,))
