"""Reviewer rule data: qualification rules, canonical specialties, treatment → specialty fit."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from openimr.model.case import AffiliationKind, DisputedItem
from openimr.workflow.names import fold
from openimr.workflow.rules import read_yaml, validate_table


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QualificationRule(_Strict):
    id: str
    hard: bool
    mark: str = Field(pattern=r"^[VSRU]$")
    rule: str
    description: str
    minimum: float | None = None


class FitEntry(_Strict):
    keywords: list[str] = Field(default_factory=list)
    preferred: list[str]
    acceptable: list[str] = Field(default_factory=list)


class ConditionFit(_Strict):
    icd_prefixes: list[str]
    label: str
    preferred: list[str]


class ReviewerRules(_Strict):
    schema_: str = Field(alias="schema", pattern=r"^openimr\.reviewer-rules/1$")
    version: str
    physician_degrees: list[str]
    board_certified_degrees: list[str]
    degree_specialties: dict[str, list[str]] = Field(default_factory=dict)
    qualifications: list[QualificationRule]
    specialties: dict[str, list[str]]
    categories: dict[str, FitEntry]
    category_order: list[str]
    fallback: FitEntry
    conditions: list[ConditionFit]
    conflicts: dict[AffiliationKind, str]
    exclude_probable_conflicts: bool = True
    person_affiliation_kinds: list[AffiliationKind] = Field(default_factory=list)
    ranking: list[Literal["fit", "california", "workload"]]

    @model_validator(mode="after")
    def _consistent(self) -> ReviewerRules:
        known = set(self.specialties)
        named = [s for c in self.categories.values() for s in (*c.preferred, *c.acceptable)]
        named += [*self.fallback.preferred, *self.fallback.acceptable]
        named += [s for c in self.conditions for s in c.preferred]
        named += [s for specs in self.degree_specialties.values() for s in specs]
        unknown = sorted(set(named) - known)
        if unknown:
            raise ValueError(f"specialties not in the specialty list: {unknown}")
        if set(self.conflicts) != set(AffiliationKind):
            raise ValueError("conflicts must explain every affiliation kind")
        if len(set(self.ranking)) != len(self.ranking):
            raise ValueError("ranking keys must be unique")
        if set(self.category_order) != set(self.categories):
            raise ValueError("category_order must list every category exactly once")
        if self.board_certified_degrees and not set(self.board_certified_degrees) <= set(
            self.physician_degrees
        ):
            raise ValueError("board_certified_degrees must be physician degrees")
        return self

    def qualification(self, rule_id: str) -> QualificationRule:
        for q in self.qualifications:
            if q.id == rule_id:
                return q
        raise KeyError(rule_id)


@lru_cache(maxsize=1)
def reviewer_rules() -> ReviewerRules:
    name = "reviewers.yaml"
    return validate_table(ReviewerRules, read_yaml(name, name), name)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&]+", " ", fold(text)).split())


@lru_cache(maxsize=1)
def _specialty_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in reviewer_rules().specialties.items():
        for spelling in (canonical, *aliases):
            index[_key(spelling)] = canonical
    return index


def canonical_specialty(text: str) -> str | None:
    """The table's name for a specialty spelling ("PM&R" → "Physical Medicine & Rehabilitation")."""
    return _specialty_index().get(_key(text))


def canonical_degree(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


class ItemFit(BaseModel):
    """Which specialties fit one disputed item, and how the category was found."""

    model_config = ConfigDict(extra="forbid")

    item_index: int
    category: str | None  # None: no category fits (fallback specialties used)
    found_by: str  # "item category", "keyword '<kw>'", "no keyword (fallback)"
    preferred: list[str]
    acceptable: list[str]


@lru_cache(maxsize=1)
def _keyword_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    rules = reviewer_rules()
    out = []
    for name in rules.category_order:
        for kw in rules.categories[name].keywords:
            pattern = re.compile(r"(?<![a-z0-9])" + re.escape(_key(kw)) + r"(?![a-z0-9])")
            out.append((name, kw, pattern))
    return out


def item_fit(index: int, item: DisputedItem, primary_icd10: str | None = None) -> ItemFit:
    """Specialties that fit an item: its category (given or found by keyword) plus condition."""
    rules = reviewer_rules()
    category: str | None = None
    found_by = "no keyword (fallback)"
    if item.category and item.category in rules.categories:
        category, found_by = item.category, "item category"
    else:
        text = _key(item.text_as_requested)
        for name, kw, pattern in _keyword_patterns():
            if pattern.search(text):
                category, found_by = name, f"keyword '{kw}'"
                break
    entry = rules.categories[category] if category else rules.fallback
    preferred = list(entry.preferred)
    icd = (item.icd10 or primary_icd10 or "").upper().replace(" ", "")
    for condition in rules.conditions:
        if icd and any(icd.startswith(p.upper()) for p in condition.icd_prefixes):
            preferred += [s for s in condition.preferred if s not in preferred]
    acceptable = [s for s in entry.acceptable if s not in preferred]
    return ItemFit(
        item_index=index,
        category=category,
        found_by=found_by,
        preferred=preferred,
        acceptable=acceptable,
    )
