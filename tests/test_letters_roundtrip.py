"""Round trip: parse(render(record)) == record, over generated records, via text and PDF.

The records are generated, not picked: hypothesis builds header facts, credentials, a case
summary (with the patient's age and sex stated the way letters state them), one to four
items with partial authorizations, cited and uncited bases with several citations, and
redaction gaps at word boundaries. Any field the parser reads back differently fails.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openimr.documents import load_document_bytes
from openimr.letters import parse_document, parse_letter, render_pdf, render_text
from openimr.letters.basis import format_basis
from openimr.model import (
    Basis,
    Citation,
    CitationSource,
    Decision,
    Determination,
    Generation,
    Item,
    LetterDates,
    Patient,
    Priority,
    Redaction,
    ReviewerCredentials,
    Sex,
)

STATES = ["California", "Arizona", "Oregon", "Nevada", "New York", "North Carolina", "Texas"]
SPECIALTIES = [
    "Physical Medicine & Rehabilitation",
    "Pain Management",
    "Orthopaedic Surgery",
    "Internal Medicine",
    "Psychiatry",
    "Chiropractor",
    "Occupational Medicine",
    "Anesthesiology",
]
WORDS = [
    "pain", "lumbar", "cervical", "shoulder", "knee", "tenderness", "spasm", "reported",
    "therapy", "sessions", "improved", "worse", "medication", "examination", "radiating",
    "numbness", "left", "right", "bilateral", "chronic", "documented", "function", "work",
    "modified", "duty", "injection", "MRI", "showed", "protrusion", "L4-5", "C5-6", "6/10",
    "x3-5", "daily", "twice", "weeks", "months", "history", "(2014)", "50%", "dose",
]  # fmt: skip
DRUGS = ["Norco", "Tramadol", "Ketamine", "Lidoderm", "Naproxen", "Gabapentin", "Flexeril"]
STRENGTHS = ["10/325mg", "50mg", "5%", "550mg", "600mg", "7.5mg", "60gr"]
QUANTITIES = ["#60", "#90", "#120", "(2 tubes)", "x12", "with 2 refills", "for 6 weeks"]
SERVICES = [
    "Physical therapy 2 times a week for 6 weeks to the right elbow",
    "MRI of the lumbar spine",
    "Cardiology consult and EKG",
    "Lumbar epidural steroid injection at L5-S1",
    "TENS unit rental for 30 days",
    "Acupuncture 6 sessions",
    "Associated surgical service: Cold therapy for one week",
]
MTUS_TITLES = [
    ("Chronic Pain Medical Treatment Guidelines", None, "111-113 of 127"),
    ("Chronic Pain Medical Treatment Guidelines", "Opioids", "74-96"),
    ("ACOEM Low Back Complaints 2004", "Special Studies", None),
    ("Shoulder Complaints 2004", "Initial Care", "204"),
    ("Postsurgical Treatment Guidelines", None, "10-11"),
]
NON_MTUS = [
    (CitationSource.ODG, "Official Disability Guidelines (ODG)", "Pain Chapter", None),
    (CitationSource.ODG, "Official Disability Guidelines (ODG)", "Knee & Leg", "Cold packs"),
    (CitationSource.ACOEM, "ACOEM 2nd Edition, (2004)", "Chapter 7", "127"),
]


def _sentence(words: list[str]) -> str:
    return (" ".join(words)).capitalize() + "."


sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(_sentence)
paragraphs = st.lists(sentences, min_size=1, max_size=6).map(" ".join)


@st.composite
def requests(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(SERVICES))
    parts = [draw(st.sampled_from(DRUGS)), draw(st.sampled_from(STRENGTHS))]
    parts += draw(st.lists(st.sampled_from(QUANTITIES), max_size=2, unique=True))
    return " ".join(parts)


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    if draw(st.booleans()):
        title, section, pages = draw(st.sampled_from(MTUS_TITLES))
        return Citation(source=CitationSource.MTUS, title=title, section=section, pages=pages)
    source, title, section, pages = draw(st.sampled_from(NON_MTUS))
    return Citation(source=source, title=title, section=section, pages=pages)


def bases(party: str) -> st.SearchStrategy[Basis]:
    @st.composite
    def build(draw: st.DrawFn) -> Basis:
        cited = draw(st.lists(citations(), max_size=3, unique_by=lambda c: c.model_dump_json()))
        text = format_basis(cited, party)  # type: ignore[arg-type]
        return Basis(cited=bool(cited), citations=cited, text=text)

    return build()


@st.composite
def items(draw: st.DrawFn) -> Item:
    request = draw(requests())
    original = None
    if draw(st.integers(0, 4)) == 0:
        original = f"{request} {draw(st.sampled_from(QUANTITIES))} and {draw(requests())}"
    decision = draw(st.sampled_from(Decision))
    conclusion = (
        "is medically necessary."
        if decision == Decision.OVERTURNED
        else ("is not medically necessary.")
    )
    rationale = f"{draw(paragraphs)} The request {conclusion}"
    return Item(
        request=request,
        original_request=original,
        decision=decision,
        claims_administrator_basis=draw(bases("claims_administrator")),
        reviewer_basis=draw(bases("reviewer")),
        rationale=rationale,
    )


def optional_dates() -> st.SearchStrategy[date | None]:
    return st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def records(draw: st.DrawFn) -> Determination:
    age = draw(st.none() | st.integers(16, 95))
    sex = None if age is None else draw(st.sampled_from(Sex))
    summary = draw(paragraphs)
    if age is not None and sex is not None:
        summary = f"The injured worker is a {age} year old {sex.value} with {summary.lower()}"
    number = draw(st.integers(0, 9_999_999))
    record = Determination(
        case_number=f"CM{draw(st.integers(13, 19))}-{number:07d}",
        generation=Generation.B,
        priority=draw(st.sampled_from(Priority)),
        dates=LetterDates(
            date_of_injury=draw(optional_dates()),
            date_assigned=draw(optional_dates()),
            decision_date=draw(optional_dates()),
            ur_denial_date=draw(optional_dates()),
            application_received=draw(optional_dates()),
        ),
        reviewer=ReviewerCredentials(
            licensure=draw(st.lists(st.sampled_from(STATES), min_size=1, max_size=3, unique=True)),
            specialties=draw(
                st.lists(st.sampled_from(SPECIALTIES), min_size=1, max_size=3, unique=True)
            ),
        ),
        patient=Patient(age=age, sex=sex),
        clinical_summary=summary,
        items=draw(st.lists(items(), min_size=1, max_size=4)),
    )
    record.redactions = draw(redactions(record))
    return record


@st.composite
def redactions(draw: st.DrawFn, record: Determination) -> list[Redaction]:
    """Gaps where a name was removed: at single spaces between words of free-text fields."""
    fields = {"clinical_summary": record.clinical_summary or ""}
    for index, item in enumerate(record.items):
        fields[f"items[{index}].rationale"] = item.rationale or ""
    out: list[Redaction] = []
    for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True)):
        spaces = [i for i, char in enumerate(fields[name]) if char == " "]
        chosen = draw(st.lists(st.sampled_from(spaces), min_size=1, max_size=2, unique=True))
        # Two gaps at neighbouring spaces would read back as one; keep them apart.
        chosen = sorted(chosen)
        kept = [offset for i, offset in enumerate(chosen) if i == 0 or offset - chosen[i - 1] > 2]
        out += [Redaction(field=name, offset=offset) for offset in kept]
    return sorted(out, key=lambda r: (r.field, r.offset))


def _comparable(record: Determination) -> dict[str, object]:
    data = record.to_json_dict()
    data["redactions"] = sorted(data["redactions"], key=lambda r: (r["field"], r["offset"]))
    return data


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_text_round_trip(record: Determination) -> None:
    parsed = parse_letter(render_text(record))
    assert _comparable(parsed) == _comparable(record)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_pdf_round_trip(record: Determination) -> None:
    document = load_document_bytes(render_pdf(record), name="rendered.pdf")
    parsed = parse_document(document)
    assert _comparable(parsed) == _comparable(record)
