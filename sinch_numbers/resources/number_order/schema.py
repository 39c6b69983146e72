"""The one declaration of ``NumberOrder``'s properties: every input and output, its type, default,
description and traits. The inputs' checking, the outputs' projection, the plan's groups, the
typed program classes and the docs' tables are derived from it.

The routing inputs and the home outputs are shared with ``ActiveNumber`` and declared once in
:mod:`sinch_numbers.core.common_properties`, and taken here by assignment, in their place.
"""

from __future__ import annotations

from typing import Any

from sinch_numbers.core.common_properties import (
    MONEY,
    ROUTING,
    ROUTING_TYPES,
    ConfigurationProperties,
    HomeProperties,
    RoutingProperties,
)
from sinch_numbers.core.schema import (
    Group,
    Kind,
    ObjectType,
    Properties,
    Property,
    ResourceSchema,
    computed,
)

DEFAULT_COMPLETION_TIMEOUT = 3600.0


def _identity(kind: Kind, description: str, **traits: Any) -> Property:
    """An input that says what is ordered: a change means another order."""
    return Property(kind, description, replace_on_change=True, group=Group.IDENTITY, **traits)


def _kyc(kind: Kind, description: str, **traits: Any) -> Property:
    """Registration data or documents: personal data, always secret."""
    return Property(kind, description, secret=True, group=Group.KYC, **traits)


def _state_only(kind: Kind, description: str, **traits: Any) -> Property:
    """Read by the provider and the program only: a change makes no call."""
    return Property(kind, description, group=Group.STATE_ONLY, **traits)


class AttachmentFields(Properties):
    """One KYC document for the requirement `requirement_id`."""

    requirement_id = Property(
        Kind.STRING,
        "The requirement the document answers (an id from the requirements).",
        required=True,
    )
    file = Property(
        Kind.ASSET,
        "A `pulumi.FileAsset` or a path (relative to the Pulumi project directory) to a regular "
        "file of at most 5 MiB.",
        required=True,
        package_description="A file asset: a regular file (not a pipe, device or socket) of at "
        "most 5 MiB, its path relative to the Pulumi project directory.",
    )
    document_type = Property(Kind.STRING, "The document's type, when the requirement asks one.")
    sha256 = computed(Kind.STRING, "The content's SHA-256, written by check.")
    mime_type = computed(Kind.STRING, "The content's media type, written by check.")
    size = computed(Kind.INTEGER, "The content's size in bytes, written by check.")


class OrderNumberFields(Properties):
    """One number of an order and its prices."""

    phone_number = computed(Kind.STRING, "The number, E.164.")
    capabilities = computed(Kind.ARRAY, "`SMS`, `VOICE`.", items=Kind.STRING)
    setup_price = computed(Kind.OBJECT, "What ordering it costs once.", object_type=MONEY.name)
    monthly_price = computed(
        Kind.OBJECT, "What each payment interval costs.", object_type=MONEY.name
    )
    payment_interval_months = computed(Kind.INTEGER, "Months per payment interval.")


class RegistrationLogFields(Properties):
    """One review message."""

    message = computed(Kind.STRING, "A reviewer's message.", required=True)
    create_time = computed(Kind.STRING, "When it was written, RFC 3339.", required=True)


class OrderActiveNumberFields(Properties):
    """One number of a COMPLETED order: its charges and the configuration it carries."""

    phone_number = computed(Kind.STRING, "The number, E.164.")
    next_charge_date = computed(Kind.STRING, "The next time Sinch bills it, RFC 3339.")
    expire_at = computed(
        Kind.STRING, "Set once the number is released: it stays active until then."
    )
    display_name = ConfigurationProperties.display_name
    sms_configuration = ConfigurationProperties.sms_configuration
    voice_configuration = ConfigurationProperties.voice_configuration
    callback_url = ConfigurationProperties.callback_url


ATTACHMENT = ObjectType.of(AttachmentFields)
ORDER_NUMBER = ObjectType.of(OrderNumberFields)
REGISTRATION_LOG = ObjectType.of(RegistrationLogFields)
ORDER_ACTIVE_NUMBER = ObjectType.of(OrderActiveNumberFields)


