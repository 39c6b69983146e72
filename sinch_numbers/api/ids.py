"""What an order id and a region code may look like: one rule each for the provider, the lookups
and the CLI.

Sinch documents no id format (its examples are 26-character lowercase ULIDs), so the rule only
keeps out what cannot be an id and would change the request or the command line: path separators,
query and fragment marks, spaces, quotes, and leading punctuation (``..`` would climb out of the
path segment, ``-x`` reads as an option).
"""

from __future__ import annotations

import re

REGION_CODE_RULE = "must be an ISO 3166-1 alpha-2 code such as AU or DE"

ORDER_ID_RULE = "1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"

_ORDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_REGION_CODE = re.compile(r"[A-Za-z]{2}")


def is_order_id(value: object) -> bool:
    return isinstance(value, str) and _ORDER_ID.fullmatch(value) is not None


def region_code(value: str) -> str | None:
    """``value`` as an upper-case region code, or None when it is not two ASCII letters.

    The value is judged as given and only then upper-cased: Unicode upper-casing turns other
    letters into ASCII ones ("ß" becomes "SS", South Sudan; dotless i becomes "I").
    """
    return value.upper() if _REGION_CODE.fullmatch(value) else None
