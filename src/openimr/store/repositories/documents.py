"""Documents: bytes and extracted text stored once per SHA-256, linked to cases."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, undefer

from openimr.errors import RecordNotFound, ScannedPDF, StoreError
from openimr.store.schema import CaseDocumentRow, DocumentRow
from openimr.store.types import utcnow

MEDIA_PDF = "application/pdf"
MEDIA_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class DocumentInput:
    """A document to file: its bytes, what was extracted from them, and how it arrived."""

    filename: str
    content: bytes
    media_type: str
    page_count: int
    text: str | None
    kind: str = "medical_record"  # application | ur_decision | medical_record | other
    submitted_by: str | None = None  # a PartyRole value

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @classmethod
    def from_bytes(
        cls,
        filename: str,
        content: bytes,
        *,
        kind: str = "medical_record",
        submitted_by: str | None = None,
    ) -> DocumentInput:
        """Extract text and page count with `openimr.documents`.

        A scanned PDF (no text layer) is still filed, with `text=None`; every other reading
        error (corrupt, encrypted, empty, too large) propagates as its typed error.
        """
        from openimr.documents import load_document_bytes

        is_pdf = b"%PDF-" in content[:1024]
        media_type = MEDIA_PDF if is_pdf else MEDIA_TEXT
        try:
            loaded = load_document_bytes(content, name=filename)
        except ScannedPDF:
            return cls(
                filename, content, media_type, _pdf_page_count(content), None, kind, submitted_by
            )
        return cls(
            filename, content, media_type, loaded.page_count, loaded.text, kind, submitted_by
        )


def _pdf_page_count(content: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(content)
    try:
        return len(pdf)
    finally:
        pdf.close()


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def store(self, doc: DocumentInput) -> tuple[DocumentRow, bool]:
        """The row holding `doc`'s content, inserting it if new; True when it was inserted.

        Uses INSERT ... ON CONFLICT DO NOTHING, so two transactions filing the same bytes
        at once both end up pointing at one row instead of one of them failing.
        """
        digest = doc.sha256
        values = {
            "sha256": digest,
            "media_type": doc.media_type,
            "size_bytes": len(doc.content),
            "page_count": doc.page_count,
            "content": doc.content,
            "text": doc.text,
            "created_at": utcnow(),
        }
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(DocumentRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["sha256"])
            .returning(DocumentRow.id)
        )
        inserted_id = self.session.execute(statement).scalar_one_or_none()
        row = self.session.scalars(sa.select(DocumentRow).where(DocumentRow.sha256 == digest)).one()
        if row.size_bytes != len(doc.content):
            raise StoreError(f"{doc.filename}: stored document with the same hash differs in size")
        return row, inserted_id is not None

    def link(
        self,
        case_id: int,
        document: DocumentRow,
        *,
        filename: str,
        kind: str,
        submitted_by: str | None = None,
        received_at: datetime | None = None,
    ) -> CaseDocumentRow:
        """File `document` in the case (once: a second link of the same bytes is a no-op)."""
        existing = self.session.scalars(
            sa.select(CaseDocumentRow).where(
                CaseDocumentRow.case_id == case_id, CaseDocumentRow.document_id == document.id
            )
        ).one_or_none()
        if existing is not None:
            return existing
        link = CaseDocumentRow(
            case_id=case_id,
            document_id=document.id,
            filename=filename[:255],
            kind=kind,
            submitted_by=submitted_by,
            received_at=received_at or utcnow(),
        )
        self.session.add(link)
        return link

    def for_case(self, case_id: int) -> list[CaseDocumentRow]:
        """The documents filed in a case, in filing order (without their bytes)."""
        query = (
            sa.select(CaseDocumentRow)
            .where(CaseDocumentRow.case_id == case_id)
            .order_by(CaseDocumentRow.id)
        )
        return list(self.session.scalars(query))

    def get(self, document_id: int, *, with_content: bool = False) -> DocumentRow:
        query = sa.select(DocumentRow).where(DocumentRow.id == document_id)
        if with_content:
            query = query.options(undefer(DocumentRow.content), undefer(DocumentRow.text))
        row = self.session.scalars(query).one_or_none()
        if row is None:
            raise RecordNotFound(f"document {document_id} does not exist")
        return row

    def by_hash(self, sha256: str) -> DocumentRow | None:
        return self.session.scalars(
            sa.select(DocumentRow).where(DocumentRow.sha256 == sha256)
        ).one_or_none()

    def verify(self, document_id: int) -> bool:
        """True when the stored bytes still hash to the stored SHA-256."""
        row = self.get(document_id, with_content=True)
        return hashlib.sha256(row.content).hexdigest() == row.sha256
