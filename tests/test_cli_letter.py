"""`openimr letter parse` and `openimr schema determination` as a user calls them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from openimr.cli import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples" / "letters").glob("*.txt"))
RECORD_KEYS = {
    "case_number",
    "generation",
    "priority",
    "dates",
    "reviewer",
    "patient",
    "clinical_summary",
    "items",
    "redactions",
}
ITEM_KEYS = {
    "request",
    "original_request",
    "decision",
    "claims_administrator_basis",
    "reviewer_basis",
    "rationale",
}
runner = CliRunner()


def _schema() -> dict[str, object]:
    result = runner.invoke(app, ["schema", "determination"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_one_json_line_per_letter_in_input_order() -> None:
    assert len(EXAMPLES) >= 4
    files = list(reversed(EXAMPLES))
    result = runner.invoke(app, ["letter", "parse", *map(str, files)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    schema = _schema()
    generations = []
    for line in lines:
        record = json.loads(line)
        jsonschema.validate(record, schema)
        assert set(record) == RECORD_KEYS
        assert set(record["dates"]) == {
            "date_of_injury",
            "date_assigned",
            "decision_date",
            "ur_denial_date",
            "application_received",
        }
        assert record["items"], "every example letter decides at least one item"
        for item in record["items"]:
            assert set(item) == ITEM_KEYS
            assert item["decision"] in {"upheld", "overturned"}
        generations.append(record["generation"])
    # Reversing the input reverses the output: the order follows the command line.
    forward = runner.invoke(app, ["letter", "parse", *map(str, EXAMPLES)])
    assert [json.loads(x)["generation"] for x in forward.stdout.splitlines()] == generations[::-1]
    assert set(generations) == {"A", "B", "C", "D"}


def test_bad_file_stops_with_a_one_line_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["letter", "parse", str(empty), str(EXAMPLES[0])])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert str(empty) in result.stderr and "empty" in result.stderr


def test_keep_going_parses_the_rest_and_still_fails(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nthis is not a pdf body\n%%EOF\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list: apples, bread, coffee.\n", encoding="utf-8")
    args = ["letter", "parse", "--keep-going", str(corrupt), str(EXAMPLES[0]), str(notes)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert len(result.stdout.splitlines()) == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert "corrupt.pdf" in errors[0] and "notes.txt" in errors[1]
    assert "letter-format" in errors[1] or "format" in errors[1]


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    result = runner.invoke(app, ["letter", "parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
