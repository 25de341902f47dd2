"""The letter parser: every generation's fixture, both seeds, extraction artefacts, errors.

Fixtures in examples/letters/ are invented letters written from the format descriptions;
facts asserted about the seeds were read off the seed letters by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openimr.errors import LetterFormatError
from openimr.letters import parse_file, parse_letter
from openimr.letters.items import read_item_line
from openimr.model import CitationSource, Decision, Determination, Generation, Priority, Sex

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "letters"
UPHELD, OVERTURNED = Decision.UPHELD, Decision.OVERTURNED


def _example(name: str) -> Determination:
    return parse_file(EXAMPLES / name)


def _sources(det: Determination, index: int, party: str = "reviewer") -> list[str]:
    basis = getattr(det.items[index], f"{party}_basis")
    assert basis is not None
    return [c.source.value for c in basis.citations]


def _gap_context(text: str, offset: int) -> str:
    """The words on either side of a redaction gap, for readable assertions."""
    assert text[offset] == " "
    return text[max(0, offset - 12) : offset] + "|" + text[offset + 1 : offset + 13]


# --- fixtures of each generation ------------------------------------------------------------


def test_generation_a_notice() -> None:
    det = _example("gen-a-notice.txt")
    assert det.generation is Generation.A
    assert det.case_number == "CM13-0054321"
    assert det.priority is None
    assert det.dates.model_dump() == {
        "date_of_injury": date(2011, 2, 11),
        "date_assigned": date(2013, 9, 3),
        "decision_date": date(2013, 10, 4),
        "ur_denial_date": date(2013, 8, 19),
        "application_received": date(2013, 8, 28),
    }
    assert det.reviewer.licensure == ["California", "Oregon"]
    assert det.reviewer.specialties == ["Internal Medicine"]
    assert (det.patient.age, det.patient.sex) == (52, Sex.MALE)
    assert det.clinical_summary is not None
    assert det.clinical_summary.startswith('"This sample patient is a 52 year-old male')
    assert "copied from the Utilization Review" not in det.clinical_summary  # lead-in dropped
    assert [(i.request, i.decision) for i in det.items] == [
        ("Omeprazole 20mg #60", UPHELD),  # "notmedically": the lost space still means "not"
        ("Cyclobenzaprine 7.5mg #30", OVERTURNED),
    ]
    first, second = det.items
    assert first.claims_administrator_basis is not None and first.reviewer_basis is not None
    assert [(c.source, c.pages) for c in first.reviewer_basis.citations] == [
        (CitationSource.MTUS, "68-69")
    ]
    assert second.claims_administrator_basis is not None
    assert second.claims_administrator_basis.cited is False
    assert second.rationale is not None and second.rationale.endswith(
        "medically necessary and appropriate."
    )
    assert "cc:" not in second.rationale
    assert det.redactions == []


def test_generation_c_with_extraction_artefacts() -> None:
    det = _example("gen-c-decisions.txt")
    assert det.generation is Generation.C
    assert det.case_number == "CM15-0187654"
    assert det.priority is Priority.EXPEDITED
    assert det.dates.model_dump() == {
        "date_of_injury": date(2013, 4, 17),
        "date_assigned": date(2015, 9, 28),
        "decision_date": date(2015, 10, 26),
        "ur_denial_date": date(2015, 9, 14),
        "application_received": date(2015, 9, 22),
    }
    assert det.reviewer.licensure == ["California", "Nevada"]
    assert det.reviewer.specialties == ["Orthopaedic Surgery"]
    assert (det.patient.age, det.patient.sex) == (38, Sex.MALE)
    summary = det.clinical_summary or ""
    assert summary.startswith("The injured worker is a 38-year-old male")
    assert "arthroscopy" in summary  # U+FFFE inside the word dropped
    assert summary.endswith("a brace.")  # glued page number "1" removed
    assert "DOCUMENTS REVIEWED" not in summary and "sample clinic covering" not in summary
    assert [(i.request, i.decision) for i in det.items] == [
        ("MRI of the right knee without contrast", OVERTURNED),  # decision on its own line
        ("Hinged knee brace, purchase", UPHELD),
    ]
    assert det.items[0].rationale is not None and det.items[0].rationale.endswith("necessary.")
    assert det.items[1].rationale is not None and "medically necessary" in det.items[1].rationale
    assert [(r.field, _gap_context(summary, r.offset)) for r in det.redactions] == [
        ("clinical_summary", "le provider,|asked for im")
    ]


def test_generation_d_professional_review() -> None:
    det = _example("gen-d-review.txt")
    assert det.generation is Generation.D
    assert det.case_number == "CM14-0076543"
    assert det.priority is Priority.STANDARD
    assert det.dates.model_dump() == {
        "date_of_injury": date(2012, 11, 3),
        "date_assigned": date(2014, 5, 16),
        "decision_date": date(2014, 6, 13),
        "ur_denial_date": date(2014, 5, 2),
        "application_received": date(2014, 5, 12),
    }
    assert det.reviewer.licensure == ["California"]
    assert det.reviewer.specialties == ["Physical Medicine & Rehabilitation"]
    assert (det.patient.age, det.patient.sex) == (29, Sex.FEMALE)
    assert (det.clinical_summary or "").startswith("This invented worker is a 29 year old female")
    (item,) = det.items
    assert item.request == "Six sessions of acupuncture for the low back"
    # The heading says "IS/WAS NOT MEDICALLY NECESSARY" whatever the outcome: the
    # decision comes from the rationale's conclusion.
    assert item.decision is OVERTURNED
    assert item.claims_administrator_basis is None
    assert _sources(det, 0) == ["MTUS"]
    assert item.reviewer_basis is not None
    assert item.reviewer_basis.citations[0].title == "Acupuncture Medical Treatment Guidelines"
    assert item.rationale is not None and item.rationale.startswith("The fictional records")
    assert [(r.field, r.offset) for r in det.redactions] == [("items[0].request", 39)]


def test_generation_b_without_header_table() -> None:
    det = _example("gen-b-no-header.txt")
    assert det.generation is Generation.B
    assert det.case_number is None and det.priority is None
    # No header table: the date of injury comes from the summary, the others are unknown.
    assert det.dates.model_dump() == {
        "date_of_injury": date(2010, 3, 9),
        "date_assigned": None,
        "decision_date": None,
        "ur_denial_date": None,
        "application_received": None,
    }
    assert det.reviewer.licensure == ["California", "Texas"]
    assert det.reviewer.specialties == ["Anesthesiology", "Pain Medicine"]
    assert (det.patient.age, det.patient.sex) == (57, Sex.MALE)
    assert [(i.request, i.decision) for i in det.items] == [
        ("TENS unit rental for 30 days for the lumbar spine with supplies", UPHELD),
        ("Lidocaine 5% cream 30gm", OVERTURNED),
    ]
    assert _sources(det, 0) == ["MTUS"]
    assert det.items[0].reviewer_basis is not None
    assert det.items[0].reviewer_basis.citations[0].section == "TENS"
    assert det.items[1].claims_administrator_basis is not None
    assert det.items[1].claims_administrator_basis.cited is False
    texts = {
        "clinical_summary": det.clinical_summary or "",
        "items[0].request": det.items[0].request,
        "items[0].rationale": det.items[0].rationale or "",
    }
    assert [(r.field, _gap_context(texts[r.field], r.offset)) for r in det.redactions] == [
        ("clinical_summary", "c noted that|he used a he"),
        ("items[0].request", "r spine with|supplies"),
        ("items[0].rationale", "le. As such,|the requeste"),
    ]


def test_generation_b_partial_authorizations() -> None:
    det = _example("gen-b-partial.txt")
    assert det.generation is Generation.B
    assert det.case_number == "CM16-0123456"
    assert det.priority is Priority.STANDARD
    # Two-column header: "Application Received" wraps and its date comes last.
    assert det.dates.model_dump() == {
        "date_of_injury": date(2014, 8, 22),
        "date_assigned": date(2016, 6, 6),
        "decision_date": date(2016, 7, 5),
        "ur_denial_date": date(2016, 5, 20),
        "application_received": date(2016, 5, 31),
    }
    assert det.reviewer.specialties == ["Physical Medicine & Rehabilitation", "Sports Medicine"]
    assert [(i.request, i.original_request, i.decision) for i in det.items] == [
        (
            "Physical therapy for the right shoulder, four sessions",
            "Physical therapy for the right shoulder, twelve sessions",
            UPHELD,
        ),
        ("Orphenadrine ER 100mg #60", "Orphenadrine ER 100mg #60", OVERTURNED),
        ("Shoulder sling, purchase", None, UPHELD),
    ]
    assert det.items[1].reviewer_basis is not None
    assert det.items[1].reviewer_basis.citations[0].pages == "63-66"
    assert det.items[0].rationale is not None
    assert det.items[0].rationale.endswith("not medically necessary.")


# --- the seeds ------------------------------------------------------------------------------


def test_seed_ketamine_cream(seeds_dir: Path) -> None:
    det = parse_file(seeds_dir / "letter-ketamine-cream.txt")
    assert det.generation is Generation.B
    assert det.case_number is None and det.priority is None
    assert det.reviewer.licensure == ["California"]
    assert det.reviewer.specialties == ["Physical Medicine & Rehabilitation", "Pain Management"]
    assert (det.patient.age, det.patient.sex) == (61, Sex.FEMALE)
    assert det.dates.date_of_injury == date(2012, 9, 20)
    assert det.dates.decision_date is None
    (item,) = det.items
    assert item.request == "Ketamine 5% 60gr (2 tubes)"
    assert item.original_request is None
    assert item.decision is UPHELD
    assert item.claims_administrator_basis is not None and item.reviewer_basis is not None
    assert item.claims_administrator_basis.cited and item.reviewer_basis.cited
    assert [(c.source, c.section) for c in item.claims_administrator_basis.citations] == [
        (CitationSource.MTUS, "Topical Analgesics")
    ]
    assert [(c.source, c.pages) for c in item.reviewer_basis.citations] == [
        (CitationSource.MTUS, "111-113 of 127")
    ]
    assert item.rationale is not None and item.rationale.endswith("is not medically necessary.")
    summary = det.clinical_summary or ""
    assert summary.startswith("The injured worker was a 61 year old female")
    assert "  " not in summary and "\n" not in summary
    assert det.redactions == []


def test_seed_ketamine_infusion(seeds_dir: Path) -> None:
    det = parse_file(seeds_dir / "letter-ketamine-infusion.txt")
    assert det.generation is Generation.B
    assert det.case_number is None
    assert det.reviewer.licensure == ["California", "Arizona"]
    assert det.reviewer.specialties == ["Physical Medicine & Rehabilitation"]
    assert (det.patient.age, det.patient.sex) == (45, Sex.FEMALE)
    assert det.dates.date_of_injury == date(2011, 12, 13)
    assert [(i.request, i.decision) for i in det.items] == [
        ("Ketamine Infusion treatment with (x3-5 per week for 12 weeks)", UPHELD),
        ("Cardiology consult and EKG", UPHELD),
    ]
    infusion, consult = det.items
    assert _sources(det, 0, "claims_administrator") == ["ODG"]
    assert _sources(det, 0) == ["ODG"]
    assert _sources(det, 1) == ["ACOEM"]
    assert consult.reviewer_basis is not None
    assert consult.reviewer_basis.citations[0].pages == "124"
    assert consult.claims_administrator_basis is not None
    assert consult.claims_administrator_basis.cited is False
    assert consult.claims_administrator_basis.citations == []
    assert infusion.reviewer_basis is not None and infusion.reviewer_basis.cited
    texts = {
        "items[0].request": infusion.request,
        "items[0].rationale": infusion.rationale or "",
        "items[1].rationale": consult.rationale or "",
    }
    # Gaps where a name was removed: inside the item name (also where the gap straddles a
    # line break) and after "As such,"; "sentence.  Next" spacing is not a gap.
    assert [(r.field, _gap_context(texts[r.field], r.offset)) for r in det.redactions] == [
        ("items[0].request", "eatment with|(x3-5 per we"),
        ("items[0].rationale", "eatment with|(x3-5 per we"),
        ("items[0].rationale", "eatment with|(x3-5 per we"),
        ("items[1].rationale", "nt. As such,|the requeste"),
    ]


# --- artefacts ------------------------------------------------------------------------------

_LETTER = """HOW THE IMR FINAL DETERMINATION WAS MADE
Invented boilerplate for a test letter.
State(s) of Licensure: California
Certification(s)/Specialty: Psychiatry
CLINICAL CASE SUMMARY
The injured worker is a 33 year old female with invented complaints.
IMR ISSUES, DECISIONS AND RATIONALES
{items}"""

_ITEM = """{line}
Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.
MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.
Decision rationale: Invented reasons. The request is {conclusion} medically necessary.
"""


def _letter(*lines: str, conclusion: str = "not") -> str:
    items = "".join(_ITEM.format(line=line, conclusion=conclusion) for line in lines)
    return _LETTER.format(items=items)


def test_decision_word_wrapped_onto_its_own_line() -> None:
    det = parse_letter(
        _letter("Aquatic therapy twice a week for six weeks for the lumbar\nspine:\nOverturned")
    )
    assert [(i.request, i.decision) for i in det.items] == [
        ("Aquatic therapy twice a week for six weeks for the lumbar spine", OVERTURNED)
    ]


def test_item_without_decision_word_takes_the_rationale_conclusion() -> None:
    det = parse_letter(_letter("Gym membership for one year:", conclusion="not"))
    assert [(i.request, i.decision) for i in det.items] == [("Gym membership for one year", UPHELD)]


def test_page_numbers_glued_to_the_last_word_of_pages_are_removed() -> None:
    pages = [
        _letter("Heat wrap, 10 units: Upheld").replace("Psychiatry", "Psychiatry1"),
    ]
    det = parse_letter(pages[0].replace("medically necessary.", "medically necessary.2"))
    assert det.reviewer.specialties == ["Psychiatry"]
    assert det.items[0].rationale == "Invented reasons. The request is not medically necessary."


def test_soft_hyphen_and_fffe_are_dropped_and_hyphenated_words_joined() -> None:
    text = _letter("Knee sleeve, purchase: Upheld").replace(
        "invented complaints", "invented com\ufffe\nplaints and pain\u00ad in the knee"
    )
    det = parse_letter(text)
    assert det.clinical_summary == (
        "The injured worker is a 33 year old female with invented complaints and pain in the knee."
    )


def test_redaction_offsets_point_at_the_single_space_left() -> None:
    text = _letter("Consult with   for the spine: Upheld").replace(
        "with invented complaints.", "with invented complaints.  Seen by  on 05/01/2015."
    )
    det = parse_letter(text)
    summary = det.clinical_summary or ""
    assert summary.endswith("complaints. Seen by on 05/01/2015.")
    assert [(r.field, r.offset) for r in det.redactions] == [
        ("clinical_summary", summary.index("by on") + 2),
        ("items[0].request", len("Consult with")),
    ]
    assert det.items[0].request == "Consult with for the spine"


@pytest.mark.parametrize(
    ("line", "remaining", "original"),
    [
        (
            "Massage therapy eight sessions was the original request. Massage therapy four"
            " sessions was authorized by the Claims Administrator. The remaining IMR eligible"
            " portion of the original request, Massage therapy four sessions is: Upheld",
            "Massage therapy four sessions",
            "Massage therapy eight sessions",
        ),
        (
            "Tramadol 50mg #90 was the original request. The Claims Administrator authorized"
            " Tramadol 50mg #30, leaving the original request IMR eligible. The original"
            " request, Tramadol 50mg #90 is: Upheld",
            "Tramadol 50mg #90",
            "Tramadol 50mg #90",
        ),
        (
            "Splint and gel pack was partially authorized by the claims administrator; the"
            " remaining IMR eligible portion of the original request, gel pack is:  Upheld",
            "gel pack",
            "Splint and gel pack",
        ),
    ],
)
def test_partial_authorization_phrasings(line: str, remaining: str, original: str) -> None:
    read = read_item_line(line)
    assert (read.request, read.original_request, read.decision) == (remaining, original, UPHELD)
    det = parse_letter(_letter(line.replace(". ", ". \n", 1)))
    assert [(i.request, i.original_request) for i in det.items] == [(remaining, original)]


def test_items_follow_each_other_without_blank_lines() -> None:
    det = parse_letter(_letter("Item one of a test: Upheld", "Item two of a test: Overturned"))
    assert [(i.request, i.decision) for i in det.items] == [
        ("Item one of a test", UPHELD),
        ("Item two of a test", OVERTURNED),
    ]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n \n", "\ufeff\n"])
def test_empty_text_is_a_letter_format_error(text: str) -> None:
    with pytest.raises(LetterFormatError, match="no text"):
        parse_letter(text, name="empty.txt")


def test_unknown_layout_names_the_missing_headings() -> None:
    with pytest.raises(LetterFormatError, match="HOW THE IMR FINAL DETERMINATION WAS MADE"):
        parse_letter("Dear sir,\nthis is a shopping list: eggs, milk.\n", name="list.txt")


def test_generation_b_without_issues_section_says_so() -> None:
    text = _letter("x: Upheld").split("IMR ISSUES")[0]
    with pytest.raises(LetterFormatError, match="no IMR issues section"):
        parse_letter(" Case Number: CM16-0000001\n" + text)


def test_issues_section_without_items_says_so() -> None:
    text = _LETTER.format(items="Nothing follows.\n")
    with pytest.raises(LetterFormatError, match="no disputed item"):
        parse_letter(text)


def test_generation_a_without_determinations_says_so() -> None:
    text = "MAXIMUS FEDERAL SERVICES, INC.\nNotice of Independent Medical Review Determination\n"
    with pytest.raises(LetterFormatError, match="numbered determinations"):
        parse_letter(text)


def test_generation_d_without_issue_says_so() -> None:
    text = "\nMEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n\nCASE SUMMARY:\nNothing.\n"
    with pytest.raises(LetterFormatError, match="names no item"):
        parse_letter(text)


# --- corpus ---------------------------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_letter_parses_completely(corpus_pdfs: list[Path]) -> None:
    items = overturned = 0
    for path in corpus_pdfs:
        det = parse_file(path)
        assert det.generation is Generation.B, path.name
        assert det.case_number == path.stem, path.name
        assert all(value is not None for value in det.dates.model_dump().values()), path.name
        assert det.priority is not None, path.name
        assert det.reviewer.licensure and det.reviewer.specialties, path.name
        assert det.patient.age is not None and det.patient.sex is not None, path.name
        assert det.items, path.name
        for item in det.items:
            assert item.decision is not None, path.name
            assert item.request and item.rationale, path.name
            assert item.claims_administrator_basis and item.reviewer_basis, path.name
        items += len(det.items)
        overturned += sum(item.decision is OVERTURNED for item in det.items)
    if len(corpus_pdfs) == 97:
        assert (items, overturned) == (197, 23)
