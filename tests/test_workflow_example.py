"""The bundled workflow examples run through intake → eligibility → deadlines → matching."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openimr.model.case import Application, Case, CaseStatus, DeadlineKind, ServiceMethod
from openimr.workflow.deadlines import case_deadlines
from openimr.workflow.eligibility import check_eligibility
from openimr.workflow.lifecycle import apply_eligibility, transition
from openimr.workflow.matching import match_reviewers
from openimr.workflow.redaction import redact_text
from openimr.workflow.roster import read_roster

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "workflow"


def test_example_application_end_to_end() -> None:
    app = Application.model_validate(json.loads((EXAMPLES / "application.json").read_text()))
    result = check_eligibility(app, as_of=date(2016, 3, 29))
    assert result.eligible, result.codes
    case = apply_eligibility(Case(applications=[app]), result, date(2016, 3, 29))
    case = transition(case, CaseStatus.ASSIGNED, date(2016, 3, 30)).model_copy(
        update={"date_assigned": date(2016, 3, 30), "noarfi_channel": ServiceMethod.MAIL}
    )
    due = {d.kind: d.due for d in case_deadlines(case)}
    assert due[DeadlineKind.NOARFI] == date(2016, 3, 30)  # 1 business day after 29 Mar
    assert due[DeadlineKind.RECORDS_DUE] == date(2016, 4, 14)  # mailed NOARFI: + 15 days

    matched = match_reviewers(case, read_roster(EXAMPLES / "roster.csv"))
    assert matched.best is not None and matched.best.reviewer_id == "R-ORTH-02"

    letter = (
        "Robin Alvarez (claim GP-55-1234) was treated by Dr. Nolan at Harborview; "
        "Apex UR denied the request."
    )
    public = redact_text(letter, case).text
    leaked = ["Alvarez", "Robin", "GP-55", "Nolan", "Harborview", "Apex"]
    assert not any(w in public for w in leaked), public
