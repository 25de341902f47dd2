"""`openimr letter parse|render`: published letters to records and records to letters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openimr.cli.common import EXIT_FAILED_INPUT, report_error
from openimr.errors import OpenIMRError

letter_app = typer.Typer(help="Parse and render IMR Final Determination Letters.")


@letter_app.command("parse")
def parse(
    files: list[Path] = typer.Argument(..., help="Letters as PDF or text files."),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Report a failing file and go on with the rest."
    ),
) -> None:
    """Print one JSON record per letter, one per line, in input order."""
    from openimr.letters import parse_file

    failed = 0
    for path in files:
        try:
            record = parse_file(path)
        except (OpenIMRError, OSError) as exc:
            failed += 1
            report_error(str(path), exc)
            if not keep_going:
                raise typer.Exit(EXIT_FAILED_INPUT) from None
            continue
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(EXIT_FAILED_INPUT)


@letter_app.command("render")
def render(
    record_file: Path = typer.Argument(..., help="A Determination record as JSON."),
    fmt: str = typer.Option("txt", "--format", "-f", help="txt, html or pdf."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the letter."),
) -> None:
    """Render a Determination record as a generation-B letter."""
    from pydantic import ValidationError

    from openimr.letters import render_html, render_pdf, render_text
    from openimr.model import Determination

    renderers = {"txt": render_text, "html": render_html, "pdf": render_pdf}
    if fmt not in renderers:
        report_error(str(record_file), ValueError(f"unknown format {fmt!r}; use txt, html or pdf"))
        raise typer.Exit(EXIT_FAILED_INPUT)
    try:
        record = Determination.model_validate_json(record_file.read_bytes())
    except (OSError, ValidationError) as exc:
        report_error(str(record_file), _record_problem(exc))
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    try:
        letter = renderers[fmt](record)
    except OpenIMRError as exc:
        report_error(str(record_file), exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(letter, bytes):
            output.write_bytes(letter)
        else:
            output.write_text(letter, encoding="utf-8")
    except OSError as exc:
        report_error(str(output), exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    typer.echo(f"wrote {output}")


def _record_problem(exc: Exception) -> Exception:
    """A one-line description of why a record file was refused, naming fields, not values."""
    from pydantic import ValidationError

    from openimr.errors import InvalidRecord

    if not isinstance(exc, ValidationError):
        return exc
    errors = exc.errors(include_input=False, include_url=False)
    if any(error["type"] == "json_invalid" for error in errors):
        return InvalidRecord("not valid JSON")
    where = ", ".join(".".join(map(str, e["loc"])) or "(top level)" for e in errors[:3])
    more = f" and {len(errors) - 3} more" if len(errors) > 3 else ""
    return InvalidRecord(f"not a Determination record: {len(errors)} problem(s) at {where}{more}")


def register(app: typer.Typer) -> None:
    app.add_typer(letter_app, name="letter")
