"""Units of work of the IMR workflow. Each runs in ONE transaction: after a crash the
database holds either the state before it or the state after it, never a part.

Every function has two forms: `intake(db, ...)` opens and commits its own transaction;
`intake_in(session, ...)` works inside the caller's (to combine several steps in one).
Writers lock the case row first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every
write transaction already holds the database lock from its BEGIN IMMEDIATE), so two
reviewers finalizing the same case run one after the other and the second sees the first's
final version: it gets `AlreadyFinalized`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from openimr.errors import (
    AlreadyFinalized,
    Conflict,
    InvalidRecord,
    InvalidTransition,
    RecordNotFound,
)
from openimr.model.case import Application, CaseStatus
from openimr.model.determination import Decision, Determination
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories.cases import CLOSED_STATUSES, CaseRepository
from openimr.store.repositories.determinations import DeterminationRepository
from openimr.store.repositories.documents import DocumentInput, DocumentRepository
from openimr.store.repositories.letters import LetterInput, LetterRepository
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.schema import CaseRow, DeterminationVersionRow, LetterRow
from openimr.store.types import utcnow


@dataclass(frozen=True)
class IntakeResult:
    case_id: int
    case_version: int
    document_ids: tuple[int, ...]
    documents_new: int


@dataclass(frozen=True)
class VersionResult:
    """A saved determination version and the case version it left behind."""

    case_id: int
    version_id: int
    version_no: int
    is_final: bool
    case_version: int


# --------------------------------------------------------------------------- intake


def intake(
    db: Database,
    application: Application,
    documents: Sequence[DocumentInput] = (),
    *,
    actor: str,
    case_number: str | None = None,
) -> IntakeResult:
    """File a new application as a case with its documents (all or nothing)."""
    with db.transaction() as session:
        return intake_in(session, application, documents, actor=actor, case_number=case_number)


def intake_in(
    session: Session,
    application: Application,
    documents: Sequence[DocumentInput] = (),
    *,
    actor: str,
    case_number: str | None = None,
) -> IntakeResult:
    cases = CaseRepository(session)
    case = cases.add_case(application, actor=actor, case_number=case_number)
    docs = DocumentRepository(session)
    ids: list[int] = []
    new = 0
    for doc in documents:
        row, inserted = docs.store(doc)
        new += int(inserted)
        docs.link(case.id, row, filename=doc.filename, kind=doc.kind, submitted_by=doc.submitted_by)
        ids.append(row.id)
    AuditLog(session).record(
        actor=actor,
        action="case.intake",
        entity_type="case",
        entity_id=case.id,
        case_id=case.id,
        document_count=len(documents),
        documents_new=new,
        item_count=len(application.disputed_items),
        party_count=len(application.parties),
        to_status=case.status,
    )
    session.flush()
    return IntakeResult(case.id, case.version, tuple(ids), new)


# --------------------------------------------------------------------------- determinations


def save_draft(
    db: Database,
    case_id: int,
    determination: Determination,
    *,
    author: str,
    source: str = "reviewer",
    expected_version: int | None = None,
    reviewer_id: str | None = None,
    change_note: str | None = None,
) -> VersionResult:
    """Append a draft version (the engine's or a reviewer's edit)."""
    with db.transaction() as session:
        return save_draft_in(
            session,
            case_id,
            determination,
            author=author,
            source=source,
            expected_version=expected_version,
            reviewer_id=reviewer_id,
            change_note=change_note,
        )


def save_draft_in(
    session: Session,
    case_id: int,
    determination: Determination,
    *,
    author: str,
    source: str = "reviewer",
    expected_version: int | None = None,
    reviewer_id: str | None = None,
    change_note: str | None = None,
) -> VersionResult:
    case, reviewer_pk = _lock_for_determination(session, case_id, expected_version, reviewer_id)
    row = DeterminationRepository(session).add_version(
        case,
        determination,
        author=author,
        source=source,
        final=False,
        reviewer_pk=reviewer_pk,
        change_note=change_note,
    )
    case.updated_at = utcnow()  # bumps the case version: its content changed
    session.flush()
    AuditLog(session).record(
        actor=author,
        action="determination.draft",
        entity_type="determination_version",
        entity_id=row.id,
        case_id=case.id,
        version_no=row.version_no,
        item_count=row.item_count,
        source=source,
    )
    session.flush()
    return VersionResult(case.id, row.id, row.version_no, False, case.version)


def finalize(
    db: Database,
    case_id: int,
    determination: Determination,
    *,
    actor: str,
    expected_version: int | None = None,
    reviewer_id: str | None = None,
    decided_on: date | None = None,
    change_note: str | None = None,
) -> VersionResult:
    """Make `determination` the case's final, immutable version and mark the case determined.

    Raises AlreadyFinalized when the case has a final version (whoever wrote it, even a
    transaction that committed while this one waited for the lock), ConcurrentUpdate when
    `expected_version` is stale, InvalidRecord when an item has no decision.
    """
    with db.transaction() as session:
        return finalize_in(
            session,
            case_id,
            determination,
            actor=actor,
            expected_version=expected_version,
            reviewer_id=reviewer_id,
            decided_on=decided_on,
            change_note=change_note,
        )


def finalize_in(
    session: Session,
    case_id: int,
    determination: Determination,
    *,
    actor: str,
    expected_version: int | None = None,
    reviewer_id: str | None = None,
    decided_on: date | None = None,
    change_note: str | None = None,
) -> VersionResult:
    if not determination.items:
        raise InvalidRecord("a final determination needs at least one item")
    undecided = [i for i, item in enumerate(determination.items) if item.decision is None]
    if undecided:
        raise InvalidRecord(f"item(s) {undecided} have no decision")
    case, reviewer_pk = _lock_for_determination(session, case_id, expected_version, reviewer_id)
    row = DeterminationRepository(session).add_version(
        case,
        determination,
        author=actor,
        source="reviewer",
        final=True,
        reviewer_pk=reviewer_pk,
        change_note=change_note,
    )
    case.decision_date = determination.dates.decision_date or decided_on or utcnow().date()
    CaseRepository(session).set_status(case, CaseStatus.DETERMINED, actor=actor)
    session.flush()
    decisions = [item.decision for item in determination.items]
    AuditLog(session).record(
        actor=actor,
        action="determination.finalize",
        entity_type="determination_version",
        entity_id=row.id,
        case_id=case.id,
        version_no=row.version_no,
        item_count=len(decisions),
        outcome=[d.value for d in decisions if isinstance(d, Decision)],
        to_status=CaseStatus.DETERMINED.value,
    )
    session.flush()
    return VersionResult(case.id, row.id, row.version_no, True, case.version)


def _lock_for_determination(
    session: Session, case_id: int, expected_version: int | None, reviewer_id: str | None
) -> tuple[CaseRow, int | None]:
    """Lock the case; refuse a finalized, closed, stale or someone else's case."""
    cases = CaseRepository(session)
    case = cases.get(case_id, for_update=True)
    if DeterminationRepository(session).final(case.id) is not None:
        raise AlreadyFinalized(f"case {case.id} already has a final determination")
    cases.check_version(case, expected_version)
    if case.status in CLOSED_STATUSES:
        raise InvalidTransition(f"case {case.id} is {case.status}: no determination work")
    if reviewer_id is None:
        return case, None
    reviewers = ReviewerRepository(session)
    current = reviewers.current_assignment(case.id)
    if current is None or current.reviewer.reviewer_id != reviewer_id:
        raise Conflict(f"case {case.id} is not assigned to this reviewer")
    return case, current.reviewer_pk


