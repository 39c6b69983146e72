"""The calls to the API an ActiveNumber makes, and what the number's state says to a user.

Each call turns the API's errors into an :class:`ActiveNumberError` that says what to do; none
acts on a number whose recorded project or URL is not the configured one (:func:`client_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sinch_numbers.api.client import SinchNumbersClient
from sinch_numbers.api.errors import NotFoundError, SinchNumbersError
from sinch_numbers.api.models import ActiveNumber, UpdateActiveNumberRequest
from sinch_numbers.core.home import SinchHome, elsewhere
from sinch_numbers.core.log import Log
from sinch_numbers.core.routing import Routing
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P

Connect = Callable[[], Connection]
"""How a hook reaches Sinch: called only once a call is needed (a preview may have no settings)."""
Props = Mapping[str, Any]
"""Inputs or stored outputs, as the engine hands them to a hook."""


def stored_number(id_: str, stored: Mapping[str, Any]) -> str:
    """The number a stored resource manages (its id, for a state without the output)."""
    return str(stored.get(P.phone_number.name) or id_)


def require_home(phone: str, stored: Mapping[str, Any], configured: SinchHome) -> None:
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


def client_for(connection: Connection, phone: str, stored: Mapping[str, Any]) -> SinchNumbersClient:
    """The client, once the number's recorded project and URL are the configured ones."""
    client = connection.client
    require_home(phone, stored, SinchHome.of(client))
    return client


def find(client: SinchNumbersClient, phone: str, doing: str) -> ActiveNumber | None:
    """The number as Sinch has it now; None when Sinch does not know it (404)."""
    try:
        return client.find_active_number(phone)
    except SinchNumbersError as error:
        raise ActiveNumberError(unreadable(doing, phone, error)) from None


def unreadable(doing: str, phone: str, error: SinchNumbersError) -> str:
    return f"{doing} {phone}: could not read the number: {describe_error(error)}"


def patch(
    client: SinchNumbersClient, phone: str, request: UpdateActiveNumberRequest, log: Log
) -> ActiveNumber:
    changing = ", ".join(sorted(request.model_dump(exclude_none=True)))
    log.info(f"updating active number {phone}: {changing}")
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


def release(client: SinchNumbersClient, phone: str, log: Log) -> None:
    try:
        number = client.release_active_number(phone)
    except NotFoundError:
        log.info(f"{phone} is no longer an active number; nothing to release")
        return
    except SinchNumbersError as error:
        raise ActiveNumberError(
            f"releasing {phone} failed: {describe_error(error)}. Run destroy again to retry"
        ) from None
    log.info(f"released {phone} (release_on_destroy is true); {released_until(number)}")


def refuse_missing_capabilities(phone: str, routing: Routing, capabilities: Any) -> None:
    """Routing the number cannot carry, refused before the PATCH; unknown capabilities pass."""
    missing = routing.lacking(capabilities)
    if missing:
        raise ActiveNumberError(f"{phone}: {'; '.join(missing)}")


def failed_provisioning(number: ActiveNumber) -> list[str]:
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


def released_until(number: ActiveNumber) -> str:
    until = number.expire_at.isoformat() if number.expire_at else "the next charge date"
    return f"is released: it stays active until {until}, then Sinch may give it to someone else"


def holding_order(outputs: Mapping[str, Any]) -> str | None:
    """The NumberOrder of the stack that holds the number (``number_order_id``), if any."""
    holder = outputs.get(P.number_order_id.name)
    return holder if isinstance(holder, str) and holder else None


def left_with(order_id: str) -> str:
    return (
        f"stays with NumberOrder {order_id} of this stack, which bought it: this ActiveNumber "
        "does not release it (release_on_destroy is false); the order releases it when it is "
        "destroyed, unless its own release_on_destroy is false"
    )
