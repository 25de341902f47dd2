"""Workflow commands: `openimr serve`, `reviewers import`, `users add`, `intake`,
`eligibility`, `assign`, `records-complete`, `terminate`, `consolidate`, `draft`, `finalize`,
`letters` — thin over `openimr.api.services`, the same units of work the HTTP API runs.
Output names records and outcomes, never clinical text.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from openimr.cli.common import EXIT_FAILED_INPUT, report_error

if TYPE_CHECKING:
    from openimr.model.determination import Basis
    from openimr.store.engine import Database

URL_HELP = "Database URL (default: $OPENIMR_DATABASE_URL, else ./openimr.db)."
PASSWORD_ENV = "OPENIMR_USER_PASSWORD"
ROLES = ("intake", "reviewer", "admin", "analyst")

reviewers_app = typer.Typer(help="The reviewer roster.", no_args_is_help=True)
users_app = typer.Typer(help="API accounts.", no_args_is_help=True)


def _actor() -> str:
    """The audit actor of a CLI run: $OPENIMR_ACTOR, else cli:<login name>."""
    raw = os.environ.get("OPENIMR_ACTOR") or f"cli:{getpass.getuser()}"
    return re.sub(r"[^A-Za-z0-9_.:@/+\-]", "_", raw)[:80] or "cli"


@contextmanager
def _session(url: str | None, source: str) -> Iterator[Database]:
    """The database (an embedded SQLite file is migrated first); errors → one line, exit 2."""
    from openimr.errors import OpenIMRError
    from openimr.store.engine import Database, default_database_url, is_sqlite
    from openimr.store.migrate import upgrade

    db = None
    try:
        target = url or default_database_url()
        if is_sqlite(target):
            upgrade(target)
        db = Database(target)
        yield db
    except (OpenIMRError, ValueError, OSError) as exc:
        report_error(source, exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    finally:
        if db is not None:
            db.dispose()


def _case_id(db: Database, case: str) -> int:
    """A case by id ("12") or by IMR case number ("CM16-0000012")."""
    from openimr.store.repositories.cases import CaseRepository

    if case.isdigit():
        return int(case)
    with db.read() as session:
        return CaseRepository(session).by_case_number(case).id


@reviewers_app.command("import")
def reviewers_import(
    roster: Path = typer.Argument(..., help="Roster CSV (see openimr.workflow.roster)."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Insert or update reviewers from a roster CSV; every bad row is reported."""
    from openimr.api import services
    from openimr.workflow.roster import read_roster

    with _session(database_url, roster.name) as db:
        profiles = read_roster(roster)
        created, updated = services.import_roster(db, profiles, actor=_actor())
    typer.echo(f"{roster.name}: {len(profiles)} reviewer(s), {created} new, {updated} updated")


