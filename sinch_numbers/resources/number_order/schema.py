"""The one declaration of ``NumberOrder``'s properties: every input and output, its type, default,
description and traits. The inputs' checking, the outputs' projection, the plan's groups, the
typed program classes and the docs' tables are derived from it.

The routing inputs and the home outputs are shared with ``ActiveNumber`` and declared once in
:mod:`sinch_numbers.core.properties`.
"""

from __future__ import annotations

from sinch_numbers.core.properties import (
    MONEY,
    ROUTING,
    ROUTING_TYPES,
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
)

DEFAULT_COMPLETION_TIMEOUT = 3600.0
MAX_COMPLETION_TIMEOUT = 7 * 24 * 3600.0


class AttachmentFields(Properties):
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
    )
    document_type = Property(Kind.STRING, "The document's type, when the requirement asks one.")
    sha256 = Property(Kind.STRING, "The content's SHA-256, written by check.", input=False)
    mime_type = Property(Kind.STRING, "The content's media type, written by check.", input=False)
    size = Property(Kind.INTEGER, "The content's size in bytes, written by check.", input=False)


class OrderNumberFields(Properties):
    phone_number = Property(Kind.STRING, "The number, E.164.", input=False)
    capabilities = Property(Kind.ARRAY, "`SMS`, `VOICE`.", input=False, items=Kind.STRING)
    setup_price = Property(
        Kind.OBJECT, "What ordering it costs once.", input=False, object_type=MONEY.name
    )
    monthly_price = Property(
        Kind.OBJECT, "What each payment interval costs.", input=False, object_type=MONEY.name
    )
    payment_interval_months = Property(Kind.INTEGER, "Months per payment interval.", input=False)


class RegistrationLogFields(Properties):
    message = Property(Kind.STRING, "A reviewer's message.", input=False, required=True)
    create_time = Property(
        Kind.STRING, "When it was written, RFC 3339.", input=False, required=True
    )


class OrderActiveNumberFields(RoutingProperties):
    phone_number = Property(Kind.STRING, "The number, E.164.", input=False)
    next_charge_date = Property(Kind.STRING, "The next time Sinch bills it, RFC 3339.", input=False)
    expire_at = Property(
        Kind.STRING, "Set once the number is released: it stays active until then.", input=False
    )
    display_name = Property(Kind.STRING, "The number's display name at Sinch.", input=False)


ATTACHMENT = ObjectType(
    "Attachment",
    "One KYC document for the requirement `requirement_id`.",
    AttachmentFields.declared(),
)
ORDER_NUMBER = ObjectType(
    "OrderNumber", "One number of an order and its prices.", OrderNumberFields.declared()
)
REGISTRATION_LOG = ObjectType(
    "RegistrationLog", "One review message.", RegistrationLogFields.declared()
)
ORDER_ACTIVE_NUMBER = ObjectType(
    "OrderActiveNumber",
    "One number of a COMPLETED order: its charges and the routing it carries.",
    OrderActiveNumberFields.declared(),
)


