"""``create``: order anew (never twice for one declared order) or adopt an existing order.

Once createNumberOrder has answered, every failure comes back as the order with
``failed_step``/``last_error``: the workflow catches it, and the projection is guarded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sinch_numbers.api.errors import SinchNumbersError
from sinch_numbers.api.models import NumberOrder
from sinch_numbers.order.check import (
    kyc_for_existing,
    kyc_payload,
    require_valid,
    require_valid_kyc,
)
from sinch_numbers.order.find import find_order
from sinch_numbers.order.home import SinchHome
from sinch_numbers.order.inputs import OrderInputs
from sinch_numbers.order.journal import CreateJournal, InterruptedCreate
from sinch_numbers.order.journal import default_directory as journal_directory
from sinch_numbers.order.journal import inputs_key as journal_key
from sinch_numbers.order.log import Log, NumberOrderError
from sinch_numbers.order.outputs import project_guarded
from sinch_numbers.order.plan import REPLACE_ON_CHANGE, attachment_identity
from sinch_numbers.order.routing import Routing
from sinch_numbers.order.settings import Connection
from sinch_numbers.order.wait import WaitPolicy
from sinch_numbers.order.workflow import (
    OrderWorkflow,
    Progress,
    WorkflowError,
    describe_error,
)


def create_order(
    connection: Connection, props: Mapping[str, Any], log: Log
) -> tuple[str, dict[str, Any]]:
    """The new order's id and outputs."""
    checked = require_valid(props)
    inputs = checked.parsed
    assert inputs is not None
    workflow = order_workflow(connection, log)
    wait = wait_policy(inputs)
    desired = Routing.of(checked.inputs)
    journal = _journal(connection)
    if inputs.adopt_order_id:
        order = _adopt(connection, inputs, log)
        kyc = kyc_for_existing(connection, inputs, order, log)
        progress = Progress(routing=Routing.of_order(order))
        result = workflow.resume(order, progress, kyc, wait, routing=desired)
    else:
        key = _journal_key(checked.inputs)
        interrupted = journal.interrupted(key) if journal is not None else None
        if interrupted is not None:
            raise NumberOrderError(_interrupted_message(interrupted))
        requirements = require_valid_kyc(connection, inputs, log)
        kyc = kyc_payload(inputs, requirements)

        def note(order: NumberOrder) -> None:
            if journal is not None:
                journal.note(key, order.id_number_order)

        try:
            result = workflow.create(
                inputs.create_request(), kyc, wait, routing=desired, on_created=note
            )
        except WorkflowError as error:
            raise NumberOrderError(str(error)) from None
    assert result.order is not None
    outputs = project_guarded(
        checked.inputs, result, kyc.redactor(), home=SinchHome.of(connection.client)
    )
    if journal is not None:
        # Handed to the engine now; a journal that cannot be written costs only the note.
        with contextlib.suppress(OSError):
            journal.forget(result.order.id_number_order)
    return result.order.id_number_order, outputs


def order_workflow(connection: Connection, log: Log) -> OrderWorkflow:
    return OrderWorkflow(connection.client, connection.requirements, report=log.info)


def wait_policy(inputs: OrderInputs) -> WaitPolicy:
    return WaitPolicy(timeout=inputs.completion_timeout if inputs.wait_for_completion else 0.0)


def _adopt(connection: Connection, inputs: OrderInputs, log: Log) -> NumberOrder:
    order_id = inputs.adopt_order_id
    assert order_id is not None
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(f"adopt_order_id: {describe_error(error)}") from None
    if order is None:
        raise NumberOrderError(
            f"adopt_order_id: order {order_id} does not exist in this Sinch project"
        )
    mismatches = []
    if order.region_code and order.region_code != inputs.region_code:
        mismatches.append("region_code")
    if order.number_type is not None and order.number_type != inputs.number_type:
        mismatches.append("number_type")
    if inputs.phone_number is not None and inputs.phone_number not in order.phone_numbers:
        mismatches.append("phone_number")
    if inputs.quantity is not None and inputs.quantity != len(order.order_numbers):
        mismatches.append("quantity")
    if mismatches:
        raise NumberOrderError(
            f"adopt_order_id: order {order_id} does not match the inputs "
            f"({', '.join(mismatches)} differ); change the inputs to match the order"
        )
    log.info(f"adopting order {order_id} in state {order.state.value}")
    journal = _journal(connection)
    if journal is not None:
        with contextlib.suppress(OSError):
            journal.forget(order_id)
    return order


def _journal(connection: Connection) -> CreateJournal | None:
    directory = journal_directory()
    if directory is None:
        return None
    return CreateJournal(directory, connection.client.project_id)


def _journal_key(inputs: Mapping[str, Any]) -> str:
    """What makes two creates the same declared order: the pair, what is ordered, the KYC."""
    identity = [inputs.get(k) for k in REPLACE_ON_CHANGE]
    return journal_key(
        identity, inputs.get("registration"), attachment_identity(inputs.get("attachments"))
    )


def _interrupted_message(interrupted: InterruptedCreate) -> str:
    when = datetime.fromtimestamp(interrupted.created_at, UTC).isoformat(timespec="seconds")
    order_id = interrupted.order_id
    return (
        f"an earlier `pulumi up` created order {order_id} for these inputs at {when} and was "
        "interrupted before Pulumi saved it (the engine shows it as interrupted while "
        f'creating). Keep that order: set adopt_order_id="{order_id}" and run `pulumi up` '
        f"again. To order anew instead, delete {interrupted.path}"
    )
