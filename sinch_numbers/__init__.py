"""sinch-numbers: a Pulumi provider that orders phone numbers with KYC from the Sinch Numbers API.

The Pulumi resource is imported lazily so that the API client, the emulator and the CLI do not pay
for importing the Pulumi SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_RESOURCE_EXPORTS = (
    "AttachmentArgs",
    "NumberOrder",
    "NumberOrderArgs",
    "SmsConfigurationArgs",
    "VoiceConfigurationArgs",
)

__all__ = [
    "AttachmentArgs",
    "NumberOrder",
    "NumberOrderArgs",
    "SmsConfigurationArgs",
    "VoiceConfigurationArgs",
    "__version__",
]

if TYPE_CHECKING:
    from sinch_numbers.resource import (
        AttachmentArgs,
        NumberOrder,
        NumberOrderArgs,
        SmsConfigurationArgs,
        VoiceConfigurationArgs,
    )


def __getattr__(name: str) -> Any:
    if name in _RESOURCE_EXPORTS:
        from sinch_numbers import resource

        return getattr(resource, name)
    raise AttributeError(f"module 'sinch_numbers' has no attribute {name!r}")
