"""The Pulumi dynamic provider behind ``ActiveNumber``: a number already active in the project.

``sinch_numbers.active_number.ActiveNumberProvider`` is pickled *by reference* into every user's
state, so this module path and the class name are a stable API: renaming either breaks
``refresh`` and ``destroy`` of every stack that holds an ActiveNumber (keep an alias if they ever
must move). Nothing is pickled with it; settings come from ``configure`` (the ``sinch:*`` stack
config) or the ``SINCH_*`` variables each time the plugin starts, exactly as for NumberOrder.

An ActiveNumber never buys a number. ``create`` adopts one that is already active (bought outside
this tool, or by a completed NumberOrder) and PATCHes the configuration the inputs set; ``delete``
leaves it active unless ``release_on_destroy`` is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import ConfigurationError, NotFoundError, SinchNumbersError
from sinch_numbers.api.models import (
    ActiveNumber,
    Capability,
    UpdateActiveNumberRequest,
    validate_e164,
)
from sinch_numbers.core.checking import (
    Checker,
    changed,
    contains_unknown,
    parse_callback_url,
    parse_sms,
    parse_voice,
)
from sinch_numbers.core.home import HOME_OUTPUTS, SinchHome, elsewhere, unrecorded_and_unreadable
from sinch_numbers.core.routing import ROUTING_INPUTS, Configuration, Routing, voice_removal_refusal
from sinch_numbers.core.settings import CONFIG_KEYS
from sinch_numbers.core.wording import describe_error
from sinch_numbers.kyc.violation import Violation
from sinch_numbers.provider import SinchProvider, report

__all__ = ["COMPUTED_OUTPUTS", "INPUTS", "ActiveNumberError", "ActiveNumberProvider"]

CONFIGURATION_INPUTS = ("display_name", *ROUTING_INPUTS)
"""What create and update PATCH, each only where the inputs set it."""
HOLDING_ORDER = "number_order_id"
"""Set by the program, not by hand: the order_id of the NumberOrder of the same stack whose
outputs give ``phone_number``. That order holds the number: destroying this ActiveNumber leaves
it in the stack, and a destroy of both lets the order release it (or say that it keeps it)."""
INPUTS = ("phone_number", *CONFIGURATION_INPUTS, "release_on_destroy", HOLDING_ORDER)
COMPUTED_OUTPUTS = (
    "region_code",
    "number_type",
    "capabilities",
    "monthly_price",
    "payment_interval_months",
    "next_charge_date",
    "expire_at",
    "configuration",
    "provisioning",
    *HOME_OUTPUTS,
)
"""Outputs that are not inputs; the resource declares each (``None`` until the engine fills it)."""

# The API refuses routing a number cannot carry; saying so first names the input to change.
_CAPABILITY_OF = {"sms_configuration": Capability.SMS, "voice_configuration": Capability.VOICE}


class ActiveNumberError(SinchNumbersError):
    """An ActiveNumber operation that cannot go on; the message says what to do."""


@dataclass(frozen=True)
class CheckedNumberInputs:
    inputs: dict[str, Any]
    failures: list[Violation]

    @property
    def phone_number(self) -> str:
        return str(self.inputs["phone_number"])

    @property
    def configuration(self) -> Configuration:
        return Configuration.of(self.inputs)


def check_number_inputs(news: Mapping[str, Any]) -> CheckedNumberInputs:
    """Validate and normalise the inputs without any network call; failures name the property
    and the rule, never the value."""
    c = Checker(news)
    out: dict[str, Any] = {k: v for k, v in news.items() if k != "__provider"}
    for key in sorted(set(news) - set(INPUTS) - {"__provider"}):
        c.fail(key, "is not an input of ActiveNumber")
    phone = c.string("phone_number", required=True)
    if phone is not None:
        try:
            validate_e164(phone)
        except ValueError as error:
            c.fail("phone_number", str(error))
    c.string("display_name")
    parse_sms(c)
    parse_voice(c)
    parse_callback_url(c)
    c.boolean("release_on_destroy", False)
    out.setdefault("release_on_destroy", False)
    c.string(HOLDING_ORDER)
    return CheckedNumberInputs(out, c.failures)


class ActiveNumberProvider(SinchProvider):
    """Manages a number already active in the Sinch project; never buys one."""

    def _client(self) -> SinchNumbersClient:
        return self._connection().client

    def _client_for(self, phone: str, stored: Mapping[str, Any]) -> SinchNumbersClient:
        """The client, once the number's recorded project and URL are the configured ones."""
        client = self._client()
        _require_home(phone, stored, SinchHome.of(client))
        return client

    # --- check --------------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = check_number_inputs(news)
        return CheckResult(
            checked.inputs, [CheckFailure(f.field, f.rule) for f in checked.failures]
        )

    # --- diff ---------------------------------------------------------------------------------

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """From the stored outputs alone: no plan here orders or pays for anything, and the only
        one that gives a number up (a replace with release_on_destroy) says so, naming it."""
        old_number = str(olds.get("phone_number") or id_)
        try:
            configured = SinchHome.of(self._client())
        except ConfigurationError:
            configured = None  # a preview without settings: nothing is read or changed
        if configured is not None:
            _require_home(old_number, olds, configured)
        releases = olds.get("release_on_destroy") is True
        replaces = ["phone_number"] if changed(old_number, news.get("phone_number")) else []
        # As update compares them: "" and absent are the same, so neither plans an empty PATCH.
        configuration = any(
            contains_unknown(news.get(k)) for k in CONFIGURATION_INPUTS
        ) or Configuration.of(olds) != Configuration.of(news)
        state_only = changed(releases, news.get("release_on_destroy", False)) or changed(
            olds.get(HOLDING_ORDER), news.get(HOLDING_ORDER)
        )
        if replaces:
            _announce_replacement(old_number, news.get("phone_number"), releases, olds)
        elif not contains_unknown(news.get("voice_configuration")) and Routing.of(
            news
        ).removed_voice(Routing.of(olds)):
            raise ActiveNumberError(voice_removal_refusal(f"number {old_number}"))
        elif state_only and news.get("release_on_destroy") is True:
            pulumi.log.warn(
                f"sinch: release_on_destroy is now true: destroying this ActiveNumber, or "
                f"changing its phone_number, RELEASES {old_number}"
            )
        return DiffResult(
            changes=bool(replaces or configuration or state_only),
            replaces=replaces,
            stables=None,
            delete_before_replace=False,
        )

    # --- create -------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        checked = _require_valid(props)
        phone = checked.phone_number
        client = self._client()
        number = _find(client, phone, "adopt")
        if number is None:
            raise ActiveNumberError(
                f"phone_number: {phone} is not an active number of this Sinch project. "
                "ActiveNumber never buys a number: order it with NumberOrder first, or check "
                f"the number and {CONFIG_KEYS['project_id']}"
            )
        if number.is_released:
            pulumi.log.warn(f"sinch: {phone} {_released_until(number)}")
        _refuse_missing_capabilities(checked.inputs, phone, number.capabilities)
        desired = checked.configuration
        request = Configuration.carried_by(number).seen_as(desired).patch_to(desired)
        if request is not None:
            number = _patch(client, phone, request)
        report(f"adopted active number {phone}; nothing was bought")
        return CreateResult(phone, _project(checked.inputs, number, SinchHome.of(client)))

    # --- read ---------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        phone = str(props.get("phone_number") or id_)
        client = self._client_for(phone, props)
        number = _find(client, phone, "read")
        if number is None:
            if SinchHome.recorded(props) is None:
                # Written before the project was recorded: the 404 may mean it changed.
                raise ActiveNumberError(
                    unrecorded_and_unreadable(f"number {phone}", SinchHome.of(client))
                )
            return ReadResult("", {})
        if number.is_released:
            pulumi.log.warn(f"sinch: {phone} {_released_until(number)}")
        for failed in _failed_provisioning(number):
            pulumi.log.warn(
                f"sinch: {phone}: Sinch could not provision its {failed}; the number keeps what "
                "it had, and the next `pulumi up` sends the configuration again"
            )
        carried = Configuration.carried_by(number).to_dict()
        # Inputs the stack sets take what the number carries, so drift shows as a diff; inputs
        # it leaves unset stay unset: the stack does not manage them.
        inputs = {k: props[k] for k in INPUTS if k in props}
        inputs["phone_number"] = phone
        inputs["release_on_destroy"] = props.get("release_on_destroy") is True
        for key in CONFIGURATION_INPUTS:
            if props.get(key) is not None:
                inputs[key] = carried[key]
        return ReadResult(phone, _project(inputs, number, SinchHome.of(client)), inputs)

    # --- update -------------------------------------------------------------------------------

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        checked = _require_valid(news)
        phone = checked.phone_number
        client = self._client_for(str(olds.get("phone_number") or id_), olds)
        desired, applied = checked.configuration, Configuration.of(olds)
        if desired.routing.removed_voice(applied.routing):
            raise ActiveNumberError(voice_removal_refusal(f"number {phone}"))
        request = applied.patch_to(desired)
        if request is None:
            # Only release_on_destroy changed: it lives in the state, the number is as stored.
            outputs = {key: olds.get(key) for key in COMPUTED_OUTPUTS}
            outputs.update({key: checked.inputs.get(key) for key in INPUTS})
            return UpdateResult(outputs)
        # A number's capabilities never change: the stored ones spare a read before the PATCH.
        _refuse_missing_capabilities(checked.inputs, phone, olds.get("capabilities"))
        number = _patch(client, phone, request)
        return UpdateResult(_project(checked.inputs, number, SinchHome.of(client)))

    # --- delete -------------------------------------------------------------------------------

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        phone = str(props.get("phone_number") or id_)
        if props.get("release_on_destroy") is not True:
            holder = _holding_order(props)
            if holder is not None:
                # The engine deletes this resource before the order it depends on: whether the
                # number is released is the order's to do and to say, in this run or a later one.
                report(f"{phone} {_left_with(holder)}")
                return
            pulumi.log.warn(
                f"sinch: {phone} stays active and billed: the stack no longer manages it, and "
                "ActiveNumber releases a number only with release_on_destroy set to true. "
                f"Release it with `sinch-numbers number release {phone} --confirm {phone}`"
            )
            return
        client = self._client_for(phone, props)
        try:
            number = client.release_active_number(phone)
        except NotFoundError:
            report(f"{phone} is no longer an active number; nothing to release")
            return
        except SinchNumbersError as error:
            raise ActiveNumberError(
                f"releasing {phone} failed: {describe_error(error)}. Run destroy again to retry"
            ) from None
        report(f"released {phone} (release_on_destroy is true); {_released_until(number)}")


