"""Case lifecycle (imr-process.md §1.3, §2.6, §2.7, §3.4): transitions and their guards."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openimr.errors import ConsolidationError, InvalidTransition
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    DisputedItem,
    EligibilityOutcome,
    Party,
    PartyKind,
    PartyRole,
    ReviewType,
    UrAction,
    UrDecision,
)
from openimr.workflow.eligibility import check_eligibility
from openimr.workflow.lifecycle import (
    AUTHORIZED,
    allowed_transitions,
    apply_eligibility,
    authorize_items,
    change_review_type,
    consolidate,
    find_duplicate,
    is_terminal,
    lifecycle_rules,
    mark_duplicate,
    records_complete,
    terminate,
    transition,
)

DAY = date(2016, 4, 1)
WORKER = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Robin T. Alvarez")
PHYSICIAN = Party(role=PartyRole.REQUESTING_PHYSICIAN, kind=PartyKind.PERSON, name="Casey Nolan")


def application(app_id: str = "APP-1", **kw: Any) -> Application:
    values: dict[str, Any] = {
        "application_id": app_id,
        "received_date": date(2016, 3, 20),
        "date_of_injury": date(2015, 6, 1),
        "claim_number": "GP-55-1234",
        "parties": [WORKER, PHYSICIAN],
        "disputed_items": [
            DisputedItem(text_as_requested="Physical therapy x6"),
            DisputedItem(text_as_requested="MRI lumbar spine"),
        ],
        "ur_decision": UrDecision(
            decision_date=date(2016, 3, 1),
            action=UrAction.DENY,
            rfa_received_date=date(2016, 2, 26),
        ),
        "signed": True,
    }
    values.update(kw)
    return Application(**values)


def case(status: CaseStatus = CaseStatus.RECEIVED, **kw: Any) -> Case:
    apps = kw.pop("applications", None) or [application()]
    return Case(applications=apps, status=status, **kw)


def walk(c: Case, *statuses: CaseStatus) -> Case:
    for s in statuses:
        c = transition(c, s, DAY, actor="intake-1")
    return c


def test_table_covers_every_status() -> None:
    assert set(lifecycle_rules().transitions) == set(CaseStatus)


def test_happy_path_records_history() -> None:
    c = walk(
        case(),
        CaseStatus.ELIGIBILITY_REVIEW,
        CaseStatus.ELIGIBLE,
        CaseStatus.ASSIGNED,
        CaseStatus.IN_REVIEW,
        CaseStatus.DETERMINED,
        CaseStatus.APPEALED,
        CaseStatus.CLOSED,
    )
    assert c.status is CaseStatus.CLOSED
    assert [h.to_status for h in c.history][:2] == [
        CaseStatus.ELIGIBILITY_REVIEW,
        CaseStatus.ELIGIBLE,
    ]
    assert c.history[0].from_status is CaseStatus.RECEIVED and c.history[0].actor == "intake-1"
    assert is_terminal(CaseStatus.CLOSED)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (CaseStatus.RECEIVED, CaseStatus.ASSIGNED),  # eligibility skipped
        (CaseStatus.ELIGIBLE, CaseStatus.DETERMINED),  # no reviewer yet
        (CaseStatus.INELIGIBLE, CaseStatus.ASSIGNED),
        (CaseStatus.DETERMINED, CaseStatus.IN_REVIEW),  # a final determination stays final
        (CaseStatus.TERMINATED, CaseStatus.ELIGIBLE),
        (CaseStatus.CLOSED, CaseStatus.APPEALED),
        (CaseStatus.DUPLICATE, CaseStatus.ELIGIBILITY_REVIEW),
    ],
)
def test_invalid_transitions(start: CaseStatus, to: CaseStatus) -> None:
    with pytest.raises(InvalidTransition, match=f"from {start.value} to {to.value}"):
        transition(case(start), to, DAY)


def test_original_case_is_not_mutated() -> None:
    c = case()
    walk(c, CaseStatus.ELIGIBILITY_REVIEW)
    assert c.status is CaseStatus.RECEIVED and c.history == []


def test_ineligibility_is_appealable() -> None:
    assert CaseStatus.APPEALED in allowed_transitions(CaseStatus.INELIGIBLE)


def test_deferred_case_returns_to_eligibility_review() -> None:
    c = walk(case(), CaseStatus.ELIGIBILITY_REVIEW, CaseStatus.DEFERRED_LIABILITY)
    assert walk(c, CaseStatus.ELIGIBILITY_REVIEW, CaseStatus.ELIGIBLE).status is (
        CaseStatus.ELIGIBLE
    )


# ------------------------------------------------------------------ eligibility → status


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, CaseStatus.ELIGIBLE),
        ({"signed": False}, CaseStatus.INELIGIBLE),
        ({"liability_disputed": True}, CaseStatus.DEFERRED_LIABILITY),
    ],
)
def test_apply_eligibility(changes: dict[str, Any], status: CaseStatus) -> None:
    app = application(**changes)
    result = check_eligibility(app, as_of=DAY)
    c = apply_eligibility(case(applications=[app]), result, DAY)
    assert c.status is status
    assert c.eligibility_decided_at == DAY
    assert [h.to_status for h in c.history] == [CaseStatus.ELIGIBILITY_REVIEW, status]


def test_apply_eligibility_converts_to_expedited() -> None:
    app = application(expedited_certification=True)
    result = check_eligibility(app, as_of=DAY)
    assert result.outcome is EligibilityOutcome.ELIGIBLE
    c = apply_eligibility(case(applications=[app]), result, DAY)
    assert c.review_type is ReviewType.EXPEDITED
    (change,) = c.review_type_changes
    assert change.from_type is ReviewType.REGULAR and "converted" in change.reason


def test_conversion_after_assignment_is_recorded() -> None:
    c = change_review_type(
        case(CaseStatus.ASSIGNED), ReviewType.EXPEDITED, DAY, reason="certification received"
    )
    assert c.review_type is ReviewType.EXPEDITED and len(c.review_type_changes) == 1
    with pytest.raises(InvalidTransition):
        change_review_type(case(CaseStatus.DETERMINED), ReviewType.EXPEDITED, DAY, reason="x")


# ------------------------------------------------------------------ termination


def test_termination_when_claims_administrator_authorizes() -> None:
    c = terminate(case(CaseStatus.ASSIGNED), DAY)
    assert c.status is CaseStatus.TERMINATED
    assert c.terminated_reason == AUTHORIZED and c.terminated_at == DAY


def test_no_termination_after_the_determination() -> None:
    with pytest.raises(InvalidTransition):
        terminate(case(CaseStatus.DETERMINED), DAY)


def test_partial_authorization_keeps_the_case_open() -> None:
    c = authorize_items(case(CaseStatus.IN_REVIEW), [1], DAY)
    assert c.status is CaseStatus.IN_REVIEW
    assert [i.authorized_on for i in c.disputed_items] == [None, DAY]
    done = authorize_items(c, [0], date(2016, 4, 2))
    assert done.status is CaseStatus.TERMINATED
    with pytest.raises(InvalidTransition, match="index 5"):
        authorize_items(case(CaseStatus.IN_REVIEW), [5], DAY)


# ------------------------------------------------------------------ duplicates


def test_duplicate_detection() -> None:
    first = case(CaseStatus.ELIGIBLE, applications=[application("APP-1")])
    same = application("APP-2", claim_number="gp 55 1234")
    assert find_duplicate(same, [first]) == "APP-1"
    other_items = application("APP-3", disputed_items=[DisputedItem(text_as_requested="EMG")])
    assert find_duplicate(other_items, [first]) is None
    other_ur = application(
        "APP-4", ur_decision=UrDecision(decision_date=date(2016, 3, 9), action=UrAction.DENY)
    )
    assert find_duplicate(other_ur, [first]) is None
    dup = mark_duplicate(walk(case(applications=[same])), "APP-1", DAY)
    assert dup.status is CaseStatus.DUPLICATE and dup.duplicate_of == "APP-1"


# ------------------------------------------------------------------ consolidation


def test_consolidation_of_the_same_worker_physician_and_injury() -> None:
    target = case(CaseStatus.ELIGIBLE, case_number="CM16-0000101")
    second = case(
        CaseStatus.ELIGIBLE,
        applications=[
            application(
                "APP-2",
                disputed_items=[DisputedItem(text_as_requested="Acupuncture x6")],
                parties=[
                    Party(
                        role=PartyRole.INJURED_WORKER,
                        kind=PartyKind.PERSON,
                        name="Alvarez, Robin",
                    ),
                    Party(
                        role=PartyRole.REQUESTING_PHYSICIAN,
                        kind=PartyKind.PERSON,
                        name="Dr. Casey Nolan, M.D.",
                    ),
                ],
            )
        ],
    )
    merged, (absorbed,) = consolidate(target, [second], DAY)
    assert [a.application_id for a in merged.applications] == ["APP-1", "APP-2"]
    assert merged.consolidated_with == ["APP-2"]
    assert len(merged.disputed_items) == 3
    assert absorbed.status is CaseStatus.CONSOLIDATED
    assert absorbed.consolidated_into == "CM16-0000101"


def test_consolidation_refused_with_every_reason() -> None:
    target = case(CaseStatus.ELIGIBLE)
    other = case(
        CaseStatus.ELIGIBLE,
        applications=[
            application(
                "APP-2",
                date_of_injury=date(2014, 1, 1),
                parties=[
                    WORKER,
                    Party(
                        role=PartyRole.REQUESTING_PHYSICIAN,
                        kind=PartyKind.PERSON,
                        name="Jamie Ortiz",
                    ),
                ],
            )
        ],
    )
    with pytest.raises(ConsolidationError) as err:
        consolidate(target, [other], DAY)
    message = str(err.value)
    assert "different requesting physician" in message
    assert "different date of injury" in message
    assert "different injured worker" not in message


def test_consolidation_needs_eligible_cases_of_the_same_worker() -> None:
    stranger = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Sam Lee")
    other = case(
        CaseStatus.INELIGIBLE, applications=[application("APP-2", parties=[stranger, PHYSICIAN])]
    )
    with pytest.raises(ConsolidationError) as err:
        consolidate(case(CaseStatus.ELIGIBLE), [other], DAY)
    assert "status ineligible" in str(err.value) and "different injured worker" in str(err.value)
    with pytest.raises(ConsolidationError, match="nothing"):
        consolidate(case(CaseStatus.ELIGIBLE), [], DAY)


def test_lifecycle_table_schema_rejects_gaps() -> None:
    from openimr.errors import RuleTableError
    from openimr.workflow.lifecycle import LifecycleRules
    from openimr.workflow.rules import validate_table

    data = lifecycle_rules().model_dump(mode="json", by_alias=True)
    del data["transitions"]["closed"]
    with pytest.raises(RuleTableError, match=r"lifecycle\.yaml"):
        validate_table(LifecycleRules, data, "lifecycle.yaml")
    data = lifecycle_rules().model_dump(mode="json", by_alias=True)
    data["terminable"].append("determined")
    with pytest.raises(RuleTableError, match="terminable"):
        validate_table(LifecycleRules, data, "lifecycle.yaml")
    data = lifecycle_rules().model_dump(mode="json", by_alias=True)
    data["records_complete"]["from"].append("eligible")  # eligible cannot go to in_review
    with pytest.raises(RuleTableError, match="records complete"):
        validate_table(LifecycleRules, data, "lifecycle.yaml")


# ----------------------------------------------------------------------------- records complete

ASSIGNED_ON = date(2016, 3, 30)


def test_records_complete_moves_an_assigned_case_to_review() -> None:
    start = case(CaseStatus.ASSIGNED, date_assigned=ASSIGNED_ON)
    done = records_complete(start, DAY, actor="intake.a")
    assert done.status is CaseStatus.IN_REVIEW and done.records_complete_at == DAY
    last = done.history[-1]
    assert (last.from_status, last.to_status) == (CaseStatus.ASSIGNED, CaseStatus.IN_REVIEW)
    assert last.actor == "intake.a" and last.at.date() == DAY
    assert start.records_complete_at is None and start.status is CaseStatus.ASSIGNED


def test_records_complete_in_review_only_sets_the_date() -> None:
    start = case(CaseStatus.IN_REVIEW, date_assigned=ASSIGNED_ON)
    done = records_complete(start, DAY)
    assert done.status is CaseStatus.IN_REVIEW and done.records_complete_at == DAY
    assert done.history == start.history


@pytest.mark.parametrize(
    "status",
    [s for s in CaseStatus if s not in (CaseStatus.ASSIGNED, CaseStatus.IN_REVIEW)],
)
def test_records_complete_refused_in_other_statuses(status: CaseStatus) -> None:
    with pytest.raises(InvalidTransition, match=status.value):
        records_complete(case(status), DAY)


def test_records_complete_refused_twice_or_before_assignment() -> None:
    with pytest.raises(InvalidTransition, match="already"):
        records_complete(case(CaseStatus.IN_REVIEW, records_complete_at=DAY), DAY)
    with pytest.raises(InvalidTransition, match="before the assignment"):
        records_complete(case(CaseStatus.ASSIGNED, date_assigned=ASSIGNED_ON), date(2016, 3, 1))
