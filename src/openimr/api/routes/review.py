"""Assignment (staff), determination drafts, reviewer edits and finalization."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Path

from openimr.api import services
from openimr.api.auth import STAFF, Principal, get_db, require
from openimr.api.deps import MAX_ID, check_case_access
from openimr.api.problems import ApiProblem
from openimr.api.schemas import (
    AssignIn,
    AssignmentOut,
    CurrentAssignment,
    DraftIn,
    FinalizeIn,
    SavedVersion,
    VersionDetail,
    VersionOut,
)
from openimr.model.case import CaseStatus
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository
from openimr.store.repositories.determinations import DeterminationRepository, to_determination
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.repositories.users import Role
from openimr.store.schema import DeterminationVersionRow
from openimr.workflow.matching import MatchResult

router = APIRouter(tags=["review"])
CaseId = Path(..., ge=1, le=MAX_ID, description="Case id")
DECIDERS = (Role.REVIEWER, Role.ADMIN)


@router.get("/cases/{case_id}/matches", response_model=MatchResult)
def matches(
    case_id: int = CaseId,
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> MatchResult:
    """Rank the roster for the case and explain every exclusion (staff only; ids only)."""
    return services.match(db, case_id)


@router.post("/cases/{case_id}/assignment", response_model=AssignmentOut)
def assign(
    case_id: int = CaseId,
    body: AssignIn = Body(default_factory=AssignIn),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> AssignmentOut:
    """Assign the best qualified, conflict-free reviewer (or a chosen candidate)."""
    reviewer_id, result = services.assign(
        db, case_id, actor=user.username, reviewer_id=body.reviewer_id, as_of=body.as_of
    )
    return AssignmentOut(
        case_id=case_id, reviewer_id=reviewer_id, status=CaseStatus.ASSIGNED, match=result
    )


@router.get("/cases/{case_id}/assignment", response_model=CurrentAssignment)
def current_assignment(
    case_id: int = CaseId,
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> CurrentAssignment:
    """Who reviews the case (staff only)."""
    with db.read() as session:
        CaseRepository(session).get(case_id)
        row = ReviewerRepository(session).current_assignment(case_id)
        if row is None:
            raise ApiProblem(404, "not-found", f"case {case_id} has no open assignment")
        return CurrentAssignment(
            case_id=case_id,
            reviewer_id=row.reviewer.reviewer_id,
            assigned_at=row.assigned_at,
            assigned_by=row.assigned_by,
            explanation=row.explanation,
        )


def version_out(row: DeterminationVersionRow) -> VersionOut:
    return VersionOut(
        case_id=row.case_id,
        version_no=row.version_no,
        is_final=row.is_final,
        source=row.source,
        author=row.author,
        change_note=row.change_note,
        content_sha256=row.content_sha256,
        created_at=row.created_at,
        item_count=row.item_count,
        upheld_count=row.upheld_count,
        overturned_count=row.overturned_count,
    )


@router.get("/cases/{case_id}/determination/versions", response_model=list[VersionOut])
def versions(
    case_id: int = CaseId,
    user: Principal = Depends(require(*STAFF, Role.REVIEWER)),
    db: Database = Depends(get_db),
) -> list[VersionOut]:
    """Every saved version (drafts and the final), oldest first, with what changed."""
    check_case_access(db, user, case_id)
    with db.read() as session:
        CaseRepository(session).get(case_id)
        return [version_out(r) for r in DeterminationRepository(session).versions(case_id)]


@router.get("/cases/{case_id}/determination/versions/{version_no}", response_model=VersionDetail)
def version(
    case_id: int = CaseId,
    version_no: int = Path(..., ge=1, le=MAX_ID),
    user: Principal = Depends(require(*STAFF, Role.REVIEWER)),
    db: Database = Depends(get_db),
) -> VersionDetail:
    """One version with its determination."""
    check_case_access(db, user, case_id)
    with db.read() as session:
        CaseRepository(session).get(case_id)
        rows = DeterminationRepository(session).versions(case_id)
    row = next((r for r in rows if r.version_no == version_no), None)
    if row is None:
        raise ApiProblem(404, "not-found", f"case {case_id} has no version {version_no}")
    return VersionDetail(version=version_out(row), determination=to_determination(row))


def _reviewer_scope(db: Database, user: Principal, case_id: int) -> str | None:
    """The reviewer id the store must check the assignment against (None for admins)."""
    check_case_access(db, user, case_id)
    return user.reviewer_id if user.role is Role.REVIEWER else None


@router.post("/cases/{case_id}/determination/drafts", response_model=SavedVersion, status_code=201)
def save_draft(
    body: DraftIn = Body(default_factory=DraftIn),
    case_id: int = CaseId,
    user: Principal = Depends(require(*DECIDERS)),
    db: Database = Depends(get_db),
) -> SavedVersion:
    """Save a draft version: the engine's (body without `determination`) or a reviewer's
    edit. The fields changed since the previous version are recorded with the version."""
    reviewer_id = _reviewer_scope(db, user, case_id)
    determination, source = body.determination, "reviewer"
    if determination is None:
        if not services.engine_available():
            raise ApiProblem(
                422, "engine-unavailable", "cannot decide: missing determination (no engine)"
            )
        determination = services.engine_draft(db, case_id, actor=user.username)
        source = "engine"
    result, fields = services.save_draft(
        db,
        case_id,
        determination,
        actor=user.username,
        source=source,
        reviewer_id=reviewer_id,
        expected_version=body.expected_version,
        note=body.note,
    )
    return SavedVersion(
        case_id=case_id,
        version_no=result.version_no,
        is_final=False,
        case_version=result.case_version,
        changed_fields=fields,
    )


@router.post("/cases/{case_id}/determination/final", response_model=SavedVersion)
def finalize(
    body: FinalizeIn = Body(default_factory=FinalizeIn),
    case_id: int = CaseId,
    user: Principal = Depends(require(*DECIDERS)),
    db: Database = Depends(get_db),
) -> SavedVersion:
    """Make the determination final (immutable). A second finalization is a 409 problem."""
    reviewer_id = _reviewer_scope(db, user, case_id)
    result = services.finalize(
        db,
        case_id,
        body.determination,
        actor=user.username,
        reviewer_id=reviewer_id,
        expected_version=body.expected_version,
        note=body.note,
    )
    with db.read() as session:
        row = DeterminationRepository(session).final(case_id)
        fields = [] if row is None else _fields_of(row)
    return SavedVersion(
        case_id=case_id,
        version_no=result.version_no,
        is_final=True,
        case_version=result.case_version,
        changed_fields=fields,
    )


def _fields_of(row: DeterminationVersionRow) -> list[str]:
    note = row.change_note or ""
    _, _, listed = note.partition("changed: ")
    return [f for f in listed.split(", ") if f]
