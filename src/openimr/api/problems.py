"""RFC 9457 problem details: every error of the API leaves as `application/problem+json`.

Messages come from the core's errors, which name records and fields, never clinical text.
Validation errors list where the input is wrong (`loc`) and why, never the rejected value.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from openimr import errors

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:openimr:problem:"

#: error class → HTTP status; the most specific class listed wins (walks the MRO)
STATUS_OF: dict[type[errors.OpenIMRError], int] = {
    errors.RecordNotFound: 404,
    errors.DuplicateRecord: 409,
    errors.Conflict: 409,
    errors.ImmutableRecord: 409,
    errors.InvalidTransition: 409,
    errors.ConsolidationError: 422,
    errors.DocumentTooLarge: 413,
    errors.DocumentError: 422,
    errors.IneligibleApplication: 422,
    errors.InvalidRecord: 422,
    errors.LetterFormatError: 422,
    errors.UnknownTreatment: 422,
    errors.RosterError: 422,
    errors.AuditDetailRejected: 500,
    errors.RuleTableError: 500,
    errors.KnowledgeBaseError: 500,
    errors.StoreError: 503,
    errors.OpenIMRError: 500,
}

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Unprocessable content",
    500: "Internal error",
    503: "Service unavailable",
}


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An error response (RFC 9457)."""

    type: str = Field(description="URI naming the kind of problem (urn:openimr:problem:KIND)")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    kind: str = Field(description="Short machine-readable kind (OpenIMRError.kind)")
    errors: list[ValidationIssue] | None = None
    mismatches: list[str] | None = Field(
        default=None, description="Why applications may not be consolidated (one per line)"
    )


class ApiProblem(Exception):
    """Raised by the API layer itself (authentication, authorization, bad parameters)."""

    def __init__(
        self, status: int, kind: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers


def status_for(exc: errors.OpenIMRError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 500


def problem_response(
    request: Request,
    status: int,
    kind: str,
    detail: str | None,
    *,
    issues: list[ValidationIssue] | None = None,
    headers: dict[str, str] | None = None,
    mismatches: list[str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=TYPE_PREFIX + kind,
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        kind=kind,
        errors=issues,
        mismatches=mismatches,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.OpenIMRError)
    async def _core(request: Request, exc: errors.OpenIMRError) -> JSONResponse:
        status = status_for(exc)
        detail = _first_line(exc) if status < 500 else "the server could not complete the request"
        return problem_response(request, status, exc.kind, detail)

    @app.exception_handler(errors.ConsolidationError)
    async def _consolidation(request: Request, exc: errors.ConsolidationError) -> JSONResponse:
        # one message per mismatch (application ids and rule names, no content)
        reasons = exc.problems
        return problem_response(
            request,
            status_for(exc),
            exc.kind,
            "the cases cannot be consolidated",
            mismatches=reasons or None,
        )

    @app.exception_handler(ApiProblem)
    async def _api(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.kind, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            ValidationIssue(
                loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
                msg=str(e.get("msg", "invalid")),
                type=str(e.get("type", "invalid")),
            )
            for e in exc.errors()
        ]  # the rejected input is left out on purpose: it may be a medical record
        return problem_response(
            request, 422, "validation-error", "the request is not valid", issues=issues
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        headers = getattr(exc, "headers", None)
        return problem_response(request, exc.status_code, kind, str(exc.detail), headers=headers)

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        # dates beyond the calendar, numbers out of range in core computations
        return problem_response(request, 422, "invalid-input", "a value is out of range")

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return problem_response(request, 422, "invalid-input", "a date or number is out of range")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries documenting problem+json errors."""
    ref = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "model": Problem,
            "description": _TITLES.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": ref}},
        }
        for status in statuses
    }
