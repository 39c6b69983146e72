"""What the read commands of ``sinch-numbers`` print: rich tables for people, dicts for ``--json``.

Every string that comes from the API is wrapped in ``rich.text.Text`` before it reaches a table,
so a title such as ``"[bold]"`` or ``":warning:"`` is shown as written, not interpreted as markup.
Orders are rendered without their registration data or attachments: those are personal data. The
review log (Sinch's feedback, which may quote them) is counted, and its messages are shown only
when asked for (``--show-review-text``).

JSON keys are snake_case and stable: scripts read them. A key is never dropped when its value is
missing; it is ``null`` or an empty list.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from sinch_numbers.api.models import (
    ActiveNumber,
    AvailableNumber,
    Money,
    NumberOrder,
    NumberOrderState,
    NumberRequirements,
    RegistrationLog,
    RequiredAttachment,
    SmsConfigurationResponse,
    VoiceConfigurationResponse,
)
from sinch_numbers.cli.rules import entries_rule, group_heading, length_rule
from sinch_numbers.core.redaction import review_count_text, review_text_command
from sinch_numbers.kyc.grammar import (
    FieldDescriptor,
    GrammarNotUnderstood,
    RequirementsGrammar,
    RuleGroup,
)
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as _ACTIVE
from sinch_numbers.resources.number_order.schema import NumberOrderProperties as _ORDER
from sinch_numbers.resources.number_order.schema import OrderNumberFields as _NUMBER
from sinch_numbers.resources.number_order.schema import RegistrationLogFields as _LOG

STATE_STYLES: dict[NumberOrderState, str] = {
    NumberOrderState.CREATED: "cyan",
    NumberOrderState.IN_REVIEW: "yellow",
    NumberOrderState.BLOCKED: "bold magenta",
    NumberOrderState.COMPLETED: "bold green",
    NumberOrderState.REJECTED: "bold red",
    NumberOrderState.EXPIRED: "red",
    NumberOrderState.UNSPECIFIED: "dim",
}

STATE_MEANINGS: dict[NumberOrderState, str] = {
    NumberOrderState.CREATED: "numbers reserved; registration not submitted yet",
    NumberOrderState.IN_REVIEW: "submitted; Sinch is reviewing the registration",
    NumberOrderState.BLOCKED: "needs your action: fix the registration or documents and submit",
    NumberOrderState.COMPLETED: "the numbers are active",
    NumberOrderState.REJECTED: "the registration was rejected; a new order is needed",
    NumberOrderState.EXPIRED: "the reservation lapsed before the order was submitted",
    NumberOrderState.UNSPECIFIED: "the API reported a state this tool does not know",
}

LOG_STATES = frozenset({NumberOrderState.BLOCKED, NumberOrderState.REJECTED})


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _text(value: object, style: str = "") -> Text:
    return Text(str(value), style=style)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def duration_text(seconds: float) -> str:
    """``"47h 59m"``, ``"3m 12s"``, ``"8s"``: precise enough to act on, short enough to scan."""
    total = max(0, math.floor(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def seconds_left(order: NumberOrder, now: datetime) -> float | None:
    if order.expire_time is None:
        return None
    return (order.expire_time - now).total_seconds()


def expiry_text(order: NumberOrder, now: datetime) -> str:
    left = seconds_left(order, now)
    if left is None:
        return "no expiry reported"
    if order.state.is_final:
        return f"expire time {_when(order.expire_time)}"
    if left <= 0:
        return f"expiry passed {duration_text(-left)} ago ({_when(order.expire_time)})"
    return f"{duration_text(left)} left (expires {_when(order.expire_time)})"


def sms_text(sms: SmsConfigurationResponse | None) -> str | None:
    if sms is None or not sms.service_plan_id:
        return None
    text = f"service plan {sms.service_plan_id}"
    return f"{text}, campaign {sms.campaign_id}" if sms.campaign_id else text


def voice_text(voice: VoiceConfigurationResponse | None) -> str | None:
    """``"RTC app-1"``; None while no id is set (the API sends a type with empty ids then)."""
    voice_id = voice and (voice.app_id or voice.trunk_id or voice.service_id)
    if voice is None or voice.type is None or not voice_id:
        return None
    return f"{voice.type.value} {voice_id}"


def money_text(money: Money | None) -> str:
    if money is None or not money.amount:
        return "-"
    return f"{money.amount} {money.currency_code}".strip()


def _money_json(money: Money | None) -> dict[str, str] | None:
    if money is None:
        return None
    return {"amount": money.amount, "currency_code": money.currency_code}


# --- requirements ------------------------------------------------------------------------------


def requirements_json(requirements: NumberRequirements) -> dict[str, Any]:
    """The lookup answer as it came (``fields`` untouched), with snake_case keys of our own."""
    return {
        "fields": requirements.fields,
        # What the order's attachments input must provide, under that input's name.
        _ORDER.attachments.name: [attachment_json(a) for a in requirements.attachments],
        "quantity_orders_supported": requirements.quantity_orders_supported,
    }


def attachment_json(attachment: RequiredAttachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "title": attachment.title,
        "description": attachment.description,
        "mandatory": attachment.mandatory,
        "allowed_mime_types": list(attachment.allowed_mime_types),
        "allowed_document_types": list(attachment.allowed_document_types),
        "template": [{"name": t.name, "url": t.url} for t in attachment.template],
    }


def _rules_text(descriptor: FieldDescriptor) -> str:
    length = length_rule(descriptor)
    rules = [length] if length else []
    if descriptor.pattern is not None:
        rules.append(f"pattern {descriptor.pattern}")
    if descriptor.enum is not None:
        rules.append("one of: " + ", ".join(json.dumps(v) for v in descriptor.enum))
    if descriptor.const is not None:
        rules.append("must be " + json.dumps(descriptor.const))
    return "; ".join(rules) or "-"


def _group_table(index: int, group: RuleGroup) -> Table:
    title = group_heading(index, group)
    if group.repeatable:
        title += f"  ({entries_rule(group)})"
    table = Table(
        title=_text(title, "bold"),
        title_justify="left",
        caption=_text(group.description) if group.description else None,
        caption_justify="left",
        expand=False,
    )
    table.add_column("field", no_wrap=True)
    table.add_column("type")
    table.add_column("required")
    table.add_column("rules", overflow="fold")
    table.add_column("about", overflow="fold")
    for descriptor in group.template:
        about = "; ".join(p for p in (descriptor.title, descriptor.description) if p)
        table.add_row(
            _text(descriptor.name, "bold"),
            _text(descriptor.type.value),
            _text("yes" if descriptor.required else "no"),
            _text(_rules_text(descriptor)),
            _text(about or "-"),
        )
    return table


def attachments_table(attachments: Sequence[RequiredAttachment]) -> RenderableType:
    if not attachments:
        return _text("Attachments: none requested.")
    table = Table(title=_text("Attachments", "bold"), title_justify="left")
    table.add_column("requirement id", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("mandatory")
    table.add_column("file types", overflow="fold")
    table.add_column("document types", overflow="fold")
    for attachment in attachments:
        title = attachment.title or "-"
        if attachment.description:
            title += f"\n{attachment.description}"
        table.add_row(
            _text(attachment.id),
            _text(title),
            _text("yes" if attachment.mandatory else "no", "bold" if attachment.mandatory else ""),
            _text(", ".join(attachment.allowed_mime_types) or "any"),
            _text(", ".join(attachment.allowed_document_types) or "-"),
        )
    return table


def requirements_view(
    region_code: str,
    number_type: str,
    requirements: NumberRequirements,
    grammar: RequirementsGrammar | GrammarNotUnderstood,
) -> RenderableType:
    parts: list[RenderableType] = [
        _text(f"KYC requirements for {region_code} {number_type}", "bold underline")
    ]
    if isinstance(grammar, GrammarNotUnderstood):
        parts += [
            _text(
                "The requirement format is not understood "
                f"({grammar.reason}); showing the raw fields. Sinch checks the registration "
                "when it is submitted.",
                "yellow",
            ),
            _text(json.dumps(requirements.fields, indent=2, ensure_ascii=False)),
        ]
    else:
        count = len(grammar.rules)
        parts.append(
            _text(
                f"Registration data (requestDetails.data): a list of {count} "
                f"{'entry' if count == 1 else 'entries'}, one per group below, in this order."
            )
        )
        parts += [_group_table(i, g) for i, g in enumerate(grammar.rules)]
    parts.append(attachments_table(requirements.attachments))
    if requirements.quantity_orders_supported is False:
        parts.append(_text("Quantity orders are not supported: order a specific phone number."))
    return Group(*parts)


# --- available numbers -------------------------------------------------------------------------


def available_number_json(number: AvailableNumber) -> dict[str, Any]:
    return {
        _ACTIVE.phone_number.name: number.phone_number,
        _ACTIVE.region_code.name: number.region_code,
        "type": number.type.value if number.type else None,
        _ACTIVE.capabilities.name: [c.value for c in number.capabilities],
        "setup_price": _money_json(number.setup_price),
        _ACTIVE.monthly_price.name: _money_json(number.monthly_price),
        _ACTIVE.payment_interval_months.name: number.payment_interval_months,
        "supporting_documentation_required": number.supporting_documentation_required,
    }


def available_numbers_view(
    region_code: str, number_type: str, numbers: Sequence[AvailableNumber]
) -> RenderableType:
    if not numbers:
        return _text(f"No available {region_code} {number_type} numbers match.")
    table = Table(
        title=_text(f"Available {region_code} {number_type} numbers ({len(numbers)})", "bold"),
        title_justify="left",
    )
    table.add_column("phone number", no_wrap=True)
    table.add_column(_ACTIVE.capabilities.name)
    table.add_column("setup", justify="right")
    table.add_column("monthly", justify="right")
    table.add_column("billed every")
    table.add_column("documents")
    for number in numbers:
        interval = number.payment_interval_months
        table.add_row(
            _text(number.phone_number, "bold"),
            _text(", ".join(c.value for c in number.capabilities) or "-"),
            _text(money_text(number.setup_price)),
            _text(money_text(number.monthly_price)),
            _text("-" if interval is None else f"{interval} month{'s' if interval != 1 else ''}"),
            _text(_documents_text(number.supporting_documentation_required)),
        )
    return table


def _documents_text(required: bool | None) -> str:
    if required is None:
        return "-"
    return "required" if required else "no"


# --- active numbers ----------------------------------------------------------------------------


def active_number_json(number: ActiveNumber) -> dict[str, Any]:
    return {
        _ACTIVE.phone_number.name: number.phone_number,
        _ACTIVE.region_code.name: number.region_code or None,
        "type": number.type.value if number.type else None,
        _ACTIVE.capabilities.name: [c.value for c in number.capabilities],
        _ACTIVE.display_name.name: number.display_name,
        _ACTIVE.monthly_price.name: _money_json(number.money),
        _ACTIVE.payment_interval_months.name: number.payment_interval_months,
        _ACTIVE.next_charge_date.name: _iso(number.next_charge_date),
        "released": number.is_released,
        _ACTIVE.expire_at.name: _iso(number.expire_at),
        _ACTIVE.sms_configuration.name: (
            number.sms_configuration.model_dump(mode="json") if number.sms_configuration else None
        ),
        _ACTIVE.voice_configuration.name: (
            number.voice_configuration.model_dump(mode="json")
            if number.voice_configuration
            else None
        ),
        _ACTIVE.callback_url.name: number.callback_url,
    }


def _until_text(number: ActiveNumber) -> str:
    return _when(number.expire_at) if number.expire_at else "the next charge date"


def active_numbers_view(numbers: Sequence[ActiveNumber], selection: str) -> RenderableType:
    """``selection`` names the filters, such as ``"AU MOBILE"`` (empty: all numbers)."""
    what = f"active {selection} numbers" if selection else "active numbers"
    if not numbers:
        return _text(f"No {what}.")
    table = Table(
        title=_text(f"{what[0].upper()}{what[1:]} ({len(numbers)})", "bold"), title_justify="left"
    )
    table.add_column("phone number", no_wrap=True)
    table.add_column("region/type", no_wrap=True)
    table.add_column(_ACTIVE.capabilities.name)
    table.add_column("monthly", justify="right")
    table.add_column("next charge", no_wrap=True)
    table.add_column("released")
    table.add_column("sms", overflow="fold")
    table.add_column("voice", overflow="fold")
    for number in numbers:
        pair = " ".join(p for p in (number.region_code, number.type and number.type.value) if p)
        table.add_row(
            _text(number.phone_number, "bold"),
            _text(pair or "-"),
            _text(", ".join(c.value for c in number.capabilities) or "-"),
            _text(money_text(number.money)),
            # A released number is not charged again, whatever nextChargeDate says.
            _text("-" if number.is_released else _when(number.next_charge_date)),
            _text(
                f"active until {_until_text(number)}" if number.is_released else "no",
                "yellow" if number.is_released else "",
            ),
            _text(sms_text(number.sms_configuration) or "-"),
            _text(voice_text(number.voice_configuration) or "-"),
        )
    return table


def release_text(number: ActiveNumber, *, already: bool) -> Text:
    """What releasing meant: Sinch keeps the number until the paid period ends, then drops it."""
    line = Text()
    line.append(number.phone_number, style="bold")
    done = " was already released" if already else " released"
    line.append(
        f"{done}: it stays active until {_until_text(number)} and is not charged again; "
        "nothing already paid is refunded."
    )
    return line


# --- orders ------------------------------------------------------------------------------------


def order_json(
    order: NumberOrder,
    logs: Sequence[RegistrationLog],
    now: datetime,
    *,
    show_review_text: bool = False,
) -> dict[str, Any]:
    """The order as JSON; each review message is null unless ``show_review_text``."""
    left = seconds_left(order, now)
    return {
        _ORDER.order_id.name: order.id_number_order,
        _ORDER.project_id.name: order.project_id,
        _ORDER.region_code.name: order.region_code,
        _ORDER.number_type.name: order.number_type.value if order.number_type else None,
        _ORDER.state.name: order.state.value,
        "final": order.state.is_final,
        "needs_action": order.state is NumberOrderState.BLOCKED,
        _ORDER.create_time.name: _iso(order.create_time),
        _ORDER.update_time.name: _iso(order.update_time),
        _ORDER.expire_time.name: _iso(order.expire_time),
        _ORDER.seconds_until_expiry.name: None if left is None else round(left, 1),
        "numbers": [
            {
                _NUMBER.phone_number.name: n.phone_number,
                _NUMBER.capabilities.name: [c.value for c in n.capabilities],
                _NUMBER.setup_price.name: _money_json(
                    n.number_price.setup_price if n.number_price else None
                ),
                _NUMBER.monthly_price.name: _money_json(
                    n.number_price.monthly_price if n.number_price else None
                ),
                _NUMBER.payment_interval_months.name: (
                    n.number_price.payment_interval_months if n.number_price else None
                ),
            }
            for n in order.order_numbers
        ],
        _ORDER.sms_configuration.name: (
            order.sms_configuration.model_dump(mode="json") if order.sms_configuration else None
        ),
        _ORDER.voice_configuration.name: (
            order.voice_configuration.model_dump(mode="json") if order.voice_configuration else None
        ),
        _ORDER.registration_logs.name: [
            {
                _LOG.message.name: log.message if show_review_text else None,
                _LOG.create_time.name: _iso(log.create_time),
            }
            for log in logs
        ],
        "review_text_hidden": not show_review_text,
    }


def state_text(state: NumberOrderState, meaning: bool = False) -> Text:
    """The state in its colour, optionally followed by what it means (uncoloured)."""
    text = Text()
    text.append(state.value, style=STATE_STYLES.get(state, ""))
    if meaning:
        text.append(f"  {STATE_MEANINGS.get(state, '')}")
    return text


def hidden_logs_view(order_id: str, logs: Sequence[RegistrationLog]) -> RenderableType:
    """The review log by default: how many messages, and the command that shows them."""
    return Group(
        _text(f"Review log: {review_count_text(len(logs))}, hidden (may quote personal data)."),
        _text(f"Show: {review_text_command(order_id)}"),
    )


def logs_view(logs: Sequence[RegistrationLog]) -> RenderableType:
    table = Table(title=_text("Review log", "bold"), title_justify="left")
    table.add_column("time", no_wrap=True)
    table.add_column("message", overflow="fold")
    for log in logs:
        table.add_row(_text(_when(log.create_time)), _text(log.message or "-"))
    return table


def order_view(
    order: NumberOrder,
    logs: Sequence[RegistrationLog] | None,
    now: datetime,
    *,
    show_review_text: bool = False,
) -> RenderableType:
    """``logs`` is None when the state has no review feedback to fetch; their messages are
    shown only with ``show_review_text``."""
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold", no_wrap=True)
    summary.add_column()
    summary.add_row("order", _text(order.id_number_order))
    summary.add_row(_ORDER.state.name, state_text(order.state, meaning=True))
    pair = " ".join(p for p in (order.region_code, order.number_type) if p)
    summary.add_row("region/type", _text(pair or "-"))
    summary.add_row("created", _text(_when(order.create_time)))
    summary.add_row("updated", _text(_when(order.update_time)))
    summary.add_row("expiry", _text(expiry_text(order, now)))
    sms = sms_text(order.sms_configuration)
    if sms:
        summary.add_row("sms", _text(sms))
    voice = voice_text(order.voice_configuration)
    if voice:
        summary.add_row("voice", _text(voice))

    parts: list[RenderableType] = [summary]
    if order.order_numbers:
        numbers = Table(title=_text("Numbers", "bold"), title_justify="left")
        numbers.add_column("phone number", no_wrap=True)
        numbers.add_column(_NUMBER.capabilities.name)
        numbers.add_column("setup", justify="right")
        numbers.add_column("monthly", justify="right")
        for n in order.order_numbers:
            price = n.number_price
            numbers.add_row(
                _text(n.phone_number, "bold"),
                _text(", ".join(c.value for c in n.capabilities) or "-"),
                _text(money_text(price.setup_price if price else None)),
                _text(money_text(price.monthly_price if price else None)),
            )
        parts.append(numbers)
    else:
        parts.append(_text("Numbers: none listed."))
    if logs is not None:
        if not logs:
            parts.append(_text("Review log: no entries."))
        elif show_review_text:
            parts.append(logs_view(logs))
        else:
            parts.append(hidden_logs_view(order.id_number_order, logs))
    return Group(*parts)


def watch_status(order: NumberOrder, now: datetime, elapsed: float, polls: int) -> Text:
    """The live line of ``order watch``: short, so that it stays one line on a terminal."""
    line = Text("order ")
    line.append(order.id_number_order, style="bold")
    line.append(" ")
    line.append_text(state_text(order.state))
    left = seconds_left(order, now)
    if left is not None and not order.state.is_final:
        line.append(f"  {duration_text(left)} left" if left > 0 else "  expiry passed")
    line.append(f"  watching {duration_text(elapsed)}, {polls} poll{'s' if polls != 1 else ''}")
    return line


def console_for(*, stderr: bool = False) -> Console:
    """A console that does not squeeze tables to 80 columns when output is a file or a pipe."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(stderr=stderr, highlight=False, width=160)
    return console
