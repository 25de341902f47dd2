"""The clinical vocabularies and rules (data/*.yaml), validated by a schema at load.

Every file is read once per process. A file that fails its schema raises
`ClinicalVocabularyError` naming the file and the field, never a value from a case file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from openimr.errors import OpenIMRError

DATA_DIR = Path(__file__).resolve().parent / "data"


class ClinicalVocabularyError(OpenIMRError):
    """A clinical vocabulary or rule file is missing, unreadable or fails its schema."""

    kind = "clinical-vocabulary-error"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str) -> str:
    try:
        re.compile(value.replace("{DATE}", "x").replace("{NUMBER_WORDS}", "x"))
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from exc
    return value


class _Termed(_Strict):
    """An item found by phrases (`terms`, token-wise, case-insensitive) or regexes."""

    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        return [_check_regex(v) for v in value]

    @model_validator(mode="after")
    def _has_words(self) -> _Termed:
        if not self.terms and not self.patterns:
            raise ValueError("an item needs at least one term or pattern")
        return self


class DiagnosisTerm(_Termed):
    label: str
    categories: list[str] = Field(min_length=1)
    body_part: str | None = None
    # The body part (body_parts.yaml name) whose pain this diagnosis is: a complaint of
    # pain of that part, also in a list ("neck, shoulder, and arm pain"), gives it.
    pain_of: str | None = None
    # A lasting condition (hypertension, diabetes, anemia ...): a mention in the past
    # medical history or after "history of" is a condition the worker has now.
    chronic: bool = False

    # The shape is checked at every load; membership in ICD-10-CM (simple-icd-10-cm, 1.6 s
    # to load) by `load_vocabulary(check_codes=True)`, which the test suite runs.
    icd10: str | None = Field(default=None, pattern=r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


class DiagnosesFile(_Strict):
    version: int
    diagnoses: list[DiagnosisTerm]


class BodyPartTerm(_Termed):
    name: str
    region: Literal["spine", "upper_extremity", "lower_extremity", "head", "trunk"]
    # Text right before a mention that makes it no body part ("an 8 foot fall", "radius
    # head", "return back to work").
    skip_before: str | None = None

    @field_validator("skip_before")
    @classmethod
    def _skip_compiles(cls, value: str | None) -> str | None:
        return None if value is None else _check_regex(value)


class BodyPartsFile(_Strict):
    version: int
    body_parts: list[BodyPartTerm]


class TreatmentTerm(_Termed):
    concept: str = Field(pattern=r"^[a-z0-9_]+$")


class TreatmentsFile(_Strict):
    version: int
    treatments: list[TreatmentTerm]


class SurgeryTerm(_Termed):
    procedure: str
    body_part: str | None = None
    # The words name surgery being weighed ("surgical consultation", "surgical candidate"),
    # never one done: an affirmed mention is a planned (hypothetical) procedure.
    considered_only: bool = False
    # The words name a region, not a part ("spine surgeon referral"): the body part is the
    # only part of that region (body_parts.yaml) the case text names, when there is one.
    region: Literal["spine", "upper_extremity", "lower_extremity", "head", "trunk"] | None = None


class SurgeriesFile(_Strict):
    version: int
    surgeries: list[SurgeryTerm]


class DrugTerm(_Strict):
    generic: str
    drug_class: str = Field(alias="class", pattern=r"^[a-z0-9_]+$")
    also: list[str] = Field(default_factory=list)  # narrower classes the criteria test
    names: list[str] = Field(min_length=1)

    @field_validator("generic")
    @classmethod
    def _lower(cls, value: str) -> str:
        if value != value.lower():
            raise ValueError("generic names are lower case")
        return value


class DrugsFile(_Strict):
    version: int
    drugs: list[DrugTerm]


class TestTerm(_Termed):
    modality: str


class KindTerm(_Termed):
    kind: str
    name: str | None = None
    # The body part a named manoeuvre examines (Kemp's: lumbar spine), used when the
    # sentence names none.
    body_part: str | None = None


class WorkTerm(_Termed):
    status: Literal["full_duty", "modified_duty", "off_work", "retired", "permanent_and_stationary"]


class FindingsFile(_Strict):
    version: int
    tests: list[TestTerm]
    neuro: list[KindTerm]
    exam: list[KindTerm]
    red_flags: list[KindTerm]
    psychosocial: list[KindTerm]
    function: list[KindTerm]
    monitoring: list[KindTerm]
    work_status: list[WorkTerm]
    prior_reviews: list[KindTerm]
    documentation: list[KindTerm]


ModifierCategory = Literal[
    "REPORTED_BY_REVIEWER",
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HISTORICAL",
    "HYPOTHETICAL",
    "FAMILY",
    "TERMINATE",
    "PSEUDO",
]


class Modifier(_Strict):
    literal: str
    category: ModifierCategory
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    max_scope: int | None = Field(default=None, ge=1)
    applies_to: list[str] | None = None  # target categories; default: the category's own list


class ContextFile(_Strict):
    version: int
    applies_to: dict[ModifierCategory, list[str]] = Field(default_factory=dict)
    modifiers: list[Modifier]

    @model_validator(mode="after")
    def _one_rule_per_literal(self) -> ContextFile:
        # Two rules with the same words match the same tokens and ConText keeps one of them,
        # which one depending on the order of every rule: each literal gets a single rule.
        seen: set[str] = set()
        for mod in self.modifiers:
            key = " ".join(mod.literal.lower().split())
            if key in seen:
                raise ValueError(f"modifier literal written twice: {mod.literal}")
            seen.add(key)
        return self


class SectionTerm(_Strict):
    category: str
    context: Literal["affirmed", "historical", "hypothetical", "family"]
    applies_to: list[str] | None = None
    terms: list[str] = Field(min_length=1)


class SectionsFile(_Strict):
    version: int
    sections: list[SectionTerm]


class ResponseCues(_Strict):
    no_benefit: list[str]
    worse: list[str]
    improved: list[str]
    neutral: list[str] = Field(default_factory=list)  # a benefit named, not reported


class NeuroSites(_Strict):
    """Body part of a neurological finding when the sentence names no part: by the letter
    of the spinal level ("C6" -> arm) or by the kind of finding (SLR -> leg)."""

    levels: dict[str, str] = Field(default_factory=dict)
    kinds: dict[str, str] = Field(default_factory=dict)


class CuesFile(_Strict):
    version: int
    age_sex: list[str]
    sex_words: dict[Literal["male", "female"], list[str]]
    date_of_injury: list[str]
    mechanism: list[str]
    pain_score: list[str]
    with_medication: list[str]
    without_medication: list[str]
    # The same cues as a bare word ("9/10 without"), read only where the sentence names a
    # medication (`medication_word`) or a drug; and the text right before a drug that makes
    # it the with / without condition ("6/10 without tramadol": the drug is then taken).
    with_medication_bare: list[str] = Field(default_factory=list)
    without_medication_bare: list[str] = Field(default_factory=list)
    medication_word: str = r"(?!)"
    # Onset and duration of relief in an analgesia mention (group t).
    relief_onset: str = r"(?!)"
    relief_duration: str = r"(?!)"
    drug_with_lead: str = r"(?!)"
    drug_without_lead: str = r"(?!)"
    quantity_before: list[str]
    quantity_after: list[str]
    number_words: dict[str, int]
    strength: str
    frequency: str
    past_medication: str
    # After a drug: tried and stopped, or no help ("acetaminophen without benefit").
    past_medication_after: str = r"(?!)"
    current_medication: str
    diagnosis_list_lead: str
    diagnosis_hedge_before: str
    diagnosis_hedge_after: str
    response: ResponseCues
    request_sentence: str
    request_heading: str
    list_item: str
    review_outcome: dict[str, str]
    uds_consistent: str
    uds_inconsistent: str
    laterality: dict[Literal["left", "right", "bilateral"], str]
    test_finding: str
    test_normal: str
    dermatome: str
    exam_positive: str
    exam_negative: str
    note_date: str
    date_lead: str
    treatment_skip_before: dict[str, str]
    treatment_skip_after: dict[str, str]
    foreign_words: list[str]
    dermatome_word: str
    english_words: list[str]
    # Diagnosis categories that are also psychosocial factors (the fact's kind).
    drug_fallback_candidate: str = r"(?!)"
    neuro_sites: NeuroSites = Field(default_factory=NeuroSites)
    psych_diagnosis_categories: list[str] = Field(
        default_factory=lambda: ["depression", "anxiety", "ptsd", "insomnia"]
    )
    # A word every functional_gain / dependency_gain phrase holds: those are searched only
    # around one (speed). The default matches everywhere.
    gain_trigger: str = r"(?=.)"
    # Diagnosis categories that are also red flags of the same kind (guidelines.md X-5).
    red_flag_diagnosis_categories: list[str] = Field(default_factory=list)
    # The start of a sentence that goes on about the treatment of the sentence before
    # ("It helped ...", "These sessions ..."): its response is that treatment's.
    response_next_lead: str = r"(?!)"
    # Around an "improved" cue: words naming pain or its relief, and words naming function;
    # pain without function makes the improvement pain relief only.
    uds_date_list: str = r"(?!)"
    risk_level: str = r"(?!)"
    drug_skip_after: str = r"(?!)"
    response_pain_words: str = r"(?!)"
    response_function_words: str = r"(?!)"
    # A sentence that states a request, an RFA or a review decision on one ("UR
    # non-certified the request for X"): every item in it is requested, whatever its context.
    request_decision: str = r"(?!)"
    # Text right before an item that makes it a treatment tried, not one requested.
    request_item_skip_before: str = r"(?!)"
    request_item_skip_after: str = r"(?!)"
    # Treatment concepts too generic to be a requested item ("medications").
    request_skip_concepts: list[str] = Field(default_factory=list)
    # Exam findings: not examined ("refused range of motion", "difficult to assess"), or not
    # a finding ("passive range of motion exercises", "strength 4/5 with flexion").
    exam_skip_before: str = r"(?!)"
    # Laterality written after the part ("arms bilaterally", "toes on the right").
    laterality_after: dict[Literal["left", "right", "bilateral"], str] = Field(default_factory=dict)
    exam_skip_after: str = r"(?!)"
    # A normal finding ("full range of motion", "range of motion ... was full").
    exam_normal_before: str = r"(?!)"
    exam_normal_after: str = r"(?!)"
    # A negation's scope ends at a new positive finding after a comma or "and": the text
    # before it, and what marks it positive (its own first word, or a site after it).
    exam_scope_break_before: str = r"(?!)"
    exam_scope_break_self: str = r"(?!)"
    exam_scope_break_after: str = r"(?!)"
    # Normal reflex grade written before / after a reflex mention ("2+ reflexes").
    reflex_normal_before: str = r"(?!)"
    reflex_normal_after: str = r"(?!)"
    # A normal exam written with the finding's own word ("reflexes are normal", "normal
    # sensation"): the kinds it applies to, the text after / before the mention, and the
    # abnormal word that keeps a mention a finding ("diminished reflexes").
    neuro_normal_kinds: list[str] = Field(default_factory=list)
    neuro_normal_after: str = r"(?!)"
    neuro_normal_before: str = r"(?!)"
    neuro_abnormal_word: str = r"(?!)"
    # Text right before an item that makes it requested ("the requested x-ray").
    hypothetical_before: str = r"(?!)"
    # A sentence ending on a decision about "the request": items opening the next one are it.
    request_lead_sentence: str = r"(?!)"
    request_lead_reach: int = 40
    # Test modality -> treatment concept when the word stands in a list of treatments.
    test_as_treatment: dict[str, str] = Field(default_factory=dict)
    # Generic test words that head a list of tests or name none done (skip cues).
    generic_tests: list[str] = Field(default_factory=list)
    generic_test_skip_after: str = r"(?!)"
    generic_test_skip_before: str = r"(?!)"
    # Symptom onset phrases ({SYMPTOM}, {WHEN} placeholders; see cues.yaml).
    symptom_words: str = r"(?!)"
    symptom_onset: list[str] = Field(default_factory=list)
    onset_when: str = r"(?!)"
    onset_trigger: str = r"(?!)"
    # Functional gains written in words, and what before one negates or plans it.
    functional_gain: list[str] = Field(default_factory=list)
    functional_gain_negated_before: str = r"(?!)"
    functional_gain_hypothetical_before: str = r"(?!)"
    # Less dependency on medical treatment ("decreased medication use"): a functional gain
    # only when a non-drug treatment in its sentence is what it is credited to.
    dependency_gain: list[str] = Field(default_factory=list)
    # A symptom's duration up to the note ("for the past 6 months"): the {DURATION}
    # placeholder of symptom_onset (groups n, unit), read as "N units ago".
    onset_duration: str = r"(?!)"
    # Text before an onset phrase, in its sentence, that denies the symptom.
    onset_negated_before: str = r"(?!)"
    # A spinal level written right after an item ("at L5-S1"): its region by the level's
    # letter (spinal_level_parts), the body part of an injection or surgery naming no part.
    spinal_level_after: str = r"(?!)"
    spinal_level_parts: dict[str, str] = Field(default_factory=dict)
    # Imaging modalities whose body part may come from their finding, and a spinal segment
    # ("L4-5", "C5-6") whose letter names the spine region of such a finding.
    imaging_modalities: list[str] = Field(default_factory=list)
    segment_level: str = r"(?!)"
    # Right before a surgery naming no part: a revision of an earlier surgery, whose part
    # it is ("revision surgery").
    revision_before: str = r"(?!)"
    # A drug screen negative for illicit drugs (text after the screen): done, consistent.
    uds_negative_result: str = r"(?!)"
    # A body mass index (group value): at or above `bmi_obesity_min` it is the diagnosis
    # labelled `bmi_diagnosis` (diagnoses.yaml).
    bmi: str = r"(?!)"
    bmi_obesity_min: float = 40
    bmi_diagnosis: str = "obesity"
    # A psychosocial factor said to be dealt with (kind -> text after it): not an open one.
    psychosocial_negated_after: dict[str, str] = Field(default_factory=dict)
    # A spinal level right before an item ("right L4-5 microdiscectomy").
    spinal_level_before: str = r"(?!)"
    # A surgery's own date, written after it in its clause or before it (groups date /
    # month, year / yearonly).
    surgery_date_after: str = r"(?!)"
    surgery_date_before: str = r"(?!)"
    # A course certified, authorized or approved by a review or the payer: text before a
    # treatment in its sentence ("UR certified 6 sessions of"), after it ("x6 was
    # authorized"), and the number certified written after it ("was modified to 6 visits").
    authorized_before: str = r"(?!)"
    authorized_after: str = r"(?!)"
    authorized_quantity_after: str = r"(?!)"
    # A course said to be done ("completed the 6 authorized sessions"): before / after it.
    course_done_before: str = r"(?!)"
    course_done_after: str = r"(?!)"
    # A drug started or first prescribed at the visit ("was started on X", "a first-time
    # request for X", "X was introduced"): text before / after the drug in its sentence.
    new_start_before: str = r"(?!)"
    new_start_after: str = r"(?!)"
    # Pain of a list of body parts: the word right after the last part ("neck, shoulder,
    # and arm pain"), the text right before the first ("pain in the neck, right shoulder
    # and low back"), and the gap between two parts of the list.
    pain_after_parts: str = r"(?!)"
    pain_before_parts: str = r"(?!)"
    part_list_gap: str = r"(?!)"
    pain_part_skip: str = r"(?!)"

    @model_validator(mode="after")
    def _regexes_compile(self) -> CuesFile:
        singles = [self.strength, self.frequency, self.past_medication, self.request_sentence]
        singles += [self.current_medication, self.diagnosis_list_lead, self.past_medication_after]
        singles += [self.diagnosis_hedge_before, self.diagnosis_hedge_after]
        singles += [self.request_heading, self.list_item]
        singles += [self.uds_consistent, self.uds_inconsistent, *self.review_outcome.values()]
        singles += [*self.laterality.values(), self.test_finding, self.test_normal]
        singles += [self.dermatome, self.exam_positive, self.exam_negative, self.note_date]
        singles += [self.date_lead, *self.treatment_skip_before.values()]
        singles += [*self.treatment_skip_after.values(), self.dermatome_word]
        lists = [self.age_sex, self.date_of_injury, self.mechanism, self.pain_score]
        lists += [self.with_medication, self.without_medication]
        lists += [self.with_medication_bare, self.without_medication_bare]
        lists += [[self.medication_word, self.drug_with_lead, self.drug_without_lead]]
        lists += [[self.relief_onset, self.relief_duration]]
        lists += [self.quantity_before, self.quantity_after]
        lists += [self.response.no_benefit, self.response.worse, self.response.improved]
        lists += [self.response.neutral, [self.response_next_lead, self.drug_fallback_candidate]]
        lists += [
            [self.request_decision, self.request_item_skip_before, self.request_item_skip_after]
        ]
        lists += [[self.exam_skip_before, self.exam_skip_after, self.exam_normal_before]]
        lists += [[self.exam_normal_after, self.exam_scope_break_before]]
        lists += [list(self.laterality_after.values())]
        lists += [[self.exam_scope_break_self, self.exam_scope_break_after]]
        lists += [[self.reflex_normal_before, self.reflex_normal_after]]
        lists += [[self.neuro_normal_after, self.neuro_normal_before, self.neuro_abnormal_word]]
        lists += [[self.hypothetical_before, self.request_lead_sentence]]
        lists += [[self.generic_test_skip_after, self.generic_test_skip_before]]
        lists += [self.functional_gain, [self.functional_gain_negated_before]]
        lists += [[self.functional_gain_hypothetical_before, self.onset_when, self.onset_trigger]]
        lists += [self.dependency_gain, [self.onset_duration, self.onset_negated_before]]
        lists += [[self.spinal_level_after, self.authorized_before, self.authorized_after]]
        lists += [[self.authorized_quantity_after, self.course_done_before]]
        lists += [[self.course_done_after, self.new_start_before, self.new_start_after]]
        lists += [[self.pain_after_parts, self.pain_before_parts, self.part_list_gap]]
        lists += [[self.pain_part_skip, self.spinal_level_before]]
        lists += [[self.surgery_date_after, self.surgery_date_before, self.segment_level]]
        lists += [[self.revision_before, self.uds_negative_result, self.bmi]]
        lists += [list(self.psychosocial_negated_after.values())]
        for value in singles + [v for group in lists for v in group]:
            _check_regex(value)
        return self


class Vocabulary(_Strict):
    diagnoses: DiagnosesFile
    body_parts: BodyPartsFile
    treatments: TreatmentsFile
    surgeries: SurgeriesFile
    drugs: DrugsFile
    findings: FindingsFile
    context: ContextFile
    sections: SectionsFile
    cues: CuesFile

    @model_validator(mode="after")
    def _known_concepts(self) -> Vocabulary:
        labels = {d.label for d in self.diagnoses.diagnoses}
        if self.cues.bmi_diagnosis not in labels:
            raise ValueError(f"cues.bmi_diagnosis: unknown diagnosis {self.cues.bmi_diagnosis}")
        concepts = {t.concept for t in self.treatments.treatments}
        modalities = {t.modality for t in self.findings.tests}
        for modality, concept in self.cues.test_as_treatment.items():
            if modality not in modalities or concept not in concepts:
                raise ValueError(f"cues.test_as_treatment: unknown {modality} -> {concept}")
        return self


_FILES: dict[str, type[BaseModel]] = {
    "diagnoses": DiagnosesFile,
    "body_parts": BodyPartsFile,
    "treatments": TreatmentsFile,
    "surgeries": SurgeriesFile,
    "drugs": DrugsFile,
    "findings": FindingsFile,
    "context": ContextFile,
    "sections": SectionsFile,
    "cues": CuesFile,
}


def _read(path: Path, model: type[BaseModel]) -> Any:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClinicalVocabularyError(f"{path.name}: cannot read ({type(exc).__name__})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise ClinicalVocabularyError(f"{path.name}: {problems}") from exc


def load_vocabulary(data_dir: Path = DATA_DIR, *, check_codes: bool = False) -> Vocabulary:
    """Read and validate every vocabulary file of `data_dir` (and its ICD-10-CM codes)."""
    parts = {name: _read(data_dir / f"{name}.yaml", model) for name, model in _FILES.items()}
    try:
        vocab = Vocabulary(**parts)
    except ValidationError as exc:
        raise ClinicalVocabularyError(f"cues.yaml: {exc.errors()[0]['msg']}") from exc
    if check_codes:
        unknown = unknown_icd10_codes(vocab)
        if unknown:
            raise ClinicalVocabularyError(
                f"diagnoses.yaml: not ICD-10-CM codes: {', '.join(sorted(unknown))}"
            )
    return vocab


def unknown_icd10_codes(vocab: Vocabulary) -> set[str]:
    """Codes of the diagnoses vocabulary that ICD-10-CM (simple-icd-10-cm) does not know."""
    import simple_icd_10_cm as icd

    codes = {d.icd10 for d in vocab.diagnoses.diagnoses if d.icd10}
    return {code for code in codes if not icd.is_valid_item(code)}


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, loaded once per process."""
    return load_vocabulary()
