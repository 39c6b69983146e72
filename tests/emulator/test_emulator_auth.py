"""Token endpoint, Bearer and Basic auth, expiry on the emulator clock, project id checks."""

from __future__ import annotations

import httpx
from emulator_helpers import error_of

from sinch_numbers.testing.emulator import EmulatorProcess

PATH = "/v1/projects/emulator-project/availableNumbers?regionCode=AU&type=MOBILE&size=1"


def token(raw: httpx.Client, key: str = "emulator-key", secret: str = "emulator-secret") -> str:
    response = raw.post(
        "/oauth2/token", auth=(key, secret), data={"grant_type": "client_credentials"}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_token_has_the_observed_shape(raw: httpx.Client) -> None:
    response = raw.post(
        "/oauth2/token",
        auth=("emulator-key", "emulator-secret"),
        data={"grant_type": "client_credentials"},
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "scope", "token_type"}
    assert body["expires_in"] == 3599
    assert body["scope"] == ""
    assert body["token_type"] == "bearer"


def test_bearer_and_basic_both_work(raw: httpx.Client) -> None:
    bearer = raw.get(PATH, headers={"Authorization": f"Bearer {token(raw)}"})
    basic = raw.get(PATH, auth=("emulator-key", "emulator-secret"))
    assert bearer.status_code == basic.status_code == 200
    assert bearer.json() == basic.json()


def test_missing_credentials_are_401(raw: httpx.Client) -> None:
    response = raw.get(PATH)
    assert response.status_code == 401
    assert error_of(response)["status"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_wrong_basic_credentials_are_401(raw: httpx.Client) -> None:
    for creds in [("emulator-key", "nope"), ("nope", "emulator-secret")]:
        response = raw.get(PATH, auth=creds)
        assert response.status_code == 401
        assert error_of(response)["status"] == "UNAUTHENTICATED"
        assert response.headers["www-authenticate"].startswith("Basic")
    garbled = raw.get(PATH, headers={"Authorization": "Basic %%%not-base64"})
    assert garbled.status_code == 401


def test_unknown_token_is_invalid_token(raw: httpx.Client) -> None:
    response = raw.get(PATH, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert "expired" not in response.headers["www-authenticate"]


def test_token_expires_on_the_emulator_clock(raw: httpx.Client, emulator: EmulatorProcess) -> None:
    headers = {"Authorization": f"Bearer {token(raw)}"}
    emulator.advance_clock(3598)
    assert raw.get(PATH, headers=headers).status_code == 200
    emulator.advance_clock(2)
    response = raw.get(PATH, headers=headers)
    assert response.status_code == 401
    assert 'error="expired"' in response.headers["www-authenticate"]
    assert error_of(response)["status"] == "UNAUTHENTICATED"
    fresh = {"Authorization": f"Bearer {token(raw)}"}
    assert raw.get(PATH, headers=fresh).status_code == 200


def test_token_lifetime_is_configurable(raw: httpx.Client, emulator: EmulatorProcess) -> None:
    emulator.settings(token_lifetime_seconds=10)
    response = raw.post(
        "/oauth2/token",
        auth=("emulator-key", "emulator-secret"),
        data={"grant_type": "client_credentials"},
    )
    assert response.json()["expires_in"] == 10
    emulator.advance_clock(11)
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert raw.get(PATH, headers=headers).status_code == 401


def test_token_endpoint_errors_are_oauth_style(raw: httpx.Client) -> None:
    wrong = raw.post(
        "/oauth2/token", auth=("emulator-key", "x"), data={"grant_type": "client_credentials"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert "error_description" in wrong.json()
    missing = raw.post("/oauth2/token", data={"grant_type": "client_credentials"})
    assert missing.status_code == 401
    grant = raw.post(
        "/oauth2/token", auth=("emulator-key", "emulator-secret"), data={"grant_type": "password"}
    )
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"


def test_token_endpoint_accepts_form_client_credentials(raw: httpx.Client) -> None:
    response = raw.post(
        "/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "emulator-key",
            "client_secret": "emulator-secret",
        },
    )
    assert response.status_code == 200


def test_other_project_is_permission_denied(raw: httpx.Client) -> None:
    response = raw.get(
        "/v1/projects/someone-else/availableNumbers?regionCode=AU&type=MOBILE",
        auth=("emulator-key", "emulator-secret"),
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": 403, "message": "", "status": "PERMISSION_DENIED", "details": []}
    }


def test_auth_is_checked_before_the_request_is_validated(raw: httpx.Client) -> None:
    response = raw.post(
        "/v1/projects/emulator-project/numberOrders:createNumberOrder", content=b"{"
    )
    assert response.status_code == 401


def test_long_expired_tokens_still_say_expired(
    raw: httpx.Client, emulator: EmulatorProcess
) -> None:
    headers = {"Authorization": f"Bearer {token(raw)}"}
    emulator.advance_clock(49 * 3600)
    response = raw.get(PATH, headers=headers)
    assert response.status_code == 401
    assert 'error="expired"' in response.headers["www-authenticate"]
