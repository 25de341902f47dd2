"""The Determination record: an IMR case's outcome, item by item.

A parsed published letter and an engine draft are the same type, so the engine can be
evaluated by comparing the two. Field names follow the JSON contract of `openimr letter
parse` (issue #2); `None` means "the letter does not say".
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Generation(StrEnum):
    """Published letter layout generation (shared/domain/imr-process.md §9)."""

    A = "A"  # 2013 "Notice of Independent Medical Review Determination"
    B = "B"  # "HOW THE IMR FINAL DETERMINATION WAS MADE" (with or without header table)
    C = "C"  # "DOCUMENTS REVIEWED" / "IMR DECISION(S) AND RATIONALE(S)"
    D = "D"  # "MEDICAL PROFESSIONAL REVIEW"


class Priority(StrEnum):
    STANDARD = "standard"
    EXPEDITED = "expedited"


class Decision(StrEnum):
    """Per-item outcome. Upheld: the UR denial stands (not medically necessary)."""

    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class CitationSource(StrEnum):
    MTUS = "MTUS"
    ACOEM = "ACOEM"
    ODG = "ODG"
    OTHER = "other"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Citation(_Record):
    """One guideline reference inside a basis statement."""

    source: CitationSource
    title: str
    section: str | None = None
    pages: str | None = None


class Basis(_Record):
    """What a party based its decision on (claims administrator or reviewer)."""

    cited: bool
    citations: list[Citation] = Field(default_factory=list)
    text: str = ""


class Item(_Record):
    """One disputed item (treatment or service) and its decision."""

    request: str
    original_request: str | None = None
    decision: Decision | None = None
    claims_administrator_basis: Basis | None = None
    reviewer_basis: Basis | None = None
    rationale: str | None = None


class LetterDates(_Record):
    date_of_injury: date | None = None
    date_assigned: date | None = None
    decision_date: date | None = None
    ur_denial_date: date | None = None
    application_received: date | None = None


class ReviewerCredentials(_Record):
    """The reviewer's qualifications as a letter states them. Never a name."""

    licensure: list[str] = Field(default_factory=list)
    specialties: list[str] = Field(default_factory=list)


class Patient(_Record):
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None


class Redaction(_Record):
    """A place where the publisher removed a name: a run of extra spaces in the text.

    `field` names the record field ("clinical_summary", "items[0].request", ...) and
    `offset` is the character position in that field's normalized text where the gap sat.
    """

    field: str
    offset: int = Field(ge=0)


class Determination(_Record):
    """An IMR Final Determination: header facts, reviewer credentials, summary, items."""

    case_number: str | None = None
    generation: Generation | None = None
    priority: Priority | None = None
    dates: LetterDates = Field(default_factory=LetterDates)
    reviewer: ReviewerCredentials = Field(default_factory=ReviewerCredentials)
    patient: Patient = Field(default_factory=Patient)
    clinical_summary: str | None = None
    items: list[Item] = Field(default_factory=list)
    redactions: list[Redaction] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The published JSON form (ISO dates, enum values, every key present)."""
        return self.model_dump(mode="json")


def determination_json_schema() -> dict[str, Any]:
    """JSON Schema of the Determination record (`openimr schema determination`)."""
    return Determination.model_json_schema()
