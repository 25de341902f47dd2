"""The letter as the templates see it: a Determination turned into display strings.

Everything format-independent happens here, once, for the text, HTML and PDF forms:
header fields in letter order with MM/DD/YYYY dates, credentials joined with commas, basis
sentences (composed from citations when an engine left `text` empty), outcome words, and
the publisher's redaction gaps put back at their recorded offsets.

A redaction gap travels through the view as the private-use character `GAP`; each output
form turns it into its own kind of unbreakable run of spaces (see `render.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from openimr.errors import InvalidRecord
from openimr.model import Basis, Decision, Determination, Item, Priority

#: Stands for "an extra run of spaces here" until an output form renders it.
GAP = "\ue000"

_OUTCOME = {Decision.UPHELD: "Upheld", Decision.OVERTURNED: "Overturned"}
_PRIORITY = {Priority.STANDARD: "Standard", Priority.EXPEDITED: "Expedited"}
_ITEM_FIELD = re.compile(
    r"items\[(?P<index>\d+)\]\.(?P<name>request|original_request|rationale"
    r"|claims_administrator_basis\.text|reviewer_basis\.text)"
)

# The two parties whose basis a letter states, as `basis.format_basis` names them.
Party = Literal["claims_administrator", "reviewer"]
CLAIMS_ADMINISTRATOR: Party = "claims_administrator"
EXPERT_REVIEWER: Party = "reviewer"


@dataclass(frozen=True)
class HeaderField:
    label: str
    value: str


@dataclass(frozen=True)
class ItemView:
    request: str
    original_request: str | None
    outcome: str
    claims_administrator_basis: str | None
    reviewer_basis: str | None
    rationale: str | None


@dataclass(frozen=True)
class LetterView:
    case_number: str | None
    header: list[HeaderField]
    licensure: str | None
    specialties: str | None
    clinical_summary: str | None
    items: list[ItemView]


def build_view(det: Determination) -> LetterView:
    """The display strings of a letter; raises InvalidRecord for a record no letter can carry."""
    if not det.items:
        raise InvalidRecord("the record has no items: a final determination decides at least one")
    texts = _FieldTexts(det)
    for redaction in sorted(det.redactions, key=lambda r: r.offset, reverse=True):
        texts.insert_gap(redaction.field, redaction.offset)
    return LetterView(
        case_number=det.case_number,
        header=_header(det),
        licensure=_joined(det.reviewer.licensure),
        specialties=_joined(det.reviewer.specialties),
        clinical_summary=texts.get("clinical_summary"),
        items=[_item_view(index, item, texts) for index, item in enumerate(det.items)],
    )


def _header(det: Determination) -> list[HeaderField]:
    dates = det.dates
    rows: list[tuple[str, str | None]] = [
        ("Case Number", det.case_number),
        ("Date Assigned", _us_date(dates.date_assigned)),
        ("Date of Injury", _us_date(dates.date_of_injury)),
        ("Decision Date", _us_date(dates.decision_date)),
        ("UR Denial Date", _us_date(dates.ur_denial_date)),
        ("Priority", _PRIORITY[det.priority] if det.priority else None),
        ("Application Received", _us_date(dates.application_received)),
    ]
    return [HeaderField(label, value) for label, value in rows if value is not None]


def _item_view(index: int, item: Item, texts: _FieldTexts) -> ItemView:
    if item.decision is None:
        raise InvalidRecord(f"items[{index}] has no decision: a final determination needs one")
    prefix = f"items[{index}]."
    return ItemView(
        request=texts.get(prefix + "request") or "",
        original_request=texts.get(prefix + "original_request"),
        outcome=_OUTCOME[item.decision],
        claims_administrator_basis=texts.get(prefix + "claims_administrator_basis.text"),
        reviewer_basis=texts.get(prefix + "reviewer_basis.text"),
        rationale=texts.get(prefix + "rationale"),
    )


class _FieldTexts:
    """The record's free-text fields by redaction field name, ready to take gaps."""

    def __init__(self, det: Determination) -> None:
        self._texts: dict[str, str | None] = {"clinical_summary": det.clinical_summary}
        for index, item in enumerate(det.items):
            prefix = f"items[{index}]."
            self._texts[prefix + "request"] = item.request
            self._texts[prefix + "original_request"] = item.original_request
            self._texts[prefix + "rationale"] = item.rationale
            self._texts[prefix + "claims_administrator_basis.text"] = _basis_text(
                item.claims_administrator_basis, CLAIMS_ADMINISTRATOR
            )
            self._texts[prefix + "reviewer_basis.text"] = _basis_text(
                item.reviewer_basis, EXPERT_REVIEWER
            )

    def get(self, name: str) -> str | None:
        return self._texts.get(name)

    def insert_gap(self, name: str, offset: int) -> None:
        if name != "clinical_summary" and not _ITEM_FIELD.fullmatch(name):
            raise InvalidRecord(f"redaction names an unknown field {name!r}")
        text = self._texts.get(name)
        if text is None:
            raise InvalidRecord(f"redaction in {name}, which the record leaves empty")
        if offset > len(text):
            raise InvalidRecord(f"redaction offset {offset} lies past the end of {name}")
        # Offsets count characters of the gap-free text; gaps are inserted from the last
        # offset backwards, so earlier offsets stay valid.
        self._texts[name] = text[:offset] + GAP + text[offset:]


def _basis_text(basis: Basis | None, party: Party) -> str | None:
    if basis is None:
        return None
    if basis.text.strip():
        return basis.text
    from openimr.letters.basis import format_basis

    return format_basis(basis, party)


def _us_date(value: date | None) -> str | None:
    return value.strftime("%m/%d/%Y") if value else None


def _joined(values: list[str]) -> str | None:
    return ", ".join(values) if values else None
