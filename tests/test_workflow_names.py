"""Party name normalization: the same payer, physician or facility under its spellings."""

from __future__ import annotations

import pytest

from openimr.model.case import Party, PartyKind, PartyRole
from openimr.workflow.names import (
    NameMatch,
    fold,
    match_names,
    match_orgs,
    match_people,
    name_variants,
    normalize_org,
    normalize_person,
    parse_person,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ABC Insurance Co.", "ABC Insurance Company"),
        ("ABC Ins. Co., Inc.", "abc insurance company"),
        ("The Hartford", "Hartford"),
        (
            "Golden State Orthopaedic Medical Group, A Professional Corporation",
            "Golden State Orthopedic Med. Grp.",
        ),
        ("St. Mary's Hospital", "Saint Mary Hospital"),
        ("Bay Claims Admin LLC", "Bay Claims Administrators"),
    ],
)
def test_same_organization(a: str, b: str) -> None:
    assert normalize_org(a) == normalize_org(b)
    assert match_orgs(a, b) is NameMatch.EXACT


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ABC Insurance Co.", "ABD Insurance Co."),
        ("State Compensation Insurance Fund", "State Insurance Fund"),
        ("Pacific Medical Group", "Atlantic Medical Group"),
    ],
)
def test_different_organizations(a: str, b: str) -> None:
    assert match_orgs(a, b) is NameMatch.NONE


def test_contained_name_is_probable_unless_only_generic_words() -> None:
    assert match_orgs("Sierra Health", "Sierra Health Network") is NameMatch.PROBABLE
    # "medical group" alone is too generic to tie two firms together
    assert match_orgs("Medical Group", "Pacific Medical Group") is NameMatch.NONE


def test_dba_names_are_variants() -> None:
    name = "Acme Pharma LLC dba Painfree Compounding"
    assert name_variants(name) == [name, "Acme Pharma LLC", "Painfree Compounding"]
    assert match_orgs(name, "Painfree Compounding, Inc.") is NameMatch.EXACT
    assert match_orgs(name, "ACME PHARMA") is NameMatch.EXACT


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Dr. Dana Q. Whitfield, M.D.", "Whitfield, Dana", NameMatch.EXACT),
        ("José Núñez", "Jose Nunez", NameMatch.EXACT),
        ("Dana Whitfield", "D. Whitfield", NameMatch.PROBABLE),
        ("Whitfield", "Dana Whitfield", NameMatch.PROBABLE),
        ("Dana Q. Whitfield", "Dana R. Whitfield", NameMatch.NONE),
        ("Lee Marsh", "Kim Marsh", NameMatch.NONE),
        ("Dana Whitfield", "Dana Whitley", NameMatch.NONE),
    ],
)
def test_people(a: str, b: str, expected: NameMatch) -> None:
    assert match_people(a, b) is expected


def test_person_parts_ignore_titles() -> None:
    parsed = parse_person("Dr. Casey J. Nolan, D.O.")
    assert (parsed.first, parsed.middle, parsed.last) == ("casey", "j", "nolan")
    assert normalize_person("NOLAN, CASEY") == "casey nolan"


def test_fold() -> None:
    assert fold("Whitfield’s Clínica") == "whitfield clinica"


def test_person_against_firm_needs_identical_name() -> None:
    assert match_names("Dana Whitfield", "Dana Whitfield", a_is_person=True, b_is_person=False)
    assert not match_names(
        "Dana Whitfield", "Whitfield Medical Group", a_is_person=True, b_is_person=False
    )


def test_party_names_lists_every_spelling() -> None:
    party = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Whitfield, Dana Q.")
    assert party.first_name == "Dana" and party.last_name == "Whitfield"
    names = party.names()
    assert "Dana Whitfield" in names and "Whitfield" in names and "Whitfield, Dana" in names
