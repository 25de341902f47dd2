"""Termination (the claims administrator authorized the treatment) and consolidation."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Path

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
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository

router = APIRouter(tags=["lifecycle"])
CaseId = Path(..., ge=1, le=MAX_ID, description="Case id")
ERRORS = problem_responses(401, 403, 404, 409, 422)


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
