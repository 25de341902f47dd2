"""Which entry judges a drug request: a first trial or the continuation rule (X-3),
on case texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.clinical import ClinicalFacts, Medication, MonitoringFact
from openimr.model.determination import Decision
from openimr.review.decide import decide_item

ON = date(2016, 12, 15)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_taking_a_combination_ingredient_does_not_make_the_combination_a_refill(
    kb: KnowledgeBase,
) -> None:
    """Acetaminophen taken alone is not hydrocodone/acetaminophen: the request is a first
    opioid trial (T-001), as it is when the brand name is written."""
    text = (
        "The injured worker is a 49-year-old man with low back pain since a fall on 02-03-2016. "
        "He currently takes acetaminophen 500 mg twice a day."
    )
    facts = extract_facts(text)
    for request in ("Hydrocodone/acetaminophen 5/325mg #60", "Norco 5/325mg #60"):
        assert decide_item(request, facts, ON, kb).treatment_id == "T-001", request
    assert decide_item("Acetaminophen 500mg #60", facts, ON, kb).treatment_id == "T-012"


def test_a_stated_refill_without_documented_use_is_judged_by_the_continuation_rule(
    kb: KnowledgeBase,
) -> None:
    """A refill request names prior use; when the records show none, the ongoing-management
    criteria (T-002) are not documented, so the refill is not shown to be necessary."""
    text = (
        "The injured worker is a 33-year-old woman with a hip contusion from a fall on "
        "10-02-2016. Pain is 4/10. No pain medication has been prescribed for this injury."
    )
    item = decide_item("Refill Percocet 5/325mg #60", extract_facts(text), ON, kb)
    assert item.treatment_id == "T-002"
    assert item.criteria and item.decision is Decision.UPHELD


def test_a_planned_stimulator_in_the_records_supports_a_psychological_evaluation(
    kb: KnowledgeBase,
) -> None:
    """T-049: the evaluation before a spinal cord stimulator is indicated whether the
    request or only the records name the stimulator; the stimulator itself is not judged."""
    text = (
        "A 55-year-old man with failed back surgery syndrome after a lumbar fusion has been "
        "referred for a spinal cord stimulator trial by his pain physician."
    )
    facts = extract_facts(text)
    for request in (
        "Psychological evaluation",
        "Psychological evaluation prior to spinal cord stimulator trial",
    ):
        item = decide_item(request, facts, ON, kb)
        assert item.treatment_id == "T-049" and item.decision is Decision.OVERTURNED, request
    unrelated = extract_facts("A 40-year-old man with a healed ankle sprain, working full duty.")
    assert decide_item("Psychological evaluation", unrelated, ON, kb).decision is Decision.UPHELD


TENS_CANDIDATE = (
    "The injured worker is a 46-year-old housekeeper injured on 02-15-2016 with left L5 "
    "radiculopathy confirmed on EMG. Naproxen, gabapentin and 8 sessions of physical therapy "
    "gave inadequate pain control; she continues a daily home exercise program."
)


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("TENS unit 30-day trial", Decision.OVERTURNED),
        ("TENS unit x 1 month home trial", Decision.OVERTURNED),
        ("TENS unit 30 day rental", Decision.OVERTURNED),
        ("TENS unit purchase", Decision.UPHELD),
    ],
)
def test_a_one_month_tens_trial_is_the_trial_the_guideline_asks_for(
    kb: KnowledgeBase, request_text: str, expected: Decision
) -> None:
    """T-045: a one-month trial precedes purchase, however the request words the trial."""
    item = decide_item(request_text, extract_facts(TENS_CANDIDATE), ON, kb)
    assert item.treatment_id == "T-045" and item.decision is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The worker had arthroscopic subacromial decompression of the right shoulder on "
            "12-07-2016 and has postoperative nausea.",
            Decision.OVERTURNED,
        ),
        (
            "The worker has taken Norco for two years for chronic low back pain and reports "
            "nausea from the medication.",
            Decision.UPHELD,
        ),
    ],
)
def test_ondansetron_is_for_its_approved_settings_not_chronic_opioid_nausea(
    kb: KnowledgeBase, text: str, expected: Decision
) -> None:
    """T-010: ODG does not recommend antiemetics for chronic opioid nausea, while the
    approved settings (here right after surgery) are recommended."""
    item = decide_item("Ondansetron 4mg #10", extract_facts(text), date(2016, 12, 9), kb)
    assert item.treatment_id == "T-010" and item.decision is expected


@pytest.mark.parametrize(
    ("text", "movantik"),
    [
        (
            "The worker takes Percocet 10/325 three times a day. Bowel habits were not discussed "
            "and no laxative, fiber or fluid measures have been tried.",
            Decision.UPHELD,
        ),
        (
            "The worker takes Percocet 10/325 three times a day and has opioid-induced "
            "constipation despite docusate and senna, which did not help.",
            Decision.OVERTURNED,
        ),
    ],
)
def test_a_second_line_constipation_drug_needs_constipation_and_a_first_line_trial(
    kb: KnowledgeBase, text: str, movantik: Decision
) -> None:
    """T-009: prescription agents are second line after fluids, fiber and laxatives fail;
    a first-line laxative with opioid therapy needs neither."""
    facts = extract_facts(text)
    assert decide_item("Movantik 25mg #30", facts, ON, kb).decision is movantik
    assert decide_item("Colace 100mg #60", facts, ON, kb).decision is Decision.OVERTURNED


@pytest.mark.parametrize(
    ("text", "expected", "status"),
    [
        (
            "A psychologist diagnosed moderate major depressive disorder on 10-18-2016 in this "
            "worker with chronic low back pain; the psychiatrist recommended sertraline.",
            Decision.OVERTURNED,
            "RECOMMENDED",
        ),
        (
            "The worker has chronic low back pain without mood symptoms; sertraline was "
            "suggested for the pain.",
            Decision.UPHELD,
            "NOT_RECOMMENDED",
        ),
    ],
)
def test_an_ssri_for_a_documented_depression_is_judged_under_the_mental_health_guideline(
    kb: KnowledgeBase, text: str, expected: Decision, status: str
) -> None:
    """T-021: SSRIs are not recommended for pain (CPMTG p. 107) but are recommended for a
    documented depressive disorder under the stress chapter (a source `when` condition)."""
    item = decide_item("Zoloft 50mg #30", extract_facts(text), ON, kb)
    assert item.treatment_id == "T-021" and item.decision is expected
    assert item.guideline_status is not None and item.guideline_status.value == status


def _on_norco(risk: str, screened: date | None) -> ClinicalFacts:
    monitoring = [MonitoringFact(kind="risk_assessment", detail=f"{risk} risk")]
    if screened is not None:
        monitoring.append(MonitoringFact(kind="urine_drug_screen", on=screened, consistent=True))
    norco = Medication(
        text="Norco", generic="hydrocodone", drug_class="short_acting_opioid", current=True
    )
    return ClinicalFacts(text="Progress note.", medications=[norco], monitoring=monitoring)


@pytest.mark.parametrize(
    ("risk", "screened", "expected"),
    [
        ("low", date(2016, 9, 20), Decision.UPHELD),  # consistent screen three months ago
        ("low", date(2015, 9, 1), Decision.OVERTURNED),  # over a year ago: the yearly test is due
        ("low", None, Decision.OVERTURNED),  # first screen on opioid therapy
        ("high", date(2016, 11, 20), Decision.OVERTURNED),  # high risk: up to monthly
    ],
)
def test_urine_drug_screen_frequency_follows_the_risk_level(
    kb: KnowledgeBase, risk: str, screened: date | None, expected: Decision
) -> None:
    """T-005 (ODG UDT): low risk - within 6 months of starting, then yearly; high risk as
    often as monthly."""
    item = decide_item("Urine drug screen", _on_norco(risk, screened), ON, kb)
    assert item.treatment_id == "T-005" and item.decision is expected


@pytest.mark.parametrize(
    ("request_text", "exceeded"),
    [
        ("Tramadol 100mg, 2 tablets three times a day #180", True),  # 600 mg a day
        ("Tramadol 50mg, 2 tablets four times a day #240", False),  # 400 mg a day
        ("Tramadol 50mg #60", False),  # no dosing stated: no daily dose to test
    ],
)
def test_a_stated_daily_dose_above_the_ceiling_exceeds_the_request_as_written(
    kb: KnowledgeBase, request_text: str, exceeded: bool
) -> None:
    """T-006: at most 400 mg of tramadol a day (CPMTG pp. 93-94), computed from the
    strength, the tablets per dose and the doses a day the request states."""
    item = decide_item(request_text, ClinicalFacts(text="Progress note."), ON, kb)
    limits = [outcome.limit_id for outcome in item.limits_exceeded]
    assert ("daily_dose_ir" in limits) is exceeded


@pytest.mark.parametrize(
    ("history", "status"),
    [("has had neck pain since March 2016", "met"), ("has neck pain", "not met")],
)
def test_three_months_of_pain_runs_from_a_documented_onset_before_the_injury_date(
    kb: KnowledgeBase, history: str, status: str
) -> None:
    """T-055 (and T-045): "symptoms for more than three months" counts from the earliest
    documented onset of pain, and from the injury date where no onset is given."""
    text = (
        f"The worker, injured on 11-01-2016, {history} with trigger points and a twitch "
        "response in the trapezius."
    )
    item = decide_item("Trigger point injections x3", extract_facts(text), ON, kb)
    outcome = next(c for c in item.criteria if c.criterion_id == "three_months")
    assert outcome.status.value == status


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("The chiropractic treatment decreased her pain from 8/10 to 5/10.", Decision.UPHELD),
        (
            "The chiropractic treatment improved her function and she returned to full duty.",
            Decision.OVERTURNED,
        ),
    ],
)
def test_pain_relief_alone_is_not_functional_improvement_for_more_visits(
    kb: KnowledgeBase, outcome: str, expected: Decision
) -> None:
    """X-3 with 9792.20 (guidelines.md 2.3): continuing care needs a gain in daily activities
    or work, not pain relief alone."""
    text = (
        "The injured worker is a 41-year-old cashier with a lumbar strain from 03-02-2016. She "
        f"has had 6 chiropractic visits. {outcome}"
    )
    item = decide_item(
        "Chiropractic treatment 4 visits for the lumbar spine", extract_facts(text), ON, kb
    )
    assert item.treatment_id == "T-037" and item.decision is expected


def test_a_drugs_daily_maximum_still_holds_on_a_refill(kb: KnowledgeBase) -> None:
    """T-006's 400 mg a day applies when the renewal is judged under T-002."""
    text = (
        "The worker has used tramadol since 2015 for chronic low back pain; pain is 7/10 "
        "before and 4/10 after his dose, and he returned to his regular job."
    )
    item = decide_item(
        "Tramadol 100mg #180, 2 tablets three times daily", extract_facts(text), ON, kb
    )
    assert item.treatment_id == "T-002"
    assert [o.limit_id for o in item.limits_exceeded] == ["daily_dose_ir"]
    assert item.decision is Decision.UPHELD
