"""Engine output: the shared Determination record, each item extended with how it was decided.

`DecidedItem` subclasses `openimr.model.Item` (whose keys are the letter-parse JSON contract)
and adds the treatment id, era, search step, criteria with status and evidence, confidence,
and an explicit status for items the engine could not decide.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.request import NormalizedRequest
from openimr.guidelines.schema import Confidence, Era, SearchStep, Status
from openimr.model.clinical import Span
from openimr.model.determination import Determination, Item


class ItemStatus(StrEnum):
    DECIDED = "decided"
    UNRECOGNIZED = "unrecognized"  # the request matches no knowledge-base entry
    CANNOT_DECIDE = "cannot_decide"  # structural gap: e.g. no clinical records at all


class CriterionOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_id: str
    criterion_id: str
    subject: str
    status: CriterionStatus
    sentence: str
    advisory: bool
    confidence: Confidence
    evidence: list[Span] = Field(default_factory=list)
    drove: bool = False  # True: this criterion decided the item
    # True: the criterion reads only the request; "not documented" then means the request
    # does not state it, which rule X-2 (silent records) does not turn into "not met".
    about_request: bool = False
    # True: an exception for limited rentals: the request must state the period, so "not
    # documented" here fails the item (Criterion.requires_request_period).
    requires_request_period: bool = False
    computed: bool = True  # False: the criterion has no test (a reminder, never a finding)


class LimitOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit_id: str
    kind: str
    allowed: float
    requested: float
    text: str


class DecidedItem(Item):
    status: ItemStatus = ItemStatus.DECIDED
    reason: str | None = None  # why unrecognized / cannot decide; or the rule that decided
    treatment_id: str | None = None
    treatment_name: str | None = None
    category: str | None = None
    era: Era | None = None
    search_step: SearchStep | None = None
    guideline_status: Status | None = None
    guideline_position: str | None = None  # the governing source's position, our words
    rules: list[str] = Field(default_factory=list)  # cross-cutting rules applied: ...
    criteria: list[CriterionOutcome] = Field(default_factory=list)
    limits_exceeded: list[LimitOutcome] = Field(default_factory=list)
    confidence: Confidence | None = None
    normalized: NormalizedRequest | None = None


class EngineDetermination(Determination):
    items: list[DecidedItem] = Field(default_factory=list)  # type: ignore[assignment]
