"""Schema of the guideline knowledge base (pydantic; `entry_json_schema()` exports it).

One YAML file per treatment family under `data/` holds `entries:`; `data/_documents.yaml`
names the guideline documents the sources cite, `data/_vocabulary.yaml` the body parts,
qualifiers and number words the request normalizer uses.

Confidence marks follow shared/domain/guidelines.md: V verified, R recalled (routinely
quoted), U uncertain. A U criterion is never a hard rule: the schema forces it advisory.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from openimr.model.determination import CitationSource


class Confidence(StrEnum):
    V = "V"
    R = "R"
    U = "U"

    @property
    def rank(self) -> int:
        return {"V": 2, "R": 1, "U": 0}[self.value]


def weakest(*marks: Confidence | None) -> Confidence:
    """The lowest confidence among the given marks (U < R < V)."""
    present = [m for m in marks if m is not None]
    return min(present, key=lambda m: m.rank) if present else Confidence.U


class Status(StrEnum):
    RECOMMENDED = "RECOMMENDED"
    RECOMMENDED_WITH_CRITERIA = "RECOMMENDED_WITH_CRITERIA"
    OPTION = "OPTION"
    UNDER_STUDY = "UNDER_STUDY"
    NOT_RECOMMENDED = "NOT_RECOMMENDED"
    NOT_ADDRESSED = "NOT_ADDRESSED"

    @property
    def addresses(self) -> bool:
        return self is not Status.NOT_ADDRESSED


class Era(StrEnum):
    """MTUS eras of guidelines.md §2.1 (F: drugs dispensed from 1 Jan 2018)."""

    E0 = "E0"
    E1 = "E1"
    E2 = "E2"
    E3 = "E3"
    F = "F"


class SearchStep(StrEnum):
    """Steps of the Medical Evidence Search Sequence (8 CCR 9792.21.1), in order."""

    MTUS = "mtus"  # step 1
    ACOEM_ODG = "acoem_odg"  # step 2a: most current ACOEM or ODG
    OTHER_GUIDELINE = "other_guideline"  # step 2b: other national guidelines
    STUDIES = "studies"  # step 2c: peer-reviewed studies, drug references

    @property
    def order(self) -> int:
        return list(SearchStep).index(self)


class Category(StrEnum):
    MEDICATION = "medication"
    TOPICAL = "topical"
    PHYSICAL_MEDICINE = "physical_medicine"
    BEHAVIORAL = "behavioral"
    INJECTION = "injection"
    IMPLANT = "implant"
    DEVICE = "device"
    DIAGNOSTIC = "diagnostic"
    SURGERY = "surgery"
    SERVICE = "service"
    ADMIN = "admin"


class Form(StrEnum):
    """Dosage form class, used to tell apart entries sharing a drug name."""

    ORAL = "oral"
    TOPICAL = "topical"
    PARENTERAL = "parenteral"  # infusion, injection, intranasal


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- documents


class Edition(_Strict):
    """One edition of a document and the eras in which it is usable."""

    eras: list[Era]
    mtus_eras: list[Era] = Field(default_factory=list)  # eras where it is part of the MTUS
    title: str  # as letters print it: "Chronic Pain Medical Treatment 2016"
    pages_valid: bool = True  # False: page numbers of the sources are not for this edition
    pages_total: int | None = None  # "of 127"
    content_confidence: Confidence = Confidence.R
    note: str | None = None


class Document(_Strict):
    id: str
    source: CitationSource  # MTUS / ACOEM / ODG / other, as the Citation model names it
    short: str
    decides_necessity: bool = True  # False: the formulary (decides prospective review only)
    step: SearchStep = SearchStep.ACOEM_ODG  # step when it is not part of the MTUS
    chapter: str | None = None  # ACOEM chapter number
    editions: list[Edition]

    def edition_for(self, era: Era) -> Edition | None:
        for edition in self.editions:
            if era in edition.eras:
                return edition
        return None


# --------------------------------------------------------------------------- predicates

FactCollection = Literal[
    "body_parts",
    "diagnoses",
    "treatments",
    "medications",
    "pain_scores",
    "neuro_findings",
    "exam_findings",
    "red_flags",
    "tests",
    "work_status",
    "function",
    "monitoring",
    "surgeries",
    "psychosocial",
    "prior_reviews",
    "requested_items",
]

MatchValue = str | int | float | bool | list[str] | dict[str, Any]


class _Pred(_Strict):
    pass


class HasFact(_Pred):
    """A fact in `collection` matching every `where` condition is documented.

    met: at least `min_count` matching facts in an accepted context (affirmed by default);
    not met: only negated matches (or fewer than `min_count`); not documented: none.
    `where` values: a scalar (equal, case-insensitive), a list (any of), or an operator
    mapping: {regex: ...}, {gte: n}, {lte: n}, {any: [...]} for list fields, {not: value}
    (anything but that value, including unstated: a special test not recorded as negative).
    """

    op: Literal["has_fact"]
    collection: FactCollection
    where: dict[str, MatchValue] = Field(default_factory=dict)
    min_count: int = Field(default=1, ge=1)
    contexts: list[str] = Field(default_factory=lambda: ["affirmed"])
    within_days: int | None = None  # fact date (field `on`/`dates`) within N days before on_date
    # True: a fact sited in a body part the request does not cover (a wrist sign for a knee
    # study) does not count; unsited facts and requests naming no body part are kept.
    at_requested_part: bool = False


class Diagnosis(_Pred):
    """Sugar for has_fact over diagnoses: any of the categories / label patterns."""

    op: Literal["diagnosis"]
    categories: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)  # regular expressions on the label
    icd10_prefixes: list[str] = Field(default_factory=list)
    body_parts: list[str] = Field(default_factory=list)


class TreatmentTried(_Pred):
    """Treatments in `concepts` were tried (optionally with one of `responses`)."""

    op: Literal["treatment_tried"]
    concepts: list[str]
    responses: list[str] = Field(default_factory=list)
    min_distinct: int = Field(default=1, ge=1)  # distinct concepts needed
    min_quantity: int | None = None  # sessions or injections, summed
    # True: a course a prior review authorized counts even before it is given; it makes a
    # further request a continuation. Never set it where care must have been received.
    authorized: bool = False


class MedicationUse(_Pred):
    op: Literal["medication"]
    drug_classes: list[str] = Field(default_factory=list)
    generics: list[str] = Field(default_factory=list)  # substrings of the generic name
    current: bool | None = True
    # True: only a drug the worker already took before the visit at issue; a drug first
    # prescribed at that visit (`new_start`) does not make the request a renewal.
    prior_use: bool = False


class FunctionalImprovement(_Pred):
    """Documented functional improvement (9792.20): ADLs or work restrictions, less care."""

    op: Literal["functional_improvement"]
    concepts: list[str] = Field(default_factory=list)  # also accept an "improved" response


class MonthsSinceInjury(_Pred):
    """Time since the injury, or since symptom onset where `symptoms` is given.

    With `symptoms` (a regex over the symptom words of ClinicalFacts.symptom_onsets), the
    earliest documented onset of a matching symptom is used when the records state one, and
    the injury date otherwise: "symptoms for more than 3-4 weeks" runs from their onset.
    """

    op: Literal["months_since_injury"]
    gte: float | None = None
    lte: float | None = None
    unit: Literal["months", "weeks"] = "months"  # the unit of gte / lte
    symptoms: str | None = None

    @field_validator("symptoms")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value


class LimbFindings(_Pred):
    """Neurologic findings tied to the limb the request studies (region of its body parts).

    check "limb": met when a finding sits in the studied limb (by its body part, or a sign
    specific to one limb such as a straight-leg raise); not met when every sited finding is in
    another limb; findings with no site count when the case names the studied limb among its
    affected body parts and no finding is sited elsewhere.
    check "side": for a bilateral request, findings (in the studied limb or unsited) stating
    both sides; unilateral requests are met.
    """

    op: Literal["limb_findings"]
    check: Literal["limb", "side"] = "limb"


class AgeIs(_Pred):
    op: Literal["age"]
    gte: int | None = None
    lte: int | None = None


class RequestIs(_Pred):
    """A property of the normalized request (quantity, sessions, body part, form ...)."""

    op: Literal["request"]
    attribute: str
    lte: float | None = None
    gte: float | None = None
    equals: str | int | float | bool | None = None
    any_of: list[str] = Field(default_factory=list)
    regex: str | None = None  # searched (case-insensitive) in the attribute's text


class FactFlag(_Pred):
    """A scalar field of ClinicalFacts (e.g. physical_exam_documented)."""

    op: Literal["flag"]
    field: str
    equals: bool = True


class Absent(_Pred):
    """The inner condition is not shown: met when it is not met or not documented."""

    op: Literal["absent"]
    of: Predicate


class AllOf(_Pred):
    op: Literal["all_of"]
    of: list[Predicate] = Field(min_length=1)


class AnyOf(_Pred):
    op: Literal["any_of"]
    of: list[Predicate] = Field(min_length=1)


Predicate = Annotated[
    HasFact
    | Diagnosis
    | TreatmentTried
    | MedicationUse
    | FunctionalImprovement
    | MonthsSinceInjury
    | LimbFindings
    | AgeIs
    | RequestIs
    | FactFlag
    | Absent
    | AllOf
    | AnyOf,
    Field(discriminator="op"),
]

for _model in (Absent, AllOf, AnyOf):
    _model.model_rebuild()


# --------------------------------------------------------------------------- entry parts


class Phrasing(_Strict):
    met: str | None = None
    not_met: str | None = None
    not_documented: str | None = None


class Criterion(_Strict):
    """One condition of a guideline, with the sentence a reviewer writes for each status."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    subject: str  # noun phrase: "a neuropathic pain diagnosis supported by examination"
    confidence: Confidence
    advisory: bool | None = None  # None: advisory exactly when confidence is U
    applies: Literal["always", "initial", "renewal"] = "always"
    eras: list[Era] = Field(default_factory=list)  # empty: every era
    test: Predicate | None = None  # None: not computable from the facts (advisory only)
    phrasing: Phrasing = Field(default_factory=Phrasing)
    note: str | None = None
    # Opt-in exception to "a request-side gap is not missing documentation": for an item the
    # guideline supports only as a limited rental, a request that does not state the rental
    # period cannot be shown to stay within it, so "not documented" fails the criterion.
    requires_request_period: bool = False

    @model_validator(mode="after")
    def _u_is_never_hard(self) -> Criterion:
        if self.confidence is Confidence.U and self.advisory is False:
            raise ValueError(f"criterion {self.id}: a U criterion cannot be a hard rule")
        if self.test is None and self.advisory is False:
            raise ValueError(f"criterion {self.id}: a criterion without a test must be advisory")
        return self

    @property
    def is_advisory(self) -> bool:
        if self.advisory is not None:
            return self.advisory
        return self.confidence is Confidence.U or self.test is None

    @property
    def is_hard_rule(self) -> bool:
        return not self.is_advisory


