"""The properties and object types that several resources share, declared once.

``NumberOrder`` and ``ActiveNumber`` both route their numbers (:class:`RoutingProperties`) and both
record where they live (:class:`HomeProperties`): their declarations inherit these classes, so
each shared property is written here alone, and code in ``core`` (routing, the home) refers to it
from here.
"""

from __future__ import annotations

from sinch_numbers.core.schema import Group, Kind, ObjectType, Properties, Property


class SmsConfigurationFields(Properties):
    service_plan_id = Property(
        Kind.STRING, "The SMS service plan the numbers send and receive through.", required=True
    )
    campaign_id = Property(Kind.STRING, "The 10DLC campaign (US numbers only).")


class VoiceConfigurationFields(Properties):
    type = Property(
        Kind.STRING,
        "`RTC` (with `app_id`), `EST` (with `trunk_id`) or `FAX` (with `service_id`).",
        required=True,
    )
    app_id = Property(Kind.STRING, "The voice app, for `RTC`.")
    trunk_id = Property(Kind.STRING, "The SIP trunk, for `EST`.")
    service_id = Property(Kind.STRING, "The fax service, for `FAX`.")


SMS_CONFIGURATION = ObjectType(
    "SmsConfiguration",
    "SMS routing for the numbers: a service plan, and a campaign for US 10DLC.",
    SmsConfigurationFields.declared(),
)
VOICE_CONFIGURATION = ObjectType(
    "VoiceConfiguration",
    "Voice routing: `RTC` + `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`.",
    VoiceConfigurationFields.declared(),
)


class MoneyFields(Properties):
    currency_code = Property(Kind.STRING, "ISO 4217 (`USD`).", input=False, required=True)
    amount = Property(Kind.STRING, "A decimal amount (`4.50`).", input=False, required=True)


MONEY = ObjectType("Money", "An amount in a currency.", MoneyFields.declared())


class RoutingProperties(Properties):
    """Where a resource's numbers route SMS, voice and callbacks: inputs, never a replace."""

    sms_configuration = Property(
        Kind.OBJECT,
        "`SmsConfigurationArgs(service_plan_id, campaign_id=None)`: the SMS routing the numbers "
        'carry. Removing it unlinks the SMS routing (`""`, as the API documents).',
        object_type=SMS_CONFIGURATION.name,
        group=Group.ROUTING,
    )
    voice_configuration = Property(
        Kind.OBJECT,
        "`VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: `RTC`→`app_id`, "
        "`EST`→`trunk_id`, `FAX`→`service_id`. Removing it is refused with an explanation (the "
        "API documents no way to unlink voice).",
        object_type=VOICE_CONFIGURATION.name,
        group=Group.ROUTING,
    )
    callback_url = Property(
        Kind.STRING,
        "An https URL (http only for localhost) Sinch calls about the numbers; removing it "
        'sends `""`.',
        group=Group.ROUTING,
    )


ROUTING = ObjectType(
    "Routing",
    "The routing of numbers: `sms_configuration`, `voice_configuration`, `callback_url`.",
    RoutingProperties.declared(),
)

ROUTING_TYPES = (SMS_CONFIGURATION, VOICE_CONFIGURATION, ROUTING)
"""The object types :class:`RoutingProperties` name, for a resource schema's ``types``."""


class HomeProperties(Properties):
    """Where a resource lives: no hook reads, changes or drops it under other settings."""

    project_id = Property(
        Kind.STRING,
        "The Sinch project the resource belongs to (where it was created or adopted); no hook "
        "reads, changes or drops it under another `sinch:projectId`. Absent in states written "
        "by earlier versions until a read finds it.",
        input=False,
    )
    numbers_url = Property(
        Kind.STRING,
        "The Numbers API URL the resource belongs to; no hook reads, changes or drops it under "
        "another `sinch:numbersUrl`. Absent in states written by earlier versions until a read "
        "finds it.",
        input=False,
    )
