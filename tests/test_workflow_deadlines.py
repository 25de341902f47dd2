"""Deadline calculator (imr-process.md §2.3, §3.1, §6, §10, §11.3) and the California calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openimr.errors import RuleTableError
from openimr.model.case import (
    Application,
    Case,
    DayKind,
    Deadline,
    DeadlineKind,
    DisputedItem,
    Party,
    PartyKind,
    PartyRole,
    ReviewType,
    ServiceMethod,
    UrAction,
    UrDecision,
)
from openimr.model.determination import Decision
from openimr.workflow.calendar import CaliforniaCalendar
from openimr.workflow.deadlines import (
    application_filing_deadline,
    calendar_for,
    case_deadlines,
    late_deadlines,
    timeliness,
    timeliness_summary,
    ur_decision_deadline,
)
from openimr.workflow.rules import load_deadline_rules

CAL = calendar_for(load_deadline_rules())


def app(**kw: Any) -> Application:
    values: dict[str, Any] = {
        "application_id": "APP-1",
        "received_date": date(2016, 3, 20),
        "date_of_injury": date(2015, 6, 1),
        "parties": [
            Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Robin Alvarez")
        ],
        "disputed_items": [DisputedItem(text_as_requested="Physical therapy x6")],
        "ur_decision": UrDecision(decision_date=date(2016, 3, 1), action=UrAction.DENY),
        "signed": True,
    }
    values.update(kw)
    return Application(**values)


def case(**kw: Any) -> Case:
    apps = kw.pop("applications", None) or [app()]
    return Case(applications=apps, **kw)


def by_kind(deadlines: list[Deadline]) -> dict[DeadlineKind, Deadline]:
    return {d.kind: d for d in deadlines}


# ------------------------------------------------------------------ calendar


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2016, 3, 31), "Cesar Chavez Day"),
        (date(2019, 4, 1), "Cesar Chavez Day (observed)"),  # 31 Mar 2019 was a Sunday
        (date(2024, 4, 1), "Cesar Chavez Day (observed)"),
        (date(2016, 12, 26), "Christmas Day (observed)"),  # Sunday → Monday
        (date(2017, 1, 2), "New Year's Day (observed)"),
        (date(2021, 7, 5), "Independence Day (observed)"),
        (date(2017, 11, 10), "Veterans Day (observed)"),  # Saturday → Friday (Gov Code 6701)
        (date(2016, 11, 25), "Day After Thanksgiving"),
        (date(2016, 2, 15), "Presidents' Day"),
    ],
)
def test_california_state_holidays(day: date, holiday: str) -> None:
    assert CAL.holiday_name(day) == holiday
    assert not CAL.is_business_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2021, 12, 31),  # federal observed day of a Saturday New Year's Day: not CA
        date(2021, 12, 24),  # federal observed Christmas: not CA
        date(2017, 2, 15),  # Susan B. Anthony Day: commemorative, offices open
        date(2024, 6, 19),  # Juneteenth: optional for state employees
        date(2016, 10, 10),  # Columbus Day: dropped for state offices after 2008
    ],
)
def test_days_that_stay_business_days(day: date) -> None:
    assert CAL.is_business_day(day), CAL.holiday_name(day)


def test_library_calendar_without_corrections_keeps_the_federal_friday() -> None:
    raw = CaliforniaCalendar()
    assert not raw.is_business_day(date(2021, 12, 31))


def test_business_day_arithmetic() -> None:
    # Wed 23 Nov 2016 + 2 business days skips Thanksgiving, the day after and the weekend
    assert CAL.add_business_days(date(2016, 11, 23), 2) == date(2016, 11, 29)
    assert CAL.business_days_between(date(2016, 11, 23), date(2016, 11, 29)) == 2
    assert CAL.business_days_between(date(2016, 11, 29), date(2016, 11, 23)) == -2
    assert CAL.roll_forward(date(2016, 12, 24)) == date(2016, 12, 27)
    with pytest.raises(ValueError):
        CAL.add_business_days(date(2016, 1, 4), -1)


# ------------------------------------------------------------------ application filing


@pytest.mark.parametrize(
    ("method", "due", "extension"),
    [
        (ServiceMethod.MAIL, date(2016, 4, 5), 5),  # 1 Mar + 5 + 30
        (ServiceMethod.PERSONAL, date(2016, 4, 1), 0),  # 31 Mar is Cesar Chavez Day
        (ServiceMethod.ELECTRONIC, date(2016, 4, 1), 0),
        (ServiceMethod.FAX, date(2016, 4, 4), 2),  # 2 business days: 3 Mar, + 30 = 2 Apr (Sat)
    ],
)
def test_filing_deadline_by_service_method(
    method: ServiceMethod, due: date, extension: int
) -> None:
    ur = UrDecision(decision_date=date(2016, 3, 1), action=UrAction.DENY, service_method=method)
    deadline = application_filing_deadline(app(ur_decision=ur))
    assert deadline is not None
    assert deadline.due == due
    assert deadline.extension_days == extension
    assert deadline.day_kind is DayKind.CALENDAR


def test_filing_deadline_rolls_off_a_weekend() -> None:
    # served by mail Fri 4 Mar 2016: 4 Mar + 35 = Fri 8 Apr; served 6 Mar (Sun) → 10 Apr (Sun)
    ur = UrDecision(decision_date=date(2016, 3, 6), action=UrAction.DENY)
    deadline = application_filing_deadline(app(ur_decision=ur))
    assert deadline is not None and deadline.due == date(2016, 4, 11)
    assert deadline.note is not None and "Sunday" in deadline.note


def test_filing_deadline_late_flag() -> None:
    late = application_filing_deadline(app(received_date=date(2016, 4, 8)))
    assert late is not None and late.late is True and late.days_late == 3
    ok = application_filing_deadline(app(received_date=date(2016, 4, 5)))
    assert ok is not None and ok.late is False and ok.days_late == 0


def test_no_ur_decision_no_filing_deadline() -> None:
    assert application_filing_deadline(app(ur_decision=None)) is None


def test_ur_decision_deadline_caps_at_14_days() -> None:
    ur = UrDecision(
        decision_date=date(2016, 3, 10),
        action=UrAction.DENY,
        rfa_date=date(2016, 2, 20),
        information_received_date=date(2016, 3, 3),
    )
    deadline = ur_decision_deadline(app(ur_decision=ur))
    assert deadline is not None
    assert deadline.due == date(2016, 3, 5)  # 20 Feb + 14 beats 3 Mar + 5 business days
    assert deadline.late is True


# ------------------------------------------------------------------ case deadlines


def test_noarfi_is_one_business_day_after_eligibility() -> None:
    # eligible Fri 23 Dec 2016: Mon 26 Dec is Christmas observed → Tue 27 Dec
    deadlines = by_kind(case_deadlines(case(eligibility_decided_at=date(2016, 12, 23))))
    assert deadlines[DeadlineKind.NOARFI].due == date(2016, 12, 27)
    assert deadlines[DeadlineKind.NOARFI].day_kind is DayKind.BUSINESS


@pytest.mark.parametrize(
    ("review_type", "channel", "due"),
    [
        (ReviewType.REGULAR, ServiceMethod.MAIL, date(2016, 4, 25)),  # 8 Apr + 15 = Sat → Mon
        (ReviewType.REGULAR, ServiceMethod.ELECTRONIC, date(2016, 4, 20)),  # + 12
        (ReviewType.EXPEDITED, ServiceMethod.ELECTRONIC, date(2016, 4, 9)),  # 24 hours
    ],
)
def test_records_due(review_type: ReviewType, channel: ServiceMethod, due: date) -> None:
    c = case(date_assigned=date(2016, 4, 8), noarfi_channel=channel, review_type=review_type)
    assert by_kind(case_deadlines(c))[DeadlineKind.RECORDS_DUE].due == due


def test_records_due_unknown_channel_assumes_mail_and_says_so() -> None:
    records = by_kind(case_deadlines(case(date_assigned=date(2016, 4, 8))))[
        DeadlineKind.RECORDS_DUE
    ]
    assert records.due == date(2016, 4, 25)
    assert records.note is not None and "mail assumed" in records.note


@pytest.mark.parametrize(
    ("review_type", "due", "day_kind"),
    [
        (ReviewType.REGULAR, date(2018, 5, 20), DayKind.CALENDAR),  # 20 Apr + 30
        (ReviewType.EXPEDITED, date(2018, 4, 23), DayKind.CALENDAR),  # + 3
        (ReviewType.FORMULARY, date(2018, 4, 27), DayKind.BUSINESS),  # 5 working days
    ],
)
def test_determination_due(review_type: ReviewType, due: date, day_kind: DayKind) -> None:
    c = case(
        date_assigned=date(2018, 4, 6),
        records_complete_at=date(2018, 4, 20),
        review_type=review_type,
    )
    determination = by_kind(case_deadlines(c))[DeadlineKind.DETERMINATION_DUE]
    assert determination.due == due
    assert determination.day_kind is day_kind


def test_determination_projected_from_records_due() -> None:
    c = case(date_assigned=date(2016, 4, 8), noarfi_channel=ServiceMethod.ELECTRONIC)
    determination = by_kind(case_deadlines(c))[DeadlineKind.DETERMINATION_DUE]
    assert determination.due == date(2016, 5, 20)  # 20 Apr + 30
    assert determination.note is not None and "projected" in determination.note


def decided_case(outcome: Decision, **kw: Any) -> Case:
    items = [DisputedItem(text_as_requested="Physical therapy x6", outcome=outcome)]
    values: dict[str, Any] = {
        "applications": [app(disputed_items=items)],
        "date_assigned": date(2016, 4, 8),
        "records_complete_at": date(2016, 4, 20),
        "decision_date": date(2016, 5, 10),
        "determination_service_method": ServiceMethod.MAIL,
    }
    values.update(kw)
    return case(**values)


def test_implementation_deadlines_only_when_overturned() -> None:
    upheld = by_kind(case_deadlines(decided_case(Decision.UPHELD)))
    assert DeadlineKind.IMPLEMENT_AUTHORIZE not in upheld
    overturned = by_kind(case_deadlines(decided_case(Decision.OVERTURNED)))
    # mailed Tue 10 May: presumed received 15 May (Sun); + 5 working days → Fri 20 May
    assert overturned[DeadlineKind.IMPLEMENT_AUTHORIZE].due == date(2016, 5, 20)
    assert overturned[DeadlineKind.IMPLEMENT_AUTHORIZE].day_kind is DayKind.BUSINESS
    # + 20 calendar days → Sat 4 Jun → Mon 6 Jun
    assert overturned[DeadlineKind.IMPLEMENT_REIMBURSE].due == date(2016, 6, 6)


def test_appeal_window_with_mail_days_and_holiday() -> None:
    # mailed 10 May: + 5 + 30 = 14 Jun (Tue)
    appeal = by_kind(case_deadlines(decided_case(Decision.UPHELD)))[DeadlineKind.APPEAL_WINDOW]
    assert appeal.due == date(2016, 6, 14)
    assert appeal.extension_days == 5
    # served electronically on 26 Oct 2016: + 30 = 25 Nov (day after Thanksgiving) → 28 Nov
    electronic = decided_case(
        Decision.UPHELD,
        decision_date=date(2016, 10, 26),
        determination_service_method=ServiceMethod.ELECTRONIC,
    )
    assert by_kind(case_deadlines(electronic))[DeadlineKind.APPEAL_WINDOW].due == date(2016, 11, 28)


def test_late_flags() -> None:
    late_case = decided_case(Decision.UPHELD, decision_date=date(2016, 5, 25))
    deadlines = by_kind(case_deadlines(late_case, as_of=date(2016, 6, 1)))
    determination = deadlines[DeadlineKind.DETERMINATION_DUE]
    assert determination.late is True and determination.days_late == 5
    assert deadlines[DeadlineKind.RECORDS_DUE].late is False
    assert deadlines[DeadlineKind.APPEAL_WINDOW].late is None  # still open
    assert DeadlineKind.DETERMINATION_DUE in {d.kind for d in late_deadlines(deadlines.values())}


def test_unmet_and_past_due_is_late() -> None:
    c = case(date_assigned=date(2016, 4, 8), noarfi_channel=ServiceMethod.ELECTRONIC)
    records = by_kind(case_deadlines(c, as_of=date(2016, 4, 25)))[DeadlineKind.RECORDS_DUE]
    assert records.late is True and records.days_late == 5
    early = by_kind(case_deadlines(c, as_of=date(2016, 4, 19)))[DeadlineKind.RECORDS_DUE]
    assert early.late is None


def test_information_reply_is_five_business_days() -> None:
    c = case(information_requested_at=date(2016, 11, 22))
    reply = by_kind(case_deadlines(c))[DeadlineKind.INFORMATION_REPLY]
    assert reply.due == date(2016, 12, 1)  # skips Thanksgiving, the day after, the weekend


def test_deadlines_carry_rule_and_version() -> None:
    for deadline in case_deadlines(decided_case(Decision.OVERTURNED)):
        assert deadline.rule_id and "/" in deadline.rule_version and deadline.citation


# ------------------------------------------------------------------ DWC timeliness measures


def test_two_timeliness_measures() -> None:
    t = timeliness(decided_case(Decision.UPHELD))
    assert t.age_from_assigned == 32  # 8 Apr → 10 May
    assert t.age_from_complete_records == 20  # 20 Apr → 10 May
    undecided = timeliness(case(date_assigned=date(2016, 4, 8)))
    assert undecided.age_from_assigned is None and undecided.age_from_complete_records is None


def test_timeliness_summary_averages_each_measure_over_its_cases() -> None:
    cases = [
        decided_case(Decision.UPHELD),
        decided_case(Decision.UPHELD, records_complete_at=None, decision_date=date(2016, 5, 18)),
        case(date_assigned=date(2016, 4, 8)),
    ]
    summary = timeliness_summary(cases)
    assert summary.cases == 3 and summary.decided == 2
    assert summary.average_age_from_assigned == 36.0  # (32 + 40) / 2
    assert summary.average_age_from_complete_records == 20.0


def test_bad_rule_table_is_a_clear_error(tmp_path: Any) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("schema: openimr.deadline-rules/1\nversion: x\nservice_extensions: []\n")
    with pytest.raises(RuleTableError, match=r"rules\.yaml"):
        load_deadline_rules(bad)
