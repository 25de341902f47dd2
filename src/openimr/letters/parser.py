"""Read a published IMR Final Determination Letter (any generation) into a Determination.

The steps, each in its own module: page furniture is removed (`cleanup.clean_pages`), the
generation is recognized by its section headings, the text is split into sections on
whitespace-tolerant heading patterns, and each section is read (`header`, `items`, `basis`).

Conventions every caller may rely on (the renderer follows them too, so that
``parse(render(record)) == record``):

- Free-text fields are whitespace-normalized: one space between words, no line breaks.
- The clinical summary never includes its lead-in sentence ("the reviewer wrote this
  summary from the case file, including all medical records", or generation A's "this
  summary was taken from the UR denial"); it starts with the narrative itself.
- A redaction gap is a run of two or more spaces inside a line, except exactly two spaces
  after the end of a sentence (typewriter spacing). It is recorded as the offset of the
  single space that stands for it in the field's normalized text. Redactions come in
  field order (clinical summary, then each item's request, original request, bases and
  rationale), by offset within a field.
- The date of injury comes from the header; a letter without one in its header gets it
  from the case summary ("sustained an industrial injury on ..."), as age and sex do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from openimr.documents import Document, load_document, normalize_extracted_text
from openimr.errors import LetterFormatError
from openimr.letters import header as hdr
from openimr.letters.basis import parse_basis, parse_prose_basis
from openimr.letters.cleanup import clean_pages, join_field
from openimr.letters.dates import DATE, parse_date
from openimr.letters.items import (
    RawItem,
    conclusion_decision,
    decision_word,
    read_item_line,
    split_items,
)
from openimr.model import (
    Basis,
    Decision,
    Determination,
    Generation,
    Item,
    LetterDates,
    Patient,
    Redaction,
    ReviewerCredentials,
)

__all__ = ["parse_document", "parse_file", "parse_letter"]


def _heading(words: str, *, colon: bool = False, flags: int = 0) -> re.Pattern[str]:
    """A heading alone on its line, whitespace-tolerant (it may wrap onto several lines)."""
    body = r"\s+".join(re.escape(word) for word in words.split())
    tail = r"[ \t]*:" if colon else r"[ \t]*:?"
    return re.compile(rf"^[ \t]*{body}{tail}[ \t]*$", re.M | flags)


# Generation B and C sections.
HOW_MADE = _heading("HOW THE IMR FINAL DETERMINATION WAS MADE")
CLINICAL_SUMMARY = _heading("CLINICAL CASE SUMMARY")
ISSUES_B = _heading("IMR ISSUES, DECISIONS AND RATIONALES")
DOCUMENTS_C = _heading("DOCUMENTS REVIEWED")
ISSUES_C = _heading("IMR DECISION(S) AND RATIONALE(S)")
# Generation A.
NOTICE_TITLE = _heading("Notice of Independent Medical Review Determination", flags=re.I)
DECISION_AND_RATIONALE_A = _heading("INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE", flags=re.I)
QUALIFICATIONS_A = re.compile(
    r"^[ \t]*Medical\s+Qualifications\s+of\s+the\s+Expert\s+Reviewer\s*:?", re.I | re.M
)
CASE_SUMMARY_A = _heading("Case Summary", flags=re.I)
DOCUMENTS_A = _heading("Documents Reviewed for Determination", flags=re.I)
# Generation D.
PROFESSIONAL_REVIEW = _heading("MEDICAL PROFESSIONAL REVIEW")
ISSUE_D = _heading("ISSUE AT DISPUTE", colon=True)
CASE_SUMMARY_D = _heading("CASE SUMMARY", colon=True)
DOCUMENTS_D = _heading("DOCUMENTS REVIEWED FOR DETERMINATION", colon=True)
GUIDELINES_D = _heading(
    "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY", colon=True
)
RATIONALE_D = _heading(
    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY",
    colon=True,
)
QUALIFICATIONS_D = _heading("MEDICAL REVIEWER QUALIFICATIONS", colon=True)

# The lead-in sentence of a case summary: says where the summary came from.
_SUMMARY_LEAD_IN = re.compile(
    r"\bsummar(?:y|ies)\b.*\b(?:case\s+file|medical\s+records|utilization\s+review|UR\b)",
    re.I,
)
_FIRST_SENTENCE = re.compile(r"^.*?[.:](?=\s|$)", re.S)
_ISSUES_LEAD_IN = re.compile(
    r"^\s*The\s+Final\s+Determination\s+(?:was\s+based|rests)\b[^:.]*[:.][ \t]*$",
    re.I | re.M | re.S,
)
# Generation A: "N) MAXIMUS Federal Services, Inc. has determined the request for <item>
# is [not] medically necessary and appropriate." (extraction may glue "notmedically").
_DETERMINATION_A = re.compile(
    r"^[ \t]*(?P<number>\d{1,2})\s*\)\s*MAXIMUS\s+Federal\s+Services,?\s+Inc\.?\s+has\s+"
    r"determined\s+the\s+request\s+for\s+(?P<item>.+?)\s+is\s*(?P<not>not)?\s*medically\s+"
    r"necessary\b[^.\n]*\.?",
    re.I | re.M | re.S,
)
_REGARDING_A = re.compile(
    r"^[ \t]*(?P<number>\d{1,2})\s*\)\s*Regarding\s+the\s+request\s+for\s+.+?:[ \t]*$",
    re.I | re.M | re.S,
)
_CA_GUIDELINE_A = re.compile(
    r"^[ \t]*Medical\s+Treatment\s+Guidelines?\s*\(s\)\s+Relied\s+Upon\s+by\s+the\s+Claims\s+"
    r"Administrator\s*:",
    re.I | re.M,
)
_REVIEWER_GUIDELINE_A = re.compile(
    r"^[ \t]*Medical\s+Treatment\s+Guidelines?\s*\(s\)\s+Relied\s+Upon\s+by\s+the\s+Expert\s+"
    r"Reviewer\s*:",
    re.I | re.M,
)
_RATIONALE_A = re.compile(r"^[ \t]*Rationale\s+for\s+the\s+Decision\s*:", re.I | re.M)
_ASSIGNMENT_A = re.compile(
    rf"Notice\s+of\s+Assignment\b[^.]*?\b(?:on|dated)\s+({DATE})", re.I | re.S
)
_CLOSING_A = re.compile(
    r"^[ \t]*(?:cc\s*:|Copies\s+to\s*:|This\s+is\s+the\s+final\s+determination\b|"
    r"APPEAL\s+RIGHTS|Sincerely,?\s*$)",
    re.I | re.M,
)
# Generation D: an outcome word the cover part may print with the issue.
_OUTCOME_D = re.compile(r"\b(?:Decision|Determination|Outcome)\s*:\s*(Upheld|Overturned)\b", re.I)
_PROSE_PARTY = re.compile(r"\bClaims\s+Administrator\b", re.I)
# A word hyphenated at a line end by a soft hyphen (PDF extraction writes U+FFFE for it).
_BROKEN_WORD = re.compile(r"[\u00ad\ufffe][ \t]*\n(?:[ \t]*\n)?[ \t]*")
_UNEXPECTED = (ValueError, IndexError, KeyError, TypeError, AttributeError)


def parse_letter(text: str, *, name: str = "<text>") -> Determination:
    """The Determination a letter's text states (one string; page breaks unknown)."""
    return _parse_pages([normalize_extracted_text(_BROKEN_WORD.sub("", text))], name)


