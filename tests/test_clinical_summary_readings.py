"""Reading phrasings common in case summaries and UR recaps: courses a prior review
certified, negations of a record's silence, pain of a list of body parts, drugs started at
the visit, and the comorbidities pre-operative testing asks about. Case texts are invented."""

from __future__ import annotations

import pytest

from openimr.clinical import extract_facts
from openimr.model.clinical import ClinicalFacts, Diagnosis, FactContext, TreatmentTried


def _courses(facts: ClinicalFacts, concept: str) -> list[TreatmentTried]:
    return [t for t in facts.treatments if t.concept == concept]


def _dx(facts: ClinicalFacts, label: str) -> list[Diagnosis]:
    return [d for d in facts.diagnoses if d.label == label]


# ------------------------------------------------- 1. authorized courses


@pytest.mark.parametrize(
    ("text", "concept", "quantity"),
    [
        ("The prior review certified 6 sessions of physical therapy.", "physical_therapy", 6),
        (
            "8 sessions of physical therapy were certified at the prior review.",
            "physical_therapy",
            8,
        ),
        (
            "Utilization review issued a modification for an initial 6 sessions of chiropractic.",
            "chiropractic",
            6,
        ),
        ("UR modified the request to 4 visits of chiropractic care.", "chiropractic", 4),
        ("The request for 12 acupuncture visits was modified to 6 visits.", "acupuncture", 6),
        ("Acupuncture x6 was authorized by the carrier.", "acupuncture", 6),
        ("Acupuncture x6 was approved last month.", "acupuncture", 6),
    ],
)
def test_a_certified_course_is_authorized_and_not_yet_had(
    text: str, concept: str, quantity: int
) -> None:
    facts = extract_facts(text)
    courses = _courses(facts, concept)
    assert courses and all(t.authorized for t in courses)
    assert {t.context for t in courses} == {FactContext.HYPOTHETICAL}
    assert courses[0].quantity == quantity


def test_a_certified_course_said_to_be_completed_was_had() -> None:
    facts = extract_facts("She completed the 6 authorized sessions of physical therapy.")
    (course,) = _courses(facts, "physical_therapy")
    assert course.authorized and course.quantity == 6
    assert course.context is FactContext.HISTORICAL


@pytest.mark.parametrize(
    "text",
    [
        "The request for 12 sessions of physical therapy was non-certified.",
        "UR denied 12 sessions of physical therapy.",
        "Physical therapy 12 sessions was not certified.",
    ],
)
def test_a_denied_course_is_not_authorized(text: str) -> None:
    facts = extract_facts(text)
    assert _courses(facts, "physical_therapy")
    assert not any(t.authorized for t in facts.treatments)


def test_a_course_had_with_no_review_is_not_authorized() -> None:
    facts = extract_facts("He has had 12 sessions of physical therapy with improvement.")
    (course,) = _courses(facts, "physical_therapy")
    assert not course.authorized and course.context is not FactContext.HYPOTHETICAL


def test_the_review_of_a_certified_course_names_its_outcome_and_item() -> None:
    before = extract_facts("8 sessions of physical therapy were certified at the prior review.")
    assert [(r.outcome, r.item) for r in before.prior_reviews] == [
        ("certified", "physical therapy")
    ]
    modified = extract_facts(
        "Utilization review issued a modification for an initial 6 sessions of chiropractic."
    )
    assert [r.outcome for r in modified.prior_reviews] == ["modified"]
    assert modified.prior_reviews[0].item == "chiropractic"


# ------------------------------------------------- 2. negations of summaries and recaps


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (
            "The records did not indicate the patient having gastrointestinal issues or GERD.",
            {"dyspepsia", "gastroesophageal reflux disease"},
        ),
        (
            "There was a lack of documentation of GERD or hypertension.",
            {"gastroesophageal reflux disease", "hypertension"},
        ),
        ("There was a lack of documentation regarding neuropathic pain.", {"neuropathic pain"}),
        (
            "There was no evidence of radiculopathy, myelopathy or stenosis.",
            {"radiculopathy", "myelopathy", "spinal stenosis"},
        ),
        ("The request was made without documentation of radiculopathy.", {"radiculopathy"}),
        (
            "There is no history of anemia, diabetes or a bleeding disorder.",
            {"anemia", "diabetes mellitus", "bleeding disorder"},
        ),
        ("The notes lack documentation of GI complaints.", {"dyspepsia"}),
    ],
)
def test_every_item_of_a_list_after_a_negation_is_negated(text: str, labels: set[str]) -> None:
    facts = extract_facts(text)
    assert {d.label for d in facts.diagnoses} >= labels
    assert all(d.context is FactContext.NEGATED for d in facts.diagnoses if d.label in labels)


def test_no_indication_of_trying_a_drug_negates_the_trial() -> None:
    facts = extract_facts("There was no indication of the patient trying and failing gabapentin.")
    assert [m.context for m in facts.medications] == [FactContext.NEGATED]


