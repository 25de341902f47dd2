"""`POST /cases/{id}/records-complete`: the move to review and the recomputed deadlines,
role boundaries (401/403), the problem+json errors (409 invalid transition, 404, 422) and
the OpenAPI documentation, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from test_api_helpers import ApiWorld, assert_problem, make_world

pytest_plugins = ["conftest_store"]

PATH = "/cases/{case_id}/records-complete"


@pytest.fixture
def world(store_url: str) -> Iterator[ApiWorld]:
    w = make_world(store_url)
    with w.client:
        yield w


def _complete(world: ApiWorld, case_id: int, user: str = "ian", **body: Any) -> Any:
    return world.client.post(PATH.format(case_id=case_id), json=body, headers=world.auth(user))


def _detail(world: ApiWorld, case_id: int) -> dict[str, Any]:
    detail: dict[str, Any] = world.client.get(f"/cases/{case_id}", headers=world.auth("ada")).json()
    return detail


def test_records_complete_starts_review(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    response = _complete(world, case_id, received_on="2016-04-08", note="by fax")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "in_review" and body["records_complete_at"] == "2016-04-08"
    deadlines = {d["kind"]: d for d in body["deadlines"]}
    due = deadlines["determination_due"]
    assert due["basis"] == "records_complete" and due["basis_date"] == "2016-04-08"
    assert due["due"] == "2016-05-08"
    assert deadlines["records_due"]["met_on"] == "2016-04-08"
    detail = _detail(world, case_id)
    assert detail["summary"]["status"] == "in_review"
    assert detail["case"]["records_complete_at"] == "2016-04-08"
    assert detail["summary"]["version"] == body["case_version"]
    again = _complete(world, case_id, "ada", received_on="2016-04-09")
    assert_problem(again, 409, "invalid-transition")
    assert _detail(world, case_id)["case"]["records_complete_at"] == "2016-04-08"


def test_invalid_transition_is_conflict(world: ApiWorld) -> None:
    case_id = world.intake()
    assert_problem(_complete(world, case_id), 409, "invalid-transition")
    world.eligible(case_id)
    assert_problem(_complete(world, case_id, "ada"), 409, "invalid-transition")
    assert _detail(world, case_id)["summary"]["status"] == "eligible"


def test_determined_case_is_conflict(world: ApiWorld) -> None:
    final = world.finalized_case()
    assert_problem(_complete(world, final), 409, "invalid-transition")
    assert _detail(world, final)["summary"]["status"] == "determined"


def test_date_before_assignment_is_conflict(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    assert_problem(_complete(world, case_id, received_on="2016-03-01"), 409, "invalid-transition")
    assert _detail(world, case_id)["summary"]["status"] == "assigned"


def test_stale_version_is_conflict(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    version = _detail(world, case_id)["summary"]["version"]
    stale = _complete(world, case_id, received_on="2016-04-08", expected_version=version + 1)
    assert stale.status_code == 409, stale.text
    ok = _complete(world, case_id, received_on="2016-04-08", expected_version=version)
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("user", ["rev", "rex", "ana"])
def test_other_roles_are_forbidden(world: ApiWorld, user: str) -> None:
    case_id = world.assigned_case()
    assert_problem(_complete(world, case_id, user), 403, "forbidden")
    assert _detail(world, case_id)["summary"]["status"] == "assigned"


def test_unauthenticated(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    url = PATH.format(case_id=case_id)
    assert_problem(world.client.post(url, json={}), 401)
    bad = world.client.post(url, json={}, headers={"Authorization": "Bearer nope"})
    assert_problem(bad, 401)
    assert _detail(world, case_id)["summary"]["status"] == "assigned"


def test_bad_requests(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    assert_problem(_complete(world, 999_999), 404, "not-found")
    assert_problem(_complete(world, case_id, received_on="April 8"), 422, "validation-error")
    assert_problem(_complete(world, case_id, surprise=1), 422, "validation-error")
    response = world.client.post(PATH.format(case_id=2**31), json={}, headers=world.auth("ian"))
    assert_problem(response, 422, "validation-error")
    assert _detail(world, case_id)["summary"]["status"] == "assigned"


def test_no_body_means_today(world: ApiWorld) -> None:
    case_id = world.assigned_case()
    response = world.client.post(PATH.format(case_id=case_id), headers=world.auth("ian"))
    assert response.status_code == 200, response.text
    assert response.json()["records_complete_at"] >= "2016-03-30"


def test_openapi_documents_the_endpoint(world: ApiWorld) -> None:
    schema = world.client.get("/openapi.json").json()
    post = schema["paths"][PATH]["post"]
    for status in ("401", "403", "404", "409", "422"):
        assert "application/problem+json" in post["responses"][status]["content"], status
