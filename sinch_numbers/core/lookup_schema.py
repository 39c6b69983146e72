"""The one declaration of the lookups' arguments and answers (:mod:`sinch_numbers.lookups`), as
the resources' ``schema.py`` modules declare their properties: the Pulumi package's functions
``lookupRequirements`` and ``findAvailableNumbers`` are generated from it, and the Python lookups
name their arguments from it.

Nothing here imports Pulumi.
"""

from __future__ import annotations

from sinch_numbers.core.common_properties import MONEY
from sinch_numbers.core.schema import (
    FunctionSchema,
    Kind,
    ObjectType,
    Properties,
    Property,
    computed,
)


class PairArguments(Properties):
    """The arguments both lookups take: which numbers are asked about."""

    region_code = Property(
        Kind.STRING,
        "ISO 3166-1 alpha-2 (`AU`), judged as NumberOrder's `region_code` is.",
        required=True,
    )
    number_type = Property(Kind.STRING, "`MOBILE` / `LOCAL` / `TOLL_FREE`.", required=True)


class LookupRequirementsArguments(Properties):
    """``lookup_requirements``'s arguments."""

    region_code = PairArguments.region_code
    number_type = PairArguments.number_type


class FindAvailableNumbersArguments(Properties):
    """``find_available_numbers``'s arguments."""

    region_code = PairArguments.region_code
    number_type = PairArguments.number_type
    pattern = Property(
        Kind.STRING, "Digits the numbers must have, matched against the E.164 form (`+61412`)."
    )
    search_pattern = Property(
        Kind.STRING, "Where `pattern` must be: `START` / `CONTAINS` / `END`; needs `pattern`."
    )
    capabilities = Property(
        Kind.ARRAY, "`SMS` / `VOICE`: what the numbers must all support.", items=Kind.STRING
    )
    size = Property(Kind.INTEGER, "At most this many numbers (at least 1).")


class AttachmentRequirementFields(Properties):
    """One document a pair's KYC asks for: its `id` is an `Attachment`'s `requirement_id`."""

    id = computed(Kind.STRING, "The requirement's id.", required=True)
    title = computed(Kind.STRING, "Its title, as Sinch words it.", required=True)
    description = computed(Kind.STRING, "What the document must show.", required=True)
    mandatory = computed(Kind.BOOLEAN, "Whether an order must carry it.", required=True)
    allowed_mime_types = computed(
        Kind.ARRAY, "The media types it may have; empty: any.", required=True, items=Kind.STRING
    )
    allowed_document_types = computed(
        Kind.ARRAY,
        "Not empty: the attachment's `document_type` must be one of these.",
        required=True,
        items=Kind.STRING,
    )


ATTACHMENT_REQUIREMENT = ObjectType.of(AttachmentRequirementFields)


class RequirementsFields(Properties):
    """What ordering `number_type` numbers in `region_code` requires."""

    region_code = computed(Kind.STRING, "The region, upper-cased.", required=True)
    number_type = computed(Kind.STRING, "The number type.", required=True)
    offered = computed(
        Kind.BOOLEAN,
        "False when Sinch lists neither requirements nor any available number for the pair.",
        required=True,
    )
    needs_kyc = computed(
        Kind.BOOLEAN,
        "False when the pair is offered without KYC (no registration, no documents).",
        required=True,
    )
    attachments = computed(
        Kind.ARRAY,
        "The documents its KYC asks for.",
        required=True,
        items=ATTACHMENT_REQUIREMENT.name,
    )
    fields = computed(
        Kind.JSON,
        "The registration requirements as Sinch sends them (free-form; see docs/kyc.md).",
        required=True,
    )


class OfferedNumberFields(Properties):
    """A number available to order now; searches are snapshots, so order it soon."""

    phone_number = computed(Kind.STRING, "The number, E.164.", required=True)
    region_code = computed(Kind.STRING, "Its region.", required=True)
    number_type = computed(Kind.STRING, "Its type, when Sinch says.")
    capabilities = computed(
        Kind.ARRAY, "`SMS`, `VOICE`: what it supports.", required=True, items=Kind.STRING
    )
    setup_price = computed(Kind.OBJECT, "What ordering it costs once.", object_type=MONEY.name)
    monthly_price = computed(
        Kind.OBJECT, "What each payment interval costs.", object_type=MONEY.name
    )
    payment_interval_months = computed(Kind.INTEGER, "Months per payment interval.")
    supporting_documentation_required = computed(
        Kind.BOOLEAN, "Whether ordering it needs KYC documents, when Sinch says."
    )


OFFERED_NUMBER = ObjectType.of(OfferedNumberFields)


class FoundNumbersFields(Properties):
    """What ``find_available_numbers`` answers, as the package's function returns it (a Pulumi
    function returns an object, so the Python lookup's tuple is its one field)."""

    numbers = computed(
        Kind.ARRAY, "The numbers found, at most `size`.", required=True, items=OFFERED_NUMBER.name
    )


LOOKUP_REQUIREMENTS = FunctionSchema(
    "lookup_requirements",
    "What ordering a region's numbers of one type requires, from Sinch: whether it is offered, "
    "whether it needs KYC, the documents it asks for (their ids are `Attachment`s' "
    "`requirement_id`) and the registration fields. Orders nothing.",
    LookupRequirementsArguments.declared(),
    RequirementsFields.declared(),
    types=(ATTACHMENT_REQUIREMENT,),
)

FIND_AVAILABLE_NUMBERS = FunctionSchema(
    "find_available_numbers",
    "Numbers available to order now, as `sinch-numbers search` lists them; reserves nothing.",
    FindAvailableNumbersArguments.declared(),
    FoundNumbersFields.declared(),
    types=(OFFERED_NUMBER, MONEY),
)

FUNCTIONS = (LOOKUP_REQUIREMENTS, FIND_AVAILABLE_NUMBERS)
"""Every lookup, in the order the package lists them."""
