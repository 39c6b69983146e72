"""A refused key or project says which settings to check, in the caller's words (never values)."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest

from sinch_numbers.api import AuthenticationError, PermissionDeniedError, SinchNumbersClient
from tests.unit.conftest import KEY_ID, KEY_SECRET, PROJECT, FakeSinch, api_error, reply

ORDER_ID = "01jq4x7h2m9v3t8k5r6p0s1wzy"
STACK_KEYS = {
    "project_id": "sinch:projectId",
    "key_id": "sinch:keyId",
    "key_secret": "sinch:keySecret",
}
KEY_HINT = "; check sinch:keyId (or SINCH_KEY_ID) and sinch:keySecret (or SINCH_KEY_SECRET)"


@pytest.mark.parametrize("auth_method", ["oauth2", "basic"])
def test_a_401_from_the_api_names_the_key_settings(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, auth_method: str
) -> None:
    client = make_client(setting_names=STACK_KEYS, auth_method=auth_method)
    fake.on("GET", f"numberOrders/{ORDER_ID}", api_error(401, "UNAUTHENTICATED", "bad key"))
    with pytest.raises(AuthenticationError) as caught:
        client.get_number_order(ORDER_ID)
    message = str(caught.value)
    assert message.startswith("HTTP 401 UNAUTHENTICATED: bad key (GET /v1/projects/")
    assert message.endswith(KEY_HINT)
    for value in (KEY_ID, KEY_SECRET):
        assert value not in message


def test_a_rejected_token_request_names_the_key_settings(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch
) -> None:
    client = make_client(setting_names=STACK_KEYS)
    fake.token_replies = [reply(401, {"error": "invalid_client", "error_description": "bad"})]
    with pytest.raises(AuthenticationError) as caught:
        client.lookup_number_requirements("AU", "MOBILE")
    assert caught.value.path == "/oauth2/token"
    assert str(caught.value).endswith(KEY_HINT)


def test_a_403_names_the_project_setting(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch
) -> None:
    client = make_client(setting_names=STACK_KEYS)
    fake.on("POST", "activeNumbers/+61411111112:release", api_error(403, "PERMISSION_DENIED"))
    with pytest.raises(PermissionDeniedError) as caught:
        client.release_active_number("+61411111112")
    assert str(caught.value) == (
        "HTTP 403 PERMISSION_DENIED: permission denied; check that the access key belongs to this "
        f"project (POST /v1/projects/{PROJECT}/activeNumbers/+61411111112:release); "
        "check sinch:projectId (or SINCH_PROJECT_ID)"
    )


def test_without_names_the_hint_uses_the_argument_names(
    client_default: SinchNumbersClient, fake: FakeSinch
) -> None:
    fake.on("GET", f"numberOrders/{ORDER_ID}", api_error(401, "UNAUTHENTICATED"))
    with pytest.raises(AuthenticationError) as caught:
        client_default.get_number_order(ORDER_ID)
    assert str(caught.value).endswith(
        "; check key_id (or SINCH_KEY_ID) and key_secret (or SINCH_KEY_SECRET)"
    )
    # The hint is part of the error, so it survives the trip across processes too.
    copied = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes
    assert str(copied) == str(caught.value)


@pytest.fixture
def client_default(make_client: Callable[..., SinchNumbersClient]) -> SinchNumbersClient:
    return make_client()
