"""What an order id may look like: one rule for the provider's ``adopt_order_id`` and the CLI.

Sinch documents no id format (its examples are 26-character lowercase ULIDs), so the rule only
keeps out what cannot be an id and would change the request or the command line: path separators,
query and fragment marks, spaces, quotes, and leading punctuation (``..`` would climb out of the
path segment, ``-x`` reads as an option).
"""

from __future__ import annotations

import re

ORDER_ID_RULE = "1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"

_ORDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def is_order_id(value: object) -> bool:
    return isinstance(value, str) and _ORDER_ID.fullmatch(value) is not None
