"""Clinical extractor: psychosocial, function, response, mechanism and documentation cues.

Sentences are our own, written to exercise one general phrase pattern each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from openimr.clinical import extract_facts
from openimr.model.clinical import ClinicalFacts, FactContext, Response


def _kinds(items: list[Any], context: FactContext | None = None) -> set[str]:
    return {i.kind for i in items if context is None or i.context is context}


def _treatment(facts: ClinicalFacts, concept: str) -> Any:
    hits = [t for t in facts.treatments if t.concept == concept]
    assert hits, f"no {concept} in {facts.treatments}"
    return hits[0]


# ---------------------------------------------------------------- psychosocial


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "She reports trouble with her mood and difficulty with sleep since the accident.",
            "sleep_disturbance",
        ),
        ("His main complaint this month was inability to sleep.", "sleep_disturbance"),
        ("The worker is treated for major depressive disorder.", "depression"),
        ("He has symptoms of anxiety after the assault.", "anxiety"),
        ("Testing showed generalized anxiety disorder.", "anxiety"),
        ("A letter from his attorney asked for a second opinion.", "litigation"),
        ("A note by the Esquire asked for a consultation.", "litigation"),
    ],
)
def test_psychosocial_factors(text: str, kind: str) -> None:
    assert kind in _kinds(extract_facts(text).psychosocial, FactContext.AFFIRMED)


def test_depression_diagnosis_is_also_a_psych_fact_but_only_once() -> None:
    facts = extract_facts("Diagnoses include lumbar strain and depression.")
    assert any(d.label == "depression" for d in facts.diagnoses)
    assert [p.kind for p in facts.psychosocial] == ["depression"]


def test_denied_alcohol_use_is_negated_substance_use() -> None:
    facts = extract_facts("The worker denied alcohol or drug use.")
    assert "substance_use" in _kinds(facts.psychosocial, FactContext.NEGATED)


# ---------------------------------------------------------------- function


@pytest.mark.parametrize(
    "text",
    [
        "Shoulder pain gives him difficulty getting in and out of shirts.",
        "The pain causes difficulty with regular duties and overhead activities.",
        "There is inability to stand or sit for prolonged periods.",
        "A home aide was asked to assist with mobility, transfers, activities of daily living.",
    ],
)
def test_adl_limitations(text: str) -> None:
    assert "adl_limitation" in _kinds(extract_facts(text).function, FactContext.AFFIRMED)


def test_heel_and_toe_walking_on_exam_is_not_an_adl_limitation() -> None:
    facts = extract_facts("Exam: slight difficulty with walking on heels and toes.")
    assert "adl_limitation" not in _kinds(facts.function)


@pytest.mark.parametrize(
    "text",
    [
        "Records show improvement in pain and functioning since surgery.",
        "She said the medications helped her functional mobility.",
    ],
)
def test_functional_improvement(text: str) -> None:
    assert "functional_improvement" in _kinds(extract_facts(text).function, FactContext.AFFIRMED)


def test_without_documentation_of_functional_improvement() -> None:
    facts = extract_facts(
        "He had 6 chiropractic treatments (without documentation of functional objective "
        "improvement)."
    )
    assert "no_functional_improvement" in _kinds(facts.function)
    assert "functional_improvement" not in _kinds(facts.function)
    # a gap in the record, not a reported lack of benefit (the gold set reads it so too)
    assert _treatment(facts, "chiropractic").response is Response.NOT_STATED


def test_no_significant_improvement_is_not_a_function_fact() -> None:
    facts = extract_facts("Acupuncture gave no significant improvement.")
    assert "no_functional_improvement" not in _kinds(facts.function)


# ---------------------------------------------------------------- response


@pytest.mark.parametrize(
    ("text", "concept", "response"),
    [
        (
            "Knee pain continued despite a steroid shot in October.",
            "steroid_injection",
            Response.NO_BENEFIT,
        ),
        ("Acupuncture sessions were noted to improve symptoms.", "acupuncture", Response.IMPROVED),
        (
            "He said physical therapy decreased his pain from 7 to 4.",
            "physical_therapy",
            Response.IMPROVED,
        ),
        (
            "She could not fill prescriptions, interrupting any benefit from medication regimen.",
            "medication_management",
            Response.NOT_STATED,
        ),
        (
            "Physical therapy was requested to improve function.",
            "physical_therapy",
            Response.NOT_STATED,
        ),
    ],
)
def test_treatment_response(text: str, concept: str, response: Response) -> None:
    assert _treatment(extract_facts(text), concept).response is response


def test_response_stated_in_the_next_sentence() -> None:
    facts = extract_facts("She completed 8 sessions of acupuncture in May. It helped her sleep.")
    assert _treatment(facts, "acupuncture").response is Response.IMPROVED


def test_next_sentence_about_something_else_is_not_the_response() -> None:
    facts = extract_facts(
        "She completed 8 sessions of acupuncture in May. Her blood sugar improved."
    )
    assert _treatment(facts, "acupuncture").response is Response.NOT_STATED


# ---------------------------------------------------------------- mechanism


@pytest.mark.parametrize(
    ("text", "mechanism"),
    [
        (
            "Claim from 1/2/2016. The mechanism of injury is detailed as a slip on a wet floor.",
            "a slip on a wet floor",
        ),
        ("Mechanism of injury occurred when a box fell on him.", "when a box fell on him"),
        ("Diagnoses include a wrist contusion secondary to a fall.", "a fall"),
    ],
)
def test_mechanism(text: str, mechanism: str) -> None:
    assert extract_facts(text).mechanism == mechanism


@pytest.mark.parametrize(
    "text",
    [
        "The injured worker stopped working due to severe pain.",
        "The injured worker reported therapy decreased pain from 8 out of 10 to 5 out of 10.",
    ],
)
def test_pain_is_not_a_mechanism(text: str) -> None:
    assert extract_facts(text).mechanism is None


# ---------------------------------------------------------------- documentation


def test_authorization_request_is_an_rfa() -> None:
    assert extract_facts("An authorization request dated 3/4/2016 asked for an MRI.").rfa_present


def test_physical_evaluation_not_provided() -> None:
    facts = extract_facts("A physical evaluation was not provided in the records.")
    assert facts.physical_exam_documented is False


# ---------------------------------------------------------------- drug fallback, neuro sites


def test_drug_missing_from_the_vocabulary_is_resolved_to_its_generic() -> None:
    facts = extract_facts("Current medications: Gralise 600 mg twice a day.")
    med = next(m for m in facts.medications if m.generic == "gabapentin")
    assert med.strength == "600mg"


def test_fallback_lookup_ignores_ordinary_words_before_a_number() -> None:
    facts = extract_facts("He drinks water 500 ml a day and walks 2 miles.")
    assert facts.medications == []


@pytest.mark.parametrize(
    ("text", "kind", "part", "side"),
    [
        ("Decreased sensation in the left C6 dermatome.", "dermatomal_sensory_loss", "arm", "left"),
        ("Positive straight leg raise on the right.", "straight_leg_raise", "leg", None),
        ("He reports numbness and tingling in the left hand.", "tingling", "hand", "left"),
        ("Weakness of the right upper extremity was noted.", "weakness", "arm", "right"),
    ],
)
def test_neuro_finding_body_part(text: str, kind: str, part: str, side: str | None) -> None:
    finding = next(n for n in extract_facts(text).neuro_findings if n.kind == kind)
    assert finding.body_part == part
    assert (finding.laterality.value if finding.laterality else None) == side


# ---------------------------------------------------------------- exam findings


def _exam(text: str) -> list[Any]:
    return extract_facts(text).exam_findings


def test_negation_ends_at_a_new_finding_after_a_comma() -> None:
    found = _exam("Right knee: no effusion, tenderness over the right medial joint.")
    tender = [e for e in found if e.kind == "tenderness"]
    assert tender and tender[0].context is FactContext.AFFIRMED


def test_negation_ends_at_and_plus_a_positive_finding() -> None:
    found = _exam("The neck showed no spasm and decreased range of motion.")
    rom = [e for e in found if e.kind == "range_of_motion"]
    assert rom and rom[0].context is FactContext.AFFIRMED


@pytest.mark.parametrize(
    "text", ["He has full range of motion of the knee.", "Range of motion of the hip was full."]
)
def test_full_range_of_motion_is_a_normal_finding(text: str) -> None:
    rom = [e for e in _exam(text) if e.kind == "range_of_motion"]
    assert rom and rom[0].positive is False


@pytest.mark.parametrize(
    "text",
    [
        "Grip strength was 4/5 with wrist flexion.",
        "She refused range of motion testing because of pain.",
        "He began passive range of motion exercises at home.",
        "Neer's test was difficult to assess because of guarding.",
    ],
)
def test_words_that_are_no_exam_finding(text: str) -> None:
    kinds = {e.kind for e in _exam(text)}
    assert not kinds & {"range_of_motion", "special_test"}


@pytest.mark.parametrize(
    ("text", "name", "part"),
    [
        ("Kemp's test was positive on the left.", "Kemp", "lumbar spine"),
        ("Milgram's was positive.", "Milgram", "lumbar spine"),
        ("Apley's grind test was positive.", "Apley", "knee"),
        ("Speed's test was positive.", "Speed", "shoulder"),
    ],
)
def test_named_special_tests_with_their_region(text: str, name: str, part: str) -> None:
    tests = [e for e in _exam(text) if e.kind == "special_test"]
    assert tests and tests[0].name == name and tests[0].body_part == part
    assert tests[0].positive is True


def test_a_list_of_tests_shares_its_leading_negative() -> None:
    found = _exam("There was a negative Neer's test, Hawkins' test, and Speed's test.")
    assert [e.positive for e in found if e.kind == "special_test"] == [False, False, False]


# ---------------------------------------------------------------- body parts


def _parts(text: str) -> set[str]:
    return {
        f"{p.laterality.value} {p.name}" if p.laterality else p.name
        for p in extract_facts(text).body_parts
    }


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Pain radiated into the arms bilaterally.", "bilateral arm"),
        ("She has tingling in the toes on the right.", "right foot"),
        ("He struck the right side of his head.", "right head"),
        ("Pain runs down the right lateral leg.", "right leg"),
    ],
)
def test_laterality_written_around_the_part(text: str, part: str) -> None:
    assert part in _parts(text)


def test_a_list_shares_its_laterality() -> None:
    parts = _parts("He injured the right shoulder, elbow and wrist; also the left ankle and foot.")
    assert {"right shoulder", "right elbow", "right wrist", "left ankle", "left foot"} <= parts


@pytest.mark.parametrize(
    "text",
    [
        "He had an 8 foot fall from a ladder.",
        "She walks about 250 feet at home.",
        "X-ray showed a fracture of the radius head.",
        "He hopes to go back to full time work.",
    ],
)
def test_words_that_name_no_body_part_here(text: str) -> None:
    assert not _parts(text) & {"foot", "head", "lumbar spine"}


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Thoracolumbar tenderness was noted.", "thoracic spine"),
        ("She reports abdominal pain.", "chest"),
        ("Tenderness over the greater trochanter.", "hip"),
    ],
)
def test_added_body_part_words(text: str, part: str) -> None:
    assert part in _parts(text)


# ---------------------------------------------------------------- neuro findings (round 3)


def _neuro(text: str) -> list[tuple[str, FactContext]]:
    return [(n.kind, n.context) for n in extract_facts(text).neuro_findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a normal grade is no reflex change; a low grade is one
        (
            "Exam: 2+ knee reflexes, left ankle reflex 2+, right ankle reflex 1+.",
            [
                ("reflex_change", FactContext.NEGATED),
                ("reflex_change", FactContext.NEGATED),
                ("reflex_change", FactContext.AFFIRMED),
            ],
        ),
        ("His deep tendon reflexes were 2/4 throughout.", [("reflex_change", FactContext.NEGATED)]),
        ("Knee and ankle reflexes appear equal.", [("reflex_change", FactContext.NEGATED)]),
        ("There was a decreased left ankle reflex.", [("reflex_change", FactContext.AFFIRMED)]),
        # strength graded below 5, or "decreased <part> strength"
        ("She had 4 out of 5 strength in the deltoid.", [("weakness", FactContext.AFFIRMED)]),
        ("He showed decreased knee strength on the left.", [("weakness", FactContext.AFFIRMED)]),
        ("The worker had 5/5 muscle strength.", [("weakness", FactContext.NEGATED)]),
        # "motor or sensory": one finding each
        (
            "There was no motor or sensory deficit in the legs.",
            [("weakness", FactContext.NEGATED), ("sensory_loss", FactContext.NEGATED)],
        ),
        (
            "No deficits in sensory and motor nerve distributions were found.",
            [("sensory_loss", FactContext.NEGATED), ("weakness", FactContext.NEGATED)],
        ),
        # the exam word and the finding word of one clause are one finding
        (
            "Manual motor testing demonstrated no focal deficits in the arms.",
            [("weakness", FactContext.NEGATED)],
        ),
        (
            "Sensory exam showed no deficit in any of the lumbar dermatomes of the legs.",
            [("dermatomal_sensory_loss", FactContext.NEGATED)],
        ),
        # findings the record is said to lack
        (
            "The notes did not reveal any red flags or neurological deficits in the neck.",
            [("weakness", FactContext.NEGATED)],
        ),
        (
            "The MRI was denied for lack of neurologic deficits.",
            [("weakness", FactContext.NEGATED)],
        ),
        ("Spurling's test was questionable on the right.", [("spurling", FactContext.UNCERTAIN)]),
        (
            "Her sensation was recorded as hyposensorium in the thumb.",
            [("sensory_loss", FactContext.AFFIRMED)],
        ),
        (
            "He reported low back pain radiating down the left leg.",
            [("radicular_pain", FactContext.AFFIRMED)],
        ),
    ],
)
def test_neuro_findings_round_three(text: str, expected: list[tuple[str, FactContext]]) -> None:
    assert _neuro(text) == expected


def test_two_sides_stay_two_neuro_findings() -> None:
    found = _neuro("Reflexes were absent at the left ankle, right ankle reflexes were 1+.")
    assert [k for k, _ in found] == ["reflex_change", "reflex_change"]


# ---------------------------------------------------------------- tests and their context


def _tests(text: str) -> list[tuple[str, FactContext]]:
    return [(t.modality, t.context) for t in extract_facts(text).tests]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lumbar MRI was ordered at the visit.", [("MRI", FactContext.HYPOTHETICAL)]),
        (
            "The reason for the nerve conduction study in question is unclear.",
            [("NCS", FactContext.HYPOTHETICAL)],
        ),
        (
            "Findings were too few to support a CT scan of the neck.",
            [("CT", FactContext.HYPOTHETICAL)],
        ),
        (
            "There was no documentation of findings to warrant the requested x-ray of the hip.",
            [("X-ray", FactContext.HYPOTHETICAL)],
        ),
        (
            "The reviewer issued a non-certification of MRI of the knee.",
            [("MRI", FactContext.HYPOTHETICAL)],
        ),
        (
            "X-rays or labs were not described as performed.",
            [("X-ray", FactContext.NEGATED), ("labs", FactContext.NEGATED)],
        ),
        ("Plain film imaging of the knee showed arthritis.", [("X-ray", FactContext.AFFIRMED)]),
        # one study: EMG and NCS written together, with its abbreviation in brackets
        (
            "He requested electromyography and nerve conduction studies (EMG/NCS) of the arms.",
            [("EMG/NCS", FactContext.HYPOTHETICAL)],
        ),
        # a generic heading of a list of tests is not a test
        (
            "Diagnostic studies included an MRI of the knee.",
            [("MRI", FactContext.AFFIRMED)],
        ),
        (
            "Treatment to date has included diagnostic studies and medications.",
            [("diagnostic studies", FactContext.HISTORICAL)],
        ),
    ],
)
def test_tests_and_their_context(text: str, expected: list[tuple[str, FactContext]]) -> None:
    assert _tests(text) == expected


def test_ultrasound_in_a_list_of_treatments_is_a_treatment() -> None:
    facts = extract_facts(
        "The request for spinal manipulation, electrical stimulation, ultrasound was denied."
    )
    assert not [t for t in facts.tests if t.modality == "ultrasound"]
    assert _treatment(facts, "ultrasound_therapy").context is FactContext.HYPOTHETICAL
    assert [t.modality for t in extract_facts("A knee ultrasound showed a cyst.").tests] == [
        "ultrasound"
    ]


# ---------------------------------------------------------------- treatment context (round 3)


@pytest.mark.parametrize(
    ("text", "concept", "context"),
    [
        # the items that open the sentence after a decision on "the request" are the request
        (
            "The reviewer modified the request. Acupuncture 8 visits to the neck was approved.",
            "acupuncture",
            FactContext.HYPOTHETICAL,
        ),
        # a reason clause is not reached by the denial before it
        (
            "The request was denied due to the prior chiropractic treatment outcome not "
            "being specified.",
            "chiropractic",
            FactContext.HISTORICAL,
        ),
        (
            "The MRI was denied because massage therapy had not been tried.",
            "massage",
            FactContext.NEGATED,
        ),
        # tried, even in a request sentence
        (
            "The request for traction was non-certified, she was currently participating in a "
            "physical therapy program.",
            "physical_therapy",
            FactContext.HISTORICAL,
        ),
        (
            "She began prescribed physical therapy last week.",
            "physical_therapy",
            FactContext.HISTORICAL,
        ),
        (
            "Eight sessions of physical therapy were ordered.",
            "physical_therapy",
            FactContext.HYPOTHETICAL,
        ),
        (
            "He was awaiting word on when he could start aquatic therapy.",
            "aquatic_therapy",
            FactContext.HYPOTHETICAL,
        ),
    ],
)
def test_treatment_context_round_three(text: str, concept: str, context: FactContext) -> None:
    assert _treatment(extract_facts(text), concept).context is context


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        (
            "The RFA dated 12/01/2016 requested physical therapy for pain relief.",
            "physical_therapy",
        ),
        ("RFA: chiropractic therapy 8 sessions, helpful for pain relief", "chiropractic"),
        ("The treatment plan includes acupuncture, which should help with pain.", "acupuncture"),
        ("Request for Authorization: acupuncture x6 to provide relief.", "acupuncture"),
    ],
)
def test_a_requested_or_planned_treatment_has_no_response(text: str, concept: str) -> None:
    found = _treatment(extract_facts(text), concept)
    assert found.context is FactContext.HYPOTHETICAL
    assert found.response is Response.NOT_STATED


def test_a_tried_treatment_keeps_its_response_next_to_a_request() -> None:
    facts = extract_facts("Acupuncture helped her pain. The RFA requested more acupuncture.")
    responses = [t.response for t in facts.treatments if t.concept == "acupuncture"]
    assert responses == [Response.IMPROVED, Response.NOT_STATED]


# ---------------------------------------------------------------- symptom onset


@pytest.mark.parametrize(
    ("text", "symptom", "on", "precision", "ago"),
    [
        (
            "On 12/01/2016 he said the numbness began 3 weeks ago.",
            "numbness",
            date(2016, 11, 10),
            "day",
            21,
        ),
        ("She has had symptoms since March 2016.", "symptoms", date(2016, 3, 1), "month", None),
        (
            "He reported onset of radiating pain on 01/05/2016.",
            "radiating pain",
            date(2016, 1, 5),
            "day",
            None,
        ),
        (
            "Tingling in the left hand started about two months ago.",
            "tingling in the left hand",
            None,
            "month",
            60,
        ),
    ],
)
def test_symptom_onset(
    text: str, symptom: str, on: date | None, precision: str, ago: int | None
) -> None:
    facts = extract_facts(text)
    assert len(facts.symptom_onsets) == 1
    onset = facts.symptom_onsets[0]
    assert (onset.symptom, onset.on, onset.precision, onset.ago_days) == (
        symptom,
        on,
        precision,
        ago,
    )
    span = onset.evidence[0]
    assert symptom.split()[0] in text[span.start : span.end].lower()


def test_the_injury_date_is_not_a_symptom_onset() -> None:
    facts = extract_facts("The date of injury is 03/04/2015. Pain began on the day of the fall.")
    assert facts.date_of_injury == date(2015, 3, 4)
    assert facts.symptom_onsets == []


# ---------------------------------------------------------------- functional gains in words


@pytest.mark.parametrize(
    ("text", "treatment", "context"),
    [
        (
            "Since starting physical therapy she is able to walk longer.",
            "physical_therapy",
            FactContext.AFFIRMED,
        ),
        (
            "After acupuncture he reports increased tolerance for sitting.",
            "acupuncture",
            FactContext.AFFIRMED,
        ),
        ("He returned to full duty after chiropractic care.", "chiropractic", FactContext.AFFIRMED),
        (
            "With Norco he has improved ability to perform ADLs.",
            "hydrocodone/acetaminophen",
            FactContext.AFFIRMED,
        ),
        ("She now has increased walking distance.", None, FactContext.AFFIRMED),
        ("He is not able to walk longer than a block.", None, FactContext.NEGATED),
        ("The goal is to be able to sit longer.", None, FactContext.HYPOTHETICAL),
    ],
)
def test_functional_gains_in_words(text: str, treatment: str | None, context: FactContext) -> None:
    gains = [f for f in extract_facts(text).function if f.kind == "functional_improvement"]
    assert [(g.treatment, g.context) for g in gains] == [(treatment, context)]


def test_returned_to_full_duty_is_also_a_work_status() -> None:
    facts = extract_facts("He returned to full duty after chiropractic care.")
    assert [w.status.value for w in facts.work_status] == ["full_duty"]


# ---------------------------------------------------------------- medications and pain (round 3)


@pytest.mark.parametrize(
    ("text", "generic", "context"),
    [
        ("He saw his doctor, being prescribed ibuprofen.", "ibuprofen", FactContext.AFFIRMED),
        (
            "She was prescribed Norco by her surgeon.",
            "hydrocodone/acetaminophen",
            FactContext.AFFIRMED,
        ),
        ("The plan included discontinuation of Tramadol.", "tramadol", FactContext.HISTORICAL),
        (
            "There was no documentation to support the ongoing use of Norflex.",
            "orphenadrine",
            FactContext.HYPOTHETICAL,
        ),
    ],
)
def test_medication_context_round_three(text: str, generic: str, context: FactContext) -> None:
    meds = [m for m in extract_facts(text).medications if m.generic == generic]
    assert [m.context for m in meds] == [context]


def test_a_pain_range_is_one_score_and_a_date_is_none() -> None:
    facts = extract_facts("On 10/10/2016 he rated the pain 7/10 to 8/10.")
    assert [(p.value, p.value_high) for p in facts.pain_scores] == [(7, 8)]


def test_a_steroid_taper_is_no_opioid_taper() -> None:
    assert not [t for t in extract_facts("He was given Prednisone with taper.").treatments]
    assert _treatment(extract_facts("Plan: opioid taper."), "opioid_taper")


def test_acupuncture_therapy_sessions_are_acupuncture() -> None:
    facts = extract_facts("The request for acupuncture therapy sessions #6 was denied.")
    assert [t.concept for t in facts.treatments] == ["acupuncture"]
