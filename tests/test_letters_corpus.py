"""All 97 published corpus letters: internal consistency of every parsed record.

The hand-checked field values for a sample live in test_letters_expected.py; here every
letter is checked for what must hold whatever it says: a case number of the right shape,
generation B, items with decisions and bases, the five header dates present and in process
order, reviewer licensure, and corpus-wide totals.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from openimr.model import Decision, Determination, Generation

pytestmark = pytest.mark.corpus

# Counted by reading the extracted text of all 97 letters (one "<item>: Upheld|Overturned"
# line followed by a "Claims Administrator guideline:" / "MAXIMUS guideline:" / "Decision
# rationale:" triplet per item): 197 items, 23 of them overturned.
CORPUS_LETTERS = 97
CORPUS_ITEMS = 197
CORPUS_OVERTURNED = 23

CASE_NUMBER = re.compile(r"CM\d{2}-\d{7}")
# Injury, then UR denial, then the IMR application, then assignment, then decision.
DATE_ORDER = (
    "date_of_injury",
    "ur_denial_date",
    "application_received",
    "date_assigned",
    "decision_date",
)


@pytest.fixture(scope="module")
def parsed(corpus_pdfs: list[Path]) -> dict[str, Determination]:
    from openimr.letters import parse_file

    return {path.name: parse_file(path) for path in corpus_pdfs}


def _problems(name: str, det: Determination) -> list[str]:
    out: list[str] = []
    if det.case_number is None or not CASE_NUMBER.fullmatch(det.case_number):
        out.append(f"case_number {det.case_number!r} is not CMyy-nnnnnnn")
    elif det.case_number != name.removesuffix(".pdf"):
        out.append(f"case_number {det.case_number!r} differs from the file name")
    if det.generation != Generation.B:
        out.append(f"generation {det.generation!r}, expected B")
    if det.priority is None:
        out.append("priority missing")
    if not det.items:
        out.append("no items")
    for i, item in enumerate(det.items):
        if not item.request.strip():
            out.append(f"items[{i}].request empty")
        if item.decision is None:
            out.append(f"items[{i}].decision missing")
        if item.reviewer_basis is None:
            out.append(f"items[{i}].reviewer_basis missing")
        if item.claims_administrator_basis is None:
            out.append(f"items[{i}].claims_administrator_basis missing")
    dates = det.dates
    values = {field: getattr(dates, field) for field in DATE_ORDER}
    missing = [field for field, value in values.items() if value is None]
    if missing:
        out.append(f"dates missing: {', '.join(missing)}")
    else:
        for earlier, later in pairwise(DATE_ORDER):
            if values[earlier] > values[later]:
                out.append(f"dates.{earlier} {values[earlier]} after dates.{later} {values[later]}")
    if not det.reviewer.licensure:
        out.append("reviewer.licensure empty")
    if not det.reviewer.specialties:
        out.append("reviewer.specialties empty")
    if det.patient.age is None or det.patient.sex is None:
        out.append(f"patient age/sex missing ({det.patient.age!r}, {det.patient.sex!r})")
    return out


def test_every_corpus_letter_is_internally_consistent(parsed: dict[str, Determination]) -> None:
    report = {name: p for name, det in parsed.items() if (p := _problems(name, det))}
    assert not report, f"{len(report)} of {len(parsed)} letters have problems:\n" + "\n".join(
        f"  {name}: {'; '.join(problems)}" for name, problems in sorted(report.items())
    )


def test_corpus_totals(parsed: dict[str, Determination]) -> None:
    items = [item for det in parsed.values() for item in det.items]
    overturned = sum(item.decision == Decision.OVERTURNED for item in items)
    assert len(parsed) == CORPUS_LETTERS
    assert len(items) == CORPUS_ITEMS
    assert overturned == CORPUS_OVERTURNED


def test_case_numbers_are_unique(parsed: dict[str, Determination]) -> None:
    numbers = [det.case_number for det in parsed.values()]
    assert len(set(numbers)) == len(numbers)