def parse_document(doc: Document) -> Determination:
    """The Determination of a loaded document (PDF pages or one text)."""
    return _parse_pages(list(doc.pages), doc.name)


def parse_file(path: Path) -> Determination:
    """Load a PDF or text file and parse it (document errors propagate as they are)."""
    return parse_document(load_document(path))


def _parse_pages(pages: list[str], name: str) -> Determination:
    text = clean_pages([normalize_extracted_text(page) for page in pages])
    if not text.strip():
        raise LetterFormatError(f"{name}: no text, so no letter to read")
    generation = detect_generation(text, name)
    reader = _READERS[generation]
    try:
        return reader(text, name)
    except LetterFormatError:
        raise
    except _UNEXPECTED as exc:  # a layout no reader foresaw: say where, not what
        raise LetterFormatError(
            f"{name}: generation {generation.value} letter could not be read ({type(exc).__name__})"
        ) from None


def detect_generation(text: str, name: str = "<text>") -> Generation:
    """The letter's generation from its headings; LetterFormatError when none fits."""
    if PROFESSIONAL_REVIEW.search(text) or ISSUE_D.search(text):
        return Generation.D
    if NOTICE_TITLE.search(text) or _DETERMINATION_A.search(text):
        return Generation.A
    if ISSUES_C.search(text) or (DOCUMENTS_C.search(text) and HOW_MADE.search(text)):
        return Generation.C
    if HOW_MADE.search(text) or ISSUES_B.search(text) or CLINICAL_SUMMARY.search(text):
        return Generation.B
    raise LetterFormatError(
        f"{name}: not a determination letter of a known generation: no"
        " 'HOW THE IMR FINAL DETERMINATION WAS MADE', 'IMR ISSUES, DECISIONS AND RATIONALES',"
        " 'Notice of Independent Medical Review Determination' or 'MEDICAL PROFESSIONAL"
        " REVIEW' heading"
    )


