"""Clinical extractor: psychosocial, function, response, mechanism and documentation cues.

Sentences are our own, written to exercise one general phrase pattern each.
"""

from __future__ import annotations

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
