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
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from openimr.errors import (
    AlreadyFinalized,
    Conflict,
    ConsolidationError,
    ImmutableRecord,
    InvalidRecord,
    InvalidTransition,
    RecordNotFound,
)
from openimr.model.case import Application, Case, CaseStatus, Deadline
from openimr.model.determination import Decision, Determination
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories.cases import CLOSED_STATUSES, CaseRepository
from openimr.store.repositories.deadlines import DeadlineRepository
from openimr.store.repositories.determinations import DeterminationRepository
from openimr.store.repositories.documents import DocumentInput, DocumentRepository
from openimr.store.repositories.letters import LetterInput, LetterRepository
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.schema import CaseRow, DeterminationVersionRow, LetterRow
from openimr.store.types import utcnow
from openimr.workflow import lifecycle
from openimr.workflow.deadlines import case_deadlines


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


def file_documents(
    session: Session, case_id: int, documents: Sequence[DocumentInput]
) -> tuple[list[int], int]:
    """Store each document once (by content hash) and link it to the case.

    Returns the document ids in input order and how many were new to the store."""
    docs = DocumentRepository(session)
    ids: list[int] = []
    new = 0
    for doc in documents:
        row, inserted = docs.store(doc)
        new += int(inserted)
        docs.link(case_id, row, filename=doc.filename, kind=doc.kind, submitted_by=doc.submitted_by)
        ids.append(row.id)
    return ids, new


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
    ids, new = file_documents(session, case.id, documents)
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


# --------------------------------------------------------------------------- termination


@dataclass(frozen=True)
class TerminationResult:
    """What an authorization did: the items it authorized (indexes into the case's disputed
    items), whether the IMR is now terminated, and the case version it left behind."""

    case_id: int
    status: CaseStatus
    terminated: bool
    authorized_items: tuple[int, ...]
    pending_items: tuple[int, ...]
    case_version: int


def _moment(on: date | datetime | None) -> datetime:
    if on is None:
        return utcnow()
    if isinstance(on, datetime):
        return on
    return datetime.combine(on, time(0, 0), tzinfo=UTC)


def resolve_items(case: Case, items: Sequence[int | str]) -> list[int]:
    """Indexes of the disputed items named by index or by their text as requested (case and
    spacing ignored; a text naming several items names them all). Unknown: InvalidRecord
    naming the position of the bad entry, never its text."""
    texts = [" ".join(i.text_as_requested.casefold().split()) for i in case.disputed_items]
    found: list[int] = []
    for n, item in enumerate(items):
        if isinstance(item, int):
            hits = [item] if 0 <= item < len(texts) else []
        else:
            key = " ".join(item.casefold().split())
            hits = [i for i, text in enumerate(texts) if text == key]
        if not hits:
            raise InvalidRecord(
                f"authorized item #{n + 1} matches no disputed item of the case "
                f"({len(texts)} item(s))"
            )
        found.extend(h for h in hits if h not in found)
    return found


