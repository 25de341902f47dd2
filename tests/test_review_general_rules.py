"""General guideline rules encoded for imaging, surgery, ancillary services and partial
certification (guidelines.md §3 X-1, X-3, X-5; §5 T-064, T-065, T-068, T-074, T-075; §5.I),
checked on hand-built facts and case texts written for these tests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.clinical import (
    ClinicalFacts,
    Diagnosis,
    ExamFinding,
    FunctionFact,
    NeuroFinding,
    RedFlag,
    Response,
    Surgery,
    TestResult,
    TreatmentTried,
)
from openimr.model.determination import Decision
from openimr.review.decide import decide_item, determine
from openimr.review.model import DecidedItem
from openimr.review.partial import partly_certified_entries

ON = date(2016, 12, 15)  # era E2


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _facts(weeks_since_injury: float, **kwargs: object) -> ClinicalFacts:
    return ClinicalFacts(
        text="Progress note of a worker with a work injury.",
        date_of_injury=ON - timedelta(weeks=weeks_since_injury),
        **kwargs,
    )


def _criterion(item: DecidedItem, criterion_id: str) -> CriterionStatus:
    return next(c.status for c in item.criteria if c.criterion_id == criterion_id)


NECK_DEFICIT = [NeuroFinding(kind="dermatomal_sensory_loss", detail="C6")]
CARE_TRIED = [TreatmentTried(concept="physical_therapy", context="historical")]


# ------------------------------------------------------------------ imaging waiting period


def test_neck_mri_in_the_first_weeks_without_red_flags_is_not_supported(kb: KnowledgeBase) -> None:
    """T-065: most neck complaints need no imaging in the first 4-6 weeks without red flags."""
    early = decide_item("MRI of the cervical spine", _facts(3, neuro_findings=NECK_DEFICIT), ON, kb)
    assert early.decision is Decision.UPHELD
    assert _criterion(early, "not_early") is not CriterionStatus.MET
    later = decide_item(
        "MRI of the cervical spine",
        _facts(10, neuro_findings=NECK_DEFICIT, treatments=CARE_TRIED),
        ON,
        kb,
    )
    assert later.decision is Decision.OVERTURNED, later.reason
    flagged = _facts(
        3, neuro_findings=NECK_DEFICIT, red_flags=[RedFlag(kind="progressive_deficit")]
    )
    assert _criterion(decide_item("MRI of the cervical spine", flagged, ON, kb), "not_early") is (
        CriterionStatus.MET
    )


def test_waiting_period_does_not_apply_without_an_injury_date(kb: KnowledgeBase) -> None:
    facts = ClinicalFacts(text="Progress note.", neuro_findings=NECK_DEFICIT)
    item = decide_item("MRI of the cervical spine", facts, ON, kb)
    assert _criterion(item, "not_early") is CriterionStatus.MET


def test_shoulder_mri_waits_four_to_six_weeks(kb: KnowledgeBase) -> None:
    weak = [NeuroFinding(kind="weakness")]
    assert decide_item(
        "MRI of the right shoulder", _facts(3, neuro_findings=weak), ON, kb
    ).decision is (Decision.UPHELD)
    assert decide_item(
        "MRI of the right shoulder", _facts(12, neuro_findings=weak), ON, kb
    ).decision is (Decision.OVERTURNED)


# ------------------------------------------------------------------ findings tied to the region


def test_surgery_planned_elsewhere_is_not_surgical_planning_for_the_shoulder(
    kb: KnowledgeBase,
) -> None:
    hip = Surgery(procedure="total hip arthroplasty", body_part="hip", context="hypothetical")
    shoulder = Surgery(
        procedure="shoulder arthroscopy", body_part="shoulder", context="hypothetical"
    )
    assert decide_item(
        "MRI of the left shoulder", _facts(12, surgeries=[hip]), ON, kb
    ).decision is (Decision.UPHELD)
    planned = decide_item("MRI of the left shoulder", _facts(12, surgeries=[shoulder]), ON, kb)
    assert planned.decision is Decision.OVERTURNED, planned.reason


def test_nerve_study_showing_carpal_tunnel_is_not_evidence_for_neck_imaging(
    kb: KnowledgeBase,
) -> None:
    cts = TestResult(modality="EMG/NCS", abnormal=True, finding="moderate carpal tunnel syndrome")
    root = TestResult(modality="EMG/NCS", abnormal=True, finding="acute C6 radiculopathy")
    assert decide_item("MRI of the cervical spine", _facts(10, tests=[cts]), ON, kb).decision is (
        Decision.UPHELD
    )
    with_care = _facts(10, tests=[root], treatments=CARE_TRIED)
    assert decide_item("MRI of the cervical spine", with_care, ON, kb).decision is (
        Decision.OVERTURNED
    )


def test_neck_mri_needs_a_trial_of_conservative_care_unless_red_flags(kb: KnowledgeBase) -> None:
    """T-065 denial ground: no trial of conservative care; a red flag calls for imaging sooner."""
    untreated = decide_item(
        "MRI of the cervical spine", _facts(10, neuro_findings=NECK_DEFICIT), ON, kb
    )
    assert untreated.decision is Decision.UPHELD
    assert _criterion(untreated, "conservative_care") is CriterionStatus.NOT_DOCUMENTED
    planned_only = _facts(
        10,
        neuro_findings=NECK_DEFICIT,
        treatments=[TreatmentTried(concept="physical_therapy", context="hypothetical")],
    )
    assert _criterion(
        decide_item("MRI of the cervical spine", planned_only, ON, kb), "conservative_care"
    ) is (CriterionStatus.NOT_DOCUMENTED)
    flagged = _facts(
        10, neuro_findings=NECK_DEFICIT, red_flags=[RedFlag(kind="progressive_deficit")]
    )
    assert decide_item("MRI of the cervical spine", flagged, ON, kb).decision is (
        Decision.OVERTURNED
    )


# ------------------------------------------------------------------ other body parts (OI-008)


def test_imaging_of_other_body_parts_needs_red_flags_or_failed_care(kb: KnowledgeBase) -> None:
    """X-5 and the shared special-studies pattern: no red flag and no failed care, no imaging."""
    plain = decide_item("MRI of the right hip", _facts(10), ON, kb)
    assert plain.decision is Decision.UPHELD and plain.treatment_id == "OI-008"
    failed = TreatmentTried(concept="physical_therapy", response=Response.NO_BENEFIT)
    after_care = decide_item("MRI of the right foot", _facts(10, treatments=[failed]), ON, kb)
    assert after_care.decision is Decision.OVERTURNED, after_care.reason
    too_soon = decide_item("MRI of the right foot", _facts(2, treatments=[failed]), ON, kb)
    assert too_soon.decision is Decision.UPHELD


# ------------------------------------------------------------------ surgery: conservative care


def test_knee_arthroscopy_needs_therapy_plus_medication_or_activity_change(
    kb: KnowledgeBase,
) -> None:
    """T-075 (ODG): conservative care is exercise/PT plus medication or activity change."""
    signs = [ExamFinding(kind="mechanical_symptoms"), ExamFinding(kind="joint_line_tenderness")]
    mri = [TestResult(modality="MRI", body_part="knee", abnormal=True, finding="meniscal tear")]
    rest_only = [TreatmentTried(concept="activity_modification"), TreatmentTried(concept="rest")]
    base = {"exam_findings": signs, "tests": mri}
    without_pt = decide_item(
        "Right knee arthroscopy", _facts(20, treatments=rest_only, **base), ON, kb
    )
    assert without_pt.decision is Decision.UPHELD
    assert _criterion(without_pt, "conservative_failed") is not CriterionStatus.MET
    with_pt = [*rest_only, TreatmentTried(concept="physical_therapy")]
    item = decide_item("Right knee arthroscopy", _facts(20, treatments=with_pt, **base), ON, kb)
    assert item.decision is Decision.OVERTURNED, item.reason


def test_partial_cuff_tear_surgery_needs_injection_and_therapy(kb: KnowledgeBase) -> None:
    """T-074: impingement or partial tears get conservative care including an injection first;
    a full-thickness tear does not wait."""
    mri = [TestResult(modality="MRI", body_part="shoulder", abnormal=True, finding="partial tear")]
    exam = [ExamFinding(kind="impingement_sign")]
    partial = Diagnosis(label="rotator cuff tear", categories=["rotator_cuff_tear"])
    therapy = [
        TreatmentTried(concept="physical_therapy"),
        TreatmentTried(concept="occupational_therapy"),
    ]
    facts = _facts(20, diagnoses=[partial], tests=mri, exam_findings=exam, treatments=therapy)
    assert decide_item("Right shoulder arthroscopy", facts, ON, kb).decision is Decision.UPHELD
    injected = facts.model_copy(
        update={"treatments": [*therapy, TreatmentTried(concept="joint_steroid_injection")]}
    )
    assert decide_item("Right shoulder arthroscopy", injected, ON, kb).decision is (
        Decision.OVERTURNED
    )
    full = Diagnosis(label="full-thickness tear", categories=["full_thickness_rotator_cuff_tear"])
    acute = facts.model_copy(update={"diagnoses": [full], "treatments": []})
    assert decide_item("Right shoulder arthroscopy", acute, ON, kb).decision is Decision.OVERTURNED


# ------------------------------------------------------------------ partial certification

PARTIAL_TEXT = (
    "The worker has lumbar strain after a fall at work. Physical therapy twelve sessions were "
    "requested. The utilization review modified the request for physical therapy to six "
    "sessions. The worker remains on modified duty."
)


def test_partial_certification_cues_name_the_treatment(kb: KnowledgeBase) -> None:
    assert "T-034" in partly_certified_entries(PARTIAL_TEXT, kb)
    duty_only = "The worker returned to modified duty. Physical therapy was requested."
    assert partly_certified_entries(duty_only, kb) == frozenset()


def test_partial_certification_in_a_review_recap_names_only_its_own_clause(
    kb: KnowledgeBase,
) -> None:
    """A recap of several outcomes in one sentence: only the modified clause is certified in
    part, even when its treatment word runs past the clause boundary."""
    recap = (
        "The requests were reviewed on 01/05/2017 and resulted in non-certification of an MRI "
        "of the lumbar spine, non-certification of acupuncture for the wrist, and modification "
        "for an initial 6 sessions of chirophysio for the cervical, thoracic and lumbar spine."
    )
    assert partly_certified_entries(recap, kb) == frozenset({"T-037"})
    modified_to = "The reviewer modified to 6 visits the requested physical therapy."
    assert "T-034" in partly_certified_entries(modified_to, kb)
    denied_only = "The review resulted in non-certification of chiropractic care for the neck."
    assert partly_certified_entries(denied_only, kb) == frozenset()


def test_remainder_of_a_partly_certified_request_is_a_continuation(kb: KnowledgeBase) -> None:
    strain = Diagnosis(label="lumbar strain", categories=["sprain_strain", "low_back_pain"])
    facts = ClinicalFacts(text=PARTIAL_TEXT, diagnoses=[strain])
    item = determine(facts, ["Physical therapy 6 sessions for the low back"], ON, kb).items[0]
    assert item.decision is Decision.UPHELD and "X-3" in item.rules
    assert _criterion(item, "certified_part_result") is CriterionStatus.NOT_DOCUMENTED
    # Without the partial certification the same request is a plain initial trial.
    fresh = ClinicalFacts(text="The worker has lumbar strain.", diagnoses=[strain])
    first = determine(fresh, ["Physical therapy 6 sessions for the low back"], ON, kb).items[0]
    assert first.decision is Decision.OVERTURNED, first.reason
    # Documented functional improvement from the certified part meets the continuation rule.
    gain = FunctionFact(kind="functional_improvement")
    shown = facts.model_copy(update={"function": [gain]})
    again = determine(shown, ["Physical therapy 6 sessions for the low back"], ON, kb).items[0]
    assert _criterion(again, "certified_part_result") is CriterionStatus.MET


def test_trauma_alone_is_not_a_red_flag_for_early_imaging(kb: KnowledgeBase) -> None:
    """X-5: the red flag is a suspected fracture after significant trauma, not the trauma."""
    trauma = _facts(3, red_flags=[RedFlag(kind="significant_trauma")])
    item = decide_item("MRI of the cervical spine", trauma, ON, kb)
    assert _criterion(item, "not_early") is not CriterionStatus.MET
    assert _criterion(item, "acoem_indication") is not CriterionStatus.MET
    assert item.decision is Decision.UPHELD
    fracture = _facts(3, red_flags=[RedFlag(kind="fracture")])
    flagged = decide_item("MRI of the cervical spine", fracture, ON, kb)
    assert _criterion(flagged, "not_early") is CriterionStatus.MET
    assert _criterion(flagged, "acoem_indication") is CriterionStatus.MET


def test_exam_signs_at_another_body_part_do_not_support_knee_imaging(kb: KnowledgeBase) -> None:
    """T-069: derangement signs must be at the knee; a wrist Tinel sign is not one."""
    wrist = [ExamFinding(kind="special_test", name="Tinel", body_part="wrist", positive=True)]
    other = decide_item("MRI of the right knee", _facts(10, exam_findings=wrist), ON, kb)
    assert _criterion(other, "derangement_findings") is CriterionStatus.NOT_DOCUMENTED
    knee = [ExamFinding(kind="special_test", name="McMurray", body_part="knee", positive=True)]
    at_knee = decide_item("MRI of the right knee", _facts(10, exam_findings=knee), ON, kb)
    assert _criterion(at_knee, "derangement_findings") is CriterionStatus.MET
    unsited = [ExamFinding(kind="effusion")]
    plain = decide_item("MRI of the right knee", _facts(10, exam_findings=unsited), ON, kb)
    assert _criterion(plain, "derangement_findings") is CriterionStatus.MET


def test_limb_signs_support_imaging_of_the_spine_that_serves_the_limb(kb: KnowledgeBase) -> None:
    """T-065: arm sensory loss supports a neck study; leg sensory loss does not."""
    arm = [NeuroFinding(kind="dermatomal_sensory_loss", body_part="arm", detail="C6")]
    neck = decide_item("MRI of the cervical spine", _facts(10, neuro_findings=arm), ON, kb)
    assert _criterion(neck, "acoem_indication") is CriterionStatus.MET
    leg = [NeuroFinding(kind="dermatomal_sensory_loss", body_part="leg", detail="L5")]
    wrong = decide_item("MRI of the cervical spine", _facts(10, neuro_findings=leg), ON, kb)
    assert _criterion(wrong, "acoem_indication") is not CriterionStatus.MET


def test_shoulder_imaging_counts_a_cervical_root_sign_but_not_grip_weakness(
    kb: KnowledgeBase,
) -> None:
    """T-068: cervical root problems presenting as shoulder pain; hand weakness is elsewhere."""
    root = [NeuroFinding(kind="myotomal_weakness", body_part="cervical spine", detail="C5")]
    item = decide_item("MRI of the right shoulder", _facts(10, neuro_findings=root), ON, kb)
    assert _criterion(item, "acoem_indication") is CriterionStatus.MET
    grip = [NeuroFinding(kind="weakness", body_part="hand")]
    hand = decide_item("MRI of the right shoulder", _facts(10, neuro_findings=grip), ON, kb)
    assert _criterion(hand, "acoem_indication") is not CriterionStatus.MET


def test_imaging_to_clarify_anatomy_before_a_planned_injection(kb: KnowledgeBase) -> None:
    """T-068 / T-065: clarifying anatomy before an invasive procedure is an imaging criterion;
    a planned injection in the region counts, one elsewhere or already given does not."""
    planned = TreatmentTried(
        concept="joint_steroid_injection", body_part="shoulder", context="hypothetical"
    )
    given = TreatmentTried(
        concept="joint_steroid_injection", body_part="shoulder", context="historical"
    )
    knee = TreatmentTried(
        concept="joint_steroid_injection", body_part="knee", context="hypothetical"
    )
    shoulder = "MRI of the right shoulder"
    assert decide_item(shoulder, _facts(8, treatments=[planned]), ON, kb).decision is (
        Decision.OVERTURNED
    )
    assert _criterion(
        decide_item(shoulder, _facts(8, treatments=[given]), ON, kb), "acoem_indication"
    ) is not (CriterionStatus.MET)
    assert _criterion(
        decide_item(shoulder, _facts(8, treatments=[knee]), ON, kb), "acoem_indication"
    ) is not (CriterionStatus.MET)
    esi = TreatmentTried(
        concept="epidural_steroid_injection", body_part="cervical spine", context="hypothetical"
    )
    neck = decide_item(
        "MRI of the cervical spine", _facts(8, treatments=[esi, *CARE_TRIED]), ON, kb
    )
    assert _criterion(neck, "acoem_indication") is CriterionStatus.MET


def test_therapist_re_examination_carries_the_therapy_continuation_rule(kb: KnowledgeBase) -> None:
    """T-082 with X-3: a re-exam by the chiropractor serves more chiropractic care, so it needs
    documented functional improvement from the course given; a physician follow-up does not."""
    chiro = TreatmentTried(concept="chiropractic", context="historical", quantity=6)
    more = TreatmentTried(concept="chiropractic", context="hypothetical")
    strain = Diagnosis(label="lumbar strain", categories=["sprain_strain", "low_back_pain"])
    facts = _facts(8, treatments=[chiro, more], diagnoses=[strain])
    re_exam = decide_item("Re-examination with the chiropractor for the low back", facts, ON, kb)
    assert re_exam.decision is Decision.UPHELD
    assert _criterion(re_exam, "therapy_progress") is CriterionStatus.NOT_DOCUMENTED
    follow_up = decide_item("Follow-up office visit", facts, ON, kb)
    assert _criterion(follow_up, "therapy_progress") is CriterionStatus.MET
    gain = FunctionFact(kind="functional_improvement", treatment="chiropractic")
    improved = facts.model_copy(update={"function": [gain]})
    shown = decide_item("Re-examination with the chiropractor for the low back", improved, ON, kb)
    assert shown.decision is Decision.OVERTURNED, shown.reason


def test_repeat_studies_requested_in_advance_exceed_the_request(kb: KnowledgeBase) -> None:
    """X-1 with the diagnostic continuation rule: a repeat study needs a documented change,
    which cannot be shown for studies requested in advance."""
    facts = _facts(10, neuro_findings=NECK_DEFICIT, treatments=CARE_TRIED)
    once = decide_item("MRI of the cervical spine", facts, ON, kb)
    assert once.decision is Decision.OVERTURNED, once.reason
    twice = decide_item("MRI of the cervical spine x2", facts, ON, kb)
    assert twice.decision is Decision.UPHELD and "X-1" in twice.rules


def test_failed_strengthening_supports_imaging_only_when_meant_to_avoid_surgery(
    kb: KnowledgeBase,
) -> None:
    """T-065 / T-068 (ACOEM): the criterion is failure of a strengthening program intended to
    avoid surgery, so it needs a surgical lesion or surgery under consideration."""
    failed = TreatmentTried(
        concept="physical_therapy", context="historical", response=Response.NO_BENEFIT
    )
    plain = decide_item("MRI of the cervical spine", _facts(10, treatments=[failed]), ON, kb)
    assert _criterion(plain, "acoem_indication") is not CriterionStatus.MET
    assert plain.decision is Decision.UPHELD
    herniation = Diagnosis(label="cervical disc herniation", categories=["disc_herniation"])
    lesion = _facts(10, treatments=[failed], diagnoses=[herniation])
    assert _criterion(
        decide_item("MRI of the cervical spine", lesion, ON, kb), "acoem_indication"
    ) is (CriterionStatus.MET)
    tear = Diagnosis(label="rotator cuff tear", categories=["rotator_cuff_tear"])
    shoulder = _facts(12, treatments=[failed], diagnoses=[tear])
    assert decide_item("MRI of the right shoulder", shoulder, ON, kb).decision is (
        Decision.OVERTURNED
    )
    assert decide_item(
        "MRI of the right shoulder", _facts(12, treatments=[failed]), ON, kb
    ).decision is (Decision.UPHELD)


def test_a_red_flag_lifts_the_conservative_care_wait_for_knee_mri(kb: KnowledgeBase) -> None:
    """X-5 on T-069: red flags override conservative-care waiting periods for imaging."""
    locking = [ExamFinding(kind="mechanical_symptoms", body_part="knee")]
    plain = decide_item("MRI of the right knee", _facts(3, exam_findings=locking), ON, kb)
    assert _criterion(plain, "surgery_or_failed_care") is CriterionStatus.NOT_DOCUMENTED
    flagged = _facts(3, exam_findings=locking, red_flags=[RedFlag(kind="fracture")])
    item = decide_item("MRI of the right knee", flagged, ON, kb)
    assert _criterion(item, "surgery_or_failed_care") is CriterionStatus.MET
    trauma = _facts(3, exam_findings=locking, red_flags=[RedFlag(kind="significant_trauma")])
    assert _criterion(
        decide_item("MRI of the right knee", trauma, ON, kb), "surgery_or_failed_care"
    ) is (CriterionStatus.NOT_DOCUMENTED)


KNEE_INJURY = (
    "The worker, a 31-year-old warehouse clerk, twisted the left knee when a pallet shifted on "
    "03-02-2016. {weight} On 03-10-2016 the left knee showed an effusion, medial joint line "
    "tenderness and a positive McMurray's test, with locking. MRI of the left knee was requested."
)


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        ("She was unable to bear weight on the left knee that evening.", Decision.OVERTURNED),
        ("She could not bear weight for two days.", Decision.OVERTURNED),
        ("She was able to walk, with full weight bearing on both legs.", Decision.UPHELD),
        ("She denied any inability to bear weight.", Decision.UPHELD),
    ],
)
def test_inability_to_bear_weight_after_knee_trauma_calls_for_imaging(
    kb: KnowledgeBase, weight: str, expected: Decision
) -> None:
    """T-069 with X-5: inability to bear weight after the injury (an Ottawa knee rule, a
    suspected fracture) lifts the wait for failed conservative care; its absence or denial
    does not."""
    facts = extract_facts(KNEE_INJURY.format(weight=weight))
    item = decide_item("MRI of the left knee without contrast", facts, date(2016, 3, 15), kb)
    assert item.decision is expected
    met = _criterion(item, "surgery_or_failed_care") is CriterionStatus.MET
    assert met is (expected is Decision.OVERTURNED)


@pytest.mark.parametrize(("result", "met"), [("positive", True), ("negative", False)])
def test_a_special_test_counts_as_a_derangement_sign_only_when_not_negative(
    kb: KnowledgeBase, result: str, met: bool
) -> None:
    """T-069: a McMurray test recorded as negative is a normal finding, not a sign of
    internal derangement."""
    text = (
        "The worker injured the right knee at work on 01-04-2016. On 03-01-2016 the knee "
        f"showed a {result} McMurray test. Physical therapy has not helped."
    )
    item = decide_item("MRI of the right knee", extract_facts(text), ON, kb)
    status = _criterion(item, "derangement_findings")
    assert (status is CriterionStatus.MET) is met


RADICULOPATHY = (
    "The worker has left C6 radiculopathy with decreased sensation in the C6 dermatome; an MRI "
    "shows a C5-6 disc herniation compressing the C6 root. Physical therapy and naproxen failed."
)


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("Cervical epidural steroid injection, interlaminar approach, C5-C6", Decision.OVERTURNED),
        ("Cervical interlaminar epidural steroid injection, C5-C6 and C6-C7", Decision.UPHELD),
        ("Transforaminal epidural steroid injection C5-6 and C6-7", Decision.OVERTURNED),
        ("Transforaminal epidural steroid injection C4-5, C5-6 and C6-7", Decision.UPHELD),
    ],
)
def test_epidural_levels_per_session_depend_on_the_approach(
    kb: KnowledgeBase, request_text: str, expected: Decision
) -> None:
    """T-052 criteria 5-6: two transforaminal levels, one interlaminar level per session."""
    item = decide_item(request_text, extract_facts(RADICULOPATHY), ON, kb)
    assert item.treatment_id == "T-052" and item.decision is expected
    levels_met = _criterion(item, "levels") is CriterionStatus.MET
    assert levels_met is (expected is Decision.OVERTURNED)


def test_a_surgery_told_in_the_past_tense_opens_postsurgical_therapy(kb: KnowledgeBase) -> None:
    """T-036: "he underwent X on DATE" is a surgery done (read as historical), so the
    postsurgical treatment guideline and its period apply."""
    text = (
        "The injured worker is a 47-year-old man who hurt the left shoulder lifting a crate on "
        "01-06-2016. An MRI showed a full-thickness supraspinatus tear, and he underwent "
        "arthroscopic rotator cuff repair of the left shoulder on 10-24-2016."
    )
    item = decide_item(
        "Post-operative physical therapy 12 sessions for the left shoulder",
        extract_facts(text),
        date(2016, 11, 15),
        kb,
    )
    assert item.treatment_id == "T-036"
    assert _criterion(item, "surgery_done") is CriterionStatus.MET
    assert _criterion(item, "within_period") is CriterionStatus.MET
    assert item.decision is Decision.OVERTURNED


FRP_CANDIDATE = (
    "The injured worker is a 52-year-old warehouse worker with chronic low back pain since an "
    "injury on 03-14-2015. Physical therapy, chiropractic care, epidural injections and "
    "medications have all failed, and a spine surgeon found she is not a surgical candidate. "
    "She needs assistance with bathing and dressing and cannot stand more than 10 minutes. "
    "A multidisciplinary evaluation on 10-05-2016 included baseline functional testing and a "
    "psychological assessment; she is motivated to return to work and willing to forgo "
    "secondary gains."
)


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("Functional restoration program 80 hours", Decision.OVERTURNED),
        ("Functional restoration program 160 hours", Decision.UPHELD),
    ],
)
def test_a_program_requested_in_hours_meets_the_two_week_trial_limit(
    kb: KnowledgeBase, request_text: str, expected: Decision
) -> None:
    """T-043: not beyond two weeks without documented gains; 160 hours is the full 4-week
    program requested up front, a denial ground guidelines.md names."""
    item = decide_item(request_text, extract_facts(FRP_CANDIDATE), ON, kb)
    assert item.treatment_id == "T-043" and item.decision is expected
