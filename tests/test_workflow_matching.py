"""Reviewer matching (imr-process.md §4.2-§4.4): qualifications, conflicts, fit, workload."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from openimr.model.case import (
    Affiliation,
    AffiliationKind,
    Application,
    BoardCertification,
    Case,
    DisciplinaryAction,
    DisciplineStatus,
    DisputedItem,
    License,
    LicenseStatus,
    Party,
    PartyKind,
    PartyRole,
    ReviewerProfile,
    UrAction,
    UrDecision,
)
from openimr.workflow.matching import MatchResult, conflicts, match_reviewers
from openimr.workflow.roster import read_roster
from openimr.workflow.specialties import canonical_specialty, item_fit

AK = AffiliationKind

EXAMPLE_ROSTER = Path(__file__).resolve().parents[1] / "examples" / "workflow" / "roster.csv"


def reviewer(rid: str, specialty: str = "Orthopedic Surgery", **kw: Any) -> ReviewerProfile:
    values: dict[str, Any] = {
        "reviewer_id": rid,
        "name": f"Reviewer {rid}",
        "degree": "MD",
        "licenses": [License(state="CA")],
        "board_certifications": [BoardCertification(specialty=specialty)],
        "years_in_practice": 12,
        "weekly_practice_hours": 30,
    }
    values.update(kw)
    return ReviewerProfile(**values)


PARTIES = [
    Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Robin T. Alvarez"),
    Party(role=PartyRole.REQUESTING_PHYSICIAN, kind=PartyKind.PERSON, name="Dr. Casey Nolan"),
    Party(role=PartyRole.INSURER, name="Golden Poppy Insurance Co."),
    Party(role=PartyRole.EMPLOYER, name="Redwood Logistics, Inc."),
    Party(role=PartyRole.FACILITY, name="Harborview Surgical Pavilion"),
]


def case(*items: str, icd: str | None = None, parties: list[Party] | None = None) -> Case:
    app = Application(
        application_id="APP-1",
        received_date=date(2016, 3, 20),
        date_of_injury=date(2015, 6, 1),
        parties=PARTIES if parties is None else parties,
        primary_icd10=icd,
        disputed_items=[DisputedItem(text_as_requested=t) for t in items],
        ur_decision=UrDecision(
            decision_date=date(2016, 3, 1), action=UrAction.DENY, ur_organization="Apex UR LLC"
        ),
        signed=True,
    )
    return Case(applications=[app])


def ids(result: MatchResult) -> list[str]:
    return [c.reviewer_id for c in result.candidates]


def rules_of(result: MatchResult, rid: str) -> list[str]:
    return [e.rule_id for e in result.reasons_for(rid)]


# ------------------------------------------------------------------ specialty fit (data table)


@pytest.mark.parametrize(
    ("text", "category", "preferred"),
    [
        ("Chiropractic manipulation x 8 visits", "chiropractic", {"Chiropractor"}),
        ("Cognitive behavioral psychotherapy x 6", "psychotherapy", {"Psychology", "Psychiatry"}),
        ("Right shoulder arthroscopy with subacromial decompression", "shoulder_surgery", set()),
    ],
)
def test_fit_table(text: str, category: str, preferred: set[str]) -> None:
    fit = item_fit(0, DisputedItem(text_as_requested=text))
    assert fit.category == category
    assert preferred <= set(fit.preferred)
    if category == "chiropractic":
        assert "Physical Medicine & Rehabilitation" in fit.preferred
    if category == "shoulder_surgery":
        assert fit.preferred == ["Orthopedic Surgery"]


def test_specialty_spellings() -> None:
    assert canonical_specialty("PM&R") == "Physical Medicine & Rehabilitation"
    assert canonical_specialty("orthopaedic surgery") == "Orthopedic Surgery"
    assert canonical_specialty("basket weaving") is None


def test_condition_adds_specialties() -> None:
    fit = item_fit(0, DisputedItem(text_as_requested="Follow-up visit"), primary_icd10="F43.10")
    assert "Psychiatry" in fit.preferred


def test_chiropractic_goes_to_chiropractor_or_pmr() -> None:
    roster = [
        reviewer("ORTH"),
        reviewer("PMR", "Physical Medicine & Rehabilitation"),
        reviewer("DC", degree="DC", board_certifications=[], specialties=["Chiropractor"]),
        reviewer("PSY", "Psychiatry"),
    ]
    result = match_reviewers(case("Chiropractic care 2x4"), roster)
    assert sorted(ids(result)) == ["DC", "PMR"]
    assert rules_of(result, "ORTH") == ["specialty_fit"]
    assert "item 1 (chiropractic" in result.reasons_for("PSY")[0].message


def test_psychotherapy_goes_to_psychologist_or_psychiatrist() -> None:
    roster = [
        reviewer("PHD", degree="PhD", board_certifications=[], specialties=["Psychology"]),
        reviewer("PSY", "Psychiatry"),
        reviewer("ORTH"),
    ]
    result = match_reviewers(case("Psychotherapy sessions x 6"), roster)
    assert sorted(ids(result)) == ["PHD", "PSY"]


def test_md_fit_counts_current_board_certification_only() -> None:
    lapsed = reviewer(
        "MD1",
        board_certifications=[
            BoardCertification(specialty="Orthopedic Surgery", current=False),
            BoardCertification(specialty="Family Medicine"),
        ],
        specialties=["Orthopedic Surgery"],
    )
    result = match_reviewers(case("Shoulder arthroscopy"), [lapsed])
    assert rules_of(result, "MD1") == ["specialty_fit"]


def test_other_degrees_fit_only_their_field() -> None:
    dc = reviewer(
        "DC",
        degree="DC",
        board_certifications=[],
        specialties=["Chiropractor", "Orthopedic Surgery"],
    )
    result = match_reviewers(case("Shoulder arthroscopy"), [dc])
    assert rules_of(result, "DC") == ["specialty_fit"]


def test_every_item_must_fit() -> None:
    result = match_reviewers(case("Shoulder arthroscopy", "Psychotherapy x 6"), [reviewer("ORTH")])
    assert result.candidates == []
    assert "item 2" in result.reasons_for("ORTH")[0].message


# ------------------------------------------------------------------ qualifications


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"licenses": [License(state="CA", status=LicenseStatus.EXPIRED)]}, "unrestricted_license"),
        ({"board_certifications": []}, "board_certification"),
        ({"years_in_practice": 5}, "five_years_practice"),  # "more than five years"
        ({"weekly_practice_hours": 23.5}, "weekly_hours"),
        ({"active": False}, "active_on_roster"),
        ({"degree": "RN"}, "physician"),
        (
            {
                "disciplinary_history": [
                    DisciplinaryAction(status=DisciplineStatus.PENDING, kind="accusation")
                ]
            },
            "no_discipline",
        ),
        (
            {"licenses": [License(state="CA"), License(state="NV", status=LicenseStatus.REVOKED)]},
            "no_discipline",
        ),
    ],
)
def test_unqualified_reviewers_are_excluded(changes: dict[str, Any], rule_id: str) -> None:
    result = match_reviewers(case("Shoulder arthroscopy"), [reviewer("R1", **changes)])
    assert result.candidates == []
    assert rule_id in rules_of(result, "R1")
    assert all(e.message and e.rule for e in result.exclusions)


def test_boundary_values_qualify() -> None:
    ok = reviewer("R1", years_in_practice=5.5, weekly_practice_hours=24)
    dismissed = DisciplinaryAction(status=DisciplineStatus.DISMISSED, kind="complaint")
    ok2 = reviewer("R2", disciplinary_history=[dismissed])
    assert ids(match_reviewers(case("Shoulder arthroscopy"), [ok, ok2])) == ["R1", "R2"]


def test_every_failed_rule_is_listed() -> None:
    bad = reviewer("R1", years_in_practice=2, weekly_practice_hours=10, active=False)
    assert set(rules_of(match_reviewers(case("Shoulder arthroscopy"), [bad]), "R1")) == {
        "five_years_practice",
        "weekly_hours",
        "active_on_roster",
    }


def test_capacity() -> None:
    full = reviewer("R1", max_open_cases=3)
    result = match_reviewers(case("Shoulder arthroscopy"), [full], workload={"R1": 3})
    assert rules_of(result, "R1") == ["capacity"]


# ------------------------------------------------------------------ conflicts


@pytest.mark.parametrize(
    ("affiliation", "role"),
    [
        (
            Affiliation(kind=AffiliationKind.INSURER, name="Golden Poppy Insurance Company"),
            "insurer",
        ),
        (Affiliation(kind=AffiliationKind.EMPLOYER, name="REDWOOD LOGISTICS"), "employer"),
        (
            Affiliation(kind=AffiliationKind.FACILITY, name="Harborview Surgical Pavilion"),
            "facility",
        ),
        (Affiliation(kind=AffiliationKind.UR_ORGANIZATION, name="Apex UR"), "ur organization"),
        (
            Affiliation(
                kind=AffiliationKind.PHYSICIAN, name="Nolan, Casey", relationship="partner"
            ),
            "requesting physician",
        ),
        (
            Affiliation(kind=AffiliationKind.PERSON, name="Robin Alvarez", relationship="cousin"),
            "injured worker",
        ),
        # the insurer named under another kind is still a party of the case
        (
            Affiliation(kind=AffiliationKind.CLAIMS_ADMINISTRATOR, name="Golden Poppy Ins. Co."),
            "insurer",
        ),
    ],
)
def test_conflict_with_any_party(affiliation: Affiliation, role: str) -> None:
    conflicted = reviewer("R1", affiliations=[affiliation])
    result = match_reviewers(case("Shoulder arthroscopy"), [conflicted, reviewer("R2")])
    assert ids(result) == ["R2"]
    (exclusion,) = result.reasons_for("R1")
    assert exclusion.rule_id == "no_conflict"
    assert f"the {role} of the case" in exclusion.message
    # the explanation names the role, never the party or the reviewer
    assert affiliation.name not in exclusion.message
    assert "Reviewer R1" not in exclusion.message


def test_unrelated_affiliations_are_no_conflict() -> None:
    fine = reviewer(
        "R1",
        affiliations=[
            Affiliation(kind=AffiliationKind.INSURER, name="Blue Heron Insurance Co."),
            Affiliation(kind=AffiliationKind.PHYSICIAN, name="Kim Nolan"),
        ],
    )
    assert ids(match_reviewers(case("Shoulder arthroscopy"), [fine])) == ["R1"]


def test_probable_match_is_excluded_with_a_note() -> None:
    maybe = reviewer(
        "R1", affiliations=[Affiliation(kind=AffiliationKind.PHYSICIAN, name="C. Nolan")]
    )
    result = match_reviewers(case("Shoulder arthroscopy"), [maybe])
    assert "probable" in result.reasons_for("R1")[0].message


def test_reviewer_who_is_a_party() -> None:
    own = reviewer("R1", name="Casey Nolan")
    found = conflicts(own, PARTIES)
    assert found and "requesting physician" in found[0][0]


def test_remand_goes_to_a_different_reviewer() -> None:
    result = match_reviewers(
        case("Shoulder arthroscopy"), [reviewer("R1"), reviewer("R2")], avoid=["R1"]
    )
    assert ids(result) == ["R2"]
    assert rules_of(result, "R1") == ["not_previous_reviewer"]


# ------------------------------------------------------------------ ranking


def test_ranking_fit_then_california_then_workload() -> None:
    roster = [
        reviewer("NV-PREF", licenses=[License(state="NV")]),
        reviewer("CA-PREF-BUSY"),
        reviewer("CA-PREF-IDLE"),
        reviewer("CA-ACC", "Pain Medicine"),  # acceptable only for spine surgery
    ]
    load = {"CA-PREF-BUSY": 9, "CA-PREF-IDLE": 1}
    result = match_reviewers(case("Lumbar fusion L4-5"), roster, workload=load)
    assert ids(result) == ["CA-PREF-IDLE", "CA-PREF-BUSY", "NV-PREF", "CA-ACC"]
    assert [c.rank for c in result.candidates] == [1, 2, 3, 4]
    assert "not licensed in California" in result.candidates[2].notes
    assert result.best is not None and result.best.reviewer_id == "CA-PREF-IDLE"


def test_workload_relative_to_capacity() -> None:
    small = reviewer("SMALL", max_open_cases=4)
    large = reviewer("LARGE", max_open_cases=40)
    result = match_reviewers(
        case("Shoulder arthroscopy"), [small, large], workload={"SMALL": 3, "LARGE": 10}
    )
    assert ids(result) == ["LARGE", "SMALL"]  # 25% load before 75%


def test_no_names_in_output() -> None:
    result = match_reviewers(case("Shoulder arthroscopy"), [reviewer("R1"), reviewer("R2")])
    assert "Reviewer R" not in result.model_dump_json()


# ------------------------------------------------------------------ example roster


def test_example_roster_shoulder_case() -> None:
    roster = read_roster(EXAMPLE_ROSTER)
    result = match_reviewers(case("Right shoulder arthroscopy", icd="M75.101"), roster)
    # R-ORTH-01 holds privileges at the facility of the case; R-ORTH-02 is out of state
    assert result.best is not None and result.best.reviewer_id == "R-ORTH-02"
    assert rules_of(result, "R-ORTH-01") == ["no_conflict"]
    assert {c.reviewer_id for c in result.candidates} | result.excluded_ids() == {
        r.reviewer_id for r in roster
    }


def test_example_roster_chiropractic_case() -> None:
    roster = read_roster(EXAMPLE_ROSTER)
    result = match_reviewers(case("Chiropractic manipulation x 8"), roster)
    # R-PMR-01 is the insurer's medical director; R-OCC-* fit only as acceptable or fail rules
    assert ids(result)[:2] == ["R-CHIRO-01", "R-PMR-02"]
    assert rules_of(result, "R-PMR-01") == ["no_conflict"]
    assert "five_years_practice" in rules_of(result, "R-OCC-01")
    assert "weekly_hours" in rules_of(result, "R-OCC-02")
    assert "no_discipline" in rules_of(result, "R-PAIN-01")
    assert "unrestricted_license" in rules_of(result, "R-NEURO-01")


def test_reviewer_rule_table_schema() -> None:
    from openimr.errors import RuleTableError
    from openimr.workflow.rules import validate_table
    from openimr.workflow.specialties import ReviewerRules, reviewer_rules

    data = reviewer_rules().model_dump(mode="json", by_alias=True)
    data["categories"]["chiropractic"]["preferred"].append("Astrology")
    with pytest.raises(RuleTableError, match="Astrology"):
        validate_table(ReviewerRules, data, "reviewers.yaml")
