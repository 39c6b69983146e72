"""Error statuses and detail shapes from the reference (§3) map onto the error tree."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinch_numbers.api import (
    APIError,
    AuthenticationError,
    ConflictError,
    ContentTooLargeError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    SinchNumbersClient,
    SinchNumbersError,
    SinchTransportError,
    TokenError,
    UnexpectedResponseError,
)
from sinch_numbers.api.errors import error_class_for, error_from_response
from tests.unit.conftest import PREFIX, FakeSinch, api_error, reply
from tests.unit.test_kyc import json_values

ORDER_PATH = "numberOrders/01jq4x7h2m9v3t8k5r6p0s1wzy"


def _get_order_error(
    client: SinchNumbersClient, fake: FakeSinch, answer: httpx.Response
) -> Exception:
    fake.on("GET", ORDER_PATH, answer)
    with pytest.raises(SinchNumbersError) as caught:
        client.get_number_order("01jq4x7h2m9v3t8k5r6p0s1wzy")
    return caught.value


def test_400_field_violations(client: SinchNumbersClient, fake: FakeSinch) -> None:
    body = api_error(
        400,
        "INVALID_ARGUMENT",
        "registration validation failed",
        [
            {
                "type": "BadRequest",
                "fieldViolations": [
                    {"field": "requestDetails.data[1].postalCode", "description": "is required"},
                    {"field": "requestDetails.data[2].firstName", "description": "too long"},
                ],
            }
        ],
        headers={"x-request-id": "req-123"},
    )
    fake.on("PUT", ORDER_PATH + "/registration", body)
    with pytest.raises(InvalidArgumentError) as caught:
        client.update_registration("01jq4x7h2m9v3t8k5r6p0s1wzy", {"postalCode": ""})
    error = caught.value
    assert error.status_code == 400
    assert error.api_status == "INVALID_ARGUMENT"
    assert error.request_id == "req-123"
    assert error.method == "PUT"
    assert error.path == PREFIX + ORDER_PATH + "/registration"
    assert [(v.field, v.description) for v in error.field_violations] == [
        ("requestDetails.data[1].postalCode", "is required"),
        ("requestDetails.data[2].firstName", "too long"),
    ]
    assert str(error) == (
        "HTTP 400 INVALID_ARGUMENT: registration validation failed "
        "[requestDetails.data[1].postalCode: is required; "
        "requestDetails.data[2].firstName: too long] "
        f"(PUT {PREFIX}{ORDER_PATH}/registration; request id req-123)"
    )
    assert "\n" not in str(error)


def test_400_without_details(client: SinchNumbersClient, fake: FakeSinch) -> None:
    error = _get_order_error(
        client,
        fake,
        api_error(400, "INVALID_ARGUMENT", 'parsing field "type": "XXX" is not a valid value'),
    )
    assert isinstance(error, InvalidArgumentError)
    assert error.field_violations == []


def test_403_with_empty_message(client: SinchNumbersClient, fake: FakeSinch) -> None:
    error = _get_order_error(client, fake, api_error(403, "PERMISSION_DENIED", ""))
    assert isinstance(error, PermissionDeniedError)
    assert error.message == ""
    assert str(error).startswith("HTTP 403 PERMISSION_DENIED: permission denied;")


def test_404_observed_number_requirements_not_found(
    client: SinchNumbersClient, fake: FakeSinch
) -> None:
    observed = (
        b'{"error":{"code":404,"message":"Number requirements not found","status":"NOT_FOUND",'
        b'"details":[{"type":"ResourceInfo","resourceType":"NumberProduct",'
        b'"resourceName":"numberRequirements","owner":"",'
        b'"description":"Number requirements not found"}]}}'
    )
    fake.on(
        "POST",
        "numberOrders:lookupNumberRequirements",
        reply(404, observed, headers={"content-type": "application/json"}),
    )
    with pytest.raises(NotFoundError) as caught:
        client.lookup_number_requirements("US", "LOCAL")
    error = caught.value
    assert error.resource_type == "NumberProduct"
    assert error.resource_name == "numberRequirements"
    assert error.message == "Number requirements not found"
    assert "HTTP 404 NOT_FOUND: Number requirements not found [NumberProduct" in str(error)
    # 404 is an answer, not a failure: never retried.
    assert len(fake.api_requests) == 1


def test_404_active_number_with_empty_message(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "GET",
        "activeNumbers/+61499999999",
        api_error(
            404,
            "NOT_FOUND",
            "",
            [
                {
                    "type": "ResourceInfo",
                    "resourceType": "ActiveNumber",
                    "resourceName": "+61499999999",
                    "owner": "",
                    "description": "",
                }
            ],
        ),
    )
    with pytest.raises(NotFoundError) as caught:
        client.get_active_number("+61499999999")
    assert caught.value.resource_type == "ActiveNumber"
    assert caught.value.resource_name == "+61499999999"


def test_404_without_resource_info(client: SinchNumbersClient, fake: FakeSinch) -> None:
    error = _get_order_error(client, fake, api_error(404, "NOT_FOUND", "gone"))
    assert isinstance(error, NotFoundError)
    assert error.resource_type is None
    assert error.resource_name is None


def test_413_content_too_large(client: SinchNumbersClient, fake: FakeSinch) -> None:
    fake.on(
        "POST",
        ORDER_PATH + "/attachments/att1",
        api_error(
            413,
            "CONTENT_TOO_LARGE",
            "Document is too large to upload",
            [{"type": "RequestEntityTooLarge", "resourceName": "proof.pdf", "description": "big"}],
        ),
    )
    with pytest.raises(ContentTooLargeError) as caught:
        client.upload_attachment(
            "01jq4x7h2m9v3t8k5r6p0s1wzy",
            "att1",
            content=b"x" * 10,
            file_name="proof.pdf",
            mime_type="application/pdf",
        )
    assert caught.value.details[0]["resourceName"] == "proof.pdf"
    assert len(fake.api_requests) == 1


@pytest.mark.parametrize("api_status", ["INTERNAL", "UNKNOWN"])
def test_500_internal_and_unknown(
    make_client: Callable[..., SinchNumbersClient], fake: FakeSinch, api_status: str
) -> None:
    client = make_client(max_retries=0)
    error = _get_order_error(client, fake, api_error(500, api_status, "boom", [{"any": 1}]))
    assert isinstance(error, ServerError)
    assert error.api_status == api_status


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (
            b"<html><body>PAGE-CANARY</body></html>",
            "text/html",
            "non-JSON response body (text/html",
        ),
        (b"", "", "empty response body"),
        (b'["not", "an", "envelope"]', "application/json", "without an error object"),
        (b'{"error": {"code": "x", "details": 5}}', "application/json", "malformed error body"),
        (b'{"error": ' + b"[" * 100_000, "application/json", "non-JSON response body"),
    ],
)
def test_tolerates_odd_error_bodies(
    make_client: Callable[..., SinchNumbersClient],
    fake: FakeSinch,
    body: bytes,
    content_type: str,
    fragment: str,
) -> None:
    client = make_client(max_retries=0)
    headers = {"content-type": content_type} if content_type else {}
    error = _get_order_error(client, fake, reply(502, body, headers=headers))
    assert isinstance(error, ServerError)
    assert error.status_code == 502
    assert fragment in str(error)
    assert "PAGE-CANARY" not in str(error)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, InvalidArgumentError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (413, ContentTooLargeError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
        (418, APIError),
        (412, APIError),
    ],
)
def test_status_to_class(status: int, expected: type[APIError]) -> None:
    request = httpx.Request("GET", "https://numbers.test/v1/x")
    error = error_from_response(
        httpx.Response(status, json={"error": {"message": "m"}}, request=request),
        method="GET",
        path="/v1/x",
    )
    assert type(error) is expected
    assert isinstance(error, SinchNumbersError)


def test_request_id_header_order() -> None:
    request = httpx.Request("GET", "https://numbers.test/v1/x")
    response = httpx.Response(
        500, headers={"x-b3-traceid": "trace-b3", "x-correlation-id": "corr-1"}, request=request
    )
    error = error_from_response(response, method="GET", path="/v1/x")
    assert error.request_id == "corr-1"


def test_oauth_style_error_body() -> None:
    request = httpx.Request("POST", "https://auth.test/oauth2/token")
    response = httpx.Response(
        401,
        json={"error": "invalid_client", "error_description": "Client authentication failed"},
        request=request,
    )
    error = error_from_response(response, method="POST", path="/oauth2/token")
    assert isinstance(error, AuthenticationError)
    assert error.api_status == "invalid_client"
    assert error.message == "Client authentication failed"


def test_unexpected_success_body(client: SinchNumbersClient, fake: FakeSinch) -> None:
    error = _get_order_error(client, fake, reply(200, {"state": "CREATED"}))
    assert isinstance(error, UnexpectedResponseError)
    assert "idNumberOrder" in str(error)


@pytest.mark.parametrize(
    "error",
    [
        InvalidArgumentError(
            400,
            "INVALID_ARGUMENT",
            "m",
            [{"fieldViolations": [{"field": "f", "description": "d"}]}],
            "rid",
            "PUT",
            "/p",
        ),
        NotFoundError(404, "NOT_FOUND", "", [{"type": "ResourceInfo", "resourceType": "T"}]),
        RateLimitedError(429, "RESOURCE_EXHAUSTED", "slow down", retry_after=3.0),
        SinchTransportError(
            "boom", request_sent=False, method="GET", path="/p", cause="ConnectError"
        ),
        TokenError("no token", path="/oauth2/token", cause="HTTP 503", status_code=503),
    ],
)
def test_errors_pickle_round_trip(error: SinchNumbersError) -> None:
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(restored) is type(error)
    assert str(restored) == str(error)
    assert restored.__dict__ == error.__dict__


@pytest.mark.parametrize(
    ("violation", "field", "description"),
    [
        ({"field": None, "description": "is required"}, "", "is required"),
        ({"field": 42, "description": "is required"}, "", "is required"),
        ({"field": ["a", "b"], "description": None}, "", ""),
        ({"field": "postalCode", "description": {"text": "x"}}, "postalCode", ""),
        ({"field": True, "description": 3.5}, "", ""),
        ({}, "", ""),
    ],
    ids=["null-field", "number-field", "list-field", "object-description", "bool-float", "empty"],
)
def test_400_violation_of_the_wrong_type_keeps_the_rest_and_stays_in_the_error_tree(
    client: SinchNumbersClient,
    fake: FakeSinch,
    violation: dict[str, object],
    field: str,
    description: str,
) -> None:
    good = {"field": "firstName", "description": "too long"}
    details = [{"type": "BadRequest", "fieldViolations": [violation, good]}]
    error = _get_order_error(client, fake, api_error(400, "INVALID_ARGUMENT", "bad", details))
    assert isinstance(error, InvalidArgumentError)
    assert [(v.field, v.description) for v in error.field_violations] == [
        (field, description),
        ("firstName", "too long"),
    ]
    assert "firstName: too long" in str(error)


@pytest.mark.parametrize(
    ("envelope", "message", "api_status"),
    [
        ({"code": "x", "message": "kept", "status": 7}, "kept", ""),
        (
            {"code": True, "message": None, "status": "NOT_FOUND"},
            "malformed error body",
            "NOT_FOUND",
        ),
        (
            {"code": 404, "message": ["no"], "status": "NOT_FOUND", "details": "x"},
            "malformed error body",
            "NOT_FOUND",
        ),
        ({"code": 404, "message": None, "status": "NOT_FOUND", "details": []}, "", "NOT_FOUND"),
        ({"code": 404, "message": " \n ", "status": "NOT_FOUND"}, "", "NOT_FOUND"),
    ],
    ids=["kept-message", "dropped-code", "dropped-message", "nulls-are-absent", "blank-message"],
)
def test_an_envelope_with_values_of_the_wrong_type_keeps_the_usable_ones(
    envelope: dict[str, object], message: str, api_status: str
) -> None:
    request = httpx.Request("GET", "https://numbers.test/v1/x")
    response = httpx.Response(404, json={"error": envelope}, request=request)
    error = error_from_response(response, method="GET", path="/v1/x")
    assert isinstance(error, NotFoundError)
    assert error.api_status == api_status
    assert error.message == message


_JSON = json_values
_VIOLATION = st.fixed_dictionaries({"field": _JSON, "description": _JSON})
_RESOURCE_INFO = st.fixed_dictionaries(
    {"resourceType": _JSON, "resourceName": _JSON}, optional={"type": _JSON, "owner": _JSON}
)
_DETAIL = st.one_of(
    st.fixed_dictionaries({"fieldViolations": st.lists(_VIOLATION, min_size=1, max_size=3)}),
    _RESOURCE_INFO,
    st.dictionaries(st.sampled_from(["type", "fieldViolations"]) | st.text(max_size=8), _JSON),
    _JSON,
)
_SCALARS = {"code": _JSON, "message": _JSON, "status": _JSON}
# Mostly documented-looking envelopes (where a value of the wrong type hides), else any JSON.
_ERROR_BODIES = st.one_of(
    st.fixed_dictionaries(
        {
            "error": st.fixed_dictionaries(
                {"details": st.lists(_DETAIL, max_size=3)}, optional=_SCALARS
            )
        }
    ),
    st.fixed_dictionaries(
        {"error": st.fixed_dictionaries({}, optional=_SCALARS | {"details": _JSON})}
    ),
    st.fixed_dictionaries({"error": _JSON, "error_description": _JSON}),
    _JSON,
)


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from([400, 401, 403, 404, 409, 413, 429, 500]),
    body=_ERROR_BODIES,
)
def test_any_json_error_body_yields_an_error_of_the_tree(status: int, body: object) -> None:
    request = httpx.Request("GET", "https://numbers.test/v1/x")
    # allow_nan: a server can send NaN/Infinity, which Python's json reads back.
    response = httpx.Response(status, content=json.dumps(body).encode(), request=request)
    error = error_from_response(response, method="GET", path="/v1/x", retry_after=1.0)
    assert type(error) is error_class_for(status)
    text = str(error)
    assert text.startswith(f"HTTP {status}")
    assert "\n" not in text
    assert isinstance(error, SinchNumbersError)


def test_the_old_transport_error_name_still_imports_with_a_warning() -> None:
    import sinch_numbers.api

    with pytest.warns(DeprecationWarning, match="SinchTransportError"):
        old = sinch_numbers.api.TransportError
    assert old is SinchTransportError