@users_app.command("add")
def users_add(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., "--role", help="intake, reviewer, admin or analyst."),
    reviewer_id: str | None = typer.Option(
        None, "--reviewer-id", help="Roster id (reviewer accounts)."
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Create an account; the password comes from $OPENIMR_USER_PASSWORD or a prompt."""
    from openimr.api import services
    from openimr.store.repositories.users import Role

    if role not in ROLES:
        report_error(username, ValueError(f"role must be one of {', '.join(ROLES)}"))
        raise typer.Exit(EXIT_FAILED_INPUT)
    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with _session(database_url, username) as db:
        services.add_user(
            db, username, Role(role), password, actor=_actor(), reviewer_id=reviewer_id
        )
    typer.echo(f"user {username} ({role}) created")


def intake(
    application: Path = typer.Argument(..., help="DWC Form IMR fields as JSON."),
    document: list[Path] = typer.Option([], "--document", help="Attach a file (repeatable)."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """File an application (and its documents) as a new case; prints the case id and number."""
    from pydantic import ValidationError

    from openimr.api import services
    from openimr.model.case import Application

    try:
        app = Application.model_validate_json(application.read_bytes())
    except (OSError, ValidationError) as exc:
        fields = ""
        if isinstance(exc, ValidationError):
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors()[:5])
        report_error(application.name, ValueError(f"not a valid application ({fields})"))
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    with _session(database_url, application.name) as db:
        docs = [services.document_input(p.name, p.read_bytes()) for p in document]
        result = services.intake(db, app, docs, actor=_actor())
    typer.echo(
        json.dumps(
            {
                "case_id": result.case_id,
                "case_number": result.case_number,
                "document_ids": list(result.document_ids),
            }
        )
    )


def eligibility(
    case: str = typer.Argument(..., help="Case id or case number."),
    as_of: str | None = typer.Option(None, "--as-of", help="Decision date (YYYY-MM-DD)."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Screen the case (every failing reason); prints outcome, status and reason codes."""
    from openimr.api import services

    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        day = date.fromisoformat(as_of) if as_of else None
        after = services.eligibility(db, case_id, actor=_actor(), as_of=day)
        result = services.latest_eligibility(db, case_id)
    out = {
        "case_id": case_id,
        "status": after.status.value,
        "outcome": result.outcome.value if result else None,
        "reasons": [r.code.value for r in result.reasons] if result else [],
        "review_type": after.review_type.value,
    }
    typer.echo(json.dumps(out))


def assign(
    case: str = typer.Argument(..., help="Case id or case number."),
    reviewer: str | None = typer.Option(None, "--reviewer", help="Choose this candidate."),
    as_of: str | None = typer.Option(None, "--as-of", help="Assignment date (YYYY-MM-DD)."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Assign a qualified, conflict-free reviewer; prints the id and every exclusion."""
    from openimr.api import services

    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        day = date.fromisoformat(as_of) if as_of else None
        chosen, result = services.assign(
            db, case_id, actor=_actor(), reviewer_id=reviewer, as_of=day
        )
    out = {
        "case_id": case_id,
        "reviewer_id": chosen,
        "candidates": [c.reviewer_id for c in result.candidates],
        "exclusions": [
            {"reviewer_id": e.reviewer_id, "rule_id": e.rule_id, "message": e.message}
            for e in result.exclusions
        ],
    }
    typer.echo(json.dumps(out, indent=2))


def _basis_line(basis: Basis | None) -> str:
    """The guideline basis of an item in one line: its citations, else the basis text."""
    if basis is None:
        return "no guideline basis"
    if basis.citations:
        parts = []
        for c in basis.citations:
            where = ", ".join(x for x in (c.section, f"p. {c.pages}" if c.pages else None) if x)
            parts.append(f"{c.source.value} {c.title}" + (f", {where}" if where else ""))
        return "; ".join(parts)
    return basis.text or ("cited, no reference given" if basis.cited else "no guideline cited")


def draft(
    case: str = typer.Argument(..., help="Case id or case number."),
    note: str | None = typer.Option(None, "--note", help="A note saved with the version."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Save the determination engine's draft for the case (as `POST
    /cases/{id}/determination/drafts` with an empty body); prints each item's decision and
    guideline basis. Items the engine cannot decide are left for the reviewer."""
    from openimr.api import services

    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        result = services.save_engine_draft(db, case_id, actor=_actor(), note=note)
    det = result.determination
    typer.echo(
        f"case {case_id} ({det.case_number}): engine draft, version {result.saved.version_no}"
    )
    for n, item in enumerate(det.items, start=1):
        decision = item.decision.value if item.decision else "no decision (left to the reviewer)"
        typer.echo(f"  {n}. {item.request}: {decision}")
        typer.echo(f"     basis: {_basis_line(item.reviewer_basis)}")


def finalize(
    case: str = typer.Argument(..., help="Case id or case number."),
    determination: Path | None = typer.Option(
        None, "--determination", help="Determination JSON to save as a draft first."
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Finalize the case's latest draft (or the given determination). Exit 2 when the case
    is already final (exactly one finalization per case)."""
    from pydantic import ValidationError

    from openimr.api import services
    from openimr.model.determination import Determination

    det = None
    if determination is not None:
        try:
            det = Determination.model_validate_json(determination.read_bytes())
        except (OSError, ValidationError):
            report_error(determination.name, ValueError("not a valid determination record"))
            raise typer.Exit(EXIT_FAILED_INPUT) from None
    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        result = services.finalize(db, case_id, det, actor=_actor())
    typer.echo(f"case {case_id}: final version {result.version_no}")


def letters(
    case: str = typer.Argument(..., help="Case id or case number."),
    out: Path = typer.Option(..., "-o", "--out", help="Directory to write the letters to."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Issue the parties' and the public (redacted) letters, text and PDF, and write them."""
    from openimr.api import services
    from openimr.store.repositories.letters import LetterRepository

    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        with db.read() as session:
            issued = LetterRepository(session).for_case(case_id)
        if not issued:
            services.issue_letters(db, case_id, actor=_actor())
        out.mkdir(parents=True, exist_ok=True)
        with db.read() as session:
            repo = LetterRepository(session)
            for row in repo.for_case(case_id):
                path = out / f"case-{case_id}-{row.audience}.{row.format}"
                path.write_bytes(repo.content(row.id))
                typer.echo(str(path))


def terminate(
    case: str = typer.Argument(..., help="Case id or case number."),
    item: list[str] = typer.Option(
        [],
        "--item",
        help="An authorized disputed item: its text as requested or its 0-based index "
        "(repeatable); none: the whole case.",
    ),
    on: str | None = typer.Option(None, "--date", help="Authorization date (YYYY-MM-DD)."),
    note: str | None = typer.Option(None, "--note", help="A short note for the history."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """The claims administrator authorized the treatment: the whole case or item by item;
    the IMR ends once no item is left in dispute (8 CCR 9792.10.6(a))."""
    from openimr.api import services

    items: list[int | str] | None = [int(i) if i.isdigit() else i for i in item] or None
    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        day = date.fromisoformat(on) if on else None
        result = services.terminate(db, case_id, actor=_actor(), items=items, on=day, note=note)
    out = {
        "case_id": case_id,
        "status": result.status.value,
        "terminated": result.terminated,
        "authorized_items": list(result.authorized_items),
        "pending_items": list(result.pending_items),
    }
    typer.echo(json.dumps(out))


def records_complete(
    case: str = typer.Argument(..., help="Case id or case number."),
    on: str | None = typer.Option(None, "--date", help="Day records were complete (YYYY-MM-DD)."),
    note: str | None = typer.Option(None, "--note", help="A short note for the history."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """The claims administrator's records are complete: an assigned case goes to review and
    the determination deadline counts from this day; prints status and deadlines."""
    from openimr.api import services

    with _session(database_url, case) as db:
        case_id = _case_id(db, case)
        day = date.fromisoformat(on) if on else None
        result = services.records_complete(db, case_id, actor=_actor(), on=day, note=note)
    out = {
        "case_id": case_id,
        "status": result.status.value,
        "records_complete_at": result.records_complete_at.isoformat(),
        "deadlines": {d.kind.value: d.due.isoformat() for d in result.deadlines},
    }
    typer.echo(json.dumps(out))


def consolidate(
    lead: str = typer.Argument(..., help="The lead case: id or case number."),
    others: list[str] = typer.Argument(..., help="Cases to merge into it."),
    as_of: str | None = typer.Option(None, "--as-of", help="Consolidation date (YYYY-MM-DD)."),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Merge applications of the same worker, requesting physician and injury date into the
    lead case; exit 2 listing every mismatch otherwise."""
    from openimr.api import services

    with _session(database_url, lead) as db:
        day = date.fromisoformat(as_of) if as_of else None
        result = services.consolidate(db, lead, others, actor=_actor(), as_of=day)
    out = {
        "lead_id": result.lead_id,
        "merged_case_ids": list(result.merged_case_ids),
        "application_ids": list(result.application_ids),
    }
    typer.echo(json.dumps(out))


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    database_url: str | None = typer.Option(None, "--database-url", help=URL_HELP),
) -> None:
    """Run the HTTP API (uvicorn). An embedded SQLite database is migrated on start."""
    import uvicorn

    from openimr.api import create_app
    from openimr.store.engine import default_database_url

    url = database_url or default_database_url()
    with _session(url, "serve"):
        pass  # migrate (SQLite) and check the URL before binding the port
    uvicorn.run(create_app(url), host=host, port=port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add the workflow commands to the main app."""
    app.add_typer(reviewers_app, name="reviewers")
    app.add_typer(users_app, name="users")
    commands = (serve, intake, eligibility, assign, terminate, consolidate)
    for command in (*commands, draft, finalize, letters):
        app.command(command.__name__)(command)
    app.command("records-complete")(records_complete)
