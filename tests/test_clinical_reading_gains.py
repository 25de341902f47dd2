"""Reading functional gains (guidelines.md 2.3), planned invasive procedures, symptom
durations written in the history, and symptoms a note or a reviewer says are absent. Case
texts are invented here."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.model.clinical import ClinicalFacts, FactContext, FunctionFact


def _gains(facts: ClinicalFacts, context: FactContext | None = None) -> list[FunctionFact]:
    return [
        f
        for f in facts.function
        if f.kind in ("functional_improvement", "return_to_work")
        and (context is None or f.context is context)
    ]


# ------------------------------------------------- 1. functional improvement (2.3)


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        (
            "Her work restrictions were reduced after four of six acupuncture treatments.",
            "acupuncture",
        ),
        ("There was a reduction in work restrictions after 5 chiropractic visits.", "chiropractic"),
        ("After a course of physical therapy he returned to modified duty.", "physical_therapy"),
        ("Following acupuncture, she was able to return to full duty.", "acupuncture"),
        ("With chiropractic care his walking tolerance improved from 15 to 40 minutes.", None),
        ("With aquatic therapy he increased walking tolerance from 10 to 30 minutes.", None),
        ("Since starting the TENS unit she reports decreased medication use.", "tens"),
        ("His restrictions were lifted once the course of physical therapy ended.", None),
    ],
)
def test_gains_are_read_and_credited_to_the_treatment_named(
    text: str, credited: str | None
) -> None:
    facts = extract_facts(text)
    gains = _gains(facts, FactContext.AFFIRMED)
    assert gains, [f.kind for f in facts.function]
    treatments = {t.concept for t in facts.treatments}
    want = credited or next(iter(treatments))
    assert {g.treatment for g in gains} == {want}


def test_a_walking_tolerance_measure_alone_is_no_gain() -> None:
    facts = extract_facts("Walking tolerance is 10 minutes; she continues acupuncture.")
    assert not _gains(facts)


@pytest.mark.parametrize(
    "text",
    [
        "There was no reduction in work restrictions after six acupuncture treatments.",
        "He has not returned to modified duty despite chiropractic care.",
        "She has been unable to return to work despite physical therapy.",
    ],
)
def test_denied_gains_are_negated(text: str) -> None:
    facts = extract_facts(text)
    assert not _gains(facts, FactContext.AFFIRMED)
    assert _gains(facts, FactContext.NEGATED)


def test_a_treatment_after_despite_stays_tried() -> None:
    facts = extract_facts("He has not returned to modified duty despite chiropractic care.")
    assert [t.context for t in facts.treatments] == [FactContext.AFFIRMED]
    assert all(w.context is FactContext.NEGATED for w in facts.work_status)


def test_a_return_to_work_goal_is_not_a_gain() -> None:
    facts = extract_facts("The goal of the physical therapy program is to return to work.")
    assert not _gains(facts, FactContext.AFFIRMED)
    hoped = extract_facts("She hopes to return to full duty after chiropractic care.")
    assert not _gains(hoped, FactContext.AFFIRMED)
    assert all(w.context is FactContext.HYPOTHETICAL for w in hoped.work_status)


def test_less_medication_with_no_other_treatment_named_is_no_gain() -> None:
    # a reduction of a drug is not a gain of that drug
    facts = extract_facts("He reports decreased use of Norco this month.")
    assert not _gains(facts)


def test_a_return_to_work_is_credited_to_the_treatment_of_its_sentence() -> None:
    facts = extract_facts("He returned to work after eight sessions of physical therapy.")
    assert {g.treatment for g in _gains(facts, FactContext.AFFIRMED)} == {"physical_therapy"}


def test_a_negation_before_a_gain_does_not_reach_the_treatment_since_started() -> None:
    facts = extract_facts("She can sit without pain since starting acupuncture.")
    assert [t.context for t in facts.treatments] == [FactContext.AFFIRMED]


# ------------------------------------------------- 2. planned invasive procedures


@pytest.mark.parametrize(
    ("text", "concept", "part"),
    [
        ("A corticosteroid injection of the left shoulder is contemplated.", "steroid", "shoulder"),
        ("Plan: subacromial injection, right shoulder.", "joint_steroid_injection", "shoulder"),
        ("She is a candidate for an epidural injection at L4-5.", "epidural", "lumbar spine"),
        ("A cervical epidural injection at C6-7 is being considered.", "epidural", None),
    ],
)
def test_planned_injections_are_hypothetical_treatments_with_their_part(
    text: str, concept: str, part: str | None
) -> None:
    facts = extract_facts(text)
    planned = [t for t in facts.treatments if concept in t.concept]
    assert planned and all(t.context is FactContext.HYPOTHETICAL for t in planned)
    if part:
        assert {t.body_part for t in planned} == {part}


def test_an_injection_received_is_not_planned() -> None:
    facts = extract_facts("He received a corticosteroid injection to the left shoulder in 2015.")
    assert all(t.context is not FactContext.HYPOTHETICAL for t in facts.treatments)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("The worker is considering surgery for the lumbar spine.", "lumbar spine"),
        ("Surgical consultation was recommended for the left knee.", "knee"),
        ("He is a surgical candidate for the cervical spine.", "cervical spine"),
        ("Orthopedic surgery referral for the right shoulder.", "shoulder"),
    ],
)
def test_surgery_weighed_is_a_planned_surgery(text: str, part: str) -> None:
    facts = extract_facts(text)
    planned = [s for s in facts.surgeries if s.context is FactContext.HYPOTHETICAL]
    assert planned and not any(s.done for s in facts.surgeries)
    assert {s.body_part for s in planned} == {part}


@pytest.mark.parametrize(
    "text",
    [
        "She is not a surgical candidate at this time.",
        "He declined surgery on the right knee.",
    ],
)
def test_surgery_ruled_out_or_declined_is_neither_done_nor_planned(text: str) -> None:
    facts = extract_facts(text)
    assert facts.surgeries
    assert all(s.context is FactContext.NEGATED and not s.done for s in facts.surgeries)


def test_a_past_surgical_consultation_is_no_surgery_done() -> None:
    facts = extract_facts("She had a surgical consultation with an orthopedist in 2014.")
    assert facts.surgeries and not any(s.done for s in facts.surgeries)


# ------------------------------------------------- 3. symptom duration in the history


@pytest.mark.parametrize(
    ("text", "symptom", "days", "on"),
    [
        ("She has had carpal tunnel symptoms for 2 years.", "carpal tunnel symptoms", 730, None),
        ("He complains of neck pain for the past six months.", "neck pain", 180, None),
        ("Low back pain for approximately three weeks.", "low back pain", 21, None),
        ("He reports numbness in both hands since 2014.", "numbness", None, date(2014, 1, 1)),
    ],
)
def test_symptom_durations_give_an_onset(
    text: str, symptom: str, days: int | None, on: date | None
) -> None:
    facts = extract_facts(text)
    assert len(facts.symptom_onsets) == 1
    onset = facts.symptom_onsets[0]
    assert symptom in onset.symptom
    assert onset.context is FactContext.AFFIRMED
    assert onset.ago_days == days
    assert onset.on == on


def test_a_duration_is_dated_from_the_note_date_of_its_sentence() -> None:
    facts = extract_facts("On 03/01/2016 she reported wrist pain for the past 2 months.")
    assert facts.symptom_onsets[0].on == date(2016, 1, 1)


def test_a_denied_symptom_gives_no_affirmed_onset() -> None:
    facts = extract_facts("He denies neck pain for the past 2 years.")
    assert all(o.context is FactContext.NEGATED for o in facts.symptom_onsets)


def test_a_time_that_is_no_duration_gives_no_onset() -> None:
    facts = extract_facts("Pain for 2 days after each session of acupuncture, then relief.")
    assert not [o for o in facts.symptom_onsets if o.ago_days == 2 and "after" in o.text]
    facts = extract_facts("He took ibuprofen for pain 3 weeks after the injury.")
    assert not facts.symptom_onsets


# ------------------------------------------------- 4. absent or unmentioned symptoms


@pytest.mark.parametrize(
    "text",
    [
        "She denies paresthesias in the hands.",
        "There were no complaints of numbness in the subjective section of the note.",
        "The progress note made no mention of the worker having issues with arm paresthesias.",
        "The treating provider did not report any tingling in the upper extremities.",
    ],
)
def test_symptoms_a_note_leaves_out_are_not_affirmed(text: str) -> None:
    facts = extract_facts(text)
    assert facts.neuro_findings
    assert not any(n.affirmed for n in facts.neuro_findings)


def test_a_symptom_reported_stays_affirmed() -> None:
    facts = extract_facts("She reports intermittent paresthesias in the right hand at night.")
    assert [n.context for n in facts.neuro_findings] == [FactContext.AFFIRMED]
