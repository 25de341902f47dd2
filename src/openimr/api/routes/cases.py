"""Intake, documents, case list and detail, eligibility and deadlines."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from fastapi import APIRouter, Depends, File, Form, Path, Query, Response, UploadFile

from openimr.api import services
from openimr.api.auth import STAFF, Principal, get_db, require
from openimr.api.deps import MAX_ID, Paging, assigned_case_ids, check_case_access, paging
from openimr.api.problems import ApiProblem
from openimr.api.schemas import (
    CaseDetail,
    CaseSummary,
    DeadlinesOut,
    DocumentKind,
    DocumentOut,
    EligibilityOut,
    IntakeOut,
    Page,
)
from openimr.documents.loader import MAX_DOCUMENT_BYTES
from openimr.model.case import Application, CaseStatus, PartyRole
from openimr.store import operations
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository
from openimr.store.repositories.documents import DocumentRepository
from openimr.store.repositories.users import Role
from openimr.store.schema import CaseRow
from openimr.workflow.deadlines import late_deadlines

router = APIRouter(tags=["cases"])
CaseId = Path(..., ge=1, le=MAX_ID, description="Case id")
READERS = (*STAFF, Role.REVIEWER)


def summary_of(row: CaseRow) -> CaseSummary:
    return CaseSummary(
        case_id=row.id,
        case_number=row.case_number,
        status=CaseStatus(row.status),
        review_type=row.review_type,
        priority=row.priority,
        application_received=row.application_received,
        date_assigned=row.date_assigned,
        decision_date=row.decision_date,
        version=row.version,
    )


@router.post("/cases", response_model=IntakeOut, status_code=201)
def intake(
    application: Application,
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> IntakeOut:
    """File an application (the DWC Form IMR fields) as a new case."""
    result = services.intake(db, application, actor=user.username)
    return IntakeOut(
        case_id=result.case_id,
        case_number=result.case_number,
        document_ids=list(result.document_ids),
        documents_new=result.documents_new,
    )


@router.post("/cases/{case_id}/documents", response_model=list[DocumentOut], status_code=201)
def attach(
    case_id: int = CaseId,
    files: list[UploadFile] = File(..., description="PDF or text files"),
    kind: DocumentKind = Form(DocumentKind.MEDICAL_RECORD),
    submitted_by: PartyRole | None = Form(None),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> list[DocumentOut]:
    """Attach documents to a case (multipart upload); each is stored once by content hash."""
    inputs = []
    for upload in files:
        name = (upload.filename or "document")[:255]
        content = upload.file.read(MAX_DOCUMENT_BYTES + 1)
        inputs.append(
            services.document_input(
                name,
                content,
                kind=kind.value,
                submitted_by=submitted_by.value if submitted_by else None,
            )
        )
    ids = services.attach_documents(db, case_id, inputs, actor=user.username)
    wanted = set(ids)
    return [d for d in _documents(db, case_id) if d.document_id in wanted]


def _documents(db: Database, case_id: int) -> list[DocumentOut]:
    with db.read() as session:
        out = []
        repo = DocumentRepository(session)
        for link in repo.for_case(case_id):
            row = repo.get(link.document_id)
            out.append(
                DocumentOut(
                    document_id=row.id,
                    filename=link.filename,
                    kind=link.kind,
                    submitted_by=link.submitted_by,
                    media_type=row.media_type,
                    page_count=row.page_count,
                    size_bytes=row.size_bytes,
                    sha256=row.sha256,
                    received_at=link.received_at,
                )
            )
        return out


@router.get("/cases", response_model=Page[CaseSummary])
def list_cases(
    status: CaseStatus | None = Query(None),
    page: Paging = Depends(paging),
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> Page[CaseSummary]:
    """Cases by id. Reviewers see only the cases assigned to them."""
    query = sa.select(CaseRow)
    if status is not None:
        query = query.where(CaseRow.status == status.value)
    if not user.is_staff:
        query = query.where(CaseRow.id.in_(sorted(assigned_case_ids(db, user)) or [0]))
    with db.read() as session:
        total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(CaseRow.id).limit(page.limit).offset(page.offset))
        items = [summary_of(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/cases/{case_id}", response_model=CaseDetail)
def case_detail(
    case_id: int = CaseId,
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> CaseDetail:
    """The case with its applications, history and document list (no document content).
    The assigned reviewer's id is shown to staff only."""
    check_case_access(db, user, case_id)
    with db.read() as session:
        repo = CaseRepository(session)
        summary = summary_of(repo.get(case_id))
        case = repo.load(case_id)
    if not user.is_staff:
        case = case.model_copy(update={"assigned_reviewer_id": None})
    return CaseDetail(summary=summary, case=case, documents=_documents(db, case_id))


