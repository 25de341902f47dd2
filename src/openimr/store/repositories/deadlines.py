"""Computed deadlines of a case, one row per kind (recomputation replaces it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from openimr.model.case import DayKind, Deadline, DeadlineKind
from openimr.store.schema import DeadlineRow
from openimr.store.types import utcnow

_FIELDS = (
    "rule_id", "rule_version", "basis", "basis_date", "amount", "extension_days", "due",
    "due_at", "met_on", "late", "days_late", "citation", "mark", "note",
)  # fmt: skip


class DeadlineRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, case_id: int, deadlines: Iterable[Deadline]) -> list[DeadlineRow]:
        """Store these deadlines, replacing any earlier computation of the same kinds."""
        existing = {row.kind: row for row in self._rows(case_id)}
        stored = []
        for deadline in deadlines:
            row = existing.get(deadline.kind.value)
            if row is None:
                row = DeadlineRow(case_id=case_id, kind=deadline.kind.value)
                self.session.add(row)
            for name in _FIELDS:
                setattr(row, name, getattr(deadline, name))
            row.day_kind = deadline.day_kind.value
            row.computed_at = utcnow()
            stored.append(row)
        return stored

    def for_case(self, case_id: int) -> list[Deadline]:
        return [to_deadline(row) for row in self._rows(case_id)]

    def open_past_due(self, as_of: date, *, limit: int = 500) -> list[tuple[int, Deadline]]:
        """(case id, deadline) of every unmet deadline due before `as_of`, soonest first."""
        query = (
            sa.select(DeadlineRow)
            .where(DeadlineRow.met_on.is_(None), DeadlineRow.due < as_of)
            .order_by(DeadlineRow.due, DeadlineRow.id)
            .limit(limit)
        )
        return [(row.case_id, to_deadline(row)) for row in self.session.scalars(query)]

    def _rows(self, case_id: int) -> list[DeadlineRow]:
        query = (
            sa.select(DeadlineRow).where(DeadlineRow.case_id == case_id).order_by(DeadlineRow.id)
        )
        return list(self.session.scalars(query))


def to_deadline(row: DeadlineRow) -> Deadline:
    values = {name: getattr(row, name) for name in _FIELDS}
    return Deadline(kind=DeadlineKind(row.kind), day_kind=DayKind(row.day_kind), **values)