# --- module helpers ---------------------------------------------------------------------------


def _require_valid(props: Mapping[str, Any]) -> CheckedNumberInputs:
    checked = check_number_inputs(props)
    if checked.failures:
        listed = "; ".join(map(str, checked.failures))
        raise ActiveNumberError(f"invalid inputs: {listed}")
    return checked


def _find(client: SinchNumbersClient, phone: str, doing: str) -> ActiveNumber | None:
    """The number as Sinch has it now; None when Sinch does not know it (404)."""
    try:
        return client.get_active_number(phone)
    except NotFoundError:
        return None
    except SinchNumbersError as error:
        raise ActiveNumberError(
            f"{doing} {phone}: could not read the number: {describe_error(error)}"
        ) from None


def _patch(
    client: SinchNumbersClient, phone: str, request: UpdateActiveNumberRequest
) -> ActiveNumber:
    changing = ", ".join(sorted(request.model_dump(exclude_none=True)))
    report(f"updating active number {phone}: {changing}")
    try:
        return client.update_active_number(phone, request)
    except NotFoundError:
        raise ActiveNumberError(
            f"{phone} is no longer an active number of this Sinch project. Run `pulumi refresh` "
            "to drop it from the stack"
        ) from None
    except SinchNumbersError as error:
        raise ActiveNumberError(
            f"updating {phone} failed: {describe_error(error)}. Nothing else was changed; run "
            "`pulumi up` again to retry"
        ) from None


