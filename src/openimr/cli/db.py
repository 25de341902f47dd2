"""`openimr db upgrade|current`: create or migrate the system-of-record database."""

from __future__ import annotations

import typer

from openimr.cli.common import EXIT_FAILED_INPUT, report_error
from openimr.errors import OpenIMRError

db_app = typer.Typer(help="Manage the OpenIMR database (SQLite file or PostgreSQL).")

URL_HELP = (
    "Database URL, e.g. sqlite:///cases.db or postgresql+psycopg://user@host/db. "
    "Default: $OPENIMR_DATABASE_URL, else ./openimr.db."
)


def _url_label(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    from openimr.store.engine import default_database_url

    raw = url or default_database_url()
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except Exception:
        return "the database URL"


@db_app.command("upgrade")
def upgrade(
    url: str | None = typer.Option(None, "--url", help=URL_HELP),
    revision: str = typer.Option("head", "--revision", help="Target revision."),
) -> None:
    """Create the tables, or bring an existing database up to the latest schema."""
    from openimr.store.migrate import upgrade as run_upgrade

    label = _url_label(url)
    try:
        reached = run_upgrade(url, revision=revision)
    except OpenIMRError as exc:
        report_error(label, exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    except Exception as exc:  # alembic: unknown revision and the like
        report_error(label, exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    typer.echo(f"{label}: at revision {reached}")


@db_app.command("current")
def current(url: str | None = typer.Option(None, "--url", help=URL_HELP)) -> None:
    """Print the database's schema revision ("none" when it was never migrated)."""
    from openimr.store.migrate import current_revision, head_revision

    label = _url_label(url)
    try:
        revision = current_revision(url)
    except OpenIMRError as exc:
        report_error(label, exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    state = "up to date" if revision == head_revision() else f"head is {head_revision()}"
    typer.echo(f"{label}: at revision {revision or 'none'} ({state})")


def register(app: typer.Typer) -> None:
    """Add `openimr db ...` to the main app."""
    app.add_typer(db_app, name="db")
