"""The Sinch Numbers API routes the emulator serves (paths, names and codes as the reference)."""

# No "from __future__ import annotations": FastAPI must see the local Annotated aliases.

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse

from sinch_numbers.emulator import numbers, openapi_bodies, orders
from sinch_numbers.emulator import numbers_catalog as catalog
from sinch_numbers.emulator.auth import authenticate, check_project, issue_token
from sinch_numbers.emulator.bodies import NUMBER_TYPES, Checker, json_object
from sinch_numbers.emulator.errors import ApiError, invalid, invalid_field
from sinch_numbers.emulator.requirements_catalog import requirements_for
from sinch_numbers.emulator.state import EmulatorState
from sinch_numbers.emulator.wire import active_number_wire, order_wire, registration_wire

NumberType = Literal["MOBILE", "LOCAL", "TOLL_FREE"]
Capability = Literal["SMS", "VOICE"]
SearchPattern = Literal["START", "CONTAINS", "END"]
HMAC_SECRET = re.compile(r"^[a-zA-Z0-9-]{32,64}$")
P = "/v1/projects/{projectId}"

REQUIREMENTS_NOT_FOUND = ApiError(
    404,
    "Number requirements not found",
    details=[
        {
            "type": "ResourceInfo",
            "resourceType": "NumberProduct",
            "resourceName": "numberRequirements",
            "owner": "",
            "description": "Number requirements not found",
        }
    ],
)


