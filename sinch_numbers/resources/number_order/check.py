"""``check``: validate the inputs offline, then against the pair's looked-up requirements, and say
what an ``up`` would buy. Also what create and update check again before they send anything."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from sinch_numbers.api.errors import (
    AuthenticationError,
    ConfigurationError,
    PermissionDeniedError,
    SinchNumbersError,
)
from sinch_numbers.api.models import NumberOrder, NumberRequirements
from sinch_numbers.core.checking import changed
from sinch_numbers.core.log import Log, NumberOrderError
from sinch_numbers.core.requirements import PairNotOfferedError
from sinch_numbers.core.settings import CONFIG_KEYS, Connection, ProviderSettings, connection_for
from sinch_numbers.core.wording import describe_error
from sinch_numbers.kyc import normalise_registration, validate_attachments, validate_registration
from sinch_numbers.resources.number_order.cost import Quote, quote
from sinch_numbers.resources.number_order.inputs import CheckedInputs, OrderInputs, check_inputs
from sinch_numbers.resources.number_order.plan import kyc_changed
from sinch_numbers.resources.number_order.schema import P
from sinch_numbers.resources.number_order.workflow import KycPayload

Failure = tuple[str, str]
"""(property path, the rule broken): never the value."""


def check_order(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    settings: Callable[[], ProviderSettings],
    log: Log,
) -> tuple[dict[str, Any], list[Failure]]:
    """The checked inputs (what the engine stores) and every failure found."""
    checked = check_inputs(news)
    failures = [(f.field, f.rule) for f in checked.failures]
    # checked.inputs, not news: what was stored for olds went through check too (document
    # hashes included), so only the two checked forms compare.
    if failures or checked.parsed is None:
        return checked.inputs, failures
    online = _needs_online_check(olds, checked.inputs)
    anew = _orders_anew(olds, checked.inputs)
    if online or anew:
        current = _resolve(settings)
        # The price search does not depend on the lookup: sent together, a new order's check
        # waits one round trip, not two. Its answer is awaited either way, so a check's calls
        # are over when it returns.
        pricing = _start_pricing(checked.parsed, current) if anew else None
        if online:
            failures += _check_against_requirements(checked.parsed, current, log)
        if pricing is not None:
            wait([pricing])
            if not failures and not isinstance(current, ConfigurationError):
                _say_cost(checked.parsed, pricing, log, current)
    return checked.inputs, failures


def _resolve(
    settings: Callable[[], ProviderSettings],
) -> ProviderSettings | ConfigurationError:
    try:
        return settings()
    except ConfigurationError as error:
        return error


# As many as a plugin serves checks at once: pulumi.dynamic's four workers, and up to the
# package plugin's 64 (pulumi-resource-sinch, where --parallel decides); an executor starts its
# threads only when work arrives, so the dynamic plugin never starts more than four.
_PRICING = ThreadPoolExecutor(64, thread_name_prefix="sinch-numbers-pricing")


def _start_pricing(
    inputs: OrderInputs, current: ProviderSettings | ConfigurationError
) -> Future[Quote] | None:
    """Price what an up would buy, in the background: check is the one hook preview runs for a
    new resource. None when pricing is off or there is nothing to price with."""
    if isinstance(current, ConfigurationError):
        return None
    if not current.show_cost or current.offline_check:
        return None
    connection = connection_for(current)
    # The update pass of a plain `pulumi up` checks again: its preview pass said it already.
    notes = connection.notes
    if notes is not None and notes.said_by_an_earlier_pass(_purchase(inputs)):
        return None
    return _PRICING.submit(quote, connection.client, connection.prices, inputs)


def _say_cost(
    inputs: OrderInputs, pricing: Future[Quote], log: Log, current: ProviderSettings
) -> None:
    try:
        found = pricing.result()
    except SinchNumbersError as error:
        log.warn(f"could not price the order: {describe_error(error)}")
        return
    log.info(found.describe(inputs))
    notes = connection_for(current).notes
    if notes is not None:
        notes.note_said(_purchase(inputs))


def _purchase(inputs: OrderInputs) -> str:
    """What an order with these inputs buys, as one text: what a cost line is said for."""
    return json.dumps(inputs.create_request().to_wire(), sort_keys=True)


def _check_against_requirements(
    inputs: OrderInputs, current: ProviderSettings | ConfigurationError, log: Log
) -> list[Failure]:
    """Validate against the looked-up requirements when credentials are known.

    A green preview must mean "checked": with credentials configured, a lookup that fails
    is a failure naming what to fix, unless the stack opted into offline checking. A
    malformed setting is a failure too: a mistake to fix, not credentials still to come.
    """
    if isinstance(current, ConfigurationError):
        if current.malformed:
            return [("", f"sinch: {current}")]
        log.warn(f"the inputs were checked offline only: {current}")
        return []
    if current.offline_check:
        log.warn(f"{CONFIG_KEYS['offline_check']} is true, so the inputs were checked offline only")
        return []
    try:
        requirements = connection_for(current).requirements_for(
            inputs.region_code, inputs.number_type.value
        )
    except PairNotOfferedError as error:
        return [(P.number_type.name, str(error))]
    except (AuthenticationError, PermissionDeniedError) as error:
        # The client's error names the stack keys to check.
        return [("", lookup_failed(inputs, error))]
    except SinchNumbersError as error:
        return [
            (
                "",
                f"{lookup_failed(inputs, error)}. Preview cannot check the KYC data; set "
                f"{CONFIG_KEYS['offline_check']} to true to accept an offline check only",
            )
        ]
    return kyc_violations(inputs, requirements, log)


def lookup_failed(inputs: OrderInputs, error: SinchNumbersError) -> str:
    return (
        f"could not look up the KYC requirements for {inputs.region_code} "
        f"{inputs.number_type.value}: {describe_error(error)}"
    )


def require_valid(props: Mapping[str, Any]) -> CheckedInputs:
    """The inputs again, in create and update: the engine checked them, but a state edited by
    hand or an older version's state did not go through this check."""
    checked = check_inputs(props)
    if checked.failures:
        listed = "; ".join(map(str, checked.failures))
        raise NumberOrderError(f"invalid inputs: {listed}")
    if checked.parsed is None:
        raise NumberOrderError("inputs are not fully known")
    return checked


