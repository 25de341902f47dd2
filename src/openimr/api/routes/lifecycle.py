"""Records complete, termination (the claims administrator authorized the treatment) and
consolidation."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Body, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from openimr.api import services
from openimr.api.auth import STAFF, Principal, get_db, require
from openimr.api.deps import MAX_ID
from openimr.api.problems import problem_responses
from openimr.api.schemas import (
    ConsolidationIn,
    ConsolidationOut,
    TerminationIn,
    TerminationOut,
)
from openimr.model.case import CaseStatus, Deadline
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository

router = APIRouter(tags=["lifecycle"])
CaseId = Path(..., ge=1, le=MAX_ID, description="Case id")
ERRORS = problem_responses(401, 403, 404, 409, 422)


class RecordsCompleteIn(BaseModel):
    """The claims administrator's records reached the IMRO (8 CCR 9792.10.5(a)(1))."""

    model_config = ConfigDict(extra="forbid")

    received_on: date | None = Field(
        default=None, description="Day the records were complete; default: today"
    )
    note: str | None = Field(default=None, max_length=200)
    expected_version: int | None = Field(default=None, ge=1, le=MAX_ID)


class RecordsCompleteOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: int
    status: CaseStatus
    records_complete_at: date
    deadlines: list[Deadline] = Field(description="The case's deadlines, recomputed")
    case_version: int


@router.post(
    "/cases/{case_id}/records-complete", response_model=RecordsCompleteOut, responses=ERRORS
)
def records_complete(
    case_id: int = CaseId,
    body: RecordsCompleteIn = Body(default_factory=RecordsCompleteIn),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> RecordsCompleteOut:
    """Record that the claims administrator's records are complete: an assigned case goes to
    review, and the determination deadline counts from this day (§6). 409 in any other
    status, when already recorded, or for a day before the assignment."""
    result = services.records_complete(
        db,
        case_id,
        actor=user.username,
        on=body.received_on,
        note=body.note,
        expected_version=body.expected_version,
    )
    return RecordsCompleteOut(
        case_id=result.case_id,
        status=result.status,
        records_complete_at=result.records_complete_at,
        deadlines=list(result.deadlines),
        case_version=result.case_version,
    )


@router.post("/cases/{case_id}/termination", response_model=TerminationOut, responses=ERRORS)
def terminate(
    case_id: int = CaseId,
    body: TerminationIn = Body(default_factory=TerminationIn),
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> TerminationOut:
    """Record that the claims administrator authorized the disputed treatment (8 CCR
    9792.10.6(a)): the whole case, or item by item. Once no item is left in dispute the IMR
    is terminated and any open assignment ends. 409 when the case is final or in a status
    that cannot be terminated; 422 when a named item is not in the case."""
    result = services.terminate(
        db,
        case_id,
        actor=user.username,
        items=body.items,
        on=body.authorized_on,
        note=body.note,
        expected_version=body.expected_version,
    )
    return TerminationOut(
        case_id=result.case_id,
        status=result.status,
        terminated=result.terminated,
        authorized_items=list(result.authorized_items),
        pending_items=list(result.pending_items),
        case_version=result.case_version,
    )


@router.post("/cases/{case_id}/consolidation", response_model=ConsolidationOut, responses=ERRORS)
def consolidate(
    body: ConsolidationIn,
    case_id: int = CaseId,
    user: Principal = Depends(require(*STAFF)),
    db: Database = Depends(get_db),
) -> ConsolidationOut:
    """Merge other applications of the same worker, requesting physician and date of injury
    into this case (8 CCR 9792.10.4(a)); every case must be eligible or assigned. 422 lists
    every mismatch in `mismatches`; nothing changes then."""
    result = services.consolidate(db, case_id, body.cases, actor=user.username, as_of=body.as_of)
    with db.read() as session:
        number = CaseRepository(session).get(result.lead_id).case_number
    return ConsolidationOut(
        lead_id=result.lead_id,
        case_number=number,
        merged_case_ids=list(result.merged_case_ids),
        application_ids=list(result.application_ids),
        case_version=result.case_version,
    )
