"""Error types of the OpenIMR core.

The core raises these; the edges (CLI exit codes, HTTP problem+json) translate them.
Messages never contain clinical text: they name the file, the page or the missing part.
"""

from __future__ import annotations


class OpenIMRError(Exception):
    """Base class of every error the core raises on purpose."""

    #: short machine-readable kind, used by the CLI and the API
    kind: str = "openimr-error"


class DocumentError(OpenIMRError):
    """The input document cannot be turned into text."""

    kind = "document-error"


class EmptyDocument(DocumentError):
    kind = "empty-document"


class CorruptPDF(DocumentError):
    kind = "corrupt-pdf"


class TruncatedPDF(CorruptPDF):
    kind = "truncated-pdf"


class PasswordProtectedPDF(DocumentError):
    kind = "password-protected-pdf"


class ScannedPDF(DocumentError):
    """A PDF whose pages carry no extractable text (image-only scan)."""

    kind = "scanned-pdf"


class DocumentTooLarge(DocumentError):
    kind = "document-too-large"


class UnsupportedEncoding(DocumentError):
    kind = "unsupported-encoding"


class LetterFormatError(OpenIMRError):
    """The text is not a determination letter of any known generation, or lacks a part."""

    kind = "unknown-letter-format"


class UnknownTreatment(OpenIMRError):
    kind = "unknown-treatment"


class IneligibleApplication(OpenIMRError):
    kind = "ineligible-application"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
