"""Records complete as a unit of work (`openimr.store.operations.record_records_complete`),
on SQLite and PostgreSQL: the date, the move to review, the history, the audit row, the
recomputed deadlines, and what it refuses (leaving nothing changed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from openimr.api import services
from openimr.errors import ConcurrentUpdate, InvalidTransition
from openimr.model.case import Application, CaseStatus, DeadlineKind
from openimr.model.determination import Determination
from openimr.store import operations as ops
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository
from openimr.store.repositories.deadlines import DeadlineRepository
from openimr.store.schema import AuditEntryRow
from openimr.workflow.roster import read_roster
from test_api_helpers import EXAMPLES, draft_determination, example_application

pytest_plugins = ["conftest_store"]

SCREENED = date(2016, 3, 29)
ASSIGNED = date(2016, 3, 30)
RECORDS = date(2016, 4, 8)


def _file(db: Database, **changes: Any) -> int:
    app = Application.model_validate(example_application(**changes))
    return services.intake(db, app, actor="intake.a").case_id


def _assigned(db: Database) -> int:
    services.import_roster(db, read_roster(EXAMPLES / "roster.csv"), actor="setup")
    case_id = _file(db)
    assert services.eligibility(db, case_id, actor="intake.a", as_of=SCREENED).status is (
        CaseStatus.ELIGIBLE
    )
    services.assign(db, case_id, actor="admin.a", as_of=ASSIGNED)
    return case_id


def _audit(db: Database, case_id: int) -> list[AuditEntryRow]:
    with db.read() as session:
        query = (
            sa.select(AuditEntryRow)
            .where(AuditEntryRow.case_id == case_id)
            .order_by(AuditEntryRow.id)
        )
        return list(session.scalars(query))


def _load(db: Database, case_id: int) -> Any:
    with db.read() as session:
        return CaseRepository(session).load(case_id)


def _stored(db: Database, case_id: int) -> dict[DeadlineKind, Any]:
    with db.read() as session:
        return {d.kind: d for d in DeadlineRepository(session).for_case(case_id)}


def test_assigned_case_goes_to_review_with_the_date(db: Database) -> None:
    case_id = _assigned(db)
    before_version = _load(db, case_id)
    result = ops.record_records_complete(db, case_id, RECORDS, actor="intake.a", note="fax")
    assert result.status is CaseStatus.IN_REVIEW
    assert result.records_complete_at == RECORDS
    case = _load(db, case_id)
    assert case.status is CaseStatus.IN_REVIEW and case.records_complete_at == RECORDS
    last = case.history[-1]
    assert (last.from_status, last.to_status) == (CaseStatus.ASSIGNED, CaseStatus.IN_REVIEW)
    assert last.actor == "intake.a" and last.note == "fax"
    assert last.at.date() == RECORDS
    assert before_version.records_complete_at is None
    entry = _audit(db, case_id)[-1]
    assert entry.action == "case.records_complete" and entry.actor == "intake.a"
    assert entry.details["from_status"] == "assigned"
    assert entry.details["to_status"] == "in_review"
    assert "fax" not in str(entry.details)  # the note is history, not audit


def test_deadlines_are_recomputed_from_the_records_date(db: Database) -> None:
    case_id = _assigned(db)
    services.deadlines(db, case_id, actor="intake.a", as_of=RECORDS)
    projected = _stored(db, case_id)[DeadlineKind.DETERMINATION_DUE]
    assert projected.note and "projected" in projected.note
    assert projected.basis_date != RECORDS

    result = ops.record_records_complete(db, case_id, RECORDS, actor="intake.a")
    stored = _stored(db, case_id)
    due = stored[DeadlineKind.DETERMINATION_DUE]
    assert due.basis == "records_complete" and due.basis_date == RECORDS
    assert due.due == date(2016, 5, 8)  # regular review: 30 calendar days (§6)
    assert not due.note or "projected" not in due.note
    assert stored[DeadlineKind.RECORDS_DUE].met_on == RECORDS
    returned = {d.kind: d for d in result.deadlines}
    assert returned[DeadlineKind.DETERMINATION_DUE].due == due.due
    # one row per kind: recomputation replaced the projection
    with db.read() as session:
        kinds = [d.kind for d in DeadlineRepository(session).for_case(case_id)]
    assert len(kinds) == len(set(kinds))


@pytest.mark.parametrize("stage", ["received", "eligible"])
def test_refused_before_assignment(db: Database, stage: str) -> None:
    case_id = _file(db)
    if stage == "eligible":
        services.eligibility(db, case_id, actor="intake.a", as_of=SCREENED)
    before = _load(db, case_id)
    audit = len(_audit(db, case_id))
    with pytest.raises(InvalidTransition, match=before.status.value):
        ops.record_records_complete(db, case_id, RECORDS, actor="intake.a")
    after = _load(db, case_id)
    assert after.status is before.status and after.records_complete_at is None
    assert len(_audit(db, case_id)) == audit


def test_refused_twice_and_before_the_assignment(db: Database) -> None:
    case_id = _assigned(db)
    with pytest.raises(InvalidTransition, match="before the assignment"):
        ops.record_records_complete(db, case_id, date(2016, 3, 29), actor="intake.a")
    assert _load(db, case_id).status is CaseStatus.ASSIGNED
    ops.record_records_complete(db, case_id, RECORDS, actor="intake.a")
    audit = len(_audit(db, case_id))
    with pytest.raises(InvalidTransition, match="already"):
        ops.record_records_complete(db, case_id, date(2016, 4, 10), actor="intake.a")
    assert _load(db, case_id).records_complete_at == RECORDS
    assert len(_audit(db, case_id)) == audit


def test_stale_version_is_refused(db: Database) -> None:
    case_id = _assigned(db)
    with db.read() as session:
        version = CaseRepository(session).get(case_id).version
    with pytest.raises(ConcurrentUpdate):
        ops.record_records_complete(
            db, case_id, RECORDS, actor="intake.a", expected_version=version + 1
        )
    assert _load(db, case_id).records_complete_at is None
    result = ops.record_records_complete(
        db, case_id, RECORDS, actor="intake.a", expected_version=version
    )
    assert result.case_version != version


def test_determined_case_is_refused_and_review_goes_on(db: Database) -> None:
    case_id = _assigned(db)
    ops.record_records_complete(db, case_id, RECORDS, actor="intake.a")
    det = Determination.model_validate(draft_determination())
    services.finalize(db, case_id, det, actor="rev.a")
    case = _load(db, case_id)
    assert case.status is CaseStatus.DETERMINED and case.records_complete_at == RECORDS
    with pytest.raises(InvalidTransition):
        ops.record_records_complete(db, case_id, RECORDS, actor="intake.a")
