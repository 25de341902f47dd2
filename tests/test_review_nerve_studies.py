"""Electrodiagnostic studies (guidelines.md §5 T-070): neurologic findings must be tied to the
limb studied, bilateral studies need findings on both sides, and symptoms must have lasted more
than three or four weeks. Facts are hand-built for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.clinical import (
    BodyPart,
    ClinicalFacts,
    FactContext,
    Laterality,
    NeuroFinding,
    Span,
    SymptomOnset,
    TreatmentTried,
)
from openimr.review.decide import decide_item
from openimr.review.model import DecidedItem

ON = date(2016, 12, 15)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _facts(weeks: float = 10, **kwargs: object) -> ClinicalFacts:
    return ClinicalFacts(
        text="Progress note of a worker with a work injury.",
        date_of_injury=ON - timedelta(weeks=weeks),
        **kwargs,
    )


def _status(item: DecidedItem, criterion_id: str) -> CriterionStatus:
    return next(c.status for c in item.criteria if c.criterion_id == criterion_id)


LEG_SIGNS = [
    NeuroFinding(kind="straight_leg_raise"),
    NeuroFinding(kind="weakness"),
]


def test_leg_findings_do_not_support_an_arm_study(kb: KnowledgeBase) -> None:
    facts = _facts(neuro_findings=LEG_SIGNS, body_parts=[BodyPart(name="arm")])
    arm = decide_item("EMG/NCV of the upper extremities", facts, ON, kb)
    assert _status(arm, "neurologic_symptoms") is CriterionStatus.NOT_MET
    leg = decide_item("EMG of the lower extremities", facts, ON, kb)
    assert _status(leg, "neurologic_symptoms") is CriterionStatus.MET


def test_finding_sited_by_body_part_or_spinal_level(kb: KnowledgeBase) -> None:
    arm_numbness = _facts(neuro_findings=[NeuroFinding(kind="numbness", body_part="hand")])
    item = decide_item("NCS of the right upper extremity", arm_numbness, ON, kb)
    assert _status(item, "neurologic_symptoms") is CriterionStatus.MET
    neck = _facts(neuro_findings=[NeuroFinding(kind="weakness", body_part="cervical spine")])
    assert _status(decide_item("EMG of the left arm", neck, ON, kb), "neurologic_symptoms") is (
        CriterionStatus.MET
    )
    assert _status(decide_item("EMG of the left leg", neck, ON, kb), "neurologic_symptoms") is (
        CriterionStatus.NOT_MET
    )


def test_unsited_findings_need_the_studied_limb_among_the_complaints(kb: KnowledgeBase) -> None:
    unsited = [NeuroFinding(kind="numbness")]
    with_arm = _facts(neuro_findings=unsited, body_parts=[BodyPart(name="wrist")])
    item = decide_item("EMG of the right upper extremity", with_arm, ON, kb)
    assert _status(item, "neurologic_symptoms") is CriterionStatus.MET
    back_only = _facts(neuro_findings=unsited, body_parts=[BodyPart(name="lumbar spine")])
    item = decide_item("EMG of the right upper extremity", back_only, ON, kb)
    assert _status(item, "neurologic_symptoms") is CriterionStatus.NOT_DOCUMENTED


def test_bilateral_study_needs_findings_on_both_sides(kb: KnowledgeBase) -> None:
    one_side = _facts(neuro_findings=[NeuroFinding(kind="numbness", laterality=Laterality.LEFT)])
    item = decide_item("EMG/NCS of the bilateral upper extremities", one_side, ON, kb)
    assert _status(item, "side_of_symptoms") is CriterionStatus.NOT_DOCUMENTED
    # Painful arms on both sides are not bilateral neurologic findings.
    sore = _facts(
        neuro_findings=[NeuroFinding(kind="numbness")],
        body_parts=[BodyPart(name="arm", laterality=Laterality.BILATERAL)],
    )
    item = decide_item("EMG/NCS of the bilateral upper extremities", sore, ON, kb)
    assert _status(item, "side_of_symptoms") is CriterionStatus.NOT_DOCUMENTED
    both = _facts(neuro_findings=[NeuroFinding(kind="numbness", laterality=Laterality.BILATERAL)])
    item = decide_item("EMG/NCS of the bilateral upper extremities", both, ON, kb)
    assert _status(item, "side_of_symptoms") is CriterionStatus.MET
    single = decide_item("EMG of the left upper extremity", one_side, ON, kb)
    assert _status(single, "side_of_symptoms") is CriterionStatus.MET


@pytest.mark.parametrize(("weeks", "status"), [(3, "not met"), (4, "met"), (8, "met")])
def test_symptoms_must_last_more_than_three_or_four_weeks(
    kb: KnowledgeBase, weeks: float, status: str
) -> None:
    facts = _facts(weeks, neuro_findings=[NeuroFinding(kind="numbness", body_part="arm")])
    item = decide_item("EMG of the left upper extremity", facts, ON, kb)
    assert _status(item, "three_to_four_weeks").value == status


def _onset(symptom: str, **kwargs: object) -> SymptomOnset:
    return SymptomOnset(evidence=[Span(start=0, end=5)], symptom=symptom, **kwargs)


ARM_NUMB = [NeuroFinding(kind="numbness", body_part="arm")]


def test_recent_symptom_onset_outweighs_an_old_injury(kb: KnowledgeBase) -> None:
    # Injured a year ago, but the tingling in the hand only started two weeks before.
    facts = _facts(
        52, neuro_findings=ARM_NUMB, symptom_onsets=[_onset("tingling", on=ON - timedelta(days=14))]
    )
    item = decide_item("EMG of the left upper extremity", facts, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.NOT_MET


def test_earliest_relevant_onset_counts(kb: KnowledgeBase) -> None:
    # Recent injury, but radiating pain had been present for two months; a newer numbness
    # does not shorten the duration of the earliest symptom.
    onsets = [
        _onset("numbness", ago_days=10),
        _onset("radiating pain", on=ON - timedelta(days=60), precision="day"),
    ]
    facts = _facts(1, neuro_findings=ARM_NUMB, symptom_onsets=onsets)
    item = decide_item("EMG of the left upper extremity", facts, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.MET


def test_relative_onset_without_date_counts_its_days(kb: KnowledgeBase) -> None:
    facts = _facts(1, neuro_findings=ARM_NUMB, symptom_onsets=[_onset("weakness", ago_days=42)])
    item = decide_item("EMG of the left upper extremity", facts, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.MET


def test_unrelated_or_negated_onsets_fall_back_to_the_injury(kb: KnowledgeBase) -> None:
    onsets = [
        _onset("headaches", on=ON - timedelta(days=7)),
        _onset("numbness", ago_days=5, context=FactContext.NEGATED),
    ]
    facts = _facts(10, neuro_findings=ARM_NUMB, symptom_onsets=onsets)
    item = decide_item("EMG of the left upper extremity", facts, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.MET
    recent = _facts(2, neuro_findings=ARM_NUMB, symptom_onsets=onsets)
    item = decide_item("EMG of the left upper extremity", recent, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.NOT_MET


def test_a_sided_nerve_diagnosis_documents_bilateral_symptoms(kb: KnowledgeBase) -> None:
    from openimr.model.clinical import Diagnosis

    unsided = [NeuroFinding(kind="numbness", body_part="hand")]
    cts = Diagnosis(
        label="carpal tunnel syndrome",
        categories=["carpal_tunnel_syndrome", "neuropathic_pain"],
        body_part="wrist",
        laterality=Laterality.BILATERAL,
    )
    request = "EMG/NCS of the bilateral upper extremities"
    with_dx = _facts(neuro_findings=unsided, diagnoses=[cts])
    assert _status(decide_item(request, with_dx, ON, kb), "side_of_symptoms") is (
        CriterionStatus.MET
    )
    without = _facts(neuro_findings=unsided)
    assert _status(decide_item(request, without, ON, kb), "side_of_symptoms") is (
        CriterionStatus.NOT_DOCUMENTED
    )
    # A bilateral diagnosis of another limb, or one that is not a nerve condition, does not.
    knee = Diagnosis(
        label="knee pain",
        categories=["knee_pain"],
        body_part="knee",
        laterality=Laterality.BILATERAL,
    )
    other = _facts(neuro_findings=unsided, diagnoses=[knee])
    assert _status(decide_item(request, other, ON, kb), "side_of_symptoms") is (
        CriterionStatus.NOT_DOCUMENTED
    )


def test_duration_runs_to_a_later_note_in_the_records(kb: KnowledgeBase) -> None:
    arm = [NeuroFinding(kind="numbness", body_part="hand")]
    early = _facts(weeks=2, neuro_findings=arm)
    item = decide_item("EMG of the right upper extremity", early, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.NOT_MET
    followed = _facts(weeks=2, neuro_findings=arm, latest_note_date=ON + timedelta(weeks=6))
    item = decide_item("EMG of the right upper extremity", followed, ON, kb)
    assert _status(item, "three_to_four_weeks") is CriterionStatus.MET


def test_studies_follow_a_trial_of_conservative_care(kb: KnowledgeBase) -> None:
    """T-070 (ODG: after a month of conservative therapy): care authorized but not yet given is
    no trial; care given is."""
    arm = [NeuroFinding(kind="numbness", body_part="hand", laterality=Laterality.RIGHT)]
    pending = TreatmentTried(concept="physical_therapy", context="hypothetical", authorized=True)
    waiting = decide_item(
        "NCS of the right upper extremity",
        _facts(neuro_findings=arm, treatments=[pending]),
        ON,
        kb,
    )
    assert _status(waiting, "conservative_care") is CriterionStatus.NOT_DOCUMENTED
    given = TreatmentTried(concept="splinting", context="historical")
    tried = decide_item(
        "NCS of the right upper extremity", _facts(neuro_findings=arm, treatments=[given]), ON, kb
    )
    assert _status(tried, "conservative_care") is CriterionStatus.MET


def test_needle_emg_needs_a_suspected_radiculopathy(kb: KnowledgeBase) -> None:
    """T-070 (ODG): EMG gives evidence of radiculopathy; an entrapment question is for NCS."""
    digits = [
        NeuroFinding(kind="numbness", body_part="hand", laterality=Laterality.LEFT),
        NeuroFinding(kind="tingling", body_part="hand", laterality=Laterality.LEFT),
    ]
    care = [TreatmentTried(concept="splinting", context="historical")]
    entrapment = _facts(neuro_findings=digits, treatments=care)
    emg = decide_item("EMG of the left upper extremity", entrapment, ON, kb)
    assert _status(emg, "emg_for_radiculopathy") is CriterionStatus.NOT_DOCUMENTED
    ncs = decide_item("NCS of the left upper extremity", entrapment, ON, kb)
    assert _status(ncs, "emg_for_radiculopathy") is CriterionStatus.MET
    radicular = _facts(
        neuro_findings=[
            *digits,
            NeuroFinding(kind="dermatomal_sensory_loss", body_part="arm", detail="C6"),
        ],
        treatments=care,
    )
    assert _status(
        decide_item("EMG of the left upper extremity", radicular, ON, kb), "emg_for_radiculopathy"
    ) is (CriterionStatus.MET)
