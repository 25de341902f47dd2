"""Letters rendered from a final determination: the parties' copy and the public one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, undefer

from openimr.errors import ImmutableRecord, RecordNotFound
from openimr.store.schema import DeterminationVersionRow, LetterRow

AUDIENCES = frozenset({"parties", "public"})
FORMATS = frozenset({"txt", "html", "pdf"})


@dataclass(frozen=True)
class LetterInput:
    """A rendered letter; `content` is kept in the database, `path` points to a file."""

    audience: str
    format: str
    content: bytes | None = None
    path: str | None = None

    def digest_and_size(self) -> tuple[str, int]:
        data = self.content if self.content is not None else Path(self.path or "").read_bytes()
        return hashlib.sha256(data).hexdigest(), len(data)


class LetterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, version: DeterminationVersionRow, letter: LetterInput, *, actor: str
    ) -> LetterRow:
        if letter.audience not in AUDIENCES or letter.format not in FORMATS:
            raise ValueError(f"unknown letter kind {letter.audience}/{letter.format}")
        if (letter.content is None) == (letter.path is None):
            raise ValueError("a letter needs exactly one of content or path")
        if not version.is_final:
            raise ImmutableRecord("letters are issued from the final determination only")
        digest, size = letter.digest_and_size()
        row = LetterRow(
            case_id=version.case_id,
            determination_version_id=version.id,
            audience=letter.audience,
            format=letter.format,
            content=letter.content,
            path=letter.path,
            sha256=digest,
            size_bytes=size,
            created_by=actor,
        )
        self.session.add(row)
        return row

    def for_case(self, case_id: int, *, audience: str | None = None) -> list[LetterRow]:
        query = sa.select(LetterRow).where(LetterRow.case_id == case_id)
        if audience is not None:
            query = query.where(LetterRow.audience == audience)
        return list(self.session.scalars(query.order_by(LetterRow.id)))

    def content(self, letter_id: int) -> bytes:
        """The letter's bytes (from the database or its file), checked against its hash."""
        row = self.session.scalars(
            sa.select(LetterRow)
            .where(LetterRow.id == letter_id)
            .options(undefer(LetterRow.content))
        ).one_or_none()
        if row is None:
            raise RecordNotFound(f"letter {letter_id} does not exist")
        data = row.content if row.content is not None else Path(row.path or "").read_bytes()
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise ImmutableRecord(f"letter {letter_id}: content no longer matches its hash")
        return data
