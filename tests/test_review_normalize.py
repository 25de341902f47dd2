"""Request normalization: concepts and attributes from free text."""

from __future__ import annotations

from datetime import date

import pytest

from openimr.guidelines.loader import KnowledgeBase, load_knowledge_base
from openimr.guidelines.schema import Form
from openimr.review.normalize import load_patterns, normalize_request


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_topical_ketamine_amount_and_tubes(kb: KnowledgeBase) -> None:
    r = normalize_request("Ketamine 5% 60gr (2 tubes)", kb)
    assert r.recognized and r.primary == "T-028"
    assert (r.strength, r.amount, r.quantity, r.form) == ("5%", "60 g", 2, Form.TOPICAL)


def test_ketamine_infusion_is_the_parenteral_entry(kb: KnowledgeBase) -> None:
    r = normalize_request("Ketamine Infusion treatment with (x3-5 per week for 12 weeks)", kb)
    assert r.primary == "T-033"
    assert r.frequency_per_week == 5 and r.duration_weeks == 12


def test_physical_therapy_frequency_duration_sessions_side(kb: KnowledgeBase) -> None:
    r = normalize_request(
        "Physical therapy 2 times a week for 6 weeks (12 sessions) to the right elbow", kb
    )
    assert r.primary == "T-034"
    assert (r.frequency_per_week, r.duration_weeks, r.sessions) == (2, 6, 12)
    assert r.body_parts == ["elbow"] and r.laterality == "right"


def test_sessions_computed_from_number_words(kb: KnowledgeBase) -> None:
    r = normalize_request(
        "Electro acupuncture to the low back two times a week times six weeks", kb
    )
    assert r.sessions == 12 and r.body_parts == ["lumbar spine"]


def test_norco_strength_quantity(kb: KnowledgeBase) -> None:
    r = normalize_request("Norco 10/325mg #35", kb)
    assert r.primary == "T-001" and r.drug == "norco"
    assert (r.strength, r.quantity, r.form) == ("10/325mg", 35, Form.ORAL)


def test_day_supply_and_refills(kb: KnowledgeBase) -> None:
    r = normalize_request("Oxycodone HCL ER 20mg #60 day supply: 30, 2 refills", kb)
    assert (r.quantity, r.day_supply, r.refills) == (60, 30, 2)


def test_associated_surgical_service_is_postoperative(kb: KnowledgeBase) -> None:
    r = normalize_request("Associated surgical service: Cold therapy for one week", kb)
    assert "postoperative" in r.qualifiers
    assert r.duration_days == 7


def test_postoperative_pt_redirects_to_postsurgical_entry(kb: KnowledgeBase) -> None:
    r = normalize_request("Post operative physical therapy for the right knee 2 times a week", kb)
    assert r.primary == "T-036"


def test_retrospective_date_of_service(kb: KnowledgeBase) -> None:
    r = normalize_request("Retrospective Cyclobenzaprine 7.5mg #18 (DOS 1/2/2015)", kb)
    assert r.retrospective and r.date_of_service == date(2015, 1, 2)
    assert r.quantity == 18


def test_compound_lists_ingredients(kb: KnowledgeBase) -> None:
    r = normalize_request("Flurbiprofen 10%, Gabapentin 6%, Lidocaine 5% cream 120g", kb)
    assert r.compound and r.primary == "T-024"
    names = {i.name for i in r.ingredients}
    assert {"flurbiprofen", "gabapentin"} <= names
    assert all(i.entry_id for i in r.ingredients if i.name in ("flurbiprofen", "gabapentin"))


def test_form_picks_topical_reading_of_a_drug_name(kb: KnowledgeBase) -> None:
    topical = normalize_request("Diclofenac sodium 3% gel #1", kb)
    oral = normalize_request("Diclofenac sodium 75mg #60", kb)
    assert kb.get(topical.primary or "").forms != kb.get(oral.primary or "").forms


def test_case_and_punctuation_tolerant(kb: KnowledgeBase) -> None:
    a = normalize_request("PHYSICAL-THERAPY x6 sessions", kb)
    assert a.primary == "T-034" and a.sessions == 6


def test_unmatched_is_unrecognized_with_reason(kb: KnowledgeBase) -> None:
    r = normalize_request("Zyxwv quantum wellness package", kb)
    assert not r.recognized and r.primary is None
    assert r.reason and "no knowledge-base" in r.reason


def test_two_concepts_in_one_item(kb: KnowledgeBase) -> None:
    r = normalize_request("Physical therapy and acupuncture 6 sessions", kb)
    assert [m.entry_id for m in r.concepts][:2] == ["T-034", "T-038"]


def test_patterns_file_validates() -> None:
    patterns = load_patterns()
    assert "sessions" in patterns.attributes and patterns.unit_days["week"] == 7


@pytest.mark.parametrize(
    ("text", "sessions"),
    [
        ("Acupuncture x6", 6),
        ("Trigger point injections x 3", 3),
        ("Electrocardiogram times 3", 3),
        ("Physical therapy 2x6", 12),
        ("Acupuncture x 4 weeks", None),
        ("Chiropractic x2 per week", None),
    ],
)
def test_a_bare_count_after_the_item_is_its_number_of_sessions(
    kb: KnowledgeBase, text: str, sessions: int | None
) -> None:
    assert normalize_request(text, kb).sessions == sessions


def test_refills_written_with_x_are_not_a_weekly_schedule(kb: KnowledgeBase) -> None:
    r = normalize_request("Norco 10/325 #60 x2 refills", kb)
    assert (r.quantity, r.refills, r.frequency_per_week, r.sessions) == (60, 2, None, None)


