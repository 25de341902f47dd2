"""Rules about the length of a requested course (guidelines.md §3 X-1; §5 T-015, T-022):
days of use come from what the request states, never from a guessed dose."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openimr.guidelines.evaluate import CriterionStatus
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.request import days_of_use
from openimr.model.clinical import ClinicalFacts, Diagnosis, TreatmentTried
from openimr.model.determination import Decision
from openimr.review.decide import decide_item
from openimr.review.model import DecidedItem
from openimr.review.normalize import normalize_request

ON = date(2016, 12, 15)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _spasm_facts() -> ClinicalFacts:
    return ClinicalFacts(
        text="Progress note. Acute flare of low back pain with spasm after NSAIDs.",
        date_of_injury=ON - timedelta(days=400),
        diagnoses=[
            Diagnosis(
                label="acute exacerbation of low back pain", categories=["acute_exacerbation"]
            )
        ],
        treatments=[TreatmentTried(concept="nsaid", text="NSAIDs")],
    )


def _status(item: DecidedItem, criterion_id: str) -> CriterionStatus:
    return next(c.status for c in item.criteria if c.criterion_id == criterion_id)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Cyclobenzaprine 10mg #90, 1 tab TID", 30.0),
        ("Cyclobenzaprine 10mg #30 twice a day", 15.0),
        ("Tizanidine 4mg #60 2 times a day", 30.0),
        ("Diazepam 5mg, 30 day supply", 30.0),
        ("Cyclobenzaprine 7.5mg for 10 days", 10.0),
        ("Cyclobenzaprine 7.5mg #27", None),  # no dosing stated: no days (never guessed)
    ],
)
def test_days_of_use_from_stated_quantity_and_dosing(
    kb: KnowledgeBase, text: str, days: float | None
) -> None:
    assert days_of_use(normalize_request(text, kb)) == days


def test_muscle_relaxant_quantity_implying_long_use_is_not_necessary(kb: KnowledgeBase) -> None:
    """T-015: short-term use only; #90 at three a day is a month of use."""
    item = decide_item("Cyclobenzaprine 10mg #90, 1 tab TID", _spasm_facts(), ON, kb)
    assert _status(item, "short_course") is CriterionStatus.NOT_MET
    assert item.decision is Decision.UPHELD


def test_muscle_relaxant_short_course_as_stated_is_met(kb: KnowledgeBase) -> None:
    item = decide_item("Cyclobenzaprine 10mg #20, 1 tab BID", _spasm_facts(), ON, kb)
    assert _status(item, "short_course") is CriterionStatus.MET
    assert item.decision is Decision.OVERTURNED


def test_muscle_relaxant_quantity_without_dosing_is_not_held_against_the_request(
    kb: KnowledgeBase,
) -> None:
    """The request does not state the dosing: the course length is unknown, not failed."""
    item = decide_item("Cyclobenzaprine 10mg #30", _spasm_facts(), ON, kb)
    assert _status(item, "short_course") is CriterionStatus.NOT_DOCUMENTED
    assert item.decision is Decision.OVERTURNED


def test_conditional_recommendation_with_only_uncertain_conditions_needs_them_shown(
    kb: KnowledgeBase,
) -> None:
    """X-2 on a "recommended with criteria" source whose only encoded conditions are U
    (T-067 spine CT): nothing documented is not "criteria met"; the call carries confidence U."""
    from openimr.guidelines.schema import Confidence

    neck = ClinicalFacts(
        text="Progress note. Neck pain after a fall; tenderness, normal neurologic exam.",
        date_of_injury=ON - timedelta(days=60),
        diagnoses=[Diagnosis(label="neck pain", categories=["neck_pain"])],
    )
    item = decide_item("CT scan of the cervical spine", neck, ON, kb)
    assert item.decision is Decision.UPHELD and "X-2" in item.rules
    assert item.confidence is Confidence.U
    assert any(c.drove and c.advisory for c in item.criteria)
    fracture = neck.model_copy(
        update={"diagnoses": [Diagnosis(label="cervical fracture", categories=["fracture"])]}
    )
    assert decide_item("CT scan of the cervical spine", fracture, ON, kb).decision is (
        Decision.OVERTURNED
    )
