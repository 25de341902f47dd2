"""`POST /cases/{id}/termination` and `POST /cases/{id}/consolidation`: role boundaries
(401/403), the problem+json errors (409 invalid transition, 422 mismatches listed) and
the OpenAPI documentation, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from test_api_helpers import ApiWorld, assert_problem, example_application, make_world

pytest_plugins = ["conftest_store"]

OTHER_ITEMS = [{"text_as_requested": "MRI of the right shoulder", "ur_action": "deny"}]


@pytest.fixture
def world(store_url: str) -> Iterator[ApiWorld]:
    w = make_world(store_url)
    with w.client:
        yield w


def _terminate(world: ApiWorld, case_id: int, user: str = "ian", **body: Any) -> Any:
    return world.client.post(f"/cases/{case_id}/termination", json=body, headers=world.auth(user))


def _consolidate(world: ApiWorld, case_id: int, cases: list[Any], user: str = "ian") -> Any:
    return world.client.post(
        f"/cases/{case_id}/consolidation", json={"cases": cases}, headers=world.auth(user)
    )


def _status(world: ApiWorld, case_id: int) -> str:
    detail = world.client.get(f"/cases/{case_id}", headers=world.auth("ada")).json()
    status: str = detail["summary"]["status"]
    return status


def test_whole_case_termination(world: ApiWorld) -> None:
    case_id = world.intake()
    response = _terminate(world, case_id, authorized_on="2016-04-02", note="per fax")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["terminated"] is True and body["status"] == "terminated"
    assert body["authorized_items"] == [0, 1] and body["pending_items"] == []
    detail = world.client.get(f"/cases/{case_id}", headers=world.auth("ada")).json()
    assert detail["case"]["terminated_at"] == "2016-04-02"
    assert detail["summary"]["version"] == body["case_version"]
    again = _terminate(world, case_id)
    assert_problem(again, 409, "invalid-transition")


def test_item_by_item(world: ApiWorld) -> None:
    case_id = world.intake()
    world.eligible(case_id)
    first = _terminate(world, case_id, "ada", items=["Post-operative physical therapy 2x6"])
    assert first.status_code == 200, first.text
    assert first.json()["terminated"] is False
    assert first.json()["pending_items"] == [0]
    assert _status(world, case_id) == "eligible"
    unknown = _terminate(world, case_id, items=["Acupuncture"])
    assert_problem(unknown, 422, "invalid-record")
    second = _terminate(world, case_id, items=[0], authorized_on="2016-04-03")
    assert second.json()["terminated"] is True
    assert _status(world, case_id) == "terminated"


def test_finalized_case_is_conflict(world: ApiWorld) -> None:
    case_id = world.finalized_case()
    assert_problem(_terminate(world, case_id, "ada"), 409, "immutable-record")
    assert _status(world, case_id) == "determined"


@pytest.mark.parametrize("user", ["rev", "rex", "ana"])
def test_other_roles_are_forbidden(world: ApiWorld, user: str) -> None:
    case_id = world.assigned_case()
    other = world.intake(application_id="EX-2016-000102", disputed_items=OTHER_ITEMS)
    assert_problem(_terminate(world, case_id, user), 403, "forbidden")
    assert_problem(_consolidate(world, case_id, [other], user), 403, "forbidden")
    assert _status(world, case_id) == "assigned"
    assert _status(world, other) == "received"


def test_unauthenticated(world: ApiWorld) -> None:
    case_id = world.intake()
    for path, body in (("termination", {}), ("consolidation", {"cases": [1]})):
        response = world.client.post(f"/cases/{case_id}/{path}", json=body)
        assert_problem(response, 401)
        bad = world.client.post(
            f"/cases/{case_id}/{path}", json=body, headers={"Authorization": "Bearer nope"}
        )
        assert_problem(bad, 401)
    assert _status(world, case_id) == "received"


def test_consolidation_by_case_number(world: ApiWorld) -> None:
    lead = world.intake()
    world.eligible(lead)
    other = world.intake(application_id="EX-2016-000102", disputed_items=OTHER_ITEMS)
    world.eligible(other)
    number = world.client.get(f"/cases/{other}", headers=world.auth("ian")).json()["summary"][
        "case_number"
    ]
    response = _consolidate(world, lead, [number], "ada")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["merged_case_ids"] == [other]
    assert body["application_ids"] == ["EX-2016-000101", "EX-2016-000102"]
    assert _status(world, other) == "consolidated"
    detail = world.client.get(f"/cases/{lead}", headers=world.auth("ada")).json()
    assert detail["case"]["consolidated_with"] == ["EX-2016-000102"]
    # consolidating again: the absorbed case is no longer eligible
    again = assert_problem(_consolidate(world, lead, [other]), 422, "consolidation-error")
    assert any("cannot be consolidated" in m for m in again["mismatches"])


def test_consolidation_mismatches_listed(world: ApiWorld) -> None:
    lead = world.intake()
    world.eligible(lead)
    app = example_application(application_id="EX-2016-000103", disputed_items=OTHER_ITEMS)
    app["date_of_injury"] = "2015-07-01"
    for party in app["parties"]:
        if party["role"] == "requesting_physician":
            party["name"] = "Dr. Morgan Lee"
    other = world.intake(**app)
    response = _consolidate(world, lead, [other])
    body = assert_problem(response, 422, "consolidation-error")
    mismatches = body["mismatches"]
    assert "EX-2016-000103: different requesting physician" in mismatches
    assert "EX-2016-000103: different date of injury" in mismatches
    assert any("status received" in m for m in mismatches)
    assert "Morgan" not in response.text and "Alvarez" not in response.text
    assert _status(world, other) == "received"


def test_consolidation_unknown_case(world: ApiWorld) -> None:
    lead = world.intake()
    assert_problem(_consolidate(world, lead, [999_999]), 404, "not-found")
    assert_problem(_consolidate(world, lead, ["CM16-0999999"]), 404, "not-found")
    assert_problem(_consolidate(world, lead, []), 422, "validation-error")
    assert_problem(_consolidate(world, lead, [2**31]), 422, "validation-error")
    assert_problem(_consolidate(world, lead, ["CM16-12"]), 422, "validation-error")
    assert_problem(_terminate(world, lead, items=[-1]), 422, "validation-error")
    assert_problem(_terminate(world, 999_999), 404, "not-found")


def test_openapi_documents_the_endpoints(world: ApiWorld) -> None:
    schema = world.client.get("/openapi.json").json()
    for path in ("/cases/{case_id}/termination", "/cases/{case_id}/consolidation"):
        post = schema["paths"][path]["post"]
        for status in ("401", "403", "404", "409", "422"):
            content = post["responses"][status]["content"]
            assert "application/problem+json" in content, (path, status)
    problem = schema["components"]["schemas"]["Problem"]["properties"]
    assert "mismatches" in problem
