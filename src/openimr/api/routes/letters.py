"""Letters: issue (staff), list and read. Analysts read the public (redacted) letters only."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import undefer

from openimr.api import services
from openimr.api.auth import STAFF, Principal, forbidden, get_db, require
from openimr.api.deps import MAX_ID, Paging, assigned_case_ids, check_case_access, paging
from openimr.api.problems import ApiProblem
from openimr.api.schemas import LetterAudience, LetterOut, Page
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories.letters import LetterRepository
from openimr.store.repositories.users import Role
from openimr.store.schema import CaseRow, LetterRow

router = APIRouter(tags=["letters"])
ALL_ROLES = (Role.INTAKE, Role.ADMIN, Role.REVIEWER, Role.ANALYST)
MEDIA = {"txt": "text/plain; charset=utf-8", "pdf": "application/pdf", "html": "text/html"}


def _out(row: LetterRow, case_number: str | None) -> LetterOut:
    return LetterOut(
        letter_id=row.id,
        case_id=row.case_id,
        case_number=case_number,
        audience=LetterAudience(row.audience),
        format=row.format,
        sha256=row.sha256,
        size_bytes=row.size_bytes,
        created_at=row.created_at,
    )


@router.post("/cases/{case_id}/letters", response_model=list[LetterOut], status_code=201)
def issue(
    case_id: int = Path(..., ge=1, le=MAX_ID),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> list[LetterOut]:
    """Render the final determination: the parties' letter and the public one, redacted of
    every party name, address and claim number (text and PDF each)."""
    ids = set(services.issue_letters(db, case_id, actor=user.username))
    with db.read() as session:
        number = session.get(CaseRow, case_id)
        rows = [r for r in LetterRepository(session).for_case(case_id) if r.id in ids]
        return [_out(r, number.case_number if number else None) for r in rows]


def _visible(user: Principal, db: Database, audience: LetterAudience | None) -> sa.Select:
    query = sa.select(LetterRow, CaseRow.case_number).join(CaseRow, CaseRow.id == LetterRow.case_id)
    if user.role is Role.ANALYST:
        if audience is LetterAudience.PARTIES:
            raise forbidden("analysts read the public letters only")
        query = query.where(LetterRow.audience == LetterAudience.PUBLIC.value)
    elif user.role is Role.REVIEWER:
        query = query.where(LetterRow.case_id.in_(sorted(assigned_case_ids(db, user)) or [0]))
    if audience is not None:
        query = query.where(LetterRow.audience == audience.value)
    return query


@router.get("/letters", response_model=Page[LetterOut])
def list_letters(
    audience: LetterAudience | None = Query(None),
    case_id: int | None = Query(None, ge=1, le=MAX_ID),
    page: Paging = Depends(paging),
    user: Principal = Depends(require(*ALL_ROLES)),
    db: Database = Depends(get_db),
) -> Page[LetterOut]:
    """Issued letters. Analysts see public letters only; reviewers their cases' letters."""
    query = _visible(user, db, audience)
    if case_id is not None:
        query = query.where(LetterRow.case_id == case_id)
    with db.read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(LetterRow.id).limit(page.limit).offset(page.offset))
        items = [_out(row, number) for row, number in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/letters/{letter_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The letter (text or PDF)",
            "content": {"text/plain": {}, "application/pdf": {}},
        }
    },
)
def read_letter(
    letter_id: int = Path(..., ge=1, le=MAX_ID),
    user: Principal = Depends(require(*ALL_ROLES)),
    db: Database = Depends(get_db),
) -> Response:
    """A letter's content. Analysts: public letters only (403 for the parties' letter)."""
    with db.read() as session:
        row = session.scalars(
            sa.select(LetterRow)
            .where(LetterRow.id == letter_id)
            .options(undefer(LetterRow.content))
        ).one_or_none()
        if row is None:
            raise ApiProblem(404, "not-found", f"letter {letter_id} does not exist")
        audience, fmt, case_id = row.audience, row.format, row.case_id
    if user.role is Role.ANALYST and audience != LetterAudience.PUBLIC.value:
        raise forbidden("analysts read the public letters only")
    if user.role is Role.REVIEWER:
        check_case_access(db, user, case_id)
    with db.transaction() as session:
        content = LetterRepository(session).content(letter_id)
        AuditLog(session).record(
            actor=user.username,
            action="letter.read",
            entity_type="letter",
            entity_id=letter_id,
            case_id=case_id,
            audience=audience,
            format=fmt,
        )
    return Response(content, media_type=MEDIA.get(fmt, "application/octet-stream"))
