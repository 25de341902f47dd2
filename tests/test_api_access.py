"""Authentication, role boundaries, audited reads, problem+json, pagination, concurrency."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest

from openimr.api.auth import TokenSigner
from test_api_helpers import (
    FOREIGN_SECRET,
    PASSWORD,
    TEST_SECRET,
    ApiWorld,
    assert_problem,
    example_application,
    make_world,
)

pytest_plugins = ["conftest_store"]


@pytest.fixture
def world(store_url: str) -> Iterator[ApiWorld]:
    w = make_world(store_url)
    with w.client:
        yield w


def test_token_login_and_me(world: ApiWorld) -> None:
    me = world.client.get("/auth/me", headers=world.auth("rev")).json()
    assert me == {"username": "rev", "role": "reviewer", "reviewer_id": "R-ORTH-02"}
    wrong = world.client.post("/auth/token", data={"username": "rev", "password": "nope" * 4})
    assert_problem(wrong, 401, "unauthorized")
    assert wrong.headers["www-authenticate"] == "Bearer"
    nobody = world.client.post("/auth/token", data={"username": "zed", "password": PASSWORD})
    assert_problem(nobody, 401)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic YWRhOnB3"},
        {"Authorization": "Bearer " + TokenSigner(FOREIGN_SECRET).issue("ada")[0]},
        {"Authorization": "Bearer " + TokenSigner(TEST_SECRET).issue("ada", now=0)[0]},
    ],
    ids=["none", "garbage", "basic", "foreign-signature", "expired"],
)
def test_401_without_a_valid_token(world: ApiWorld, headers: dict[str, str]) -> None:
    for method, path in [
        ("GET", "/cases"),
        ("GET", "/cases/1"),
        ("GET", "/audit"),
        ("GET", "/letters"),
        ("POST", "/cases/1/determination/final"),
    ]:
        assert_problem(world.client.request(method, path, headers=headers), 401, "unauthorized")


def test_password_change_revokes_tokens(world: ApiWorld) -> None:
    from openimr.store.engine import Database
    from openimr.store.repositories.users import UserRepository

    db = Database(world.url)
    try:
        with db.transaction() as session:
            UserRepository(session).set_password("ian", "another-long-password")
    finally:
        db.dispose()
    assert_problem(world.client.get("/cases", headers=world.auth("ian")), 401)


# (method, path, roles allowed) — everything else must be 403
BOUNDARIES = [
    ("GET", "/audit", {"ada"}),
    ("GET", "/reviewers", {"ada"}),
    ("POST", "/users", {"ada"}),
    ("GET", "/cases", {"ada", "ian", "rev", "rex"}),
    ("POST", "/cases", {"ada", "ian"}),
    ("POST", "/cases/{id}/eligibility", {"ada", "ian"}),
    ("GET", "/cases/{id}/matches", {"ada", "ian"}),
    ("GET", "/cases/{id}/assignment", {"ada", "ian"}),
    ("POST", "/cases/{id}/assignment", {"ada", "ian"}),
    ("POST", "/cases/{id}/letters", {"ada", "ian"}),
    ("GET", "/cases/{id}", {"ada", "ian", "rev"}),
    ("GET", "/cases/{id}/documents", {"ada", "ian", "rev"}),
    ("GET", "/cases/{id}/deadlines", {"ada", "ian", "rev"}),
    ("GET", "/cases/{id}/determination/versions", {"ada", "ian", "rev"}),
    ("POST", "/cases/{id}/determination/drafts", {"ada", "rev"}),
    ("POST", "/cases/{id}/determination/final", {"ada", "rev"}),
]


def test_role_boundaries(world: ApiWorld) -> None:
    case_id = world.assigned_case()  # assigned to "rev"; "rex" is another reviewer
    for method, template, allowed in BOUNDARIES:
        path = template.format(id=case_id)
        for user in ("ada", "ian", "ana", "rev", "rex"):
            response = world.client.request(method, path, headers=world.auth(user))
            if user in allowed:
                assert response.status_code != 403, (method, path, user, response.text)
            else:
                assert_problem(response, 403, "forbidden")


def test_reviewer_sees_only_assigned_cases(world: ApiWorld) -> None:
    mine = world.assigned_case()
    other = world.intake(application_id="EX-2016-000102", claim_number="ZZ-1")
    listed = world.client.get("/cases", headers=world.auth("rev")).json()
    assert [c["case_id"] for c in listed["items"]] == [mine]
    assert listed["total"] == 1
    assert world.client.get("/cases", headers=world.auth("rex")).json()["total"] == 0
    assert_problem(world.client.get(f"/cases/{other}", headers=world.auth("rev")), 403)
    assert_problem(world.client.get(f"/cases/{mine}", headers=world.auth("rex")), 403)
    assert_problem(world.client.get("/cases/999999", headers=world.auth("rev")), 403)
    assert_problem(world.client.get("/cases/999999", headers=world.auth("ada")), 404, "not-found")
    assert_problem(world.draft(mine, user="rex"), 403)


def test_analyst_reads_public_letters_only(world: ApiWorld) -> None:
    case_id = world.finalized_case()
    assert world.client.post(f"/cases/{case_id}/letters", headers=world.auth("ada")).is_success
    listed = world.client.get("/letters", headers=world.auth("ana")).json()
    assert listed["total"] == 2
    assert {x["audience"] for x in listed["items"]} == {"public"}
    assert_problem(
        world.client.get("/letters", params={"audience": "parties"}, headers=world.auth("ana")),
        403,
    )
    every = world.client.get("/letters", headers=world.auth("ada")).json()["items"]
    parties = [x["letter_id"] for x in every if x["audience"] == "parties"]
    public = [x["letter_id"] for x in every if x["audience"] == "public"]
    for letter_id in parties:
        assert_problem(world.client.get(f"/letters/{letter_id}", headers=world.auth("ana")), 403)
    for letter_id in public:
        assert world.client.get(f"/letters/{letter_id}", headers=world.auth("ana")).is_success
    assert_problem(world.client.get(f"/cases/{case_id}", headers=world.auth("ana")), 403)


def test_document_reads_are_audited(world: ApiWorld) -> None:
    case_id = world.intake()
    upload = world.client.post(
        f"/cases/{case_id}/documents",
        files=[("files", ("progress-note.txt", b"Progress note: shoulder pain.", "text/plain"))],
        data={"kind": "medical_record", "submitted_by": "requesting_physician"},
        headers=world.auth("ian"),
    )
    assert upload.status_code == 201, upload.text
    doc_id = upload.json()[0]["document_id"]

    def reads() -> list[dict[str, object]]:
        log = world.client.get(
            "/audit", params={"action": "document.read"}, headers=world.auth("ada")
        ).json()
        return list(log["items"])

    assert reads() == []
    content = world.client.get(f"/cases/{case_id}/documents/{doc_id}", headers=world.auth("ian"))
    assert content.content == b"Progress note: shoulder pain."
    text = world.client.get(f"/cases/{case_id}/documents/{doc_id}/text", headers=world.auth("ada"))
    assert "shoulder" in text.text
    entries = reads()
    assert [(e["actor"], e["entity_id"], e["case_id"]) for e in entries] == [
        ("ian", str(doc_id), case_id),
        ("ada", str(doc_id), case_id),
    ]
    assert all("shoulder" not in str(e) for e in entries)  # never the clinical text
    # a document id of another case is not readable through this case
    other = world.intake(application_id="EX-2016-000103", claim_number="ZZ-2")
    assert_problem(
        world.client.get(f"/cases/{other}/documents/{doc_id}", headers=world.auth("ian")), 404
    )
    assert len(reads()) == 2


def test_problem_shapes(world: ApiWorld) -> None:
    bad = world.client.post("/cases", json={"application_id": ""}, headers=world.auth("ian"))
    body = assert_problem(bad, 422, "validation-error")
    assert body["errors"] and all({"loc", "msg", "type"} <= set(e) for e in body["errors"])
    assert "input" not in str(body["errors"][0])  # rejected values are not echoed
    missing = world.client.get("/cases/424242", headers=world.auth("ada"))
    assert assert_problem(missing, 404, "not-found")["instance"] == "/cases/424242"
    assert_problem(world.client.get("/cases/0", headers=world.auth("ada")), 422)
    assert_problem(world.client.get("/nowhere", headers=world.auth("ada")), 404)
    assert_problem(world.client.delete("/cases", headers=world.auth("ada")), 405)
    case_id = world.intake()
    not_eligible = world.client.post(f"/cases/{case_id}/assignment", headers=world.auth("ada"))
    assert_problem(not_eligible, 409, "invalid-transition")


def test_pagination(world: ApiWorld) -> None:
    ids = [world.intake(application_id=f"EX-P-{n}", claim_number=f"PG-{n}") for n in range(5)]
    seen: list[int] = []
    for offset in (0, 2, 4):
        page = world.client.get(
            "/cases", params={"limit": 2, "offset": offset}, headers=world.auth("ian")
        ).json()
        assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == offset
        seen += [c["case_id"] for c in page["items"]]
    assert seen == ids
    assert_problem(world.client.get("/cases?limit=0", headers=world.auth("ian")), 422)
    assert_problem(world.client.get("/cases?limit=100000", headers=world.auth("ian")), 422)
    audit = world.client.get("/audit", params={"limit": 3}, headers=world.auth("ada")).json()
    assert len(audit["items"]) == 3 and audit["total"] > 3


def test_concurrent_finalize_one_wins(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    assert world.draft(case_id).status_code == 201
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    kinds: list[str] = []

    def finalize(user: str) -> None:
        barrier.wait()
        response = world.client.post(
            f"/cases/{case_id}/determination/final", json={}, headers=world.auth(user)
        )
        statuses.append(response.status_code)
        if response.status_code == 409:
            kinds.append(response.json()["kind"])

    threads = [threading.Thread(target=finalize, args=(u,)) for u in ("rev", "ada")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [200, 409]
    assert kinds == ["already-finalized"]
    versions = world.client.get(
        f"/cases/{case_id}/determination/versions", headers=world.auth("ada")
    ).json()
    assert sum(v["is_final"] for v in versions) == 1


def test_nul_characters_are_refused_not_stored(world: ApiWorld) -> None:
    application = example_application()
    application["parties"][0]["name"] = "Robin\x00Alvarez"
    assert_problem(
        world.client.post("/cases", json=application, headers=world.auth("ian")),
        422,
        "invalid-input",
    )
    assert_problem(
        world.client.get("/audit", params={"actor": "a\x00"}, headers=world.auth("ada")), 422
    )
    login = world.client.post("/auth/token", data={"username": "a\x00", "password": "x"})
    assert_problem(login, 422, "invalid-input")
    case_id = world.intake()
    upload = world.client.post(
        f"/cases/{case_id}/documents",
        files=[("files", ("nul.txt", b"pain\x00 in the shoulder", "text/plain"))],
        headers=world.auth("ian"),
    )
    assert_problem(upload, 422, "unsupported-encoding")  # binary posing as text


def test_stale_version_is_a_conflict(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    before = world.client.get(f"/cases/{case_id}", headers=world.auth("rev")).json()
    version = before["summary"]["version"]
    assert world.draft(case_id).status_code == 201  # moves the case version on
    stale = world.client.post(
        f"/cases/{case_id}/determination/final",
        json={"expected_version": version},
        headers=world.auth("rev"),
    )
    assert_problem(stale, 409, "concurrent-update")
    current = world.client.get(f"/cases/{case_id}", headers=world.auth("rev")).json()
    fresh = world.client.post(
        f"/cases/{case_id}/determination/final",
        json={"expected_version": current["summary"]["version"]},
        headers=world.auth("rev"),
    )
    assert fresh.status_code == 200, fresh.text


def test_request_bodies_are_not_logged(world: ApiWorld, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    case_id = world.intake()
    upload = world.client.post(
        f"/cases/{case_id}/documents",
        files=[("files", ("n.txt", b"Lumbar MRI shows an L4-5 protrusion.", "text/plain"))],
        headers=world.auth("ian"),
    )
    doc_id = upload.json()[0]["document_id"]
    world.client.get(f"/cases/{case_id}/documents/{doc_id}", headers=world.auth("ian"))
    world.client.post("/cases", json={"parties": [{"name": "Alvarez"}]}, headers=world.auth("ian"))
    logged = caplog.text
    for secret in ("Alvarez", "protrusion", "GP-55-1234", PASSWORD):
        assert secret not in logged
