"""Eligibility screen for an IMR application (imr-process.md §2, §11.4).

Checks run in the order of data/eligibility_rules.yaml and every failing reason is reported.
Reasons about one disputed item remove that item only; reasons about the application make it
ineligible (or deferred, or waiting for information) as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from openimr.errors import IneligibleApplication
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    DisputedItem,
    EligibilityCode,
    EligibilityOutcome,
    EligibilityReason,
    EligibilityResult,
    PartyRole,
    ReviewType,
    Route,
    ServiceMethod,
    UrAction,
    UrDecision,
)
from openimr.model.determination import Decision
from openimr.workflow.deadlines import (
    application_filing_deadline,
    receipt_reading_deadline,
    ur_decision_deadline,
)
from openimr.workflow.names import NameMatch, fold, match_people
from openimr.workflow.rules import (
    DeadlineRuleTable,
    load_deadline_rules,
    read_yaml,
    validate_table,
)

# ----------------------------------------------------------------------------- rule data


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeDates(_Strict):
    injury_on_or_after: date
    ur_communicated_on_or_after: date
    formulary_on_or_after: date


class ReasonTemplate(_Strict):
    code: EligibilityCode | None = None
    rule: str
    mark: str = Field(pattern=r"^[VSRU]$")
    message: str


class EligibilityRules(_Strict):
    schema_: str = Field(alias="schema", pattern=r"^openimr\.eligibility-rules/1$")
    version: str
    order: list[str]
    scope: ScopeDates
    ur_reminder_letters_until: date
    delay_disputable_until: date
    ur_decision_life_days: int = Field(ge=0)
    eligible_filers: list[PartyRole]
    reasons: dict[str, ReasonTemplate]

    @model_validator(mode="after")
    def _known(self) -> EligibilityRules:
        unknown = [name for name in self.order if name not in CHECKS]
        if unknown:
            raise ValueError(f"unknown checks in order: {unknown}")
        missing = [name for name in CHECKS if name not in self.order]
        if missing:
            raise ValueError(f"checks missing from order: {missing}")
        for key, template in self.reasons.items():
            if template.code is None and key not in EligibilityCode.__members__:
                raise ValueError(f"reason {key} needs a code")
        return self


@lru_cache(maxsize=1)
def load_eligibility_rules() -> EligibilityRules:
    name = "eligibility_rules.yaml"
    return validate_table(EligibilityRules, read_yaml(name, name), name)


# ----------------------------------------------------------------------------- context


@dataclass
class _Screen:
    app: Application
    existing: Sequence[Application]
    prior_cases: Sequence[Case]
    rules: EligibilityRules
    deadline_rules: DeadlineRuleTable
    reasons: list[EligibilityReason] = field(default_factory=list)
    warnings: list[EligibilityReason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    excluded_items: set[int] = field(default_factory=set)

    def reason(
        self, key: str, *, route: Route = Route.NONE, item: int | None = None, **values: Any
    ) -> EligibilityReason:
        template = self.rules.reasons[key]
        return EligibilityReason(
            code=template.code or EligibilityCode(key),
            message=template.message.format(**values),
            rule=template.rule,
            mark=template.mark,
            route=route,
            application_id=self.app.application_id,
            item_index=item,
        )

    def fail(self, key: str, **kw: Any) -> None:
        reason = self.reason(key, **kw)
        self.reasons.append(reason)
        if reason.item_index is not None:
            self.excluded_items.add(reason.item_index)

    def warn(self, key: str, **kw: Any) -> None:
        self.warnings.append(self.reason(key, **kw))


def _item_label(index: int, item: DisputedItem) -> str:
    return f"item {index + 1}"


def item_key(item: DisputedItem) -> str:
    """What makes two disputed items "the same treatment": the normalized id, else the text."""
    if item.normalized_treatment_id:
        return "id:" + item.normalized_treatment_id.casefold()
    return "text:" + " ".join(re.sub(r"[^a-z0-9%.]+", " ", fold(item.text_as_requested)).split())


def same_worker(a: Application, b: Application) -> bool:
    """Same injured worker: names match and, where both are given, claim number and birth date."""
    wa, wb = a.worker, b.worker
    if wa is None or wb is None or match_people(wa.name, wb.name) is not NameMatch.EXACT:
        return False
    if a.claim_number and b.claim_number and _ident(a.claim_number) != _ident(b.claim_number):
        return False
    return not (a.date_of_birth and b.date_of_birth and a.date_of_birth != b.date_of_birth)


def _ident(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def _ur_date(app: Application) -> date | None:
    ur = app.ur_decision
    if ur is not None:
        return ur.decision_date
    return app.ur_decision_date_on_form


# ----------------------------------------------------------------------------- checks


def is_duplicate(a: Application, b: Application) -> bool:
    """Same worker, same UR decision date and the same set of disputed treatments."""
    if a.application_id == b.application_id or not same_worker(a, b):
        return False
    if _ur_date(a) != _ur_date(b):
        return False
    mine = {item_key(i) for i in a.disputed_items}
    return bool(mine) and mine == {item_key(i) for i in b.disputed_items}


def _check_duplicate(s: _Screen) -> None:
    for other in s.existing:
        if is_duplicate(s.app, other):
            ur_date = _ur_date(s.app)
            s.fail("DUPLICATE", other=other.application_id, ur_date=ur_date or "unknown date")
            return


def _check_scope(s: _Screen) -> None:
    scope = s.rules.scope
    ur = s.app.ur_decision
    communicated = (ur.communicated_to_physician_date or ur.decision_date) if ur else None
    communicated = communicated or s.app.ur_decision_date_on_form
    if s.app.date_of_injury < scope.injury_on_or_after:
        if communicated is None:
            s.missing.append("date the UR decision was communicated (injury before 2013)")
        elif communicated < scope.ur_communicated_on_or_after:
            s.fail(
                "OUTSIDE_SCOPE_DATES",
                detail=(
                    f"injury of {s.app.date_of_injury} is before {scope.injury_on_or_after} and "
                    f"the UR decision of {communicated} is before "
                    f"{scope.ur_communicated_on_or_after}"
                ),
            )
    if (
        s.app.review_type is ReviewType.FORMULARY
        and communicated is not None
        and communicated < scope.formulary_on_or_after
    ):
        s.fail(
            "OUTSIDE_SCOPE_DATES",
            detail=(
                f"formulary dispute on a UR decision of {communicated}, before formulary "
                f"disputes came under IMR on {scope.formulary_on_or_after}"
            ),
        )


def _check_signature(s: _Screen) -> None:
    if not s.app.signed:
        s.fail("NO_SIGNATURE")
        return
    role = s.app.signed_by_role
    if role is not None and role not in s.rules.eligible_filers:
        s.fail("NOT_ELIGIBLE_FILER", role=role.value.replace("_", " "))


def _check_ur_attached(s: _Screen) -> None:
    if s.app.ur_decision is not None:
        return
    if s.app.received_date <= s.rules.ur_reminder_letters_until:
        s.fail("NO_UR_ATTACHED_REMINDER", route=Route.ASK_PARTIES)
    else:
        s.fail("NO_UR_ATTACHED")


def _check_timeliness(s: _Screen) -> None:
    app = s.app
    if app.ur_decision is None and app.ur_decision_date_on_form is not None:
        # UR copy missing: count from the date on the form, with mail days (the lenient
        # reading), so an application late even then is reported late as well
        stand_in = UrDecision(
            decision_date=app.ur_decision_date_on_form,
            action=UrAction.DENY,
            service_method=ServiceMethod.MAIL,
        )
        app = app.model_copy(update={"ur_decision": stand_in})
    filing = application_filing_deadline(app, table=s.deadline_rules)
    if filing is None:  # no UR date at all: NO_UR_ATTACHED already says why
        return
    rule = next(r for r in s.deadline_rules.rules if r.id == filing.rule_id)
    measured = "sent" if rule.measured_on == "application_sent" else "received"
    if rule.measured_on == "application_sent" and s.app.sent_date is None:
        s.missing.append("date the application was sent (2013 rule; receipt date used meanwhile)")
    if filing.late:
        ext = (
            f" + {filing.extension_days} days for service by mail" if filing.extension_days else ""
        )
        s.fail(
            "UNTIMELY",
            measured=measured,
            met=filing.met_on,
            due=filing.due,
            days=filing.amount,
            basis=filing.basis_date,
            ext=ext,
        )
    receipt = receipt_reading_deadline(app, table=s.deadline_rules)
    if receipt is not None and receipt.due != filing.due:
        s.warn(
            "FILING_WORDING_DIFFERS",
            due_service=filing.due,
            due_receipt=receipt.due,
            verdict_service="late" if filing.late else "timely",
            verdict_receipt="late" if receipt.late else "timely",
        )


def _check_cnc(s: _Screen) -> None:
    ur = s.app.ur_decision
    if ur is not None and ur.action is UrAction.CNC:
        s.fail("CNC_DECISION", what="the UR decision")
        s.excluded_items.update(range(len(s.app.disputed_items)))
        return
    for index, item in enumerate(s.app.disputed_items):
        if item.ur_action is UrAction.CNC or item.information_not_received:
            s.fail("CNC_DECISION", item=index, what=_item_label(index, item))


def _check_disputed_treatment(s: _Screen) -> None:
    if not s.app.disputed_items:
        s.missing.append("the disputed treatment (no item listed)")
        return
    ur = s.app.ur_decision
    if ur is not None and not ur.medical_necessity_basis:
        s.fail("NOT_MEDICAL_NECESSITY")
    ur_date = _ur_date(s.app)
    for index, item in enumerate(s.app.disputed_items):
        action = item.ur_action
        not_disputable = action is UrAction.APPROVE or (
            action is UrAction.DELAY
            and ur_date is not None
            and ur_date > s.rules.delay_disputable_until
        )
        if not_disputable:
            s.fail(
                "NO_DISPUTED_TREATMENT",
                item=index,
                what=_item_label(index, item),
                action=action.value,
            )


def _check_ur_timeliness(s: _Screen) -> None:
    ur = s.app.ur_decision
    if ur is None:
        return
    deadline = ur_decision_deadline(s.app, table=s.deadline_rules)
    if deadline is None:
        s.warn("UR_TIMELINESS_UNKNOWN", what="date the RFA (or requested information) reached UR")
        return
    if deadline.late:
        s.fail("UR_UNTIMELY", route=Route.WCAB, met=ur.decision_date, due=deadline.due)


_NOT_A_REQUEST = {
    CaseStatus.DUPLICATE,
    CaseStatus.INELIGIBLE,
    CaseStatus.WITHDRAWN,
    CaseStatus.CONSOLIDATED,
    CaseStatus.TERMINATED,
}
_DECIDED = {CaseStatus.DETERMINED, CaseStatus.APPEALED, CaseStatus.CLOSED}


def _check_prior_imr(s: _Screen) -> None:
    ur_date = _ur_date(s.app)
    life = timedelta(days=s.rules.ur_decision_life_days)
    physician = s.app.requesting_physician
    for case in s.prior_cases:
        if case.status in _NOT_A_REQUEST:
            continue
        for other in case.applications:
            if other.application_id == s.app.application_id or not same_worker(s.app, other):
                continue
            keys = {item_key(i): i for i in other.disputed_items}
            other_physician = other.requesting_physician
            same_physician = (
                physician is not None
                and other_physician is not None
                and match_people(physician.name, other_physician.name) is NameMatch.EXACT
            )
            for index, item in enumerate(s.app.disputed_items):
                prior = keys.get(item_key(item))
                if prior is None:
                    continue
                label = case.case_number or other.application_id
                if _ur_date(other) == ur_date:
                    s.fail(
                        "PRIOR_IMR_SAME_TREATMENT",
                        item=index,
                        what=_item_label(index, item),
                        other=label,
                    )
                elif (
                    case.status in _DECIDED
                    and prior.outcome is Decision.UPHELD
                    and same_physician
                    and case.decision_date is not None
                    and ur_date is not None
                    and case.decision_date <= ur_date <= case.decision_date + life
                ):
                    s.warn(
                        "UR_DECISION_IN_EFFECT",
                        item=index,
                        what=_item_label(index, item),
                        other=label,
                        decided=case.decision_date,
                    )


def _check_liability(s: _Screen) -> None:
    if s.app.liability_disputed and not s.app.claims_administrator_agrees_eligible:
        s.fail("LIABILITY_DISPUTED", route=Route.DEFER)


CHECKS: dict[str, Callable[[_Screen], None]] = {
    "duplicate": _check_duplicate,
    "scope_dates": _check_scope,
    "signature": _check_signature,
    "ur_attached": _check_ur_attached,
    "timeliness": _check_timeliness,
    "cnc": _check_cnc,
    "disputed_treatment": _check_disputed_treatment,
    "ur_timeliness": _check_ur_timeliness,
    "prior_imr": _check_prior_imr,
    "liability": _check_liability,
}


# ----------------------------------------------------------------------------- review track


def effective_review_type(app: Application) -> tuple[ReviewType, str | None]:
    """The track an application runs on, and a note when it differs from the form (§2.6).

    Expedited needs the treating physician's written certification of an imminent and serious
    threat to health, with supporting documents; a ticked box alone runs as regular.
    Formulary disputes keep their own clock. A regular application with a certification on
    file runs as expedited (the conversion of 9792.10.4(c)).
    """
    if app.review_type is ReviewType.FORMULARY:
        return ReviewType.FORMULARY, None
    if app.review_type is ReviewType.EXPEDITED and not app.expedited_certification:
        return ReviewType.REGULAR, (
            "expedited box ticked without the physician's written certification: runs as regular"
        )
    if app.review_type is ReviewType.REGULAR and app.expedited_certification:
        return ReviewType.EXPEDITED, (
            "physician's written certification of a serious threat received: converted to expedited"
        )
    return app.review_type, None


# ----------------------------------------------------------------------------- entry points


def check_eligibility(
    app: Application,
    *,
    existing: Sequence[Application] = (),
    prior_cases: Sequence[Case] = (),
    as_of: date | None = None,
    rules: EligibilityRules | None = None,
    deadline_rules: DeadlineRuleTable | None = None,
) -> EligibilityResult:
    """Screen one application against earlier applications and cases; report every reason.

    `existing` are applications already received (for the duplicate screen); `prior_cases`
    are IMR cases already opened for any worker (for the prior-IMR check).
    """
    screen = _Screen(
        app=app,
        existing=existing,
        prior_cases=prior_cases,
        rules=rules or load_eligibility_rules(),
        deadline_rules=deadline_rules or load_deadline_rules(),
    )
    for name in screen.rules.order:
        CHECKS[name](screen)
    if screen.missing:
        screen.reasons.extend(
            screen.reason("MISSING_INFORMATION", route=Route.ASK_PARTIES, what=m)
            for m in screen.missing
        )
    eligible_items = [i for i in range(len(app.disputed_items)) if i not in screen.excluded_items]
    track, track_note = effective_review_type(app)
    return EligibilityResult(
        review_type=track,
        review_type_note=track_note,
        outcome=_outcome(screen, eligible_items),
        reasons=screen.reasons,
        warnings=screen.warnings,
        missing=screen.missing,
        eligible_items=eligible_items,
        checks_run=list(screen.rules.order),
        decided_on=as_of or date.today(),
    )


def _outcome(s: _Screen, eligible_items: list[int]) -> EligibilityOutcome:
    codes = {r.code for r in s.reasons}
    if EligibilityCode.DUPLICATE in codes:
        return EligibilityOutcome.DUPLICATE
    blocking = [
        r
        for r in s.reasons
        if r.item_index is None and r.route not in (Route.DEFER, Route.ASK_PARTIES)
    ]
    if blocking or (s.app.disputed_items and not eligible_items):
        return EligibilityOutcome.INELIGIBLE
    if any(r.route is Route.ASK_PARTIES for r in s.reasons):
        return EligibilityOutcome.NEEDS_INFORMATION
    if any(r.route is Route.DEFER for r in s.reasons):
        return EligibilityOutcome.DEFERRED_LIABILITY
    return EligibilityOutcome.ELIGIBLE


def require_eligible(result: EligibilityResult) -> None:
    """Raise `IneligibleApplication` with every reason unless the outcome is ELIGIBLE."""
    if not result.eligible:
        reasons = [f"{r.code.value}: {r.message}" for r in result.reasons]
        raise IneligibleApplication(reasons=reasons or [result.outcome.value])
