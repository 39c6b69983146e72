"""sinch-numbers: a Pulumi provider that orders phone numbers with KYC from the Sinch Numbers API.

The Pulumi resources and the program-time lookups are imported lazily so that the API client, the
emulator and the CLI do not pay for importing the Pulumi SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sinch_numbers._lazy import lazy_exports

__version__ = "0.1.0"

_LAZY_EXPORTS = {
    "ActiveNumber": "resource",
    "ActiveNumberArgs": "resource",
    "AttachmentArgs": "resource",
    "NumberOrder": "resource",
    "NumberOrderArgs": "resource",
    "NumberOrderCompletion": "resource",
    "NumberOrderCompletionArgs": "resource",
    "SmsConfigurationArgs": "resource",
    "VoiceConfigurationArgs": "resource",
    "AttachmentRequirement": "lookups",
    "OfferedNumber": "lookups",
    "Price": "lookups",
    "Requirements": "lookups",
    "find_available_numbers": "lookups",
    "lookup_requirements": "lookups",
    "SinchNumbersError": "errors",
}

__all__ = [
    "ActiveNumber",
    "ActiveNumberArgs",
    "AttachmentArgs",
    "AttachmentRequirement",
    "NumberOrder",
    "NumberOrderArgs",
    "NumberOrderCompletion",
    "NumberOrderCompletionArgs",
    "OfferedNumber",
    "Price",
    "Requirements",
    "SinchNumbersError",
    "SmsConfigurationArgs",
    "VoiceConfigurationArgs",
    "__version__",
    "find_available_numbers",
    "lookup_requirements",
]

if TYPE_CHECKING:
    from sinch_numbers.errors import SinchNumbersError
    from sinch_numbers.lookups import (
        AttachmentRequirement,
        OfferedNumber,
        Price,
        Requirements,
        find_available_numbers,
        lookup_requirements,
    )
    from sinch_numbers.resource import (
        ActiveNumber,
        ActiveNumberArgs,
        AttachmentArgs,
        NumberOrder,
        NumberOrderArgs,
        NumberOrderCompletion,
        NumberOrderCompletionArgs,
        SmsConfigurationArgs,
        VoiceConfigurationArgs,
    )


__getattr__, __dir__ = lazy_exports(__name__, _LAZY_EXPORTS, __all__)
