"""Reading a note's request list and its test results (case text written for the test)."""

from __future__ import annotations

from datetime import date

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
