"""Header facts: case number, priority, the dated fields, reviewer credentials, age and sex.

Header tables come out of PDF extraction in two columns, so a label and its value may be
separated ("Priority: Standard Application \\nReceived: \\n11/03/2016") or all labels may
precede all values. `read_header_dates` pairs each label with the date right after it and
hands the dates left over to the labels left over, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from openimr.letters.dates import DATE, DATE_RE, parse_date
from openimr.model import Priority, Sex

CASE_NUMBER_RE = re.compile(r"\bCM\s?(\d{2})\s?-\s?(\d{7})\b")

# Label patterns for each date field, most specific first (whitespace-tolerant).
_DATE_LABELS: tuple[tuple[str, str], ...] = (
    ("ur_denial_date", r"(?:UR\s+Denial\s+Date|Date\s+of\s+UR\s+(?:Decision|Denial))"),
    ("application_received", r"(?:IMR\s+)?Application\s+Received(?:\s+Date)?"),
    ("date_of_injury", r"(?:Date\s+of\s+Injury|DOI)"),
    ("decision_date", r"(?:Decision\s+Date|Date\s+of\s+Decision|Dated)"),
    ("date_assigned", r"(?:Date\s+Assigned|Assignment\s+Date)"),
)
_LABEL_RE = re.compile(
    "|".join(rf"(?P<{name}>\b{pattern}\s*:)" for name, pattern in _DATE_LABELS),
    re.IGNORECASE,
)
_VALUE_AFTER_LABEL = re.compile(rf"\s*({DATE})", re.IGNORECASE)
_PRIORITY_RE = re.compile(r"\bPriority\s*:\s*(Standard|Regular|Expedited|Urgent)\b", re.I)
_AGE_LABEL = re.compile(r"\b(?:Patient\s+|Worker\s+)?Age\s*:\s*(\d{1,3})\b", re.I)
_SEX_LABEL = re.compile(r"\b(?:Sex|Gender)\s*:\s*(female|male|f|m)\b", re.I)
_AGE_SEX = re.compile(
    r"\b(\d{1,3})\s*(?:-\s*|\s+)years?\s*(?:-\s*|\s+)old\b[\s,]*(?:injured\s+)?"
    r"(female|male|woman|man|gentleman|lady)\b",
    re.IGNORECASE,
)
_INJURY_DATE = re.compile(
    rf"(?:date\s+of\s+injury|injur(?:y|ed))\b[^.;]{{0,40}}?({DATE})", re.IGNORECASE
)
_SEX_WORDS = {
    "female": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "lady": Sex.FEMALE,
    "f": Sex.FEMALE,
    "male": Sex.MALE,
    "man": Sex.MALE,
    "gentleman": Sex.MALE,
    "m": Sex.MALE,
}
_LICENSURE = re.compile(r"State\s*\(s\)\s+of\s+Licensure\s*:", re.IGNORECASE)
_SPECIALTY = re.compile(r"Certification\s*\(s\)\s*/\s*Specialt(?:y|ies)\s*:", re.IGNORECASE)
_BOARD_LICENSED = re.compile(
    r"Board\s+Certified\s+in\s+(?P<specialties>.+?)\s*,?\s+and\s+(?:is\s+|are\s+)?licensed\s+"
    r"to\s+practice\s+in\s+(?P<states>[A-Z][A-Za-z .,]*?)(?=\.(?:\s|$)|;|\n|$)",
    re.IGNORECASE | re.DOTALL,
)
_STATE_SPLIT = re.compile(r"\s*(?:,|;|\band\b)\s*")
_SPECIALTY_SPLIT = re.compile(r"\s*[,;]\s*")


@dataclass
class HeaderFacts:
    case_number: str | None = None
    priority: Priority | None = None
    dates: dict[str, date] = field(default_factory=dict)
    age: int | None = None
    sex: Sex | None = None


def find_case_number(text: str) -> str | None:
    match = CASE_NUMBER_RE.search(text)
    return f"CM{match[1]}-{match[2]}" if match else None


def read_header_dates(text: str) -> dict[str, date]:
    """Pair date labels with dates in a header block laid out in one or two columns."""
    labels = [(m.lastgroup, m.end()) for m in _LABEL_RE.finditer(text) if m.lastgroup]
    found: dict[str, date] = {}
    used: set[int] = set()
    unresolved: list[str] = []
    for name, end in labels:
        if name in found:
            continue
        match = _VALUE_AFTER_LABEL.match(text, end)
        value = parse_date(match.group(1)) if match else None
        if match and value:
            found[name] = value
            used.add(match.start(1))
        else:
            unresolved.append(name)
    if unresolved:
        label_spans = [(m.start(), m.end()) for m in _LABEL_RE.finditer(text)]
        leftovers = [
            value
            for m in DATE_RE.finditer(text)
            if m.start() not in used
            and not any(start <= m.start() < end for start, end in label_spans)
            and (value := parse_date(m.group(0)))
        ]
        for name, value in zip(unresolved, leftovers, strict=False):
            found.setdefault(name, value)
    return found


def read_header(text: str) -> HeaderFacts:
    """Facts of a header block (the part of a letter before its first section heading)."""
    facts = HeaderFacts(case_number=find_case_number(text), dates=read_header_dates(text))
    if match := _PRIORITY_RE.search(text):
        word = match[1].lower()
        facts.priority = (
            Priority.EXPEDITED if word in ("expedited", "urgent") else Priority.STANDARD
        )
    if match := _AGE_LABEL.search(text):
        facts.age = int(match[1])
    if match := _SEX_LABEL.search(text):
        facts.sex = _SEX_WORDS[match[1].lower()]
    return facts


def age_and_sex(text: str) -> tuple[int | None, Sex | None]:
    """ "48 year old male", "45-year-old female", "a(n) 57 year old male" in a narrative."""
    match = _AGE_SEX.search(text)
    if not match:
        return None, None
    age = int(match[1])
    return (age if age <= 130 else None), _SEX_WORDS[match[2].lower()]


def injury_date(text: str) -> date | None:
    """The date of injury a narrative gives ("sustained an industrial injury on 10-13-16")."""
    for match in _INJURY_DATE.finditer(text):
        value = parse_date(match.group(1))
        if value:
            return value
    return None


def _split(value: str, splitter: re.Pattern[str]) -> list[str]:
    return [part.strip(" .") for part in splitter.split(value) if part.strip(" .")]


def read_credentials(text: str) -> tuple[list[str], list[str]]:
    """States of licensure and specialties, from the labelled block or a narrative sentence.

    `text` must be whitespace-normalized and hold only the credentials part of the letter.
    """
    lic = _LICENSURE.search(text)
    spec = _SPECIALTY.search(text)
    if lic or spec:
        states: list[str] = []
        specialties: list[str] = []
        if lic:
            end = spec.start() if spec and spec.start() > lic.end() else len(text)
            states = _split(text[lic.end() : end], _STATE_SPLIT)
        if spec:
            end = lic.start() if lic and lic.start() > spec.end() else len(text)
            specialties = _split(text[spec.end() : end], _SPECIALTY_SPLIT)
        return states, specialties
    board = _BOARD_LICENSED.search(text)
    if board:
        return (
            _split(board["states"], _STATE_SPLIT),
            _split(board["specialties"], _SPECIALTY_SPLIT),
        )
    return [], []
