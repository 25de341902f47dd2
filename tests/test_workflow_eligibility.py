"""Eligibility screen (imr-process.md §2.5, §2.6, §11.4): every reason, in order, all reported."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openimr.errors import IneligibleApplication
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    DisputedItem,
    EligibilityCode,
    EligibilityOutcome,
    Party,
    PartyKind,
    PartyRole,
    ReviewType,
    Route,
    ServiceMethod,
    UrAction,
    UrDecision,
)
from openimr.model.determination import Decision
from openimr.workflow.eligibility import (
    check_eligibility,
    effective_review_type,
    load_eligibility_rules,
    require_eligible,
)

WORKER = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Robin T. Alvarez")
PHYSICIAN = Party(
    role=PartyRole.REQUESTING_PHYSICIAN, kind=PartyKind.PERSON, name="Dr. Casey Nolan, M.D."
)
INSURER = Party(role=PartyRole.INSURER, name="Golden Poppy Insurance Co.")

UR_DATE = date(2016, 3, 1)  # Tuesday


def ur(**kw: Any) -> UrDecision:
    values: dict[str, Any] = {
        "decision_date": UR_DATE,
        "action": UrAction.DENY,
        "service_method": ServiceMethod.MAIL,
        "rfa_date": date(2016, 2, 22),
        "rfa_received_date": date(2016, 2, 23),
    }
    values.update(kw)
    return UrDecision(**values)


def application(**kw: Any) -> Application:
    values: dict[str, Any] = {
        "application_id": "APP-1",
        "received_date": date(2016, 3, 20),
        "date_of_injury": date(2015, 6, 1),
        "claim_number": "GP-55-1234",
        "parties": [WORKER, PHYSICIAN, INSURER],
        "disputed_items": [
            DisputedItem(text_as_requested="Physical therapy 2x6 lumbar spine"),
            DisputedItem(text_as_requested="Lidocaine patch 5% #30"),
        ],
        "ur_decision": ur(),
        "signed": True,
        "signed_by_role": PartyRole.INJURED_WORKER,
    }
    values.update(kw)
    return Application(**values)


def check(app: Application, **kw: Any) -> Any:
    return check_eligibility(app, as_of=date(2016, 4, 15), **kw)


def test_clean_application_is_eligible() -> None:
    result = check(application())
    assert result.outcome is EligibilityOutcome.ELIGIBLE
    assert result.reasons == []
    assert result.eligible_items == [0, 1]
    assert result.checks_run[:2] == ["duplicate", "scope_dates"]
    require_eligible(result)  # does not raise


def test_check_order_follows_section_11_4() -> None:
    order = load_eligibility_rules().order
    expected = [
        "duplicate",
        "scope_dates",
        "signature",
        "ur_attached",
        "timeliness",
        "cnc",
        "ur_timeliness",
        "prior_imr",
        "liability",
    ]
    assert [name for name in order if name in expected] == expected


def test_unsigned() -> None:
    result = check(application(signed=False, signed_by_role=None))
    assert result.codes == [EligibilityCode.NO_SIGNATURE]
    assert result.outcome is EligibilityOutcome.INELIGIBLE


def test_signed_by_the_employer_side_is_not_an_eligible_filer() -> None:
    result = check(application(signed_by_role=PartyRole.CLAIMS_ADMINISTRATOR))
    assert result.codes == [EligibilityCode.NOT_ELIGIBLE_FILER]
    assert result.outcome is EligibilityOutcome.INELIGIBLE


# ------------------------------------------------------------------ timeliness and mail days


@pytest.mark.parametrize(
    ("method", "received", "late"),
    [
        # mailed 1 Mar 2016: 30 days + 5 mail days = 5 Apr 2016 (Tuesday)
        (ServiceMethod.MAIL, date(2016, 4, 5), False),
        (ServiceMethod.MAIL, date(2016, 4, 6), True),  # one day late is fatal (Avila)
        # personal service: no mail days, 31 Mar 2016 is Cesar Chavez Day → 1 Apr 2016
        (ServiceMethod.PERSONAL, date(2016, 4, 1), False),
        (ServiceMethod.PERSONAL, date(2016, 4, 4), True),
    ],
)
def test_timeliness_with_mail_days(method: ServiceMethod, received: date, late: bool) -> None:
    result = check(application(ur_decision=ur(service_method=method), received_date=received))
    assert (EligibilityCode.UNTIMELY in result.codes) is late
    expected = EligibilityOutcome.INELIGIBLE if late else EligibilityOutcome.ELIGIBLE
    assert result.outcome is expected


def test_untimely_message_names_the_mail_days() -> None:
    result = check(application(received_date=date(2016, 4, 6)))
    (reason,) = result.reasons
    assert reason.code is EligibilityCode.UNTIMELY
    assert "2016-04-05" in reason.message and "5 days for service by mail" in reason.message


def test_receipt_reading_differs_is_a_warning_not_a_reason() -> None:
    # worker actually received it on 10 Mar: DWC's public wording gives 9 Apr (Sat) → 11 Apr
    app = application(
        ur_decision=ur(received_by_worker_date=date(2016, 3, 10)), received_date=date(2016, 4, 8)
    )
    result = check(app)
    assert EligibilityCode.UNTIMELY in result.codes
    assert [w.code for w in result.warnings] == [EligibilityCode.FILING_WORDING_DIFFERS]
    assert "timely under the second" in result.warnings[0].message


def test_2013_rule_measures_the_sending_date() -> None:
    app = application(
        ur_decision=ur(decision_date=date(2013, 9, 3), rfa_date=None, rfa_received_date=None),
        date_of_injury=date(2013, 2, 1),
        sent_date=date(2013, 10, 7),  # 3 Sep + 35 = 8 Oct
        received_date=date(2013, 10, 11),
    )
    assert EligibilityCode.UNTIMELY not in check(app).codes
    late = app.model_copy(update={"sent_date": date(2013, 10, 9)})
    assert EligibilityCode.UNTIMELY in check(late).codes


# ------------------------------------------------------------------ UR decision missing


def test_ur_decision_missing_after_april_2014_is_ineligible() -> None:
    result = check(application(ur_decision=None))
    assert result.codes == [EligibilityCode.NO_UR_ATTACHED]
    assert result.outcome is EligibilityOutcome.INELIGIBLE


def test_ur_decision_missing_before_april_2014_asks_the_parties() -> None:
    app = application(
        ur_decision=None,
        date_of_injury=date(2013, 5, 1),
        received_date=date(2014, 1, 10),
        sent_date=date(2014, 1, 8),
        ur_decision_date_on_form=date(2013, 12, 20),
    )
    result = check(app)
    assert result.codes == [EligibilityCode.NO_UR_ATTACHED]
    assert result.reasons[0].route is Route.ASK_PARTIES
    assert result.outcome is EligibilityOutcome.NEEDS_INFORMATION


def test_ur_missing_and_late_by_the_form_date_reports_both() -> None:
    app = application(ur_decision=None, ur_decision_date_on_form=date(2016, 1, 4))
    assert check(app).codes == [EligibilityCode.NO_UR_ATTACHED, EligibilityCode.UNTIMELY]


# ------------------------------------------------------------------ CNC


def test_conditional_non_certification_of_the_whole_decision() -> None:
    result = check(application(ur_decision=ur(action=UrAction.CNC)))
    assert result.codes == [EligibilityCode.CNC_DECISION]
    assert result.outcome is EligibilityOutcome.INELIGIBLE
    assert result.eligible_items == []


def test_cnc_on_one_item_removes_that_item_only() -> None:
    items = [
        DisputedItem(text_as_requested="Physical therapy 2x6 lumbar spine"),
        DisputedItem(text_as_requested="MRI lumbar spine", information_not_received=True),
    ]
    result = check(application(disputed_items=items))
    assert result.codes == [EligibilityCode.CNC_DECISION]
    assert result.reasons[0].item_index == 1
    assert result.eligible_items == [0]
    assert result.outcome is EligibilityOutcome.ELIGIBLE


# ------------------------------------------------------------------ prior IMR


def prior_case(status: CaseStatus, **app_kw: Any) -> Case:
    return Case(
        case_number="CM16-0012345",
        applications=[application(application_id="APP-0", **app_kw)],
        status=status,
        decision_date=date(2016, 4, 1),
    )


def test_prior_imr_on_the_same_treatment() -> None:
    prior = prior_case(
        CaseStatus.DETERMINED,
        disputed_items=[DisputedItem(text_as_requested="physical therapy 2X6 lumbar  spine")],
    )
    result = check(application(), prior_cases=[prior])
    assert result.codes == [EligibilityCode.PRIOR_IMR_SAME_TREATMENT]
    assert result.reasons[0].item_index == 0
    assert "CM16-0012345" in result.reasons[0].message
    assert result.eligible_items == [1]


def test_prior_imr_that_was_withdrawn_does_not_count() -> None:
    prior = prior_case(CaseStatus.WITHDRAWN)
    assert check(application(), prior_cases=[prior]).codes == []


def test_upheld_within_twelve_months_is_a_warning_for_staff() -> None:
    items = [DisputedItem(text_as_requested="Lidocaine patch 5% #30", outcome=Decision.UPHELD)]
    prior = prior_case(
        CaseStatus.CLOSED, disputed_items=items, ur_decision=ur(decision_date=date(2016, 1, 5))
    )
    later = application(
        ur_decision=ur(
            decision_date=date(2016, 5, 2), rfa_date=None, rfa_received_date=date(2016, 4, 27)
        ),
        received_date=date(2016, 5, 20),
    )
    result = check(later, prior_cases=[prior])
    assert result.codes == []
    assert [w.code for w in result.warnings] == [EligibilityCode.PRIOR_IMR_SAME_TREATMENT]


# ------------------------------------------------------------------ scope dates


def test_outside_scope_dates() -> None:
    app = application(
        date_of_injury=date(2012, 8, 1),
        ur_decision=ur(decision_date=date(2013, 5, 10), rfa_date=None, rfa_received_date=None),
        received_date=date(2013, 5, 30),
        sent_date=date(2013, 5, 28),
    )
    assert check(app).codes == [EligibilityCode.OUTSIDE_SCOPE_DATES]


def test_old_injury_with_ur_after_july_2013_is_in_scope() -> None:
    app = application(date_of_injury=date(2010, 8, 1))
    assert check(app).codes == []


def test_formulary_dispute_before_2018_is_outside_scope() -> None:
    app = application(review_type=ReviewType.FORMULARY)
    assert EligibilityCode.OUTSIDE_SCOPE_DATES in check(app).codes


# ------------------------------------------------------------------ liability, UR timeliness


def test_liability_disputed_is_deferred() -> None:
    result = check(application(liability_disputed=True))
    assert result.codes == [EligibilityCode.LIABILITY_DISPUTED]
    assert result.reasons[0].route is Route.DEFER
    assert result.outcome is EligibilityOutcome.DEFERRED_LIABILITY


def test_liability_disputed_but_claims_administrator_agrees() -> None:
    app = application(liability_disputed=True, claims_administrator_agrees_eligible=True)
    assert check(app).outcome is EligibilityOutcome.ELIGIBLE


def test_untimely_ur_goes_to_the_wcab() -> None:
    # RFA received Tue 23 Feb 2016: 5 business days → Tue 1 Mar; decided 3 Mar
    result = check(application(ur_decision=ur(decision_date=date(2016, 3, 3))))
    assert result.codes == [EligibilityCode.UR_UNTIMELY]
    assert result.reasons[0].route is Route.WCAB
    assert result.outcome is EligibilityOutcome.INELIGIBLE


# ------------------------------------------------------------------ all reasons, in order


def test_every_failing_reason_is_reported_in_order() -> None:
    prior = prior_case(CaseStatus.DETERMINED)
    app = application(
        signed=False,
        signed_by_role=None,
        received_date=date(2016, 4, 6),
        ur_decision=ur(action=UrAction.CNC),
        liability_disputed=True,
    )
    result = check(app, prior_cases=[prior])
    assert result.codes == [
        EligibilityCode.NO_SIGNATURE,
        EligibilityCode.UNTIMELY,
        EligibilityCode.CNC_DECISION,
        EligibilityCode.PRIOR_IMR_SAME_TREATMENT,
        EligibilityCode.PRIOR_IMR_SAME_TREATMENT,
        EligibilityCode.LIABILITY_DISPUTED,
    ]
    assert result.outcome is EligibilityOutcome.INELIGIBLE
    with pytest.raises(IneligibleApplication) as err:
        require_eligible(result)
    assert len(err.value.reasons) == 6
    assert err.value.reasons[0].startswith("NO_SIGNATURE")


def test_duplicate_is_screened_first() -> None:
    first = application(application_id="APP-0")
    again = application(application_id="APP-2", signed=False)
    result = check(again, existing=[first])
    assert result.codes[0] is EligibilityCode.DUPLICATE
    assert result.outcome is EligibilityOutcome.DUPLICATE


def test_different_worker_is_not_a_duplicate() -> None:
    other_worker = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Sam Alvarez")
    first = application(application_id="APP-0", parties=[other_worker, PHYSICIAN])
    assert check(application(), existing=[first]).codes == []


def test_2013_rule_without_sending_date_asks_for_it() -> None:
    app = application(
        ur_decision=ur(decision_date=date(2013, 9, 3), rfa_date=None, rfa_received_date=None),
        date_of_injury=date(2013, 2, 1),
        received_date=date(2013, 10, 7),
    )
    result = check(app)
    assert result.codes == [EligibilityCode.MISSING_INFORMATION]
    assert result.outcome is EligibilityOutcome.NEEDS_INFORMATION
    assert "cannot decide: missing date the application was sent" in result.reasons[0].message


def test_missing_dates_say_cannot_decide() -> None:
    app = application(ur_decision=ur(rfa_date=None, rfa_received_date=None))
    result = check(app)
    assert result.outcome is EligibilityOutcome.ELIGIBLE
    assert [w.code for w in result.warnings] == [EligibilityCode.MISSING_INFORMATION]
    assert "cannot" in result.warnings[0].message or "not checked" in result.warnings[0].message


# ------------------------------------------------------------------ regular vs expedited


def test_regular_stays_regular() -> None:
    result = check(application())
    assert result.review_type is ReviewType.REGULAR and result.review_type_note is None


def test_expedited_needs_the_physician_certification() -> None:
    track, note = effective_review_type(application(review_type=ReviewType.EXPEDITED))
    assert track is ReviewType.REGULAR and note is not None
    certified = application(review_type=ReviewType.EXPEDITED, expedited_certification=True)
    assert effective_review_type(certified) == (ReviewType.EXPEDITED, None)


def test_regular_with_certification_is_converted() -> None:
    result = check(application(expedited_certification=True))
    assert result.review_type is ReviewType.EXPEDITED
    assert result.review_type_note is not None and "converted" in result.review_type_note
