"""Deadline calculator: the versioned rule table (data/deadline_rules.yaml) applied to a case.

Each deadline is computed as: basis date → plus the service extension (CCP 1013 mail days and
the like, which move the presumed receipt) → plus N calendar days, N business days or N hours
→ capped if the rule says so → rolled forward off weekends and holidays if the rule says so.
Late deadlines are flagged, never given legal effect (late determinations stay valid, §6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from openimr.model.case import (
    Application,
    Case,
    DayKind,
    Deadline,
    DeadlineKind,
    ReviewType,
    ServiceMethod,
)
from openimr.model.determination import Decision
from openimr.workflow.calendar import CaliforniaCalendar
from openimr.workflow.rules import DeadlineRule, DeadlineRuleTable, load_deadline_rules

_CALENDARS: dict[tuple[tuple[str, ...], tuple[str, ...] | None], CaliforniaCalendar] = {}


def calendar_for(table: DeadlineRuleTable) -> CaliforniaCalendar:
    """The (cached) business-day calendar configured by a rule table."""
    config = table.calendar
    fri = None if config.saturday_to_friday is None else tuple(sorted(config.saturday_to_friday))
    key = (tuple(sorted(config.exclude_holidays)), fri)
    if key not in _CALENDARS:
        _CALENDARS[key] = CaliforniaCalendar(key[0], fri)
    return _CALENDARS[key]


def compute_deadline(
    rule: DeadlineRule,
    basis_date: date,
    *,
    table: DeadlineRuleTable | None = None,
    service_method: ServiceMethod | None = None,
    cap_date: date | None = None,
    met_on: date | None = None,
    as_of: date | None = None,
    application_id: str | None = None,
    note: str | None = None,
) -> Deadline:
    """Apply one rule to one basis date."""
    table = table or load_deadline_rules()
    cal = calendar_for(table)
    notes = [note] if note else []

    start = basis_date
    extension_days = 0
    if rule.service_extension:
        ext = table.extension_for(service_method)
        if ext is None:
            notes.append("service method unknown: no mail-day extension added")
        elif ext.days:
            if ext.day_kind is DayKind.BUSINESS:
                start = cal.add_business_days(start, ext.days)
            else:
                start = start + timedelta(days=ext.days)
            extension_days = (start - basis_date).days
            if ext.mark != "V":
                notes.append(f"extension for {ext.method.value} service is uncertain ({ext.mark})")

    if rule.day_kind is DayKind.CALENDAR:
        due = start + timedelta(days=rule.amount)
    elif rule.day_kind is DayKind.BUSINESS:
        due = cal.add_business_days(start, rule.amount)
    else:  # hours, counted from the basis day (dates carry no time of day)
        due = start + timedelta(days=math.ceil(rule.amount / 24))

    if rule.cap_calendar_days is not None and cap_date is not None:
        capped = cap_date + timedelta(days=rule.cap_calendar_days)
        if capped < due:
            due = capped
            notes.append(f"capped at {rule.cap_calendar_days} days from {rule.cap_basis}")

    if rule.roll_forward:
        rolled = cal.roll_forward(due)
        if rolled != due:
            why = cal.holiday_name(due) or due.strftime("%A")
            notes.append(f"rolled forward from {due.isoformat()} ({why})")
            due = rolled

    late, days_late = _lateness(due, met_on, as_of)
    return Deadline(
        kind=rule.kind,
        application_id=application_id,
        rule_id=rule.id,
        rule_version=f"{table.version}/{rule.version}",
        basis=rule.basis,
        basis_date=basis_date,
        amount=rule.amount,
        day_kind=rule.day_kind,
        extension_days=extension_days,
        due=due,
        met_on=met_on,
        late=late,
        days_late=days_late,
        citation=rule.citation,
        mark=rule.mark,
        note="; ".join(notes) or None,
    )


def _lateness(due: date, met_on: date | None, as_of: date | None) -> tuple[bool | None, int]:
    if met_on is not None:
        return met_on > due, max(0, (met_on - due).days)
    if as_of is not None and as_of > due:
        return True, (as_of - due).days
    return None, 0


def select_rule(
    table: DeadlineRuleTable,
    kind: DeadlineKind,
    era_date: date,
    review_type: ReviewType,
    noarfi_channel: ServiceMethod | None = None,
) -> DeadlineRule | None:
    """The rule of `kind` in force on `era_date` for this track (and NOARFI channel)."""
    for rule in table.rules:
        if rule.kind is not kind or not rule.in_force(era_date):
            continue
        if rule.review_types is not None and review_type not in rule.review_types:
            continue
        if rule.noarfi_channels is not None and (
            noarfi_channel is None or noarfi_channel not in rule.noarfi_channels
        ):
            continue
        return rule
    return None


# ----------------------------------------------------------------------------- per application


def application_dates(app: Application) -> dict[str, date]:
    """The basis dates an application provides, by rule-table basis name."""
    out: dict[str, date] = {
        "application_received": app.received_date,
        "application_sent": app.sent_date or app.received_date,
    }
    ur = app.ur_decision
    if ur is not None:
        out["ur_service_date"] = ur.service_date
        out["ur_decision_date"] = ur.decision_date
        info = ur.information_received_date or ur.rfa_received_date
        if info is not None:
            out["ur_information_received"] = info
        if ur.rfa_date is not None:
            out["rfa_date"] = ur.rfa_date
    return out


def application_filing_deadline(
    app: Application, *, table: DeadlineRuleTable | None = None, as_of: date | None = None
) -> Deadline | None:
    """When the application had to be filed (None: no UR decision to count from, or no rule)."""
    table = table or load_deadline_rules()
    dates = application_dates(app)
    rule = select_rule(
        table, DeadlineKind.APPLICATION_FILING, dates["application_received"], app.review_type
    )
    if rule is None or rule.basis not in dates or app.ur_decision is None:
        return None
    met = dates.get(rule.measured_on or "application_received")
    return compute_deadline(
        rule,
        dates[rule.basis],
        table=table,
        service_method=app.ur_decision.service_method,
        met_on=met,
        as_of=as_of,
        application_id=app.application_id,
    )


def receipt_reading_deadline(
    app: Application, *, table: DeadlineRuleTable | None = None
) -> Deadline | None:
    """DWC's public wording: 30 days from the worker's *receipt* of the UR decision (§12).

    Only computable when the actual receipt date is known; otherwise receipt is presumed to
    be service plus the mail days, which is the regulation's reading.
    """
    table = table or load_deadline_rules()
    ur = app.ur_decision
    if ur is None or ur.received_by_worker_date is None:
        return None
    rule = select_rule(table, DeadlineKind.APPLICATION_FILING, app.received_date, app.review_type)
    if rule is None:
        return None
    plain = rule.model_copy(update={"service_extension": None})
    met = application_dates(app).get(rule.measured_on or "application_received")
    return compute_deadline(
        plain,
        ur.received_by_worker_date,
        table=table,
        met_on=met,
        application_id=app.application_id,
        note="DWC public wording: counted from the worker's receipt",
    )


def ur_decision_deadline(
    app: Application, *, table: DeadlineRuleTable | None = None
) -> Deadline | None:
    """When UR had to decide (for the Dubon II check); None when the dates are unknown."""
    table = table or load_deadline_rules()
    ur = app.ur_decision
    if ur is None:
        return None
    dates = application_dates(app)
    rule = select_rule(table, DeadlineKind.UR_DECISION, ur.decision_date, ur.ur_review_type)
    if rule is None or rule.basis not in dates:
        return None
    return compute_deadline(
        rule,
        dates[rule.basis],
        table=table,
        cap_date=dates.get(rule.cap_basis) if rule.cap_basis else None,
        met_on=ur.decision_date,
    )


# ----------------------------------------------------------------------------- per case

_MET_ON = {
    DeadlineKind.NOARFI: "date_assigned",
    DeadlineKind.RECORDS_DUE: "records_complete",
    DeadlineKind.DETERMINATION_DUE: "decision_date",
}

_CASE_KINDS = (
    DeadlineKind.INFORMATION_REPLY,
    DeadlineKind.NOARFI,
    DeadlineKind.RECORDS_DUE,
    DeadlineKind.DETERMINATION_DUE,
    DeadlineKind.IMPLEMENT_AUTHORIZE,
    DeadlineKind.IMPLEMENT_REIMBURSE,
    DeadlineKind.APPEAL_WINDOW,
)


def case_dates(case: Case) -> dict[str, date]:
    out = application_dates(case.primary)
    out["application_received"] = case.application_received
    optional = {
        "information_requested": case.information_requested_at,
        "eligibility_decided": case.eligibility_decided_at,
        "date_assigned": case.date_assigned,
        "records_complete": case.records_complete_at,
        "decision_date": case.decision_date,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


def case_deadlines(
    case: Case, *, as_of: date | None = None, table: DeadlineRuleTable | None = None
) -> list[Deadline]:
    """Every deadline that has started for this case, with lateness as of `as_of`.

    The determination clock starts when records are complete; before that it is projected
    from the records due date (and says so in its note).
    """
    table = table or load_deadline_rules()
    out: list[Deadline] = []
    for app in case.applications:
        filing = application_filing_deadline(app, table=table, as_of=as_of)
        if filing is not None:
            out.append(filing)

    dates = case_dates(case)
    overturned = any(i.outcome is Decision.OVERTURNED for i in case.disputed_items)
    for kind in _CASE_KINDS:
        deadline = _case_deadline(case, kind, dates, overturned, table, as_of)
        if deadline is not None:
            out.append(deadline)
            if kind is DeadlineKind.RECORDS_DUE:
                dates.setdefault("records_due_projection", deadline.due)
    return out


def _case_deadline(
    case: Case,
    kind: DeadlineKind,
    dates: dict[str, date],
    overturned: bool,
    table: DeadlineRuleTable,
    as_of: date | None,
) -> Deadline | None:
    era_key = table.era_key_for(kind)
    era = dates.get(era_key) if era_key else None
    channel = case.noarfi_channel or ServiceMethod.MAIL
    rule = select_rule(table, kind, era, case.review_type, channel) if era else None
    if rule is None or (rule.requires_overturned and not overturned):
        return None
    note = None
    if rule.noarfi_channels is not None and case.noarfi_channel is None:
        note = "NOARFI channel unknown: mail assumed"
    basis = dates.get(rule.basis)
    if basis is None and rule.basis == "records_complete" and "records_due_projection" in dates:
        basis = dates["records_due_projection"]
        projected = "projected: records not yet complete, counted from the records due date"
        note = f"{note}; {projected}" if note else projected
    if basis is None:
        return None
    met_key = _MET_ON.get(kind)
    method = case.determination_service_method if rule.service_extension else None
    return compute_deadline(
        rule,
        basis,
        table=table,
        service_method=method,
        met_on=dates.get(met_key) if met_key else None,
        as_of=as_of,
        note=note,
    )


def late_deadlines(deadlines: Iterable[Deadline]) -> list[Deadline]:
    """The deadlines that were missed (met late, or past due and unmet)."""
    return [d for d in deadlines if d.late]


# ----------------------------------------------------------------------------- DWC timeliness


class Timeliness(BaseModel):
    """DWC's two measures for one case (§10): days to the FDL from NOARFI and from records."""

    model_config = ConfigDict(extra="forbid")

    age_from_assigned: int | None = None
    age_from_complete_records: int | None = None


class TimelinessSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: int
    decided: int
    average_age_from_assigned: float | None
    average_age_from_complete_records: float | None


def timeliness(case: Case) -> Timeliness:
    """None where a date is missing (not decided yet, or records never completed)."""
    end = case.decision_date
    if end is None:
        return Timeliness()
    return Timeliness(
        age_from_assigned=(end - case.date_assigned).days if case.date_assigned else None,
        age_from_complete_records=(
            (end - case.records_complete_at).days if case.records_complete_at else None
        ),
    )


def timeliness_summary(cases: Sequence[Case]) -> TimelinessSummary:
    """Averages over the decided cases, each measure over the cases that have it."""
    per_case = [timeliness(c) for c in cases]
    assigned = [t.age_from_assigned for t in per_case if t.age_from_assigned is not None]
    records = [
        t.age_from_complete_records for t in per_case if t.age_from_complete_records is not None
    ]
    return TimelinessSummary(
        cases=len(cases),
        decided=sum(1 for c in cases if c.decision_date is not None),
        average_age_from_assigned=sum(assigned) / len(assigned) if assigned else None,
        average_age_from_complete_records=sum(records) / len(records) if records else None,
    )
