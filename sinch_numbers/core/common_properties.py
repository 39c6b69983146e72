"""The properties NumberOrder and ActiveNumber share, declared once.

Routing (what a number does with SMS, voice and callbacks) and home (the Sinch project and Numbers
API URL a resource belongs to) mean the same in both resources and are checked and compared by the
same code (:mod:`sinch_numbers.core.routing`, :mod:`sinch_numbers.core.home`). A resource's
declaration takes them by assignment, in the place its docs list them::

    class ActiveNumberProperties(Properties):
        phone_number = Property(...)
        sms_configuration = RoutingProperties.sms_configuration
        ...
        project_id = HomeProperties.project_id

so the property keeps its one declaration, and ``ActiveNumberProperties.sms_configuration.name``
and ``RoutingProperties.sms_configuration.name`` are the same name. What a change of one of them
does (a PATCH, a pending configuration) is the resource's to say, in its docs.

Nothing here imports Pulumi.
"""

from __future__ import annotations

from sinch_numbers.core.schema import Group, Kind, ObjectType, Properties, Property, computed


class SmsConfigurationFields(Properties):
    """SMS routing for the numbers: a service plan, and a campaign for US 10DLC."""

    service_plan_id = Property(
        Kind.STRING, "The SMS service plan the numbers send and receive through.", required=True
    )
    campaign_id = Property(Kind.STRING, "The 10DLC campaign (US numbers only).")


class VoiceConfigurationFields(Properties):
    """Voice routing: `RTC` + `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`."""

    type = Property(
        Kind.STRING,
        "`RTC` (with `app_id`), `EST` (with `trunk_id`) or `FAX` (with `service_id`).",
        required=True,
    )
    app_id = Property(Kind.STRING, "The voice app, for `RTC`.")
    trunk_id = Property(Kind.STRING, "The SIP trunk, for `EST`.")
    service_id = Property(Kind.STRING, "The fax service, for `FAX`.")


SMS_CONFIGURATION = ObjectType.of(SmsConfigurationFields)
VOICE_CONFIGURATION = ObjectType.of(VoiceConfigurationFields)


class MoneyFields(Properties):
    """An amount in a currency."""

    currency_code = computed(Kind.STRING, "ISO 4217 (`USD`).", required=True)
    amount = computed(Kind.STRING, "A decimal amount (`4.50`).", required=True)


MONEY = ObjectType.of(MoneyFields)


class RoutingProperties(Properties):
    """The routing inputs: where a number sends SMS, voice and callbacks."""

    sms_configuration = Property(
        Kind.OBJECT,
        "SMS routing: `SmsConfigurationArgs(service_plan_id, campaign_id=None)`. Removing it "
        'unlinks both ids (`""`, as the API documents); a missing `campaign_id` unlinks the '
        "campaign",
        object_type=SMS_CONFIGURATION.name,
        group=Group.ROUTING,
        package_description="SMS routing: a `service_plan_id` and, for US 10DLC, a `campaign_id`. "
        'Removing it unlinks both ids (`""`, as the API documents); a missing `campaign_id` '
        "unlinks the campaign",
    )
    voice_configuration = Property(
        Kind.OBJECT,
        "Voice routing: `VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: "
        "`RTC` + `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`. Removing it is refused: "
        "the API documents no way to unlink voice routing",
        object_type=VOICE_CONFIGURATION.name,
        group=Group.ROUTING,
        package_description="Voice routing: a `type` and its id: `RTC` + `app_id`, `EST` + "
        "`trunk_id`, `FAX` + `service_id`. Removing it is refused: the API documents no way to "
        "unlink voice routing",
    )
    callback_url = Property(
        Kind.STRING,
        "Where Sinch sends the number's callbacks: an https URL (http only for `localhost`). "
        'Removing it clears it (`""`)',
        group=Group.ROUTING,
    )


ROUTING = ObjectType(
    "Routing",
    "The routing of numbers: `sms_configuration`, `voice_configuration`, `callback_url`.",
    RoutingProperties.declared(),
)

ROUTING_TYPES = (SMS_CONFIGURATION, VOICE_CONFIGURATION, ROUTING)
"""The object types :class:`RoutingProperties` name, for a resource schema's ``types``."""


class ConfigurationProperties(Properties):
    """What an active number carries and a stack may manage (:class:`~sinch_numbers.core.routing.
    Configuration`): its display name, then its routing."""

    display_name = Property(
        Kind.STRING,
        'The number\'s display name. Removing it clears the name (`""`)',
    )
    sms_configuration = RoutingProperties.sms_configuration
    voice_configuration = RoutingProperties.voice_configuration
    callback_url = RoutingProperties.callback_url


CONFIGURATION = ObjectType(
    "Configuration",
    "What an active number carries: `display_name`, `sms_configuration`, "
    "`voice_configuration`, `callback_url`.",
    ConfigurationProperties.declared(),
)


class HomeProperties(Properties):
    """The outputs that record where a resource lives; states written before they existed lack
    them until a read finds the resource."""

    project_id = Property(
        Kind.STRING,
        "The Sinch project the resource belongs to (where it was created or adopted); no hook "
        "reads, changes or drops it under another `sinch:projectId`. Absent in states written by "
        "earlier versions until a read finds it",
        input=False,
    )
    numbers_url = Property(
        Kind.STRING,
        "The Numbers API URL the resource belongs to (where it was created or adopted); no hook "
        "reads, changes or drops it under another `sinch:numbersUrl`. Absent in states written "
        "by earlier versions until a read finds it",
        input=False,
    )
