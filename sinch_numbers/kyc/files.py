"""Document files: the one reader, detection by content, checks against attachment requirements.

File names and contents are personal data: they appear in no message and no ``repr``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import filetype

from sinch_numbers.api.models import NumberRequirements, RequiredAttachment
from sinch_numbers.errors import SinchNumbersError
from sinch_numbers.kyc.violation import Violation, plural

DEFAULT_MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
"""Sinch publishes no limit (oversize is a 413); 5 MiB is a conservative default for scans."""


def content_sha256(content: bytes) -> str:
    """Hex SHA-256 of a file's content: records what was uploaded without keeping the content."""
    return hashlib.sha256(content).hexdigest()


_MAGIC_WINDOW = 8192
_PDF_HEADER = b"%PDF-"
# Readers accept a PDF header anywhere in the first KiB (some scanners prepend junk).
_PDF_HEADER_WINDOW = 1024
# Detections that say "some bytes" rather than a type.
_UNINFORMATIVE_MIME = frozenset({"application/octet-stream"})


def detect_mime_type(content: bytes) -> str | None:
    """The MIME type of a file judged by its content (magic bytes), or None when unknown."""
    if not content:
        return None
    try:
        # filetype reads no further than this itself; slicing spares copying a large file.
        kind = filetype.guess(bytes(content[:_MAGIC_WINDOW]))
    except Exception:  # third-party matchers run on arbitrary bytes and must not fail a check
        kind = None
    if kind is not None:
        mime = str(kind.mime)
        if mime not in _UNINFORMATIVE_MIME:
            return mime
    if _PDF_HEADER in content[:_PDF_HEADER_WINDOW]:
        return "application/pdf"
    return None


# Names in allowedMimeTypes that mean the same type as what detection reports.
_MIME_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
    "image/tif": "image/tiff",
}
# A detected type that is also a more general one (an animated PNG is a PNG).
_ALSO_SATISFIES = {"image/apng": "image/png"}


def _normalise_mime(mime: str) -> str:
    base = mime.split(";", 1)[0].strip().lower()
    return _MIME_ALIASES.get(base, base)


def _mime_allowed(detected: str, allowed: Sequence[str]) -> bool:
    candidates = {_normalise_mime(detected)}
    if (general := _ALSO_SATISFIES.get(next(iter(candidates)))) is not None:
        candidates.add(general)
    for entry in allowed:
        wanted = _normalise_mime(entry)
        if wanted in candidates or wanted == "*/*":
            return True
        if wanted.endswith("/*") and any(c.startswith(wanted[:-1]) for c in candidates):
            return True
    return False


