"""The normalized form of a disputed item's request text."""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from openimr.guidelines.schema import Form


class ConceptMatch(BaseModel):
    """One knowledge-base entry found in the request text."""

    model_config = ConfigDict(extra="forbid")

    entry_id: str
    matched: str  # the synonym (normalized) or composed terms that matched
    start: int  # character offsets into the request text
    end: int
    via: str = "synonym"  # synonym | compose | ingredient | redirect | context


class Ingredient(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    strength: str | None = None  # "10%"
    entry_id: str | None = None  # entry judging this ingredient; None: not in the base


class NormalizedRequest(BaseModel):
    """Treatment concept(s) and attributes of one request. `recognized` False: see `reason`."""

    model_config = ConfigDict(extra="forbid")

    text: str
    recognized: bool = False
    reason: str | None = None
    primary: str | None = None  # entry id deciding the item
    concepts: list[ConceptMatch] = Field(default_factory=list)  # primary first, then by position
    ingredients: list[Ingredient] = Field(default_factory=list)  # compounds
    compound: bool = False
    qualifiers: list[str] = Field(default_factory=list)  # postoperative, preoperative, ...
    drug: str | None = None
    strength: str | None = None  # "10/325mg", "5%", "20mg"
    form: Form | None = None
    route: str | None = None  # oral, topical, intravenous ...
    quantity: float | None = None  # "#60", "2 tubes"
    amount: str | None = None  # "60 g", "420 ml"
    refills: int | None = None
    day_supply: int | None = None
    frequency_per_week: float | None = None  # upper bound of a range ("2-3 times a week" -> 3)
    doses_per_day: float | None = None
    units_per_dose: float | None = None  # "2 tablets three times a day" -> 2
    duration_weeks: float | None = None
    duration_days: float | None = None
    sessions: int | None = None  # visits or sessions requested, stated or frequency x weeks
    hours_per_day: float | None = None
    hours_per_week: float | None = None
    hours_total: float | None = None  # a program requested in hours ("160 hours")
    levels: int | None = None
    body_parts: list[str] = Field(default_factory=list)
    laterality: str | None = None  # left | right | bilateral
    setting: str | None = None  # rental | purchase
    retrospective: bool = False
    date_of_service: date | None = None
    additional: bool = False  # "additional", "continue", "re-", "repeat": a renewal request

    @property
    def primary_match(self) -> ConceptMatch | None:
        for match in self.concepts:
            if match.entry_id == self.primary:
                return match
        return None


def days_of_use(request: NormalizedRequest) -> float | None:
    """Days of use the request implies, only from what it states (never a guessed dose).

    A stated day supply or course length wins; otherwise the dispensed quantity divided by
    the stated doses a day ("#90, 1 tab three times a day" -> 30 days). None when the
    request does not state enough.
    """
    if request.day_supply is not None:
        return float(request.day_supply)
    if request.duration_days is not None:
        return float(request.duration_days)
    if request.duration_weeks is not None:
        return float(request.duration_weeks) * 7
    if request.quantity and request.doses_per_day:
        return float(request.quantity) / float(request.doses_per_day)
    return None


_SINGLE_MG = re.compile(r"^(\d+(?:\.\d+)?)mg$", re.IGNORECASE)


def daily_dose_mg(request: NormalizedRequest) -> float | None:
    """Milligrams a day of a single-ingredient drug, only from a stated strength and dosing
    ("Tramadol 50mg, 2 tablets three times a day" -> 300). None for combination strengths
    ("10/325mg") or when the request states no doses a day."""
    match = _SINGLE_MG.match(request.strength or "")
    if match is None or not request.doses_per_day:
        return None
    return float(match.group(1)) * float(request.doses_per_day) * float(request.units_per_dose or 1)


# Values derived from the stated attributes (criteria may test them like any attribute).
DERIVED_ATTRIBUTES = {"days_of_use": days_of_use, "daily_dose_mg": daily_dose_mg}
REQUEST_ATTRIBUTES = frozenset(NormalizedRequest.model_fields) | frozenset(DERIVED_ATTRIBUTES)
