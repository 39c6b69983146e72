"""KYC rules: registration data and attachment files checked against looked-up requirements.

Sinch documents ``NumberRequirements.fields`` only as a "free-form JSON object". This project
assumes the grammar in ``docs/requirements-format.md`` and validates registrations against it. When
the requirements do not fit that grammar *exactly*, the result is **not understood**: nothing is
validated, a warning says so, and Sinch validates the registration itself when it is PUT. The
validator never guesses, because both wrong answers are expensive: a false "invalid" blocks a
legitimate ``pulumi preview`` in CI over a format we merely failed to read, and a false "valid"
lets an order start its 48-hour reservation clock with data that will be rejected. A warning and
Sinch's own 400 (which the workflow fixes and PUTs again, without a new order) cost far less.

Messages name the property and the rule, never the submitted value: registration data and files
are personal data, and violations end up in CI logs. Requirement ids, titles, field names, patterns
and allowed types are configuration (Sinch's or the stack's), not personal data, and may be named.

The package is pure (no HTTP, no Pulumi): ``grammar`` reads the requirements (import its names
from ``sinch_numbers.kyc.grammar``), ``registration``
checks registration data against them, ``files`` reads documents (only in
:func:`~sinch_numbers.kyc.files.read_document`) and checks them against the attachment requirements.
"""

from sinch_numbers.kyc.files import (
    DEFAULT_MAX_ATTACHMENT_SIZE,
    Document,
    DocumentFileError,
    content_sha256,
    detect_mime_type,
    read_document,
    validate_attachments,
)
from sinch_numbers.kyc.registration import (
    NOT_UNDERSTOOD_WARNING,
    RegistrationReport,
    normalise_registration,
    validate_registration,
)
from sinch_numbers.kyc.violation import Violation

__all__ = [
    "DEFAULT_MAX_ATTACHMENT_SIZE",
    "NOT_UNDERSTOOD_WARNING",
    "Document",
    "DocumentFileError",
    "RegistrationReport",
    "Violation",
    "content_sha256",
    "detect_mime_type",
    "normalise_registration",
    "read_document",
    "validate_attachments",
    "validate_registration",
]
