"""The typed surface of the program classes: each resource's ``Args``, its constructor's
keywords and its output attributes.

This module is generated from the resources' schemas by ``make generate``; do not edit.
The schemas are ``sinch_numbers/resources/*/schema.py``; ``tests/unit/test_generated.py`` fails
when this file and they differ. What declaring a resource does is written by hand in
:mod:`sinch_numbers.resource`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from sinch_numbers.surface import Surface, args_or_keywords

__all__ = [
    "ActiveNumberArgs",
    "ActiveNumberSurface",
    "AttachmentArgs",
    "NumberOrderArgs",
    "NumberOrderCompletionArgs",
    "NumberOrderCompletionSurface",
    "NumberOrderSurface",
    "SmsConfigurationArgs",
    "VoiceConfigurationArgs",
]


@dataclass(frozen=True, kw_only=True)
class SmsConfigurationArgs:
    """SMS routing for the numbers: a service plan, and a campaign for US 10DLC."""

    service_plan_id: pulumi.Input[str]
    """The SMS service plan the numbers send and receive through."""
    campaign_id: pulumi.Input[str] | None = None
    """The 10DLC campaign (US numbers only)."""


@dataclass(frozen=True, kw_only=True)
class VoiceConfigurationArgs:
    """Voice routing: `RTC` + `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`."""

    type: pulumi.Input[str]
    """`RTC` (with `app_id`), `EST` (with `trunk_id`) or `FAX` (with `service_id`)."""
    app_id: pulumi.Input[str] | None = None
    """The voice app, for `RTC`."""
    trunk_id: pulumi.Input[str] | None = None
    """The SIP trunk, for `EST`."""
    service_id: pulumi.Input[str] | None = None
    """The fax service, for `FAX`."""


@dataclass(frozen=True, kw_only=True)
class AttachmentArgs:
    """One KYC document for the requirement `requirement_id`."""

    requirement_id: pulumi.Input[str]
    """The requirement the document answers (an id from the requirements)."""
    file: pulumi.Input[str] | pulumi.FileAsset
    """A `pulumi.FileAsset` or a path (relative to the Pulumi project directory) to a regular file
    of at most 5 MiB."""
    document_type: pulumi.Input[str] | None = None
    """The document's type, when the requirement asks one."""


@dataclass(frozen=True, kw_only=True)
class NumberOrderArgs:
    """The inputs of a ``NumberOrder``, given as one value instead of as keywords."""

    region_code: pulumi.Input[str]
    """ISO 3166-1 alpha-2 (`AU`): two ASCII letters in any case, upper-cased only once judged ("ß",
    whose upper case is `SS`, is refused)."""
    number_type: pulumi.Input[str]
    """`MOBILE` / `LOCAL` / `TOLL_FREE`."""
    phone_number: pulumi.Input[str] | None = None
    """A specific number to order, E.164 (`+61412000100`); must belong to `region_code`. Exactly one
    of `phone_number` / `quantity`."""
    quantity: pulumi.Input[int] | None = None
    """How many numbers to order, 1..100. Exactly one of `phone_number` / `quantity`."""
    number_pattern: pulumi.Input[str] | None = None
    """Digits the numbers must have (quantity orders only)."""
    search_pattern: pulumi.Input[str] | None = None
    """Where `number_pattern` must be: `START` / `CONTAINS` / `END` (quantity orders only)."""
    sequential: pulumi.Input[bool] | None = None
    """Whether the numbers must be sequential (quantity orders only)."""
    capabilities: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """`SMS` / `VOICE`: what the numbers must support (quantity orders only)."""
    sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None
    """SMS routing: `SmsConfigurationArgs(service_plan_id, campaign_id=None)`. Removing it unlinks
    both ids (`""`, as the API documents); a missing `campaign_id` unlinks the campaign"""
    voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None
    """Voice routing: `VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: `RTC` +
    `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`. Removing it is refused: the API documents no
    way to unlink voice routing"""
    callback_url: pulumi.Input[str] | None = None
    """Where Sinch sends the number's callbacks: an https URL (http only for `localhost`). Removing
    it clears it (`""`)"""
    registration: pulumi.Input[Any] | None = None
    """The `requestDetails.data` payload (a list of requirement groups); always secret."""
    attachments: pulumi.Input[Sequence[pulumi.Input[AttachmentArgs]]] | None = None
    """A list of `AttachmentArgs(requirement_id, file, document_type=None)`; `file` is a
    `pulumi.FileAsset` or a path to a regular file (not a pipe, device or socket) of at most 5 MiB;
    always secret; content hashed."""
    wait_for_completion: bool | None = None
    """A plain bool (not an `Output`): true declares a `NumberOrderCompletion` child that waits for
    review."""
    completion_timeout: pulumi.Input[float] | None = None
    """Seconds, at most 7 days: the child's `timeout`."""
    release_on_destroy: pulumi.Input[bool] | None = None
    """Whether destroying a COMPLETED order releases its numbers."""
    adopt_order_id: pulumi.Input[str] | None = None
    """An existing order id: adopt it instead of creating one (stands in for `pulumi import`, which
    dynamic providers lack). A new id replaces; removing it afterwards is state only."""


