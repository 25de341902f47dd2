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


class InvalidRecord(OpenIMRError):
    """A record that cannot be rendered as a letter (no items, an undecided item, ...)."""

    kind = "invalid-record"


class KnowledgeBaseError(OpenIMRError):
    """A guideline data file is invalid (schema, unknown reference, unknown fact field)."""

    kind = "invalid-knowledge-base"


class RuleTableError(OpenIMRError):
    """A workflow rule table (YAML data file) is missing, unreadable or fails its schema."""

    kind = "rule-table-error"


class RosterError(OpenIMRError):
    """A reviewer roster could not be imported; `errors` lists one message per bad row."""

    kind = "roster-error"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} bad roster row(s): " + "; ".join(errors[:5]))
        self.errors = errors


class InvalidTransition(OpenIMRError):
    """A case cannot move from its current status to the requested one."""

    kind = "invalid-transition"


class ConsolidationError(OpenIMRError):
    """Applications that do not share worker, requesting physician and injury date.

    `problems` lists every mismatch (one message each), so callers need not split the text.
    """

    kind = "consolidation-error"

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class StoreError(OpenIMRError):
    """The store cannot do what was asked (the database is unreachable, a record is missing)."""

    kind = "store-error"


class RecordNotFound(StoreError):
    kind = "not-found"


class DuplicateRecord(StoreError):
    """A record with the same identity (application id, username, ...) already exists."""

    kind = "duplicate-record"


class ImmutableRecord(StoreError):
    """An attempt to change a final determination, a letter or an audit entry."""

    kind = "immutable-record"


class Conflict(StoreError):
    """Another user changed the record first: reload and decide again."""

    kind = "conflict"


class ConcurrentUpdate(Conflict):
    """The record's version moved on since it was read (optimistic lock)."""

    kind = "concurrent-update"


class AlreadyFinalized(Conflict):
    """The case's determination is already final; a second finalization is refused."""

    kind = "already-finalized"


class AuditDetailRejected(StoreError):
    """Audit details may only carry whitelisted keys with short, non-clinical values."""

    kind = "audit-detail-rejected"