# --- building the record ------------------------------------------------------------------


@dataclass
class _Builder:
    """Collects the record's free-text fields and the redaction gaps found in them."""

    redactions: list[tuple[str, int]] = field(default_factory=list)

    def text(self, name: str, raw: str | None) -> str | None:
        if raw is None:
            return None
        joined, gaps = join_field(raw)
        self.redactions += [(name, gap) for gap in gaps]
        return joined or None

    def gaps(self, name: str, offsets: list[int]) -> None:
        self.redactions += [(name, offset) for offset in offsets]

    def sorted_redactions(self, item_count: int) -> list[Redaction]:
        order = {"clinical_summary": 0}
        for index in range(item_count):
            for position, part in enumerate(_ITEM_FIELDS, start=1):
                order[f"items[{index}].{part}"] = index * 10 + position
        return [
            Redaction(field=name, offset=offset)
            for name, offset in sorted(
                set(self.redactions), key=lambda r: (order.get(r[0], 10**9), r[1])
            )
        ]


_ITEM_FIELDS = (
    "request",
    "original_request",
    "claims_administrator_basis.text",
    "reviewer_basis.text",
    "rationale",
)


def _section(text: str, start: re.Match[str] | None, *ends: re.Pattern[str]) -> str | None:
    """Text after heading `start` up to the first of the `ends` headings found after it."""
    if start is None:
        return None
    stop = len(text)
    for end in ends:
        match = end.search(text, start.end())
        if match:
            stop = min(stop, match.start())
    return text[start.end() : stop]


def _summary(builder: _Builder, raw: str | None) -> str | None:
    """The case summary without its lead-in sentence, with its redaction gaps."""
    if raw is None:
        return None
    joined, gaps = join_field(raw)
    lead = _FIRST_SENTENCE.match(joined)
    cut = 0
    if lead and _SUMMARY_LEAD_IN.search(lead.group(0)):
        cut = lead.end()
        while cut < len(joined) and joined[cut] == " ":
            cut += 1
    summary = joined[cut:].strip()
    builder.gaps("clinical_summary", [gap - cut for gap in gaps if gap > cut])
    return summary or None


def _credentials(raw: str | None) -> ReviewerCredentials:
    if not raw:
        return ReviewerCredentials()
    states, specialties = hdr.read_credentials(" ".join(raw.split()))
    return ReviewerCredentials(licensure=states, specialties=specialties)


