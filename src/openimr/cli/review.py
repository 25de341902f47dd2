"""`openimr determine` and `openimr evaluate`: run the determination engine and measure it."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

from openimr.cli.common import EXIT_FAILED_INPUT, report_error
from openimr.errors import OpenIMRError


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--date must be YYYY-MM-DD, got {value!r}") from None


def determine_cmd(
    case_files: list[Path] = typer.Argument(..., help="Case files (clinical text/PDF) or letters."),
    item: list[str] = typer.Option([], "--item", help="A disputed item (repeatable)."),
    on: str | None = typer.Option(
        None, "--date", help="Request date YYYY-MM-DD (selects the era)."
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON record per case, per line."),
    letter: str | None = typer.Option(None, "--letter", help="Write a letter: txt, html or pdf."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Letter output path."),
) -> None:
    """Decide each disputed item of each case."""
    from openimr.review.case import case_facts, case_items, decision_date, load_case
    from openimr.review.decide import determine

    when = _parse_date(on)
    if letter is not None and (letter not in ("txt", "html", "pdf") or output is None):
        report_error("--letter", ValueError("use --letter txt|html|pdf with -o OUT"))
        raise typer.Exit(EXIT_FAILED_INPUT)
    if letter is not None and len(case_files) > 1:
        report_error("--letter", ValueError("a letter is written for one case file at a time"))
        raise typer.Exit(EXIT_FAILED_INPUT)
    failed = 0
    for path in case_files:
        try:
            case = load_case(path)
            facts = case_facts(case)
            result = determine(
                facts, case_items(case, facts, list(item)), decision_date(case, facts, when)
            )
        except (OpenIMRError, OSError) as exc:
            failed += 1
            report_error(str(path), exc)
            continue
        if as_json:
            sys.stdout.write(json.dumps(result.model_dump(mode="json"), ensure_ascii=False) + "\n")
        else:
            for decided in result.items:
                outcome = decided.decision.value if decided.decision else decided.status.value
                sys.stdout.write(f"{path.name}: {decided.request}: {outcome}\n")
                if decided.rationale:
                    sys.stdout.write(f"  {decided.rationale}\n")
        if letter is not None and output is not None:
            from openimr.letters import render_html, render_pdf, render_text

            if letter == "pdf":
                output.write_bytes(render_pdf(result))
            else:
                render = render_text if letter == "txt" else render_html
                output.write_text(render(result), encoding="utf-8")
    if failed:
        raise typer.Exit(EXIT_FAILED_INPUT)


def _pairs(paths: list[Path]) -> tuple[list[Any], int]:
    from openimr.review.case import case_facts, decision_date, load_case
    from openimr.review.decide import determine
    from openimr.review.metrics import UNDECIDED, Pair

    pairs: list[Pair] = []
    failed = 0
    for path in paths:
        try:
            case = load_case(path)
            if case.letter is None:
                raise OpenIMRError("not a published determination letter")
            facts = case_facts(case)
            result = determine(facts, case.items, decision_date(case, facts, None))
        except (OpenIMRError, OSError) as exc:
            failed += 1
            report_error(str(path), exc)
            continue
        for gold, decided in zip(case.letter.items, result.items, strict=True):
            if gold.decision is None:
                continue
            basis = gold.reviewer_basis
            predicted_source = None
            if decided.reviewer_basis and decided.reviewer_basis.citations:
                predicted_source = decided.reviewer_basis.citations[0].source.value
            drivers = [
                f"{c.entry_id}:{c.criterion_id}={c.status.value}"
                for c in decided.criteria
                if c.drove
            ]
            pairs.append(
                Pair(
                    case=path.name,
                    request=gold.request,
                    gold=gold.decision.value,
                    predicted=decided.decision.value if decided.decision else UNDECIDED,
                    category=decided.category or "unrecognized",
                    treatment_id=decided.treatment_id,
                    gold_sources=[c.source.value for c in basis.citations] if basis else [],
                    predicted_source=predicted_source,
                    drivers=drivers + decided.rules,
                    reason=decided.reason,
                )
            )
    return pairs, failed


def _kappa_text(value: float | None) -> str:
    """Kappa is undefined when chance agreement is 1 (every label one class) or no items."""
    return "undefined" if value is None else str(value)


def evaluate_cmd(
    letters: list[Path] = typer.Argument(..., help="Published letters (PDF or text)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Run the engine on each letter's inputs and compare with the real decisions."""
    from openimr.review.metrics import summarize

    pairs, failed = _pairs(letters)
    report = summarize(pairs)
    report["files_failed"] = failed
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    out = sys.stdout.write
    out(f"items {report['items']}  decided {report['decided']} ({report['decided_rate']})\n")
    out(
        f"accuracy {report['accuracy']}  kappa {_kappa_text(report['kappa'])}  "
        f"(majority baseline {report['majority_baseline_accuracy']})\n"
    )
    out(
        f"on decided items: accuracy {report['accuracy_decided']}  "
        f"kappa {_kappa_text(report['kappa_decided'])}\n"
    )
    for label, figures in report["per_class"].items():
        out(
            f"  {label}: precision {figures['precision']} recall {figures['recall']} "
            f"support {figures['support']}\n"
        )
    out("confusion (gold -> predicted):\n")
    for label, row in report["confusion"].items():
        out(f"  {label}: {row}\n")
    out(
        f"reviewer-basis source agreement {report['basis_source_agreement']} "
        f"over {report['basis_source_compared']} items\n"
    )
    out("per category:\n")
    for cat, figures in report["per_category"].items():
        out(f"  {cat}: {figures}\n")
    out("disagreements:\n")
    for p in report["disagreements"]:
        out(
            f"  {p['case']}: {p['request']!r} gold {p['gold']} engine {p['predicted']} "
            f"[{p['treatment_id']}] {', '.join(p['drivers']) or p['reason']}\n"
        )
    if report["undecided"]:
        out("undecided (counted against accuracy):\n")
        for u in report["undecided"]:
            out(f"  {u['case']}: {u['request']!r} {u['reason']}\n")
    if failed:
        out(f"files failed: {failed}\n")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("determine")(determine_cmd)
    app.command("evaluate")(evaluate_cmd)
