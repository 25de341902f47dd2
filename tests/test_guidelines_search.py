"""Search-sequence resolution over knowledge-base sources (guidelines.md §2.2)."""

from __future__ import annotations

import pytest

from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.schema import Era, Form, SearchStep, Status
from openimr.guidelines.search import governing_source, sources_for


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_topical_ketamine_2015_is_mtus_with_pages(kb: KnowledgeBase) -> None:
    choice = governing_source(kb, kb.get("T-028"), Era.E1)
    assert choice is not None and choice.is_mtus
    assert choice.document.id == "cpmtg" and choice.pages == "111-113"
    assert choice.edition.pages_total == 127
    assert choice.source.status is Status.UNDER_STUDY


def test_ketamine_infusion_goes_to_odg(kb: KnowledgeBase) -> None:
    choice = governing_source(kb, kb.get("T-033"), Era.E1)
    assert choice is not None and choice.document.id == "odg"
    assert choice.step is SearchStep.ACOEM_ODG and choice.source.chapter == "Pain"
    assert choice.source.status is Status.NOT_RECOMMENDED


def test_consultation_is_acoem_chapter_7_outside_the_mtus(kb: KnowledgeBase) -> None:
    choice = governing_source(kb, kb.get("T-081"), Era.E1)
    assert choice is not None and choice.document.id == "acoem2_ch7"
    assert not choice.is_mtus and choice.document.source.value == "ACOEM"


def test_2016_cpmtg_prints_no_pages(kb: KnowledgeBase) -> None:
    choice = governing_source(kb, kb.get("T-034"), Era.E2)
    assert choice is not None and choice.document.id == "cpmtg"
    assert choice.source.pages == "98-99" and choice.pages is None
    assert choice.edition.title == "Chronic Pain Medical Treatment 2016"


def test_body_part_selects_the_chapter(kb: KnowledgeBase) -> None:
    knee = governing_source(kb, kb.get("T-037"), Era.E1, body_parts=["knee"])
    assert knee is not None and knee.source.status is Status.NOT_RECOMMENDED
    back = governing_source(kb, kb.get("T-037"), Era.E1, body_parts=["lumbar spine"])
    assert back is not None and back.source.status is Status.RECOMMENDED_WITH_CRITERIA
    neck = sources_for(kb, kb.get("T-065"), Era.E1, body_parts=["cervical spine"])
    assert neck[0].document.id == "acoem2_ch8"


def test_e3_uses_the_acoem_guidelines_and_f_skips_the_formulary(kb: KnowledgeBase) -> None:
    mri = governing_source(kb, kb.get("T-064"), Era.E3)
    assert mri is not None and mri.document.id == "acoem_low_back" and mri.is_mtus
    assert mri.pages is None
    drug = sources_for(kb, kb.get("T-001"), Era.F, form=Form.ORAL)
    assert drug[0].is_mtus and {c.document.id for c in drug} >= {"formulary", "acoem_opioids"}
    opioid = governing_source(kb, kb.get("T-001"), Era.F)
    assert opioid is not None and opioid.document.id != "formulary"


def test_sources_are_in_search_sequence_order_for_every_entry_and_era(kb: KnowledgeBase) -> None:
    for entry in kb:
        for era in Era:
            steps = [c.step.order for c in sources_for(kb, entry, era)]
            assert steps == sorted(steps), (entry.id, era)


def test_no_governing_source_when_nothing_states_a_position(kb: KnowledgeBase) -> None:
    assert governing_source(kb, kb.get("OI-004"), Era.E2) is None
    assert governing_source(kb, kb.get("OI-015"), Era.E2) is None
