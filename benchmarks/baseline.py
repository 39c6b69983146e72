"""The order workflow the way it is usually scripted: the benchmark's point of comparison.

Plain httpx, one order after another, and every step a separate request on a fresh connection
with a freshly fetched token: nothing is cached or reused. This is the shape of the curl
walk-throughs and one-off scripts the provider replaces, not a deliberately slow straw man: each
request is as cheap as httpx makes it (one shared TLS context, so no CA bundle is reloaded per
call).
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpx
from workload import OrderSpec

from sinch_numbers.testing.emulator import EmulatorCredentials


@dataclass(frozen=True)
class BaselineTarget:
    numbers_url: str
    token_url: str
    credentials: EmulatorCredentials


class BaselineScript:
    def __init__(self, target: BaselineTarget, timeout: float = 30.0) -> None:
        self._target = target
        self._timeout = timeout
        # One context for every request: loading the CA bundle per call would cost CPU that
        # has nothing to do with round trips, and real scripts that use requests do not pay it.
        self._tls = ssl.create_default_context()

    def _token(self) -> str:
        creds = self._target.credentials
        response = httpx.post(
            self._target.token_url,
            data={"grant_type": "client_credentials"},
            auth=(creds.key_id, creds.key_secret),
            timeout=self._timeout,
            verify=self._tls,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        project = self._target.credentials.project_id
        response = httpx.request(
            method,
            f"{self._target.numbers_url}/v1/projects/{project}/{path}",
            headers={"Authorization": f"Bearer {self._token()}"},
            timeout=self._timeout,
            verify=self._tls,
            **kwargs,
        )
        response.raise_for_status()
        return response

    def order(self, spec: OrderSpec) -> str:
        """Lookup, create, registration, uploads, submit; returns the order id."""
        self._request(
            "POST",
            "numberOrders:lookupNumberRequirements",
            json={"regionCode": spec.region_code, "numberType": spec.number_type},
        )
        created = self._request(
            "POST",
            "numberOrders:createNumberOrder",
            json={
                "regionCode": spec.region_code,
                "numberType": spec.number_type,
                "quantityOrderOption": {"requestedQuantity": 1},
            },
        )
        order_id = str(created.json()["idNumberOrder"])
        self._request(
            "PUT",
            f"numberOrders/{order_id}/registration",
            json={"requestDetails": {"data": spec.registration}},
        )
        for document in spec.documents:
            form = {"documentType": document.document_type} if document.document_type else None
            self._request(
                "POST",
                f"numberOrders/{order_id}/attachments/{document.requirement_id}",
                files={
                    "file": (document.path.name, document.path.read_bytes(), document.mime_type)
                },
                data=form,
            )
        submitted = self._request("POST", f"numberOrders/{order_id}/submit")
        state = submitted.json()["state"]
        if state != "IN_REVIEW":
            raise RuntimeError(f"baseline order {order_id} ended {state}, not IN_REVIEW")
        return order_id

    def run(self, specs: list[OrderSpec]) -> list[str]:
        return [self.order(spec) for spec in specs]


def kept_alive_order(target: BaselineTarget, spec: OrderSpec, timeout: float = 30.0) -> float:
    """The same order in the fewest requests from plain httpx: the floor for figure 1.

    One token, one connection kept alive, nothing else: what the emulator itself costs for the
    minimum chain, so the provider's own overhead is the difference. Returns the seconds the
    requests took; building the client (and its TLS context) is left out.
    """
    creds = target.credentials
    base = f"{target.numbers_url}/v1/projects/{creds.project_id}/numberOrders"
    with httpx.Client(timeout=timeout) as client:
        start = time.perf_counter()
        token = client.post(
            target.token_url,
            data={"grant_type": "client_credentials"},
            auth=(creds.key_id, creds.key_secret),
        )
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        where = {"regionCode": spec.region_code, "numberType": spec.number_type}
        client.post(f"{base}:lookupNumberRequirements", json=where).raise_for_status()
        # The provider prices what a new order buys (sinch:showCost): so does the floor.
        client.get(
            f"{target.numbers_url}/v1/projects/{creds.project_id}/availableNumbers",
            params={"regionCode": spec.region_code, "type": spec.number_type, "size": 1},
        ).raise_for_status()
        quantity = {"quantityOrderOption": {"requestedQuantity": 1}}
        created = client.post(f"{base}:createNumberOrder", json={**where, **quantity})
        created.raise_for_status()
        order = f"{base}/{created.json()['idNumberOrder']}"
        client.put(
            f"{order}/registration", json={"requestDetails": {"data": spec.registration}}
        ).raise_for_status()
        for document in spec.documents:
            form = {"documentType": document.document_type} if document.document_type else None
            client.post(
                f"{order}/attachments/{document.requirement_id}",
                files={
                    "file": (document.path.name, document.path.read_bytes(), document.mime_type)
                },
                data=form,
            ).raise_for_status()
        client.post(f"{order}/submit").raise_for_status()
        return time.perf_counter() - start