def test_a_branded_combination_product_is_read_as_its_ingredients(kb: KnowledgeBase) -> None:
    """X-4 needs each ingredient: Terocin lotion holds lidocaine and capsaicin (T-030)."""
    r = normalize_request("Terocin lotion 120ml", kb)
    assert r.compound and r.primary == "T-024"
    names = " ".join(i.name for i in r.ingredients)
    assert "lidocaine" in names and "capsaicin" in names
    assert r.amount == "120 ml" and r.strength is None  # attributes come from the request


def test_short_ingredient_names_in_a_compound_list(kb: KnowledgeBase) -> None:
    r = normalize_request("Flurbi/Baclo/Cyclo cream", kb)
    assert r.compound
    assert {i.entry_id for i in r.ingredients} >= {"T-029"}
    assert any("flurbiprofen" in i.name for i in r.ingredients)
    # Outside a slash list a short word is left alone.
    assert normalize_request("Keto cream", kb).ingredients == []


@pytest.mark.parametrize(
    "text", ["Carisoprodol 350mg #90", "Carisoprodol 350 mg #90", "carisoprodol-350mg"]
)
def test_a_synonym_matches_whatever_the_spacing_of_its_words(kb: KnowledgeBase, text: str) -> None:
    """A multi-word synonym ("carisoprodol 350 mg") matched with other spacing still finds
    its entry instead of hiding the shorter synonym it contains."""
    request = normalize_request(text, kb)
    assert request.recognized and request.primary == "T-016"


@pytest.mark.parametrize(
    ("text", "parts", "primary"),
    [
        ("Microdiscectomy L4-5", ["lumbar spine"], "T-071"),
        ("Posterior spinal fusion L4-S1", ["lumbar spine"], "T-072"),
        ("Spinal fusion T12-L1", ["lumbar spine"], "T-072"),
        ("Laminectomy C4-6", ["cervical spine"], None),
        ("Anterior cervical discectomy and fusion C5-6 and C6-7", ["cervical spine"], None),
        ("Cervical and lumbar laminectomy", ["lumbar spine", "cervical spine"], "T-071"),
    ],
)
def test_spinal_levels_name_the_region_and_lumbar_surgery_stays_lumbar(
    kb: KnowledgeBase, text: str, parts: list[str], primary: str | None
) -> None:
    """Levels such as C5-6 or L5-S1 name the spine region; a neck operation is not judged
    by the lumbar surgery entries (other_body_parts)."""
    request = normalize_request(text, kb)
    assert sorted(request.body_parts) == sorted(parts)
    assert request.primary == primary
    assert request.recognized is (primary is not None)


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("Transforaminal epidural steroid injection at L3-4, L4-5 and L5-S1", 3),
        ("Medial branch blocks L3-L4 and L4-L5", 2),
        ("Lumbar facet injections L3-S1", 3),
        ("Cervical ESI C5/6", 1),
        ("Two level lumbar epidural steroid injection", 2),
    ],
)
def test_spinal_levels_are_counted_as_motion_segments(
    kb: KnowledgeBase, text: str, levels: int
) -> None:
    assert normalize_request(text, kb).levels == levels


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("Bilateral L4-L5 facet joint injections", "T-053"),
        ("Medial branch blocks", "T-053"),
        ("Cervical interlaminar epidural steroid injection at C6-7", "T-052"),
    ],
)
def test_plural_and_approach_wordings_name_one_treatment(
    kb: KnowledgeBase, text: str, entry_id: str
) -> None:
    """A plural name is the same treatment, and "interlaminar epidural steroid injection"
    is one epidural request, not an epidural plus a joint steroid injection."""
    request = normalize_request(text, kb)
    assert request.primary == entry_id
    assert {c.entry_id for c in request.concepts} == {entry_id}


@pytest.mark.parametrize(
    ("text", "primary", "context"),
    [
        ("Psychological evaluation prior to spinal cord stimulator trial", "T-049", "T-062"),
        ("TENS unit as an adjunct to physical therapy, 30-day rental", "T-045", "T-034"),
        ("Aquatic therapy in lieu of land-based physical therapy 6 sessions", "T-040", "T-034"),
    ],
)
def test_a_treatment_named_as_purpose_or_setting_is_not_a_second_request(
    kb: KnowledgeBase, text: str, primary: str, context: str
) -> None:
    request = normalize_request(text, kb)
    assert request.primary == primary
    assert [(c.entry_id, c.via) for c in request.concepts[1:]] == [(context, "context")]


def test_treatments_joined_by_and_stay_separate_requests(kb: KnowledgeBase) -> None:
    request = normalize_request("Cardiology consult and EKG", kb)
    assert [c.via for c in request.concepts] == ["synonym", "synonym"]


@pytest.mark.parametrize(
    ("text", "per_week", "sessions"),
    [
        ("Physical therapy twice a week for four weeks for the cervical spine", 2, 8),
        ("Acupuncture once weekly for 6 weeks", 1, 6),
        ("Chiropractic care thrice per week for 2 weeks", 3, 6),
    ],
)
def test_frequency_words_give_sessions(
    kb: KnowledgeBase, text: str, per_week: int, sessions: int
) -> None:
    request = normalize_request(text, kb)
    assert (request.frequency_per_week, request.sessions) == (per_week, sessions)


def test_a_program_in_hours_is_read_apart_from_hours_per_day(kb: KnowledgeBase) -> None:
    assert normalize_request("Functional restoration program 160 hours", kb).hours_total == 160
    aide = normalize_request("Home health aide 6 hours per day, 5 days a week", kb)
    assert aide.hours_total is None and aide.hours_per_day == 6
