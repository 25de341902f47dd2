"""Admin: the audit log and the reviewer roster (staff-only data)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, File, Query, UploadFile

from openimr.api import services
from openimr.api.auth import Principal, get_db, require
from openimr.api.deps import MAX_ID, Paging, paging
from openimr.api.schemas import AuditOut, Page, ReviewerOut, RosterImportOut
from openimr.errors import RosterError
from openimr.store.engine import Database
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.repositories.users import Role
from openimr.store.schema import AuditEntryRow
from openimr.workflow.roster import MAX_BYTES, parse_roster

router = APIRouter(tags=["admin"])


@router.get("/audit", response_model=Page[AuditOut])
def audit_log(
    case_id: int | None = Query(None, ge=1, le=MAX_ID),
    actor: str | None = Query(None, max_length=120),
    action: str | None = Query(None, max_length=64),
    page: Paging = Depends(paging),
    user: Principal = Depends(require(Role.ADMIN)),
    db: Database = Depends(get_db),
) -> Page[AuditOut]:
    """The append-only audit log, oldest first (admin only)."""
    query = sa.select(AuditEntryRow)
    if case_id is not None:
        query = query.where(AuditEntryRow.case_id == case_id)
    if actor is not None:
        query = query.where(AuditEntryRow.actor == actor)
    if action is not None:
        query = query.where(AuditEntryRow.action == action)
    with db.read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(AuditEntryRow.id).limit(page.limit).offset(page.offset)
        )
        items = [
            AuditOut(
                id=r.id,
                occurred_at=r.occurred_at,
                actor=r.actor,
                action=r.action,
                entity_type=r.entity_type,
                entity_id=r.entity_id,
                case_id=r.case_id,
                details=r.details,
            )
            for r in rows
        ]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/reviewers", response_model=Page[ReviewerOut])
def roster(
    page: Paging = Depends(paging),
    user: Principal = Depends(require(Role.ADMIN)),
    db: Database = Depends(get_db),
) -> Page[ReviewerOut]:
    """The active roster with open workloads (admin only: it carries names)."""
    with db.read() as session:
        repo = ReviewerRepository(session)
        profiles = repo.roster()
        load = repo.open_workload()
    chosen = profiles[page.offset : page.offset + page.limit]
    items = [ReviewerOut(profile=p, open_cases=load.get(p.reviewer_id, 0)) for p in chosen]
    return Page(items=items, total=len(profiles), limit=page.limit, offset=page.offset)


@router.post("/reviewers/import", response_model=RosterImportOut)
def import_roster(
    file: UploadFile = File(..., description="Roster CSV"),
    user: Principal = Depends(require(Role.ADMIN)),
    db: Database = Depends(get_db),
) -> RosterImportOut:
    """Insert or update reviewers from a roster CSV (every bad row reported at once)."""
    data = file.file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise RosterError([f"roster larger than {MAX_BYTES} bytes"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(["roster: not UTF-8 text"]) from None
    profiles = parse_roster(text, file.filename or "roster")
    created, updated = services.import_roster(db, profiles, actor=user.username)
    return RosterImportOut(imported=len(profiles), created=created, updated=updated)