# --------------------------------------------------------------------------- letters


def issue_letters(
    db: Database, case_id: int, letters: Sequence[LetterInput], *, actor: str
) -> list[int]:
    """Store the rendered letters of the case's final determination (all or none)."""
    with db.transaction() as session:
        return [row.id for row in issue_letters_in(session, case_id, letters, actor=actor)]


def issue_letters_in(
    session: Session, case_id: int, letters: Sequence[LetterInput], *, actor: str
) -> list[LetterRow]:
    final = DeterminationRepository(session).final(case_id)
    if final is None:
        raise InvalidTransition(f"case {case_id} has no final determination to send")
    repo = LetterRepository(session)
    rows = [repo.add(final, letter, actor=actor) for letter in letters]
    session.flush()
    audit = AuditLog(session)
    for row in rows:
        audit.record(
            actor=actor,
            action="letter.issue",
            entity_type="letter",
            entity_id=row.id,
            case_id=case_id,
            audience=row.audience,
            format=row.format,
            sha256=row.sha256,
            size_bytes=row.size_bytes,
        )
    session.flush()
    return rows


def final_version(db: Database, case_id: int) -> DeterminationVersionRow | None:
    with db.read() as session:
        return DeterminationRepository(session).final(case_id)


# --------------------------------------------------------------------------- audited reads


@dataclass(frozen=True)
class DocumentContent:
    """A case document as read by a user (the read is in the audit log)."""

    document_id: int
    filename: str
    media_type: str
    page_count: int
    sha256: str
    content: bytes
    text: str | None


def read_document(db: Database, case_id: int, document_id: int, *, actor: str) -> DocumentContent:
    """Return a document filed in the case and record who read it (one transaction: no
    read without its audit entry). A document of another case is RecordNotFound."""
    with db.transaction() as session:
        link = next(
            (
                d
                for d in DocumentRepository(session).for_case(case_id)
                if d.document_id == document_id
            ),
            None,
        )
        if link is None:
            raise RecordNotFound(f"document {document_id} is not filed in case {case_id}")
        row = DocumentRepository(session).get(document_id, with_content=True)
        AuditLog(session).record(
            actor=actor,
            action="document.read",
            entity_type="document",
            entity_id=document_id,
            case_id=case_id,
            sha256=row.sha256,
            size_bytes=row.size_bytes,
        )
        return DocumentContent(
            document_id, link.filename, row.media_type, row.page_count, row.sha256, row.content,
            row.text,
        )  # fmt: skip
