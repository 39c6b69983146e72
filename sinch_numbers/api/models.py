"""Wire models of the Sinch Numbers API.

Attributes are snake_case; the wire is camelCase (aliases). Responses ignore unknown fields and
tolerate explicit ``null`` and ``""`` where the live API sends them. Models that can carry personal
data hide input values from validation errors.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from sinch_numbers.api.enums import (
    FINAL_ORDER_STATES as FINAL_ORDER_STATES,
)
from sinch_numbers.api.enums import (
    Capability as Capability,
)
from sinch_numbers.api.enums import (
    NumberOrderState as NumberOrderState,
)
from sinch_numbers.api.enums import (
    NumberType as NumberType,
)
from sinch_numbers.api.enums import (
    SearchPattern as SearchPattern,
)
from sinch_numbers.api.enums import (
    UploadStatus as UploadStatus,
)
from sinch_numbers.api.enums import (
    VoiceApplicationType as VoiceApplicationType,
)
from sinch_numbers.api.text import one_line

E164_PATTERN = re.compile(r"^\+[1-9][0-9]{1,14}$")


class WireModel(BaseModel):
    """Base of every model: camelCase on the wire, unknown keys ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        hide_input_in_errors=True,
        defer_build=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body for a request: camelCase keys, unset and ``None`` fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


OptionalId = Annotated[str | None, BeforeValidator(_empty_to_none)]
"""An id the live API may send as ``""`` when unset."""


def validate_e164(value: str) -> str:
    """Accept only E.164 numbers with the leading ``+`` that are possible numbers."""
    if not E164_PATTERN.fullmatch(value):
        raise ValueError("must be an E.164 number with a leading '+' (for example +61412345678)")
    # Imported on first use: its metadata costs ~30 ms, which a plugin that never checks a
    # phone number (a quantity order, a refresh) need not pay at start-up.
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError("is not a parseable phone number") from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("is not a possible phone number")
    return value


