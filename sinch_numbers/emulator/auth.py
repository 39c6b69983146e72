"""OAuth2 client-credentials tokens and the Basic / Bearer checks every API route makes."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse

from sinch_numbers.emulator.errors import ApiError
from sinch_numbers.emulator.state import EmulatorState


def _basic_credentials(header: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(header, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key_id, separator, key_secret = decoded.partition(":")
    return (key_id, key_secret) if separator else None


def _matches(state: EmulatorState, key_id: str, key_secret: str) -> bool:
    config = state.config
    # Both comparisons always run so a wrong id and a wrong secret take the same time.
    id_ok = hmac.compare_digest(key_id.encode(), config.key_id.encode())
    secret_ok = hmac.compare_digest(key_secret.encode(), config.key_secret.encode())
    return id_ok and secret_ok


def _unauthenticated(message: str, challenge: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": challenge})


def authenticate(state: EmulatorState, request: Request, now: float) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic":
        credentials = _basic_credentials(value)
        if credentials is None or not _matches(state, *credentials):
            raise _unauthenticated("Invalid credentials", 'Basic realm="sinch"')
        return
    if scheme == "bearer" and value:
        expiry = state.tokens.get(value)
        if expiry is None:
            raise _unauthenticated("Invalid access token", 'Bearer error="invalid_token"')
        if expiry <= now:
            raise _unauthenticated("Access token expired", 'Bearer error="expired"')
        return
    raise _unauthenticated("Missing credentials", 'Bearer realm="sinch"')


def check_project(state: EmulatorState, project_id: str) -> None:
    if project_id not in state.config.project_ids:
        # The documented PermissionDenied example has an empty message and no details.
        raise ApiError(403, "", status="PERMISSION_DENIED")


def _oauth_error(code: int, error: str, description: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="sinch"'} if code == 401 else {}
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=code, headers=headers
    )


async def issue_token(state: EmulatorState, request: Request) -> JSONResponse:
    """The token endpoint answers OAuth2-style errors, not the Numbers envelope."""
    raw = await request.body()
    if len(raw) > 64 * 1024:
        return _oauth_error(400, "invalid_request", "request body too large")
    try:
        form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    except UnicodeDecodeError:
        return _oauth_error(400, "invalid_request", "body must be form-urlencoded")
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        credentials = _basic_credentials(value.strip())
    elif "client_id" in form:
        credentials = (form["client_id"], form.get("client_secret", ""))
    else:
        return _oauth_error(401, "invalid_client", "client authentication is required")
    if credentials is None or not _matches(state, *credentials):
        return _oauth_error(401, "invalid_client", "invalid client credentials")
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
    with state.session() as now:
        token = secrets.token_urlsafe(32)
        lifetime = state.settings.token_lifetime_seconds
        state.tokens[token] = now + lifetime
        state.touch()
    return JSONResponse(
        {"access_token": token, "expires_in": lifetime, "scope": "", "token_type": "bearer"},
        headers={"Cache-Control": "no-store"},
    )