class NumberOrderProperties(Properties):
    """NumberOrder's properties, in the order the docs list them."""

    # Inputs.
    region_code = _identity(
        Kind.STRING,
        "ISO 3166-1 alpha-2 (`AU`): two ASCII letters in any case, upper-cased only once judged "
        '("ß", whose upper case is `SS`, is refused).',
        required=True,
    )
    number_type = _identity(Kind.STRING, "`MOBILE` / `LOCAL` / `TOLL_FREE`.", required=True)
    phone_number = _identity(
        Kind.STRING,
        "A specific number to order, E.164 (`+61412000100`); must belong to `region_code`. "
        "Exactly one of `phone_number` / `quantity`.",
    )
    quantity = _identity(
        Kind.INTEGER,
        "How many numbers to order, 1..100. Exactly one of `phone_number` / `quantity`.",
    )
    number_pattern = _identity(Kind.STRING, "Digits the numbers must have (quantity orders only).")
    search_pattern = _identity(
        Kind.STRING,
        "Where `number_pattern` must be: `START` / `CONTAINS` / `END` (quantity orders only).",
    )
    sequential = _identity(
        Kind.BOOLEAN, "Whether the numbers must be sequential (quantity orders only)."
    )
    capabilities = _identity(
        Kind.ARRAY,
        "`SMS` / `VOICE`: what the numbers must support (quantity orders only).",
        items=Kind.STRING,
    )
    sms_configuration = RoutingProperties.sms_configuration
    voice_configuration = RoutingProperties.voice_configuration
    callback_url = RoutingProperties.callback_url
    registration = _kyc(
        Kind.JSON,
        "The `requestDetails.data` payload (a list of requirement groups); always secret.",
    )
    attachments = _kyc(
        Kind.ARRAY,
        "A list of `AttachmentArgs(requirement_id, file, document_type=None)`; `file` is a "
        "`pulumi.FileAsset` or a path to a regular file (not a pipe, device or socket) of at "
        "most 5 MiB; always secret; content hashed.",
        items=ATTACHMENT.name,
        package_description="The KYC documents, one `Attachment` each (`requirement_id`, `file`, "
        "optionally `document_type`); `file` is a file asset of a regular file (not a pipe, device "
        "or socket) of at most 5 MiB; always secret; content hashed.",
    )
    wait_for_completion = _state_only(
        Kind.BOOLEAN,
        "A plain bool (not an `Output`): true declares a `NumberOrderCompletion` child that "
        "waits for review.",
        default=False,
        plain=True,
        program_only=True,
    )
    completion_timeout = _state_only(
        Kind.NUMBER,
        "Seconds, at most 7 days: the child's `timeout`.",
        default=DEFAULT_COMPLETION_TIMEOUT,
        default_in_state=False,
        program_only=True,
    )
    release_on_destroy = _state_only(
        Kind.BOOLEAN, "Whether destroying a COMPLETED order releases its numbers.", default=True
    )
    adopt_order_id = Property(
        Kind.STRING,
        "An existing order id: adopt it instead of creating one (stands in for `pulumi import`, "
        "which dynamic providers lack). A new id replaces; removing it afterwards is state only.",
        group=Group.IDENTITY,
        package_description="An existing order id: adopt it instead of creating one (as "
        "`pulumi import` does, which also writes the program). A new id replaces; removing it "
        "afterwards is state only.",
    )
    declaration = Property(
        Kind.STRING,
        "Which declaration this is (project, stack, parent, resource name), since a dynamic "
        "provider's create is not told its URN; only the record of interrupted creates reads it.",
        output=False,
        hidden=True,
    )

    # Outputs the provider computes.
    order_id = computed(
        Kind.STRING, "Sinch's `idNumberOrder` (also the resource id).", required=True
    )
    state = computed(
        Kind.STRING,
        "`CREATED`, `IN_REVIEW`, `BLOCKED`, `COMPLETED`, `REJECTED`, `EXPIRED` or "
        "`NUMBER_ORDER_STATE_UNSPECIFIED`.",
        required=True,
    )
    expire_time = computed(Kind.STRING, "RFC 3339: when an unsubmitted reservation lapses.")
    create_time = computed(Kind.STRING, "RFC 3339.")
    update_time = computed(Kind.STRING, "RFC 3339.")
    phone_numbers = computed(
        Kind.ARRAY, "The numbers of the order.", required=True, items=Kind.STRING
    )
    order_numbers = computed(
        Kind.ARRAY,
        "Per number: `phone_number`, `capabilities`, `setup_price`, `monthly_price`, "
        "`payment_interval_months`.",
        required=True,
        items=ORDER_NUMBER.name,
    )
    registration_logs = computed(
        Kind.ARRAY,
        "Review feedback (`message`, `create_time`): where a block or rejection reason lives; "
        "reviewers may quote personal data.",
        required=True,
        secret=True,
        items=REGISTRATION_LOG.name,
    )
    completed_steps = computed(
        Kind.ARRAY, "The workflow steps done in the last run.", required=True, items=Kind.STRING
    )
    failed_step = computed(
        Kind.STRING,
        "Set when a step after the order's creation failed; the run fails, the next `up` resumes.",
    )
    last_error = computed(
        Kind.STRING,
        "Why that step failed, in the provider's words only: step, state, HTTP status, counts, "
        "and for a review the command that shows its messages.",
    )
    last_error_detail = computed(
        Kind.STRING,
        "What the server said about that failure (a refused call's message and field "
        "violations), which may quote the registration.",
        secret=True,
    )
    progress = computed(
        Kind.OBJECT,
        "Fingerprints of what was sent (and the routing the numbers carry), so a resumed run "
        "repeats nothing.",
        required=True,
        secret=True,
    )
    pending_configuration = computed(
        Kind.OBJECT,
        "The routing (`sms_configuration`, `voice_configuration`, `callback_url`) waiting for "
        "the order to complete; absent once applied.",
        object_type=ROUTING.name,
    )
    active_numbers = computed(
        Kind.ARRAY,
        "Per number of a COMPLETED order: `phone_number`, `next_charge_date`, `expire_at` (set "
        "once released) and the routing it carries (`sms_configuration`, "
        "`voice_configuration`, `callback_url`), as read by the last refresh or written by the "
        "last PATCH; absent before completion.",
        items=ORDER_ACTIVE_NUMBER.name,
    )
    seconds_until_expiry = computed(
        Kind.INTEGER,
        "While the order is `CREATED`: seconds until the reservation lapses, by the local clock "
        "when the outputs were written (a hint for pipelines, never used to decide anything); "
        "absent in every other state.",
    )
    project_id = HomeProperties.project_id
    numbers_url = HomeProperties.numbers_url


