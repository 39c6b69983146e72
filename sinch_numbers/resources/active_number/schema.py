"""The one declaration of ActiveNumber's properties, in the order its docs list them.

The inputs' checking (:mod:`.check`), the outputs' projection (:mod:`.outputs`), the diff and the
lifecycle read their names and traits from here; code refers to a property as
``ActiveNumberProperties.phone_number.name`` (``P.phone_number.name`` inside the package), never
by a string of its own. The routing inputs and the home outputs are NumberOrder's too, declared
once in :mod:`sinch_numbers.core.common_properties`.
"""

from __future__ import annotations

from sinch_numbers.core.common_properties import (
    CONFIGURATION,
    MONEY,
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


class ProvisioningFields(Properties):
    """Where Sinch stands applying the number's routing."""

    sms = computed(Kind.STRING, "The SMS routing's status, while Sinch applies it.")
    voice = computed(Kind.STRING, "The voice routing's status, while Sinch applies it.")


PROVISIONING = ObjectType.of(ProvisioningFields)


class ActiveNumberProperties(Properties):
    """Every property of an ActiveNumber: its inputs, then the outputs the provider computes."""

    # --- inputs -------------------------------------------------------------------------------
    phone_number = Property(
        Kind.STRING,
        "The number to manage, E.164 (`+` and digits). It must already be active in the Sinch "
        "project: an ActiveNumber never buys one. A change manages the other number from then "
        "on: the replacement adopts the new number first, then lets the old one go; it buys "
        "nothing, and it releases the old number only when `release_on_destroy` was true",
        required=True,
        replace_on_change=True,
    )
    display_name = ConfigurationProperties.display_name
    sms_configuration = RoutingProperties.sms_configuration
    voice_configuration = RoutingProperties.voice_configuration
    callback_url = RoutingProperties.callback_url
    release_on_destroy = Property(
        Kind.BOOLEAN,
        "Whether destroying the resource, or changing its `phone_number`, releases the number. "
        "`false` (the default) leaves it active and billed. State only, no API call: turning it "
        "on warns in preview that a destroy or a change of `phone_number` will release the "
        "number",
        default=False,
        group=Group.STATE_ONLY,
    )
    number_order_id = Property(
        Kind.STRING,
        "Set by the program, not by hand: the `order_id` of the `NumberOrder` whose outputs give "
        "`phone_number` (`phone_number=order.phone_numbers.apply(lambda n: n[0])`); that order "
        "holds the number, so this resource's delete leaves it to the order. A state written "
        "before it existed gets it with the next `up` (an update with no API call)",
        hidden=True,
    )

    # --- outputs the provider computes --------------------------------------------------------
    region_code = computed(Kind.STRING, "The number's region, as Sinch has it (`US`)")
    number_type = computed(Kind.STRING, "The number's type, as Sinch has it (`LOCAL`)")
    capabilities = computed(
        Kind.ARRAY,
        'What the number can carry: `["SMS", "VOICE"]`',
        required=True,
        items=Kind.STRING,
    )
    monthly_price = computed(
        Kind.OBJECT,
        '`{"currency_code": "USD", "amount": "0.50"}`: what each payment interval costs',
        object_type="Money",
    )
    payment_interval_months = computed(Kind.INTEGER, "Usually 1")
    next_charge_date = computed(Kind.STRING, "RFC 3339; the next time Sinch bills the number")
    expire_at = computed(
        Kind.STRING,
        "Set once the number is released: it stays active until then (Sinch refunds nothing), "
        "then it is gone",
    )
    configuration = computed(
        Kind.OBJECT,
        "What the number carries at Sinch, managed or not: `display_name`, "
        "`sms_configuration`, `voice_configuration`, `callback_url`",
        required=True,
        object_type=CONFIGURATION.name,
    )
    provisioning = computed(
        Kind.OBJECT,
        '`{"sms": status, "voice": status}` while Sinch applies routing asynchronously '
        "(`WAITING`, `IN_PROGRESS`, `FAILED`); unset otherwise",
        object_type=PROVISIONING.name,
    )
    project_id = HomeProperties.project_id
    numbers_url = HomeProperties.numbers_url


SCHEMA = ResourceSchema(
    "ActiveNumber",
    "A number already active in the Sinch project (bought in the dashboard, with another tool, "
    "or by a NumberOrder that completed), managed by the stack: its display name, SMS and voice "
    "routing, and callback URL. Creating one never buys a number, and destroying one never "
    "releases it unless `release_on_destroy` is true.",
    ActiveNumberProperties.declared(),
    types=(*ROUTING_TYPES, CONFIGURATION, MONEY, PROVISIONING),
)