LimitKind = Literal[
    "visits",  # total visits or sessions of a course
    "visits_initial",  # trial / initial course
    "per_week",  # visits or doses a week
    "weeks",  # course length
    "days",  # days of use or rental
    "units",  # tablets, patches, injections per request
    "per_session",  # injections or levels per session
    "levels",
    "per_year",
    "interval_weeks_min",  # minimum weeks between repeats
    "hours_per_week",
    "hours_total",  # a program's hours
    "daily_dose_mg",
    "daily_mme",
    "grams_per_day",
    "months_since_injury_max",
    "months_period",  # postsurgical period
]


class Limit(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: LimitKind
    max: float | None = None
    min: float | None = None
    over_weeks: float | None = None  # "10 visits over 8 weeks"
    when: Predicate | None = None  # applies only when this holds (e.g. a diagnosis group)
    when_label: str | None = None  # what `when` means, for the rationale
    eras: list[Era] = Field(default_factory=list)
    confidence: Confidence
    text: str  # our words

    @property
    def is_hard_rule(self) -> bool:
        return self.confidence is not Confidence.U


class Source(_Strict):
    """One guideline source consulted for an entry, with its status and citation."""

    document: str  # id in _documents.yaml
    eras: list[Era] = Field(default_factory=list)  # empty: every era the document is usable in
    chapter: str | None = None  # ODG chapter ("Pain"); ACOEM chapter when not the document's
    section: str | None = None  # topic as letters name it: "Topical analgesics"
    pages: str | None = None  # "111-113" (printed "of 127" where the edition says so)
    status: Status | None = None  # None: the reference does not state a status (see notes)
    confidence: Confidence
    page_confidence: Confidence | None = None
    body_parts: list[str] = Field(default_factory=list)  # applies only to these body parts
    forms: list[Form] = Field(default_factory=list)  # applies only to these forms
    # Applies only when this holds over the case facts: the guideline that governs an SSRI
    # for a documented depressive disorder is not the one for pain.
    when: Predicate | None = None
    position: str | None = None  # our words: the guideline position a reviewer states
    note: str | None = None

    @field_validator("pages")
    @classmethod
    def _pages_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d+(-\d+)?(, ?\d+(-\d+)?)*", value):
            raise ValueError(f"pages must look like '111-113' or '68-69, 72', got {value!r}")
        return value


class Compose(_Strict):
    """Match when one of `terms` and one of `body_parts` both occur in a request."""

    terms: list[str] = Field(min_length=1)
    body_parts: list[str] = Field(min_length=1)


class Redirect(_Strict):
    """Use another entry when a qualifier (e.g. postoperative) is present in the request."""

    qualifier: str
    to: str
    body_parts: list[str] = Field(default_factory=list)  # only for these body parts


class Related(_Strict):
    entry: str
    role: Literal["continuation", "dose_rule", "ancillary_to", "see_also", "formulary", "parent"]


class Entry(_Strict):
    id: str = Field(pattern=r"^(T|OI)-\d{3}$")
    name: str
    concept: str = Field(pattern=r"^[a-z0-9_]+$")  # slug for TreatmentTried.concept
    category: Category
    family: str = ""  # filled by the loader from the file name
    synonyms: list[str] = Field(min_length=1)
    compose: list[Compose] = Field(default_factory=list)
    # A synonym match is dropped when every body part the request names is one of these:
    # "discectomy" in a cervical request is not the lumbar entry.
    other_body_parts: list[str] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list)  # dosage forms this entry is about
    redirects: list[Redirect] = Field(default_factory=list)
    related: list[Related] = Field(default_factory=list)
    ancillary: bool = False  # judged with the procedure it serves (guidelines.md §5.I)
    drug: bool = False  # a drug: the formulary applies to outpatient dispensing from 2018
    sources: list[Source] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    limits: list[Limit] = Field(default_factory=list)
    continuation: str | None = None  # our words
    continuation_criteria: list[str] = Field(default_factory=list)  # criterion ids
    denial_grounds: list[str] = Field(default_factory=list)
    confidence: Confidence
    notes: str | None = None
    reference: str | None = None  # where the facts come from: "guidelines.md T-028"

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: duplicate criterion ids")
        unknown = set(self.continuation_criteria) - set(ids)
        if unknown:
            raise ValueError(f"{self.id}: continuation_criteria not defined: {sorted(unknown)}")
        limit_ids = [limit.id for limit in self.limits]
        if len(limit_ids) != len(set(limit_ids)):
            raise ValueError(f"{self.id}: duplicate limit ids")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


