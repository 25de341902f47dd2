"""Property-based run of schemathesis against the OpenAPI schema, as an admin, on SQLite
and PostgreSQL: valid and invalid requests to every operation; no 5xx, every response
matches its documented status code, content type and schema."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from test_api_helpers import make_world

MAX_EXAMPLES = 15
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


pytest_plugins = ["conftest_store"]


@pytest.fixture
def admin_app(store_url: str) -> Any:
    world = make_world(store_url)
    case_id = world.assigned_case()  # some data behind the ids the fuzzer will try
    assert world.draft(case_id).status_code == 201
    app = world.client.app
    app.state.admin_headers = world.auth("ada")  # type: ignore[attr-defined]
    return app


@pytest.mark.slow
def test_api_conforms_to_its_schema(admin_app: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", admin_app)
    headers = admin_app.state.admin_headers
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation, mode in itertools.product(operations, MODES):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:  # no invalid input exists for this operation (negative mode)
            assert mode is GenerationMode.NEGATIVE