def terminate(
    db: Database,
    case_id: int,
    *,
    actor: str,
    items: Sequence[int | str] | None = None,
    on: date | datetime | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> TerminationResult:
    """The claims administrator authorized the disputed treatment (8 CCR 9792.10.6(a)).

    `items` None: the whole case; else the items authorized (index or text as requested):
    they are marked authorized and the IMR ends once every item is. Refused for a case with
    a final determination (ImmutableRecord) or in a status that cannot be terminated
    (InvalidTransition, from the lifecycle rules).
    """
    with db.transaction() as session:
        return terminate_in(
            session,
            case_id,
            actor=actor,
            items=items,
            on=on,
            note=note,
            expected_version=expected_version,
        )


def terminate_in(
    session: Session,
    case_id: int,
    *,
    actor: str,
    items: Sequence[int | str] | None = None,
    on: date | datetime | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> TerminationResult:
    cases = CaseRepository(session)
    row = cases.get(case_id, for_update=True)
    if DeterminationRepository(session).final(case_id) is not None:
        raise ImmutableRecord(f"case {case_id} has a final determination: it cannot be terminated")
    cases.check_version(row, expected_version)
    before = cases.load(case_id)
    at = _moment(on)
    reason = lifecycle.AUTHORIZED
    if items is None:  # the whole case: every item still pending is authorized
        wanted = [i for i, it in enumerate(before.disputed_items) if it.authorized_on is None]
    elif not items:
        raise InvalidRecord("no authorized item given (omit the list to terminate the case)")
    else:
        wanted = resolve_items(before, items)
    after = lifecycle.authorize_items(before, wanted, at, actor=actor)
    item_rows = cases.item_rows(case_id)
    pairs = zip(before.disputed_items, after.disputed_items, strict=True)
    newly = [
        i
        for i, (old, new) in enumerate(pairs)
        if old.authorized_on is None and new.authorized_on is not None
    ]
    for i in newly:
        cases.set_item_authorized(item_rows[i], at.date())
    terminated = after.status is CaseStatus.TERMINATED
    if terminated:
        text = reason if not note else f"{reason}: {note.strip()}"
        cases.terminate(row, reason=reason, actor=actor, at=at, note=text[:500])
        reviewers = ReviewerRepository(session)
        if reviewers.current_assignment(case_id) is not None:
            reviewers.end_assignment(row, reason="terminated", at=at)
    row.updated_at = utcnow()  # the items changed even when the case goes on
    session.flush()
    pending = tuple(i for i, it in enumerate(after.disputed_items) if it.authorized_on is None)
    AuditLog(session).record(
        actor=actor,
        action="case.terminate" if terminated else "case.authorize_items",
        entity_type="case",
        entity_id=row.id,
        case_id=row.id,
        from_status=before.status.value,
        to_status=after.status.value,
        count=len(newly),
        item_count=len(after.disputed_items),
        result="terminated" if terminated else "partial",
    )
    session.flush()
    return TerminationResult(row.id, after.status, terminated, tuple(newly), pending, row.version)


# --------------------------------------------------------------------------- records complete


@dataclass(frozen=True)
class RecordsCompleteResult:
    """The case after its records were recorded complete, and the deadlines recomputed
    (the determination clock now counts from `records_complete_at`, §6)."""

    case_id: int
    status: CaseStatus
    records_complete_at: date
    deadlines: tuple[Deadline, ...]
    case_version: int


def record_records_complete(
    db: Database,
    case_id: int,
    on: date | datetime | None = None,
    *,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> RecordsCompleteResult:
    """The claims administrator's records are complete (8 CCR 9792.10.5(a)(1)): record the
    date, move an assigned case to review, recompute the stored deadlines, audit it. Refused
    (InvalidTransition, from the lifecycle rules) in any other status or when already set."""
    with db.transaction() as session:
        return record_records_complete_in(
            session, case_id, on, actor=actor, note=note, expected_version=expected_version
        )


def record_records_complete_in(
    session: Session,
    case_id: int,
    on: date | datetime | None = None,
    *,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> RecordsCompleteResult:
    cases = CaseRepository(session)
    row = cases.get(case_id, for_update=True)
    cases.check_version(row, expected_version)
    before = cases.load(case_id)
    at = _moment(on)
    text = note.strip()[:500] if note and note.strip() else None
    after = lifecycle.records_complete(before, at, actor=actor, note=text)
    assert after.records_complete_at is not None  # set by the lifecycle step
    if after.status is not before.status:
        cases.set_status(row, after.status, actor=actor, at=at, note=text or "records complete")
    row.records_complete_at = after.records_complete_at
    row.updated_at = utcnow()
    session.flush()
    computed = case_deadlines(cases.load(case_id), as_of=utcnow().date())
    stored = [d for d in computed if d.application_id is None]
    DeadlineRepository(session).replace(case_id, stored)
    AuditLog(session).record(
        actor=actor,
        action="case.records_complete",
        entity_type="case",
        entity_id=row.id,
        case_id=row.id,
        from_status=before.status.value,
        to_status=after.status.value,
        count=len(stored),
    )
    session.flush()
    return RecordsCompleteResult(
        row.id, after.status, after.records_complete_at, tuple(stored), row.version
    )


# --------------------------------------------------------------------------- consolidation


@dataclass(frozen=True)
class ConsolidationResult:
    lead_id: int
    merged_case_ids: tuple[int, ...]
    application_ids: tuple[str, ...]  # every application now reviewed under the lead
    case_version: int


def consolidate(
    db: Database,
    lead_id: int,
    other_ids: Sequence[int],
    *,
    actor: str,
    on: date | datetime | None = None,
) -> ConsolidationResult:
    """Merge the other cases' applications into the lead case (8 CCR 9792.10.4(a)): the same
    worker, requesting physician and date of injury, every case eligible or assigned. Raises
    ConsolidationError listing every mismatch; nothing is changed then."""
    with db.transaction() as session:
        return consolidate_in(session, lead_id, other_ids, actor=actor, on=on)


def consolidate_in(
    session: Session,
    lead_id: int,
    other_ids: Sequence[int],
    *,
    actor: str,
    on: date | datetime | None = None,
) -> ConsolidationResult:
    if len(set(other_ids)) != len(other_ids):
        raise ConsolidationError("a case is listed twice")
    if lead_id in other_ids:
        raise ConsolidationError("a case cannot be consolidated with itself")
    cases = CaseRepository(session)
    rows = {cid: cases.get(cid, for_update=True) for cid in sorted({lead_id, *other_ids})}
    lead = cases.load(lead_id)
    others = [cases.load(cid) for cid in other_ids]
    at = _moment(on)
    lifecycle.consolidate(lead, others, at, actor=actor)  # validates; raises on mismatch
    lead_row = rows[lead_id]
    into = lead_row.case_number or str(lead_row.id)
    reviewers = ReviewerRepository(session)
    audit = AuditLog(session)
    for cid in other_ids:
        row = rows[cid]
        from_status = row.status
        cases.consolidate(lead_row, row, actor=actor, note=f"into {into}", at=at)
        if reviewers.current_assignment(cid) is not None:
            reviewers.end_assignment(row, reason="consolidated", at=at)
        session.flush()
        audit.record(
            actor=actor,
            action="case.consolidated",
            entity_type="case",
            entity_id=cid,
            case_id=cid,
            from_status=from_status,
            to_status=CaseStatus.CONSOLIDATED.value,
            case_number=lead_row.case_number,
        )
    session.flush()
    merged = cases.load(lead_id)
    audit.record(
        actor=actor,
        action="case.consolidate",
        entity_type="case",
        entity_id=lead_id,
        case_id=lead_id,
        count=len(other_ids),
        to_status=merged.status.value,
    )
    session.flush()
    return ConsolidationResult(
        lead_id,
        tuple(other_ids),
        tuple(a.application_id for a in merged.applications),
        lead_row.version,
    )


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
