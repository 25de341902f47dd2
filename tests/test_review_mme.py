"""Daily morphine equivalents and the opioid dose ceiling (guidelines.md T-003), on case
texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.clinical import extract_facts
from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.model.determination import Decision
from openimr.review.decide import decide_item
from openimr.review.mme import daily_mme, doses_per_day, opioid_of, total_daily_mme
from openimr.review.normalize import normalize_request

E1 = date(2016, 3, 15)  # CPMTG ceiling of 120 mg MED is a hard rule (R)
E2 = date(2016, 12, 15)  # the 2016 DWC figure is unverified (U): not a hard rule


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize(
    ("name", "opioid"),
    [
        ("Norco", "hydrocodone"),
        ("hydrocodone/acetaminophen", "hydrocodone"),
        ("oxycodone er", "oxycodone"),
        ("Tylenol #3", "codeine"),
        ("Duragesic", "fentanyl"),
        ("naproxen", None),
    ],
)
def test_the_opioid_a_name_names(name: str, opioid: str | None) -> None:
    assert opioid_of(name) == opioid


@pytest.mark.parametrize(
    ("frequency", "per_day"),
    [("every 6 hours", 4), ("q4h", 6), ("BID", 2), ("three times daily", 3), ("at bedtime", 1)],
)
def test_doses_a_day_from_a_written_frequency(frequency: str, per_day: float) -> None:
    assert doses_per_day(frequency) == per_day


def test_morphine_equivalents_follow_the_conversion_table() -> None:
    assert daily_mme("oxycodone", "80mg", 3) == 360  # x 1.5
    assert daily_mme("tramadol", "50mg", 4, units=2) == 40  # x 0.1
    assert daily_mme("fentanyl", "50mcg/hr", None) == 120  # mcg/h x 2.4
    assert daily_mme("methadone", "10mg", 3) == 240  # 30 mg a day: x 8
    assert daily_mme("methadone", "30mg", 3) is None  # 90 mg a day: no factor stated
    assert daily_mme("hydrocodone", "10/325mg", None) is None  # doses a day not stated


HIGH_DOSE = (
    "A 55-year-old man with a crush injury of the foot takes OxyContin 80 mg three times a "
    "day and oxycodone 30 mg four times a day. Pain is 8/10 without medication and 4/10 with "
    "it. He returned to part-time work."
)


def test_the_total_adds_the_other_opioids_and_replaces_the_one_renewed(
    kb: KnowledgeBase,
) -> None:
    facts = extract_facts(HIGH_DOSE)
    # 80 x 3 x 1.5 + 30 x 4 x 1.5: the long-acting and the immediate-release forms are two
    assert total_daily_mme(normalize_request("OxyContin 80mg #90", kb), facts) == 540
    # a new opioid without a sig cannot be added up
    assert total_daily_mme(normalize_request("Norco 10/325 #120", kb), facts) is None


@pytest.mark.parametrize(
    ("on", "consult", "exceeded"),
    [
        (E1, "He has not seen a pain management specialist.", True),
        (
            E1,
            "A pain management consultation on 01-10-2016 supported the regimen, and he "
            "returned to part-time work on it.",
            False,
        ),
        (E2, "He has not seen a pain management specialist.", False),
    ],
)
def test_a_dose_above_the_ceiling_needs_consultation_and_functional_gain(
    kb: KnowledgeBase, on: date, consult: str, exceeded: bool
) -> None:
    """CPMTG p. 86: generally at most 120 mg MED a day; higher only rarely, after a
    pain-management consultation, with documented functional improvement."""
    item = decide_item("OxyContin 80mg #90", extract_facts(f"{HIGH_DOSE} {consult}"), on, kb)
    over = [o for o in item.limits_exceeded if o.kind == "daily_mme"]
    assert bool(over) is exceeded
    if exceeded:
        assert over[0].requested == 540 and item.decision is Decision.UPHELD


def test_a_stated_morphine_equivalent_is_not_a_morphine_prescription() -> None:
    facts = extract_facts("His regimen comes to roughly 540 mg morphine equivalents daily.")
    assert not [m for m in facts.medications if m.generic == "morphine"]