SCHEMA = ResourceSchema(
    "NumberOrder",
    "Numbers ordered from Sinch, with the KYC registration and documents their country needs.",
    NumberOrderProperties.declared(),
    package_description="Numbers ordered from Sinch, with the KYC registration and documents "
    "their country needs. Creating one submits the order and returns; to wait until review "
    "completes it, declare a `NumberOrderCompletion` with this order's `order_id` (the dynamic "
    "provider's Python class, `sinch_numbers.NumberOrder`, can declare one as its child).",
    types=(
        *ROUTING_TYPES,
        ATTACHMENT,
        MONEY,
        ORDER_NUMBER,
        REGISTRATION_LOG,
        ORDER_ACTIVE_NUMBER,
    ),
)

P = NumberOrderProperties
"""A short alias for code that names many properties."""

INPUTS = SCHEMA.echoed_inputs
"""Every input a program sets, as the outputs echo them (the hidden ``declaration`` aside)."""
COMPUTED_OUTPUTS = SCHEMA.computed_outputs
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""
SECRET_OUTPUTS = SCHEMA.secret
"""Outputs that carry KYC data, fingerprints of it or the server's free text about the order
(reviewers' messages, a refused call's text, which may quote it); the resource marks them secret."""
REPLACE_ON_CHANGE = SCHEMA.replace_on_change
"""Inputs whose change means another order: the API cannot change what was ordered."""