def _assemble(
    generation: Generation,
    facts: hdr.HeaderFacts,
    credentials: ReviewerCredentials,
    summary: str | None,
    items: list[Item],
    builder: _Builder,
) -> Determination:
    """The record every generation's reader ends with: header facts, summary and items."""
    return Determination(
        case_number=facts.case_number,
        generation=generation,
        priority=facts.priority,
        dates=_dates(facts, summary),
        reviewer=credentials,
        patient=_patient(facts, summary),
        clinical_summary=summary,
        items=items,
        redactions=builder.sorted_redactions(len(items)),
    )


def _dates(facts: hdr.HeaderFacts, summary: str | None) -> LetterDates:
    found: dict[str, date] = dict(facts.dates)
    if "date_of_injury" not in found and summary:
        injury = hdr.injury_date(summary)
        if injury:
            found["date_of_injury"] = injury
    return LetterDates(**found)


def _patient(facts: hdr.HeaderFacts, summary: str | None) -> Patient:
    age, sex = facts.age, facts.sex
    if summary and (age is None or sex is None):
        told_age, told_sex = hdr.age_and_sex(summary)
        age = age if age is not None else told_age
        sex = sex if sex is not None else told_sex
    return Patient(age=age, sex=sex)


@cache
def _basis_not_stated() -> str:
    """The sentence OpenIMR's renderer writes where a record has no claims administrator basis."""
    wording = yaml.safe_load(
        resources.files("openimr.letters").joinpath("templates/wording.yaml").read_text()
    )
    sentence = wording.get("basis_not_stated", "") if isinstance(wording, dict) else ""
    return " ".join(str(sentence).split())


def _basis(
    builder: _Builder, name: str, raw: str | None, reader: Callable[[str], Basis] = parse_basis
) -> Basis | None:
    if raw is None:
        return None
    joined, gaps = join_field(raw)
    if not joined or joined == _basis_not_stated():
        return None
    builder.gaps(name, gaps)
    return reader(joined)


def _item(builder: _Builder, index: int, raw: RawItem) -> Item:
    prefix = f"items[{index}]."
    line = read_item_line(raw.request)
    builder.gaps(prefix + "request", line.request_gaps)
    if line.original_request is not None:
        builder.gaps(prefix + "original_request", line.original_gaps)
    rationale = builder.text(prefix + "rationale", raw.rationale)
    decision = line.decision or raw.decision
    if decision is None and rationale:
        decision = conclusion_decision(rationale)
    return Item(
        request=line.request,
        original_request=line.original_request,
        decision=decision,
        claims_administrator_basis=_basis(
            builder, prefix + "claims_administrator_basis.text", raw.claims_administrator_basis
        ),
        reviewer_basis=_basis(builder, prefix + "reviewer_basis.text", raw.reviewer_basis),
        rationale=rationale,
    )


def _issues_body(section: str) -> str:
    """An issues section without its lead-in sentence."""
    lead = _ISSUES_LEAD_IN.search(section)
    if lead and not section[: lead.start()].strip():
        return section[lead.end() :]
    return section


# --- generations B and C ------------------------------------------------------------------


def _read_b_or_c(text: str, name: str, generation: Generation) -> Determination:
    primary, other = (ISSUES_C, ISSUES_B) if generation is Generation.C else (ISSUES_B, ISSUES_C)
    issues = primary.search(text) or other.search(text)
    if issues is None:
        raise LetterFormatError(
            f"{name}: generation {generation.value} letter has no IMR issues section"
            f" (no {_ISSUES_NAMES[generation]} heading)"
        )
    how_made = HOW_MADE.search(text)
    summary_heading = CLINICAL_SUMMARY.search(text)
    first = min(m.start() for m in (how_made, summary_heading, issues) if m is not None)
    facts = hdr.read_header(text[:first])
    builder = _Builder()
    credentials = _credentials(
        _section(text, how_made, DOCUMENTS_C, CLINICAL_SUMMARY, ISSUES_B, ISSUES_C)
    )
    summary = _summary(builder, _section(text, summary_heading, ISSUES_B, ISSUES_C, DOCUMENTS_C))
    raw_items = split_items(_issues_body(text[issues.end() :]))
    if not raw_items:
        raise LetterFormatError(
            f"{name}: the IMR issues section lists no disputed item"
            " (no 'Claims Administrator guideline:' label)"
        )
    items = [_item(builder, index, raw) for index, raw in enumerate(raw_items)]
    return _assemble(generation, facts, credentials, summary, items, builder)