class NumberOrderSurface(Surface):
    """Numbers ordered from Sinch, with the KYC registration and documents their country needs.

    The typed surface of ``NumberOrder``: its constructor's keywords, which are
    ``NumberOrderArgs``'s fields, and its output attributes. The program class
    (:class:`sinch_numbers.resource.NumberOrder`) writes ``_declare``."""

    region_code: pulumi.Output[str]
    """ISO 3166-1 alpha-2 (`AU`): two ASCII letters in any case, upper-cased only once judged ("ß",
    whose upper case is `SS`, is refused)."""

    number_type: pulumi.Output[str]
    """`MOBILE` / `LOCAL` / `TOLL_FREE`."""

    phone_number: pulumi.Output[str | None]
    """A specific number to order, E.164 (`+61412000100`); must belong to `region_code`. Exactly one
    of `phone_number` / `quantity`."""

    quantity: pulumi.Output[int | None]
    """How many numbers to order, 1..100. Exactly one of `phone_number` / `quantity`."""

    number_pattern: pulumi.Output[str | None]
    """Digits the numbers must have (quantity orders only)."""

    search_pattern: pulumi.Output[str | None]
    """Where `number_pattern` must be: `START` / `CONTAINS` / `END` (quantity orders only)."""

    sequential: pulumi.Output[bool | None]
    """Whether the numbers must be sequential (quantity orders only)."""

    capabilities: pulumi.Output[list[str] | None]
    """`SMS` / `VOICE`: what the numbers must support (quantity orders only)."""

    sms_configuration: pulumi.Output[dict[str, Any] | None]
    """SMS routing: `SmsConfigurationArgs(service_plan_id, campaign_id=None)`. Removing it unlinks
    both ids (`""`, as the API documents); a missing `campaign_id` unlinks the campaign"""

    voice_configuration: pulumi.Output[dict[str, Any] | None]
    """Voice routing: `VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: `RTC` +
    `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`. Removing it is refused: the API documents no
    way to unlink voice routing"""

    callback_url: pulumi.Output[str | None]
    """Where Sinch sends the number's callbacks: an https URL (http only for `localhost`). Removing
    it clears it (`""`)"""

    registration: pulumi.Output[Any]
    """The `requestDetails.data` payload (a list of requirement groups); always secret."""

    attachments: pulumi.Output[list[dict[str, Any]] | None]
    """A list of `AttachmentArgs(requirement_id, file, document_type=None)`; `file` is a
    `pulumi.FileAsset` or a path to a regular file (not a pipe, device or socket) of at most 5 MiB;
    always secret; content hashed."""

    wait_for_completion: pulumi.Output[bool]
    """A plain bool (not an `Output`): true declares a `NumberOrderCompletion` child that waits for
    review."""

    completion_timeout: pulumi.Output[float | None]
    """Seconds, at most 7 days: the child's `timeout`."""

    release_on_destroy: pulumi.Output[bool]
    """Whether destroying a COMPLETED order releases its numbers."""

    adopt_order_id: pulumi.Output[str | None]
    """An existing order id: adopt it instead of creating one (stands in for `pulumi import`, which
    dynamic providers lack). A new id replaces; removing it afterwards is state only."""

    order_id: pulumi.Output[str]
    """Sinch's `idNumberOrder` (also the resource id)."""

    state: pulumi.Output[str]
    """`CREATED`, `IN_REVIEW`, `BLOCKED`, `COMPLETED`, `REJECTED`, `EXPIRED` or
    `NUMBER_ORDER_STATE_UNSPECIFIED`."""

    expire_time: pulumi.Output[str | None]
    """RFC 3339: when an unsubmitted reservation lapses."""

    create_time: pulumi.Output[str | None]
    """RFC 3339."""

    update_time: pulumi.Output[str | None]
    """RFC 3339."""

    phone_numbers: pulumi.Output[list[str]]
    """The numbers of the order."""

    order_numbers: pulumi.Output[list[dict[str, Any]]]
    """Per number: `phone_number`, `capabilities`, `setup_price`, `monthly_price`,
    `payment_interval_months`."""

    registration_logs: pulumi.Output[list[dict[str, str]]]
    """Review feedback (`message`, `create_time`): where a block or rejection reason lives;
    reviewers may quote personal data."""

    completed_steps: pulumi.Output[list[str]]
    """The workflow steps done in the last run."""

    failed_step: pulumi.Output[str | None]
    """Set when a step after the order's creation failed; the run fails, the next `up` resumes."""

    last_error: pulumi.Output[str | None]
    """Why that step failed, in the provider's words only: step, state, HTTP status, counts, and for
    a review the command that shows its messages."""

    last_error_detail: pulumi.Output[str | None]
    """What the server said about that failure (a refused call's message and field violations),
    which may quote the registration."""

    progress: pulumi.Output[dict[str, Any]]
    """Fingerprints of what was sent (and the routing the numbers carry), so a resumed run repeats
    nothing."""

    pending_configuration: pulumi.Output[dict[str, Any] | None]
    """The routing (`sms_configuration`, `voice_configuration`, `callback_url`) waiting for the
    order to complete; absent once applied."""

    active_numbers: pulumi.Output[list[dict[str, Any]] | None]
    """Per number of a COMPLETED order: `phone_number`, `next_charge_date`, `expire_at` (set once
    released) and the routing it carries (`sms_configuration`, `voice_configuration`,
    `callback_url`), as read by the last refresh or written by the last PATCH; absent before
    completion."""

    seconds_until_expiry: pulumi.Output[int | None]
    """While the order is `CREATED`: seconds until the reservation lapses, by the local clock when
    the outputs were written (a hint for pipelines, never used to decide anything); absent in every
    other state."""

    project_id: pulumi.Output[str | None]
    """The Sinch project the resource belongs to (where it was created or adopted); no hook reads,
    changes or drops it under another `sinch:projectId`. Absent in states written by earlier
    versions until a read finds it"""

    numbers_url: pulumi.Output[str | None]
    """The Numbers API URL the resource belongs to (where it was created or adopted); no hook reads,
    changes or drops it under another `sinch:numbersUrl`. Absent in states written by earlier
    versions until a read finds it"""

    def __init__(
        self,
        resource_name: str,
        args: NumberOrderArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        region_code: pulumi.Input[str] | None = None,
        number_type: pulumi.Input[str] | None = None,
        phone_number: pulumi.Input[str] | None = None,
        quantity: pulumi.Input[int] | None = None,
        number_pattern: pulumi.Input[str] | None = None,
        search_pattern: pulumi.Input[str] | None = None,
        sequential: pulumi.Input[bool] | None = None,
        capabilities: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None,
        voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        registration: pulumi.Input[Any] | None = None,
        attachments: pulumi.Input[Sequence[pulumi.Input[AttachmentArgs]]] | None = None,
        wait_for_completion: bool | None = None,
        completion_timeout: pulumi.Input[float] | None = None,
        release_on_destroy: pulumi.Input[bool] | None = None,
        adopt_order_id: pulumi.Input[str] | None = None,
    ) -> None:
        keywords: dict[str, Any] = {
            "region_code": region_code,
            "number_type": number_type,
            "phone_number": phone_number,
            "quantity": quantity,
            "number_pattern": number_pattern,
            "search_pattern": search_pattern,
            "sequential": sequential,
            "capabilities": capabilities,
            "sms_configuration": sms_configuration,
            "voice_configuration": voice_configuration,
            "callback_url": callback_url,
            "registration": registration,
            "attachments": attachments,
            "wait_for_completion": wait_for_completion,
            "completion_timeout": completion_timeout,
            "release_on_destroy": release_on_destroy,
            "adopt_order_id": adopt_order_id,
        }
        given = args_or_keywords("NumberOrder", resource_name, NumberOrderArgs, args, keywords)
        self._declare(resource_name, given, opts)