def region_of(phone_number: str) -> str | None:
    """The ISO 3166-1 region a valid E.164 number belongs to, or None."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone_number, None)
    except phonenumbers.NumberParseException:
        return None
    region: str | None = phonenumbers.region_code_for_number(parsed)
    return region


class Money(WireModel):
    currency_code: str = ""
    amount: str = ""


# --- requirements -----------------------------------------------------------------------------


class AttachmentTemplate(WireModel):
    name: str = ""
    url: str = ""


class RequiredAttachment(WireModel):
    id: str
    title: str = ""
    description: str = ""
    mandatory: bool = False
    template: list[AttachmentTemplate] = Field(default_factory=list)
    allowed_mime_types: list[str] = Field(default_factory=list)
    allowed_document_types: list[str] = Field(default_factory=list)

    @field_validator("template", "allowed_mime_types", "allowed_document_types", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None or isinstance(value, bool) else value


class NumberRequirements(WireModel):
    """KYC requirements for one region and number type.

    ``attachments`` is read from the top level (the schema) or from ``fields.attachments`` (the
    published example) when the top level has none.
    """

    fields: dict[str, Any] = Field(default_factory=dict)
    attachments: list[RequiredAttachment] = Field(default_factory=list)
    quantity_orders_supported: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _attachments_fallback(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("attachments"):
            fields = data.get("fields")
            if isinstance(fields, dict) and isinstance(fields.get("attachments"), list):
                # The published example nests them here; keep only well-formed entries.
                nested = [a for a in fields["attachments"] if isinstance(a, dict) and "id" in a]
                data = {**data, "attachments": nested}
        return data

    @field_validator("fields", mode="before")
    @classmethod
    def _null_fields(cls, value: Any) -> Any:
        return {} if value is None else value


class LookupNumberRequirementsRequest(WireModel):
    region_code: str
    number_type: NumberType


# --- available numbers -------------------------------------------------------------------------


class AvailableNumber(WireModel):
    phone_number: str
    region_code: str = ""
    type: NumberType | None = None
    capabilities: list[Capability] = Field(
        default_factory=list, validation_alias=AliasChoices("capability", "capabilities")
    )
    setup_price: Money | None = None
    monthly_price: Money | None = None
    payment_interval_months: int | None = None
    supporting_documentation_required: bool | None = None


class ListAvailableNumbersResponse(WireModel):
    available_numbers: list[AvailableNumber] = Field(default_factory=list)

    @field_validator("available_numbers", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value


# --- orders ------------------------------------------------------------------------------------


class SmsConfiguration(WireModel):
    service_plan_id: str
    campaign_id: OptionalId = None


VOICE_ID_FOR_TYPE: dict[VoiceApplicationType, str] = {
    VoiceApplicationType.RTC: "app_id",
    VoiceApplicationType.EST: "trunk_id",
    VoiceApplicationType.FAX: "service_id",
}
"""The id each voice type routes to (``RTC`` an app, ``EST`` a trunk, ``FAX`` a service)."""


class VoiceConfiguration(WireModel):
    """Voice routing: ``RTC`` needs ``app_id``, ``EST`` ``trunk_id``, ``FAX`` ``service_id``."""

    type: VoiceApplicationType
    app_id: OptionalId = None
    trunk_id: OptionalId = None
    service_id: OptionalId = None

    @model_validator(mode="after")
    def _id_matches_type(self) -> VoiceConfiguration:
        wanted = VOICE_ID_FOR_TYPE[self.type]
        for name in VOICE_ID_FOR_TYPE.values():
            if name != wanted and getattr(self, name):
                raise ValueError(f"{name} does not belong to voice type {self.type.value}")
        if not getattr(self, wanted):
            raise ValueError(f"voice type {self.type.value} needs {wanted}")
        return self


class VoiceConfigurationResponse(WireModel):
    """Voice configuration as responses carry it: ids may all be empty while provisioning."""

    type: VoiceApplicationType | None = None
    app_id: OptionalId = None
    trunk_id: OptionalId = None
    service_id: OptionalId = None


class SmsConfigurationResponse(WireModel):
    service_plan_id: OptionalId = None
    campaign_id: OptionalId = None


class NumberPattern(WireModel):
    pattern: str
    search_pattern: SearchPattern | None = None


class NumberOrderOption(WireModel):
    phone_numbers: list[str] = Field(min_length=1, max_length=1)

    @field_validator("phone_numbers")
    @classmethod
    def _e164(cls, value: list[str]) -> list[str]:
        return [validate_e164(v) for v in value]


class QuantityOrderOption(WireModel):
    requested_quantity: int = Field(ge=1, le=100)
    number_pattern: NumberPattern | None = None
    sequential: bool | None = None
    capabilities: list[Capability] | None = None


class CreateNumberOrderRequest(WireModel):
    """Exactly one of ``number_order_option`` / ``quantity_order_option``."""

    region_code: str = Field(pattern=r"^[A-Z]{2}$")
    number_type: NumberType
    sms_configuration: SmsConfiguration | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None
    number_order_option: NumberOrderOption | None = None
    quantity_order_option: QuantityOrderOption | None = None

    @model_validator(mode="after")
    def _exactly_one_option(self) -> CreateNumberOrderRequest:
        if (self.number_order_option is None) == (self.quantity_order_option is None):
            raise ValueError(
                "exactly one of number_order_option (a specific number) or "
                "quantity_order_option (a quantity) must be set"
            )
        return self


class NumberPrice(WireModel):
    setup_price: Money | None = None
    monthly_price: Money | None = None
    payment_interval_months: int | None = None


class OrderNumber(WireModel):
    phone_number: str
    number_price: NumberPrice | None = None
    capabilities: list[Capability] = Field(
        default_factory=list, validation_alias=AliasChoices("capabilities", "capability")
    )


class NumberOrder(WireModel):
    id_number_order: str
    project_id: str = ""
    region_code: str = ""
    state: NumberOrderState = NumberOrderState.UNSPECIFIED
    number_type: NumberType | None = None
    order_numbers: list[OrderNumber] = Field(default_factory=list)
    sms_configuration: SmsConfigurationResponse | None = None
    voice_configuration: VoiceConfigurationResponse | None = None
    expire_time: datetime | None = None
    create_time: datetime | None = None
    update_time: datetime | None = None

    @field_validator("id_number_order")
    @classmethod
    def _has_id(cls, value: str) -> str:
        # An order without an id can never be read, resumed or adopted: not a usable answer.
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("state", mode="before")
    @classmethod
    def _unknown_state(cls, value: Any) -> Any:
        known = {s.value for s in NumberOrderState}
        return value if value in known else NumberOrderState.UNSPECIFIED.value

    @field_validator("expire_time", "create_time", "update_time", "number_type", mode="before")
    @classmethod
    def _empty_none(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @field_validator("order_numbers", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def phone_numbers(self) -> list[str]:
        return [n.phone_number for n in self.order_numbers]


# --- registration ------------------------------------------------------------------------------


class Attachment(WireModel):
    attachment_id: str
    file_name: str = ""
    mime_type: str = ""
    create_time: datetime | None = None
    update_time: datetime | None = None
    upload_status: UploadStatus | None = None
    document_type: str | None = None

    @field_validator("create_time", "update_time", "upload_status", "document_type", mode="before")
    @classmethod
    def _empty_none(cls, value: Any) -> Any:
        return _empty_to_none(value)


REVIEW_LOG_LIMIT = 1000
"""Characters kept of one review-log message: it says why an order was rejected or blocked."""


class RegistrationLog(WireModel):
    """A review-log entry. ``message`` is the reviewer's text, as one line."""

    message: str = ""
    create_time: datetime | None = None

    @field_validator("message", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> str:
        return one_line(value, REVIEW_LOG_LIMIT) if isinstance(value, str) else ""


class Registration(WireModel):
    """The KYC container of an order. ``request_details`` is personal data.

    Parsed from the current form (``requestDetails``) and the older one (``data``).
    """

    request_details: Any = Field(
        default=None, validation_alias=AliasChoices("requestDetails", "data")
    )
    attachments: list[Attachment] = Field(default_factory=list)
    logs: list[RegistrationLog] = Field(default_factory=list)

    @field_validator("attachments", "logs", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def data(self) -> Any:
        """The ``requestDetails.data`` payload, whichever form the response used."""
        details = self.request_details
        if isinstance(details, dict) and "data" in details:
            return details["data"]
        return details

    def __repr_args__(self) -> Any:
        for key, value in super().__repr_args__():
            yield key, ("<redacted>" if key == "request_details" else value)


class UpdateRegistrationRequest(WireModel):
    """PUT body: ``{"requestDetails": {"data": <payload>}}`` (the current spec's form)."""

    request_details: dict[str, Any]

    @classmethod
    def for_data(cls, data: Any) -> UpdateRegistrationRequest:
        return cls(request_details={"data": data})

    def __repr_args__(self) -> Any:
        yield "request_details", "<redacted>"


# --- active numbers ----------------------------------------------------------------------------


PROVISIONING_UNDER_WAY = frozenset({"WAITING", "IN_PROGRESS"})
"""``ProvisioningStatus`` values of a configuration Sinch is still applying to a number."""


class _ScheduledProvisioning(WireModel):
    """A configuration change Sinch applies asynchronously (active numbers only).

    ``status`` stays a string: an unknown value must not make the whole number unreadable.
    """

    status: str | None = None

    @property
    def under_way(self) -> bool:
        return self.status in PROVISIONING_UNDER_WAY

    @property
    def failed(self) -> bool:
        """Sinch gave up: the number keeps the configuration it had."""
        return self.status == "FAILED"


class ScheduledVoiceProvisioning(_ScheduledProvisioning):
    type: VoiceApplicationType | None = None
    app_id: OptionalId = None
    trunk_id: OptionalId = None
    service_id: OptionalId = None


class ScheduledSmsProvisioning(_ScheduledProvisioning):
    service_plan_id: OptionalId = None
    campaign_id: OptionalId = None
    error_codes: list[str] = Field(default_factory=list)

    @field_validator("error_codes", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value


class ActiveVoiceConfiguration(VoiceConfigurationResponse):
    scheduled_voice_provisioning: ScheduledVoiceProvisioning | None = None


class ActiveSmsConfiguration(SmsConfigurationResponse):
    scheduled_provisioning: ScheduledSmsProvisioning | None = None


class ActiveNumber(WireModel):
    phone_number: str
    project_id: str = ""
    display_name: str | None = None
    region_code: str = ""
    type: NumberType | None = None
    capabilities: list[Capability] = Field(
        default_factory=list, validation_alias=AliasChoices("capability", "capabilities")
    )
    money: Money | None = None
    payment_interval_months: int | None = None
    next_charge_date: datetime | None = None
    expire_at: datetime | None = None
    sms_configuration: ActiveSmsConfiguration | None = None
    voice_configuration: ActiveVoiceConfiguration | None = None
    callback_url: str | None = None

    @field_validator(
        "display_name", "next_charge_date", "expire_at", "callback_url", "type", mode="before"
    )
    @classmethod
    def _empty_none(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @property
    def is_released(self) -> bool:
        """A released number stays listed until ``expire_at``; it is released once that is set."""
        return self.expire_at is not None


class ListActiveNumbersResponse(WireModel):
    """One page; the last one has an empty ``next_page_token`` (observed: ``""``)."""

    active_numbers: list[ActiveNumber] = Field(default_factory=list)
    next_page_token: str = ""
    total_size: int | None = None

    @field_validator("active_numbers", mode="before")
    @classmethod
    def _null_list(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("next_page_token", mode="before")
    @classmethod
    def _null_token(cls, value: Any) -> Any:
        return "" if value is None else value


class SmsConfigurationUpdate(WireModel):
    """SMS routing in a PATCH: ``""`` unlinks a service plan or campaign (documented), so an
    empty id is sent as it is rather than left out."""

    service_plan_id: str
    campaign_id: str | None = None


class UpdateActiveNumberRequest(WireModel):
    """PATCH body. An empty configuration object is an API error, so unset parts are left out."""

    display_name: str | None = None
    sms_configuration: SmsConfigurationUpdate | None = None
    voice_configuration: VoiceConfiguration | None = None
    callback_url: str | None = None


# --- callback configuration ----------------------------------------------------------------------


class CallbackConfiguration(WireModel):
    project_id: str = ""
    hmac_secret: str | None = None

    def __repr_args__(self) -> Any:
        for key, value in super().__repr_args__():
            yield key, ("<redacted>" if key == "hmac_secret" and value else value)


class UpdateCallbackConfigurationRequest(WireModel):
    hmac_secret: str = Field(pattern=r"^[a-zA-Z0-9-]{32,64}$")

    def __repr_args__(self) -> Any:
        yield "hmac_secret", "<redacted>"


# --- errors on the wire ------------------------------------------------------------------------


class FieldViolation(WireModel):
    field: str = ""
    description: str = ""


class ErrorBody(WireModel):
    """``{"error": {code, message, status, details}}``; details stay raw for the error tree.

    Built by ``errors.read_error_body`` from whatever the server sent, value by value.
    """

    code: int | None = None
    message: str = ""
    status: str = ""
    details: list[dict[str, Any]] = Field(default_factory=list)


# Built at import: what every order's requests and answers go through on its critical path, one
# after the other (figure 1 of docs/performance.md). Every other model builds on first use, so
# that importing does not pay for it (figure 5).
ORDER_PATH_MODELS: tuple[type[WireModel], ...] = (
    NumberRequirements,
    CreateNumberOrderRequest,
    NumberOrder,
    UpdateRegistrationRequest,
    Registration,
    Attachment,
)
for _model in ORDER_PATH_MODELS:
    _model.model_rebuild()
