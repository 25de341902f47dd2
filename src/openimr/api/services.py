"""Units of work of the IMR workflow, composed from the store and `openimr.workflow`.

The API and the CLI both call these, so a scripted run and an HTTP request do the same
thing. Each function is one transaction (the case row locked first) and leaves an audit
entry. Nothing here logs or returns clinical text beyond what the caller asked for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from openimr.errors import (
    AlreadyFinalized,
    Conflict,
    DuplicateRecord,
    InvalidRecord,
    InvalidTransition,
    OpenIMRError,
    RecordNotFound,
)
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    Deadline,
    EligibilityResult,
    ReviewerProfile,
)
from openimr.model.determination import Determination
from openimr.store import operations
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository
from openimr.store.repositories.deadlines import DeadlineRepository
from openimr.store.repositories.determinations import DeterminationRepository, to_determination
from openimr.store.repositories.documents import DocumentInput, DocumentRepository
from openimr.store.repositories.letters import LetterInput, LetterRepository
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.repositories.users import Role, UserRepository
from openimr.store.schema import CaseRow
from openimr.workflow.deadlines import Timeliness, case_deadlines, timeliness
from openimr.workflow.eligibility import check_eligibility, is_duplicate
from openimr.workflow.lifecycle import apply_eligibility, find_duplicate, transition
from openimr.workflow.matching import MatchResult, match_reviewers

CHANGE_NOTE_MAX = 500


def case_number_for(case_id: int, received: date) -> str:
    """The IMR case number of a new case: CM + two-digit year + seven-digit sequence."""
    return f"CM{received.year % 100:02d}-{case_id % 10_000_000:07d}"


# --------------------------------------------------------------------------- intake


def document_input(
    filename: str, content: bytes, *, kind: str = "medical_record", submitted_by: str | None = None
) -> DocumentInput:
    """A document to file, its text extracted; NUL characters (which PostgreSQL cannot store
    and no record needs) are dropped from the extracted text, never from the bytes."""
    doc = DocumentInput.from_bytes(filename, content, kind=kind, submitted_by=submitted_by)
    if doc.text and "\x00" in doc.text:
        doc = replace(doc, text=doc.text.replace("\x00", ""))
    return doc


@dataclass(frozen=True)
class Intake:
    case_id: int
    case_number: str
    document_ids: tuple[int, ...]
    documents_new: int


def intake(
    db: Database,
    application: Application,
    documents: Sequence[DocumentInput] = (),
    *,
    actor: str,
) -> Intake:
    """File the application as a new case (with its documents), numbered CMyy-nnnnnnn."""
    with db.transaction() as session:
        if CaseRepository(session).by_application_id(application.application_id) is not None:
            raise DuplicateRecord(f"application {application.application_id} is already filed")
        result = operations.intake_in(session, application, documents, actor=actor)
        row = CaseRepository(session).get(result.case_id)
        row.case_number = case_number_for(row.id, application.received_date)
        session.flush()
        return Intake(result.case_id, row.case_number, result.document_ids, result.documents_new)


def attach_documents(
    db: Database, case_id: int, documents: Sequence[DocumentInput], *, actor: str
) -> list[int]:
    """File more documents in an existing case (all or none); returns document ids."""
    with db.transaction() as session:
        case = CaseRepository(session).get(case_id, for_update=True)
        ids, new = operations.file_documents(session, case.id, documents)
        AuditLog(session).record(
            actor=actor,
            action="case.documents",
            entity_type="case",
            entity_id=case.id,
            case_id=case.id,
            document_count=len(documents),
            documents_new=new,
        )
        return ids


# --------------------------------------------------------------------------- eligibility


def _record_changes(session: Session, row: CaseRow, before: Case, after: Case, actor: str) -> None:
    """Write the status and track changes `after` made to `before` onto the case row."""
    cases = CaseRepository(session)
    for change in after.history[len(before.history) :]:
        cases.set_status(row, change.to_status, actor=actor, note=change.note, at=change.at)
    for conv in after.review_type_changes[len(before.review_type_changes) :]:
        cases.convert_review_type(row, conv.to_type, reason=conv.reason[:200], at=conv.at)
    row.information_requested_at = after.information_requested_at
    row.eligibility_decided_at = after.eligibility_decided_at


def eligibility(db: Database, case_id: int, *, actor: str, as_of: date | None = None) -> Case:
    """Screen the case's application (§11.4 order, every reason) and record the outcome."""
    day = as_of or date.today()
    with db.transaction() as session:
        cases = CaseRepository(session)
        row = cases.get(case_id, for_update=True)
        case = cases.load(case_id)
        app = case.primary
        worker = app.worker
        similar = cases.applications_like(
            date_of_injury=app.date_of_injury,
            claim_number=app.claim_number,
            worker_name=worker.name if worker else None,
        )
        existing = [a for a in similar if a.application_id != app.application_id]
        prior: list[Case] = []
        for other in existing:
            other_row = cases.by_application_id(other.application_id)
            if other_row is not None and other_row.id != case_id:
                prior.append(cases.load(other_row.id))
        result = check_eligibility(app, existing=existing, prior_cases=prior, as_of=day)
        after = apply_eligibility(case, result, day, actor=actor)
        _record_changes(session, row, case, after, actor)
        if after.status is CaseStatus.DUPLICATE:
            row.duplicate_of = find_duplicate(app, prior) or next(
                (a.application_id for a in existing if is_duplicate(app, a)), None
            )
        cases.record_eligibility(row, result)
        session.flush()
        AuditLog(session).record(
            actor=actor,
            action="case.eligibility",
            entity_type="case",
            entity_id=row.id,
            case_id=row.id,
            eligibility=result.outcome.value,
            reason_codes=[r.code.value for r in result.reasons],
            to_status=after.status.value,
        )
        return after