def test_a_lack_of_documented_benefit_does_not_negate_the_treatment_had() -> None:
    facts = extract_facts(
        "There was a lack of documentation of functional improvement with physical therapy."
    )
    assert all(t.context is not FactContext.NEGATED for t in facts.treatments)


def test_the_negation_stops_at_the_next_sentence() -> None:
    facts = extract_facts("The records did not indicate GERD. He has hypertension.")
    assert [d.context for d in _dx(facts, "hypertension")] == [FactContext.AFFIRMED]


# ------------------------------------------------- 3. pain of a list of body parts


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (
            "He has complaints of neck, shoulder, and arm pain.",
            {"neck pain", "shoulder pain", "arm pain"},
        ),
        ("He reports neck and low back pain.", {"neck pain", "low back pain"}),
        (
            "She has pain in the neck, right shoulder and low back.",
            {"neck pain", "shoulder pain", "low back pain"},
        ),
        (
            "She complained of neck, mid back and low back pain.",
            {"neck pain", "thoracic spine pain", "low back pain"},
        ),
        ("Right knee pain persists.", {"knee pain"}),
    ],
)
def test_each_part_of_a_pain_list_has_its_pain_diagnosis(text: str, labels: set[str]) -> None:
    facts = extract_facts(text)
    affirmed = {d.label for d in facts.diagnoses if d.affirmed}
    assert affirmed == labels


def test_a_pain_list_gives_the_categories_the_criteria_test() -> None:
    facts = extract_facts("He reports neck and low back pain.")
    categories = {c for d in facts.diagnoses for c in d.categories}
    assert {"neck_pain", "low_back_pain"} <= categories
    (neck,) = _dx(facts, "neck pain")
    assert neck.body_part == "cervical spine" and neck.icd10 == "M54.2"


def test_a_side_in_a_pain_list_stays_with_its_part() -> None:
    facts = extract_facts("She has pain in the neck, right shoulder and low back.")
    (shoulder,) = _dx(facts, "shoulder pain")
    assert shoulder.laterality is not None and shoulder.laterality.value == "right"


def test_a_denied_pain_list_is_negated() -> None:
    facts = extract_facts("She denies neck or arm pain.")
    assert {d.label for d in facts.diagnoses} == {"neck pain", "arm pain"}
    assert all(d.context is FactContext.NEGATED for d in facts.diagnoses)


@pytest.mark.parametrize(
    "text",
    [
        "Examination of the neck, shoulder and arm was performed.",
        "Tenderness of the neck and shoulder was noted.",
        "He reports numbness in the neck and shoulder.",
    ],
)
def test_a_list_of_parts_with_no_pain_gives_no_pain_diagnosis(text: str) -> None:
    facts = extract_facts(text)
    assert not [d for d in facts.diagnoses if d.label.endswith("pain")]


def test_back_alone_names_no_pain_diagnosis() -> None:
    facts = extract_facts("He reports neck and back pain.")
    assert {d.label for d in facts.diagnoses} == {"neck pain"}


# ------------------------------------------------- 4. drugs started at the visit


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("Naprosyn was prescribed at the bottom of the note.", "naproxen"),
        ("He was started on gabapentin 300 mg at night.", "gabapentin"),
        ("This is a first-time request for Lyrica.", "pregabalin"),
        ("Tramadol was introduced at this visit.", "tramadol"),
        ("The physician prescribed Celebrex for the first time.", "celecoxib"),
        ("Duloxetine was initiated for neuropathic pain.", "duloxetine"),
    ],
)
def test_a_drug_started_at_the_visit_is_a_new_start(text: str, generic: str) -> None:
    facts = extract_facts(text)
    meds = [m for m in facts.medications if m.generic == generic]
    assert meds and all(m.new_start for m in meds)


def test_a_drug_continued_is_not_a_new_start() -> None:
    facts = extract_facts("He continues Norco and was started on gabapentin.")
    new = {m.generic: m.new_start for m in facts.medications}
    assert new == {"hydrocodone/acetaminophen": False, "gabapentin": True}


def test_a_drug_taken_before_elsewhere_in_the_text_is_not_a_new_start() -> None:
    text = "She has been taking gabapentin for a year. Gabapentin was started at 300 mg."
    facts = extract_facts(text)
    assert [m.generic for m in facts.medications] == ["gabapentin", "gabapentin"]
    assert not any(m.new_start for m in facts.medications)


def test_a_drug_started_at_the_visit_is_new_in_every_mention() -> None:
    """The review recap names the drug too; a payer that "failed to approve" it documents no
    use of it."""
    text = (
        "The claims administrator failed to approve a request for Mobic. At the visit at issue "
        "Mobic was prescribed at the end of the note."
    )
    meds = [m for m in extract_facts(text).medications if m.generic == "meloxicam"]
    assert len(meds) == 2 and all(m.new_start for m in meds)
    tried = "She had failed meloxicam before. Meloxicam was prescribed at the end of the note."
    assert not any(m.new_start for m in extract_facts(tried).medications)


