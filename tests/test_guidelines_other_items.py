"""Other disputed items (n_other_items.yaml): pre-operative tests (OI-002, OI-010), the
diagnostic EKG (OI-003), EEG (OI-011), head MRI (OI-012), trigger point impedance imaging
(OI-013) and localized intense neurostimulation (OI-014), each decided both ways on case
texts written for these tests (invented patients)."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.schema import Status
from openimr.model.clinical import (
    ClinicalFacts,
    Diagnosis,
    ExamFinding,
    FunctionFact,
    NeuroFinding,
    TestResult,
    TreatmentTried,
)
from openimr.model.determination import Decision
from openimr.review.decide import decide_item, determine
from openimr.review.model import DecidedItem, ItemStatus
from openimr.review.normalize import normalize_request

ON = date(2017, 1, 20)  # era E2

HEALTHY = (
    "Progress report dated 12/15/2016. The injured worker is a 44-year-old woman injured at "
    "work on 03/10/2016 lifting boxes. She has no other medical problems and takes no daily "
    "medication. Surgery is planned."
)
OLDER_WITHOUT_NSAID = (
    "Progress report dated 12/15/2016. The injured worker is a 66-year-old man injured at "
    "work on 03/10/2016 in a fall. He takes lisinopril for hypertension. Surgery is planned."
)
HYPERTENSIVE = (
    "Progress report dated 12/15/2016. The injured worker is a 62-year-old man injured at "
    "work on 03/10/2016 in a fall. He has hypertension treated with "
    "lisinopril and currently takes warfarin and ibuprofen 800 mg twice a day. Surgery is "
    "planned."
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _status(item: DecidedItem, criterion_id: str) -> CriterionStatus:
    return next(c.status for c in item.criteria if c.criterion_id == criterion_id)


def _decide(request: str, text: str, kb: KnowledgeBase, **extra: object) -> DecidedItem:
    facts = extract_facts(text)
    if extra:
        facts = facts.model_copy(update=extra)
    return decide_item(request, facts, ON, kb)


# ------------------------------------------------------------------ recognition


@pytest.mark.parametrize(
    ("request_text", "entry_id"),
    [
        ("Pre-operative CBC", "OI-002"),
        ("Preop BMP", "OI-002"),
        ("Pre-op PT/PTT", "OI-002"),
        ("Pre-operative labs", "OI-002"),
        ("Pre-operative EKG", "OI-010"),
        ("Preoperative electrocardiogram", "OI-010"),
        ("Electrocardiogram times 2", "OI-003"),
        ("12-lead EKG", "OI-003"),
        ("EEG", "OI-011"),
        ("Electroencephalogram", "OI-011"),
        ("MRI of the brain without contrast", "OI-012"),
        ("Brain MRI", "OI-012"),
        ("Trigger point impedance imaging", "OI-013"),
        ("TPII", "OI-013"),
        ("Localized intense neurostimulation therapy, 6 sessions", "OI-014"),
        ("Hyperstimulation analgesia", "OI-014"),
        ("Pre-operative urinalysis", "OI-015"),
        ("CBC and CMP", "OI-016"),
        ("Hepatic function panel", "OI-016"),
        ("Pre-operative comprehensive metabolic panel", "OI-002"),
    ],
)
def test_item_texts_are_recognized(kb: KnowledgeBase, request_text: str, entry_id: str) -> None:
    request = normalize_request(request_text, kb)
    assert request.recognized and request.primary == entry_id


def test_new_entries_cite_odg_topics_and_the_ekg_reference_covers_every_era(
    kb: KnowledgeBase,
) -> None:
    sections = {
        "OI-002": "Preoperative lab testing",
        "OI-010": "Preoperative electrocardiogram (ECG)",
        "OI-011": "EEG (electroencephalography)",
        "OI-013": "Trigger point impedance imaging",
        "OI-014": "Hyperstimulation analgesia",
    }
    for entry_id, section in sections.items():
        assert any(
            s.document == "odg" and s.section == section for s in kb.get(entry_id).sources
        ), entry_id
    eras = {era for edition in kb.documents["nhlbi_ekg"].editions for era in edition.eras}
    assert {"E0", "E1", "E2", "E3"} <= {e.value for e in eras}
    assert kb.get("OI-013").sources[0].status is Status.NOT_RECOMMENDED
    assert kb.get("OI-015").sources == [] and kb.get("OI-015").ancillary


# ------------------------------------------------------------------ pre-operative labs (OI-002)


@pytest.mark.parametrize(
    ("request_text", "criterion_id"),
    [
        ("Pre-operative PT/PTT", "coagulation_indication"),  # bleeding risk or anticoagulant
        ("Pre-operative BMP", "chemistry_indication"),  # chronic disease or predisposing drug
        ("Pre-operative EKG", "cardiac_risk_factors"),  # OI-010
    ],
)
def test_preop_test_needs_its_indication(
    kb: KnowledgeBase, request_text: str, criterion_id: str
) -> None:
    met = _decide(request_text, HYPERTENSIVE, kb)
    assert _status(met, criterion_id) is CriterionStatus.MET
    assert met.decision is Decision.OVERTURNED
    silent = _decide(request_text, HEALTHY, kb)
    assert _status(silent, criterion_id) is CriterionStatus.NOT_DOCUMENTED
    assert silent.decision is Decision.UPHELD


def test_preop_blood_count_needs_anemia_risk(kb: KnowledgeBase) -> None:
    anemia = [Diagnosis(label="iron deficiency anemia")]
    met = _decide("Pre-operative CBC", HEALTHY, kb, diagnoses=anemia)
    assert _status(met, "cbc_indication") is CriterionStatus.MET
    assert met.decision is Decision.OVERTURNED
    # Long-term NSAID use calls for blood-count monitoring (CPMTG p. 70), so it supports one.
    on_nsaid = _decide("Pre-operative CBC", HYPERTENSIVE, kb)
    assert _status(on_nsaid, "cbc_indication") is CriterionStatus.MET
    # Age alone is not an indication the guideline lists.
    silent = _decide("Pre-operative CBC", OLDER_WITHOUT_NSAID, kb)
    assert _status(silent, "cbc_indication") is CriterionStatus.NOT_DOCUMENTED
    assert silent.decision is Decision.UPHELD


def test_unnamed_preop_panel_needs_one_of_the_indications(kb: KnowledgeBase) -> None:
    assert _decide("Pre-operative labs", HYPERTENSIVE, kb).decision is Decision.OVERTURNED
    silent = _decide("Pre-operative labs", HEALTHY, kb)
    assert _status(silent, "panel_indication") is CriterionStatus.NOT_DOCUMENTED
    assert silent.decision is Decision.UPHELD


# ------------------------------------------------------------------ pre-operative EKG (OI-010)


# Carpal tunnel syndrome documented well enough for release (T-073 criteria).
CTS = {
    "exam_findings": [ExamFinding(kind="special_test", name="Phalen", positive=True)],
    "tests": [TestResult(modality="NCS", abnormal=True)],
    "treatments": [TreatmentTried(concept="splinting")],
}


def test_preop_items_serving_a_necessary_surgery_are_judged_on_their_own_criteria(
    kb: KnowledgeBase,
) -> None:
    items = ["Right carpal tunnel release", "Pre-operative EKG", "Pre-operative PT/PTT"]
    healthy = extract_facts(HEALTHY).model_copy(update=CTS)
    surgery, ekg, coag = determine(healthy, items, ON, kb).items
    assert surgery.decision is Decision.OVERTURNED
    for item in (ekg, coag):
        assert item.status is ItemStatus.DECIDED and item.decision is Decision.UPHELD
        assert "ancillary" not in item.rules
    risky = extract_facts(HYPERTENSIVE).model_copy(update=CTS)
    _, ekg, coag = determine(risky, items, ON, kb).items
    assert ekg.decision is Decision.OVERTURNED and coag.decision is Decision.OVERTURNED
    # A denied surgery still takes its pre-operative tests with it.
    _, ekg, coag = determine(extract_facts(HYPERTENSIVE), items, ON, kb).items
    assert ekg.decision is Decision.UPHELD and "ancillary" in ekg.rules
    assert coag.decision is Decision.UPHELD and "ancillary" in coag.rules


def test_preop_ekg_is_not_supported_for_arthroscopic_surgery(kb: KnowledgeBase) -> None:
    text = HYPERTENSIVE.replace("Surgery is planned.", "A right knee arthroscopy is planned.")
    item = _decide("Pre-operative EKG", text, kb)
    assert _status(item, "not_arthroscopic") is CriterionStatus.NOT_MET
    assert item.decision is Decision.UPHELD
    assert _status(_decide("Pre-operative EKG", HYPERTENSIVE, kb), "not_arthroscopic") is (
        CriterionStatus.MET
    )


# ------------------------------------------------------------------ diagnostic EKG (OI-003)


def test_diagnostic_ekg_is_decided_in_every_era_on_a_cardiac_indication(
    kb: KnowledgeBase,
) -> None:
    for on in (date(2015, 3, 1), ON, date(2017, 12, 20)):
        met = decide_item("Electrocardiogram", extract_facts(HYPERTENSIVE), on, kb)
        assert met.status is ItemStatus.DECIDED and met.decision is Decision.OVERTURNED, on
        assert met.reviewer_basis is not None
        silent = decide_item("Electrocardiogram", extract_facts(HEALTHY), on, kb)
        assert silent.decision is Decision.UPHELD, on
        assert _status(silent, "cardiac_indication") is CriterionStatus.NOT_DOCUMENTED


# ------------------------------------------------------------------ EEG (OI-011)

HEAD_INJURY = (
    "Neurology report dated 12/20/2016. The injured worker is a 35-year-old man injured at "
    "work on 10/01/2016 when he struck his head on a steel beam, with brief loss of "
    "consciousness. He was "
    "evaluated in the emergency department and discharged. He reports headaches."
)


def test_eeg_needs_failure_to_improve_after_initial_assessment(kb: KnowledgeBase) -> None:
    worse = [FunctionFact(kind="no_functional_improvement")]
    met = _decide("EEG", HEAD_INJURY, kb, function=worse)
    assert _status(met, "failure_to_improve") is CriterionStatus.MET
    assert met.decision is Decision.OVERTURNED
    silent = _decide("EEG", HEAD_INJURY, kb)
    assert _status(silent, "failure_to_improve") is CriterionStatus.NOT_DOCUMENTED
    assert silent.decision is Decision.UPHELD


# ------------------------------------------------------------------ head MRI (OI-012)


def test_head_mri_needs_a_neurologic_deficit_after_conservative_care(kb: KnowledgeBase) -> None:
    deficit = {
        "neuro_findings": [NeuroFinding(kind="weakness", detail="left arm 4/5")],
        "treatments": [TreatmentTried(concept="physical_therapy")],
    }
    met = _decide("MRI of the brain without contrast", HEAD_INJURY, kb, **deficit)
    assert _status(met, "neurologic_deficit_or_red_flag") is CriterionStatus.MET
    assert met.decision is Decision.OVERTURNED
    silent = _decide("MRI of the brain without contrast", HEAD_INJURY, kb)
    assert _status(silent, "neurologic_deficit_or_red_flag") is CriterionStatus.NOT_DOCUMENTED
    assert silent.decision is Decision.UPHELD


# ------------------------------------------------------------------ not recommended


@pytest.mark.parametrize(
    ("request_text", "entry_id"),
    [
        ("Trigger point impedance imaging (TPII) of the low back", "OI-013"),
        ("Localized intense neurostimulation therapy x 6", "OI-014"),
    ],
)
def test_tpii_and_lint_are_not_recommended(
    kb: KnowledgeBase, request_text: str, entry_id: str
) -> None:
    text = "Progress report. A 50-year-old woman with chronic low back pain and trigger points."
    item = decide_item(request_text, ClinicalFacts(text=text, age=50), ON, kb)
    assert item.treatment_id == entry_id
    assert item.guideline_status is Status.NOT_RECOMMENDED
    assert item.decision is Decision.UPHELD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She takes naproxen 550 mg twice a day for knee pain, as she has for a year.",
            "overturned",
        ),
        ("She takes acetaminophen as needed for knee pain and no other medicine.", "upheld"),
    ],
)
def test_laboratory_monitoring_follows_long_term_nsaid_use(
    kb: KnowledgeBase, text: str, expected: str
) -> None:
    """OI-016 (CPMTG p. 70 via guidelines.md T-013 limits): a blood count and chemistry
    profile monitor long-term NSAID use; without a drug needing monitoring they are not shown
    to be needed."""
    item = _decide("CBC and hepatic function panel", text, kb)
    assert item.treatment_id == "OI-016" and item.decision is not None
    assert item.decision.value == expected
