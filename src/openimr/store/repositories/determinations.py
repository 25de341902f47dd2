"""Determination versions: every save is a new row; the final one is immutable."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from openimr.errors import AlreadyFinalized, RecordNotFound
from openimr.model.determination import Decision, Determination
from openimr.store.schema import CaseRow, DeterminationVersionRow

SOURCES = frozenset({"engine", "reviewer", "parsed", "import"})


def content_hash(determination: Determination) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys): equal records, equal hashes."""
    canonical = json.dumps(determination.to_json_dict(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class DeterminationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_version(
        self,
        case: CaseRow,
        determination: Determination,
        *,
        author: str,
        source: str,
        final: bool = False,
        reviewer_pk: int | None = None,
        change_note: str | None = None,
    ) -> DeterminationVersionRow:
        """Append a version (draft or final). Refused once the case has a final version."""
        if source not in SOURCES:
            raise ValueError(f"unknown determination source {source!r}")
        if self.final(case.id) is not None:
            raise AlreadyFinalized(f"case {case.id} already has a final determination")
        decisions = [item.decision for item in determination.items]
        row = DeterminationVersionRow(
            case_id=case.id,
            version_no=self._next_version_no(case.id),
            is_final=final,
            source=source,
            case_number=determination.case_number or case.case_number,
            decision_date=determination.dates.decision_date,
            item_count=len(determination.items),
            upheld_count=decisions.count(Decision.UPHELD),
            overturned_count=decisions.count(Decision.OVERTURNED),
            determination=determination.to_json_dict(),
            content_sha256=content_hash(determination),
            author=author,
            reviewer_pk=reviewer_pk,
            change_note=change_note,
        )
        self.session.add(row)
        return row

    def _next_version_no(self, case_id: int) -> int:
        current = self.session.scalar(
            sa.select(sa.func.max(DeterminationVersionRow.version_no)).where(
                DeterminationVersionRow.case_id == case_id
            )
        )
        return (current or 0) + 1

    def versions(self, case_id: int) -> list[DeterminationVersionRow]:
        query = (
            sa.select(DeterminationVersionRow)
            .where(DeterminationVersionRow.case_id == case_id)
            .order_by(DeterminationVersionRow.version_no)
        )
        return list(self.session.scalars(query))

    def latest(self, case_id: int) -> DeterminationVersionRow | None:
        query = (
            sa.select(DeterminationVersionRow)
            .where(DeterminationVersionRow.case_id == case_id)
            .order_by(DeterminationVersionRow.version_no.desc())
            .limit(1)
        )
        return self.session.scalars(query).one_or_none()

    def final(self, case_id: int) -> DeterminationVersionRow | None:
        query = sa.select(DeterminationVersionRow).where(
            DeterminationVersionRow.case_id == case_id, DeterminationVersionRow.is_final.is_(True)
        )
        return self.session.scalars(query).one_or_none()

    def get(self, version_id: int) -> DeterminationVersionRow:
        row = self.session.get(DeterminationVersionRow, version_id)
        if row is None:
            raise RecordNotFound(f"determination version {version_id} does not exist")
        return row


def to_determination(row: DeterminationVersionRow) -> Determination:
    return Determination.model_validate(row.determination)
