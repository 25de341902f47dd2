"""Basis statements: the real grammar read into citations, and format → parse round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openimr.letters.basis import format_basis, parse_basis
from openimr.model import Basis, Citation, CitationSource

MTUS, ODG, ACOEM, OTHER = (
    CitationSource.MTUS,
    CitationSource.ODG,
    CitationSource.ACOEM,
    CitationSource.OTHER,
)


def cites(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(c.source.value, c.title, c.section, c.pages) for c in parse_basis(text).citations]


def test_mtus_with_pages() -> None:
    text = "Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): \n111-113 of 127.  "
    basis = parse_basis(text)
    assert basis.cited is True
    assert cites(text) == [("MTUS", "Chronic Pain Treatment Guidelines", None, "111-113 of 127")]
    assert basis.text == (
        "Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): 111-113 of 127."
    )


def test_mtus_topic_after_part_name_becomes_section() -> None:
    text = "Decision based on MTUS Chronic Pain Treatment Guidelines Topical Analgesics."
    expected = ("MTUS", "Chronic Pain Treatment Guidelines", "Topical Analgesics", None)
    assert cites(text) == [expected]


def test_mtus_with_sections() -> None:
    text = "Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies."
    assert cites(text) == [("MTUS", "Shoulder Complaints 2004", "Special Studies", None)]


def test_non_mtus_odg() -> None:
    text = (
        "The Expert Reviewer did not base their decision on the MTUS. Decision based on "
        "Non-MTUS Citation Official Disability Guidelines (ODG) Pain Chapter, Ketamine"
    )
    assert cites(text) == [
        ("ODG", "Official Disability Guidelines (ODG)", "Pain Chapter, Ketamine", None)
    ]


def test_non_mtus_acoem_second_edition_with_chapter_and_page() -> None:
    text = (
        "The Expert Reviewer did not base their decision on the MTUS.  Decision based on "
        "Non-MTUS Citation American College of Occupational and Environmental \n"
        "Medicine (ACOEM), 2nd Edition, (2004) 7, page(s) 124"
    )
    assert cites(text) == [
        (
            "ACOEM",
            "American College of Occupational and Environmental Medicine (ACOEM), "
            "2nd Edition, (2004)",
            "7",
            "124",
        )
    ]


def test_no_evidence_cited() -> None:
    basis = parse_basis(
        "The Claims Administrator did not cite any medical evidence for its decision."
    )
    assert basis.cited is False
    assert basis.citations == []


def test_several_citations_in_one_basis() -> None:
    text = (
        "Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Initial Care, "
        "and Forearm, Wrist, and Hand Complaints 2004, Section(s): Physical Methods, and Low "
        "Back Complaints 2004. Decision based on Non-MTUS Citation Official Disability "
        "Guidelines (ODG) Hips and Pelvis, MRI and Other Medical Treatment Guidelines ACOEM "
        "Hip and Groin Disorders, Diagnostic Testing"
    )
    assert cites(text) == [
        ("MTUS", "Neck and Upper Back Complaints 2004", "Initial Care", None),
        ("MTUS", "Forearm, Wrist, and Hand Complaints 2004", "Physical Methods", None),
        ("MTUS", "Low Back Complaints 2004", None, None),
        ("ODG", "Official Disability Guidelines (ODG)", "Hips and Pelvis, MRI", None),
        ("ACOEM", "ACOEM", "Hip and Groin Disorders, Diagnostic Testing", None),
    ]


def test_unknown_non_mtus_source_is_other_and_keyword_sources_are_recognised() -> None:
    assert cites("Decision based on Non-MTUS Citation Drug information, UpToDate.") == [
        ("other", "Drug information, UpToDate", None, None)
    ]
    assert cites("Decision based on Non-MTUS Citation Neck and Upper Back, ODG Preface.") == [
        ("ODG", "Neck and Upper Back, ODG Preface", None, None)
    ]


def test_statement_outside_the_grammar_keeps_its_text_as_a_citation() -> None:
    basis = parse_basis("Guidelines of a specialty society, 2015.")
    assert basis.cited is True
    assert basis.citations[0].source == OTHER


@pytest.mark.parametrize("party", ["claims_administrator", "reviewer"])
def test_format_not_cited(party: str) -> None:
    text = format_basis(Basis(cited=False), party)  # type: ignore[arg-type]
    assert parse_basis(text).cited is False
    subject = "Claims Administrator" if party == "claims_administrator" else "Expert Reviewer"
    assert subject in text


def test_format_rejects_unknown_party() -> None:
    with pytest.raises(ValueError):
        format_basis([], "worker")  # type: ignore[arg-type]


def test_format_non_mtus_only_says_the_mtus_was_not_used() -> None:
    text = format_basis([Citation(source=ODG, title="ODG", section="Knee")], "reviewer")
    assert "did not base" in text and "Non-MTUS Citation" in text


# ---- property: format → parse returns the same citations --------------------------------

_RESERVED = re.compile(
    r"^(and|other|page|pages|pg|pp?|sections?|decision|based|mtus|non|odg|acoem|citations?|"
    r"official|american|occupational)$",
    re.IGNORECASE,
)
_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&/%#'",
    min_size=1,
    max_size=9,
).filter(lambda w: not _RESERVED.match(w))
_fixed_words = st.sampled_from(
    ["Low", "Back", "Chapter", "Knee", "MRI", "(Acute & Chronic)", "EMG/NCS", "3.3.9", "x-ray"]
)
_phrase = st.lists(st.one_of(_word, _fixed_words), min_size=1, max_size=5).map(" ".join)
_text = st.lists(_phrase, min_size=1, max_size=3).map(", ".join)
_pages = st.from_regex(r"\A[1-9]\d{0,2}(-[1-9]\d{0,2})?( of [1-9]\d{1,2})?\Z")

_MTUS_NAMES = [
    "Chronic Pain Medical Treatment",
    "Chronic Pain Treatment Guidelines",
    "Neck and Upper Back Complaints",
    "Forearm, Wrist, and Hand Complaints",
    "Low Back Complaints",
    "Opioid Treatment",
    "Acupuncture Treatment",
]
_mtus = st.builds(
    lambda name, year, section, pages: Citation(
        source=MTUS, title=f"{name}{year}", section=section, pages=pages
    ),
    st.sampled_from(_MTUS_NAMES),
    st.sampled_from(["", " 2004", " 2016", " (2009)"]),
    st.none() | _text,
    st.none() | _pages,
)
_named = st.builds(
    lambda source_title, section, pages: Citation(
        source=source_title[0], title=source_title[1], section=section, pages=pages
    ),
    st.sampled_from(
        [
            (ODG, "Official Disability Guidelines (ODG)"),
            (ODG, "Official Disability Guidelines"),
            (ODG, "ODG"),
            (ACOEM, "ACOEM"),
            (
                ACOEM,
                "American College of Occupational and Environmental Medicine (ACOEM), "
                "2nd Edition, (2004)",
            ),
        ]
    ),
    st.none() | _text,
    st.none() | _pages,
)
_other = st.builds(
    lambda title, pages: Citation(source=OTHER, title=title, pages=pages),
    _text.filter(lambda t: not re.match(r"\s*(Chronic|Low|Knee|Back)\b", t)),
    st.none() | _pages,
)
_citations = st.lists(st.one_of(_mtus, _named, _other), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(citations=_citations, party=st.sampled_from(["claims_administrator", "reviewer"]))
def test_format_then_parse_returns_the_same_citations(
    citations: list[Citation], party: str
) -> None:
    text = format_basis(citations, party)  # type: ignore[arg-type]
    parsed = parse_basis(text)
    assert parsed.cited is True
    assert parsed.citations == citations
    basis = Basis(cited=True, citations=citations, text="x")
    assert parse_basis(format_basis(basis, party)).citations == citations  # type: ignore[arg-type]


def test_acoem_prefixed_mtus_parts_split_on_and() -> None:
    text = (
        "Decision based on MTUS Chronic Pain Medical Treatment Guidelines Page(s): 111-113 of"
        " 127, and ACOEM Low Back Complaints 2004, Section(s): Special Studies."
    )
    assert cites(text) == [
        ("MTUS", "Chronic Pain Medical Treatment Guidelines", None, "111-113 of 127"),
        ("MTUS", "ACOEM Low Back Complaints 2004", "Special Studies", None),
    ]


def test_labelled_pages_that_are_not_numbers_round_trip() -> None:
    citation = Citation(source=ODG, title="Official Disability Guidelines", pages="Cold packs")
    text = format_basis([citation], "reviewer")
    assert parse_basis(text).citations == [citation]