def _refuse_missing_capabilities(inputs: Mapping[str, Any], phone: str, capabilities: Any) -> None:
    """Routing the number cannot carry, refused before the PATCH; unknown capabilities pass."""
    if not isinstance(capabilities, list):
        return
    missing = [
        f"{key}: the number has no {capability.value} capability"
        for key, capability in _CAPABILITY_OF.items()
        if inputs.get(key) is not None and capability not in capabilities
    ]
    if missing:
        raise ActiveNumberError(f"{phone}: {'; '.join(missing)}")


def _failed_provisioning(number: ActiveNumber) -> list[str]:
    """The routing Sinch reports it failed to apply, as ``"SMS routing (error codes ...)"``."""
    failed = []
    sms = number.sms_configuration
    scheduled = sms.scheduled_provisioning if sms is not None else None
    if scheduled is not None and scheduled.failed:
        codes = ", ".join(scheduled.error_codes) or "none given"
        failed.append(f"SMS routing (error codes: {codes})")
    voice = number.voice_configuration
    scheduled_voice = voice.scheduled_voice_provisioning if voice is not None else None
    if scheduled_voice is not None and scheduled_voice.failed:
        failed.append("voice routing")
    return failed


def _released_until(number: ActiveNumber) -> str:
    until = number.expire_at.isoformat() if number.expire_at else "the next charge date"
    return f"is released: it stays active until {until}, then Sinch may give it to someone else"


