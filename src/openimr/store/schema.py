"""SQLAlchemy models: the tables of the system of record.

Enum-valued columns hold the `StrEnum` values of `openimr.model` as short strings (no
database enum types, so adding a value never needs a migration). Detail that is only ever
read back whole lives in JSON columns; anything queried or joined on has its own column.
The Alembic migrations in `openimr.store.migrations` must produce exactly these tables
(a test compares them) plus the guard triggers that refuse updates of append-only rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from openimr.store.types import JSONDocument, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SHA256_HEX = 64


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONDocument,
    }


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)


# --------------------------------------------------------------------------- cases


class CaseRow(Base):
    """An IMR case. `version` is the optimistic lock: every update bumps it."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    status: Mapped[str] = mapped_column(sa.String(32), index=True)
    review_type: Mapped[str] = mapped_column(sa.String(16))
    priority: Mapped[str] = mapped_column(sa.String(16))
    application_received: Mapped[date] = mapped_column(index=True)
    information_requested_at: Mapped[date | None]
    eligibility_decided_at: Mapped[date | None]
    date_assigned: Mapped[date | None]
    noarfi_channel: Mapped[str | None] = mapped_column(sa.String(24))
    records_complete_at: Mapped[date | None]
    decision_date: Mapped[date | None]
    determination_service_method: Mapped[str | None] = mapped_column(sa.String(24))
    consolidated_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True
    )
    remand_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"))
    terminated_reason: Mapped[str | None] = mapped_column(sa.String(200))
    terminated_at: Mapped[datetime | None]
    duplicate_of: Mapped[str | None] = mapped_column(sa.String(64))  # an application id
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    applications: Mapped[list[ApplicationRow]] = relationship(
        back_populates="case", order_by="ApplicationRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (sa.CheckConstraint("version >= 1", name="version_positive"),)


class ApplicationRow(Base):
    """A DWC Form IMR. `form` keeps the scalar form fields; parties, items, UR decision
    have their own tables."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    application_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    review_type: Mapped[str] = mapped_column(sa.String(16))
    received_date: Mapped[date]
    date_of_injury: Mapped[date] = mapped_column(index=True)
    claim_number: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    signed: Mapped[bool]
    form: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = _created()

    case: Mapped[CaseRow] = relationship(back_populates="applications")
    parties: Mapped[list[PartyRow]] = relationship(order_by="PartyRow.position")
    items: Mapped[list[DisputedItemRow]] = relationship(order_by="DisputedItemRow.position")
    ur_decision: Mapped[UrDecisionRow | None] = relationship()


class PartyRow(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    role: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(300))
    name_key: Mapped[str] = mapped_column(sa.String(300), index=True)
    detail: Mapped[dict[str, Any]]

    __table_args__ = (sa.UniqueConstraint("application_id", "position"),)


class DisputedItemRow(Base):
    __tablename__ = "disputed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    text_as_requested: Mapped[str] = mapped_column(sa.Text)
    normalized_treatment_id: Mapped[str | None] = mapped_column(sa.String(120), index=True)
    category: Mapped[str | None] = mapped_column(sa.String(120))
    ur_action: Mapped[str] = mapped_column(sa.String(16))
    outcome: Mapped[str | None] = mapped_column(sa.String(16))
    detail: Mapped[dict[str, Any]]

    __table_args__ = (sa.UniqueConstraint("application_id", "position"),)


class UrDecisionRow(Base):
    __tablename__ = "ur_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    decision_date: Mapped[date]
    action: Mapped[str] = mapped_column(sa.String(16))
    service_method: Mapped[str] = mapped_column(sa.String(24))
    served_date: Mapped[date | None]
    detail: Mapped[dict[str, Any]]


class CaseStatusChangeRow(Base):
    """Status history of a case (append-only)."""

    __tablename__ = "case_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(32))
    to_status: Mapped[str] = mapped_column(sa.String(32))
    at: Mapped[datetime]
    actor: Mapped[str | None] = mapped_column(sa.String(120))
    note: Mapped[str | None] = mapped_column(sa.String(500))


class ReviewTypeChangeRow(Base):
    """Conversions between review tracks, e.g. regular → expedited (append-only)."""

    __tablename__ = "review_type_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    from_type: Mapped[str] = mapped_column(sa.String(16))
    to_type: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(sa.String(500))


class EligibilityCheckRow(Base):
    """Each eligibility result recorded for a case, kept whole (append-only)."""

    __tablename__ = "eligibility_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    outcome: Mapped[str] = mapped_column(sa.String(24))
    decided_on: Mapped[date]
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = _created()


# --------------------------------------------------------------------------- documents


class DocumentRow(Base):
    """A document's bytes and text, stored once per distinct content (SHA-256)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(SHA256_HEX), unique=True)
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    page_count: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    text: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    created_at: Mapped[datetime] = _created()

    __table_args__ = (
        sa.CheckConstraint("size_bytes >= 0", name="size_nonnegative"),
        sa.CheckConstraint("page_count >= 0", name="page_count_nonnegative"),
    )


class CaseDocumentRow(Base):
    """A document as filed in a case: the name it came under and who sent it."""

    __tablename__ = "case_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(32))
    submitted_by: Mapped[str | None] = mapped_column(sa.String(32))
    received_at: Mapped[datetime]

    document: Mapped[DocumentRow] = relationship()

    __table_args__ = (sa.UniqueConstraint("case_id", "document_id"),)


# --------------------------------------------------------------------------- reviewers


class ReviewerRow(Base):
    """A reviewer on the roster. `name` is staff-only and never reaches a letter."""

    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    degree: Mapped[str] = mapped_column(sa.String(32))
    years_in_practice: Mapped[float] = mapped_column(sa.Float)
    weekly_practice_hours: Mapped[float] = mapped_column(sa.Float)
    active: Mapped[bool] = mapped_column(index=True)
    max_open_cases: Mapped[int | None]
    profile: Mapped[dict[str, Any]]  # licenses, certifications, specialties, discipline
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    affiliations: Mapped[list[ReviewerAffiliationRow]] = relationship(
        order_by="ReviewerAffiliationRow.id", cascade="all, delete-orphan"
    )


class ReviewerAffiliationRow(Base):
    __tablename__ = "reviewer_affiliations"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_pk: Mapped[int] = mapped_column(
        sa.ForeignKey("reviewers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(300))
    name_key: Mapped[str] = mapped_column(sa.String(300), index=True)
    relationship: Mapped[str | None] = mapped_column(sa.String(120))


class AssignmentRow(Base):
    """A reviewer's assignment to a case; at most one open (ended_at IS NULL) per case."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    reviewer_pk: Mapped[int] = mapped_column(
        sa.ForeignKey("reviewers.id", ondelete="RESTRICT"), index=True
    )
    assigned_at: Mapped[datetime]
    assigned_by: Mapped[str] = mapped_column(sa.String(120))
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(200))
    explanation: Mapped[dict[str, Any]]

    reviewer: Mapped[ReviewerRow] = relationship()

    __table_args__ = (
        sa.Index(
            "uq_assignments_open_case",
            "case_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )


# --------------------------------------------------------------------------- determinations


class DeterminationVersionRow(Base):
    """One saved version of a case's determination: a draft, or the final (immutable).

    Every save is a new row; a row is never edited. The database refuses updates and
    deletes of final rows, and a partial unique index allows one final per case.
    """

    __tablename__ = "determination_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    version_no: Mapped[int]
    is_final: Mapped[bool]
    source: Mapped[str] = mapped_column(sa.String(16))  # engine | reviewer | parsed
    case_number: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    decision_date: Mapped[date | None] = mapped_column(index=True)
    item_count: Mapped[int]
    upheld_count: Mapped[int]
    overturned_count: Mapped[int]
    determination: Mapped[dict[str, Any]]
    content_sha256: Mapped[str] = mapped_column(sa.String(SHA256_HEX))
    author: Mapped[str] = mapped_column(sa.String(120))
    reviewer_pk: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reviewers.id", ondelete="RESTRICT")
    )
    change_note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = _created()

    __table_args__ = (
        sa.UniqueConstraint("case_id", "version_no"),
        sa.Index(
            "uq_determination_versions_final_case",
            "case_id",
            unique=True,
            sqlite_where=sa.text("is_final = 1"),
            postgresql_where=sa.text("is_final"),
        ),
        sa.CheckConstraint("version_no >= 1", name="version_no_positive"),
    )


class LetterRow(Base):
    """A rendered letter: the parties' version or the public (redacted) one."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    determination_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("determination_versions.id", ondelete="RESTRICT"), index=True
    )
    audience: Mapped[str] = mapped_column(sa.String(16))  # parties | public
    format: Mapped[str] = mapped_column(sa.String(8))  # txt | html | pdf
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    path: Mapped[str | None] = mapped_column(sa.String(1024))
    sha256: Mapped[str] = mapped_column(sa.String(SHA256_HEX))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    created_by: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = _created()

    __table_args__ = (
        sa.UniqueConstraint("determination_version_id", "audience", "format"),
        sa.CheckConstraint("content IS NOT NULL OR path IS NOT NULL", name="content_or_path"),
        sa.CheckConstraint("audience IN ('parties', 'public')", name="audience_known"),
    )


# --------------------------------------------------------------------------- deadlines


class DeadlineRow(Base):
    """A computed deadline of a case; recomputation replaces the row of the same kind."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    rule_id: Mapped[str] = mapped_column(sa.String(80))
    rule_version: Mapped[str] = mapped_column(sa.String(32))
    basis: Mapped[str] = mapped_column(sa.String(64))
    basis_date: Mapped[date]
    amount: Mapped[int]
    day_kind: Mapped[str] = mapped_column(sa.String(16))
    extension_days: Mapped[int]
    due: Mapped[date] = mapped_column(index=True)
    due_at: Mapped[datetime | None]
    met_on: Mapped[date | None]
    late: Mapped[bool | None]
    days_late: Mapped[int]
    citation: Mapped[str] = mapped_column(sa.String(200))
    mark: Mapped[str] = mapped_column(sa.String(4))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    computed_at: Mapped[datetime] = _created()

    __table_args__ = (sa.UniqueConstraint("case_id", "kind"),)


# --------------------------------------------------------------------------- users and audit


class UserRow(Base):
    """An account of the API. The password is stored only as an argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(120), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    reviewer_pk: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reviewers.id", ondelete="RESTRICT")
    )
    active: Mapped[bool]
    created_at: Mapped[datetime] = _created()
    password_changed_at: Mapped[datetime]

    __table_args__ = (
        sa.CheckConstraint("role IN ('intake', 'reviewer', 'admin', 'analyst')", name="role_known"),
    )


class AuditEntryRow(Base):
    """Who did what, when, to which record. Append-only; never clinical text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(120), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(32))
    entity_id: Mapped[str] = mapped_column(sa.String(64))
    case_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any]]

    __table_args__ = (sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),)


#: tables whose rows are never updated or deleted (the database refuses it)
APPEND_ONLY_TABLES = (
    "audit_log",
    "case_status_changes",
    "review_type_changes",
    "eligibility_checks",
    "letters",
)
#: tables whose rows are frozen once a flag column is true
FROZEN_WHEN = {"determination_versions": "is_final"}
