"""How the CLI words a requirement's rules: once for the ``requirements`` tables and the
``--skeleton`` comments alike, so the two never describe the same rule differently."""

from __future__ import annotations

from sinch_numbers.kyc.grammar import FieldDescriptor, RuleGroup


def length_rule(descriptor: FieldDescriptor) -> str | None:
    """``"1-50 chars"``, ``"exactly 4 chars"``, ``"at least 2 chars"``, ``"up to 9 chars"``."""
    low, high = descriptor.min_length, descriptor.max_length
    if low is not None and high is not None:
        return f"exactly {low} chars" if low == high else f"{low}-{high} chars"
    if low is not None:
        return f"at least {low} chars"
    if high is not None:
        return f"up to {high} chars"
    return None


def group_heading(index: int, group: RuleGroup) -> str:
    """``"data[0] person: Who registers"``: where the group stands and what it is."""
    heading = f"data[{index}] {group.name}"
    return f"{heading}: {group.title}" if group.title else heading


def entries_rule(group: RuleGroup) -> str:
    """How many entries a repeatable group takes: ``"a list of exactly 1 entry"``."""
    low, high = group.min_items, group.max_items
    if high is None:
        count = f"at least {low}"
    elif low == high:
        count = f"exactly {high}"
    else:
        count = f"{low} to {high}"
    noun = "entry" if count.endswith(" 1") else "entries"
    return f"a list of {count} {noun}"
