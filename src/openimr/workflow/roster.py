"""Reviewer roster import: a CSV file → `ReviewerProfile` records (imr-process.md §4.2-§4.3).

Columns (header row required; order free; extra columns refused):

    reviewer_id, name, degree, licenses, board_certifications, specialties,
    years_in_practice, weekly_hours, disciplinary_history, affiliations, active, max_open_cases

List cells separate entries with ";" and parts of an entry with ":":

- licenses: ``CA`` or ``CA:active`` or ``NV:restricted:G12345`` (status defaults to active)
- board_certifications: ``Orthopedic Surgery`` or ``Psychiatry:expired``
- specialties: spellings of the specialty table (``PM&R``, ``chiropractic``)
- disciplinary_history: ``probation:taken:2019-04-01`` (kind, status, optional date)
- affiliations: ``insurer:ABC Insurance Co.:consultant`` (kind, name, optional relationship)

Every bad row is reported at once in a `RosterError`; messages name the row, the reviewer id
and the column, never the reviewer's name.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from openimr.errors import RosterError
from openimr.model.case import (
    Affiliation,
    AffiliationKind,
    BoardCertification,
    DisciplinaryAction,
    DisciplineStatus,
    License,
    LicenseStatus,
    ReviewerProfile,
)
from openimr.workflow.specialties import canonical_degree, canonical_specialty, reviewer_rules

REQUIRED = ("reviewer_id", "name", "degree", "licenses", "years_in_practice", "weekly_hours")
OPTIONAL = (
    "board_certifications",
    "specialties",
    "disciplinary_history",
    "affiliations",
    "active",
    "max_open_cases",
)
_STATE = re.compile(r"^[A-Z]{2}$")
_YES = {"yes", "y", "true", "1", "active", ""}
_NO = {"no", "n", "false", "0", "inactive"}
MAX_BYTES = 5_000_000


class _RowError(Exception):
    def __init__(self, column: str, problem: str) -> None:
        super().__init__(f"{column}: {problem}")


def _entries(cell: str) -> list[list[str]]:
    return [[p.strip() for p in e.split(":")] for e in cell.split(";") if e.strip()]


def _specialty(text: str, column: str) -> str:
    found = canonical_specialty(text)
    if found is None:
        raise _RowError(column, "unknown specialty (not in the specialty table)")
    return found


def _licenses(cell: str) -> list[License]:
    out = []
    for parts in _entries(cell):
        state = parts[0].upper()
        if not _STATE.match(state):
            raise _RowError("licenses", "state must be a two-letter code")
        try:
            status = LicenseStatus(parts[1].lower()) if len(parts) > 1 and parts[1] else None
        except ValueError:
            raise _RowError("licenses", "unknown license status") from None
        number = parts[2] if len(parts) > 2 and parts[2] else None
        out.append(License(state=state, status=status or LicenseStatus.ACTIVE, number=number))
    return out


def _certifications(cell: str) -> list[BoardCertification]:
    out = []
    for parts in _entries(cell):
        specialty = _specialty(parts[0], "board_certifications")
        flag = parts[1].lower() if len(parts) > 1 else "current"
        if flag not in ("current", "expired"):
            raise _RowError("board_certifications", "flag must be current or expired")
        out.append(BoardCertification(specialty=specialty, current=flag == "current"))
    return out


def _discipline(cell: str) -> list[DisciplinaryAction]:
    out = []
    for parts in _entries(cell):
        if len(parts) < 2:
            raise _RowError("disciplinary_history", "entry needs kind:status")
        try:
            status = DisciplineStatus(parts[1].lower())
            when = date.fromisoformat(parts[2]) if len(parts) > 2 and parts[2] else None
        except ValueError:
            raise _RowError("disciplinary_history", "bad status or date") from None
        out.append(DisciplinaryAction(kind=parts[0], status=status, action_date=when))
    return out


def _affiliations(cell: str) -> list[Affiliation]:
    out = []
    for entry in (e.strip() for e in cell.split(";") if e.strip()):
        parts = [p.strip() for p in entry.split(":", 2)]
        if len(parts) < 2 or not parts[1]:
            raise _RowError("affiliations", "entry needs kind:name")
        try:
            kind = AffiliationKind(parts[0].lower().replace(" ", "_"))
        except ValueError:
            raise _RowError("affiliations", "unknown affiliation kind") from None
        relationship = parts[2] if len(parts) > 2 and parts[2] else None
        out.append(Affiliation(kind=kind, name=parts[1], relationship=relationship))
    return out


def _number(cell: str, column: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise _RowError(column, "not a number") from None


def _row(row: dict[str, str]) -> ReviewerProfile:
    for column in REQUIRED:
        if not row.get(column, "").strip():
            raise _RowError(column, "empty")
    degree = canonical_degree(row["degree"])
    if degree not in reviewer_rules().physician_degrees:
        raise _RowError("degree", "not a physician degree of Labor Code 3209.3")
    active_cell = row.get("active", "").strip().lower()
    if active_cell not in _YES | _NO:
        raise _RowError("active", "must be yes or no")
    max_cell = row.get("max_open_cases", "").strip()
    if max_cell and not max_cell.isdigit():
        raise _RowError("max_open_cases", "not a whole number")
    values: dict[str, Any] = {
        "reviewer_id": row["reviewer_id"].strip(),
        "name": row["name"].strip(),
        "degree": degree,
        "licenses": _licenses(row["licenses"]),
        "board_certifications": _certifications(row.get("board_certifications", "")),
        "specialties": [
            _specialty(s, "specialties") for s in row.get("specialties", "").split(";") if s.strip()
        ],
        "years_in_practice": _number(row["years_in_practice"], "years_in_practice"),
        "weekly_practice_hours": _number(row["weekly_hours"], "weekly_hours"),
        "disciplinary_history": _discipline(row.get("disciplinary_history", "")),
        "affiliations": _affiliations(row.get("affiliations", "")),
        "active": active_cell in _YES,
        "max_open_cases": int(max_cell) if max_cell else None,
    }
    if not values["licenses"]:
        raise _RowError("licenses", "no license listed")
    try:
        return ReviewerProfile(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        column = ".".join(str(p) for p in first["loc"]) or "row"
        raise _RowError(column, first["msg"]) from None


def parse_roster(text: str, source: str = "roster") -> list[ReviewerProfile]:
    """Parse roster CSV text; raise `RosterError` listing every bad row."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise RosterError([f"{source}: empty file (no header row)"])
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = [f"{source}: missing column {c}" for c in missing]
        problems += [f"{source}: unknown column {c}" for c in unknown]
        raise RosterError(problems)
    reader.fieldnames = header
    errors: list[str] = []
    out: list[ReviewerProfile] = []
    seen: set[str] = set()
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise RosterError(
            [f"{source}: not a readable CSV file ({exc.__class__.__name__})"]
        ) from None
    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        if None in raw:
            errors.append(f"row {number}: more cells than columns")
            continue
        row = {k: (v or "") for k, v in raw.items()}
        if not any(v.strip() for v in row.values()):
            continue  # blank line
        rid = row.get("reviewer_id", "").strip() or "?"
        try:
            profile = _row(row)
        except _RowError as exc:
            errors.append(f"row {number} ({rid}): {exc}")
            continue
        if profile.reviewer_id in seen:
            errors.append(f"row {number} ({rid}): reviewer_id: duplicate")
            continue
        seen.add(profile.reviewer_id)
        out.append(profile)
    if errors:
        raise RosterError(errors)
    if not out:
        raise RosterError([f"{source}: no reviewer rows"])
    return out


def read_roster(path: Path) -> list[ReviewerProfile]:
    """Read a roster CSV file (UTF-8, optional BOM)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RosterError([f"{path.name}: file larger than {MAX_BYTES} bytes"])
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError([f"{path.name}: not UTF-8 text"]) from None
    except OSError as exc:
        raise RosterError([f"{path.name}: cannot read ({type(exc).__name__})"]) from None
    return parse_roster(text, path.name)
