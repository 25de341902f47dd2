"""Load a case for the engine: clinical text/PDF, or a published letter read for its inputs only.

From a letter the engine reads the clinical summary, the dates and the item texts, never the
decisions, bases or rationales (those are what `evaluate` compares against).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openimr.errors import LetterFormatError, OpenIMRError
from openimr.model.clinical import ClinicalFacts
from openimr.model.determination import Determination


@dataclass
class CaseInput:
    name: str
    text: str
    items: list[str]
    on: date | None
    date_of_injury: date | None = None
    letter: Determination | None = field(default=None, repr=False)  # for evaluation only


class NoItems(OpenIMRError):
    """The case names no disputed item and none was given with --item."""

    kind = "no-items"


def _letter_date(det: Determination) -> date | None:
    d = det.dates
    return d.ur_denial_date or d.application_received or d.date_assigned or d.decision_date


def load_case(path: Path) -> CaseInput:
    """Read a case file; a published letter is detected with the letter parser."""
    from openimr.documents.loader import load_document
    from openimr.letters import parse_document

    doc = load_document(path)
    try:
        det = parse_document(doc)
    except LetterFormatError:
        det = None
    if det is not None and det.items and det.clinical_summary:
        return CaseInput(
            name=path.name,
            text=det.clinical_summary,
            items=[item.request for item in det.items],
            on=_letter_date(det),
            date_of_injury=det.dates.date_of_injury,
            letter=det,
        )
    return CaseInput(name=path.name, text=doc.text, items=[], on=None)


def case_facts(case: CaseInput) -> ClinicalFacts:
    from openimr.clinical import extract_facts

    facts = extract_facts(case.text)
    if facts.date_of_injury is None and case.date_of_injury is not None:
        facts.date_of_injury = case.date_of_injury
    return facts


def decision_date(case: CaseInput, facts: ClinicalFacts, override: date | None) -> date:
    """The date that selects the era: --date, the letter's dates, the latest note, or today."""
    return override or case.on or facts.latest_note_date or date.today()


def case_items(case: CaseInput, facts: ClinicalFacts, given: list[str]) -> list[str]:
    items = given or case.items or [r.text for r in facts.requested_items if r.text]
    if not items:
        raise NoItems(f"{case.name}: no disputed item found; pass --item")
    return items
