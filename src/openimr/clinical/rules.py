"""The cue regexes of data/cues.yaml, compiled once, and the small text helpers built on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from openimr.clinical.vocab import vocabulary
from openimr.letters.dates import DATE, parse_date

_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Rules:
    age_sex: list[re.Pattern[str]]
    male_words: frozenset[str]
    date_of_injury: list[re.Pattern[str]]
    mechanism: list[re.Pattern[str]]
    pain_score: list[re.Pattern[str]]
    with_medication: list[re.Pattern[str]]
    without_medication: list[re.Pattern[str]]
    with_medication_bare: list[re.Pattern[str]]
    without_medication_bare: list[re.Pattern[str]]
    medication_word: re.Pattern[str]
    drug_with_lead: re.Pattern[str]
    drug_without_lead: re.Pattern[str]
    relief_onset: re.Pattern[str]
    relief_duration: re.Pattern[str]
    quantity_before: list[re.Pattern[str]]
    quantity_after: list[re.Pattern[str]]
    number_words: dict[str, int]
    strength: re.Pattern[str]
    frequency: re.Pattern[str]
    past_medication: re.Pattern[str]
    past_medication_after: re.Pattern[str]
    current_medication: re.Pattern[str]
    diagnosis_list_lead: re.Pattern[str]
    diagnosis_hedge_before: re.Pattern[str]
    diagnosis_hedge_after: re.Pattern[str]
    response: dict[str, list[re.Pattern[str]]]
    response_next_lead: re.Pattern[str]
    response_pain_words: re.Pattern[str]
    uds_date_list: re.Pattern[str]
    risk_level: re.Pattern[str]
    drug_skip_after: re.Pattern[str]
    response_function_words: re.Pattern[str]
    drug_fallback_candidate: re.Pattern[str]
    request_sentence: re.Pattern[str]
    request_decision: re.Pattern[str]
    request_item_skip_before: re.Pattern[str]
    request_item_skip_after: re.Pattern[str]
    request_skip_concepts: frozenset[str]
    exam_skip_before: re.Pattern[str]
    exam_skip_after: re.Pattern[str]
    exam_normal_before: re.Pattern[str]
    exam_normal_after: re.Pattern[str]
    exam_scope_break_before: re.Pattern[str]
    exam_scope_break_self: re.Pattern[str]
    exam_scope_break_after: re.Pattern[str]
    request_heading: re.Pattern[str]
    list_item: re.Pattern[str]
    review_outcome: dict[str, re.Pattern[str]]
    uds_consistent: re.Pattern[str]
    uds_inconsistent: re.Pattern[str]
    laterality: dict[str, re.Pattern[str]]
    laterality_after: dict[str, re.Pattern[str]]
    test_finding: re.Pattern[str]
    test_normal: re.Pattern[str]
    dermatome: re.Pattern[str]
    exam_positive: re.Pattern[str]
    exam_negative: re.Pattern[str]
    note_date: re.Pattern[str]
    date_lead: re.Pattern[str]
    date: re.Pattern[str]
    treatment_skip_before: dict[str, re.Pattern[str]]
    treatment_skip_after: dict[str, re.Pattern[str]]
    foreign_words: frozenset[str]
    dermatome_word: re.Pattern[str]
    english_words: frozenset[str]
    reflex_normal_before: re.Pattern[str]
    reflex_normal_after: re.Pattern[str]
    neuro_normal_kinds: frozenset[str]
    neuro_normal_after: re.Pattern[str]
    neuro_normal_before: re.Pattern[str]
    neuro_abnormal_word: re.Pattern[str]
    hypothetical_before: re.Pattern[str]
    request_lead_sentence: re.Pattern[str]
    generic_test_skip_after: re.Pattern[str]
    generic_test_skip_before: re.Pattern[str]
    symptom_onset: list[re.Pattern[str]]
    onset_trigger: re.Pattern[str]
    functional_gain: list[re.Pattern[str]]
    # Every gain phrase in one alternation (groups g0.. functional, d0.. dependency): one pass
    # over the text instead of one per pattern.
    any_gain: re.Pattern[str]
    gain_trigger: re.Pattern[str]  # a word every gain phrase holds (scan only around one)
    functional_gain_negated_before: re.Pattern[str]
    functional_gain_hypothetical_before: re.Pattern[str]
    dependency_gain: list[re.Pattern[str]]
    onset_negated_before: re.Pattern[str]
    spinal_level_after: re.Pattern[str]
    spinal_level_before: re.Pattern[str]
    segment_level: re.Pattern[str]
    revision_before: re.Pattern[str]
    uds_negative_result: re.Pattern[str]
    bmi: re.Pattern[str]
    psychosocial_negated_after: dict[str, re.Pattern[str]]
    surgery_date_after: re.Pattern[str]
    surgery_date_before: re.Pattern[str]
    authorized_before: re.Pattern[str]
    authorized_after: re.Pattern[str]
    authorized_quantity_after: re.Pattern[str]
    course_done_before: re.Pattern[str]
    course_done_after: re.Pattern[str]
    new_start_before: re.Pattern[str]
    new_start_after: re.Pattern[str]
    pain_after_parts: re.Pattern[str]
    pain_before_parts: re.Pattern[str]
    part_list_gap: re.Pattern[str]
    pain_part_skip: re.Pattern[str]


def _expand(pattern: str, number_words: dict[str, int]) -> str:
    words = "|".join(sorted((re.escape(w) for w in number_words), key=len, reverse=True))
    return pattern.replace("{DATE}", DATE).replace("{NUMBER_WORDS}", f"(?:{words})")


@cache
def rules() -> Rules:
    """The compiled cue rules (once per process)."""
    cues = vocabulary().cues
    nw = {k.lower(): v for k, v in cues.number_words.items()}

    def one(pattern: str) -> re.Pattern[str]:
        return re.compile(_expand(pattern, nw), _FLAGS)

    def many(patterns: list[str]) -> list[re.Pattern[str]]:
        return [one(p) for p in patterns]

    return Rules(
        age_sex=many(cues.age_sex),
        male_words=frozenset(w.lower() for w in cues.sex_words["male"]),
        date_of_injury=many(cues.date_of_injury),
        mechanism=many(cues.mechanism),
        pain_score=many(cues.pain_score),
        with_medication=many(cues.with_medication),
        without_medication=many(cues.without_medication),
        with_medication_bare=many(cues.with_medication_bare),
        without_medication_bare=many(cues.without_medication_bare),
        medication_word=one(cues.medication_word),
        drug_with_lead=one(cues.drug_with_lead),
        drug_without_lead=one(cues.drug_without_lead),
        relief_onset=one(cues.relief_onset),
        relief_duration=one(cues.relief_duration),
        quantity_before=many(cues.quantity_before),
        quantity_after=many(cues.quantity_after),
        number_words=nw,
        strength=one(cues.strength),
        frequency=one(cues.frequency),
        past_medication=one(cues.past_medication),
        past_medication_after=one(cues.past_medication_after),
        current_medication=one(cues.current_medication),
        diagnosis_list_lead=one(cues.diagnosis_list_lead),
        diagnosis_hedge_before=one(cues.diagnosis_hedge_before),
        diagnosis_hedge_after=one(cues.diagnosis_hedge_after),
        response={
            "no_benefit": many(cues.response.no_benefit),
            "worse": many(cues.response.worse),
            "improved": many(cues.response.improved),
            "neutral": many(cues.response.neutral),
        },
        response_next_lead=one(cues.response_next_lead),
        response_pain_words=one(cues.response_pain_words),
        uds_date_list=one(cues.uds_date_list),
        risk_level=one(cues.risk_level),
        drug_skip_after=one(cues.drug_skip_after),
        response_function_words=one(cues.response_function_words),
        drug_fallback_candidate=re.compile(cues.drug_fallback_candidate),
        request_sentence=one(cues.request_sentence),
        request_decision=one(cues.request_decision),
        request_item_skip_before=one(cues.request_item_skip_before),
        request_item_skip_after=one(cues.request_item_skip_after),
        request_skip_concepts=frozenset(cues.request_skip_concepts),
        exam_skip_before=one(cues.exam_skip_before),
        exam_skip_after=one(cues.exam_skip_after),
        exam_normal_before=one(cues.exam_normal_before),
        exam_normal_after=one(cues.exam_normal_after),
        exam_scope_break_before=one(cues.exam_scope_break_before),
        exam_scope_break_self=one(cues.exam_scope_break_self),
        exam_scope_break_after=one(cues.exam_scope_break_after),
        request_heading=one(cues.request_heading),
        list_item=one(cues.list_item),
        review_outcome={k: one(v) for k, v in cues.review_outcome.items()},
        uds_consistent=one(cues.uds_consistent),
        uds_inconsistent=one(cues.uds_inconsistent),
        laterality={k: one(v) for k, v in cues.laterality.items()},
        laterality_after={k: one(v) for k, v in cues.laterality_after.items()},
        test_finding=one(cues.test_finding),
        test_normal=one(cues.test_normal),
        dermatome=re.compile(cues.dermatome),  # case matters: "L5", not "l5"
        exam_positive=one(cues.exam_positive),
        exam_negative=one(cues.exam_negative),
        note_date=one(cues.note_date),
        date_lead=one(cues.date_lead),
        date=re.compile(rf"(?<![\d/-]){DATE}", _FLAGS),
        treatment_skip_before={k: one(v) for k, v in cues.treatment_skip_before.items()},
        treatment_skip_after={k: one(v) for k, v in cues.treatment_skip_after.items()},
        dermatome_word=re.compile(cues.dermatome_word),
        foreign_words=frozenset(w.lower() for w in cues.foreign_words),
        english_words=frozenset(w.lower() for w in cues.english_words),
        reflex_normal_before=one(cues.reflex_normal_before),
        reflex_normal_after=one(cues.reflex_normal_after),
        neuro_normal_kinds=frozenset(cues.neuro_normal_kinds),
        neuro_normal_after=one(cues.neuro_normal_after),
        neuro_normal_before=one(cues.neuro_normal_before),
        neuro_abnormal_word=one(cues.neuro_abnormal_word),
        hypothetical_before=one(cues.hypothetical_before),
        request_lead_sentence=one(cues.request_lead_sentence),
        generic_test_skip_after=one(cues.generic_test_skip_after),
        generic_test_skip_before=one(cues.generic_test_skip_before),
        functional_gain=many(cues.functional_gain),
        functional_gain_negated_before=one(cues.functional_gain_negated_before),
        functional_gain_hypothetical_before=one(cues.functional_gain_hypothetical_before),
        dependency_gain=many(cues.dependency_gain),
        gain_trigger=one(cues.gain_trigger),
        any_gain=one(
            "|".join(
                [f"(?P<g{i}>{p})" for i, p in enumerate(cues.functional_gain)]
                + [f"(?P<d{i}>{p})" for i, p in enumerate(cues.dependency_gain)]
            )
        ),
        onset_negated_before=one(cues.onset_negated_before),
        spinal_level_after=re.compile(cues.spinal_level_after),  # case matters: "L5"
        spinal_level_before=re.compile(cues.spinal_level_before),  # case matters: "L5"
        segment_level=re.compile(cues.segment_level),  # case matters: "L4-5"
        revision_before=one(cues.revision_before),
        uds_negative_result=one(cues.uds_negative_result),
        bmi=one(cues.bmi),
        psychosocial_negated_after={k: one(v) for k, v in cues.psychosocial_negated_after.items()},
        surgery_date_after=one(cues.surgery_date_after),
        surgery_date_before=one(cues.surgery_date_before),
        onset_trigger=one(cues.onset_trigger),
        authorized_before=one(cues.authorized_before),
        authorized_after=one(cues.authorized_after),
        authorized_quantity_after=one(cues.authorized_quantity_after),
        course_done_before=one(cues.course_done_before),
        course_done_after=one(cues.course_done_after),
        new_start_before=one(cues.new_start_before),
        new_start_after=one(cues.new_start_after),
        pain_after_parts=one(cues.pain_after_parts),
        pain_before_parts=one(cues.pain_before_parts),
        part_list_gap=one(cues.part_list_gap),
        pain_part_skip=one(cues.pain_part_skip),
        symptom_onset=[
            one(
                p.replace("{SYMPTOM}", cues.symptom_words)
                .replace("{WHEN}", cues.onset_when)
                .replace("{DURATION}", cues.onset_duration)
            )
            for p in cues.symptom_onset
        ],
    )


def number(value: str) -> int | None:
    """A count written in digits or words ("12", "twelve")."""
    value = value.strip().lower()
    if value.isdigit():
        return int(value)
    return rules().number_words.get(value)


def dates_in(text: str) -> list[tuple[int, date]]:
    """(offset, date) of every valid date in `text`."""
    found = []
    for match in rules().date.finditer(text):
        parsed = parse_date(match.group(0))
        if parsed is not None:
            found.append((match.start(), parsed))
    return found


def parse(text: str) -> date | None:
    return parse_date(text)
