"""Misreadings found by probing the reader with invented case texts: normal neurological
exams, negated plans, new drug starts, pain with and without medication, injury dates,
surgeries, body parts of tests and surgeries, requests, function and monitoring facts.
Every case text here is written for the test; each fix has a look-alike that must not change."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from openimr.clinical import extract_facts
from openimr.clinical.vocab import DATA_DIR, ClinicalVocabularyError, load_vocabulary
from openimr.model.clinical import FactContext, Response


def _neuro(text: str, kind: str) -> list[Any]:
    """Neurological findings of `kind` (sensory_loss and its dermatomal form count as one)."""
    kinds = {kind, "dermatomal_sensory_loss"} if kind == "sensory_loss" else {kind}
    return [n for n in extract_facts(text).neuro_findings if n.kind in kinds]


def _affirmed(items: list[Any]) -> list[Any]:
    return [i for i in items if i.context is FactContext.AFFIRMED]


# ------------------------------------------------- 1. normal neurological examinations


def test_intact_sensation_full_strength_and_symmetric_reflexes_is_no_deficit() -> None:
    text = "On examination he had intact sensation, full strength and symmetric reflexes."
    assert _neuro(text, "reflex_change")
    assert not _affirmed(_neuro(text, "reflex_change"))
    assert not _affirmed(_neuro(text, "sensory_loss"))


def test_a_list_of_exam_words_said_to_be_normal_is_no_deficit() -> None:
    text = "Sensation, strength and reflexes in both legs are normal."
    for kind in ("sensory_loss", "reflex_change"):
        found = _neuro(text, kind)
        assert found and all(n.context is FactContext.NEGATED for n in found), kind
    short = "Sensation and reflexes are normal."
    assert not _affirmed(_neuro(short, "sensory_loss"))
    assert not _affirmed(_neuro(short, "reflex_change"))


def test_reflexes_are_normal_and_normal_sensation_are_negated() -> None:
    assert [n.context for n in _neuro("Reflexes are normal.", "reflex_change")] == [
        FactContext.NEGATED
    ]
    found = _neuro("Normal sensation in both legs.", "sensory_loss")
    assert [n.context for n in found] == [FactContext.NEGATED]
    assert found[0].body_part == "leg"


def test_abnormal_reflexes_and_sensation_stay_affirmed() -> None:
    reflex = _neuro("Reflexes were diminished at the left ankle.", "reflex_change")
    assert [(n.context, n.body_part) for n in reflex] == [(FactContext.AFFIRMED, "ankle")]
    sensory = _neuro("Sensation is decreased in the L5 dermatome.", "sensory_loss")
    assert [(n.context, n.detail) for n in sensory] == [(FactContext.AFFIRMED, "L5")]
    assert _affirmed(_neuro("There is an absent Achilles reflex on the right.", "reflex_change"))


def test_a_deficit_next_to_a_normal_finding_keeps_its_own_reading() -> None:
    text = "Decreased sensation in the L5 dermatome and reflexes are normal."
    assert [n.context for n in _neuro(text, "sensory_loss")] == [FactContext.AFFIRMED]
    assert [n.context for n in _neuro(text, "reflex_change")] == [FactContext.NEGATED]
    # symmetrically diminished reflexes are still diminished
    assert _affirmed(_neuro("He has symmetric diminished reflexes.", "reflex_change"))


# ------------------------------------------------- 2. surgery ruled out is neither done nor planned


def test_surgery_not_being_considered_is_negated_not_planned() -> None:
    facts = extract_facts("Lumbar surgery is not being considered at this time.")
    assert [(s.context, s.done, s.body_part) for s in facts.surgeries] == [
        (FactContext.NEGATED, False, "lumbar spine")
    ]
    weighed = extract_facts("Lumbar surgery is being considered.").surgeries
    assert [(s.context, s.done) for s in weighed] == [(FactContext.HYPOTHETICAL, False)]


def test_surgery_not_discussed_is_negated_and_surgery_discussed_is_not_done() -> None:
    facts = extract_facts("Surgery has not been discussed with the worker.")
    assert [(s.context, s.done) for s in facts.surgeries] == [(FactContext.NEGATED, False)]
    talked = extract_facts("Surgery was discussed with the worker.").surgeries
    assert [(s.context, s.done) for s in talked] == [(FactContext.HYPOTHETICAL, False)]
    done = extract_facts("He had lumbar surgery with good results.").surgeries
    assert [(s.context, s.done) for s in done] == [(FactContext.AFFIRMED, True)]


def test_a_request_judged_not_medically_necessary_is_not_a_negated_item() -> None:
    facts = extract_facts("The requested surgery has not been considered medically necessary.")
    assert [s.context for s in facts.surgeries] == [FactContext.HYPOTHETICAL]


# ------------------------------------------------- 3. drugs started, never taken, or tried


def _meds(text: str, generic: str) -> list[Any]:
    return [m for m in extract_facts(text).medications if m.generic == generic]


def test_a_drug_the_provider_started_is_a_new_start() -> None:
    cases = [
        ("The physician started gabapentin 300 mg three times daily.", "gabapentin"),
        ("The provider started naproxen 500 mg twice daily on 11-09-2016.", "naproxen"),
        ("On 11-08-2016 the provider started nortriptyline.", "nortriptyline"),
        ("The physician started tramadol.", "tramadol"),
        (
            "The doctor wrote for OxyContin 20 mg every 12 hours as the first opioid.",
            "oxycodone er",
        ),
    ]
    for text, generic in cases:
        meds = _meds(text, generic)
        assert [(m.context, m.new_start) for m in meds] == [(FactContext.AFFIRMED, True)], text
    gaba = _meds(cases[0][0], "gabapentin")[0]
    assert (gaba.strength, gaba.frequency) == ("300mg", "three times daily")


def test_a_drug_taken_for_years_is_no_new_start() -> None:
    text = "The physician started gabapentin two years ago. She has been taking gabapentin since."
    assert _meds(text, "gabapentin") and not any(m.new_start for m in _meds(text, "gabapentin"))
    assert not any(m.new_start for m in _meds("He continues tramadol 50 mg daily.", "tramadol"))


def test_a_drug_never_taken_is_not_a_current_medication() -> None:
    cases = [
        ("He has never taken an opioid.", "opioid analgesics"),
        ("She has not taken gabapentin before.", "gabapentin"),
        ("Anti-inflammatory medications were never prescribed for him.", "nsaids"),
    ]
    for text, generic in cases:
        meds = _meds(text, generic)
        assert meds and all(m.context is FactContext.NEGATED for m in meds), text
    assert [m.context for m in _meds("He has taken an opioid daily.", "opioid analgesics")] == [
        FactContext.AFFIRMED
    ]


def test_a_drug_tried_without_benefit_or_stopped_is_not_current() -> None:
    tried = _meds("He tried acetaminophen without benefit.", "acetaminophen")
    assert [m.current for m in tried] == [False]
    stopped = _meds("Gabapentin 300 mg was stopped for dizziness.", "gabapentin")
    assert [m.current for m in stopped] == [False]
    # a drug continued is current whatever its benefit; a treatment tried before a drug
    # taken now does not make the drug a past one
    assert [
        m.current for m in _meds("He continues Norco without relief.", "hydrocodone/acetaminophen")
    ] == [True]
    assert [
        m.current
        for m in _meds(
            "He tried physical therapy and takes Norco daily.", "hydrocodone/acetaminophen"
        )
    ] == [True]
    # the cue reaches only its own drug, not one named before it
    both = extract_facts("He takes Norco 10/325 mg and ibuprofen without benefit.").medications
    assert {m.generic: m.current for m in both} == {
        "hydrocodone/acetaminophen": True,
        "ibuprofen": False,
    }


# ------------------------------------------------- 4. pain with and without medication


def _scores(text: str) -> list[tuple[float, bool | None]]:
    return [(p.value, p.with_medication) for p in extract_facts(text).pain_scores]


def test_pain_scores_with_and_without_medication_pair_up() -> None:
    assert _scores(
        "He rates low back pain at 8 out of 10 without his medication and 3 out of 10 with it."
    ) == [(8, False), (3, True)]
    assert _scores("Pain is 4/10 with medication versus 9/10 without.") == [(4, True), (9, False)]
    assert _scores("Pain is 7/10 before and 4/10 after his dose.") == [(7, False), (4, True)]


def test_a_drug_named_as_the_condition_of_a_score_is_taken_not_denied() -> None:
    text = "Right knee pain is 6/10 without tramadol and 3/10 with it."
    assert _scores(text) == [(6, False), (3, True)]
    tramadol = _meds(text, "tramadol")
    assert [m.context for m in tramadol] == [FactContext.AFFIRMED]
    # a drug the worker does without is still denied
    assert [m.context for m in _meds("He is managing without tramadol now.", "tramadol")] == [
        FactContext.NEGATED
    ]
    assert [m.context for m in _meds("He manages his pain without tramadol.", "tramadol")] == [
        FactContext.NEGATED
    ]
    norco = _meds("Pain without Norco is 8/10.", "hydrocodone/acetaminophen")
    assert [m.context for m in norco] == [FactContext.AFFIRMED]


def test_bare_before_and_after_need_a_medication_in_the_sentence() -> None:
    assert _scores("Pain was 7/10 before and 4/10 after physical therapy.") == [
        (7, None),
        (4, None),
    ]
    assert _scores("He has 6/10 pain without radiation.") == [(6, None)]


def test_a_pain_score_after_of_is_read() -> None:
    assert _scores("She reported a pain score of 7/10 at the visit.") == [(7, None)]


def test_onset_and_duration_of_relief_document_analgesia() -> None:
    facts = extract_facts("With Norco, relief begins within 30 minutes and lasts about 5 hours.")
    found = [m for m in facts.monitoring if m.kind == "analgesia_documented"]
    assert [(m.context, m.detail) for m in found] == [
        (FactContext.AFFIRMED, "onset 30 minutes; lasts 5 hours")
    ]
    assert not [
        m
        for m in extract_facts("He gets no relief.").monitoring
        if m.kind == "analgesia_documented"
    ]


# ------------------------------------------------- 5. date of injury, and surgeries' own dates


def test_injury_dates_told_as_what_happened_are_read() -> None:
    when = date(2016, 3, 4)
    cases = [
        "The worker has an industrial injury dated 03-04-2016.",
        "He injured his low back on 03-04-2016 while lifting.",
        "He injured his right knee at work on 03-04-2016.",
        "She twisted her right knee on 03-04-2016.",
        "He slipped and fell at work on 03-04-2016.",
        "He strained his low back on 03-04-2016.",
        "A 50-year-old clerk who hurt her back at work on 03-04-2016.",
        "He was hurt at work on 03-04-2016.",
        "He fell from a ladder at work on 03-04-2016.",
        "He sustained an industrial injury to the left shoulder on 03-04-2016.",
        "He has a lumbar strain sustained at work on 03-04-2016.",
        "This is an injury sustained on 03-04-2016.",
        "She reported a cumulative trauma injury dated 03-04-2016.",
    ]
    for text in cases:
        assert extract_facts(text).date_of_injury == when, text


def test_a_stated_date_of_injury_wins_over_a_later_fall() -> None:
    facts = extract_facts(
        "Date of injury: 01-05-2015. He slipped and fell at work on 03-04-2016 and hurt his knee."
    )
    assert facts.date_of_injury == date(2015, 1, 5)


def test_the_date_of_another_event_is_no_injury_date() -> None:
    facts = extract_facts(
        "He sustained an injury to the left shoulder and underwent surgery on 05-06-2016."
    )
    assert facts.date_of_injury is None
    assert [s.on for s in facts.surgeries] == [date(2016, 5, 6)]


def test_a_past_surgery_keeps_its_own_date_not_the_injury_date() -> None:
    facts = extract_facts(
        "He sustained an industrial injury on 03-04-2016 and had an L4-5 fusion in 2014."
    )
    assert facts.date_of_injury == date(2016, 3, 4)
    assert [(s.procedure, s.on) for s in facts.surgeries] == [("lumbar fusion", date(2014, 1, 1))]
    facts = extract_facts(
        "He injured his low back on 03-04-2016 and had a right L4-5 microdiscectomy on 07-12-2016."
    )
    assert [(s.body_part, s.on) for s in facts.surgeries] == [("lumbar spine", date(2016, 7, 12))]
    # a surgery whose sentence holds only the injury date has no date of its own
    facts = extract_facts(
        "He sustained an industrial injury on 03-04-2016 and underwent knee surgery."
    )
    assert [(s.body_part, s.on) for s in facts.surgeries] == [("knee", None)]


# ------------------------------------------------- 6. and 7. surgeries and their body parts


def test_surgeries_the_worker_underwent_have_body_part_side_and_date() -> None:
    facts = extract_facts(
        "He underwent arthroscopic rotator cuff repair of the left shoulder on 10-24-2016."
    )
    [cuff] = facts.surgeries
    assert (cuff.body_part, cuff.laterality, cuff.on, cuff.done) == (
        "shoulder",
        "left",
        date(2016, 10, 24),
        True,
    )
    assert cuff.context in (FactContext.AFFIRMED, FactContext.HISTORICAL)
    [disc] = extract_facts("She underwent a right L5-S1 microdiscectomy on 11-07-2016.").surgeries
    assert (disc.procedure, disc.body_part, disc.on) == (
        "discectomy",
        "lumbar spine",
        date(2016, 11, 7),
    )
    [post] = extract_facts("He is status post right C5-6 discectomy.").surgeries
    assert post.body_part == "cervical spine"


def test_an_imaging_finding_names_the_body_part_of_the_study() -> None:
    facts = extract_facts(
        "An MRI obtained 07-2016 demonstrated a bucket-handle tear of the medial meniscus."
    )
    assert [(t.modality, t.body_part) for t in facts.tests] == [("MRI", "knee")]
    disc = extract_facts("MRI showed a disc protrusion at L4-5 with foraminal narrowing.")
    assert [t.body_part for t in disc.tests] == ["lumbar spine"]
    # a part written next to the study comes first; a nerve study keeps no part of its finding
    shoulder = extract_facts("MRI of the right shoulder showed a tear of the medial meniscus.")
    assert [t.body_part for t in shoulder.tests] == ["shoulder"]
    emg = extract_facts("EMG showed carpal tunnel syndrome.")
    assert [t.body_part for t in emg.tests] == [None]


def test_a_revision_takes_the_body_part_of_the_surgery_before_it() -> None:
    facts = extract_facts(
        "He had a lumbar fusion in 2015. His surgeon would consider revision surgery."
    )
    assert [(s.body_part, s.done) for s in facts.surgeries] == [
        ("lumbar spine", True),
        ("lumbar spine", False),
    ]
    other = extract_facts("He had a lumbar fusion in 2015. His surgeon would consider surgery.")
    assert [s.body_part for s in other.surgeries] == ["lumbar spine", None]


def test_a_spine_surgeon_referral_is_planned_surgery_of_the_cases_spine_region() -> None:
    facts = extract_facts("He has chronic low back pain. Referral to a spine surgeon is planned.")
    assert [(s.context, s.body_part, s.done) for s in facts.surgeries] == [
        (FactContext.HYPOTHETICAL, "lumbar spine", False)
    ]
    both = extract_facts("He has neck and low back pain. Referral to a spine surgeon is planned.")
    assert [s.body_part for s in both.surgeries] == [None]


# ------------------------------------------------- 8. a treatment asked for is not one had


def test_a_treatment_the_physician_asked_for_is_hypothetical() -> None:
    facts = extract_facts(
        "On 11-09-2016 the physician asked for physical therapy two times a week for four weeks."
    )
    assert [(t.concept, t.context) for t in facts.treatments] == [
        ("physical_therapy", FactContext.HYPOTHETICAL)
    ]
    had = extract_facts("She had physical therapy two times a week for four weeks.")
    assert [t.context for t in had.treatments] == [FactContext.AFFIRMED]


# ------------------------------------------------- 9. function, monitoring and other facts


def _function(text: str) -> list[tuple[str, FactContext]]:
    return [(f.kind, f.context) for f in extract_facts(text).function]


def test_needing_help_with_bathing_is_an_adl_limitation() -> None:
    assert _function("She needs help from her husband with bathing and dressing.") == [
        ("adl_limitation", FactContext.AFFIRMED)
    ]
    assert _function("She needs assistance with dressing.") == [
        ("adl_limitation", FactContext.AFFIRMED)
    ]
    assert _function("Her husband helps with the shopping.") == []


def test_an_activity_possible_again_is_a_functional_gain() -> None:
    facts = extract_facts(
        "Tramadol lets him walk his dog and mow the lawn, which he could not do before."
    )
    gains = [f for f in facts.function if f.kind == "functional_improvement"]
    assert [(f.context, f.treatment) for f in gains] == [(FactContext.AFFIRMED, "tramadol")]


def test_a_measure_before_and_now_is_a_gain_only_when_it_rose() -> None:
    facts = extract_facts("He could walk 10 minutes before Norco, now 40.")
    gains = [f for f in facts.function if f.kind == "functional_improvement"]
    assert [(f.context, f.treatment) for f in gains] == [
        (FactContext.AFFIRMED, "hydrocodone/acetaminophen")
    ]
    assert _function("He could walk 40 minutes before the injury, now 10.") == []


def test_no_change_in_function_is_no_functional_improvement() -> None:
    assert _function("There has been no change in function with the medication.") == [
        ("no_functional_improvement", FactContext.AFFIRMED)
    ]
    assert ("functional_improvement", FactContext.AFFIRMED) in _function(
        "There has been improvement in function."
    )


def test_confined_to_his_home_is_homebound() -> None:
    assert _function("He is confined to his home after the surgery.") == [
        ("homebound", FactContext.AFFIRMED)
    ]
    assert _function("He works from his home.") == []


def test_a_body_mass_index_of_40_or_more_is_obesity() -> None:
    for text in ("Her BMI of 48 limits land-based exercise.", "Body mass index is 45."):
        dx = [d for d in extract_facts(text).diagnoses if d.label == "obesity"]
        assert [(d.context, d.categories) for d in dx] == [(FactContext.AFFIRMED, ["obesity"])]
    assert not extract_facts("Her BMI is 31.2 and blood pressure 130/80.").diagnoses


def test_session_counts_written_as_of_or_after_a_comma() -> None:
    facts = extract_facts("She completed 12 of 12 authorized physical therapy sessions.")
    assert [(t.concept, t.quantity, t.context) for t in facts.treatments] == [
        ("physical_therapy", 12, FactContext.HISTORICAL)
    ]
    facts = extract_facts("Prior treatment has included chiropractic care, 12 visits.")
    assert [(t.concept, t.quantity) for t in facts.treatments] == [("chiropractic", 12)]


def test_a_prescription_database_not_checked_is_no_cures_check() -> None:
    facts = extract_facts("The prescription monitoring database has not been checked.")
    assert [(m.kind, m.context) for m in facts.monitoring] == [("cures", FactContext.NEGATED)]
    done = extract_facts("The prescription monitoring database was checked on 10-02-2016.")
    assert [(m.kind, m.context) for m in done.monitoring] == [("cures", FactContext.AFFIRMED)]


def test_a_drug_screen_negative_for_illicit_drugs_is_a_consistent_screen() -> None:
    for text in (
        "Her urine drug screen was negative for illicit substances.",
        "A urine drug screen on 10-01-2016 was negative for illicit drugs.",
    ):
        uds = [m for m in extract_facts(text).monitoring if m.kind == "urine_drug_screen"]
        assert [(m.context, m.consistent) for m in uds] == [(FactContext.AFFIRMED, True)], text
    mixed = extract_facts("The drug screen was negative for illicit drugs but positive for THC.")
    assert [m.consistent for m in mixed.monitoring if m.kind == "urine_drug_screen"] == [False]


def test_negative_predictors_addressed_are_not_open_predictors() -> None:
    def predictors(text: str) -> list[FactContext]:
        facts = extract_facts(text)
        return [p.context for p in facts.psychosocial if p.kind == "negative_predictors"]

    assert predictors("Negative predictors of success were addressed.") == [FactContext.NEGATED]
    assert predictors("Negative predictors of success have not been addressed.") == [
        FactContext.AFFIRMED
    ]


def test_the_work_status_left_behind_is_historical() -> None:
    facts = extract_facts(
        "He returned to full duty without restrictions on 10-03-2016. He had been on modified "
        "duty from 08-01-2016 and was off work before that."
    )
    current = [(w.status, w.on) for w in facts.work_status if w.affirmed]
    assert current == [("full_duty", date(2016, 10, 3))]
    facts = extract_facts("He returned to full duty on 10-03-2016 after working modified duty.")
    assert [w.status for w in facts.work_status if w.affirmed] == ["full_duty"]
    assert [w.status for w in extract_facts("He is on modified duty.").work_status] == [
        "modified_duty"
    ]
    # a status with an end date ahead is the current one
    until = extract_facts("She is currently off work until 01-28-2017.").work_status
    assert [(w.status, w.context) for w in until] == [("off_work", FactContext.AFFIRMED)]


def test_an_exception_to_a_normal_exam_stays_a_deficit() -> None:
    for text in (
        "Sensation is normal except for decreased sensation in the L5 dermatome.",
        "Sensation is intact except for decreased sensation in the L5 dermatome.",
    ):
        found = _neuro(text, "sensory_loss")
        assert [(n.context, n.detail) for n in found if n.detail] == [
            (FactContext.AFFIRMED, "L5")
        ], text
    mixed = _neuro(
        "Reflexes are normal in the arms and diminished at the left ankle.", "reflex_change"
    )
    assert _affirmed(mixed)
    # a normal finding next to a deficit of another kind is still normal
    text = "Reflexes are normal, but sensation is decreased in the L5 dermatome."
    assert [n.context for n in _neuro(text, "reflex_change")] == [FactContext.NEGATED]
    assert [n.context for n in _neuro(text, "sensory_loss")] == [FactContext.AFFIRMED]
    # an exam word and the deficit it found absent are one negated finding
    motor = _neuro("Manual motor testing demonstrated no focal deficits.", "weakness")
    assert [n.context for n in motor] == [FactContext.NEGATED]


def test_a_context_literal_written_twice_is_refused(tmp_path: Path) -> None:
    for name in DATA_DIR.glob("*.yaml"):
        (tmp_path / name.name).write_text(name.read_text(encoding="utf-8"), encoding="utf-8")
    context = (tmp_path / "context.yaml").read_text(encoding="utf-8")
    twice = context.replace(
        "modifiers:\n",
        "modifiers:\n  - {literal: Never Taken, category: NEGATED_EXISTENCE, direction: FORWARD}\n",
        1,
    )
    (tmp_path / "context.yaml").write_text(twice, encoding="utf-8")
    with pytest.raises(ClinicalVocabularyError, match=r"context\.yaml.*written twice"):
        load_vocabulary(tmp_path)


def test_a_list_after_insufficient_documentation_of_is_negated_to_its_end() -> None:
    text = (
        "There is insufficient documentation of neurologic dysfunction, such as deficits in "
        "dermatomal sensation, motor strength or reflexes."
    )
    facts = extract_facts(text)
    assert {n.kind for n in facts.neuro_findings} == {
        "dermatomal_sensory_loss",
        "weakness",
        "reflex_change",
    }
    assert all(n.context is FactContext.NEGATED for n in facts.neuro_findings)
    gain = extract_facts("There is insufficient documentation of functional improvement.")
    assert [(f.kind, f.context) for f in gain.function] == [
        ("functional_improvement", FactContext.NEGATED)
    ]


@pytest.mark.parametrize(
    ("text", "pain_only"),
    [
        ("Chiropractic treatment decreased her pain from 8/10 to 5/10.", True),
        ("Physical therapy is helping with pain.", True),
        ("The injured worker reported 50% pain relief from the epidural injection.", True),
        ("Physical therapy improved her range of motion and she can walk farther.", False),
        ("Physical therapy is helping him return to work.", False),
        ("Acupuncture helped.", False),
    ],
)
def test_an_improvement_that_names_only_pain_is_pain_relief_only(
    text: str, pain_only: bool
) -> None:
    (treatment,) = {t.concept: t for t in extract_facts(text).treatments}.values()
    assert treatment.response is Response.IMPROVED
    assert treatment.pain_relief_only is pain_only


def test_drug_screens_listed_by_date_are_one_fact_each_and_keep_their_result() -> None:
    facts = extract_facts(
        "Her Opioid Risk Tool score places her at low risk. Urine drug screens on 06-14-2016 "
        "and 09-20-2016 were both consistent with her prescribed medication, and no aberrant "
        "behavior has been seen."
    )
    screens = [(m.on, m.consistent) for m in facts.monitoring if m.kind == "urine_drug_screen"]
    assert screens == [(date(2016, 6, 14), True), (date(2016, 9, 20), True)]
    (risk,) = [m.detail for m in facts.monitoring if m.kind == "risk_assessment"]
    assert risk == "low risk"
    bad = extract_facts("A urine drug screen on 10-02-2016 showed aberrant results.")
    assert [m.consistent for m in bad.monitoring if m.kind == "urine_drug_screen"] == [False]


@pytest.mark.parametrize(
    ("text", "limited"),
    [
        ("She can stand for only 10 minutes and needs help bathing.", True),
        ("He cannot sit more than 15 minutes.", True),
        ("He can only walk 2 blocks.", True),
        ("He can walk for 40 minutes now.", False),
        ("She can stand for 30 minutes.", False),
    ],
)
def test_tolerances_stated_as_limits_are_adl_limitations(text: str, limited: bool) -> None:
    kinds = [f.kind for f in extract_facts(text).function]
    assert ("adl_limitation" in kinds) is limited
