"""``create``: order anew (never twice for one declared order) or adopt an existing order.

Once createNumberOrder has answered, every failure comes back as the order with
``failed_step``/``last_error``: the workflow catches it, and the projection is guarded.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sinch_numbers.api.errors import InvalidArgumentError, SinchNumbersError
from sinch_numbers.api.models import NumberOrder
from sinch_numbers.core.find import find_order
from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.journal import (
    Claim,
    CreateJournal,
    InterruptedCreate,
    JournalRefusal,
)
from sinch_numbers.core.journal import default_directory as journal_directory
from sinch_numbers.core.journal import inputs_key as journal_key
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.routing import Routing
from sinch_numbers.core.settings import Connection
from sinch_numbers.core.wording import describe_error
from sinch_numbers.resources.number_order.check import (
    kyc_for_existing,
    kyc_payload,
    require_valid,
    require_valid_kyc,
)
from sinch_numbers.resources.number_order.inputs import CheckedInputs, OrderInputs
from sinch_numbers.resources.number_order.outputs import project_guarded
from sinch_numbers.resources.number_order.schema import REPLACE_ON_CHANGE, P
from sinch_numbers.resources.number_order.workflow import (
    KycPayload,
    OrderWorkflow,
    Progress,
    Step,
    WorkflowError,
    WorkflowResult,
)


def create_order(
    connection: Connection, props: Mapping[str, Any], log: Log
) -> tuple[str, dict[str, Any]]:
    """The new order's id and outputs: an adopted order, or one ordered anew."""
    checked = require_valid(props)
    inputs = checked.parsed
    assert inputs is not None
    journal = _journal(connection)
    with contextlib.ExitStack() as held:
        if inputs.adopt_order_id:
            result, kyc = _adopt(connection, journal, checked, log)
        else:
            result, kyc = _order_anew(connection, journal, checked, held, log)
        assert result.order is not None
        outputs = project_guarded(
            checked.inputs, result, kyc.redactor(), home=SinchHome.of(connection.client)
        )
        # Handed to the engine now; a record that cannot be written costs only the note
        # (which then names an order the stack holds: the next create of it refuses).
        _forget(journal, result.order.id_number_order)
    return result.order.id_number_order, outputs


def _order_anew(
    connection: Connection,
    journal: CreateJournal | None,
    checked: CheckedInputs,
    held: contextlib.ExitStack,
    log: Log,
) -> tuple[WorkflowResult, KycPayload]:
    """Order under the declaration's claim, once the KYC inputs meet the pair's requirements."""
    inputs = checked.parsed
    assert inputs is not None
    request = inputs.create_request()
    key = declaration_key(checked.inputs)
    # The declaration's lock is held from before ordering until create returns: a second
    # create of it, here or in another process, refuses while this one lives.
    claim = _claim(journal, key, held)
    kyc = kyc_payload(inputs, require_valid_kyc(connection, inputs, log))

    def note(order: NumberOrder) -> None:
        if claim is not None:
            claim.note(order.id_number_order, phone_number=inputs.phone_number)

    workflow = order_workflow(connection, log)
    try:
        result = workflow.create(request, kyc, routing=Routing.of(checked.inputs), on_created=note)
    except WorkflowError as error:
        raise NumberOrderError(_create_failure(error, journal, inputs)) from None
    return result, kyc


def order_workflow(connection: Connection, log: Log) -> OrderWorkflow:
    return OrderWorkflow(connection.client, connection.requirements, report=log.info)


def _adopt(
    connection: Connection, journal: CreateJournal | None, checked: CheckedInputs, log: Log
) -> tuple[WorkflowResult, KycPayload]:
    """Take the order ``adopt_order_id`` names over, once it matches the inputs, and resume it."""
    inputs = checked.parsed
    assert inputs is not None
    order_id = inputs.adopt_order_id
    assert order_id is not None
    order = _adoptable(connection, inputs, order_id)
    log.info(f"adopting order {order_id} in state {order.state.value}")
    # Adopting orders nothing: a record that cannot be written keeps only a stale note.
    _forget(journal, order_id)
    kyc = kyc_for_existing(connection, inputs, order, log)
    result = order_workflow(connection, log).resume(
        order,
        Progress(routing=Routing.of_order(order)),
        kyc,
        routing=Routing.of(checked.inputs),
    )
    return result, kyc


