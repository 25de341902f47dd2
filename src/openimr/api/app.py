"""The FastAPI application of the IMR workflow.

Request bodies are never logged (they carry medical records): the app adds no body
logging, and uvicorn's access log records method, path and status only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from openimr.api.auth import TokenSigner
from openimr.api.inputs import reject_nul
from openimr.api.problems import install_handlers, problem_responses
from openimr.api.routes import admin, auth, cases, letters, lifecycle, review
from openimr.store.engine import Database

DESCRIPTION = """\
System of record of California workers' compensation Independent Medical Review:
intake, eligibility, conflict-free reviewer assignment, deadlines, determinations and
letters. Authenticate with `POST /auth/token` and send `Authorization: Bearer <token>`.
Roles: **intake** and **admin** (staff), **reviewer** (assigned cases only), **analyst**
(published, redacted letters only). Errors are `application/problem+json` (RFC 9457).
"""


def create_app(
    database_url: str | None = None,
    *,
    secret: bytes | None = None,
    token_ttl_seconds: int = 3600,
) -> FastAPI:
    """An app over the database at `database_url` (default: $OPENIMR_DATABASE_URL or the
    embedded SQLite file). The schema must already be migrated (`openimr db upgrade`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.db.dispose()

    app = FastAPI(
        lifespan=lifespan,
        dependencies=[Depends(reject_nul)],
        title="OpenIMR",
        version="0.1.0",
        description=DESCRIPTION,
        responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
    )
    app.state.db = Database(database_url)
    app.state.signer = TokenSigner(secret, token_ttl_seconds)
    install_handlers(app)
    for module in (auth, cases, review, lifecycle, letters, admin):
        app.include_router(module.router)

    return app
