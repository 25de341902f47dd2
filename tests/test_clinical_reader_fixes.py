"""Reader errors reported by the engine team: negated "not close to or at" states, findings
the utilization reviewer is said to have noted, guarding read as spasm, current drugs read as
planned, and diagnoses listed in an assessment read as uncertain. Case texts written here."""

from __future__ import annotations

from typing import Any

from openimr.clinical import extract_facts
from openimr.model.clinical import FactContext


def _kinds(items: list[Any], context: FactContext | None = None) -> set[str]:
    return {i.kind for i in items if context is None or i.context is context}


# ------------------------------------------------- (a) "not close to or at" a state


def test_not_close_to_or_at_mmi_is_negated() -> None:
    facts = extract_facts("In my opinion she is not close to or at maximal medical improvement.")
    assert _kinds(facts.function) == {"mmi"}
    assert _kinds(facts.function, FactContext.NEGATED) == {"mmi"}


def test_not_yet_reached_mmi_is_negated() -> None:
    facts = extract_facts("He has not yet reached maximum medical improvement after the fusion.")
    assert _kinds(facts.function, FactContext.NEGATED) == {"mmi"}


def test_declared_mmi_stays_affirmed() -> None:
    facts = extract_facts("The treating surgeon found the worker at maximal medical improvement.")
    assert _kinds(facts.function, FactContext.AFFIRMED) == {"mmi"}


# ------------------------------------------------- (b) what the UR reviewer noted


def test_findings_noted_by_the_ur_reviewer_are_not_case_facts() -> None:
    facts = extract_facts(
        "The UR reviewer opined that the worker had lumbar radiculopathy with a positive "
        "straight leg raise."
    )
    assert facts.diagnoses and all(d.context is FactContext.UNCERTAIN for d in facts.diagnoses)
    assert facts.neuro_findings
    assert all(n.context is FactContext.UNCERTAIN for n in facts.neuro_findings)


def test_a_negation_reported_by_ur_is_not_a_negated_case_fact() -> None:
    facts = extract_facts("Per UR, there were no motor deficits in the arms.")
    assert facts.neuro_findings
    assert all(n.context is FactContext.UNCERTAIN for n in facts.neuro_findings)


def test_the_treating_physicians_findings_stay_affirmed_next_to_a_ur_sentence() -> None:
    facts = extract_facts(
        "The UR reviewer noted cervical radiculopathy. On examination today the physician "
        "found a positive straight leg raise on the left."
    )
    slr = [n for n in facts.neuro_findings if n.kind == "straight_leg_raise"]
    assert slr and slr[0].context is FactContext.AFFIRMED


# ------------------------------------------------- (c) guarding is not spasm


def test_muscle_guarding_is_not_spasm() -> None:
    facts = extract_facts("Palpation of the lumbar paraspinals showed muscle guarding.")
    assert "spasm" not in _kinds(facts.exam_findings)


def test_spasm_is_still_spasm_next_to_guarding() -> None:
    facts = extract_facts("There was guarding and paraspinal spasm of the lumbar spine.")
    assert "spasm" in _kinds(facts.exam_findings, FactContext.AFFIRMED)


# ------------------------------------------------- (d) current drugs are not planned


def _drug_contexts(text: str, generic: str) -> list[FactContext]:
    return [m.context for m in extract_facts(text).medications if m.generic == generic]


def test_drug_taken_now_and_requested_again_is_affirmed() -> None:
    contexts = _drug_contexts(
        "The worker is currently taking Norco 10/325 mg for pain; the request is for Norco "
        "10/325 mg #90.",
        "hydrocodone/acetaminophen",
    )
    assert contexts and all(c is FactContext.AFFIRMED for c in contexts)


def test_a_refill_is_of_a_drug_already_taken() -> None:
    contexts = _drug_contexts("A refill of naproxen 550 mg #60 was requested.", "naproxen")
    assert contexts == [FactContext.AFFIRMED]


def test_continues_on_a_drug_in_a_plan_is_affirmed() -> None:
    contexts = _drug_contexts("Plan: she continues on gabapentin 600 mg twice a day.", "gabapentin")
    assert contexts == [FactContext.AFFIRMED]


def test_current_medication_list_items_are_affirmed() -> None:
    text = "Current medications:\nTramadol 50 mg\nOmeprazole 20 mg\nA request for tramadol follows."
    assert set(_drug_contexts(text, "tramadol")) == {FactContext.AFFIRMED}


def test_a_new_drug_to_start_stays_hypothetical() -> None:
    assert _drug_contexts("Will start meloxicam 7.5 mg daily.", "meloxicam") == [
        FactContext.HYPOTHETICAL
    ]


# ------------------------------------------------- (e) diagnoses in an assessment


def _dx(text: str) -> dict[str, FactContext]:
    return {d.label: d.context for d in extract_facts(text).diagnoses}


def test_a_hedge_on_one_listed_diagnosis_does_not_reach_the_next() -> None:
    found = _dx(
        "Diagnoses included rule out lumbar disc herniation, lumbar radiculopathy, and carpal "
        "tunnel syndrome."
    )
    assert found["lumbar disc disorder"] is FactContext.UNCERTAIN
    assert found["lumbar radiculopathy"] is FactContext.AFFIRMED
    assert found["carpal tunnel syndrome"] is FactContext.AFFIRMED


def test_a_backward_hedge_stays_on_its_own_item() -> None:
    found = _dx("Diagnoses: lumbar radiculopathy, sciatica, questionable carpal tunnel syndrome.")
    assert found["lumbar radiculopathy"] is FactContext.AFFIRMED
    assert found["sciatica"] is FactContext.AFFIRMED
    assert found["carpal tunnel syndrome"] is FactContext.UNCERTAIN


def test_a_question_mark_hedges_a_listed_diagnosis() -> None:
    found = _dx("Impression: 1. Lumbar disc herniation. 2. Carpal tunnel syndrome?")
    assert found["lumbar disc disorder"] is FactContext.AFFIRMED
    assert found["carpal tunnel syndrome"] is FactContext.UNCERTAIN


def test_numbered_assessment_section() -> None:
    found = _dx(
        "Assessment:\n1. Cervical radiculopathy\n2. Possible rotator cuff tear\n3. Lumbar "
        "radiculopathy"
    )
    assert found["cervical radiculopathy"] is FactContext.AFFIRMED
    assert found["rotator cuff tear"] is FactContext.UNCERTAIN
    assert found["lumbar radiculopathy"] is FactContext.AFFIRMED


def test_versus_keeps_both_diagnoses_uncertain() -> None:
    found = _dx("Assessment: cervical radiculopathy versus carpal tunnel syndrome.")
    assert set(found.values()) == {FactContext.UNCERTAIN}
