"""``read``, ``update`` and ``delete`` of an ActiveNumber.

None acts on a number recorded under another project or URL; ``delete`` calls nothing unless
``release_on_destroy`` is true.
"""

from __future__ import annotations

from typing import Any

from sinch_numbers.core.common_properties import ConfigurationProperties
from sinch_numbers.core.home import SinchHome, unrecorded_and_unreadable
from sinch_numbers.core.log import Log
from sinch_numbers.core.routing import Configuration, voice_removal_refusal
from sinch_numbers.resources.active_number.check import require_valid
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.number import (
    Connect,
    Props,
    client_for,
    failed_provisioning,
    find,
    holding_order,
    left_with,
    patch,
    refuse_missing_capabilities,
    release,
    released_until,
    stored_number,
)
from sinch_numbers.resources.active_number.outputs import INPUTS, project, stored_outputs
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P


def read_number(
    connection: Connect, id_: str, props: Props, log: Log
) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """The number's id, outputs and inputs as Sinch has it; None when it is gone (404)."""
    phone = stored_number(id_, props)
    client = client_for(connection(), phone, props)
    number = find(client, phone, "read")
    if number is None:
        if SinchHome.recorded(props) is None:
            # Written before the project was recorded: the 404 may mean it changed.
            raise ActiveNumberError(
                unrecorded_and_unreadable(f"number {phone}", SinchHome.of(client))
            )
        return None
    if number.is_released:
        log.warn(f"{phone} {released_until(number)}")
    for failed in failed_provisioning(number):
        log.warn(
            f"{phone}: Sinch could not provision its {failed}; the number keeps what "
            "it had, and the next `pulumi up` sends the configuration again"
        )
    carried = Configuration.carried_by(number).to_dict()
    # Inputs the stack sets take what the number carries, so drift shows as a diff; inputs
    # it leaves unset stay unset: the stack does not manage them.
    inputs = {k: props[k] for k in INPUTS if k in props}
    inputs[P.phone_number.name] = phone
    inputs[P.release_on_destroy.name] = props.get(P.release_on_destroy.name) is True
    for key in ConfigurationProperties.names():
        if props.get(key) is not None:
            inputs[key] = carried[key]
    return phone, project(inputs, number, SinchHome.of(client)), inputs


def update_number(
    connection: Connect, id_: str, olds: Props, news: Props, log: Log
) -> dict[str, Any]:
    checked = require_valid(news)
    phone = checked.phone_number
    client = client_for(connection(), stored_number(id_, olds), olds)
    desired, applied = checked.configuration, Configuration.of(olds)
    if desired.routing.removed_voice(applied.routing):
        raise ActiveNumberError(voice_removal_refusal(f"number {phone}"))
    request = applied.patch_to(desired)
    if request is None:
        # Only release_on_destroy changed: it lives in the state, the number is as stored.
        return stored_outputs(olds, checked.echoed)
    # A number's capabilities never change: the stored ones spare a read before the PATCH.
    refuse_missing_capabilities(phone, desired.routing, olds.get(P.capabilities.name))
    number = patch(client, phone, request, log)
    return project(checked.inputs, number, SinchHome.of(client))


def delete_number(connection: Connect, id_: str, props: Props, log: Log) -> None:
    phone = stored_number(id_, props)
    if props.get(P.release_on_destroy.name) is not True:
        holder = holding_order(props)
        if holder is not None:
            # The engine deletes this resource before the order it depends on: whether the
            # number is released is the order's to do and to say, in this run or a later one.
            log.info(f"{phone} {left_with(holder)}")
            return
        log.warn(
            f"{phone} stays active and billed: the stack no longer manages it, and "
            "ActiveNumber releases a number only with release_on_destroy set to true. "
            f"Release it with `sinch-numbers number release {phone} --confirm {phone}`"
        )
        return
    release(client_for(connection(), phone, props), phone, log)
