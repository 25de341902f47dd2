"""`openimr facts CASE_FILE [--json]`: the clinical facts of a case file, with their evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from openimr.cli.common import EXIT_FAILED_INPUT, report_error
from openimr.errors import OpenIMRError

_SCALARS = (
    "age",
    "sex",
    "date_of_injury",
    "mechanism",
    "physical_exam_documented",
    "rfa_present",
    "latest_note_date",
)


def _describe(item: dict[str, Any]) -> str:
    skip = {"evidence", "context"}
    parts = [f"{k}={v}" for k, v in item.items() if k not in skip and v not in (None, [], "")]
    return ", ".join(parts)


def _print_text(facts: Any) -> None:
    data = facts.model_dump(mode="json", exclude={"text"})
    for name in _SCALARS:
        if data.get(name) is not None:
            typer.echo(f"{name}: {data[name]}")
    for name in type(facts).fact_list_names():
        items = data.get(name) or []
        if not items:
            continue
        typer.echo(f"{name}:")
        for item in items:
            evidence = " | ".join(
                " ".join(facts.text[s["start"] : s["end"]].split()) for s in item["evidence"][:3]
            )
            context = item.get("context", "affirmed")
            typer.echo(f"  - [{context}] {_describe(item)}")
            if evidence:
                typer.echo(f"      evidence: {evidence}")
    for warning in facts.warnings:
        typer.echo(f"warning: {warning}")


def facts_command(
    case_file: Path = typer.Argument(..., help="A case file as PDF or text."),
    as_json: bool = typer.Option(False, "--json", help="Print the facts as JSON."),
    summary: bool = typer.Option(False, "--summary", help="Also print the case summary."),
) -> None:
    """Print the clinical facts of a case file with the evidence each rests on."""
    from openimr.clinical import extract_document, extract_facts, summarize
    from openimr.documents import load_document
    from openimr.errors import EmptyDocument

    try:
        try:
            facts = extract_document(load_document(case_file))
        except EmptyDocument:
            # An empty case file has no facts: say so as the library does, not as a failure.
            facts = extract_facts("")
    except (OpenIMRError, OSError) as exc:
        report_error(str(case_file), exc)
        raise typer.Exit(EXIT_FAILED_INPUT) from None
    if as_json:
        data = facts.model_dump(mode="json")
        if summary:
            data["summary"] = summarize(facts)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_text(facts)
    if summary:
        typer.echo("")
        typer.echo(summarize(facts))


def register(app: typer.Typer) -> None:
    """Add `openimr facts` to the main app."""
    app.command("facts")(facts_command)
