"""Database connection: URL defaults, per-connection settings, explicit transactions.

SQLite (the embedded default) gets WAL journaling, foreign keys, a busy timeout and
`synchronous=FULL` on every connection. pysqlite's own transaction handling is switched off
(it defers BEGIN until the first write, which breaks isolation); we emit `BEGIN` ourselves,
and `BEGIN IMMEDIATE` for write units of work, so two writers queue on the database lock
instead of failing half-way with "database is locked" when a read lock cannot be upgraded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from openimr.store.guards import install_guards, translate_errors

DEFAULT_SQLITE_FILE = "openimr.db"
DATABASE_URL_ENV = "OPENIMR_DATABASE_URL"
#: how long a writer waits for the SQLite lock before giving up (milliseconds)
SQLITE_BUSY_TIMEOUT_MS = 15_000
#: execution option naming how a SQLite transaction begins ("DEFERRED" or "IMMEDIATE")
_BEGIN_OPTION = "openimr_sqlite_begin"


def default_database_url() -> str:
    """$OPENIMR_DATABASE_URL, else an SQLite file in the current directory."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{Path(DEFAULT_SQLITE_FILE)}"


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An Engine with OpenIMR's per-connection settings for SQLite or PostgreSQL."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An engine plus the two ways in: a write unit of work and a read-only session.

    >>> db = Database("sqlite:///cases.sqlite3")
    >>> with db.transaction() as session:   # one use case, committed on exit
    ...     ...
    """

    def __init__(self, url: str | URL | None = None, **engine_kwargs: Any) -> None:
        self.url = make_url(url or default_database_url())
        self.engine = create_engine(self.url, **engine_kwargs)
        write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._write_sessions = sessionmaker(write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_guards(self._write_sessions)
        install_guards(self._read_sessions)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: everything inside commits together or not at all.

        Database errors leave as `StoreError` subclasses (see `guards.translate_errors`).
        """
        with translate_errors(), self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closed (never committed) on exit. Objects read stay
        usable afterwards as detached copies (their attributes are not expired)."""
        with translate_errors(), self._read_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()