@pytest.mark.parametrize(
    "text",
    [
        "Current medications: Norco 10/325 mg.",
        "He has been on naproxen since 2015.",
        "He started physical therapy and takes ibuprofen.",
    ],
)
def test_a_drug_taken_is_not_a_new_start(text: str) -> None:
    facts = extract_facts(text)
    assert facts.medications and not any(m.new_start for m in facts.medications)


# ------------------------------------------------- 5. comorbidities for pre-operative testing


@pytest.mark.parametrize(
    ("text", "label", "category"),
    [
        ("She has anemia.", "anemia", "anemia"),
        ("He has a known coagulopathy.", "bleeding disorder", "bleeding_disorder"),
        ("She has a clotting disorder.", "clotting disorder", "clotting_disorder"),
        ("He had a DVT in 2012.", "deep vein thrombosis", "clotting_disorder"),
        ("He reports episodes of syncope.", "syncope", "syncope"),
        ("She reports palpitations.", "palpitations", "palpitations"),
        ("He complains of chest pain on exertion.", "chest pain", "chest_pain"),
        ("He has atrial fibrillation.", "atrial fibrillation", "cardiovascular_disease"),
        ("She has supraventricular tachycardia.", "supraventricular tachycardia", "arrhythmia"),
        ("He has coronary artery disease.", "heart disease", "cardiovascular_disease"),
        ("He has chronic kidney disease.", "renal disease", "renal_disease"),
    ],
)
def test_comorbidities_are_read_with_their_category(text: str, label: str, category: str) -> None:
    facts = extract_facts(text)
    found = _dx(facts, label)
    assert found and category in found[0].categories and found[0].icd10


def test_past_medical_history_conditions_are_current() -> None:
    text = "Past medical history: hypertension, diabetes and anemia.\nHe works as a clerk."
    facts = extract_facts(text)
    labels = {d.label: d.context for d in facts.diagnoses}
    assert labels == {
        "hypertension": FactContext.AFFIRMED,
        "diabetes mellitus": FactContext.AFFIRMED,
        "anemia": FactContext.AFFIRMED,
    }


def test_a_comorbid_diagnosis_and_a_history_of_a_lasting_condition_are_current() -> None:
    facts = extract_facts(
        "He has a comorbid diagnosis of atrial fibrillation and a history of DVT."
    )
    assert {d.label: d.context for d in facts.diagnoses} == {
        "atrial fibrillation": FactContext.AFFIRMED,
        "deep vein thrombosis": FactContext.AFFIRMED,
    }


def test_a_past_episode_stays_historical() -> None:
    # a single past episode is no lasting condition: "history of syncope" stays historical
    facts = extract_facts("He has a history of syncope in 2010.")
    assert [d.context for d in _dx(facts, "syncope")] == [FactContext.HISTORICAL]


def test_denied_comorbidities_are_negated() -> None:
    facts = extract_facts("He denies chest pain, palpitations or syncope.")
    assert {d.label for d in facts.diagnoses} == {"chest pain", "palpitations", "syncope"}
    assert all(d.context is FactContext.NEGATED for d in facts.diagnoses)


def test_a_family_history_of_heart_disease_is_not_the_workers() -> None:
    facts = extract_facts("Family history: his father had heart disease.")
    assert [d.context for d in _dx(facts, "heart disease")] == [FactContext.FAMILY]


def test_approved_for_a_number_of_sessions_is_an_authorized_course() -> None:
    facts = extract_facts("She was previously approved for 6 sessions of manipulative therapy.")
    course = [t for t in facts.treatments if t.concept == "chiropractic"]
    assert course and course[0].authorized and course[0].quantity == 6
    denied = extract_facts("The request for 6 sessions of manipulative therapy was denied.")
    assert not any(t.authorized for t in denied.treatments)


def test_a_term_two_vocabularies_share_is_read_once_with_the_right_meaning() -> None:
    """ "alcohol abuse" is a diagnosis and a psychosocial factor, "myelopathy" a diagnosis and a
    red flag: the diagnosis is read with its own label, and the other fact follows from it."""
    text = "She has cervical myelopathy. He denies alcohol abuse."
    facts = extract_facts(text)
    labels = {d.label: d.context for d in facts.diagnoses}
    assert labels == {"myelopathy": FactContext.AFFIRMED, "alcohol misuse": FactContext.NEGATED}
    assert [(f.kind, f.context) for f in facts.red_flags] == [("myelopathy", FactContext.AFFIRMED)]
    assert [(p.kind, p.context) for p in facts.psychosocial] == [
        ("substance_use", FactContext.NEGATED)
    ]
