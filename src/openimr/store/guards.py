"""Two layers that keep history unrewritable and turn database errors into store errors.

1. `install_guards`: before a flush, refuse (ImmutableRecord) changes to append-only rows
   and to final determination versions, so the ORM never even sends the statement.
2. The database triggers of the migration refuse the same for anyone else who connects;
   `translate_errors` maps what they (and unique indexes, locks, version checks) raise to
   the `StoreError` family. Messages name tables and constraints, never stored values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from openimr.errors import (
    AlreadyFinalized,
    ConcurrentUpdate,
    Conflict,
    DuplicateRecord,
    ImmutableRecord,
    OpenIMRError,
    StoreError,
)
from openimr.store.schema import APPEND_ONLY_TABLES, FROZEN_WHEN

#: the partial unique index allowing one final determination per case
FINAL_INDEX = "uq_determination_versions_final_case"
#: PostgreSQL SQLSTATEs that mean "another transaction got there first: try again"
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_SQLITE_UNIQUE = re.compile(r"unique constraint failed: ([\w., ]+)", re.IGNORECASE)


def install_guards(factory: sessionmaker[Session]) -> None:
    """Refuse, at flush time, updates and deletes of rows the database also protects."""
    event.listen(factory, "before_flush", _before_flush)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table is None:
            continue
        deleting = obj in session.deleted
        if table in APPEND_ONLY_TABLES and (deleting or session.is_modified(obj)):
            raise ImmutableRecord(f"{table} is append-only: rows cannot be changed or deleted")
        flag = FROZEN_WHEN.get(table)
        if flag is not None and (deleting or session.is_modified(obj)) and _was(obj, flag):
            raise ImmutableRecord(f"{table}: a final row cannot be changed or deleted")


def _was(obj: Any, flag: str) -> bool:
    """The flag's value as last loaded from (or written to) the database."""
    history = sa_inspect(obj).attrs[flag].history
    if history.deleted:
        return bool(history.deleted[0])
    if history.unchanged:
        return bool(history.unchanged[0])
    return bool(getattr(obj, flag, False)) and not history.added


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise database and ORM errors as `StoreError` subclasses."""
    try:
        yield
    except OpenIMRError:
        raise
    except StaleDataError as exc:
        raise ConcurrentUpdate("the record changed since it was read: reload it") from exc
    except sa_exc.DBAPIError as exc:
        raise translate(exc) from exc
    except sa_exc.SQLAlchemyError as exc:
        raise StoreError(f"database error ({type(exc).__name__})") from exc


def translate(exc: sa_exc.DBAPIError) -> StoreError:
    """The store error for one driver error (see module doc)."""
    orig = exc.orig
    message = str(orig).splitlines()[0] if orig is not None else ""
    lowered = message.lower()
    if "is append-only" in lowered or "final rows are immutable" in lowered:
        return ImmutableRecord(_guard_message(message))
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) if diag is not None else None
    table = getattr(diag, "table_name", None) if diag is not None else None
    if isinstance(exc, sa_exc.IntegrityError):
        unique = sqlstate == "23505" or "unique constraint failed" in lowered
        if unique:
            where = constraint or _sqlite_unique_columns(message) or "a unique key"
            if _is_final_index(where):
                return AlreadyFinalized("the case already has a final determination")
            if "determination_versions" in where and "version_no" in where:
                return ConcurrentUpdate("another version of this determination was saved first")
            return DuplicateRecord(f"a record with the same key already exists ({where})")
        where = constraint or table or "a constraint"
        return StoreError(f"the database refused the change ({where})")
    if sqlstate == "42P01" or "no such table" in lowered:
        return StoreError("the database lacks OpenIMR tables: run `openimr db upgrade`")
    if sqlstate in _RETRYABLE_SQLSTATES:
        return Conflict("another transaction holds or changed the same records: try again")
    if "database is locked" in lowered or "database is busy" in lowered:
        return Conflict("the database is busy with another writer: try again")
    return StoreError(f"database error ({type(orig).__name__ if orig else type(exc).__name__})")


def _guard_message(message: str) -> str:
    match = re.search(r"(\w+)( is append-only|: final rows are immutable)", message)
    return match.group(0) if match else "the record is immutable"


def _sqlite_unique_columns(message: str) -> str | None:
    match = _SQLITE_UNIQUE.search(message)
    return match.group(1).strip() if match else None


def _is_final_index(where: str) -> bool:
    """PostgreSQL names the index; SQLite names only its columns (case_id alone)."""
    return where == FINAL_INDEX or where.replace(" ", "") == "determination_versions.case_id"
