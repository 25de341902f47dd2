"""Termination, item-by-item authorization, consolidation and duplicates as units of work
(`openimr.store.operations`), on SQLite and PostgreSQL: the state, the history and the
audit rows they leave, and what they refuse (leaving nothing half done)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from openimr.api import services
from openimr.errors import ConsolidationError, ImmutableRecord, InvalidRecord, InvalidTransition
from openimr.model.case import Application, CaseStatus
from openimr.model.determination import Determination
from openimr.store import operations as ops
from openimr.store.engine import Database
from openimr.store.repositories.cases import CaseRepository
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.schema import AuditEntryRow
from openimr.workflow.roster import read_roster
from test_api_helpers import EXAMPLES, draft_determination, example_application

pytest_plugins = ["conftest_store"]

SCREENED = date(2016, 3, 29)
AUTHORIZED_ON = date(2016, 4, 2)
OTHER_ITEMS = [{"text_as_requested": "MRI of the right shoulder", "ur_action": "deny"}]


def _file(db: Database, **changes: Any) -> int:
    app = Application.model_validate(example_application(**changes))
    return services.intake(db, app, actor="intake.a").case_id


def _eligible(db: Database, **changes: Any) -> int:
    case_id = _file(db, **changes)
    after = services.eligibility(db, case_id, actor="intake.a", as_of=SCREENED)
    assert after.status is CaseStatus.ELIGIBLE, after.status
    return case_id


def _audit(db: Database, case_id: int) -> list[AuditEntryRow]:
    with db.read() as session:
        return list(
            session.scalars(
                sa.select(AuditEntryRow)
                .where(AuditEntryRow.case_id == case_id)
                .order_by(AuditEntryRow.id)
            )
        )


def _load(db: Database, case_id: int) -> Any:
    with db.read() as session:
        return CaseRepository(session).load(case_id)


# --------------------------------------------------------------------------- termination


def test_whole_case_termination(db: Database) -> None:
    case_id = _file(db)
    result = ops.terminate(db, case_id, actor="intake.a", on=AUTHORIZED_ON, note="letter")
    assert result.terminated and result.status is CaseStatus.TERMINATED
    assert result.authorized_items == (0, 1) and result.pending_items == ()
    case = _load(db, case_id)
    assert case.status is CaseStatus.TERMINATED
    assert case.terminated_at == AUTHORIZED_ON
    assert case.terminated_reason and "authorized" in case.terminated_reason
    assert [i.authorized_on for i in case.disputed_items] == [AUTHORIZED_ON] * 2
    last = case.history[-1]
    assert (last.from_status, last.to_status) == (CaseStatus.RECEIVED, CaseStatus.TERMINATED)
    assert last.actor == "intake.a" and last.note and last.note.endswith(": letter")
    entry = _audit(db, case_id)[-1]
    assert entry.action == "case.terminate" and entry.actor == "intake.a"
    assert entry.details["to_status"] == "terminated"
    assert entry.details["from_status"] == "received"
    assert entry.details["count"] == 2 and entry.details["result"] == "terminated"
    assert "letter" not in str(entry.details)  # the free-text note never reaches the audit


def test_item_by_item_then_terminated(db: Database) -> None:
    case_id = _eligible(db)
    version = _load(db, case_id)
    first = ops.terminate(
        db,
        case_id,
        actor="intake.a",
        items=["  post-operative PHYSICAL therapy 2x6 "],  # case and spacing ignored
        on=AUTHORIZED_ON,
    )
    assert not first.terminated and first.status is CaseStatus.ELIGIBLE
    assert first.authorized_items == (1,) and first.pending_items == (0,)
    case = _load(db, case_id)
    assert case.status is CaseStatus.ELIGIBLE and case.history == version.history
    assert [i.authorized_on for i in case.disputed_items] == [None, AUTHORIZED_ON]
    entry = _audit(db, case_id)[-1]
    assert entry.action == "case.authorize_items" and entry.details["result"] == "partial"
    assert entry.details["count"] == 1

    second = ops.terminate(db, case_id, actor="intake.b", items=[0], on=date(2016, 4, 5))
    assert second.terminated and second.authorized_items == (0,)
    case = _load(db, case_id)
    assert case.status is CaseStatus.TERMINATED and case.terminated_at == date(2016, 4, 5)
    assert [i.authorized_on for i in case.disputed_items] == [date(2016, 4, 5), AUTHORIZED_ON]
    assert [e.action for e in _audit(db, case_id)][-2:] == [
        "case.authorize_items",
        "case.terminate",
    ]


def test_unknown_item_changes_nothing(db: Database) -> None:
    case_id = _file(db)
    before = len(_audit(db, case_id))
    with pytest.raises(InvalidRecord, match="item #2"):
        ops.terminate(db, case_id, actor="intake.a", items=[0, "acupuncture x12"])
    with pytest.raises(InvalidRecord):
        ops.terminate(db, case_id, actor="intake.a", items=[7])
    with pytest.raises(InvalidRecord):
        ops.terminate(db, case_id, actor="intake.a", items=[])
    case = _load(db, case_id)
    assert case.status is CaseStatus.RECEIVED
    assert all(i.authorized_on is None for i in case.disputed_items)
    assert len(_audit(db, case_id)) == before


def test_terminated_case_cannot_be_terminated_again(db: Database) -> None:
    case_id = _file(db)
    ops.terminate(db, case_id, actor="intake.a")
    with pytest.raises(InvalidTransition):
        ops.terminate(db, case_id, actor="intake.a")
    with pytest.raises(InvalidTransition):
        ops.terminate(db, case_id, actor="intake.a", items=[0])


def test_terminating_an_assigned_case_ends_the_assignment(db: Database) -> None:
    services.import_roster(db, read_roster(EXAMPLES / "roster.csv"), actor="setup")
    case_id = _eligible(db)
    reviewer, _ = services.assign(db, case_id, actor="admin.a", as_of=date(2016, 3, 30))
    with db.read() as session:
        assert ReviewerRepository(session).open_workload().get(reviewer) == 1
    ops.terminate(db, case_id, actor="admin.a", on=AUTHORIZED_ON)
    with db.read() as session:
        reviewers = ReviewerRepository(session)
        assert reviewers.current_assignment(case_id) is None
        assert reviewers.open_workload().get(reviewer, 0) == 0
    assert _load(db, case_id).status is CaseStatus.TERMINATED


def test_finalized_case_is_refused(db: Database) -> None:
    services.import_roster(db, read_roster(EXAMPLES / "roster.csv"), actor="setup")
    case_id = _eligible(db)
    services.assign(db, case_id, actor="admin.a", as_of=date(2016, 3, 30))
    det = Determination.model_validate(draft_determination())
    services.finalize(db, case_id, det, actor="rev.a")
    before = len(_audit(db, case_id))
    with pytest.raises(ImmutableRecord):
        ops.terminate(db, case_id, actor="admin.a")
    with pytest.raises(ImmutableRecord):
        ops.terminate(db, case_id, actor="admin.a", items=[0])
    case = _load(db, case_id)
    assert case.status is CaseStatus.DETERMINED and case.terminated_at is None
    assert len(_audit(db, case_id)) == before


# --------------------------------------------------------------------------- consolidation


def test_consolidation_merges_into_the_lead(db: Database) -> None:
    lead = _eligible(db)
    other = _eligible(db, application_id="EX-2016-000102", disputed_items=OTHER_ITEMS)
    result = ops.consolidate(db, lead, [other], actor="intake.a", on=date(2016, 3, 30))
    assert result.merged_case_ids == (other,)
    assert result.application_ids == ("EX-2016-000101", "EX-2016-000102")
    merged = _load(db, lead)
    assert merged.status is CaseStatus.ELIGIBLE
    assert merged.consolidated_with == ["EX-2016-000102"]
    assert len(merged.disputed_items) == 3
    absorbed = _load(db, other)
    assert absorbed.status is CaseStatus.CONSOLIDATED
    assert absorbed.consolidated_into == merged.case_number
    assert absorbed.history[-1].note == f"into {merged.case_number}"
    lead_entry = _audit(db, lead)[-1]
    assert lead_entry.action == "case.consolidate" and lead_entry.details["count"] == 1
    other_entry = _audit(db, other)[-1]
    assert other_entry.action == "case.consolidated"
    assert other_entry.details["to_status"] == "consolidated"
    assert other_entry.details["case_number"] == merged.case_number

    # item indexes run across the merged applications: index 2 is the other case's item
    ops.terminate(db, lead, actor="intake.a", items=[2], on=AUTHORIZED_ON)
    items = _load(db, lead).disputed_items
    assert [i.authorized_on for i in items] == [None, None, AUTHORIZED_ON]
    # the absorbed case is closed: it cannot be merged again nor terminated on its own
    with pytest.raises(InvalidTransition):
        ops.terminate(db, other, actor="intake.a")


def test_consolidation_mismatches_are_all_listed(db: Database) -> None:
    lead = _eligible(db)
    app = example_application(application_id="EX-2016-000103", disputed_items=OTHER_ITEMS)
    app["date_of_injury"] = "2015-07-01"
    for party in app["parties"]:
        if party["role"] == "requesting_physician":
            party["name"] = "Dr. Morgan Lee"
    other = _file(db, **app)
    services.eligibility(db, other, actor="intake.a", as_of=SCREENED)
    before = len(_audit(db, lead)), len(_audit(db, other))
    with pytest.raises(ConsolidationError) as err:
        ops.consolidate(db, lead, [other], actor="intake.a")
    message = str(err.value)
    assert "different requesting physician" in message
    assert "different date of injury" in message
    assert _load(db, other).status is not CaseStatus.CONSOLIDATED
    assert _load(db, lead).consolidated_with == []
    assert (len(_audit(db, lead)), len(_audit(db, other))) == before


def test_consolidation_needs_eligible_cases(db: Database) -> None:
    lead = _eligible(db)
    other = _file(db, application_id="EX-2016-000104", disputed_items=OTHER_ITEMS)
    with pytest.raises(ConsolidationError, match="status received"):
        ops.consolidate(db, lead, [other], actor="intake.a")
    with pytest.raises(ConsolidationError, match="itself"):
        ops.consolidate(db, lead, [lead], actor="intake.a")
    with pytest.raises(ConsolidationError, match="twice"):
        ops.consolidate(db, lead, [other, other], actor="intake.a")
    assert _load(db, other).status is CaseStatus.RECEIVED


# --------------------------------------------------------------------------- duplicates


def test_duplicate_of_is_persisted(db: Database) -> None:
    first = _file(db)
    second = _file(db, application_id="EX-2016-000199")
    after = services.eligibility(db, second, actor="intake.a", as_of=SCREENED)
    assert after.status is CaseStatus.DUPLICATE
    case = _load(db, second)
    assert case.duplicate_of == "EX-2016-000101"
    assert _load(db, first).duplicate_of is None