def _require_home(phone: str, stored: Mapping[str, Any], configured: SinchHome) -> None:
    """Refuses when the number's recorded project or URL is not the configured one."""
    recorded = SinchHome.recorded(stored)
    if recorded is None:
        return
    refusal = elsewhere(
        f"number {phone}",
        recorded,
        configured,
        move="the next `pulumi up` then adopts the number under the new settings if it is "
        f"there; otherwise it stays active and billed in project {recorded.project_id} until "
        "released there",
    )
    if refusal is not None:
        raise ActiveNumberError(refusal)


def _holding_order(outputs: Mapping[str, Any]) -> str | None:
    holder = outputs.get(HOLDING_ORDER)
    return holder if isinstance(holder, str) and holder else None


def _left_with(order_id: str) -> str:
    return (
        f"stays with NumberOrder {order_id} of this stack, which bought it: this ActiveNumber "
        "does not release it (release_on_destroy is false); the order releases it when it is "
        "destroyed, unless its own release_on_destroy is false"
    )


def _announce_replacement(
    old_number: str, new_number: Any, releases: bool, olds: Mapping[str, Any]
) -> None:
    target = "another number" if contains_unknown(new_number) else str(new_number)
    holder = _holding_order(olds)
    if releases:
        pulumi.log.warn(
            f"sinch: phone_number changes from {old_number} to {target}: release_on_destroy "
            f"is true, so {old_number} is RELEASED once {target} is adopted; Sinch may give a "
            "released number to someone else"
        )
    elif holder is not None:
        report(
            f"phone_number changes from {old_number} to {target}: the stack manages {target} "
            f"instead; {old_number} {_left_with(holder)}"
        )
    else:
        report(
            f"phone_number changes from {old_number} to {target}: the stack manages {target} "
            f"instead; {old_number} stays active and billed, nothing is bought or released"
        )


def _project(inputs: Mapping[str, Any], number: ActiveNumber, home: SinchHome) -> dict[str, Any]:
    """Every output of an ActiveNumber: its inputs, then the number as Sinch answered it, and
    where it answered."""
    outputs: dict[str, Any] = {key: inputs.get(key) for key in INPUTS}
    sms = number.sms_configuration
    voice = number.voice_configuration
    pending = {
        "sms": sms.scheduled_provisioning.status
        if sms is not None and sms.scheduled_provisioning is not None
        else None,
        "voice": voice.scheduled_voice_provisioning.status
        if voice is not None and voice.scheduled_voice_provisioning is not None
        else None,
    }
    outputs.update(
        region_code=number.region_code or None,
        number_type=number.type.value if number.type is not None else None,
        capabilities=[c.value for c in number.capabilities],
        monthly_price=number.money.model_dump() if number.money is not None else None,
        payment_interval_months=number.payment_interval_months,
        next_charge_date=number.next_charge_date.isoformat() if number.next_charge_date else None,
        expire_at=number.expire_at.isoformat() if number.expire_at else None,
        configuration=Configuration.carried_by(number).to_dict(),
        provisioning=pending if any(pending.values()) else None,
        **home.to_outputs(),
    )
    return outputs
