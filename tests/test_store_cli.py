"""`openimr db upgrade|current` through typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from openimr.cli import db as db_cli
from openimr.store.engine import DATABASE_URL_ENV, create_engine
from openimr.store.migrate import current_revision, head_revision
from openimr.store.schema import Base

pytest_plugins = ["conftest_store"]


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A root callback keeps `db` a subcommand group."""

    db_cli.register(app)
    return app


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_with_url(app: typer.Typer, empty_store_url: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade", "--url", empty_store_url])
    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()}" in result.output
    assert current_revision(empty_store_url) == head_revision()
    assert set(Base.metadata.tables) <= _tables(empty_store_url)
    current = CliRunner().invoke(app, ["db", "current", "--url", empty_store_url])
    assert current.exit_code == 0 and "up to date" in current.output


def test_upgrade_defaults_to_openimr_db_in_the_working_directory(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "openimr.db").is_file()
    assert "cases" in _tables(f"sqlite:///{tmp_path / 'openimr.db'}")


def test_upgrade_reads_the_url_from_the_environment(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sub" / "from-env.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{target}")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert target.is_file() and not (tmp_path / "openimr.db").exists()


@pytest.mark.parametrize(
    "url",
    [
        "nosuchdb://x/y",
        "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:9/none?connect_timeout=2",
    ],
)
def test_bad_url_is_one_line_error_without_password(app: typer.Typer, url: str) -> None:
    result = CliRunner().invoke(app, ["db", "upgrade", "--url", url])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "s3cret-pw" not in result.output
    assert "openimr:" in result.output and "store-error" in result.output


def test_unknown_revision_is_an_error(app: typer.Typer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = CliRunner().invoke(app, ["db", "upgrade", "--url", url, "--revision", "9999"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
