"""KYC requirements per region and number type, in the grammar of docs/requirements-format.md.

Each pair has a different shape on purpose (repeatable groups, enums, lengths, patterns, a boolean
that must be true, integers, single and several mandatory attachments, document-type lists) so that
clients meet every construct the grammar allows. ``SAMPLES`` holds a valid registration per pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA = "/schema/policySchema-v1.json"
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
IDENTITY_DOCUMENTS = ["Passport", "Driver's License", "National ID"]


def text(
    *, required: bool = True, min_len: int = 1, max_len: int = 100, **extra: Any
) -> dict[str, Any]:
    field: dict[str, Any] = {"type": "string", "required": required, "maxLength": max_len}
    if required:
        field["minLength"] = min_len
    field.update(extra)
    return field


def must_be_true(title: str) -> dict[str, Any]:
    return {"type": "boolean", "required": True, "const": True, "title": title}


def attachment(
    attachment_id: str,
    title: str,
    description: str,
    *,
    mandatory: bool,
    mime_types: list[str],
    document_types: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": attachment_id,
        "title": title,
        "description": description,
        "mandatory": mandatory,
        "template": [],
        "allowedMimeTypes": mime_types,
        "allowedDocumentTypes": document_types or [],
    }


@dataclass(frozen=True)
class Requirements:
    rules: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    sample: list[Any]

    def wire(self) -> dict[str, Any]:
        return {"fields": {"schema": SCHEMA, "rules": self.rules}, "attachments": self.attachments}

    def attachment(self, attachment_id: str) -> dict[str, Any] | None:
        return next((a for a in self.attachments if a["id"] == attachment_id), None)


E164 = r"^\+[1-9][0-9]{6,14}$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"

AU_MOBILE = Requirements(
    rules=[
        {
            "name": "senderDetails",
            "title": "Sender and traffic",
            "repeatable": True,
            "minItems": 1,
            "maxItems": 3,
            "template": {
                "senderId": text(pattern=E164, max_len=16, title="Sender number (E.164)"),
                "purposeOfTheTraffic": text(max_len=200),
                "intendedUseOfMobileNumbers": {
                    "type": "string",
                    "required": True,
                    "enum": ["Transactional", "Marketing", "Two-factor authentication"],
                },
                "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": must_be_true(
                    "I confirm that my business has a valid use case for this number"
                ),
            },
        },
        {
            "name": "endBusiness",
            "title": "End business address",
            "template": {
                "endBusinessName": text(),
                "endBusinessAddress": text(),
                "endBusinessAddress2": text(required=False),
                "city": text(max_len=50),
                "state": {
                    "type": "string",
                    "required": True,
                    "enum": ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"],
                },
                "country": {"type": "string", "required": True, "enum": ["AU"]},
                "postalCode": text(pattern=r"^[0-9]{4}$", max_len=4),
            },
        },
        {
            "name": "contact",
            "title": "Contact person",
            "template": {
                "firstName": text(max_len=50),
                "lastName": text(max_len=50),
                "phoneNumber": text(pattern=E164, max_len=16),
            },
        },
    ],
    attachments=[
        attachment(
            "01jxn2251d0shhamtbykft2xzx",
            "Proof of business address",
            "Utility bill or bank statement issued in the last 3 months",
            mandatory=True,
            mime_types=[PDF, PNG, JPEG],
        ),
        attachment(
            "01jxn22a7kq3m8v5t0w2r4y6zb",
            "Identity document of the contact person",
            "A valid identity document",
            mandatory=True,
            mime_types=[PDF, PNG, JPEG],
            document_types=IDENTITY_DOCUMENTS,
        ),
        attachment(
            "01jxn22f3d9h6c1x8n5p7q2s4t",
            "Letter of authorisation",
            "Only when ordering on behalf of another business",
            mandatory=False,
            mime_types=[PDF],
        ),
    ],
    sample=[
        [
            {
                "senderId": "+61412000100",
                "purposeOfTheTraffic": "Appointment reminders",
                "intendedUseOfMobileNumbers": "Transactional",
                "iConfirmThatMyBusinessHasAValidUseCaseForThisLn": True,
            }
        ],
        {
            "endBusinessName": "Example Clinic Pty Ltd",
            "endBusinessAddress": "1 Collins St",
            "endBusinessAddress2": "Level 2",
            "city": "Melbourne",
            "state": "VIC",
            "country": "AU",
            "postalCode": "3000",
        },
        {"firstName": "Alex", "lastName": "Citizen", "phoneNumber": "+61400000000"},
    ],
)

AU_LOCAL = Requirements(
    rules=[
        {
            "name": "business",
            "title": "Business with a local presence",
            "template": {
                "businessName": text(),
                "abn": text(pattern=r"^[0-9]{11}$", max_len=11, title="Australian Business Number"),
                "streetAddress": text(),
                "suburb": text(max_len=50),
                "state": {
                    "type": "string",
                    "required": True,
                    "enum": ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"],
                },
                "postalCode": text(pattern=r"^[0-9]{4}$", max_len=4),
            },
        }
    ],
    attachments=[
        attachment(
            "01jy0aulocal0proofaddrs0001",
            "Proof of local address",
            "A document showing an address in the number's area",
            mandatory=True,
            mime_types=[PDF],
        )
    ],
    sample=[
        {
            "businessName": "Harbour Plumbing Pty Ltd",
            "abn": "51824753556",
            "streetAddress": "10 George St",
            "suburb": "Sydney",
            "state": "NSW",
            "postalCode": "2000",
        }
    ],
)

DE_LOCAL = Requirements(
    rules=[
        {
            "name": "localAddress",
            "title": "Address in the local area",
            "template": {
                "companyName": text(required=False, max_len=120),
                "firstName": text(max_len=60),
                "lastName": text(max_len=60),
                "street": text(max_len=80),
                "houseNumber": text(pattern=r"^[0-9]{1,4}[a-zA-Z]?$", max_len=5),
                "postalCode": text(pattern=r"^[0-9]{5}$", max_len=5),
                "city": text(max_len=60),
            },
        },
        {
            "name": "contact",
            "title": "Contact",
            "template": {
                "email": text(pattern=EMAIL, max_len=254),
                "phoneNumber": text(required=False, pattern=E164, max_len=16),
            },
        },
    ],
    attachments=[
        attachment(
            "01jy0delocal0proofaddress01",
            "Proof of address in the area code",
            "A recent document showing the local address",
            mandatory=True,
            mime_types=[PDF, PNG, JPEG],
            document_types=["Utility Bill", "Bank Statement", "Tenancy Agreement"],
        ),
        attachment(
            "01jy0delocal0identitydoc001",
            "Identity document",
            "Identity document of the person named in the registration",
            mandatory=True,
            mime_types=[PDF, PNG, JPEG],
            document_types=["Passport", "National ID"],
        ),
    ],
    sample=[
        {
            "companyName": "Beispiel GmbH",
            "firstName": "Erika",
            "lastName": "Mustermann",
            "street": "Unter den Linden",
            "houseNumber": "77",
            "postalCode": "10117",
            "city": "Berlin",
        },
        {"email": "erika@example.de", "phoneNumber": "+4930901820"},
    ],
)

BR_STATES = ["AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA"]
BR_STATES += ["PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO"]

BR_MOBILE = Requirements(
    rules=[
        {
            "name": "company",
            "title": "Company",
            "template": {
                "cnpj": text(pattern=r"^[0-9]{14}$", max_len=14, title="CNPJ"),
                "razaoSocial": text(max_len=150),
                "employees": {"type": "integer", "required": False, "title": "Employees"},
            },
        },
        {
            "name": "address",
            "title": "Address",
            "template": {
                "logradouro": text(max_len=120),
                "numero": text(max_len=10),
                "cidade": text(max_len=60),
                "uf": {"type": "string", "required": True, "enum": BR_STATES},
                "cep": text(pattern=r"^[0-9]{5}-?[0-9]{3}$", max_len=9),
            },
        },
        {
            "name": "consent",
            "title": "Consent",
            "template": {
                "acceptsAnatelTerms": must_be_true("I accept the Anatel terms of use"),
                "monthlyVolume": {"type": "number", "required": False},
            },
        },
    ],
    attachments=[
        attachment(
            "01jy0brmobile0cnpjcard00001",
            "Cartão CNPJ",
            "The company's CNPJ registration card",
            mandatory=True,
            mime_types=[PDF],
        ),
        attachment(
            "01jy0brmobile0identity00001",
            "Identity document of the legal representative",
            "A photo of the identity document",
            mandatory=True,
            mime_types=[PNG, JPEG],
            document_types=["National ID", "Passport", "Driver's License"],
        ),
    ],
    sample=[
        {"cnpj": "11222333000181", "razaoSocial": "Exemplo Comércio Ltda", "employees": 12},
        {
            "logradouro": "Avenida Paulista",
            "numero": "1000",
            "cidade": "São Paulo",
            "uf": "SP",
            "cep": "01310-100",
        },
        {"acceptsAnatelTerms": True, "monthlyVolume": 2500.5},
    ],
)

GB_MOBILE = Requirements(
    rules=[
        {
            "name": "business",
            "title": "Business",
            "template": {
                "companyName": text(max_len=160),
                "companyNumber": text(pattern=r"^[A-Z0-9]{8}$", max_len=8),
                "useCase": {
                    "type": "string",
                    "required": True,
                    "enum": ["Customer care", "Notifications", "Marketing"],
                },
            },
        },
        {
            "name": "authorisedContacts",
            "title": "Authorised contacts",
            "repeatable": True,
            "minItems": 1,
            "maxItems": 2,
            "template": {
                "fullName": text(max_len=80),
                "email": text(pattern=EMAIL, max_len=254),
            },
        },
    ],
    attachments=[
        attachment(
            "01jy0gbmobile0incorporation",
            "Certificate of incorporation",
            "Optional; speeds up the review",
            mandatory=False,
            mime_types=[PDF],
        )
    ],
    sample=[
        {
            "companyName": "Example Widgets Ltd",
            "companyNumber": "01234567",
            "useCase": "Notifications",
        },
        [
            {"fullName": "Sam Taylor", "email": "sam@example.co.uk"},
            {"fullName": "Jo Patel", "email": "jo@example.co.uk"},
        ],
    ],
)

SE_TOLL_FREE = Requirements(
    rules=[
        {
            "name": "organisation",
            "title": "Organisation",
            "template": {
                "organisationNumber": text(pattern=r"^[0-9]{6}-[0-9]{4}$", max_len=11),
                "organisationName": text(max_len=120),
                "serviceDescription": text(min_len=10, max_len=500),
                "acceptsTerms": must_be_true("I accept the terms for Swedish toll-free numbers"),
            },
        }
    ],
    attachments=[
        attachment(
            "01jy0setollfree0servicedesc",
            "Service description",
            "A PDF describing the service reachable on the number",
            mandatory=True,
            mime_types=[PDF],
        )
    ],
    sample=[
        {
            "organisationNumber": "556677-8899",
            "organisationName": "Exempel AB",
            "serviceDescription": "Customer support line for Exempel AB",
            "acceptsTerms": True,
        }
    ],
)

CATALOG: dict[tuple[str, str], Requirements] = {
    ("AU", "MOBILE"): AU_MOBILE,
    ("AU", "LOCAL"): AU_LOCAL,
    ("DE", "LOCAL"): DE_LOCAL,
    ("BR", "MOBILE"): BR_MOBILE,
    ("GB", "MOBILE"): GB_MOBILE,
    ("SE", "TOLL_FREE"): SE_TOLL_FREE,
}


def requirements_for(region_code: str, number_type: str) -> Requirements | None:
    return CATALOG.get((region_code, number_type))
