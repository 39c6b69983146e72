"""Canaries: no key secret, token or KYC data in errors, reprs or logs."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from sinch_numbers.api import (
    OrderOutcomeUnknownError,
    SinchNumbersClient,
    SinchNumbersError,
)
from sinch_numbers.api.models import CreateNumberOrderRequest, NumberOrderOption, NumberType
from tests.unit.conftest import KEY_SECRET, TOKEN, FakeSinch, api_error, reply

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
REGISTRATION_PATH = f"numberOrders/{ORDER_ID}/registration"
KYC_CANARY = "KYC-CANARY-PASSPORT-5521"
KYC_DATA = [{"firstName": KYC_CANARY, "passportNumber": KYC_CANARY}]
CANARIES = (KEY_SECRET, TOKEN, KYC_CANARY)


def _assert_clean(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text


def _error_texts(error: BaseException) -> str:
    parts = [str(error), repr(error), repr(error.args), repr(vars(error))]
    if error.__cause__ is not None:
        parts.append(str(error.__cause__))
    return "\n".join(parts)


def _network(kind: type[httpx.RequestError]) -> httpx.RequestError:
    return kind("simulated", request=httpx.Request("PUT", "https://numbers.test"))


FAILURES: list[Any] = [
    api_error(
        400,
        "INVALID_ARGUMENT",
        "validation failed",
        [{"type": "BadRequest", "fieldViolations": [{"field": "data[0]", "description": "bad"}]}],
    ),
    api_error(401, "UNAUTHENTICATED", "", headers={"WWW-Authenticate": 'Bearer error="expired"'}),
    api_error(403, "PERMISSION_DENIED", ""),
    api_error(404, "NOT_FOUND", "gone"),
    api_error(500, "INTERNAL", "boom"),
    reply(502, b"<html>proxy</html>", headers={"content-type": "text/html"}),
    reply(200, b"not json"),
    _network(httpx.ReadTimeout),
    _network(httpx.ConnectError),
]


@pytest.mark.parametrize("failure", FAILURES)
def test_errors_never_show_secrets_tokens_or_kyc_data(
    client: SinchNumbersClient,
    fake: FakeSinch,
    failure: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.on("PUT", REGISTRATION_PATH, failure)
    with pytest.raises(SinchNumbersError) as caught:
        client.update_registration(ORDER_ID, KYC_DATA)
    _assert_clean(_error_texts(caught.value))
    _assert_clean(repr(pickle.loads(pickle.dumps(caught.value))))  # noqa: S301 - our own object
    _assert_clean(caplog.text)


def test_token_endpoint_errors_are_clean(
    client: SinchNumbersClient, fake: FakeSinch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.token_replies = [reply(401, {"error": "invalid_client"})]
    with pytest.raises(SinchNumbersError) as caught:
        client.get_number_order(ORDER_ID)
    _assert_clean(_error_texts(caught.value))
    _assert_clean(caplog.text)


def test_order_outcome_unknown_is_clean_and_explains(
    client: SinchNumbersClient, fake: FakeSinch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.on("POST", "numberOrders:createNumberOrder", _network(httpx.ReadTimeout))
    request = CreateNumberOrderRequest(
        region_code="AU",
        number_type=NumberType.MOBILE,
        callback_url=f"https://hooks.example.com/{KYC_CANARY}",
        number_order_option=NumberOrderOption(phone_numbers=["+61411111112"]),
    )
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        client.create_number_order(request)
    error = caught.value
    text = str(error)
    assert "may have been created" in text
    assert "no way to list orders" in text
    assert "dashboard" in text
    assert "adopt" in text
    assert "AU MOBILE" in text
    assert "\n" not in text
    _assert_clean(_error_texts(error))
    _assert_clean(caplog.text)


def test_successful_flow_logs_nothing_secret(
    make_client: Callable[..., SinchNumbersClient],
    fake: FakeSinch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client()
    fake.on(
        "PUT",
        REGISTRATION_PATH,
        api_error(503, "UNAVAILABLE", "later", headers={"Retry-After": "1"}),
        reply(200, {"requestDetails": {"data": KYC_DATA}}),
    )
    registration = client.update_registration(ORDER_ID, KYC_DATA)
    assert registration.data == KYC_DATA
    assert "retry 1 of 3" in caplog.text
    _assert_clean(caplog.text)
    _assert_clean(repr(registration))


def test_client_repr_and_state(client: SinchNumbersClient) -> None:
    _assert_clean(repr(client))
    _assert_clean(repr(vars(client)))
    assert "<redacted>" in repr(client)
    with pytest.raises(TypeError, match="credentials"):
        pickle.dumps(client)


def test_bad_hmac_secret_is_not_echoed(client: SinchNumbersClient) -> None:
    with pytest.raises(ValidationError) as caught:
        client.update_callback_configuration(f"short {KYC_CANARY}!")
    _assert_clean(str(caught.value))