@dataclass(frozen=True, kw_only=True)
class NumberOrderCompletionArgs:
    """The inputs of a ``NumberOrderCompletion``, given as one value instead of as keywords."""

    order_id: pulumi.Input[str]
    """A `NumberOrder`'s `order_id`: this also makes the engine create the order first; another id
    replaces the completion."""
    timeout: pulumi.Input[float] | None = None
    """Seconds to wait, 1 s to 7 days; unset: no limit. A change is state only."""


class NumberOrderCompletionSurface(Surface):
    """Waits until a number order leaves review, outside the create that made the order. Orders
    nothing and releases nothing; the id is the order id.

    The typed surface of ``NumberOrderCompletion``: its constructor's keywords, which are
    ``NumberOrderCompletionArgs``'s fields, and its output attributes. The program class
    (:class:`sinch_numbers.resource.NumberOrderCompletion`) writes ``_declare``."""

    order_id: pulumi.Output[str]
    """A `NumberOrder`'s `order_id`: this also makes the engine create the order first; another id
    replaces the completion."""

    timeout: pulumi.Output[float | None]
    """Seconds to wait, 1 s to 7 days; unset: no limit. A change is state only."""

    state: pulumi.Output[str]
    """The order's state once the wait ends (`COMPLETED`)."""

    phone_numbers: pulumi.Output[list[str]]
    """The numbers of the order."""

    active_numbers: pulumi.Output[list[dict[str, Any]] | None]
    """Per number of the completed order: `phone_number`, `next_charge_date`."""

    def __init__(
        self,
        resource_name: str,
        args: NumberOrderCompletionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        order_id: pulumi.Input[str] | None = None,
        timeout: pulumi.Input[float] | None = None,
    ) -> None:
        keywords: dict[str, Any] = {
            "order_id": order_id,
            "timeout": timeout,
        }
        given = args_or_keywords(
            "NumberOrderCompletion", resource_name, NumberOrderCompletionArgs, args, keywords
        )
        self._declare(resource_name, given, opts)