class FamilyFile(_Strict):
    family: str
    title: str
    entries: list[Entry] = Field(min_length=1)


class BodyPartTerm(_Strict):
    name: str
    synonyms: list[str]
    region: str  # "spine", "upper_extremity", "lower_extremity", "head", "trunk"


class Vocabulary(_Strict):
    body_parts: list[BodyPartTerm]
    qualifiers: dict[str, list[str]]  # qualifier name -> phrases
    laterality: dict[str, list[str]]  # left / right / bilateral -> words
    forms: dict[Form, list[str]]  # form -> cue words
    salt_words: list[str]  # dropped before matching: "hcl", "sodium" ...
    number_words: dict[str, int]
    # The contract with the clinical extractor: values criteria may test.
    diagnosis_categories: list[str]
    drug_classes: list[str]
    treatment_concepts: list[str]  # besides the entries' own concept slugs
    kinds: dict[str, list[str]]  # fact collection -> allowed values of its `kind` field
    # Limb whose nerves a spinal region serves (neck -> arms, low back -> legs), and signs
    # that by their nature sit in one limb (straight-leg raise -> legs): used to tie
    # neurologic findings to the limb a study examines.
    nerve_territory: dict[str, str] = Field(default_factory=dict)
    finding_limb: dict[str, str] = Field(default_factory=dict)


class DocumentsFile(_Strict):
    documents: list[Document]


def entry_json_schema() -> dict[str, Any]:
    """JSON Schema of one family data file."""
    return FamilyFile.model_json_schema()


def knowledge_base_json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of every kind of data file, keyed by file kind."""
    return {
        "family": FamilyFile.model_json_schema(),
        "documents": DocumentsFile.model_json_schema(),
        "vocabulary": Vocabulary.model_json_schema(),
    }


ERA_START: dict[Era, date] = {
    Era.E0: date.min,
    Era.E1: date(2009, 7, 18),
    Era.E2: date(2016, 7, 29),
    Era.E3: date(2017, 12, 1),
    Era.F: date(2018, 1, 1),
}
