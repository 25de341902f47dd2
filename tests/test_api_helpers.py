"""Shared setup of the API tests (imported by tests/test_api_*.py; holds no tests).

`ApiWorld` is an app over a fresh migrated store (SQLite, and PostgreSQL when configured)
with the example roster, one account per role, and helpers that run the workflow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from openimr.api import create_app, services
from openimr.store.engine import Database
from openimr.store.repositories.users import Role
from openimr.workflow.roster import read_roster

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "workflow"
PASSWORD = "correct-horse-battery-staple"
#: HS256 signing keys of at least 32 bytes (RFC 7518 §3.2): the app's, and a stranger's.
TEST_SECRET = b"openimr-test-signing-key-32-bytes"
FOREIGN_SECRET = b"somebody-else-signing-key-32-bytes"
#: the example case's best reviewer (tests/test_workflow_example.py) and another one
ASSIGNED_REVIEWER = "R-ORTH-02"
OTHER_REVIEWER = "R-PMR-02"
USERS = {
    "ada": (Role.ADMIN, None),
    "ian": (Role.INTAKE, None),
    "ana": (Role.ANALYST, None),
    "rev": (Role.REVIEWER, ASSIGNED_REVIEWER),
    "rex": (Role.REVIEWER, OTHER_REVIEWER),
}


def example_application(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "application.json").read_text())
    data.update(changes)
    return data


#: party strings of the example application that must never reach a public letter
PARTY_STRINGS = [
    "Robin T. Alvarez",
    "Alvarez",
    "1200 Harbor Street",
    "94612",
    "555-0142",
    "Jamie Ortiz",
    "Casey Nolan",
    "Nolan",
    "Redwood Logistics",
    "Golden Poppy",
    "Bay Claims",
    "Harborview",
    "Apex UR",
    "GP-55-1234",
    "ADJ9876543",
]


def draft_determination(decision: str = "upheld", rationale_extra: str = "") -> dict[str, Any]:
    """An invented draft whose free text names parties (the public letter must not)."""
    return {
        "priority": "standard",
        "dates": {
            "date_of_injury": "2015-06-01",
            "date_assigned": "2016-03-30",
            "decision_date": "2016-04-20",
            "ur_denial_date": "2016-03-01",
            "application_received": "2016-03-28",
        },
        "reviewer": {"licensure": ["Arizona"], "specialties": ["Orthopedic Surgery"]},
        "patient": {"age": 45, "sex": "female"},
        "clinical_summary": (
            "Robin Alvarez, of 1200 Harbor Street, Apt 4, Oakland, CA 94612, claim GP-55-1234, "
            "injured a shoulder at Redwood Logistics; Dr. Casey Nolan requested surgery at "
            "Harborview Surgical Pavilion. Apex UR LLC denied it for Golden Poppy Insurance Co."
        ),
        "items": [
            {
                "request": "Right shoulder arthroscopy with subacromial decompression",
                "decision": decision,
                "rationale": "The records from Dr. Nolan do not show failed conservative care."
                + rationale_extra,
                "reviewer_basis": {"cited": True, "citations": [], "text": "ACOEM shoulder"},
            },
            {
                "request": "Post-operative physical therapy 2x6",
                "decision": "upheld",
                "rationale": "The surgery is not necessary, so neither is its therapy.",
            },
        ],
    }


@dataclass
class ApiWorld:
    url: str
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def login(self, username: str, password: str = PASSWORD) -> str:
        response = self.client.post(
            "/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    # ---- workflow steps (as staff unless told) ----

    def intake(self, **changes: Any) -> int:
        response = self.client.post(
            "/cases", json=example_application(**changes), headers=self.auth("ian")
        )
        assert response.status_code == 201, response.text
        case_id: int = response.json()["case_id"]
        return case_id

    def eligible(self, case_id: int) -> None:
        response = self.client.post(
            f"/cases/{case_id}/eligibility",
            params={"as_of": "2016-03-29"},
            headers=self.auth("ian"),
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "eligible", response.json()

    def assign(self, case_id: int) -> dict[str, Any]:
        response = self.client.post(
            f"/cases/{case_id}/assignment", json={"as_of": "2016-03-30"}, headers=self.auth("ada")
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def draft(self, case_id: int, user: str = "rev", **kw: Any) -> Any:
        return self.client.post(
            f"/cases/{case_id}/determination/drafts",
            json={"determination": draft_determination(**kw)},
            headers=self.auth(user),
        )

    def assigned_case(self) -> int:
        case_id = self.intake()
        self.eligible(case_id)
        self.assign(case_id)
        return case_id

    def finalized_case(self) -> int:
        case_id = self.assigned_case()
        assert self.draft(case_id).status_code == 201
        response = self.client.post(
            f"/cases/{case_id}/determination/final", json={}, headers=self.auth("rev")
        )
        assert response.status_code == 200, response.text
        return case_id


def make_world(url: str) -> ApiWorld:
    """An app over `url` (migrated) with the example roster and one account per role."""
    db = Database(url)
    try:
        services.import_roster(db, read_roster(EXAMPLES / "roster.csv"), actor="setup")
        for name, (role, reviewer_id) in USERS.items():
            services.add_user(db, name, role, PASSWORD, actor="setup", reviewer_id=reviewer_id)
    finally:
        db.dispose()
    world = ApiWorld(url, TestClient(create_app(url, secret=TEST_SECRET)))
    world.tokens = {name: world.login(name) for name in USERS}
    return world


def assert_problem(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and kind)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:openimr:problem:")
    assert isinstance(body["title"], str) and body["title"]
    if kind is not None:
        assert body["kind"] == kind, body
    return body