@dataclass(frozen=True, kw_only=True)
class ActiveNumberArgs:
    """The inputs of a ``ActiveNumber``, given as one value instead of as keywords."""

    phone_number: pulumi.Input[str]
    """The number to manage, E.164 (`+` and digits). It must already be active in the Sinch project:
    an ActiveNumber never buys one. A change manages the other number from then on: the replacement
    adopts the new number first, then lets the old one go; it buys nothing, and it releases the old
    number only when `release_on_destroy` was true"""
    display_name: pulumi.Input[str] | None = None
    """The number's display name. Removing it clears the name (`""`)"""
    sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None
    """SMS routing: `SmsConfigurationArgs(service_plan_id, campaign_id=None)`. Removing it unlinks
    both ids (`""`, as the API documents); a missing `campaign_id` unlinks the campaign"""
    voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None
    """Voice routing: `VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: `RTC` +
    `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`. Removing it is refused: the API documents no
    way to unlink voice routing"""
    callback_url: pulumi.Input[str] | None = None
    """Where Sinch sends the number's callbacks: an https URL (http only for `localhost`). Removing
    it clears it (`""`)"""
    release_on_destroy: pulumi.Input[bool] | None = None
    """Whether destroying the resource, or changing its `phone_number`, releases the number. `false`
    (the default) leaves it active and billed. State only, no API call: turning it on warns in
    preview that a destroy or a change of `phone_number` will release the number"""


