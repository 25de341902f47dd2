"""Run the store's Alembic migrations from code, so they work from an installed package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Engine, make_url

from openimr.errors import OpenIMRError, StoreError
from openimr.store.engine import create_engine, default_database_url
from openimr.store.guards import translate_errors

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
    url = target or default_database_url()
    try:
        return create_engine(url)
    except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ValueError) as exc:
        raise StoreError(f"not a usable database URL ({type(exc).__name__})") from exc


@contextmanager
def _reported(engine: Engine) -> Iterator[None]:
    """Database failures as StoreError naming the database (password hidden)."""
    try:
        with translate_errors():
            yield
    except OpenIMRError as exc:
        where = make_url(engine.url).render_as_string(hide_password=True)
        raise type(exc)(f"{where}: {exc}") from exc


def upgrade(target: str | URL | Engine | None = None, revision: str = "head") -> str | None:
    """Bring the database at `target` (URL or Engine) to `revision`; returns the new revision."""
    engine = _engine(target)
    try:
        with _reported(engine), engine.begin() as connection:
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
        with _reported(engine), engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if not isinstance(target, Engine):
            engine.dispose()