def _size_text(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return plural(size, "byte")


class DocumentFileError(SinchNumbersError, ValueError):
    """A path that cannot be read as a document; the message is the rule, never the path."""


# Opening only reads: a FIFO must not wait for a writer, a terminal must not become ours.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _not_a_regular_file(mode: int) -> DocumentFileError:
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "a file of another kind"
    return DocumentFileError(f"must be a regular file, not {kind}")


def read_document(
    path: str | os.PathLike[str], max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE
) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes: the one way documents are read.

    Anything else is refused before a byte is read (a FIFO would block, a device never ends) with
    ``DocumentFileError``; a path that cannot be opened raises its ``OSError`` (``ValueError``
    for a NUL byte). The kind is checked on the path and again on the opened descriptor, so a
    path swapped in between is caught too, and the read stops after ``max_size + 1`` bytes
    whatever size the file reported: it may have grown since.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_a_regular_file(mode)
    too_large = DocumentFileError(f"must be at most {_size_text(max_size)}")
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise _not_a_regular_file(opened.st_mode)
        if opened.st_size > max_size:
            raise too_large
        chunks: list[bytes] = []
        received = 0
        while received <= max_size:
            chunk = os.read(descriptor, max_size + 1 - received)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
    finally:
        os.close(descriptor)
    if received > max_size:
        raise too_large
    return b"".join(chunks)


@dataclass(frozen=True, repr=False)
class Document:
    """One document for an attachment requirement: the one value check, KYC validation and the
    upload share, so the bytes validated are the bytes uploaded.

    ``index`` is its position in the resource's ``attachments``. :meth:`read` is how check builds
    one, and the only place its size, emptiness and type are judged; the constructor takes bytes
    as they are. The MIME type is detected from the content once, when first asked for. The path
    and content are personal data: ``repr`` shows the size and a hash prefix instead, and no
    violation names them.
    """

    requirement_id: str
    content: bytes
    path: str
    document_type: str | None = None
    index: int = 0
    base_path: str = field(kw_only=True)
    """The path of its list (the resource's attachments input): its violations start with it."""

    @classmethod
    def read(
        cls,
        requirement_id: str,
        path: str | os.PathLike[str],
        *,
        document_type: str | None = None,
        index: int = 0,
        base_path: str,
        max_size: int = DEFAULT_MAX_ATTACHMENT_SIZE,
    ) -> Document:
        """A regular, non-empty file of at most ``max_size`` bytes whose type its content shows.

        Anything else raises ``DocumentFileError`` whose message is the rule (never the path).
        """
        try:
            content = read_document(path, max_size)
        except FileNotFoundError:
            raise DocumentFileError(
                "file not found (paths are relative to the Pulumi project directory)"
            ) from None
        except OSError:
            raise DocumentFileError("file cannot be read") from None
        except DocumentFileError:
            raise
        except ValueError:
            # os raises ValueError, not OSError, for a path holding a NUL byte.
            raise DocumentFileError("is not a valid file path") from None
        if not content:
            raise DocumentFileError("file is empty")
        document = cls(
            requirement_id, content, os.fspath(path), document_type, index, base_path=base_path
        )
        if document.mime_type is None:
            raise DocumentFileError(
                "file type could not be recognised from its content (use PDF, PNG or JPEG)"
            )
        return document

    def __repr__(self) -> str:
        return (
            f"Document(requirement_id={self.requirement_id!r}, index={self.index}, "
            f"mime_type={self.mime_type!r}, size={self.size}, sha256={self.sha256[:12]}...)"
        )

    @property
    def file_name(self) -> str:
        return os.path.basename(self.path)

    @property
    def size(self) -> int:
        return len(self.content)

    @cached_property
    def sha256(self) -> str:
        return content_sha256(self.content)

    @cached_property
    def mime_type(self) -> str | None:
        """The type judged by the content (magic bytes), or None when it is not recognised."""
        return detect_mime_type(self.content)

    @property
    def content_type(self) -> str:
        """What an upload declares; unrecognised bytes (never those :meth:`read` returned) go as
        the generic type HTTP has for them."""
        return self.mime_type or "application/octet-stream"

    @property
    def fingerprint(self) -> str:
        """What identifies an upload: the content and the document type sent with it."""
        return f"{self.sha256}:{self.document_type or ''}"

    @property
    def property_path(self) -> str:
        return f"{self.base_path}[{self.index}]"


def _check_against(document: Document, requirement: RequiredAttachment) -> list[Violation]:
    found: list[Violation] = []
    allowed_mimes = requirement.allowed_mime_types
    if allowed_mimes:
        allowed_text = ", ".join(allowed_mimes)
        detected = document.mime_type
        if detected is None:
            found.append(
                Violation(
                    f"{document.property_path}.file",
                    f"file type could not be recognised; allowed: {allowed_text}",
                )
            )
        elif not _mime_allowed(detected, allowed_mimes):
            found.append(
                Violation(
                    f"{document.property_path}.file",
                    f"file type {detected} is not allowed; allowed: {allowed_text}",
                )
            )
    allowed_documents = requirement.allowed_document_types
    if allowed_documents:
        document_path = f"{document.property_path}.document_type"
        allowed_text = ", ".join(allowed_documents)
        if not document.document_type:
            found.append(Violation(document_path, f"is required; allowed: {allowed_text}"))
        elif document.document_type not in allowed_documents:
            found.append(
                Violation(document_path, f"must be one of the allowed values: {allowed_text}")
            )
    return found


def _requirement_label(requirement: RequiredAttachment) -> str:
    return (
        f"'{requirement.id}' ({requirement.title})" if requirement.title else f"'{requirement.id}'"
    )


def validate_attachments(
    requirements: NumberRequirements, documents: Sequence[Document], *, base_path: str
) -> list[Violation]:
    """Check documents against the looked-up attachment requirements; ``base_path`` is the path
    of the documents' list (a missing mandatory attachment is reported there).

    Size and emptiness are :meth:`Document.read`'s rules, judged once at check, not again here.
    """
    by_id: dict[str, RequiredAttachment] = {}
    for listed in requirements.attachments:
        by_id.setdefault(listed.id, listed)

    found: list[Violation] = []
    first_use: dict[str, int] = {}
    for position, document in enumerate(documents):
        id_path = f"{document.property_path}.requirement_id"
        requirement = by_id.get(document.requirement_id)
        if requirement is None:
            known = ", ".join(by_id) if by_id else "none"
            found.append(
                Violation(
                    id_path,
                    f"unknown requirement id '{document.requirement_id}'; known: {known}",
                )
            )
            continue
        earlier = first_use.setdefault(document.requirement_id, position)
        if earlier != position:
            found.append(
                Violation(
                    id_path,
                    f"duplicate requirement id '{document.requirement_id}' "
                    f"(also used by {documents[earlier].property_path})",
                )
            )
            continue
        found.extend(_check_against(document, requirement))

    for requirement in by_id.values():
        if requirement.mandatory and requirement.id not in first_use:
            found.append(
                Violation(
                    base_path,
                    f"mandatory attachment {_requirement_label(requirement)} is missing",
                )
            )
    return found
