"""Public-letter redaction (imr-process.md §7.3, §9.6): no party string survives in any spelling."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from openimr.model.case import Address, Application, Case, Party, PartyKind, PartyRole
from openimr.model.determination import Basis, Decision, Determination, Item
from openimr.workflow.names import name_variants
from openimr.workflow.redaction import (
    case_identifiers,
    redact_determination,
    redact_text,
    surviving,
)

PARTIES = [
    Party(
        role=PartyRole.INJURED_WORKER,
        kind=PartyKind.PERSON,
        name="Dana Q. Whitfield",
        address=Address(
            line1="1200 Harbor Street, Suite 4", city="Oakland", state="CA", postal_code="94612"
        ),
        phone="(510) 555-0142",
    ),
    Party(role=PartyRole.REQUESTING_PHYSICIAN, kind=PartyKind.PERSON, name="Dr. Casey O'Brien"),
    Party(role=PartyRole.WORKER_ATTORNEY, kind=PartyKind.PERSON, name="Núñez, José"),
    Party(role=PartyRole.INSURER, name="ABC Insurance Co."),
    Party(
        role=PartyRole.EMPLOYER,
        name="Redwood Logistics, Inc.",
        aliases=["Redwood Freight"],
        address=Address(line1="77 West Industrial Boulevard", city="Fresno", state="CA"),
    ),
    Party(role=PartyRole.FACILITY, name="St. Mary's Surgical Center"),
    Party(role=PartyRole.CLAIMS_ADMINISTRATOR, name="Acme Claims LLC dba Sunrise Adjusting"),
]

CASE = Case(
    case_number="CM16-0001234",
    applications=[
        Application(
            application_id="APP-1",
            received_date=date(2016, 3, 20),
            date_of_injury=date(2015, 6, 1),
            claim_number="GP-55-1234",
            eams_case_number="ADJ9876543",
            parties=PARTIES,
        )
    ],
)

# invented letter text: every party appears in a spelling other than the one on file
LETTER = (
    "Ms. Whitfield (DANA WHITFIELD; Whitfield, Dana Q.; Dana Whitfield's file) lives at "
    "1200 Harbor St., Ste. 4, Oakland, California 94612, telephone 510.555.0142. Claim no. "
    "GP 55 1234, EAMS adj 9876543. The employer, Redwood Logistics Incorporated (also "
    "Redwood Freight, at 77 W. Industrial Blvd, Fresno, CA), is insured by ABC Insurance "
    "Company (ABC Ins. Co.; the abc insurance). Claims are handled by Sunrise Adjusting and "
    "Acme Claims, L.L.C. Dr. O'Brien (Casey OBrien, M.D.) asked for surgery at Saint Mary "
    "Surgical Center. Attorney Jose Nunez wrote. This 45-year-old female was injured on "
    "06/01/2015; diagnosis: lumbar radiculopathy. Case CM16-0001234."
)


def squash(text: str) -> str:
    """Letters and digits only, lower case, accents removed: the strictest leak test."""
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in plain if c.isascii()).lower())


def party_strings(case: Case) -> list[str]:
    """Every string of every party as it is on file, independent of the redaction code."""
    out: list[str] = []
    for party in case.parties:
        for name in [party.name, *party.aliases]:
            out += name_variants(name)
        if party.kind is PartyKind.PERSON:
            out += [p for p in (party.first_name, party.last_name) if p]
        if party.address is not None:
            out += [party.address.line1, *(p for p in [party.address.postal_code] if p)]
        if party.phone:
            out.append(party.phone)
    return out + case_identifiers(case)


def test_no_party_string_survives() -> None:
    public = redact_text(LETTER, CASE).text
    flat = squash(public)
    for value in party_strings(CASE):
        core = squash(re.sub(r"\b(?:dr|inc|co|llc|dba)\b\.?", "", value, flags=re.I))
        assert core and core not in flat, f"party string survived: {value!r}"
    for word in ["whitfield", "obrien", "nunez", "redwood", "sunrise", "acme", "abcins"]:
        assert word not in flat
    assert "harbor" not in flat and "industrial" not in flat and "5550142" not in flat
    assert surviving(public, CASE) == 0


def test_clinical_facts_and_case_number_stay() -> None:
    public = redact_text(LETTER, CASE).text
    for kept in ["45-year-old female", "06/01/2015", "lumbar radiculopathy", "CM16-0001234"]:
        assert kept in public


def test_dwc_gap_convention_and_marker() -> None:
    text = "Treatment with Dr. Casey O'Brien (x3 per week) was requested."
    assert redact_text(text, CASE).text == "Treatment with  (x3 per week) was requested."
    marked = redact_text(text, CASE, marker="[REDACTED]")
    assert marked.text == "Treatment with [REDACTED] (x3 per week) was requested."
    assert marked.removed == 1 and marked.offsets == [15]


def test_single_names_only_when_capitalized() -> None:
    willing = Party(role=PartyRole.INJURED_WORKER, kind=PartyKind.PERSON, name="Jordan Will")
    case = CASE.model_copy(
        update={
            "applications": [CASE.primary.model_copy(update={"parties": [willing]})],
        }
    )
    result = redact_text("Will reports that therapy will help. Mr. Will agrees.", case)
    assert result.text == " reports that therapy will help.  agrees."


def test_other_names_can_be_added() -> None:
    result = redact_text("Reviewed by Alex Rivera.", CASE, also=["Alex Rivera"])
    assert "Rivera" not in result.text


def test_distinctive_first_word_of_an_organization() -> None:
    text = "Seen at Redwood and at redwood grove."
    assert redact_text(text, CASE).text == "Seen at  and at redwood grove."


def test_unrelated_text_is_untouched() -> None:
    text = "The ABC approach and St. Louis guidance; Oak land; Harbor view."
    assert redact_text(text, CASE).text == text


@pytest.mark.parametrize(
    "variant",
    ["ABC INSURANCE COMPANY", "Abc Ins Co", "ABC Insurance Co., Inc.", "the ABC Insurance"],
)
def test_organization_variants(variant: str) -> None:
    assert squash("abc") not in squash(redact_text(f"Paid by {variant}.", CASE).text)


def test_redact_determination_records_gaps() -> None:
    det = Determination(
        case_number="CM16-0001234",
        clinical_summary="Dana Whitfield was seen by Dr. O'Brien at St. Mary's Surgical Center.",
        items=[
            Item(
                request="Lumbar fusion at Saint Mary Surgical Center",
                decision=Decision.UPHELD,
                rationale="Whitfield has no instability.",
                reviewer_basis=Basis(cited=True, text="Cited by ABC Insurance Co. (MTUS)"),
            )
        ],
    )
    public = redact_determination(det, CASE)
    dumped = squash(public.model_dump_json())
    for word in ["whitfield", "obrien", "stmary", "saintmary", "abcinsurance"]:
        assert word not in dumped
    assert public.items[0].request == "Lumbar fusion at "
    fields = [r.field for r in public.redactions]
    assert fields.count("clinical_summary") == 3
    assert "items[0].request" in fields and "items[0].reviewer_basis.text" in fields
    assert det.clinical_summary is not None and "Whitfield" in det.clinical_summary  # unchanged


@pytest.mark.parametrize(
    "written",
    ["03/07/1971", "3/7/71", "1971-03-07", "March 7, 1971", "Mar. 7th 1971", "7 March 1971"],
)
def test_the_workers_date_of_birth_is_removed_in_any_form(written: str) -> None:
    born = CASE.model_copy(
        update={
            "applications": [
                CASE.applications[0].model_copy(update={"date_of_birth": date(1971, 3, 7)})
            ]
        }
    )
    text = f"DOB: {written}. The worker was injured on 06/01/2015 and seen on 03/07/2016."
    public = redact_text(text, born).text
    assert "1971" not in public and "/71" not in public
    assert "06/01/2015" in public and "03/07/2016" in public  # clinical dates stay
    # without a date of birth on file nothing is removed
    assert redact_text(text, CASE).text == text