class ActiveNumberSurface(Surface):
    """A number already active in the Sinch project (bought in the dashboard, with another tool, or
    by a NumberOrder that completed), managed by the stack: its display name, SMS and voice routing,
    and callback URL. Creating one never buys a number, and destroying one never releases it unless
    `release_on_destroy` is true.

    The typed surface of ``ActiveNumber``: its constructor's keywords, which are
    ``ActiveNumberArgs``'s fields, and its output attributes. The program class
    (:class:`sinch_numbers.resource.ActiveNumber`) writes ``_declare``."""

    phone_number: pulumi.Output[str]
    """The number to manage, E.164 (`+` and digits). It must already be active in the Sinch project:
    an ActiveNumber never buys one. A change manages the other number from then on: the replacement
    adopts the new number first, then lets the old one go; it buys nothing, and it releases the old
    number only when `release_on_destroy` was true"""

    display_name: pulumi.Output[str | None]
    """The number's display name. Removing it clears the name (`""`)"""

    sms_configuration: pulumi.Output[dict[str, Any] | None]
    """SMS routing: `SmsConfigurationArgs(service_plan_id, campaign_id=None)`. Removing it unlinks
    both ids (`""`, as the API documents); a missing `campaign_id` unlinks the campaign"""

    voice_configuration: pulumi.Output[dict[str, Any] | None]
    """Voice routing: `VoiceConfigurationArgs(type, app_id | trunk_id | service_id)`: `RTC` +
    `app_id`, `EST` + `trunk_id`, `FAX` + `service_id`. Removing it is refused: the API documents no
    way to unlink voice routing"""

    callback_url: pulumi.Output[str | None]
    """Where Sinch sends the number's callbacks: an https URL (http only for `localhost`). Removing
    it clears it (`""`)"""

    release_on_destroy: pulumi.Output[bool]
    """Whether destroying the resource, or changing its `phone_number`, releases the number. `false`
    (the default) leaves it active and billed. State only, no API call: turning it on warns in
    preview that a destroy or a change of `phone_number` will release the number"""

    number_order_id: pulumi.Output[str | None]
    """Set by the program, not by hand: the `order_id` of the `NumberOrder` whose outputs give
    `phone_number` (`phone_number=order.phone_numbers.apply(lambda n: n[0])`); that order holds the
    number, so this resource's delete leaves it to the order. A state written before it existed gets
    it with the next `up` (an update with no API call)"""

    region_code: pulumi.Output[str | None]
    """The number's region, as Sinch has it (`US`)"""

    number_type: pulumi.Output[str | None]
    """The number's type, as Sinch has it (`LOCAL`)"""

    capabilities: pulumi.Output[list[str]]
    """What the number can carry: `["SMS", "VOICE"]`"""

    monthly_price: pulumi.Output[dict[str, str] | None]
    """`{"currency_code": "USD", "amount": "0.50"}`: what each payment interval costs"""

    payment_interval_months: pulumi.Output[int | None]
    """Usually 1"""

    next_charge_date: pulumi.Output[str | None]
    """RFC 3339; the next time Sinch bills the number"""

    expire_at: pulumi.Output[str | None]
    """Set once the number is released: it stays active until then (Sinch refunds nothing), then it
    is gone"""

    configuration: pulumi.Output[dict[str, Any]]
    """What the number carries at Sinch, managed or not: `display_name`, `sms_configuration`,
    `voice_configuration`, `callback_url`"""

    provisioning: pulumi.Output[dict[str, str | None] | None]
    """`{"sms": status, "voice": status}` while Sinch applies routing asynchronously (`WAITING`,
    `IN_PROGRESS`, `FAILED`); unset otherwise"""

    project_id: pulumi.Output[str | None]
    """The Sinch project the resource belongs to (where it was created or adopted); no hook reads,
    changes or drops it under another `sinch:projectId`. Absent in states written by earlier
    versions until a read finds it"""

    numbers_url: pulumi.Output[str | None]
    """The Numbers API URL the resource belongs to (where it was created or adopted); no hook reads,
    changes or drops it under another `sinch:numbersUrl`. Absent in states written by earlier
    versions until a read finds it"""

    def __init__(
        self,
        resource_name: str,
        args: ActiveNumberArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        phone_number: pulumi.Input[str] | None = None,
        display_name: pulumi.Input[str] | None = None,
        sms_configuration: pulumi.Input[SmsConfigurationArgs] | None = None,
        voice_configuration: pulumi.Input[VoiceConfigurationArgs] | None = None,
        callback_url: pulumi.Input[str] | None = None,
        release_on_destroy: pulumi.Input[bool] | None = None,
    ) -> None:
        keywords: dict[str, Any] = {
            "phone_number": phone_number,
            "display_name": display_name,
            "sms_configuration": sms_configuration,
            "voice_configuration": voice_configuration,
            "callback_url": callback_url,
            "release_on_destroy": release_on_destroy,
        }
        given = args_or_keywords("ActiveNumber", resource_name, ActiveNumberArgs, args, keywords)
        self._declare(resource_name, given, opts)
