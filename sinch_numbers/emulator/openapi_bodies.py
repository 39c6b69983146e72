"""JSON schemas of the request bodies, so /openapi.json describes what the handlers really read.

Handlers parse bodies themselves (to answer the API's own error envelope), so FastAPI cannot derive
these; they are declared here and attached with ``openapi_extra``.
"""

from __future__ import annotations

from typing import Any

NUMBER_TYPE = {"type": "string", "enum": ["MOBILE", "LOCAL", "TOLL_FREE"]}
CAPABILITY = {"type": "string", "enum": ["SMS", "VOICE"]}
E164 = {"type": "string", "pattern": r"^\+[1-9][0-9]{1,14}$"}
SMS = {
    "type": "object",
    "properties": {"servicePlanId": {"type": "string"}, "campaignId": {"type": "string"}},
    "required": ["servicePlanId"],
    "additionalProperties": False,
}
VOICE = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["RTC", "EST", "FAX"]},
        "appId": {"type": "string"},
        "trunkId": {"type": "string"},
        "serviceId": {"type": "string"},
    },
    "required": ["type"],
    "additionalProperties": False,
}


def json_body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    }


LOOKUP = json_body(
    {
        "type": "object",
        "properties": {"regionCode": {"type": "string"}, "numberType": NUMBER_TYPE},
        "required": ["regionCode", "numberType"],
        "additionalProperties": False,
    }
)

CREATE_ORDER = json_body(
    {
        "type": "object",
        "properties": {
            "regionCode": {"type": "string"},
            "numberType": NUMBER_TYPE,
            "smsConfiguration": SMS,
            "voiceConfiguration": VOICE,
            "callbackUrl": {"type": "string", "format": "uri"},
            "numberOrderOption": {
                "type": "object",
                "properties": {
                    "phoneNumbers": {"type": "array", "items": E164, "minItems": 1, "maxItems": 1}
                },
                "required": ["phoneNumbers"],
            },
            "quantityOrderOption": {
                "type": "object",
                "properties": {
                    "requestedQuantity": {"type": "integer", "minimum": 1, "maximum": 100},
                    "numberPattern": {
                        "type": "object",
                        "properties": {
                            "pattern": {"type": "string"},
                            "searchPattern": {
                                "type": "string",
                                "enum": ["START", "CONTAINS", "END"],
                            },
                        },
                    },
                    "sequential": {"type": "boolean"},
                    "capabilities": {"type": "array", "items": CAPABILITY},
                },
                "required": ["requestedQuantity"],
            },
        },
        "required": ["regionCode", "numberType"],
        "additionalProperties": False,
    }
)

REGISTRATION = json_body(
    {
        "type": "object",
        "properties": {
            "requestDetails": {
                "type": "object",
                "properties": {"data": {}},
                "required": ["data"],
            }
        },
        "required": ["requestDetails"],
    }
)

UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "documentType": {"type": "string"},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}

PATCH_ACTIVE = json_body(
    {
        "type": "object",
        "properties": {
            "displayName": {"type": "string", "maxLength": 100},
            "smsConfiguration": SMS,
            "voiceConfiguration": VOICE,
            "callbackUrl": {"type": "string", "format": "uri"},
        },
        "additionalProperties": False,
    }
)

CALLBACK_CONFIGURATION = json_body(
    {
        "type": "object",
        "properties": {"hmacSecret": {"type": "string", "pattern": "^[a-zA-Z0-9-]{32,64}$"}},
        "required": ["hmacSecret"],
        "additionalProperties": False,
    }
)

TOKEN = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]}
                    },
                    "required": ["grant_type"],
                }
            }
        },
    }
}