def latest_eligibility(db: Database, case_id: int) -> EligibilityResult | None:
    import sqlalchemy as sa

    from openimr.store.schema import EligibilityCheckRow

    with db.read() as session:
        CaseRepository(session).get(case_id)
        row = session.scalars(
            sa.select(EligibilityCheckRow)
            .where(EligibilityCheckRow.case_id == case_id)
            .order_by(EligibilityCheckRow.id.desc())
            .limit(1)
        ).one_or_none()
        return EligibilityResult.model_validate(row.result) if row is not None else None


# --------------------------------------------------------------------------- termination


def case_id_of(db: Database, ref: int | str) -> int:
    """A case by id (12, "12") or by IMR case number ("CM16-0000012"); RecordNotFound."""
    with db.read() as session:
        repo = CaseRepository(session)
        if isinstance(ref, int) or ref.isdigit():
            if not 0 < int(ref) < 2**31:  # beyond any id (and PostgreSQL's integer)
                raise RecordNotFound(f"case {ref} does not exist")
            return repo.get(int(ref)).id
        return repo.by_case_number(ref).id


def terminate(
    db: Database,
    case_id: int,
    *,
    actor: str,
    items: Sequence[int | str] | None = None,
    on: date | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> operations.TerminationResult:
    """The claims administrator authorized the treatment: all of it (`items` None) or the
    items named; the IMR ends when nothing disputed is left (§3.4)."""
    return operations.terminate(
        db,
        case_id,
        actor=actor,
        items=items,
        on=on or date.today(),
        note=note,
        expected_version=expected_version,
    )


def records_complete(
    db: Database,
    case_id: int,
    *,
    actor: str,
    on: date | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> operations.RecordsCompleteResult:
    """The claims administrator's records are complete (default: today); the determination
    clock restarts from that day and the stored deadlines are recomputed (§3, §6)."""
    return operations.record_records_complete(
        db,
        case_id,
        on or date.today(),
        actor=actor,
        note=note,
        expected_version=expected_version,
    )


def consolidate(
    db: Database,
    lead: int | str,
    others: Sequence[int | str],
    *,
    actor: str,
    as_of: date | None = None,
) -> operations.ConsolidationResult:
    """Merge other cases of the same worker, requesting physician and injury date into the
    lead case (ids or case numbers)."""
    lead_id = case_id_of(db, lead)
    other_ids = [case_id_of(db, ref) for ref in others]
    return operations.consolidate(db, lead_id, other_ids, actor=actor, on=as_of or date.today())


# --------------------------------------------------------------------------- assignment


def _match(session: Session, case: Case) -> MatchResult:
    reviewers = ReviewerRepository(session)
    return match_reviewers(case, reviewers.roster(), workload=reviewers.open_workload())


def match(db: Database, case_id: int) -> MatchResult:
    """Rank the roster for the case, explaining every exclusion (no change made)."""
    with db.read() as session:
        return _match(session, CaseRepository(session).load(case_id))


def assign(
    db: Database,
    case_id: int,
    *,
    actor: str,
    reviewer_id: str | None = None,
    as_of: date | None = None,
) -> tuple[str, MatchResult]:
    """Assign the best candidate (or `reviewer_id`, who must be a candidate)."""
    day = as_of or date.today()
    with db.transaction() as session:
        cases = CaseRepository(session)
        row = cases.get(case_id, for_update=True)
        case = cases.load(case_id)
        after = transition(case, CaseStatus.ASSIGNED, day, actor=actor)
        result = _match(session, case)
        candidates = {c.reviewer_id: c for c in result.candidates}
        if reviewer_id is None:
            if result.best is None:
                raise Conflict(f"case {case_id}: no qualified, conflict-free reviewer")
            chosen = result.best
        elif reviewer_id in candidates:
            chosen = candidates[reviewer_id]
        else:
            raise Conflict(f"case {case_id}: reviewer {reviewer_id} is not a candidate")
        explanation: dict[str, Any] = {
            "rank": chosen.rank,
            "candidates": len(result.candidates),
            "exclusions": [e.model_dump(mode="json") for e in result.exclusions],
        }
        ReviewerRepository(session).assign(
            row, chosen.reviewer_id, actor=actor, explanation=explanation
        )
        _record_changes(session, row, case, after, actor)
        row.date_assigned = day
        session.flush()
        AuditLog(session).record(
            actor=actor,
            action="case.assign",
            entity_type="case",
            entity_id=row.id,
            case_id=row.id,
            reviewer_id=chosen.reviewer_id,
            count=len(result.candidates),
            to_status=CaseStatus.ASSIGNED.value,
        )
        return chosen.reviewer_id, result


# --------------------------------------------------------------------------- determinations


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(sub, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list) and prefix.endswith("items"):
        for n, sub in enumerate(value):
            _flatten(sub, f"{prefix}[{n}]", out)
    else:
        out[prefix] = json.dumps(value, sort_keys=True)


def changed_fields(before: Determination | None, after: Determination) -> list[str]:
    """The field paths that differ between two versions ("items[0].decision", ...)."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    if before is not None:
        _flatten(before.to_json_dict(), "", old)
    _flatten(after.to_json_dict(), "", new)
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def _change_note(fields: list[str], note: str | None) -> str:
    text = ("changed: " + ", ".join(fields)) if fields else "no change"
    if note:
        text = f"{note.strip()} | {text}"
    return text[:CHANGE_NOTE_MAX]


def save_draft(
    db: Database,
    case_id: int,
    determination: Determination,
    *,
    actor: str,
    source: str = "reviewer",
    reviewer_id: str | None = None,
    expected_version: int | None = None,
    note: str | None = None,
) -> tuple[operations.VersionResult, list[str]]:
    """A new draft version, with the fields changed since the previous version recorded."""
    with db.transaction() as session:
        latest = DeterminationRepository(session).latest(case_id)
        fields = changed_fields(to_determination(latest) if latest else None, determination)
        result = operations.save_draft_in(
            session,
            case_id,
            determination,
            author=actor,
            source=source,
            expected_version=expected_version,
            reviewer_id=reviewer_id,
            change_note=_change_note(fields, note),
        )
        return result, fields


def finalize(
    db: Database,
    case_id: int,
    determination: Determination | None = None,
    *,
    actor: str,
    reviewer_id: str | None = None,
    expected_version: int | None = None,
    note: str | None = None,
    as_of: date | None = None,
) -> operations.VersionResult:
    """Make the determination (default: the latest draft) final; one winner per case.

    The case must be assigned or in review; an assigned case passes through in_review.
    """
    with db.transaction() as session:
        cases = CaseRepository(session)
        versions = DeterminationRepository(session)
        row = cases.get(case_id, for_update=True)
        if versions.final(case_id) is not None:
            raise AlreadyFinalized(f"case {case_id} already has a final determination")
        latest = versions.latest(case_id)
        if determination is None:
            if latest is None:
                raise InvalidRecord(f"case {case_id} has no draft to finalize")
            determination = to_determination(latest)
        if row.status not in (CaseStatus.ASSIGNED.value, CaseStatus.IN_REVIEW.value):
            raise InvalidTransition(f"case {case_id} is {row.status}: it cannot be finalized")
        if determination.case_number is None:
            determination = determination.model_copy(update={"case_number": row.case_number})
        cases.check_version(row, expected_version)  # before our own change bumps it
        if row.status == CaseStatus.ASSIGNED.value:
            cases.set_status(row, CaseStatus.IN_REVIEW, actor=actor)
            session.flush()
        fields = changed_fields(to_determination(latest) if latest else None, determination)
        return operations.finalize_in(
            session,
            case_id,
            determination,
            actor=actor,
            reviewer_id=reviewer_id,
            decided_on=as_of,
            change_note=_change_note(fields, note),
        )


# --------------------------------------------------------------------------- letters


@dataclass(frozen=True)
class RenderedLetters:
    letter_ids: list[int]
    public_text: str


def render_public(det: Determination, case: Case) -> tuple[str, bytes]:
    """The public letter (text, PDF) with no party string left; refuses to return one that
    still names a party (checked on the text and on the PDF's extracted text)."""
    from openimr.documents import load_document_bytes
    from openimr.letters import render_pdf, render_text
    from openimr.workflow.redaction import redact_determination, redact_text, surviving

    public = redact_determination(det, case)
    text = redact_text(render_text(public), case).text
    pdf = render_pdf(public)
    pdf_text = load_document_bytes(pdf, name="public.pdf").text
    if surviving(text, case) or surviving(pdf_text, case):
        raise InvalidRecord("the public letter still names a party: not issued")
    return text, pdf


def issue_letters(db: Database, case_id: int, *, actor: str) -> list[int]:
    """Render and store the parties' letter and the public one (text and PDF each)."""
    from openimr.letters import render_pdf, render_text

    with db.read() as session:
        final = DeterminationRepository(session).final(case_id)
        if final is None:
            CaseRepository(session).get(case_id)
            raise InvalidTransition(f"case {case_id} has no final determination to send")
        if LetterRepository(session).for_case(case_id):
            raise DuplicateRecord(f"case {case_id}: letters were already issued")
        case = CaseRepository(session).load(case_id)
        det = to_determination(final)
    public_text, public_pdf = render_public(det, case)
    letters = [
        LetterInput("parties", "txt", render_text(det).encode("utf-8")),
        LetterInput("parties", "pdf", render_pdf(det)),
        LetterInput("public", "txt", public_text.encode("utf-8")),
        LetterInput("public", "pdf", public_pdf),
    ]
    return operations.issue_letters(db, case_id, letters, actor=actor)


# --------------------------------------------------------------------------- deadlines


def deadlines(
    db: Database, case_id: int, *, actor: str, as_of: date | None = None
) -> tuple[list[Deadline], Timeliness]:
    """Compute the case's deadlines as of a day, store them, and DWC's timeliness measures."""
    with db.transaction() as session:
        CaseRepository(session).get(case_id, for_update=True)
        case = CaseRepository(session).load(case_id)
        computed = case_deadlines(case, as_of=as_of or date.today())
        DeadlineRepository(session).replace(
            case_id, [d for d in computed if d.application_id is None]
        )
        AuditLog(session).record(
            actor=actor,
            action="case.deadlines",
            entity_type="case",
            entity_id=case_id,
            case_id=case_id,
            count=len(computed),
        )
        return computed, timeliness(case)


# --------------------------------------------------------------------------- roster, users


def import_roster(
    db: Database, profiles: Sequence[ReviewerProfile], *, actor: str
) -> tuple[int, int]:
    """Insert or update every reviewer (one transaction); returns (created, updated)."""
    with db.transaction() as session:
        repo = ReviewerRepository(session)
        created = sum(int(repo.upsert(profile)[1]) for profile in profiles)
        session.flush()
        AuditLog(session).record(
            actor=actor,
            action="roster.import",
            entity_type="roster",
            entity_id="reviewers",
            count=len(profiles),
        )
        return created, len(profiles) - created


def add_user(
    db: Database,
    username: str,
    role: Role,
    password: str,
    *,
    actor: str,
    reviewer_id: str | None = None,
) -> None:
    """Create an account (argon2-hashed password); a reviewer account names its roster id."""
    with db.transaction() as session:
        reviewer_pk = None
        if reviewer_id is not None:
            reviewer_pk = ReviewerRepository(session).row(reviewer_id).id
        UserRepository(session).create(username, role, password, reviewer_pk=reviewer_pk)
        session.flush()
        AuditLog(session).record(
            actor=actor,
            action="user.create",
            entity_type="user",
            entity_id=username,
            username=username,
            role=role.value,
            reviewer_id=reviewer_id,
        )


# --------------------------------------------------------------------------- engine draft


def engine_available() -> bool:
    try:
        from openimr.review.decide import determine
    except ImportError:
        return False
    return callable(determine)


def engine_draft(db: Database, case_id: int, *, actor: str) -> Determination:
    """The engine's draft for the case: clinical facts from the text of the case's documents
    (each read audited, via the engine), the disputed items as filed, the era of the UR
    decision. Items the engine cannot decide stay without a decision for the reviewer."""
    from openimr.clinical import extract_facts
    from openimr.model.determination import Item, LetterDates, Priority
    from openimr.review.decide import determine

    with db.transaction() as session:
        cases = CaseRepository(session)
        row = cases.get(case_id, for_update=True)
        case = cases.load(case_id)
        docs = DocumentRepository(session)
        texts: list[str] = []
        audit = AuditLog(session)
        for link in docs.for_case(case_id):
            document = docs.get(link.document_id, with_content=True)
            audit.record(
                actor=actor,
                action="document.read",
                entity_type="document",
                entity_id=document.id,
                case_id=case_id,
                via="engine",
            )
            if document.text:
                texts.append(document.text)
        number = row.case_number
    app = case.primary
    on = app.ur_decision.decision_date if app.ur_decision else case.application_received
    facts = extract_facts("\n\n".join(texts))
    if facts.date_of_injury is None:
        facts.date_of_injury = app.date_of_injury
    drafted = determine(facts, [i.text_as_requested for i in case.disputed_items], on)
    items = [
        Item.model_validate(i.model_dump(include=set(Item.model_fields))) for i in drafted.items
    ]
    priority = Priority.EXPEDITED if case.review_type.value == "expedited" else Priority.STANDARD
    return Determination(
        case_number=number,
        priority=priority,
        dates=LetterDates(
            date_of_injury=app.date_of_injury,
            date_assigned=case.date_assigned,
            ur_denial_date=app.ur_decision.decision_date if app.ur_decision else None,
            application_received=case.application_received,
        ),
        patient=drafted.patient,
        items=items,
    )


class EngineUnavailable(OpenIMRError):
    """No determination engine is installed, so no draft can be made."""

    kind = "engine-unavailable"


@dataclass(frozen=True)
class EngineDraft:
    determination: Determination
    saved: operations.VersionResult
    changed_fields: list[str]


def save_engine_draft(
    db: Database,
    case_id: int,
    *,
    actor: str,
    reviewer_id: str | None = None,
    expected_version: int | None = None,
    note: str | None = None,
) -> EngineDraft:
    """Run the engine on the case and save its output as a new draft (source "engine"):
    what `POST /cases/{id}/determination/drafts` does with an empty body."""
    if not engine_available():
        raise EngineUnavailable("cannot decide: missing determination (no engine)")
    determination = engine_draft(db, case_id, actor=actor)
    saved, fields = save_draft(
        db,
        case_id,
        determination,
        actor=actor,
        source="engine",
        reviewer_id=reviewer_id,
        expected_version=expected_version,
        note=note,
    )
    return EngineDraft(determination, saved, fields)