class NumberOrderProperties(HomeProperties, RoutingProperties):
    """NumberOrder's properties, in the order the docs list them."""

    # Inputs.
    region_code = Property(
        Kind.STRING,
        "ISO 3166-1 alpha-2 (`AU`): two ASCII letters in any case, upper-cased only once judged "
        '("ß", whose upper case is `SS`, is refused).',
        required=True,
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    number_type = Property(
        Kind.STRING,
        "`MOBILE` / `LOCAL` / `TOLL_FREE`.",
        required=True,
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    phone_number = Property(
        Kind.STRING,
        "A specific number to order, E.164 (`+61412000100`); must belong to `region_code`. "
        "Exactly one of `phone_number` / `quantity`.",
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    quantity = Property(
        Kind.INTEGER,
        "How many numbers to order, 1..100. Exactly one of `phone_number` / `quantity`.",
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    number_pattern = Property(
        Kind.STRING,
        "Digits the numbers must have (quantity orders only).",
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    search_pattern = Property(
        Kind.STRING,
        "Where `number_pattern` must be: `START` / `CONTAINS` / `END` (quantity orders only).",
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    sequential = Property(
        Kind.BOOLEAN,
        "Whether the numbers must be sequential (quantity orders only).",
        replace_on_change=True,
        group=Group.IDENTITY,
    )
    capabilities = Property(
        Kind.ARRAY,
        "`SMS` / `VOICE`: what the numbers must support (quantity orders only).",
        replace_on_change=True,
        group=Group.IDENTITY,
        items=Kind.STRING,
    )
    sms_configuration = RoutingProperties.sms_configuration
    voice_configuration = RoutingProperties.voice_configuration
    callback_url = RoutingProperties.callback_url
    registration = Property(
        Kind.JSON,
        "The `requestDetails.data` payload (a list of requirement groups); always secret.",
        secret=True,
        group=Group.KYC,
    )
    attachments = Property(
        Kind.ARRAY,
        "A list of `AttachmentArgs(requirement_id, file, document_type=None)`; `file` is a "
        "`pulumi.FileAsset` or a path to a regular file (not a pipe, device or socket) of at "
        "most 5 MiB; always secret; content hashed.",
        secret=True,
        group=Group.KYC,
        items=ATTACHMENT.name,
    )
    wait_for_completion = Property(
        Kind.BOOLEAN,
        "A plain bool (not an `Output`): true declares a `NumberOrderCompletion` child that "
        "waits for review.",
        default=False,
        group=Group.STATE_ONLY,
        plain=True,
    )
    completion_timeout = Property(
        Kind.NUMBER,
        "Seconds, at most 7 days: the child's `timeout`.",
        default=DEFAULT_COMPLETION_TIMEOUT,
        default_in_state=False,
        group=Group.STATE_ONLY,
    )
    release_on_destroy = Property(
        Kind.BOOLEAN,
        "Whether destroying a COMPLETED order releases its numbers.",
        default=True,
        group=Group.STATE_ONLY,
    )
    adopt_order_id = Property(
        Kind.STRING,
        "An existing order id: adopt it instead of creating one (stands in for `pulumi import`, "
        "which dynamic providers lack). A new id replaces; removing it afterwards is state only.",
        group=Group.IDENTITY,
    )
    declaration = Property(
        Kind.STRING,
        "Which declaration this is (project, stack, parent, resource name), since a dynamic "
        "provider's create is not told its URN; only the record of interrupted creates reads it.",
        output=False,
        hidden=True,
    )

    # Outputs the provider computes.
    order_id = Property(
        Kind.STRING, "Sinch's `idNumberOrder` (also the resource id).", input=False, required=True
    )
    state = Property(
        Kind.STRING,
        "`CREATED`, `IN_REVIEW`, `BLOCKED`, `COMPLETED`, `REJECTED`, `EXPIRED` or "
        "`NUMBER_ORDER_STATE_UNSPECIFIED`.",
        input=False,
        required=True,
    )
    expire_time = Property(
        Kind.STRING, "RFC 3339: when an unsubmitted reservation lapses.", input=False
    )
    create_time = Property(Kind.STRING, "RFC 3339.", input=False)
    update_time = Property(Kind.STRING, "RFC 3339.", input=False)
    phone_numbers = Property(
        Kind.ARRAY, "The numbers of the order.", input=False, required=True, items=Kind.STRING
    )
    order_numbers = Property(
        Kind.ARRAY,
        "Per number: `phone_number`, `capabilities`, `setup_price`, `monthly_price`, "
        "`payment_interval_months`.",
        input=False,
        required=True,
        items=ORDER_NUMBER.name,
    )
    registration_logs = Property(
        Kind.ARRAY,
        "Review feedback (`message`, `create_time`): where a block or rejection reason lives; "
        "reviewers may quote personal data.",
        input=False,
        required=True,
        secret=True,
        items=REGISTRATION_LOG.name,
    )
    completed_steps = Property(
        Kind.ARRAY,
        "The workflow steps done in the last run.",
        input=False,
        required=True,
        items=Kind.STRING,
    )
    failed_step = Property(
        Kind.STRING,
        "Set when a step after the order's creation failed; the run fails, the next `up` resumes.",
        input=False,
    )
    last_error = Property(
        Kind.STRING,
        "Why that step failed, in the provider's words only: step, state, HTTP status, counts, "
        "and for a review the command that shows its messages.",
        input=False,
    )
    last_error_detail = Property(
        Kind.STRING,
        "What the server said about that failure (a refused call's message and field "
        "violations), which may quote the registration.",
        input=False,
        secret=True,
    )
    progress = Property(
        Kind.OBJECT,
        "Fingerprints of what was sent (and the routing the numbers carry), so a resumed run "
        "repeats nothing.",
        input=False,
        required=True,
        secret=True,
    )
    pending_configuration = Property(
        Kind.OBJECT,
        "The routing (`sms_configuration`, `voice_configuration`, `callback_url`) waiting for "
        "the order to complete; absent once applied.",
        input=False,
        object_type=ROUTING.name,
    )
    active_numbers = Property(
        Kind.ARRAY,
        "Per number of a COMPLETED order: `phone_number`, `next_charge_date`, `expire_at` (set "
        "once released) and the routing it carries (`sms_configuration`, "
        "`voice_configuration`, `callback_url`), as read by the last refresh or written by the "
        "last PATCH; absent before completion.",
        input=False,
        items=ORDER_ACTIVE_NUMBER.name,
    )
    seconds_until_expiry = Property(
        Kind.INTEGER,
        "While the order is `CREATED`: seconds until the reservation lapses, by the local clock "
        "when the outputs were written (a hint for pipelines, never used to decide anything); "
        "absent in every other state.",
        input=False,
    )
    # project_id and numbers_url come last, from HomeProperties.


SCHEMA = ResourceSchema(
    "NumberOrder",
    "Numbers ordered from Sinch, with the KYC registration and documents their country needs.",
    NumberOrderProperties.declared(),
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
