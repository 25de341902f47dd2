"""The case state machine (imr-process.md §1.3): transitions, termination, consolidation.

Functions take a `Case` and return an updated copy (records are never mutated in place), with
the change appended to `history`. Allowed transitions come from data/lifecycle.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from openimr.errors import ConsolidationError, InvalidTransition
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    EligibilityOutcome,
    EligibilityResult,
    ReviewType,
    ReviewTypeChange,
    StatusChange,
)
from openimr.workflow.eligibility import is_duplicate, same_worker
from openimr.workflow.names import NameMatch, match_people
from openimr.workflow.rules import read_yaml, validate_table

AUTHORIZED = "claims administrator authorized the disputed treatment"


class RecordsCompleteRule(BaseModel):
    """Where the records-complete step may happen and the status it leads to."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: list[CaseStatus] = Field(alias="from", min_length=1)
    to: CaseStatus


class LifecycleRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_: str = Field(alias="schema", pattern=r"^openimr\.lifecycle/1$")
    version: str
    transitions: dict[CaseStatus, list[CaseStatus]]
    terminable: list[CaseStatus]
    consolidatable: list[CaseStatus]
    convertible: list[CaseStatus]
    records_complete: RecordsCompleteRule

    @model_validator(mode="after")
    def _complete(self) -> LifecycleRules:
        missing = set(CaseStatus) - set(self.transitions)
        if missing:
            raise ValueError(f"statuses without transitions: {sorted(m.value for m in missing)}")
        for status in self.terminable:
            if CaseStatus.TERMINATED not in self.transitions[status]:
                raise ValueError(f"{status.value} is terminable but cannot move to terminated")
        rc = self.records_complete
        for status in rc.from_:
            if status is not rc.to and rc.to not in self.transitions[status]:
                raise ValueError(f"records complete: {status.value} cannot move to {rc.to.value}")
        return self


@lru_cache(maxsize=1)
def lifecycle_rules() -> LifecycleRules:
    name = "lifecycle.yaml"
    return validate_table(LifecycleRules, read_yaml(name, name), name)


def allowed_transitions(status: CaseStatus) -> list[CaseStatus]:
    return list(lifecycle_rules().transitions[status])


def is_terminal(status: CaseStatus) -> bool:
    return not lifecycle_rules().transitions[status]


def _moment(at: date | datetime) -> datetime:
    if isinstance(at, datetime):
        return at
    return datetime.combine(at, time(0, 0), tzinfo=UTC)


def _day(at: date | datetime) -> date:
    return at.date() if isinstance(at, datetime) else at


