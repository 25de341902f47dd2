"""The reviewer roster, affiliations and case assignments (staff-only data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from openimr.errors import Conflict, RecordNotFound
from openimr.model.case import Affiliation, ReviewerProfile
from openimr.store.repositories.cases import name_key
from openimr.store.schema import AssignmentRow, CaseRow, ReviewerAffiliationRow, ReviewerRow
from openimr.store.types import utcnow

_COLUMNS = (
    "name",
    "degree",
    "years_in_practice",
    "weekly_practice_hours",
    "active",
    "max_open_cases",
)
_PROFILE = ("licenses", "board_certifications", "specialties", "disciplinary_history")


class ReviewerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert(self, profile: ReviewerProfile) -> tuple[ReviewerRow, bool]:
        """Insert or update a reviewer by `reviewer_id`; True when inserted. Affiliations
        are replaced by the profile's list (a roster import is the source of truth)."""
        row = self._row(profile.reviewer_id)
        created = row is None
        if row is None:
            row = ReviewerRow(reviewer_id=profile.reviewer_id)
            self.session.add(row)
        for name in _COLUMNS:
            setattr(row, name, getattr(profile, name))
        row.profile = profile.model_dump(mode="json", include=set(_PROFILE))
        row.affiliations = [
            ReviewerAffiliationRow(
                kind=a.kind.value,
                name=a.name,
                name_key=name_key(a.name),
                relationship=a.relationship,
            )
            for a in profile.affiliations
        ]
        return row, created

    def get(self, reviewer_id: str) -> ReviewerProfile:
        row = self._row(reviewer_id)
        if row is None:
            raise RecordNotFound(f"reviewer {reviewer_id} does not exist")
        return to_profile(row)

    def row(self, reviewer_id: str) -> ReviewerRow:
        row = self._row(reviewer_id)
        if row is None:
            raise RecordNotFound(f"reviewer {reviewer_id} does not exist")
        return row

    def roster(self, *, active_only: bool = True) -> list[ReviewerProfile]:
        query = sa.select(ReviewerRow).options(selectinload(ReviewerRow.affiliations))
        if active_only:
            query = query.where(ReviewerRow.active.is_(True))
        return [
            to_profile(r) for r in self.session.scalars(query.order_by(ReviewerRow.reviewer_id))
        ]

    def open_workload(self) -> dict[str, int]:
        """Open assignments per reviewer id (cases not yet closed), for load balancing."""
        query = (
            sa.select(ReviewerRow.reviewer_id, sa.func.count(AssignmentRow.id))
            .join(AssignmentRow, AssignmentRow.reviewer_pk == ReviewerRow.id)
            .where(AssignmentRow.ended_at.is_(None))
            .group_by(ReviewerRow.reviewer_id)
        )
        return {reviewer_id: count for reviewer_id, count in self.session.execute(query)}

    def assign(
        self,
        case: CaseRow,
        reviewer_id: str,
        *,
        actor: str,
        explanation: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AssignmentRow:
        """Assign the case; refused while another assignment is open (end it first)."""
        if self.current_assignment(case.id) is not None:
            raise Conflict(f"case {case.id} already has an open assignment")
        reviewer = self.row(reviewer_id)
        row = AssignmentRow(
            case_id=case.id,
            reviewer_pk=reviewer.id,
            assigned_at=at or utcnow(),
            assigned_by=actor,
            explanation=explanation or {},
        )
        self.session.add(row)
        case.updated_at = utcnow()  # bump the case version: who reviews it changed
        return row

    def end_assignment(self, case: CaseRow, *, reason: str, at: datetime | None = None) -> None:
        current = self.current_assignment(case.id)
        if current is None:
            raise RecordNotFound(f"case {case.id} has no open assignment")
        current.ended_at = at or utcnow()
        current.end_reason = reason
        case.updated_at = utcnow()

    def current_assignment(self, case_id: int) -> AssignmentRow | None:
        query = sa.select(AssignmentRow).where(
            AssignmentRow.case_id == case_id, AssignmentRow.ended_at.is_(None)
        )
        return self.session.scalars(
            query.options(selectinload(AssignmentRow.reviewer))
        ).one_or_none()

    def cases_of(self, reviewer_id: str, *, open_only: bool = True) -> list[int]:
        """Ids of the cases assigned to a reviewer (what the API lets them read)."""
        query = (
            sa.select(AssignmentRow.case_id)
            .join(ReviewerRow, AssignmentRow.reviewer_pk == ReviewerRow.id)
            .where(ReviewerRow.reviewer_id == reviewer_id)
        )
        if open_only:
            query = query.where(AssignmentRow.ended_at.is_(None))
        return list(self.session.scalars(query.order_by(AssignmentRow.case_id)))

    def _row(self, reviewer_id: str) -> ReviewerRow | None:
        query = (
            sa.select(ReviewerRow)
            .where(ReviewerRow.reviewer_id == reviewer_id)
            .options(selectinload(ReviewerRow.affiliations))
        )
        return self.session.scalars(query).one_or_none()


def to_profile(row: ReviewerRow) -> ReviewerProfile:
    return ReviewerProfile.model_validate(
        {
            "reviewer_id": row.reviewer_id,
            **{name: getattr(row, name) for name in _COLUMNS},
            **row.profile,
            "affiliations": [
                Affiliation.model_validate(
                    {"kind": a.kind, "name": a.name, "relationship": a.relationship}
                )
                for a in row.affiliations
            ],
        }
    )
