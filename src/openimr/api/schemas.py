"""Request and response bodies of the API (domain records are reused where they fit)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from openimr.model.case import (
    Case,
    CaseStatus,
    Deadline,
    DeadlineKind,
    EligibilityResult,
    ReviewerProfile,
)
from openimr.model.determination import Determination
from openimr.store.repositories.users import Role
from openimr.workflow.deadlines import Timeliness
from openimr.workflow.matching import MatchResult

T = TypeVar("T")

MAX_ID = 2**31 - 1


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(_Out, Generic[T]):
    """One page of a list: `total` counts every match, `items` holds `limit` from `offset`."""

    items: list[T]
    total: int
    limit: int
    offset: int


class TokenOut(_Out):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(_Out):
    username: str
    role: Role
    reviewer_id: str | None = None


class UserIn(_Out):
    username: str = Field(min_length=2, max_length=120)
    role: Role
    password: str = Field(min_length=12, max_length=1024)
    reviewer_id: str | None = Field(default=None, description="Roster id (reviewer accounts)")


class UserOut(_Out):
    username: str
    role: Role
    reviewer_id: str | None = None


class IntakeOut(_Out):
    case_id: int
    case_number: str
    document_ids: list[int]
    documents_new: int


class DocumentKind(StrEnum):
    APPLICATION = "application"
    UR_DECISION = "ur_decision"
    MEDICAL_RECORD = "medical_record"
    OTHER = "other"


class DocumentOut(_Out):
    document_id: int
    filename: str
    kind: str
    submitted_by: str | None
    media_type: str
    page_count: int
    size_bytes: int
    sha256: str
    received_at: datetime


class CaseSummary(_Out):
    case_id: int
    case_number: str | None
    status: CaseStatus
    review_type: str
    priority: str
    application_received: date
    date_assigned: date | None
    decision_date: date | None
    version: int


class CaseDetail(_Out):
    summary: CaseSummary
    case: Case
    documents: list[DocumentOut]


class EligibilityOut(_Out):
    case_id: int
    status: CaseStatus
    result: EligibilityResult


class AssignIn(_Out):
    reviewer_id: str | None = Field(
        default=None, max_length=64, description="A candidate to choose; default: the best"
    )
    as_of: date | None = Field(default=None, description="Assignment date; default: today")


class AssignmentOut(_Out):
    case_id: int
    reviewer_id: str
    status: CaseStatus
    match: MatchResult


class CurrentAssignment(_Out):
    case_id: int
    reviewer_id: str
    assigned_at: datetime
    assigned_by: str
    explanation: dict[str, Any]


class DraftIn(_Out):
    determination: Determination | None = Field(
        default=None, description="The draft; omitted: the engine's draft, when one is installed"
    )
    note: str | None = Field(default=None, max_length=200)
    expected_version: int | None = Field(default=None, ge=1, le=MAX_ID)


class FinalizeIn(_Out):
    determination: Determination | None = Field(
        default=None, description="The final text; omitted: the latest draft"
    )
    note: str | None = Field(default=None, max_length=200)
    expected_version: int | None = Field(default=None, ge=1, le=MAX_ID)


class VersionOut(_Out):
    case_id: int
    version_no: int
    is_final: bool
    source: str
    author: str
    change_note: str | None
    content_sha256: str
    created_at: datetime
    item_count: int
    upheld_count: int
    overturned_count: int


class VersionDetail(_Out):
    version: VersionOut
    determination: Determination


class SavedVersion(_Out):
    case_id: int
    version_no: int
    is_final: bool
    case_version: int
    changed_fields: list[str]


class LetterAudience(StrEnum):
    PARTIES = "parties"
    PUBLIC = "public"


class LetterOut(_Out):
    letter_id: int
    case_id: int
    case_number: str | None
    audience: LetterAudience
    format: str
    sha256: str
    size_bytes: int
    created_at: datetime


class DeadlinesOut(_Out):
    case_id: int
    as_of: date
    deadlines: list[Deadline]
    late: list[DeadlineKind]
    timeliness: Timeliness


class AuditOut(_Out):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    case_id: int | None
    details: dict[str, Any]


class ReviewerOut(_Out):
    """A roster entry (staff only: it carries the reviewer's name)."""

    profile: ReviewerProfile
    open_cases: int


class RosterImportOut(_Out):
    imported: int
    created: int
    updated: int


ItemIndex = Annotated[int, Field(ge=0, le=10_000)]
ItemText = Annotated[str, Field(min_length=1, max_length=500)]
CaseRef = Annotated[int, Field(ge=1, le=MAX_ID)]
CaseNumber = Annotated[str, Field(pattern=r"^CM\d{2}-\d{7}$")]


class TerminationIn(_Out):
    """The claims administrator's authorization (8 CCR 9792.10.6(a))."""

    items: list[ItemIndex | ItemText] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description=(
            "Authorized disputed items, by index (0-based, across the case's applications) or "
            "by their text as requested; omitted: the whole case. The IMR is terminated once "
            "every item is authorized."
        ),
    )
    authorized_on: date | None = Field(
        default=None, description="Date of the authorization; default: today"
    )
    note: str | None = Field(default=None, max_length=200)
    expected_version: int | None = Field(default=None, ge=1, le=MAX_ID)


class TerminationOut(_Out):
    case_id: int
    status: CaseStatus
    terminated: bool
    authorized_items: list[int] = Field(description="Items authorized by this request")
    pending_items: list[int] = Field(description="Items still disputed")
    case_version: int


class ConsolidationIn(_Out):
    cases: list[CaseRef | CaseNumber] = Field(
        min_length=1,
        max_length=20,
        description="Cases to merge into this one: ids or IMR case numbers (CMyy-nnnnnnn)",
    )
    as_of: date | None = Field(default=None, description="Consolidation date; default: today")


class ConsolidationOut(_Out):
    lead_id: int
    case_number: str | None
    merged_case_ids: list[int]
    application_ids: list[str]
    case_version: int