def transition(
    case: Case,
    to: CaseStatus,
    at: date | datetime,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> Case:
    """Move the case to `to`, or raise `InvalidTransition` naming both statuses."""
    if to not in lifecycle_rules().transitions[case.status]:
        allowed = ", ".join(s.value for s in allowed_transitions(case.status)) or "none"
        raise InvalidTransition(
            f"cannot move a case from {case.status.value} to {to.value} (allowed: {allowed})"
        )
    change = StatusChange(
        from_status=case.status, to_status=to, at=_moment(at), actor=actor, note=note
    )
    return case.model_copy(update={"status": to, "history": [*case.history, change]})


# ----------------------------------------------------------------------------- steps


_OUTCOME_STATUS = {
    EligibilityOutcome.ELIGIBLE: CaseStatus.ELIGIBLE,
    EligibilityOutcome.INELIGIBLE: CaseStatus.INELIGIBLE,
    EligibilityOutcome.DEFERRED_LIABILITY: CaseStatus.DEFERRED_LIABILITY,
    EligibilityOutcome.DUPLICATE: CaseStatus.DUPLICATE,
    EligibilityOutcome.WITHDRAWN: CaseStatus.WITHDRAWN,
    EligibilityOutcome.NEEDS_INFORMATION: CaseStatus.INFORMATION_REQUESTED,
}


def apply_eligibility(
    case: Case, result: EligibilityResult, at: date | datetime, *, actor: str | None = None
) -> Case:
    """Record an eligibility decision: status, decision date, the review track."""
    if case.status is CaseStatus.RECEIVED:
        case = transition(case, CaseStatus.ELIGIBILITY_REVIEW, at, actor=actor)
    to = _OUTCOME_STATUS[result.outcome]
    note = "; ".join(r.code.value for r in result.reasons) or None
    case = transition(case, to, at, actor=actor, note=note)
    update: dict[str, object] = {}
    if to is CaseStatus.INFORMATION_REQUESTED:
        update["information_requested_at"] = _day(at)
    else:
        update["eligibility_decided_at"] = _day(at)
    case = case.model_copy(update=update)
    if result.review_type is not None and result.review_type is not case.review_type:
        reason = result.review_type_note or "eligibility review"
        case = change_review_type(case, result.review_type, at, reason=reason)
    return case


def change_review_type(case: Case, to: ReviewType, at: date | datetime, *, reason: str) -> Case:
    """Record a change of track (regular → expedited on the physician's certification, §2.6)."""
    if case.review_type is to:
        return case
    if case.status not in lifecycle_rules().convertible:
        raise InvalidTransition(
            f"cannot change the review type of a case in status {case.status.value}"
        )
    change = ReviewTypeChange(from_type=case.review_type, to_type=to, at=_moment(at), reason=reason)
    return case.model_copy(
        update={"review_type": to, "review_type_changes": [*case.review_type_changes, change]}
    )


def authorize_items(
    case: Case, item_indexes: Sequence[int], at: date | datetime, *, actor: str | None = None
) -> Case:
    """The claims administrator authorized some disputed items (8 CCR 9792.10.6(a)).

    The items are marked authorized; once every item is authorized the IMR is terminated.
    """
    if case.status not in lifecycle_rules().terminable:
        raise InvalidTransition(f"cannot authorize items of a case in status {case.status.value}")
    items = case.disputed_items
    bad = [i for i in item_indexes if not 0 <= i < len(items)]
    if bad:
        raise InvalidTransition(f"no disputed item at index {bad[0]}")
    wanted = set(item_indexes)
    counter = 0
    apps: list[Application] = []
    for app in case.applications:
        new_items = []
        for item in app.disputed_items:
            if counter in wanted and item.authorized_on is None:
                item = item.model_copy(update={"authorized_on": _day(at)})
            new_items.append(item)
            counter += 1
        apps.append(app.model_copy(update={"disputed_items": new_items}))
    case = case.model_copy(update={"applications": apps})
    if all(i.authorized_on is not None for i in case.disputed_items):
        return terminate(case, at, actor=actor)
    return case


def terminate(
    case: Case, at: date | datetime, *, reason: str = AUTHORIZED, actor: str | None = None
) -> Case:
    """End the IMR because the claims administrator authorized the treatment (§3.4)."""
    if case.status not in lifecycle_rules().terminable:
        raise InvalidTransition(f"cannot terminate a case in status {case.status.value}")
    case = transition(case, CaseStatus.TERMINATED, at, actor=actor, note=reason)
    return case.model_copy(update={"terminated_reason": reason, "terminated_at": _day(at)})


def records_complete(
    case: Case, on: date | datetime, *, actor: str | None = None, note: str | None = None
) -> Case:
    """The claims administrator's records are complete (§3.1, §3.3): set `records_complete_at`
    (which starts the determination clock, §6) and hand an assigned case to the reviewer.

    Raises `InvalidTransition` in any other status, when the date is already recorded, or
    when `on` precedes the assignment (records are due only after the NOARFI).
    """
    rule = lifecycle_rules().records_complete
    if case.status not in rule.from_:
        allowed = ", ".join(s.value for s in rule.from_)
        raise InvalidTransition(
            f"cannot record complete records for a case in status {case.status.value} "
            f"(allowed: {allowed})"
        )
    if case.records_complete_at is not None:
        raise InvalidTransition(
            f"records were already recorded complete on {case.records_complete_at.isoformat()}"
        )
    day = _day(on)
    if case.date_assigned is not None and day < case.date_assigned:
        raise InvalidTransition(
            f"records cannot be complete on {day.isoformat()}, before the assignment on "
            f"{case.date_assigned.isoformat()}"
        )
    if case.status is not rule.to:
        case = transition(case, rule.to, on, actor=actor, note=note or "records complete")
    return case.model_copy(update={"records_complete_at": day})


# ----------------------------------------------------------------------------- duplicates


def find_duplicate(app: Application, cases: Sequence[Case]) -> str | None:
    """The id of an application already received that this one duplicates, if any."""
    for case in cases:
        if case.status in (CaseStatus.DUPLICATE, CaseStatus.WITHDRAWN):
            continue
        for other in case.applications:
            if is_duplicate(app, other):
                return other.application_id
    return None


def mark_duplicate(case: Case, of: str, at: date | datetime, *, actor: str | None = None) -> Case:
    case = transition(case, CaseStatus.DUPLICATE, at, actor=actor, note=f"duplicate of {of}")
    return case.model_copy(update={"duplicate_of": of})


# ----------------------------------------------------------------------------- consolidation


def consolidation_problems(a: Application, b: Application) -> list[str]:
    """Why two applications may not be consolidated (empty: they may), §2.7."""
    problems = []
    if not same_worker(a, b):
        problems.append("different injured worker")
    pa, pb = a.requesting_physician, b.requesting_physician
    if pa is None or pb is None:
        problems.append("requesting physician missing")
    elif match_people(pa.name, pb.name) is not NameMatch.EXACT:
        problems.append("different requesting physician")
    if a.date_of_injury != b.date_of_injury:
        problems.append("different date of injury")
    return problems


def consolidate(
    target: Case, others: Sequence[Case], at: date | datetime, *, actor: str | None = None
) -> tuple[Case, list[Case]]:
    """Merge `others` into `target` (8 CCR 9792.10.4(a)); return both sides updated.

    Raises `ConsolidationError` listing every problem when an application does not share the
    worker, the requesting physician and the date of injury, or a case is not eligible.
    """
    rules = lifecycle_rules()
    problems: list[str] = []
    if not others:
        problems.append("nothing to consolidate")
    for case in (target, *others):
        if case.status not in rules.consolidatable:
            label = case.case_number or case.primary.application_id
            problems.append(f"{label}: status {case.status.value} cannot be consolidated")
    for other in others:
        if other is target or other.primary.application_id == target.primary.application_id:
            problems.append("a case cannot be consolidated with itself")
            continue
        for app in other.applications:
            for why in consolidation_problems(target.primary, app):
                problems.append(f"{app.application_id}: {why}")
    if problems:
        raise ConsolidationError(problems)

    merged_ids = [app.application_id for o in others for app in o.applications]
    merged = target.model_copy(
        update={
            "applications": [*target.applications, *(a for o in others for a in o.applications)],
            "consolidated_with": [*target.consolidated_with, *merged_ids],
        }
    )
    into = target.case_number or target.primary.application_id
    absorbed = [
        transition(o, CaseStatus.CONSOLIDATED, at, actor=actor, note=f"into {into}").model_copy(
            update={"consolidated_into": into}
        )
        for o in others
    ]
    return merged, absorbed
