"""``diff``: the plan from the stored outputs alone.

No plan here orders or pays for anything, and the only one that gives a number up (a replace with
``release_on_destroy``) says so, naming it. Nothing is read: the settings, when there are any,
serve only to refuse a number recorded under another project or URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sinch_numbers.api.errors import ConfigurationError
from sinch_numbers.core.checking import changed, contains_unknown
from sinch_numbers.core.common_properties import ConfigurationProperties
from sinch_numbers.core.home import SinchHome
from sinch_numbers.core.log import Log
from sinch_numbers.core.routing import Configuration, Routing, voice_removal_refusal
from sinch_numbers.resources.active_number.errors import ActiveNumberError
from sinch_numbers.resources.active_number.number import (
    Connect,
    Props,
    holding_order,
    left_with,
    require_home,
    stored_number,
)
from sinch_numbers.resources.active_number.schema import ActiveNumberProperties as P


@dataclass(frozen=True)
class NumberDiff:
    changes: bool
    replaces: tuple[str, ...] = ()


def diff_number(connection: Connect, id_: str, olds: Props, news: Props, log: Log) -> NumberDiff:
    old_number = stored_number(id_, olds)
    try:
        configured = SinchHome.of(connection().client)
    except ConfigurationError:
        configured = None  # a preview without settings: nothing is read or changed
    if configured is not None:
        require_home(old_number, olds, configured)
    releases = olds.get(P.release_on_destroy.name) is True
    new_number = news.get(P.phone_number.name)
    replaces = (P.phone_number.name,) if changed(old_number, new_number) else ()
    # As update compares them: "" and absent are the same, so neither plans an empty PATCH.
    configuration = any(
        contains_unknown(news.get(k)) for k in ConfigurationProperties.names()
    ) or Configuration.of(olds) != Configuration.of(news)
    release, holder = P.release_on_destroy, P.number_order_id.name
    state_only = changed(releases, news.get(release.name, release.default)) or changed(
        olds.get(holder), news.get(holder)
    )
    if replaces:
        _announce_replacement(old_number, new_number, releases, olds, log)
    elif not contains_unknown(news.get(P.voice_configuration.name)) and Routing.of(
        news
    ).removed_voice(Routing.of(olds)):
        raise ActiveNumberError(voice_removal_refusal(f"number {old_number}"))
    elif state_only and news.get(P.release_on_destroy.name) is True:
        log.warn(
            f"release_on_destroy is now true: destroying this ActiveNumber, or "
            f"changing its phone_number, RELEASES {old_number}"
        )
    return NumberDiff(bool(replaces or configuration or state_only), replaces)


def _announce_replacement(
    old_number: str, new_number: Any, releases: bool, olds: Props, log: Log
) -> None:
    target = "another number" if contains_unknown(new_number) else str(new_number)
    holder = holding_order(olds)
    if releases:
        log.warn(
            f"phone_number changes from {old_number} to {target}: release_on_destroy "
            f"is true, so {old_number} is RELEASED once {target} is adopted; Sinch may give a "
            "released number to someone else"
        )
    elif holder is not None:
        log.info(
            f"phone_number changes from {old_number} to {target}: the stack manages {target} "
            f"instead; {old_number} {left_with(holder)}"
        )
    else:
        log.info(
            f"phone_number changes from {old_number} to {target}: the stack manages {target} "
            f"instead; {old_number} stays active and billed, nothing is bought or released"
        )