def _adoptable(connection: Connection, inputs: OrderInputs, order_id: str) -> NumberOrder:
    """The order to adopt, as Sinch has it; refuses one that is missing or differs."""
    try:
        order = find_order(connection.client, order_id)
    except SinchNumbersError as error:
        raise NumberOrderError(f"{P.adopt_order_id.name}: {describe_error(error)}") from None
    if order is None:
        raise NumberOrderError(
            f"{P.adopt_order_id.name}: order {order_id} does not exist in this Sinch project"
        )
    differ = {
        P.region_code: bool(order.region_code) and order.region_code != inputs.region_code,
        P.number_type: order.number_type is not None and order.number_type != inputs.number_type,
        P.phone_number: inputs.phone_number is not None
        and inputs.phone_number not in order.phone_numbers,
        P.quantity: inputs.quantity is not None and inputs.quantity != len(order.order_numbers),
    }
    mismatches = [prop.name for prop, differs in differ.items() if differs]
    if mismatches:
        raise NumberOrderError(
            f"{P.adopt_order_id.name}: order {order_id} does not match the inputs "
            f"({', '.join(mismatches)} differ); change the inputs to match the order"
        )
    return order


def _forget(journal: CreateJournal | None, order_id: str) -> None:
    """The order is the stack's now (handed to the engine, or adopted): no note is pending for
    it. A record that cannot be written costs only the note."""
    if journal is not None:
        with contextlib.suppress(JournalRefusal):
            journal.forget(order_id)


def _journal(connection: Connection) -> CreateJournal | None:
    directory = journal_directory()
    if directory is None:
        return None
    return CreateJournal(directory, connection.client.project_id)


def declaration_key(inputs: Mapping[str, Any]) -> str:
    """What names the declared order, never its KYC content: which resource of which stack
    declares it, the pair and what is ordered (the number, or the quantity and its criteria);
    the record's file is per Sinch project. KYC data stays out, so fixing a registration value
    after a killed run still finds the first order."""
    identity = [inputs.get(k) for k in REPLACE_ON_CHANGE]
    return journal_key(inputs.get(P.declaration.name), identity)


def _claim(journal: CreateJournal | None, key: str, held: contextlib.ExitStack) -> Claim | None:
    """Claim the declaration ``key`` names for this create, or refuse: another run is creating
    it, an interrupted run left its order, or the record cannot be read."""
    if journal is None:
        return None
    try:
        claim = held.enter_context(journal.creating(key))
        interrupted = claim.interrupted()
    except JournalRefusal as refused:
        raise NumberOrderError(str(refused)) from None
    if interrupted is not None:
        raise NumberOrderError(_interrupted_message(interrupted))
    return claim


def _create_failure(
    error: WorkflowError, journal: CreateJournal | None, inputs: OrderInputs
) -> str:
    """The failed create, and for a number that is "not available" because an interrupted run
    of ours ordered it, that order and how to keep it."""
    phone = inputs.phone_number
    if journal is None or phone is None or not _refused_the_number(error):
        return str(error)
    try:
        holder = journal.holding_number(phone)
    except JournalRefusal:
        return str(error)
    if holder is None:
        return str(error)
    when = datetime.fromtimestamp(holder.created_at, UTC).isoformat(timespec="seconds")
    return (
        f"{error}. {P.phone_number.name} is not available because order {holder.order_id} "
        f"holds it, which an earlier `pulumi up` created at {when} and was interrupted before "
        f"Pulumi saved it (noted in {holder.path}). If it is this resource's order, keep it: "
        f'set {P.adopt_order_id.name}="{holder.order_id}" and run `pulumi up` again'
    )


def _refused_the_number(error: WorkflowError) -> bool:
    """Create-order refused the request's phone number: a 400 that names the number's field or
    says it is not available. The server's words stay out of the message; they only decide."""
    cause = error.__cause__
    if error.step is not Step.CREATE or not isinstance(cause, InvalidArgumentError):
        return False
    return any("phonenumbers" in v.field.lower() for v in cause.field_violations) or (
        "not available" in str(cause).lower()
    )


def _interrupted_message(interrupted: InterruptedCreate) -> str:
    when = datetime.fromtimestamp(interrupted.created_at, UTC).isoformat(timespec="seconds")
    order_id = interrupted.order_id
    return (
        f"an earlier `pulumi up` created order {order_id} for these inputs at {when} and was "
        "interrupted before Pulumi saved it (the engine shows it as interrupted while "
        f'creating). Keep that order: set {P.adopt_order_id.name}="{order_id}" and run '
        f"`pulumi up` again. To order anew instead, delete {interrupted.path}"
    )
