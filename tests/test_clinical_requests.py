"""Reading a note's request list and its test results (case text written for the test)."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.model.clinical import FactContext
from openimr.review.decide import determine

NOTE = """PROGRESS REPORT
Date of service: 04/06/2015

A 51 year old female clerk. Date of injury: 02/03/2014.

SUBJECTIVE:
Neck pain radiating into the right arm with numbness of the thumb. She has not had an
epidural steroid injection. Naproxen helped a little. No side effects reported.

TREATMENT TO DATE:
Physical therapy, 12 sessions, with no lasting benefit. Home exercise program.

OBJECTIVE:
Decreased sensation over the right thumb (C6 dermatome). Right biceps reflex diminished.
Strength 4/5 right wrist extension.

DIAGNOSTIC STUDIES:
MRI of the cervical spine dated 12/01/2014: right foraminal disc protrusion at C5-C6
compressing the right C6 nerve root.

PLAN / REQUEST FOR AUTHORIZATION:
1. Right C5-C6 interlaminar epidural steroid injection.
2. Naproxen 550mg #60.
3. Repeat cervical MRI.
Return in 4 weeks.
"""

JOINED = """Assessment: cervical radiculopathy.
Treatment plan:
1. Physical therapy 6 sessions 2. Naproxen 550mg #60 3. Lidoderm patch #30.
He understands the plan."""


def test_request_list_items_are_read_as_written() -> None:
    facts = extract_facts(NOTE)
    assert [r.text for r in facts.requested_items] == [
        "Right C5-C6 interlaminar epidural steroid injection",
        "Naproxen 550mg #60",
        "Repeat cervical MRI",
    ]
    start = facts.requested_items[1].evidence[0].start
    assert NOTE[start : start + 5] == "Napro"


def test_joined_numbered_list_is_split_at_the_next_number() -> None:
    facts = extract_facts(JOINED)
    assert [r.text for r in facts.requested_items] == [
        "Physical therapy 6 sessions",
        "Naproxen 550mg #60",
        "Lidoderm patch #30",
    ]


def test_items_of_a_request_list_are_planned_not_done() -> None:
    facts = extract_facts(NOTE)
    esi = [t for t in facts.treatments if t.concept == "epidural_steroid_injection"]
    assert {t.context for t in esi} == {FactContext.NEGATED, FactContext.HYPOTHETICAL}
    mri = [t for t in facts.tests if t.modality == "MRI"]
    assert [t.context for t in mri] == [FactContext.AFFIRMED, FactContext.HYPOTHETICAL]


def test_finding_after_a_colon_is_read() -> None:
    facts = extract_facts(NOTE)
    mri = next(t for t in facts.tests if t.modality == "MRI")
    assert mri.abnormal is True and mri.finding is not None and "C6 nerve root" in mri.finding
    assert mri.on == date(2014, 12, 1)


def test_engine_on_the_note_uses_the_list_and_the_corroborating_mri() -> None:
    facts = extract_facts(NOTE)
    result = determine(facts, [r.text for r in facts.requested_items], date(2015, 4, 10))
    esi = result.items[0]
    outcomes = {c.criterion_id: c.status.value for c in esi.criteria}
    assert outcomes.get("corroborated") == "met"
    assert "repeat_response" not in outcomes  # no prior epidural: not a repeat block
    assert result.clinical_summary and "51-year-old" in result.clinical_summary


# ---------------------------------------------------------------- request and review sentences


def _requested_texts(text: str) -> list[str]:
    return [r.text for r in extract_facts(text).requested_items]


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("Utilization review non-certified the request for a lumbar MRI on 03/02/2016.", "MRI"),
        ("The RFA dated 02/11/2016 requested acupuncture for the neck.", "acupuncture"),
        ("A request for authorization of a TENS unit was received.", "TENS unit"),
        ("Aquatic therapy was denied by utilization review last month.", "Aquatic therapy"),
        ("Eight sessions of chiropractic care were modified by UR to four.", "chiropractic care"),
        ("Utilization review modified the requested standard wheel chair to a rental.", "wheel"),
        ("The request for home aide 4 hours per day was non-certified.", "home aide"),
    ],
)
def test_items_of_request_and_review_sentences_are_requested(text: str, item: str) -> None:
    texts = _requested_texts(text)
    assert any(item.lower() in t.lower() for t in texts), texts


def test_item_named_twice_is_one_request_with_two_spans() -> None:
    text = (
        "The request for physical therapy was modified. "
        "The request for physical therapy was modified for a trial of six visits."
    )
    facts = extract_facts(text)
    assert [r.text for r in facts.requested_items] == ["physical therapy"]
    assert len(facts.requested_items[0].evidence) == 2


@pytest.mark.parametrize(
    "text",
    [
        "UR noted a lack of outcomes from the prior acupuncture sessions and denied the request.",
        "The physical therapy report reviewed by UR was dated last week; the request was denied.",
        "The request was denied; the worker had completed chiropractic care in May.",
        "She remains on modified work duties and the request was approved.",
    ],
)
def test_treatments_tried_in_a_review_sentence_are_not_requested(text: str) -> None:
    assert _requested_texts(text) == []


def test_planned_items_the_review_never_named_are_not_requested() -> None:
    text = (
        "The provider recommended physical therapy and prednisone with a taper. "
        "Utilization review non-certified the request for physical therapy."
    )
    texts = [t.lower() for t in _requested_texts(text)]
    assert texts == ["physical therapy"]


def test_plan_items_count_when_no_request_or_review_sentence_exists() -> None:
    texts = _requested_texts("The treatment plan included an MRI of the left knee.")
    assert texts == ["MRI of the left knee"]


def test_generic_medications_are_not_a_requested_item() -> None:
    text = "The request for authorization covered continued medications and an MRI of the neck."
    assert [t for t in _requested_texts(text) if "medication" in t.lower()] == []
