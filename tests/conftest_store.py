"""Store fixtures (a pytest plugin: test modules load it with `pytest_plugins`).

`store_url` gives each test a clean, migrated database on every backend: SQLite in a
temporary file, and PostgreSQL when OPENIMR_TEST_POSTGRES_URL is set (skipped otherwise).
PostgreSQL tests get a database of their own, cloned from a template migrated once per
session (CREATE DATABASE ... TEMPLATE is fast), and dropped afterwards. When the account
may not create databases, each test falls back to dropping and recreating the `public`
schema of the given database and migrating it.
`empty_store_url` is the same without the migration (for the migration tests).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from openimr.store.engine import Database
from openimr.store.migrate import upgrade

POSTGRES_ENV = "OPENIMR_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@dataclass
class _PgServer:
    """Creates and drops per-test databases on the server of OPENIMR_TEST_POSTGRES_URL."""

    base_url: str
    template: str | None = None
    can_create: bool = True
    _next: Future[str] | None = None
    _executor: ThreadPoolExecutor | None = None

    def take_migrated(self) -> str:
        """A fresh copy of the template. The next copy is made in the background while the
        test runs (CREATE DATABASE waits for a checkpoint: about half a second)."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1)
        name = self._next.result() if self._next is not None else self._clone()
        self._next = self._executor.submit(self._clone)
        return name

    def _clone(self) -> str:
        name = f"openimr_t_{uuid.uuid4().hex[:12]}"
        self.create(name, self.template)
        return name

    def close(self) -> None:
        if self._next is not None:
            self.drop(self._next.result())
            self._next = None
        if self._executor is not None:
            self._executor.shutdown()

    def admin(self) -> sa.Engine:
        return sa.create_engine(self.base_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)

    def url_for(self, database: str) -> str:
        return make_url(self.base_url).set(database=database).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                source = f'TEMPLATE "{template}"' if template else "TEMPLATE template0"
                conn.exec_driver_sql(f'CREATE DATABASE "{name}" {source}')
        finally:
            engine.dispose()

    def drop(self, name: str) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            engine.dispose()

    def reset_public_schema(self) -> None:
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def _pg_server() -> Iterator[_PgServer | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    server = _PgServer(url)
    template = f"openimr_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        server.create(template, None)
    except sa.exc.ProgrammingError:  # no CREATEDB privilege: fall back to schema resets
        server.can_create = False
        yield server
        return
    try:
        upgrade(server.url_for(template))
        server.template = template
        yield server
    finally:
        server.close()
        server.drop(template)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


def _database_url(
    backend: str,
    migrated: bool,
    tmp_path: Path,
    sqlite_template: Path | None,
    pg: _PgServer | None,
) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "store.db"
        if migrated and sqlite_template is not None:
            shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if pg is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}")
    if not pg.can_create:
        pg.reset_public_schema()
        if migrated:
            upgrade(pg.base_url)
        yield pg.base_url
        return
    if migrated:
        name = pg.take_migrated()
    else:
        name = f"openimr_t_{uuid.uuid4().hex[:12]}"
        pg.create(name, None)
    try:
        yield pg.url_for(name)
    finally:
        pg.drop(name)


@pytest.fixture(params=BACKENDS)
def store_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    _sqlite_template: Path,
    _pg_server: _PgServer | None,
) -> Iterator[str]:
    """URL of a clean database at the head revision, one per test and backend."""
    yield from _database_url(request.param, True, tmp_path, _sqlite_template, _pg_server)


@pytest.fixture(params=BACKENDS)
def empty_store_url(
    request: pytest.FixtureRequest, tmp_path: Path, _pg_server: _PgServer | None
) -> Iterator[str]:
    """URL of an empty database (never migrated), one per test and backend."""
    yield from _database_url(request.param, False, tmp_path, None, _pg_server)


@pytest.fixture
def db(store_url: str) -> Iterator[Database]:
    database = Database(store_url)
    try:
        yield database
    finally:
        database.dispose()
