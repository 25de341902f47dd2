"""`openimr facts CASE_FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openimr.cli import app

runner = CliRunner()
CASE = (
    "Progress report dated 2/3/2016. The injured worker is a 55 year old female who sustained "
    "an industrial injury on 5/6/2014. Diagnoses: lumbar radiculopathy. She denied bowel or "
    "bladder incontinence. Medications: Norco 10/325 mg twice a day. Pain is 7/10.\n"
)


def test_facts_json(tmp_path: Path) -> None:
    case = tmp_path / "case.txt"
    case.write_text(CASE, encoding="utf-8")
    result = runner.invoke(app, ["facts", str(case), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["age"] == 55 and data["sex"] == "female"
    assert data["date_of_injury"] == "2014-05-06"
    assert data["medications"][0]["generic"] == "hydrocodone/acetaminophen"
    flag = data["red_flags"][0]
    assert flag["kind"] == "bowel_bladder_dysfunction" and flag["context"] == "negated"
    span = data["diagnoses"][0]["evidence"][0]
    assert data["text"][span["start"] : span["end"]] == "lumbar radiculopathy"


def test_facts_text_shows_evidence(tmp_path: Path) -> None:
    case = tmp_path / "case.txt"
    case.write_text(CASE, encoding="utf-8")
    result = runner.invoke(app, ["facts", str(case), "--summary"])
    assert result.exit_code == 0, result.output
    assert "generic=hydrocodone/acetaminophen" in result.output
    assert "evidence: Norco 10/325 mg twice a day" in result.output
    assert "The injured worker is a 55-year-old female" in result.output


def test_facts_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["facts", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_facts_empty_file_gives_empty_facts_and_a_warning(tmp_path: Path) -> None:
    case = tmp_path / "empty.txt"
    case.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["facts", str(case), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["diagnoses"] == [] and data["medications"] == [] and data["age"] is None
    assert data["warnings"], "an empty case file must say why there are no facts"


def test_facts_corrupt_pdf_is_a_one_line_error(tmp_path: Path) -> None:
    case = tmp_path / "broken.pdf"
    case.write_bytes(b"%PDF-1.4\nnot really a pdf\n%%EOF\n")
    result = runner.invoke(app, ["facts", str(case)])
    assert result.exit_code == 2
    assert "broken.pdf" in result.stderr and "Traceback" not in result.output


def test_facts_non_clinical_text_warns(tmp_path: Path) -> None:
    case = tmp_path / "memo.txt"
    case.write_text("The quarterly budget meeting moved to Thursday afternoon.", encoding="utf-8")
    result = runner.invoke(app, ["facts", str(case)])
    assert result.exit_code == 0
    assert "warning: no clinical content" in result.output