def require_valid_kyc(
    connection: Connection, inputs: OrderInputs, log: Log
) -> NumberRequirements | None:
    """The pair's requirements, once the KYC inputs are known to meet them; before anything is
    ordered or sent (a new order, an adopted one, a fix to a blocked one)."""
    try:
        requirements = connection.requirements_for(inputs.region_code, inputs.number_type.value)
    except SinchNumbersError as error:
        raise NumberOrderError(
            f"lookup: {lookup_failed(inputs, error)}. Nothing was ordered or sent"
        ) from None
    violations = kyc_violations(inputs, requirements, log)
    if violations:
        listed = "; ".join(f"{p}: {r}" for p, r in violations)
        raise NumberOrderError(f"invalid KYC data, nothing was ordered or sent: {listed}")
    return requirements


def _orders_anew(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether an up with these inputs creates an order: a new resource, or a replacement,
    which the engine checks once more with no old inputs before creating it. Not an adoption."""
    return not olds and not news.get(P.adopt_order_id.name)


def _needs_online_check(olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether check must consult the requirements: a new order, another pair, new KYC data.

    Unchanged KYC inputs were checked when they were first planned, and nothing is sent again
    for them, so an unchanged preview makes no API call.
    """
    if not olds:
        return True
    pair = (P.region_code.name, P.number_type.name)
    same_pair = not any(changed(olds.get(k), news.get(k)) for k in pair)
    return not same_pair or kyc_changed(olds, news)


def kyc_violations(
    inputs: OrderInputs, requirements: NumberRequirements | None, log: Log
) -> list[Failure]:
    if requirements is None:
        if inputs.attachments:
            return [
                (
                    P.attachments.name,
                    f"{inputs.region_code} {inputs.number_type.value} "
                    "needs no documents; remove the attachments",
                )
            ]
        return []
    found: list[Failure] = []
    if inputs.registration is not None:
        report = validate_registration(
            requirements, inputs.registration, base_path=P.registration.name
        )
        for warning in report.warnings:
            log.warn(warning)
        found += [(v.field, v.rule) for v in report.violations]
    found += [
        (v.field, v.rule)
        for v in validate_attachments(
            requirements, inputs.attachments, base_path=P.attachments.name
        )
    ]
    return found


def kyc_for_existing(
    connection: Connection, inputs: OrderInputs, order: NumberOrder, log: Log
) -> KycPayload:
    """What resuming ``order`` may send: checked against the requirements and in the types they
    declare whenever the order still takes KYC data (adopted, or not yet submitted, or blocked),
    as for a new order; as given otherwise, when nothing of it is sent."""
    if not order.state.accepts_kyc:
        return kyc_payload(inputs, None)
    return kyc_payload(inputs, require_valid_kyc(connection, inputs, log))


def kyc_payload(inputs: OrderInputs, requirements: NumberRequirements | None) -> KycPayload:
    """What the workflow sends: the registration in the types its requirements declare."""
    registration = inputs.registration
    if requirements is not None and registration is not None:
        registration = normalise_registration(requirements, registration)
    return KycPayload(registration=registration, attachments=inputs.attachments)
