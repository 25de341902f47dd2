"""Reviewer roster import from CSV: good rows become profiles, bad rows are all reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.errors import RosterError
from openimr.model.case import AffiliationKind, DisciplineStatus, LicenseStatus
from openimr.workflow.roster import parse_roster, read_roster

EXAMPLE_ROSTER = Path(__file__).resolve().parents[1] / "examples" / "workflow" / "roster.csv"

HEADER = (
    "reviewer_id,name,degree,licenses,board_certifications,specialties,years_in_practice,"
    "weekly_hours,disciplinary_history,affiliations,active,max_open_cases\n"
)


def test_example_roster_loads() -> None:
    roster = read_roster(EXAMPLE_ROSTER)
    assert len(roster) == 13
    assert len({r.reviewer_id for r in roster}) == 13


def test_full_row() -> None:
    (r,) = parse_roster(
        HEADER + "R1,Avery Quill,M.D.,CA:active:A1;NV:restricted,Orthopaedic Surgery;"
        "Hand Surgery:expired,PM&R,12.5,30,probation:taken:2019-04-01,"
        "insurer:ABC Insurance Co.:consultant;facility:Bay Surgical Center,no,25\n"
    )
    assert r.degree == "MD"
    assert [(lic.state, lic.status) for lic in r.licenses] == [
        ("CA", LicenseStatus.ACTIVE),
        ("NV", LicenseStatus.RESTRICTED),
    ]
    assert r.licenses[0].number == "A1"
    assert r.licensure_states == ["CA"]
    assert [(c.specialty, c.current) for c in r.board_certifications] == [
        ("Orthopedic Surgery", True),
        ("Hand Surgery", False),
    ]
    assert r.specialties == ["Physical Medicine & Rehabilitation"]
    assert r.years_in_practice == 12.5 and r.weekly_practice_hours == 30
    assert r.disciplinary_history[0].status is DisciplineStatus.TAKEN
    assert r.disciplinary_history[0].action_date is not None
    assert [(a.kind, a.name, a.relationship) for a in r.affiliations] == [
        (AffiliationKind.INSURER, "ABC Insurance Co.", "consultant"),
        (AffiliationKind.FACILITY, "Bay Surgical Center", None),
    ]
    assert r.active is False and r.max_open_cases == 25


def test_minimal_columns() -> None:
    text = "reviewer_id,name,degree,licenses,years_in_practice,weekly_hours\nR1,A B,DC,CA,8,30\n"
    (r,) = parse_roster(text)
    assert r.active is True and r.max_open_cases is None and r.affiliations == []


def test_every_bad_row_is_reported_without_names() -> None:
    text = HEADER + (
        "R1,Secret Person,MD,California,,,10,30,,,,\n"  # state not a code
        "R2,Secret Person,MD,CA,Basket Weaving,,10,30,,,,\n"  # unknown specialty
        "R3,Secret Person,MD,CA,,,ten,30,,,,\n"  # not a number
        "R4,Secret Person,RN,CA,,,10,30,,,,\n"  # not a physician degree
        "R5,Secret Person,MD,CA,,,10,30,,cousin of:someone,,\n"  # unknown affiliation kind
        "R6,Secret Person,MD,CA,,,10,30,probation,,,\n"  # discipline without status
        "R7,Secret Person,MD,CA,,,10,30,,,maybe,\n"  # bad active flag
        "R8,Secret Person,MD,CA,,,10,200,,,,\n"  # hours over 168
        ",Secret Person,MD,CA,,,10,30,,,,\n"  # no id
        "R9,Fine Person,MD,CA,Neurology,,10,30,,,,\n"
        "R9,Fine Person,MD,CA,Neurology,,10,30,,,,\n"  # duplicate id
    )
    with pytest.raises(RosterError) as err:
        parse_roster(text)
    errors = err.value.errors
    assert len(errors) == 10
    assert errors[0].startswith("row 2 (R1): licenses")
    assert "specialty" in errors[1] and "years_in_practice" in errors[2]
    assert "degree" in errors[3] and "affiliations" in errors[4]
    assert "disciplinary_history" in errors[5] and "active" in errors[6]
    assert "weekly_practice_hours" in errors[7] and "reviewer_id" in errors[8]
    assert "duplicate" in errors[9]
    assert not any("Secret" in e or "Person" in e for e in errors)


def test_missing_and_unknown_columns() -> None:
    with pytest.raises(RosterError) as err:
        parse_roster("reviewer_id,name,degree,favourite_colour\nR1,A,MD,blue\n")
    assert any("missing column licenses" in e for e in err.value.errors)
    assert any("unknown column favourite_colour" in e for e in err.value.errors)


@pytest.mark.parametrize("text", ["", HEADER, HEADER + "\n\n"])
def test_empty_roster(text: str) -> None:
    with pytest.raises(RosterError):
        parse_roster(text)


def test_extra_cells(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="more cells"):
        parse_roster(HEADER + "R1,A B,MD,CA,,,10,30,,,,,extra\n")


def test_unreadable_files(tmp_path: Path) -> None:
    binary = tmp_path / "roster.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RosterError, match="UTF-8"):
        read_roster(binary)
    with pytest.raises(RosterError, match="cannot read"):
        read_roster(tmp_path / "missing.csv")


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + (HEADER + "R1,A B,DO,CA,Neurology,,10,30,,,,\n").encode("utf-8")
    )
    assert read_roster(path)[0].reviewer_id == "R1"
