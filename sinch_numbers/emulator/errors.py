"""The API's error envelope ``{"error": {code, message, status, details}}`` and its exception."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

CANONICAL_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ABORTED",
    413: "CONTENT_TOO_LARGE",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

FieldViolation = tuple[str, str]


class ApiError(Exception):
    """An error answered in the documented envelope; never carries a submitted value."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or CANONICAL_STATUS.get(code, "UNKNOWN")
        self.details = details or []
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return envelope(self.code, self.message, self.status, self.details)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.code, headers=self.headers)


def envelope(code: int, message: str, status: str, details: list[dict[str, Any]]) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": status, "details": details}}


def invalid(message: str, violations: list[FieldViolation]) -> ApiError:
    return ApiError(
        400,
        message,
        details=[
            {
                "type": "BadRequest",
                "fieldViolations": [{"field": f, "description": d} for f, d in violations],
            }
        ],
    )


def invalid_field(field: str, description: str) -> ApiError:
    return invalid(f"{field} {description}", [(field, description)])


def failed_precondition(message: str) -> ApiError:
    return ApiError(400, message, status="FAILED_PRECONDITION")


def not_found(
    resource_type: str, resource_name: str, message: str = "", description: str = ""
) -> ApiError:
    return ApiError(
        404,
        message,
        details=[
            {
                "type": "ResourceInfo",
                "resourceType": resource_type,
                "resourceName": resource_name,
                "owner": "",
                "description": description,
            }
        ],
    )


def too_large(resource_name: str, limit: int) -> ApiError:
    return ApiError(
        413,
        "Document is too large to upload",
        details=[
            {
                "type": "RequestEntityTooLarge",
                "resourceName": resource_name,
                "description": f"the request exceeds the maximum allowed size of {limit} bytes",
            }
        ],
    )
