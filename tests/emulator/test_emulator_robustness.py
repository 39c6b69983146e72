"""Malformed input never yields a 5xx or a stack trace; routing traps; OpenAPI; concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from emulator_helpers import PAIRS_WITH_KYC, PAIRS_WITHOUT_KYC, error_of, violations_of

from sinch_numbers.testing.emulator import EmulatorProcess

P = "/v1/projects/emulator-project"
AUTH = ("emulator-key", "emulator-secret")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{", "application/json"),
        (b"[]", "application/json"),
        (b'"text"', "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"regionCode=AU", "application/x-www-form-urlencoded"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
        (b'{"regionCode": NaN}', "application/json"),
    ],
)
def test_malformed_json_bodies(raw: httpx.Client, content: bytes, content_type: str) -> None:
    for path in ["/numberOrders:createNumberOrder", "/numberOrders:lookupNumberRequirements"]:
        response = raw.post(
            f"{P}{path}", content=content, headers={"Content-Type": content_type}, auth=AUTH
        )
        assert response.status_code == 400, response.text
        assert error_of(response)["status"] == "INVALID_ARGUMENT"


def test_oversized_json_body(raw: httpx.Client) -> None:
    body = b'{"regionCode": "' + b"A" * (7 * 1024 * 1024) + b'"}'
    response = raw.post(
        f"{P}/numberOrders:createNumberOrder",
        content=body,
        headers={"Content-Type": "application/json"},
        auth=AUTH,
    )
    assert response.status_code == 413
    assert error_of(response)["status"] == "CONTENT_TOO_LARGE"


def test_unknown_routes_and_methods(raw: httpx.Client) -> None:
    for path in [
        "/",
        "/v1",
        f"{P}/numberOrders:cancel",
        f"{P}/nothing",
        "/v2/projects/x/activeNumbers",
    ]:
        response = raw.get(path, auth=AUTH)
        assert response.status_code == 404
        assert error_of(response) == {
            "code": 404,
            "message": "Not Found",
            "status": "NOT_FOUND",
            "details": [],
        }
    response = raw.delete(f"{P}/numberOrders:createNumberOrder", auth=AUTH)
    assert response.status_code == 405
    assert error_of(response)["status"] == "METHOD_NOT_ALLOWED"
    assert "allow" in response.headers


def test_garbage_never_yields_5xx(raw: httpx.Client) -> None:
    weird: list[tuple[str, str, Any]] = [
        ("GET", f"{P}/availableNumbers?regionCode=&type=MOBILE&size=-1", None),
        (
            "GET",
            f"{P}/availableNumbers?regionCode=AU&type=MOBILE&numberPattern.searchPattern=X",
            None,
        ),
        ("GET", f"{P}/availableNumbers/%00%ff", None),
        ("GET", f"{P}/activeNumbers/%2B%2B%2B", None),
        ("GET", f"{P}/activeNumbers?pageSize=99999999999999999999", None),
        ("GET", f"{P}/numberOrders/%20", None),
        ("PUT", f"{P}/numberOrders/x/registration", {"requestDetails": {"data": [[[[[]]]]]}}),
        (
            "POST",
            f"{P}/numberOrders:createNumberOrder",
            {"regionCode": ["AU"], "numberType": {"a": 1}},
        ),
        (
            "POST",
            f"{P}/numberOrders:createNumberOrder",
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "quantityOrderOption": {"requestedQuantity": True},
            },
        ),
        (
            "POST",
            f"{P}/numberOrders:createNumberOrder",
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "quantityOrderOption": {"requestedQuantity": 1e300},
            },
        ),
        (
            "POST",
            f"{P}/numberOrders:createNumberOrder",
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "numberOrderOption": {"phoneNumbers": [None]},
            },
        ),
        (
            "POST",
            f"{P}/numberOrders:createNumberOrder",
            {
                "regionCode": "AU",
                "numberType": "MOBILE",
                "smsConfiguration": [],
                "voiceConfiguration": "RTC",
                "numberOrderOption": {"phoneNumbers": ["+61412000100"]},
            },
        ),
        ("PATCH", f"{P}/callbackConfiguration", {"hmacSecret": None}),
        ("POST", "/_emulator/clock", {"advance_seconds": "soon"}),
        ("POST", "/_emulator/clock", []),
        ("PATCH", "/_emulator/settings", {"review_policy": "sometimes"}),
        ("PATCH", "/_emulator/settings", {"latency_ms": "x"}),
        ("POST", "/_emulator/faults", {"path": 5, "action": "drop"}),
        ("GET", "/_emulator/samples/XX/NOTHING", None),
    ]
    for method, path, body in weird:
        response = raw.request(method, path, json=body, auth=AUTH)
        assert response.status_code < 500, (method, path, response.text)
        assert "Traceback" not in response.text


def test_registration_with_the_data_of_another_shape_is_400(
    raw: httpx.Client, emulator: EmulatorProcess, api: httpx.Client
) -> None:
    from emulator_helpers import create_order

    order = create_order(api, "DE", "LOCAL")
    response = api.put(
        f"/numberOrders/{order['idNumberOrder']}/registration",
        json={"requestDetails": {"data": [[[[[]]]]]}},
    )
    assert response.status_code == 400
    assert violations_of(response)


def test_openapi_describes_the_api_routes(raw: httpx.Client) -> None:
    document = raw.get("/openapi.json").json()
    paths = document["paths"]
    expected = {
        "/oauth2/token": {"post"},
        f"{P.replace('emulator-project', '{projectId}')}/numberOrders:lookupNumberRequirements": {
            "post"
        },
        "/v1/projects/{projectId}/numberOrders:createNumberOrder": {"post"},
        "/v1/projects/{projectId}/numberOrders/{numberOrderId}": {"get"},
        "/v1/projects/{projectId}/numberOrders/{numberOrderId}/registration": {"get", "put"},
        "/v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}": {
            "post"
        },
        "/v1/projects/{projectId}/numberOrders/{numberOrderId}/submit": {"post"},
        "/v1/projects/{projectId}/availableNumbers": {"get"},
        "/v1/projects/{projectId}/availableNumbers/{phoneNumber}": {"get"},
        "/v1/projects/{projectId}/activeNumbers": {"get"},
        "/v1/projects/{projectId}/activeNumbers/{phoneNumber}": {"get", "patch"},
        "/v1/projects/{projectId}/activeNumbers/{phoneNumber}:release": {"post"},
        "/v1/projects/{projectId}/callbackConfiguration": {"get", "patch"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert not [p for p in paths if p.startswith("/_emulator")]
    create = paths["/v1/projects/{projectId}/numberOrders:createNumberOrder"]["post"]
    assert (
        "quantityOrderOption"
        in create["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )
    upload = paths[
        "/v1/projects/{projectId}/numberOrders/{numberOrderId}/attachments/{attachmentId}"
    ]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    search = paths["/v1/projects/{projectId}/availableNumbers"]["get"]
    assert {"regionCode", "type", "capabilities", "numberPattern.pattern", "size"} <= {
        p["name"] for p in search["parameters"]
    }
    assert set(document["components"]["securitySchemes"]) == {"Basic", "OAuth2.0"}


def test_forty_concurrent_orders_from_four_threads(
    api: httpx.Client, emulator: EmulatorProcess
) -> None:
    pairs = PAIRS_WITH_KYC + PAIRS_WITHOUT_KYC

    def worker(worker_id: int) -> list[dict[str, Any]]:
        results = []
        with httpx.Client(base_url=str(api.base_url), auth=AUTH, timeout=30) as client:
            for i in range(10):
                region, number_type = pairs[(worker_id * 10 + i) % len(pairs)]
                response = client.post(
                    "/numberOrders:createNumberOrder",
                    json={
                        "regionCode": region,
                        "numberType": number_type,
                        "quantityOrderOption": {"requestedQuantity": 1},
                    },
                )
                assert response.status_code == 200, response.text
                order = response.json()
                submit_ready = region == "US"
                if submit_ready:
                    assert (
                        client.post(f"/numberOrders/{order['idNumberOrder']}/submit").status_code
                        == 200
                    )
                results.append(order)
        return results

    with ThreadPoolExecutor(4) as pool:
        orders = [o for batch in pool.map(worker, range(4)) for o in batch]
    numbers = [n["phoneNumber"] for o in orders for n in o["orderNumbers"]]
    assert len(orders) == 40
    assert len(set(numbers)) == 40
    assert len({o["idNumberOrder"] for o in orders}) == 40
    assert len(emulator.orders()) == 40
