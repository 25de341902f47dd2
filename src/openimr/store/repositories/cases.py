"""Cases, their applications, parties, disputed items, UR decisions and history.

Rows mirror `openimr.model.case`: `to_application` / `to_case` rebuild the domain records,
so what goes in comes back out unchanged (a test checks the round trip).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from openimr.errors import ConcurrentUpdate, DuplicateRecord, RecordNotFound
from openimr.model.case import (
    Application,
    Case,
    CaseStatus,
    DisputedItem,
    EligibilityResult,
    Party,
    ReviewType,
    ReviewTypeChange,
    ServiceMethod,
    StatusChange,
    UrDecision,
)
from openimr.store.schema import (
    ApplicationRow,
    AssignmentRow,
    CaseRow,
    CaseStatusChangeRow,
    DisputedItemRow,
    EligibilityCheckRow,
    PartyRow,
    ReviewTypeChangeRow,
    UrDecisionRow,
)
from openimr.store.types import utcnow

_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")

#: statuses after which a case takes no further determination work
CLOSED_STATUSES = frozenset(
    {
        CaseStatus.DUPLICATE,
        CaseStatus.INELIGIBLE,
        CaseStatus.DETERMINED,
        CaseStatus.APPEALED,
        CaseStatus.CLOSED,
        CaseStatus.TERMINATED,
        CaseStatus.WITHDRAWN,
        CaseStatus.CONSOLIDATED,
    }
)


def name_key(name: str) -> str:
    """A comparison key for a name: accents and punctuation removed, case folded, spaces
    collapsed ("ABC Insurance Co." → "abc insurance co"). Suffix equivalences (Co./Company)
    are the matching rules' business, not the store's."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("&", " and ")
    return _SPACE.sub(" ", _PUNCT.sub(" ", plain.casefold())).strip()


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ------------------------------------------------------------------ writes

    def add_case(
        self,
        application: Application,
        *,
        actor: str,
        case_number: str | None = None,
        status: CaseStatus = CaseStatus.RECEIVED,
        at: datetime | None = None,
    ) -> CaseRow:
        """A new case holding one application (flushed, so it has an id)."""
        if case_number is not None:
            Case.model_validate({"case_number": case_number, "applications": [application]})
        case = CaseRow(
            case_number=case_number,
            status=status.value,
            review_type=application.review_type.value,
            priority=application.review_type.to_priority().value,
            application_received=application.received_date,
        )
        self.session.add(case)
        self.session.flush()
        self.add_application(case, application)
        self.session.add(
            CaseStatusChangeRow(
                case_id=case.id,
                from_status=None,
                to_status=status.value,
                at=at or utcnow(),
                actor=actor,
            )
        )
        return case

    def add_application(self, case: CaseRow, application: Application) -> ApplicationRow:
        """File an application (with its parties, items and UR decision) under `case`."""
        taken = self.session.scalars(
            sa.select(ApplicationRow.id).where(
                ApplicationRow.application_id == application.application_id
            )
        ).first()
        if taken is not None:
            raise DuplicateRecord(f"application {application.application_id} is already filed")
        form = application.model_dump(
            mode="json", exclude={"parties", "disputed_items", "ur_decision"}
        )
        row = ApplicationRow(
            case_id=case.id,
            application_id=application.application_id,
            review_type=application.review_type.value,
            received_date=application.received_date,
            date_of_injury=application.date_of_injury,
            claim_number=application.claim_number,
            signed=application.signed,
            form=form,
        )
        self.session.add(row)
        self.session.flush()
        for position, party in enumerate(application.parties):
            self.session.add(
                PartyRow(
                    application_id=row.id,
                    case_id=case.id,
                    position=position,
                    role=party.role.value,
                    kind=party.kind.value,
                    name=party.name,
                    name_key=name_key(party.name),
                    detail=party.model_dump(mode="json"),
                )
            )
        for position, item in enumerate(application.disputed_items):
            self.session.add(
                DisputedItemRow(
                    application_id=row.id,
                    case_id=case.id,
                    position=position,
                    text_as_requested=item.text_as_requested,
                    normalized_treatment_id=item.normalized_treatment_id,
                    category=item.category,
                    ur_action=item.ur_action.value,
                    outcome=item.outcome.value if item.outcome else None,
                    detail=item.model_dump(mode="json"),
                )
            )
        if application.ur_decision is not None:
            ur = application.ur_decision
            self.session.add(
                UrDecisionRow(
                    application_id=row.id,
                    case_id=case.id,
                    decision_date=ur.decision_date,
                    action=ur.action.value,
                    service_method=ur.service_method.value,
                    served_date=ur.served_date,
                    detail=ur.model_dump(mode="json"),
                )
            )
        return row

    def set_status(
        self,
        case: CaseRow,
        status: CaseStatus,
        *,
        actor: str,
        note: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Move the case to `status`, recording the change. Transition rules live in
        `openimr.workflow`; the store only records them."""
        previous = case.status
        case.status = status.value
        self.session.add(
            CaseStatusChangeRow(
                case_id=case.id,
                from_status=previous,
                to_status=status.value,
                at=at or utcnow(),
                actor=actor,
                note=note,
            )
        )

    def convert_review_type(
        self, case: CaseRow, to_type: ReviewType, *, reason: str, at: datetime | None = None
    ) -> None:
        if case.review_type == to_type.value:
            return
        self.session.add(
            ReviewTypeChangeRow(
                case_id=case.id,
                from_type=case.review_type,
                to_type=to_type.value,
                at=at or utcnow(),
                reason=reason,
            )
        )
        case.review_type = to_type.value
        case.priority = to_type.to_priority().value

    def record_eligibility(self, case: CaseRow, result: EligibilityResult) -> EligibilityCheckRow:
        row = EligibilityCheckRow(
            case_id=case.id,
            outcome=result.outcome.value,
            decided_on=result.decided_on,
            result=result.model_dump(mode="json"),
        )
        case.eligibility_decided_at = result.decided_on
        self.session.add(row)
        return row

    def consolidate(
        self,
        lead: CaseRow,
        other: CaseRow,
        *,
        actor: str,
        note: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Merge `other` into `lead`: its applications join the lead's review."""
        if lead.id == other.id:
            raise DuplicateRecord("a case cannot be consolidated into itself")
        other.consolidated_into_id = lead.id
        self.set_status(other, CaseStatus.CONSOLIDATED, actor=actor, note=note, at=at)
        lead.updated_at = utcnow()  # bumps the lead's version: its content changed

    def item_rows(self, case_id: int) -> list[DisputedItemRow]:
        """The disputed items of the case in `load(case_id).disputed_items` order: the
        case's own applications first, then those of cases consolidated into it."""
        merged = sa.select(CaseRow.id).where(CaseRow.consolidated_into_id == case_id)
        query = (
            sa.select(DisputedItemRow)
            .join(ApplicationRow, DisputedItemRow.application_id == ApplicationRow.id)
            .where(sa.or_(ApplicationRow.case_id == case_id, ApplicationRow.case_id.in_(merged)))
            .order_by(
                ApplicationRow.case_id != case_id, ApplicationRow.id, DisputedItemRow.position
            )
        )
        return list(self.session.scalars(query))

    def set_item_authorized(self, item: DisputedItemRow, on: date) -> None:
        """Record that the claims administrator authorized this item during the IMR."""
        item.detail = {**item.detail, "authorized_on": on.isoformat()}

    def terminate(
        self,
        case: CaseRow,
        *,
        reason: str,
        actor: str,
        at: datetime | None = None,
        note: str | None = None,
    ) -> None:
        case.terminated_reason = reason[:200]
        case.terminated_at = at or utcnow()
        self.set_status(case, CaseStatus.TERMINATED, actor=actor, at=at, note=note or reason)

    @staticmethod
    def check_version(case: CaseRow, expected_version: int | None) -> None:
        """Refuse to act on a case that changed since the caller read it."""
        if expected_version is not None and case.version != expected_version:
            raise ConcurrentUpdate(
                f"case {case.id} is at version {case.version}, not {expected_version}"
            )

    # ------------------------------------------------------------------ reads

    def get(self, case_id: int, *, for_update: bool = False) -> CaseRow:
        query = sa.select(CaseRow).where(CaseRow.id == case_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).one_or_none()
        if row is None:
            raise RecordNotFound(f"case {case_id} does not exist")
        return row

    def by_case_number(self, case_number: str) -> CaseRow:
        row = self.session.scalars(
            sa.select(CaseRow).where(CaseRow.case_number == case_number)
        ).one_or_none()
        if row is None:
            raise RecordNotFound(f"case {case_number} does not exist")
        return row

    def by_application_id(self, application_id: str) -> CaseRow | None:
        query = (
            sa.select(CaseRow)
            .join(ApplicationRow, ApplicationRow.case_id == CaseRow.id)
            .where(ApplicationRow.application_id == application_id)
        )
        return self.session.scalars(query).one_or_none()

    def page(
        self, *, status: CaseStatus | None = None, limit: int = 50, after_id: int = 0
    ) -> list[CaseRow]:
        """Cases by id (keyset pagination: pass the last id seen as `after_id`)."""
        query = sa.select(CaseRow).where(CaseRow.id > after_id)
        if status is not None:
            query = query.where(CaseRow.status == status.value)
        return list(self.session.scalars(query.order_by(CaseRow.id).limit(limit)))

    def applications_like(
        self,
        *,
        date_of_injury: date | None = None,
        claim_number: str | None = None,
        worker_name: str | None = None,
    ) -> list[Application]:
        """Filed applications sharing the injury date and the claim number or the worker's
        name: the candidates of the duplicate screen and of consolidation."""
        query = sa.select(ApplicationRow)
        if date_of_injury is not None:
            query = query.where(ApplicationRow.date_of_injury == date_of_injury)
        matches = []
        if claim_number:
            matches.append(ApplicationRow.claim_number == claim_number)
        if worker_name:
            worker_apps = sa.select(PartyRow.application_id).where(
                PartyRow.role == "injured_worker", PartyRow.name_key == name_key(worker_name)
            )
            matches.append(ApplicationRow.id.in_(worker_apps))
        if matches:
            query = query.where(sa.or_(*matches))
        rows = self.session.scalars(query.options(*_APPLICATION_LOADS).order_by(ApplicationRow.id))
        return [to_application(row) for row in rows]

    def load(self, case_id: int) -> Case:
        """The domain Case, including applications of cases consolidated into it."""
        case = self.get(case_id)
        merged_ids = list(
            self.session.scalars(
                sa.select(CaseRow.id)
                .where(CaseRow.consolidated_into_id == case.id)
                .order_by(CaseRow.id)
            )
        )
        app_rows = list(
            self.session.scalars(
                sa.select(ApplicationRow)
                .where(ApplicationRow.case_id.in_([case.id, *merged_ids]))
                .options(*_APPLICATION_LOADS)
                .order_by(ApplicationRow.case_id != case.id, ApplicationRow.id)
            )
        )
        history = self.session.scalars(
            sa.select(CaseStatusChangeRow)
            .where(CaseStatusChangeRow.case_id == case.id)
            .order_by(CaseStatusChangeRow.id)
        )
        conversions = self.session.scalars(
            sa.select(ReviewTypeChangeRow)
            .where(ReviewTypeChangeRow.case_id == case.id)
            .order_by(ReviewTypeChangeRow.id)
        )
        reviewer = self.session.scalars(
            sa.select(AssignmentRow)
            .where(AssignmentRow.case_id == case.id, AssignmentRow.ended_at.is_(None))
            .options(selectinload(AssignmentRow.reviewer))
        ).one_or_none()
        lead_number = None
        if case.consolidated_into_id is not None:
            lead_number = self.get(case.consolidated_into_id).case_number or str(
                case.consolidated_into_id
            )
        return Case(
            case_number=case.case_number,
            applications=[to_application(r) for r in app_rows],
            status=CaseStatus(case.status),
            review_type=ReviewType(case.review_type),
            review_type_changes=[
                ReviewTypeChange(
                    from_type=ReviewType(c.from_type),
                    to_type=ReviewType(c.to_type),
                    at=c.at,
                    reason=c.reason,
                )
                for c in conversions
            ],
            history=[
                StatusChange(
                    from_status=CaseStatus(h.from_status) if h.from_status else None,
                    to_status=CaseStatus(h.to_status),
                    at=h.at,
                    actor=h.actor,
                    note=h.note,
                )
                for h in history
            ],
            information_requested_at=case.information_requested_at,
            eligibility_decided_at=case.eligibility_decided_at,
            date_assigned=case.date_assigned,
            noarfi_channel=ServiceMethod(case.noarfi_channel) if case.noarfi_channel else None,
            records_complete_at=case.records_complete_at,
            decision_date=case.decision_date,
            determination_service_method=(
                ServiceMethod(case.determination_service_method)
                if case.determination_service_method
                else None
            ),
            consolidated_with=[r.application_id for r in app_rows if r.case_id != case.id],
            consolidated_into=lead_number,
            remand_of=str(case.remand_of_id) if case.remand_of_id else None,
            terminated_reason=case.terminated_reason,
            terminated_at=case.terminated_at.date() if case.terminated_at else None,
            duplicate_of=case.duplicate_of,
            assigned_reviewer_id=reviewer.reviewer.reviewer_id if reviewer else None,
        )


_APPLICATION_LOADS = (
    selectinload(ApplicationRow.parties),
    selectinload(ApplicationRow.items),
    selectinload(ApplicationRow.ur_decision),
)


def to_application(row: ApplicationRow) -> Application:
    """Rebuild the Application record from its rows (current item outcomes included)."""
    items = []
    for item in row.items:
        data = dict(item.detail)
        data.update(
            normalized_treatment_id=item.normalized_treatment_id,
            category=item.category,
            outcome=item.outcome,
        )
        items.append(DisputedItem.model_validate(data))
    return Application.model_validate(
        {
            **row.form,
            "parties": [Party.model_validate(p.detail) for p in row.parties],
            "disputed_items": items,
            "ur_decision": UrDecision.model_validate(row.ur_decision.detail)
            if row.ur_decision
            else None,
        }
    )
