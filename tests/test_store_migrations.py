"""Migrations: `upgrade` builds the whole schema on an empty database of each backend, and
the migrated database matches the SQLAlchemy metadata exactly (empty autogenerate diff)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from openimr.errors import StoreError
from openimr.store.engine import create_engine
from openimr.store.migrate import current_revision, head_revision, upgrade
from openimr.store.schema import APPEND_ONLY_TABLES, Base

pytest_plugins = ["conftest_store"]


def test_upgrade_creates_every_table(empty_store_url: str) -> None:
    assert current_revision(empty_store_url) is None
    assert upgrade(empty_store_url) == head_revision()
    engine = create_engine(empty_store_url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_upgrade_twice_is_a_no_op(empty_store_url: str) -> None:
    upgrade(empty_store_url)
    assert upgrade(empty_store_url) == head_revision()


def test_autogenerate_diff_is_empty(empty_store_url: str) -> None:
    upgrade(empty_store_url)
    engine = create_engine(empty_store_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_downgrade_to_base_removes_everything(empty_store_url: str) -> None:
    from alembic import command

    from openimr.store.migrate import alembic_config

    upgrade(empty_store_url)
    engine = create_engine(empty_store_url)
    try:
        with engine.begin() as connection:
            config = alembic_config(engine.url)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables <= {"alembic_version"}
    assert not tables & set(APPEND_ONLY_TABLES)


def test_sqlite_database_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    upgrade(f"sqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            fks = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    finally:
        engine.dispose()
    assert mode == "wal"
    assert fks == 1


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        upgrade("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


def test_unknown_backend_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        upgrade("nosuchdb://x/y")


def test_unmigrated_database_says_to_run_upgrade(empty_store_url: str) -> None:
    from openimr.store import operations as ops
    from openimr.store.engine import Database
    from openimr.store.testing import sample_application

    db = Database(empty_store_url)
    try:
        with pytest.raises(StoreError, match="openimr db upgrade"):
            ops.intake(db, sample_application(), actor="intake.clerk")
    finally:
        db.dispose()