@router.get("/cases/{case_id}/documents", response_model=list[DocumentOut])
def list_documents(
    case_id: int = CaseId,
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> list[DocumentOut]:
    """The documents filed in the case (metadata only)."""
    check_case_access(db, user, case_id)
    with db.read() as session:
        CaseRepository(session).get(case_id)
    return _documents(db, case_id)


_DOC_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The document as filed",
        "content": {"application/pdf": {}, "text/plain": {}},
    }
}


@router.get(
    "/cases/{case_id}/documents/{document_id}",
    response_class=Response,
    responses=_DOC_RESPONSES,
)
def read_document(
    case_id: int = CaseId,
    document_id: int = Path(..., ge=1, le=MAX_ID),
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> Response:
    """The document's bytes. Every read is recorded in the audit log."""
    check_case_access(db, user, case_id)
    doc = operations.read_document(db, case_id, document_id, actor=user.username)
    return Response(doc.content, media_type=doc.media_type, headers=_no_store())


@router.get(
    "/cases/{case_id}/documents/{document_id}/text",
    response_class=Response,
    responses={200: {"description": "Extracted text", "content": {"text/plain": {}}}},
)
def read_document_text(
    case_id: int = CaseId,
    document_id: int = Path(..., ge=1, le=MAX_ID),
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> Response:
    """The document's extracted text (empty for a scan without text). Audited."""
    check_case_access(db, user, case_id)
    doc = operations.read_document(db, case_id, document_id, actor=user.username)
    return Response(doc.text or "", media_type="text/plain; charset=utf-8", headers=_no_store())


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}


@router.post("/cases/{case_id}/eligibility", response_model=EligibilityOut)
def check_eligibility(
    case_id: int = CaseId,
    as_of: date | None = Query(None, description="Decision date; default: today"),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> EligibilityOut:
    """Screen the case (every failing reason) and move it to the outcome's status."""
    case = services.eligibility(db, case_id, actor=user.username, as_of=as_of)
    result = services.latest_eligibility(db, case_id)
    if result is None:  # pragma: no cover - just recorded
        raise ApiProblem(500, "store-error", "eligibility result not recorded")
    return EligibilityOut(case_id=case_id, status=case.status, result=result)


@router.get("/cases/{case_id}/eligibility", response_model=EligibilityOut)
def last_eligibility(
    case_id: int = CaseId,
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> EligibilityOut:
    """The latest eligibility decision of the case (404 when never screened)."""
    check_case_access(db, user, case_id)
    result = services.latest_eligibility(db, case_id)
    if result is None:
        raise ApiProblem(404, "not-found", f"case {case_id} was not screened yet")
    with db.read() as session:
        status = CaseStatus(CaseRepository(session).get(case_id).status)
    return EligibilityOut(case_id=case_id, status=status, result=result)


@router.get("/cases/{case_id}/deadlines", response_model=DeadlinesOut)
def deadlines(
    case_id: int = CaseId,
    as_of: date | None = Query(None, description="Evaluate lateness on this day"),
    user: Principal = Depends(require(*READERS)),
    db: Database = Depends(get_db),
) -> DeadlinesOut:
    """Every started deadline (computed now and stored), late ones, DWC's timeliness."""
    check_case_access(db, user, case_id)
    day = as_of or date.today()
    computed, measures = services.deadlines(db, case_id, actor=user.username, as_of=day)
    return DeadlinesOut(
        case_id=case_id,
        as_of=day,
        deadlines=computed,
        late=[d.kind for d in late_deadlines(computed)],
        timeliness=measures,
    )