_ISSUES_NAMES = {
    Generation.B: "'IMR ISSUES, DECISIONS AND RATIONALES'",
    Generation.C: "'IMR DECISION(S) AND RATIONALE(S)'",
}


def _read_b(text: str, name: str) -> Determination:
    return _read_b_or_c(text, name, Generation.B)


def _read_c(text: str, name: str) -> Determination:
    return _read_b_or_c(text, name, Generation.C)


# --- generation A -------------------------------------------------------------------------


def _read_a(text: str, name: str) -> Determination:
    body_start = DECISION_AND_RATIONALE_A.search(text)
    header_end = min(
        (m.start() for m in (_DETERMINATION_A.search(text), body_start) if m is not None),
        default=len(text),
    )
    facts = hdr.read_header(text[:header_end])
    determinations = _numbered_determinations(text)
    if not determinations:
        raise LetterFormatError(
            f"{name}: generation A letter has no numbered determinations"
            " ('N) ... has determined the request for ...')"
        )
    if body_start and "date_assigned" not in facts.dates:
        assigned = _ASSIGNMENT_A.search(text, body_start.end())
        value = parse_date(assigned.group(1)) if assigned else None
        if value:
            facts.dates["date_assigned"] = value
    qualifications = QUALIFICATIONS_A.search(text)
    summary_heading = CASE_SUMMARY_A.search(text)
    builder = _Builder()
    credentials = _credentials(
        _section(text, qualifications, CASE_SUMMARY_A, DOCUMENTS_A, _REGARDING_A)
    )
    summary = _summary(builder, _section(text, summary_heading, DOCUMENTS_A, _REGARDING_A))
    analyses = {int(m["number"]): m for m in _REGARDING_A.finditer(text)}
    numbers = sorted(analyses)
    closing = _CLOSING_A.search(text, analyses[numbers[-1]].end()) if numbers else None
    end_of_analyses = closing.start() if closing else len(text)
    items: list[Item] = []
    for index, (number, (request_raw, decision)) in enumerate(determinations.items()):
        prefix = f"items[{index}]."
        line = read_item_line(request_raw)
        builder.gaps(prefix + "request", line.request_gaps)
        ca_basis = reviewer_basis = rationale = None
        analysis = analyses.get(number)
        if analysis is not None:
            later = [analyses[n].start() for n in numbers if n > number]
            block = text[analysis.end() : min(later, default=end_of_analyses)]
            ca_basis, reviewer_basis, rationale = _analysis_a(builder, prefix, block)
        items.append(
            Item(
                request=line.request,
                decision=decision,
                claims_administrator_basis=ca_basis,
                reviewer_basis=reviewer_basis,
                rationale=rationale,
            )
        )
    return _assemble(Generation.A, facts, credentials, summary, items, builder)


def _numbered_determinations(text: str) -> dict[int, tuple[str, Decision]]:
    """Item text and decision of each numbered determination (first statement wins)."""
    found: dict[int, tuple[str, Decision]] = {}
    for match in _DETERMINATION_A.finditer(text):
        number = int(match["number"])
        if number not in found:
            decision = Decision.UPHELD if match["not"] else Decision.OVERTURNED
            found[number] = (match["item"], decision)
    return found


