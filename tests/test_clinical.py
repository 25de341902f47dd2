"""Clinical facts extractor: context, normalization, numbers, odd input, vocabulary schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openimr.clinical import ClinicalVocabularyError, extract_facts, load_vocabulary, summarize
from openimr.clinical.pipeline import get_pipeline
from openimr.clinical.vocab import DATA_DIR
from openimr.model.clinical import ClinicalFacts, FactContext, Response, Sex, WorkStatusKind


def _one(items: list[Any], **where: object) -> Any:
    hits = [i for i in items if all(getattr(i, k) == v for k, v in where.items())]
    assert hits, f"nothing with {where} in {items}"
    return hits[0]


def _evidence(facts: ClinicalFacts, fact: object) -> str:
    span = fact.evidence[0]  # type: ignore[attr-defined]
    return facts.text[span.start : span.end]


# ---------------------------------------------------------------- hard context cases


def test_denied_radicular_symptoms_is_negated() -> None:
    facts = extract_facts("The injured worker denied radicular symptoms into the legs.")
    dx = _one(facts.diagnoses, label="radiculopathy")
    assert dx.context is FactContext.NEGATED
    assert _evidence(facts, dx) == "radicular symptoms"


def test_affirmed_radiculopathy_is_affirmed() -> None:
    facts = extract_facts("Diagnoses included lumbar radiculopathy and lumbar sprain.")
    dx = _one(facts.diagnoses, label="lumbar radiculopathy")
    assert dx.context is FactContext.AFFIRMED
    assert dx.icd10 == "M54.16"
    assert "radiculopathy" in dx.categories
    assert _one(facts.diagnoses, label="lumbar sprain/strain").categories == ["sprain_strain"]


def test_no_improvement_with_pt_is_a_tried_treatment_without_benefit() -> None:
    facts = extract_facts("There was no improvement with PT.")
    pt = _one(facts.treatments, concept="physical_therapy")
    assert pt.context is not FactContext.NEGATED
    assert pt.response is Response.NO_BENEFIT


def test_no_functional_improvement_does_not_negate_the_treatment() -> None:
    facts = extract_facts("There was no functional improvement with acupuncture.")
    acu = _one(facts.treatments, concept="acupuncture")
    assert acu.context is not FactContext.NEGATED
    assert acu.response is Response.NO_BENEFIT
    assert _one(facts.function, kind="no_functional_improvement").affirmed


def test_treatment_that_helped_is_improved() -> None:
    facts = extract_facts("Chiropractic treatment helped with 50% relief of pain.")
    assert _one(facts.treatments, concept="chiropractic").response is Response.IMPROVED


def test_not_tried_treatment_is_negated() -> None:
    facts = extract_facts("She has not tried acupuncture.")
    assert _one(facts.treatments, concept="acupuncture").context is FactContext.NEGATED


def test_mri_to_rule_out_rotator_cuff_tear() -> None:
    facts = extract_facts(
        "The plan included an MRI of the right shoulder to rule out rotator cuff tear."
    )
    dx = _one(facts.diagnoses, label="rotator cuff tear")
    assert "rotator_cuff_tear" in dx.categories
    assert dx.context is FactContext.UNCERTAIN
    mri = _one(facts.tests, modality="MRI")
    assert mri.context is FactContext.HYPOTHETICAL  # requested, not done
    assert mri.body_part == "shoulder"
    assert mri.laterality is not None and mri.laterality.value == "right"


def test_will_consider_surgery_is_hypothetical_and_not_done() -> None:
    facts = extract_facts("The surgeon will consider surgery if symptoms persist.")
    surgery = _one(facts.surgeries, procedure="surgery")
    assert surgery.context is FactContext.HYPOTHETICAL
    assert surgery.done is False


def test_status_post_surgery_is_done() -> None:
    facts = extract_facts("He is status post right knee arthroscopy on 3/4/2015.")
    surgery = _one(facts.surgeries, procedure="knee arthroscopy")
    assert surgery.done is True
    assert surgery.on is not None and surgery.on.year == 2015


def test_family_history_is_family() -> None:
    facts = extract_facts("Family history: mother had rheumatoid arthritis.")
    assert _one(facts.diagnoses, label="rheumatoid arthritis").context is FactContext.FAMILY
    facts = extract_facts("His father had diabetes.")
    assert _one(facts.diagnoses, label="diabetes mellitus").context is FactContext.FAMILY


def test_history_of_is_historical() -> None:
    facts = extract_facts("She has a history of lumbar fusion.")
    assert _one(facts.surgeries, procedure="lumbar fusion").context is FactContext.HISTORICAL


def test_negative_straight_leg_raise_and_positive_spurling() -> None:
    facts = extract_facts(
        "Straight leg raise was negative bilaterally. Positive Spurling's test on the left."
    )
    assert _one(facts.neuro_findings, kind="straight_leg_raise").context is FactContext.NEGATED
    assert _one(facts.neuro_findings, kind="spurling").context is FactContext.AFFIRMED
    assert facts.physical_exam_documented is True


def test_physical_exam_not_provided() -> None:
    facts = extract_facts("The progress note did not provide a physical exam of the wrists.")
    assert facts.physical_exam_documented is False


def test_without_contrast_does_not_negate_the_next_study() -> None:
    facts = extract_facts(
        "Utilization review denied MRI of the neck without contrast and MRI of the shoulder."
    )
    mris = [t for t in facts.tests if t.modality == "MRI"]
    assert len(mris) == 2
    assert all(t.context is not FactContext.NEGATED for t in mris)
    review = _one(facts.prior_reviews, kind="UR")
    assert review.outcome == "denied"
    assert [r.text for r in facts.requested_items] == ["MRI of the neck", "MRI of the shoulder"]


# ---------------------------------------------------------------- drugs


@pytest.mark.parametrize(
    ("written", "generic", "drug_class"),
    [
        ("Norco", "hydrocodone/acetaminophen", "opioid"),
        ("Flexeril", "cyclobenzaprine", "muscle_relaxant"),
        ("Lidoderm patches", "lidocaine patch", "topical_analgesic"),
        ("Voltaren", "diclofenac", "nsaid"),
        ("Voltaren gel", "diclofenac topical", "topical_nsaid"),
        ("Neurontin", "gabapentin", "anticonvulsant"),
        ("Percocet", "oxycodone/acetaminophen", "opioid"),
        ("Ultram", "tramadol", "opioid"),
        ("Prilosec", "omeprazole", "proton_pump_inhibitor"),
        ("Cymbalta", "duloxetine", "antidepressant"),
    ],
)
def test_brand_names_normalize_to_generic(written: str, generic: str, drug_class: str) -> None:
    facts = extract_facts(f"Current medications include {written}.")
    med = _one(facts.medications, generic=generic)
    assert med.drug_class == drug_class
    assert med.context is FactContext.AFFIRMED
    assert med.current is True


def test_dose_and_frequency() -> None:
    facts = extract_facts(
        "Medications: Norco 10/325 mg every 6 hours as needed and Flexeril 7.5 mg at bedtime."
    )
    norco = _one(facts.medications, generic="hydrocodone/acetaminophen")
    assert norco.strength == "10/325mg"
    assert norco.frequency == "every 6 hours as needed"
    flexeril = _one(facts.medications, generic="cyclobenzaprine")
    assert flexeril.strength == "7.5mg"
    assert flexeril.frequency == "at bedtime"
    assert facts.pain_scores == []  # 10/325 is a strength, not a pain score


def test_discontinued_medication_is_past() -> None:
    facts = extract_facts("Gabapentin was previously tried and discontinued.")
    assert _one(facts.medications, generic="gabapentin").current is False


def test_requested_medication_is_hypothetical() -> None:
    facts = extract_facts("The treatment plan included a prescription for Ketamine cream.")
    med = _one(facts.medications, generic="ketamine topical")
    assert med.context is FactContext.HYPOTHETICAL
    assert [r.text for r in facts.requested_items] == ["Ketamine cream"]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("She completed 12 sessions of physical therapy.", 12),
        ("He had twelve visits of chiropractic care.", 12),
        ("Physical therapy x 8 was completed.", 8),
        ("She attended 6 acupuncture sessions.", 6),
        ("Physical therapy was tried.", None),
    ],
)
def test_treatment_quantities(text: str, quantity: int | None) -> None:
    facts = extract_facts(text)
    assert facts.treatments[0].quantity == quantity


def test_date_in_front_of_a_treatment_is_not_a_quantity() -> None:
    facts = extract_facts("On 10-13-16 physical therapy was started.")
    assert _one(facts.treatments, concept="physical_therapy").quantity is None


@pytest.mark.parametrize(
    ("text", "low", "high", "with_med"),
    [
        ("Pain was rated 6-7/10.", 6, 7, None),
        ("She rated the pain at 6-7 out of 10.", 6, 7, None),
        ("The pain was rated 6-8 on a 10-point scale.", 6, 8, None),
        ("Pain was 8/10 without medications.", 8, None, False),
        ("With medications the pain was reduced to 3 out of 10.", 3, None, True),
        ("VAS 5.", 5, None, None),
    ],
)
def test_pain_scores(text: str, low: float, high: float | None, with_med: bool | None) -> None:
    facts = extract_facts(text)
    assert len(facts.pain_scores) == 1
    score = facts.pain_scores[0]
    assert (score.value, score.value_high, score.with_medication) == (low, high, with_med)


def test_pain_before_and_after_medication_in_one_sentence() -> None:
    facts = extract_facts("Pain is 8/10 without medications and 4/10 with medications.")
    assert [(p.value, p.with_medication) for p in facts.pain_scores] == [(8, False), (4, True)]
    assert facts.treatments == []  # "with medications" here is not a treatment tried


def test_age_sex_injury_date() -> None:
    facts = extract_facts(
        "The injured worker is a 48 year old male who sustained an industrial injury on 10-13-16 "
        "when he fell from a ladder."
    )
    assert facts.age == 48
    assert facts.sex is Sex.MALE
    assert facts.date_of_injury is not None and facts.date_of_injury.isoformat() == "2016-10-13"
    assert facts.mechanism is not None and "ladder" in facts.mechanism


def test_work_status_and_monitoring() -> None:
    facts = extract_facts(
        "She remains temporarily totally disabled. A urine drug screen on 1/5/2016 was "
        "consistent with prescribed medications. An opioid agreement is on file. "
        "A Request for Authorization was submitted."
    )
    assert _one(facts.work_status, status=WorkStatusKind.OFF_WORK).affirmed
    uds = _one(facts.monitoring, kind="urine_drug_screen")
    assert uds.consistent is True
    assert uds.on is not None and uds.on.isoformat() == "2016-01-05"
    assert _one(facts.monitoring, kind="opioid_agreement").affirmed
    assert facts.rfa_present is True


def test_evidence_offsets_point_into_the_original_text_across_line_breaks() -> None:
    text = "Diagnoses:  bilateral carpal\n   tunnel syndrome.\n\nPlan: acupuncture."
    facts = extract_facts(text)
    dx = _one(facts.diagnoses, label="carpal tunnel syndrome")
    assert _evidence(facts, dx) == "carpal\n   tunnel syndrome"
    assert dx.laterality is not None and dx.laterality.value == "bilateral"


# ---------------------------------------------------------------- odd input


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00"])
def test_empty_input_gives_empty_facts_and_a_warning(text: str) -> None:
    facts = extract_facts(text)
    assert facts.warnings
    assert facts.diagnoses == [] and facts.treatments == [] and facts.age is None


def test_non_english_text_gives_a_warning() -> None:
    facts = extract_facts(
        "El trabajador lesionado tiene dolor de la espalda y no puede trabajar desde hace "
        "tres meses. Se recomienda terapia física para la rodilla."
    )
    assert facts.warnings and "English" in facts.warnings[0]
    assert facts.diagnoses == [] and facts.treatments == []


def test_text_without_clinical_content_gives_a_warning() -> None:
    facts = extract_facts("The quarterly budget meeting moved to Thursday afternoon.")
    assert any("no clinical content" in w for w in facts.warnings)


def test_garbage_does_not_raise() -> None:
    facts = extract_facts("%%%% 10/10/10/10 //// ---- ))) x x 12 sessions of of of")
    assert isinstance(facts, ClinicalFacts)


# ---------------------------------------------------------------- pipeline, vocabulary, summary


def test_pipeline_is_loaded_once() -> None:
    assert get_pipeline() is get_pipeline()


def test_vocabulary_validates(tmp_path: Path) -> None:
    vocab = load_vocabulary(check_codes=True)
    assert vocab.drugs.drugs and vocab.diagnoses.diagnoses
    for name in DATA_DIR.glob("*.yaml"):
        (tmp_path / name.name).write_text(name.read_text(encoding="utf-8"), encoding="utf-8")
    bad = (tmp_path / "diagnoses.yaml").read_text(encoding="utf-8").replace("M54.16", "Q99.999Z")
    (tmp_path / "diagnoses.yaml").write_text(bad, encoding="utf-8")
    load_vocabulary(tmp_path)  # a well-formed code: only the ICD-10-CM check refuses it
    with pytest.raises(ClinicalVocabularyError, match=r"Q99\.999Z"):
        load_vocabulary(tmp_path, check_codes=True)
    broken = bad.replace("label: lumbar radiculopathy", "label: [not, a, string]")
    (tmp_path / "diagnoses.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ClinicalVocabularyError, match=r"diagnoses\.yaml"):
        load_vocabulary(tmp_path)


def test_summary_reads_like_a_reviewer() -> None:
    facts = extract_facts(
        "The injured worker is a 52 year old female who sustained an industrial injury on "
        "March 3, 2014. Diagnoses included lumbar radiculopathy. Treatment to date has included "
        "12 sessions of physical therapy with no improvement. Current medications include "
        "Norco 10/325 mg. Pain was 7/10 without medications. She remains off work."
    )
    text = summarize(facts)
    assert text.startswith("The injured worker is a 52-year-old female")
    assert "March 3, 2014" in text
    assert "lumbar radiculopathy" in text
    assert "physical therapy (12 sessions; without documented benefit)" in text
    assert "hydrocodone/acetaminophen" in text
    assert "off work" in text


def test_summary_of_nothing() -> None:
    assert "do not contain clinical information" in summarize(extract_facts(""))


def test_medication_carries_narrow_classes_for_the_criteria() -> None:
    facts = extract_facts("Current medications include OxyContin 20 mg, Norco and Cymbalta.")
    assert _one(facts.medications, generic="oxycodone er").drug_classes == [
        "opioid",
        "long_acting_opioid",
    ]
    assert (
        "short_acting_opioid"
        in _one(facts.medications, generic="hydrocodone/acetaminophen").drug_classes
    )
    assert "snri" in _one(facts.medications, generic="duloxetine").drug_classes


def test_intact_neurological_examination_is_negative() -> None:
    facts = extract_facts(
        "Deep tendon reflexes, motor strength, and sensation were intact in the upper extremities."
    )
    kinds = {(n.kind, n.context) for n in facts.neuro_findings}
    assert ("reflex_change", FactContext.NEGATED) in kinds
    assert ("weakness", FactContext.NEGATED) in kinds
    assert ("sensory_loss", FactContext.NEGATED) in kinds


def test_sensory_loss_in_a_dermatome() -> None:
    facts = extract_facts("There is decreased sensation in the left L5 dermatome.")
    finding = _one(facts.neuro_findings, kind="dermatomal_sensory_loss")
    assert finding.detail == "L5"


def test_utilization_review_with_its_abbreviation_is_one_review() -> None:
    facts = extract_facts("The Utilization Review (UR) dated 12-9-2016 denied a request for MRI.")
    assert len(facts.prior_reviews) == 1
    assert len(facts.prior_reviews[0].evidence) == 2
    assert facts.prior_reviews[0].outcome == "denied"


def test_almost_full_thickness_tear_is_a_partial_tear() -> None:
    """A hedged "almost/near full-thickness" tear is not a full-thickness tear (T-074)."""
    facts = extract_facts("MRI of the right shoulder showed an almost full-thickness tear.")
    tears = [d for d in facts.diagnoses if "rotator_cuff_tear" in d.categories]
    assert tears and all("full_thickness_rotator_cuff_tear" not in d.categories for d in tears)
    full = extract_facts("MRI of the right shoulder showed a full-thickness tear.")
    assert any("full_thickness_rotator_cuff_tear" in d.categories for d in full.diagnoses)


def test_exam_that_showed_no_deficit_negates_the_finding_before_it() -> None:
    facts = extract_facts(
        "Sensory examination showed no deficit in any dermatome of the arms. "
        "Straight leg raise was positive with no deficits in strength."
    )
    kinds = {(f.kind, f.context) for f in facts.neuro_findings}
    assert ("dermatomal_sensory_loss", FactContext.NEGATED) in kinds
    assert ("dermatomal_sensory_loss", FactContext.AFFIRMED) not in kinds
    assert ("straight_leg_raise", FactContext.AFFIRMED) in kinds
