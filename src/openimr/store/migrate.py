"""Run the store's Alembic migrations from code, so they work from an installed package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Engine

from openimr.store.engine import create_engine, default_database_url

SCRIPT_LOCATION = "openimr.store:migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    rendered = rendered or default_database_url()
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migration folder has no revisions")
    return head


def _engine(target: str | URL | Engine | None) -> Engine:
    if isinstance(target, Engine):
        return target
    return create_engine(target or default_database_url())


def upgrade(target: str | URL | Engine | None = None, revision: str = "head") -> str | None:
    """Bring the database at `target` (URL or Engine) to `revision`; returns the new revision."""
    engine = _engine(target)
    try:
        with engine.begin() as connection:
            config = alembic_config(engine.url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        return current_revision(engine)
    finally:
        if not isinstance(target, Engine):
            engine.dispose()


def current_revision(target: str | URL | Engine | None = None) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = _engine(target)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if not isinstance(target, Engine):
            engine.dispose()
