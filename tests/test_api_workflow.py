"""The whole workflow through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openimr.documents import load_document_bytes
from test_api_helpers import (
    ASSIGNED_REVIEWER,
    PARTY_STRINGS,
    ApiWorld,
    assert_problem,
    draft_determination,
    example_application,
    make_world,
)

pytest_plugins = ["conftest_store"]


@pytest.fixture
def world(store_url: str) -> Iterator[ApiWorld]:
    w = make_world(store_url)
    with w.client:
        yield w


def test_intake_eligibility_assignment(world: ApiWorld) -> None:
    case_id = world.intake()
    detail = world.client.get(f"/cases/{case_id}", headers=world.auth("ian")).json()
    assert detail["summary"]["status"] == "received"
    assert detail["summary"]["case_number"].startswith("CM16-")
    assert detail["case"]["applications"][0]["application_id"] == "EX-2016-000101"

    world.eligible(case_id)
    assignment = world.assign(case_id)
    assert assignment["reviewer_id"] == ASSIGNED_REVIEWER
    excluded = {e["reviewer_id"] for e in assignment["match"]["exclusions"]}
    # R-PMR-01 is the insurer's medical director: excluded with the conflict explained
    assert "R-PMR-01" in excluded
    reasons = [e for e in assignment["match"]["exclusions"] if e["reviewer_id"] == "R-PMR-01"]
    assert any(e["rule_id"] == "no_conflict" for e in reasons)
    assert "Jordan Ellery" not in str(assignment)  # ids only, never reviewer names

    staff = world.client.get(f"/cases/{case_id}/assignment", headers=world.auth("ada"))
    assert staff.json()["reviewer_id"] == ASSIGNED_REVIEWER
    # the reviewer's own view of the case hides who is assigned
    own = world.client.get(f"/cases/{case_id}", headers=world.auth("rev")).json()
    assert own["case"]["assigned_reviewer_id"] is None
    assert own["summary"]["status"] == "assigned"


def test_duplicate_intake_is_conflict(world: ApiWorld) -> None:
    world.intake()
    again = world.client.post("/cases", json=example_application(), headers=world.auth("ian"))
    assert_problem(again, 409, "duplicate-record")


def test_ineligible_reports_every_reason(world: ApiWorld) -> None:
    case_id = world.intake(signed=False, signature_date=None, ur_decision=None)
    response = world.client.post(
        f"/cases/{case_id}/eligibility", params={"as_of": "2016-03-29"}, headers=world.auth("ian")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] != "eligible"
    codes = {r["code"] for r in body["result"]["reasons"]}
    assert len(codes) >= 2, codes


def test_drafts_record_changes_and_finalize_once(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    first = world.draft(case_id)
    assert first.status_code == 201, first.text
    assert first.json()["version_no"] == 1
    edit = world.draft(case_id, decision="overturned")
    assert edit.status_code == 201
    assert edit.json()["changed_fields"] == ["items[0].decision"]
    versions = world.client.get(
        f"/cases/{case_id}/determination/versions", headers=world.auth("rev")
    ).json()
    assert [v["version_no"] for v in versions] == [1, 2]
    assert "items[0].decision" in versions[1]["change_note"]

    final = world.client.post(
        f"/cases/{case_id}/determination/final", json={}, headers=world.auth("rev")
    )
    assert final.status_code == 200, final.text
    assert final.json()["is_final"] is True
    again = world.client.post(
        f"/cases/{case_id}/determination/final", json={}, headers=world.auth("ada")
    )
    assert_problem(again, 409, "already-finalized")
    late_edit = world.draft(case_id)
    assert_problem(late_edit, 409)


def test_letters_public_copy_has_no_party_string(world: ApiWorld) -> None:
    case_id = world.finalized_case()
    issued = world.client.post(f"/cases/{case_id}/letters", headers=world.auth("ada"))
    assert issued.status_code == 201, issued.text
    letters = {(x["audience"], x["format"]): x["letter_id"] for x in issued.json()}
    assert set(letters) == {
        ("parties", "txt"), ("parties", "pdf"), ("public", "txt"), ("public", "pdf")
    }  # fmt: skip

    def fetch(key: tuple[str, str], user: str = "ana") -> bytes:
        response = world.client.get(f"/letters/{letters[key]}", headers=world.auth(user))
        assert response.status_code == 200, response.text
        return response.content

    parties_text = fetch(("parties", "txt"), "ada").decode()
    assert "Alvarez" in parties_text  # the parties' copy keeps the names
    public_text = fetch(("public", "txt")).decode()
    public_pdf_text = load_document_bytes(fetch(("public", "pdf")), name="public.pdf").text
    assert "arthroscopy" in public_text.lower()
    for text in (public_text, public_pdf_text):
        leaked = [s for s in PARTY_STRINGS if s.casefold() in text.casefold()]
        assert leaked == [], leaked

    twice = world.client.post(f"/cases/{case_id}/letters", headers=world.auth("ada"))
    assert_problem(twice, 409)


def test_deadlines(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    response = world.client.get(
        f"/cases/{case_id}/deadlines", params={"as_of": "2016-04-01"}, headers=world.auth("rev")
    )
    assert response.status_code == 200, response.text
    due = {d["kind"]: d["due"] for d in response.json()["deadlines"]}
    assert due["records_due"] == "2016-04-14"  # mailed NOARFI: assigned 30 Mar + 15 days
    late = world.client.get(
        f"/cases/{case_id}/deadlines", params={"as_of": "2016-12-01"}, headers=world.auth("ian")
    ).json()
    assert late["late"], late


def test_engine_draft_then_reviewer_edit(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    note = (
        b"Progress note 2016-02-20. Right shoulder pain for 8 months. MRI shows a partial "
        b"rotator cuff tear. Physical therapy for 6 weeks and an injection gave no relief. "
        b"Request: right shoulder arthroscopy with subacromial decompression."
    )
    upload = world.client.post(
        f"/cases/{case_id}/documents",
        files=[("files", ("note.txt", note, "text/plain"))],
        headers=world.auth("ian"),
    )
    assert upload.status_code == 201, upload.text
    engine = world.client.post(
        f"/cases/{case_id}/determination/drafts", json={}, headers=world.auth("rev")
    )
    assert engine.status_code == 201, engine.text
    versions = world.client.get(
        f"/cases/{case_id}/determination/versions", headers=world.auth("rev")
    ).json()
    assert versions[0]["source"] == "engine"
    drafted = world.client.get(
        f"/cases/{case_id}/determination/versions/1", headers=world.auth("rev")
    ).json()["determination"]
    assert [i["request"] for i in drafted["items"]] == [
        "Right shoulder arthroscopy with subacromial decompression",
        "Post-operative physical therapy 2x6",
    ]
    # the engine read the case documents: audited, via the engine
    log = world.client.get(
        "/audit", params={"action": "document.read", "case_id": case_id}, headers=world.auth("ada")
    ).json()["items"]
    assert [e["details"].get("via") for e in log] == ["engine"]

    edited = dict(drafted)
    edited["items"] = [dict(i, decision="overturned") for i in drafted["items"]]
    saved = world.client.post(
        f"/cases/{case_id}/determination/drafts",
        json={"determination": edited, "note": "reviewer edit"},
        headers=world.auth("rev"),
    )
    assert saved.status_code == 201, saved.text
    changed = saved.json()["changed_fields"]
    assert all(f.startswith("items[") for f in changed) and changed
    versions = world.client.get(
        f"/cases/{case_id}/determination/versions", headers=world.auth("rev")
    ).json()
    assert versions[1]["source"] == "reviewer"
    assert versions[1]["change_note"].startswith("reviewer edit | changed: ")


def test_public_letter_removes_street_quoted_without_unit() -> None:
    from openimr.api.services import render_public
    from openimr.model.case import Application, Case
    from openimr.model.determination import Determination

    draft = draft_determination()
    draft["clinical_summary"] = "The worker lives at 1200 Harbor Street in Oakland."
    case = Case(applications=[Application.model_validate(example_application())])
    text, pdf = render_public(Determination.model_validate(draft), case)
    assert "Harbor Street" not in text
    assert "Harbor Street" not in load_document_bytes(pdf, name="public.pdf").text
