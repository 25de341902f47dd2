"""Rule X-3 on courses already authorized and on drugs first prescribed at the visit at issue:
an authorized trial makes a further request a continuation even before it is given, yet it is
not care the worker has received; a drug started at this visit is not a renewal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.clinical import (
    ClinicalFacts,
    Diagnosis,
    FactContext,
    FunctionFact,
    Medication,
    NeuroFinding,
    TreatmentTried,
)
from openimr.model.determination import Decision
from openimr.review.decide import decide_item
from openimr.review.model import DecidedItem

ON = date(2016, 12, 15)
STRAIN = Diagnosis(label="lumbar strain", categories=["sprain_strain", "low_back_pain"])


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _facts(**kwargs: object) -> ClinicalFacts:
    return ClinicalFacts(
        text="Progress note of a worker with a work injury.",
        date_of_injury=ON - timedelta(weeks=10),
        **kwargs,
    )


def _status(item: DecidedItem, criterion_id: str) -> CriterionStatus:
    return next(c.status for c in item.criteria if c.criterion_id == criterion_id)


def test_more_therapy_after_an_authorized_trial_needs_its_result(kb: KnowledgeBase) -> None:
    authorized = TreatmentTried(
        concept="physical_therapy", context="hypothetical", quantity=6, authorized=True
    )
    request = "Physical therapy 6 sessions for the low back"
    fresh = decide_item(request, _facts(diagnoses=[STRAIN]), ON, kb)
    assert fresh.decision is Decision.OVERTURNED, fresh.reason
    after = decide_item(request, _facts(diagnoses=[STRAIN], treatments=[authorized]), ON, kb)
    assert after.decision is Decision.UPHELD
    assert "X-3" in after.rules
    assert _status(after, "functional_improvement") is CriterionStatus.NOT_DOCUMENTED
    gain = FunctionFact(kind="functional_improvement", treatment="physical_therapy")
    shown = _facts(diagnoses=[STRAIN], treatments=[authorized], function=[gain])
    assert decide_item(request, shown, ON, kb).decision is Decision.OVERTURNED


def test_a_planned_course_without_authorization_is_still_an_initial_trial(
    kb: KnowledgeBase,
) -> None:
    planned = TreatmentTried(concept="physical_therapy", context="hypothetical", quantity=6)
    item = decide_item(
        "Physical therapy 6 sessions for the low back",
        _facts(diagnoses=[STRAIN], treatments=[planned]),
        ON,
        kb,
    )
    assert item.decision is Decision.OVERTURNED, item.reason


def test_an_authorized_course_not_yet_given_is_not_conservative_care_tried(
    kb: KnowledgeBase,
) -> None:
    deficit = [NeuroFinding(kind="dermatomal_sensory_loss", detail="C6")]
    authorized = TreatmentTried(
        concept="physical_therapy", context="hypothetical", quantity=6, authorized=True
    )
    item = decide_item(
        "MRI of the cervical spine",
        _facts(neuro_findings=deficit, treatments=[authorized]),
        ON,
        kb,
    )
    assert _status(item, "conservative_care") is CriterionStatus.NOT_DOCUMENTED
    assert item.decision is Decision.UPHELD
    done = authorized.model_copy(update={"context": FactContext.HISTORICAL})
    given = decide_item(
        "MRI of the cervical spine", _facts(neuro_findings=deficit, treatments=[done]), ON, kb
    )
    assert _status(given, "conservative_care") is CriterionStatus.MET


def test_an_nsaid_first_prescribed_at_the_visit_is_not_a_renewal(kb: KnowledgeBase) -> None:
    neck = Diagnosis(label="neck pain", categories=["neck_pain"])
    started = Medication(
        generic="naproxen", drug_class="nsaid", drug_classes=["nsaid"], new_start=True
    )
    first = decide_item(
        "Naproxen 500mg #60", _facts(diagnoses=[neck], medications=[started]), ON, kb
    )
    assert _status(first, "benefit_on_renewal") is CriterionStatus.MET
    assert first.decision is Decision.OVERTURNED, first.reason
    taking = started.model_copy(update={"new_start": False})
    renewal = decide_item(
        "Naproxen 500mg #60", _facts(diagnoses=[neck], medications=[taking]), ON, kb
    )
    assert _status(renewal, "benefit_on_renewal") is CriterionStatus.NOT_DOCUMENTED
    assert renewal.decision is Decision.UPHELD


def test_anxiety_supports_duloxetine_but_not_a_tricyclic(kb: KnowledgeBase) -> None:
    """T-020 criterion 4: duloxetine is approved for anxiety; the tricyclic indication is
    neuropathic or chronic pain (or depression), not anxiety alone."""
    anxiety = Diagnosis(label="generalized anxiety disorder", categories=["anxiety"])
    facts = _facts(diagnoses=[anxiety])
    assert _status(decide_item("Nortriptyline 25mg #30", facts, ON, kb), "indication") is (
        CriterionStatus.NOT_DOCUMENTED
    )
    assert _status(decide_item("Duloxetine 30mg #30", facts, ON, kb), "indication") is (
        CriterionStatus.MET
    )