def build_api_router(state: EmulatorState) -> APIRouter:
    router = APIRouter()
    limit = state.config.max_json_bytes

    async def authorized(
        request: Request, project_id: Annotated[str, Path(alias="projectId")]
    ) -> str:
        with state.session() as now:
            authenticate(state, request, now)
        check_project(state, project_id)
        return project_id

    Project = Annotated[str, Depends(authorized)]
    OrderId = Annotated[str, Path(alias="numberOrderId")]
    Phone = Annotated[str, Path(alias="phoneNumber")]

    @router.post("/oauth2/token", tags=["Authentication"], openapi_extra=openapi_bodies.TOKEN)
    async def token(request: Request) -> JSONResponse:
        return await issue_token(state, request)

    @router.post(
        f"{P}/numberOrders:lookupNumberRequirements",
        tags=["Number Order"],
        openapi_extra=openapi_bodies.LOOKUP,
    )
    async def lookup_requirements(request: Request, project: Project) -> dict[str, Any]:
        body = await json_object(request, limit)
        check = Checker()
        check.unknown_keys(body, {"regionCode", "numberType"})
        region = check.string(body, "regionCode", "regionCode", required=True)
        kind = check.enum(body, "numberType", "numberType", NUMBER_TYPES, required=True)
        check.raise_if_any("invalid requirements lookup")
        requirements = requirements_for(region or "", kind or "")
        if requirements is None:
            raise REQUIREMENTS_NOT_FOUND
        return requirements.wire()

    @router.get(f"{P}/availableNumbers", tags=["Available Number"])
    async def list_available_numbers(
        project: Project,
        region_code: Annotated[str, Query(alias="regionCode")],
        number_type: Annotated[NumberType, Query(alias="type")],
        capabilities: Annotated[list[Capability] | None, Query()] = None,
        pattern: Annotated[str | None, Query(alias="numberPattern.pattern")] = None,
        search: Annotated[SearchPattern | None, Query(alias="numberPattern.searchPattern")] = None,
        size: Annotated[int | None, Query(ge=1, le=numbers.MAX_SIZE)] = None,
    ) -> dict[str, Any]:
        with state.session():
            found = numbers.search_available(
                state, region_code, number_type, list(capabilities or []), pattern, search, size
            )
        return {"availableNumbers": found}

    @router.get(f"{P}/availableNumbers/{{phoneNumber}}", tags=["Available Number"])
    async def get_available_number(project: Project, phone: Phone) -> dict[str, Any]:
        with state.session():
            return numbers.get_available(state, phone)

    @router.get(f"{P}/availableRegions", tags=["Available Regions"])
    async def list_available_regions(
        project: Project, types: Annotated[list[NumberType] | None, Query()] = None
    ) -> dict[str, Any]:
        regions: dict[str, list[str]] = {}
        for product in catalog.PRODUCTS:
            if not types or product.number_type in types:
                regions.setdefault(product.region_code, []).append(product.number_type)
        return {
            "availableRegions": [
                {"regionCode": code, "regionName": code, "types": kinds}
                for code, kinds in sorted(regions.items())
            ]
        }

    @router.post(
        f"{P}/numberOrders:createNumberOrder",
        tags=["Number Order"],
        openapi_extra=openapi_bodies.CREATE_ORDER,
    )
    async def create_number_order(request: Request, project: Project) -> dict[str, Any]:
        body = await json_object(request, limit)
        with state.session() as now:
            return order_wire(orders.create_order(state, body, project, now))

    @router.get(f"{P}/numberOrders/{{numberOrderId}}", tags=["Number Order"])
    async def get_number_order(project: Project, order_id: OrderId) -> dict[str, Any]:
        with state.session():
            return order_wire(orders.get_order(state, order_id, project))

    @router.put(
        f"{P}/numberOrders/{{numberOrderId}}/registration",
        tags=["Number Order"],
        openapi_extra=openapi_bodies.REGISTRATION,
    )
    async def update_registration(
        request: Request, project: Project, order_id: OrderId
    ) -> dict[str, Any]:
        with state.session():
            orders.get_order(state, order_id, project)
        body = await json_object(request, limit)
        with state.session() as now:
            order = orders.get_order(state, order_id, project)
            orders.put_registration(state, order, body, now)
            return registration_wire(order)

    @router.get(f"{P}/numberOrders/{{numberOrderId}}/registration", tags=["Number Order"])
    async def get_registration(project: Project, order_id: OrderId) -> dict[str, Any]:
        with state.session():
            return registration_wire(orders.get_order(state, order_id, project))

    @router.post(
        f"{P}/numberOrders/{{numberOrderId}}/attachments/{{attachmentId}}",
        tags=["Number Order"],
        openapi_extra=openapi_bodies.UPLOAD,
    )
    async def upload_attachment(
        request: Request,
        project: Project,
        order_id: OrderId,
        attachment_id: Annotated[str, Path(alias="attachmentId")],
    ) -> dict[str, Any]:
        with state.session():
            orders.check_upload_target(orders.get_order(state, order_id, project), attachment_id)
        file_name, content, document_type = await _read_upload(request)
        with state.session() as now:
            order = orders.get_order(state, order_id, project)
            orders.upload_attachment(
                state,
                order,
                attachment_id,
                file_name=file_name,
                content=content,
                document_type=document_type,
                now=now,
            )
        return {}

    @router.post(f"{P}/numberOrders/{{numberOrderId}}/submit", tags=["Number Order"])
    async def submit_number_order(project: Project, order_id: OrderId) -> dict[str, Any]:
        with state.session() as now:
            order = orders.get_order(state, order_id, project)
            orders.submit(state, order, now)
            return order_wire(order)

    @router.get(f"{P}/activeNumbers", tags=["Active Number"])
    async def list_active_numbers(
        project: Project,
        region_code: Annotated[str | None, Query(alias="regionCode")] = None,
        number_type: Annotated[NumberType | None, Query(alias="type")] = None,
        capability: Annotated[list[Capability] | None, Query()] = None,
        pattern: Annotated[str | None, Query(alias="numberPattern.pattern")] = None,
        search: Annotated[SearchPattern | None, Query(alias="numberPattern.searchPattern")] = None,
        page_size: Annotated[int | None, Query(alias="pageSize", ge=1, le=numbers.MAX_SIZE)] = None,
        page_token: Annotated[str | None, Query(alias="pageToken")] = None,
        order_by: Annotated[
            Literal["phoneNumber", "displayName"] | None, Query(alias="orderBy")
        ] = None,
    ) -> dict[str, Any]:
        with state.session():
            return numbers.list_active(
                state,
                project,
                region_code=region_code,
                number_type=number_type,
                capabilities=list(capability or []),
                pattern=pattern,
                search=search,
                page_size=page_size,
                page_token=page_token,
                order_by=order_by,
            )

    # Registered before the plain {phoneNumber} routes so ":release" is not read as part of it.
    @router.post(f"{P}/activeNumbers/{{phoneNumber}}:release", tags=["Active Number"])
    async def release_active_number(project: Project, phone: Phone) -> dict[str, Any]:
        with state.session():
            number = numbers.get_active(state, phone, project)
            numbers.release(state, number)
            return active_number_wire(number, project)

    @router.get(f"{P}/activeNumbers/{{phoneNumber}}", tags=["Active Number"])
    async def get_active_number(project: Project, phone: Phone) -> dict[str, Any]:
        with state.session():
            return active_number_wire(numbers.get_active(state, phone, project), project)

    @router.patch(
        f"{P}/activeNumbers/{{phoneNumber}}",
        tags=["Active Number"],
        openapi_extra=openapi_bodies.PATCH_ACTIVE,
    )
    async def update_active_number(
        request: Request, project: Project, phone: Phone
    ) -> dict[str, Any]:
        with state.session():
            numbers.get_active(state, phone, project)
        body = await json_object(request, limit)
        with state.session() as now:
            number = numbers.get_active(state, phone, project)
            numbers.patch_active(state, number, body, now)
            return active_number_wire(number, project)

    @router.get(f"{P}/callbackConfiguration", tags=["Callback Configuration"])
    async def get_callback_configuration(project: Project) -> dict[str, Any]:
        return {"projectId": project, "hmacSecret": state.settings.hmac_secret or ""}

    @router.patch(
        f"{P}/callbackConfiguration",
        tags=["Callback Configuration"],
        openapi_extra=openapi_bodies.CALLBACK_CONFIGURATION,
    )
    async def update_callback_configuration(request: Request, project: Project) -> dict[str, Any]:
        body = await json_object(request, limit)
        check = Checker()
        check.unknown_keys(body, {"hmacSecret"})
        secret = check.string(body, "hmacSecret", "hmacSecret", required=True)
        if secret is not None and not HMAC_SECRET.match(secret):
            check.add("hmacSecret", "must match ^[a-zA-Z0-9-]{32,64}$")
        check.raise_if_any("invalid callback configuration")
        state.update_settings({"hmac_secret": secret})
        return {"projectId": project, "hmacSecret": secret}

    return router


async def _read_upload(request: Request) -> tuple[str, bytes, str | None]:
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise invalid_field("Content-Type", "must be multipart/form-data")
    try:
        form = await request.form(max_files=1, max_fields=4)
    except Exception:
        raise invalid(
            "malformed multipart body", [("body", "is not valid multipart/form-data")]
        ) from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise invalid_field("file", "is required as a file part")
    document_type = form.get("documentType")
    if document_type is not None and not isinstance(document_type, str):
        raise invalid_field("documentType", "must be a text field")
    content = await upload.read()
    return upload.filename or "upload", content, document_type or None