def _analysis_a(
    builder: _Builder, prefix: str, block: str
) -> tuple[Basis | None, Basis | None, str | None]:
    """Bases and rationale of one "N) Regarding the request for ..." block."""
    labels = [
        m
        for m in (
            _CA_GUIDELINE_A.search(block),
            _REVIEWER_GUIDELINE_A.search(block),
            _RATIONALE_A.search(block),
        )
        if m is not None
    ]

    def part(match: re.Match[str] | None) -> str | None:
        if match is None:
            return None
        ends = [m.start() for m in labels if m.start() > match.start()]
        return block[match.end() : min(ends, default=len(block))]

    ca_raw = part(_CA_GUIDELINE_A.search(block))
    reviewer_raw = part(_REVIEWER_GUIDELINE_A.search(block))
    if ca_raw is None and reviewer_raw is not None:
        # One block naming both parties: the sentences about the claims administrator
        # are its basis, the others the reviewer's.
        ca_raw, reviewer_raw = _split_parties(reviewer_raw)
    ca_basis = _basis(
        builder, prefix + "claims_administrator_basis.text", ca_raw, parse_prose_basis
    )
    reviewer_basis = _basis(
        builder, prefix + "reviewer_basis.text", reviewer_raw, parse_prose_basis
    )
    rationale = builder.text(prefix + "rationale", part(_RATIONALE_A.search(block)))
    return ca_basis, reviewer_basis, rationale


def _split_parties(raw: str) -> tuple[str | None, str]:
    sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", raw.strip())
    ca = [s for s in sentences if _PROSE_PARTY.search(s)]
    rest = [s for s in sentences if not _PROSE_PARTY.search(s)]
    return (" ".join(ca) or None), " ".join(rest)


# --- generation D -------------------------------------------------------------------------


def _read_d(text: str, name: str) -> Determination:
    headings = (
        ISSUE_D,
        CASE_SUMMARY_D,
        DOCUMENTS_D,
        GUIDELINES_D,
        RATIONALE_D,
        QUALIFICATIONS_D,
    )
    issue = ISSUE_D.search(text)
    if issue is None:
        raise LetterFormatError(f"{name}: generation D letter has no 'ISSUE AT DISPUTE:' section")
    facts = hdr.read_header(text[: issue.start()])
    builder = _Builder()

    def section(heading: re.Pattern[str]) -> str | None:
        return _section(text, heading.search(text), *[h for h in headings if h is not heading])

    issue_raw = section(ISSUE_D) or ""
    outcome = _OUTCOME_D.search(issue_raw)
    if outcome:
        issue_raw = issue_raw[: outcome.start()]
    line = read_item_line(issue_raw)
    if not line.request:
        raise LetterFormatError(f"{name}: the 'ISSUE AT DISPUTE:' section names no item")
    builder.gaps("items[0].request", line.request_gaps)
    if line.original_request is not None:
        builder.gaps("items[0].original_request", line.original_gaps)
    summary = _summary(builder, section(CASE_SUMMARY_D))
    reviewer_basis = _basis(
        builder, "items[0].reviewer_basis.text", section(GUIDELINES_D), parse_prose_basis
    )
    rationale = builder.text("items[0].rationale", section(RATIONALE_D))
    decision = line.decision or (decision_word(outcome[1]) if outcome else None)
    if decision is None and rationale:
        decision = conclusion_decision(rationale)
    item = Item(
        request=line.request,
        original_request=line.original_request,
        decision=decision,
        reviewer_basis=reviewer_basis,
        rationale=rationale,
    )
    record = _assemble(
        Generation.D, facts, _credentials(section(QUALIFICATIONS_D)), summary, [item], builder
    )
    if record.case_number is None:
        record.case_number = hdr.find_case_number(text)
    return record


_READERS: dict[Generation, Callable[[str, str], Determination]] = {
    Generation.A: _read_a,
    Generation.B: _read_b,
    Generation.C: _read_c,
    Generation.D: _read_d,
}
