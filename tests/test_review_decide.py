"""Engine decisions over hand-built ClinicalFacts: search sequence, criteria, rules X-1..X-4."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.schema import Confidence, SearchStep
from openimr.model.clinical import (
    ClinicalFacts,
    Diagnosis,
    ExamFinding,
    FunctionFact,
    NeuroFinding,
    Response,
    Surgery,
    TestResult,
    TreatmentTried,
)
from openimr.model.determination import CitationSource, Decision, Item
from openimr.review.decide import decide_item, determine
from openimr.review.model import DecidedItem, ItemStatus

ON = date(2015, 3, 2)  # era E1


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _facts(**kwargs: object) -> ClinicalFacts:
    return ClinicalFacts(text="Progress note of a worker with a work injury.", **kwargs)


MYALGIA = Diagnosis(label="lumbar strain", categories=["sprain_strain", "low_back_pain"])


def test_topical_ketamine_not_documented_is_upheld_with_mtus_pages(kb: KnowledgeBase) -> None:
    item = decide_item("Ketamine 5% 60gr (2 tubes)", _facts(), ON, kb)
    assert item.decision is Decision.UPHELD and item.treatment_id == "T-028"
    assert item.search_step is SearchStep.MTUS
    assert item.reviewer_basis is not None
    citation = item.reviewer_basis.citations[0]
    assert citation.source is CitationSource.MTUS and citation.pages == "111-113 of 127"
    assert any(c.drove for c in item.criteria)


def test_ketamine_infusion_goes_to_odg(kb: KnowledgeBase) -> None:
    item = decide_item("Ketamine infusion 3 times a week for 12 weeks", _facts(), ON, kb)
    assert item.decision is Decision.UPHELD and item.treatment_id == "T-033"
    assert item.search_step is not SearchStep.MTUS
    assert item.reviewer_basis is not None
    assert item.reviewer_basis.citations[0].source is CitationSource.ODG
    assert "did not base" in item.reviewer_basis.text


def test_pt_within_limit_with_diagnosis_is_overturned(kb: KnowledgeBase) -> None:
    item = decide_item(
        "Physical therapy 6 sessions for the low back", _facts(diagnoses=[MYALGIA]), ON, kb
    )
    assert item.decision is Decision.OVERTURNED, item.reason


def test_x1_request_above_limit_is_not_necessary_as_a_whole(kb: KnowledgeBase) -> None:
    item = decide_item(
        "Physical therapy 3 times a week for 6 weeks for the low back",
        _facts(diagnoses=[MYALGIA]),
        ON,
        kb,
    )
    assert item.decision is Decision.UPHELD
    assert "X-1" in item.rules and item.limits_exceeded
    assert item.limits_exceeded[0].requested == 18


def test_x2_missing_diagnosis_means_not_met(kb: KnowledgeBase) -> None:
    item = decide_item("Physical therapy 6 sessions", _facts(), ON, kb)
    assert item.decision is Decision.UPHELD and "X-2" in item.rules


def test_x3_continuation_needs_functional_improvement(kb: KnowledgeBase) -> None:
    prior = TreatmentTried(concept="physical_therapy", quantity=12)
    without = decide_item(
        "Additional physical therapy 6 sessions",
        _facts(diagnoses=[MYALGIA], treatments=[prior]),
        ON,
        kb,
    )
    assert without.decision is Decision.UPHELD and "X-3" in without.rules
    improved = TreatmentTried(concept="physical_therapy", quantity=12, response=Response.IMPROVED)
    gain = FunctionFact(kind="functional_improvement")
    with_gain = decide_item(
        "Additional physical therapy 6 sessions",
        _facts(diagnoses=[MYALGIA], treatments=[improved], function=[gain]),
        ON,
        kb,
    )
    assert with_gain.decision is Decision.OVERTURNED, with_gain.reason


def test_x4_compound_with_non_recommended_ingredient(kb: KnowledgeBase) -> None:
    neuropathic = Diagnosis(
        label="lumbar radiculopathy", categories=["radiculopathy", "neuropathic_pain"]
    )
    item = decide_item(
        "Flurbiprofen 10%, Gabapentin 6% cream 120g",
        _facts(diagnoses=[neuropathic], neuro_findings=[NeuroFinding(kind="numbness")]),
        ON,
        kb,
    )
    assert item.decision is Decision.UPHELD and "X-4" in item.rules
    assert item.reason is not None and "gabapentin" in item.reason


def _with_confidence(kb: KnowledgeBase, entry_id: str, mark: Confidence) -> KnowledgeBase:
    entry = kb.get(entry_id)
    criteria = [c.model_copy(update={"confidence": mark, "advisory": None}) for c in entry.criteria]
    entries = dict(kb.entries)
    entries[entry_id] = entry.model_copy(update={"criteria": criteria})
    return replace(kb, entries=entries)


def test_u_confidence_criterion_never_decides_alone(kb: KnowledgeBase) -> None:
    # Glucosamine (an option) with its osteoarthritis criterion undocumented.
    recalled = decide_item(
        "Glucosamine sulfate 500mg #90", _facts(), ON, _with_confidence(kb, "T-032", Confidence.R)
    )
    uncertain = decide_item(
        "Glucosamine sulfate 500mg #90", _facts(), ON, _with_confidence(kb, "T-032", Confidence.U)
    )
    assert recalled.decision is Decision.UPHELD
    assert uncertain.decision is Decision.OVERTURNED
    assert all(c.advisory and not c.drove for c in uncertain.criteria)


def test_unknown_treatment_is_unrecognized_not_a_crash(kb: KnowledgeBase) -> None:
    item = decide_item("Zyxwv quantum wellness package", _facts(), ON, kb)
    assert item.status is ItemStatus.UNRECOGNIZED and item.decision is None
    assert item.reason


def test_no_records_at_all_cannot_decide(kb: KnowledgeBase) -> None:
    item = decide_item("Physical therapy 6 sessions", ClinicalFacts(), ON, kb)
    assert item.status is ItemStatus.CANNOT_DECIDE and item.decision is None
    assert item.reason is not None and "missing clinical records" in item.reason


def test_ancillary_service_falls_with_denied_procedure(kb: KnowledgeBase) -> None:
    result = determine(
        _facts(),
        ["Right carpal tunnel release", "Post-operative physical therapy 8 sessions for the wrist"],
        ON,
        kb,
    )
    surgery, therapy = result.items
    assert surgery.decision is Decision.UPHELD
    assert therapy.decision is Decision.UPHELD and "ancillary" in therapy.rules


def test_ancillary_judged_on_its_own_without_a_procedure(kb: KnowledgeBase) -> None:
    result = determine(
        _facts(), ["Post-operative physical therapy 8 sessions for the wrist"], ON, kb
    )
    assert "ancillary" not in result.items[0].rules


def test_rationale_states_position_and_item_named_conclusion(kb: KnowledgeBase) -> None:
    result = determine(_facts(), ["Ketamine 5% 60gr (2 tubes)"], ON, kb)
    rationale = result.items[0].rationale or ""
    assert rationale.endswith("Ketamine 5% 60gr (2 tubes) is not medically necessary.")
    assert "neuropathic" in rationale


def test_overturned_rationale_says_necessary(kb: KnowledgeBase) -> None:
    result = determine(_facts(diagnoses=[MYALGIA]), ["Physical therapy 6 sessions"], ON, kb)
    assert (result.items[0].rationale or "").endswith(
        "Physical therapy 6 sessions is medically necessary."
    )


def test_output_is_the_shared_record_extended(kb: KnowledgeBase) -> None:
    result = determine(_facts(), ["Norco 10/325mg #35"], ON, kb)
    item = result.items[0]
    assert isinstance(item, Item) and isinstance(item, DecidedItem)
    assert item.era is not None and item.confidence is not None
    data = result.model_dump(mode="json")
    assert data["items"][0]["treatment_id"] == item.treatment_id


# Carpal tunnel syndrome documented well enough for release (T-073 criteria).
CTS_FACTS = {
    "exam_findings": [ExamFinding(kind="special_test", name="Phalen", positive=True)],
    "tests": [TestResult(modality="NCS", abnormal=True)],
    "treatments": [TreatmentTried(concept="splinting")],
}


def test_ancillary_entry_without_source_falls_with_denied_procedure(kb: KnowledgeBase) -> None:
    # OI-001 has no source of its own: the ancillary rule applies before one is required.
    result = determine(
        _facts(), ["Lumbar microdiscectomy L5-S1", "Pre-operative medical clearance"], ON, kb
    )
    surgery, clearance = result.items
    assert surgery.decision is Decision.UPHELD
    assert clearance.status is ItemStatus.DECIDED and clearance.decision is Decision.UPHELD
    assert clearance.treatment_id == "OI-001" and "ancillary" in clearance.rules
    assert clearance.reviewer_basis == surgery.reviewer_basis


def test_ancillary_entry_without_position_follows_a_necessary_procedure(
    kb: KnowledgeBase,
) -> None:
    """§5.I: a service with no criteria of its own that only serves a necessary procedure is
    necessary with it; on its own (no procedure in the case) it still cannot be decided."""
    result = determine(
        _facts(**CTS_FACTS),
        ["Right carpal tunnel release", "Pre-operative medical clearance", "Assistant surgeon"],
        ON,
        kb,
    )
    surgery, clearance, assistant = result.items
    assert surgery.decision is Decision.OVERTURNED
    for item in (clearance, assistant):
        assert item.decision is Decision.OVERTURNED and "ancillary" in item.rules
        assert item.confidence is Confidence.U
    alone = determine(_facts(**CTS_FACTS), ["Pre-operative medical clearance"], ON, kb).items[0]
    assert alone.status is ItemStatus.CANNOT_DECIDE and "ancillary" not in alone.rules


def test_preoperative_request_without_position_follows_the_procedure(kb: KnowledgeBase) -> None:
    """§5.I: an item requested as pre-operative (a urinalysis) serves the procedure; with no
    position of its own it follows a necessary procedure, and falls with a denied one. A test
    requested on its own (an EKG) is not ancillary."""
    items = ["Right carpal tunnel release", "Pre-operative urinalysis"]
    necessary = determine(_facts(**CTS_FACTS), items, ON, kb).items[1]
    assert necessary.decision is Decision.OVERTURNED and "ancillary" in necessary.rules
    assert necessary.confidence is Confidence.U
    denied = determine(_facts(), items, ON, kb).items[1]
    assert denied.decision is Decision.UPHELD and "ancillary" in denied.rules
    alone = determine(_facts(**CTS_FACTS), [items[0], "EKG"], ON, kb).items[1]
    assert "ancillary" not in alone.rules


def test_not_documented_about_the_request_is_not_turned_into_not_met(kb: KnowledgeBase) -> None:
    flare = _facts(
        diagnoses=[Diagnosis(label="flare of low back pain", categories=["acute_exacerbation"])],
        treatments=[TreatmentTried(concept="nsaid", text="NSAIDs")],
    )
    silent = decide_item("Cyclobenzaprine 10mg", flare, ON, kb)  # the request states no course
    course = next(c for c in silent.criteria if c.criterion_id == "short_course")
    assert course.status is CriterionStatus.NOT_DOCUMENTED and course.about_request
    assert not course.requires_request_period
    assert silent.decision is Decision.OVERTURNED and "X-2" not in silent.rules
    too_long = decide_item("Cyclobenzaprine 10mg for 60 days", flare, ON, kb)
    assert too_long.decision is Decision.UPHELD


def test_limited_rental_needs_the_rental_period_stated(kb: KnowledgeBase) -> None:
    """Per-criterion exception (requires_request_period): a cold therapy unit is supported only
    as a rental of up to 7 days after surgery (T-076), so a request that does not state the
    period fails that criterion, while a stated week passes and a month fails."""
    done = _facts(surgeries=[Surgery(procedure="carpal tunnel release")])
    silent = decide_item("Cold therapy unit", done, ON, kb)
    rental = next(c for c in silent.criteria if c.criterion_id == "rental_seven_days")
    assert rental.status is CriterionStatus.NOT_DOCUMENTED and rental.about_request
    assert rental.requires_request_period and rental.drove
    assert silent.decision is Decision.UPHELD
    week = decide_item("Cold therapy unit, 7 day rental", done, ON, kb)
    assert week.decision is Decision.OVERTURNED
    too_long = decide_item("Cold therapy unit 30 day rental", done, ON, kb)
    assert too_long.decision is Decision.UPHELD


def test_associated_surgical_service_is_ancillary_to_the_case_procedure(kb: KnowledgeBase) -> None:
    items = ["Right carpal tunnel release", "Associated surgical service: Cold therapy unit 7 days"]
    denied = determine(_facts(), items, ON, kb).items[1]
    assert denied.decision is Decision.UPHELD and "ancillary" in denied.rules
    # The procedure is necessary: the unit is judged on its own criteria, and the surgery it
    # serves (the same case's procedure, planned) meets its "surgery" criterion.
    necessary = determine(_facts(**CTS_FACTS), items, ON, kb).items[1]
    assert "ancillary" not in necessary.rules and necessary.decision is Decision.OVERTURNED
    alone = determine(_facts(**CTS_FACTS), items[1:], ON, kb).items[0]
    assert alone.decision is Decision.UPHELD  # no surgery in the records or the case
