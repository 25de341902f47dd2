"""ClinicalFacts: what an expert reviewer pulls out of a case file, with its evidence.

Every fact carries the evidence span(s) it came from (character offsets into
`ClinicalFacts.text`, the normalized case text) and its context: affirmed, negated,
historical, hypothetical/planned, family, or uncertain. The guideline criteria
(`openimr.guidelines`) read these fields; their names follow the case-fact vocabulary of
shared/domain/guidelines.md §4 where one exists.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from openimr.model.determination import Sex


class FactContext(StrEnum):
    AFFIRMED = "affirmed"
    NEGATED = "negated"  # "no radicular symptoms", "denied numbness"
    HISTORICAL = "historical"  # "history of lumbar fusion in 2010"
    HYPOTHETICAL = "hypothetical"  # planned or conditional: "will consider surgery"
    FAMILY = "family"  # "mother had rheumatoid arthritis"
    UNCERTAIN = "uncertain"  # "rule out HNP", "possible rotator cuff tear"


class Laterality(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class Response(StrEnum):
    """Documented response to a treatment tried."""

    IMPROVED = "improved"
    NO_BENEFIT = "no_benefit"
    WORSE = "worse"
    NOT_STATED = "not_stated"


class WorkStatusKind(StrEnum):
    FULL_DUTY = "full_duty"
    MODIFIED_DUTY = "modified_duty"
    OFF_WORK = "off_work"  # temporarily totally disabled, not working
    RETIRED = "retired"
    PERMANENT_AND_STATIONARY = "permanent_and_stationary"


class Span(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Fact(BaseModel):
    """Base of every extracted fact: where it came from and in what context."""

    model_config = ConfigDict(extra="forbid")

    evidence: list[Span] = Field(default_factory=list)
    context: FactContext = FactContext.AFFIRMED

    @property
    def affirmed(self) -> bool:
        return self.context is FactContext.AFFIRMED


class BodyPart(Fact):
    name: str  # normalized: "lumbar spine", "shoulder", "knee", "wrist", ...
    laterality: Laterality | None = None


class Diagnosis(Fact):
    label: str  # as normalized: "lumbar radiculopathy"
    icd10: str | None = None  # ICD-10-CM code where one fits
    categories: list[str] = Field(default_factory=list)  # "neuropathic_pain", "radiculopathy", ...
    body_part: str | None = None
    laterality: Laterality | None = None


class TreatmentTried(Fact):
    """A treatment the worker has had (or has planned, by context)."""

    concept: str  # treatment concept id, e.g. "physical_therapy", "epidural_steroid_injection"
    text: str = ""  # the mention as written, short
    quantity: int | None = None  # sessions, injections, ...
    body_part: str | None = None
    dates: list[date] = Field(default_factory=list)
    response: Response = Response.NOT_STATED
    # The improvement stated is pain relief only ("helping with pain", "decreased her pain
    # from 8/10 to 5/10"): 9792.20 functional improvement asks for function, so it does not
    # count as one.
    pain_relief_only: bool = False
    # A prior review or the payer certified, authorized, approved or modified-to-certify this
    # course ("UR certified 6 sessions of PT"): `quantity` is the number certified. Such a
    # course is hypothetical unless the records say it was done ("completed the 6 authorized
    # sessions": historical and authorized).
    authorized: bool = False


class Medication(Fact):
    generic: str  # normalized generic name, lower case: "hydrocodone/acetaminophen"
    text: str = ""  # as written: "Norco 10/325mg"
    strength: str | None = None
    frequency: str | None = None
    current: bool = True  # False: past / discontinued
    # Started or first prescribed at the visit at issue ("was started on gabapentin", "a
    # first-time request for X"), with no documented prior use of the drug in the records.
    new_start: bool = False
    drug_class: str | None = None  # "opioid", "nsaid", "muscle_relaxant", ...
    # Every class the drug belongs to, the main one first, then narrower ones the criteria
    # test ("short_acting_opioid", "snri", "ppi", "topical_lidocaine"...).
    drug_classes: list[str] = Field(default_factory=list)


class PainScore(Fact):
    value: float = Field(ge=0, le=10)
    value_high: float | None = Field(default=None, ge=0, le=10)  # "6-7 out of 10"
    on: date | None = None
    with_medication: bool | None = None  # True: with medication, False: without


class NeuroFinding(Fact):
    """Numbness, tingling, weakness, reflex change, dermatomal loss, SLR, Spurling, atrophy."""

    kind: str
    body_part: str | None = None
    laterality: Laterality | None = None
    detail: str | None = None  # "L5 dermatome", "4/5", "diminished"


class SymptomOnset(Fact):
    """When a symptom began, as the records state it, apart from the date of injury
    ("numbness began 3 weeks ago", "symptoms since March 2016", "onset of radiating pain on
    01/05/2016"). The evidence covers the whole onset phrase."""

    symptom: str  # the symptom as written, short: "numbness", "radiating pain", "symptoms"
    on: date | None = None  # the onset date when written or computable from a note date
    precision: str | None = None  # "day", "month" (on = 1st of the month) or "year"
    ago_days: int | None = None  # a relative onset: "3 weeks ago" -> 21
    text: str = ""  # the onset phrase as written, short


class ExamFinding(Fact):
    """Range of motion, tenderness, spasm, special tests (Hawkins, Neer, McMurray, Tinel ...)."""

    kind: str  # "range_of_motion", "tenderness", "spasm", "special_test", ...
    name: str | None = None  # the test's name for special tests
    body_part: str | None = None
    laterality: Laterality | None = None
    positive: bool | None = None
    detail: str | None = None


class RedFlag(Fact):
    kind: str  # "cauda_equina", "fracture", "tumor", "infection", "progressive_deficit", ...


class TestResult(Fact):
    """Imaging or electrodiagnostic study and what it showed."""

    modality: str  # "MRI", "X-ray", "CT", "EMG", "NCS", "EMG/NCS", "ultrasound", "bone scan"
    body_part: str | None = None
    laterality: Laterality | None = None
    on: date | None = None
    finding: str | None = None  # short normalized finding: "L5-S1 disc protrusion"
    abnormal: bool | None = None


class WorkStatus(Fact):
    status: WorkStatusKind
    on: date | None = None


class FunctionFact(Fact):
    """Activities of daily living, functional limitations and documented improvement."""

    kind: str  # "adl_limitation", "functional_improvement", "no_functional_improvement", ...
    detail: str | None = None
    # For a functional improvement: the treatment concept or drug generic named in the same
    # sentence, the one the gain is credited to ("able to walk longer since starting PT").
    treatment: str | None = None


class MonitoringFact(Fact):
    """Documentation facts the guidelines ask for (opioid monitoring and the like)."""

    kind: (
        str  # "urine_drug_screen", "opioid_agreement", "side_effects", "aberrant_behavior", "cures"
    )
    on: date | None = None
    consistent: bool | None = None  # for urine drug screens
    detail: str | None = None


class Surgery(Fact):
    procedure: str
    body_part: str | None = None
    laterality: Laterality | None = None
    on: date | None = None
    done: bool = True  # False: planned (context is then HYPOTHETICAL)


class PsychosocialFact(Fact):
    kind: str  # "depression", "anxiety", "sleep_disturbance", "litigation", "substance_use", ...
    detail: str | None = None


class PriorReview(Fact):
    """A prior UR or IMR decision mentioned in the records."""

    kind: str  # "UR" | "IMR"
    on: date | None = None
    outcome: str | None = None  # "denied", "modified", "certified", "upheld", "overturned"
    item: str | None = None


class RequestedItem(Fact):
    text: str


class ClinicalFacts(BaseModel):
    """Facts of one case file. Offsets in every Span point into `text`."""

    model_config = ConfigDict(extra="forbid")

    text: str = ""
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None
    date_of_injury: date | None = None
    mechanism: str | None = None
    body_parts: list[BodyPart] = Field(default_factory=list)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    treatments: list[TreatmentTried] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    pain_scores: list[PainScore] = Field(default_factory=list)
    neuro_findings: list[NeuroFinding] = Field(default_factory=list)
    # When symptoms began, apart from the injury date (additive: empty when not stated).
    symptom_onsets: list[SymptomOnset] = Field(default_factory=list)
    exam_findings: list[ExamFinding] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    tests: list[TestResult] = Field(default_factory=list)
    work_status: list[WorkStatus] = Field(default_factory=list)
    function: list[FunctionFact] = Field(default_factory=list)
    monitoring: list[MonitoringFact] = Field(default_factory=list)
    surgeries: list[Surgery] = Field(default_factory=list)
    psychosocial: list[PsychosocialFact] = Field(default_factory=list)
    prior_reviews: list[PriorReview] = Field(default_factory=list)
    requested_items: list[RequestedItem] = Field(default_factory=list)
    physical_exam_documented: bool | None = None
    rfa_present: bool | None = None  # False only where the records say none was submitted
    latest_note_date: date | None = None
    warnings: list[str] = Field(default_factory=list)

    @classmethod
    def fact_list_names(cls) -> tuple[str, ...]:
        """The fields that hold lists of facts (with evidence), in declaration order."""
        names = []
        for name, info in cls.model_fields.items():
            args = get_args(info.annotation) if get_origin(info.annotation) is list else ()
            if args and isinstance(args[0], type) and issubclass(args[0], Fact):
                names.append(name)
        return tuple(names)

    def months_since_injury(self, on: date) -> float | None:
        """Whole-and-fractional months from the injury to `on` (None without an injury date)."""
        if self.date_of_injury is None:
            return None
        return (on - self.date_of_injury).days / 30.4375
