"""`openimr determine` and `openimr evaluate` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openimr.cli import app
from openimr.review.metrics import Pair, cohen_kappa, summarize

runner = CliRunner()

CASE = (
    "PR-2 progress report dated 02/10/2015. Date of injury 03/04/2014.\n"
    "Diagnosis: lumbar sprain/strain. The patient reports low back pain 6/10.\n"
)


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.txt"
    path.write_text(CASE, encoding="utf-8")
    return path


def test_determine_json_with_items(case_file: Path) -> None:
    result = runner.invoke(
        app,
        [
            "determine",
            str(case_file),
            "--item",
            "Ketamine 5% 60gr (2 tubes)",
            "--item",
            "Zyxwv",
            "--date",
            "2015-02-20",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip().splitlines()[0])
    first, second = record["items"]
    assert first["decision"] == "upheld" and first["treatment_id"] == "T-028"
    assert first["era"] == "E1"
    assert second["status"] == "unrecognized" and second["decision"] is None


def test_determine_bad_date_is_a_clear_error(case_file: Path) -> None:
    result = runner.invoke(
        app, ["determine", str(case_file), "--item", "x", "--date", "2015-13-45"]
    )
    assert result.exit_code != 0


def test_determine_without_items_names_the_file(case_file: Path) -> None:
    result = runner.invoke(app, ["determine", str(case_file)])
    assert result.exit_code == 2
    assert "case.txt" in result.stderr and "no-items" in result.stderr


def test_determine_writes_text_letter(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.txt"
    result = runner.invoke(
        app,
        [
            "determine",
            str(case_file),
            "--item",
            "Ketamine 5% 60gr (2 tubes)",
            "--letter",
            "txt",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "not medically necessary" in out.read_text(encoding="utf-8")


def test_kappa_and_summary() -> None:
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0
    pairs = [
        Pair(
            case="c",
            request="r1",
            gold="upheld",
            predicted="upheld",
            gold_sources=["MTUS"],
            predicted_source="MTUS",
        ),
        Pair(
            case="c",
            request="r2",
            gold="overturned",
            predicted="upheld",
            gold_sources=["ODG"],
            predicted_source="MTUS",
        ),
        Pair(case="c", request="r3", gold="upheld", predicted="undecided"),
    ]
    report = summarize(pairs)
    assert report["accuracy"] == round(1 / 3, 4) and report["decided"] == 2
    assert report["per_class"]["overturned"]["recall"] == 0.0
    assert report["confusion"]["upheld"]["undecided"] == 1
    assert report["basis_source_agreement"] == 0.5
    assert len(report["disagreements"]) == 1


def test_kappa_undefined_when_all_labels_one_class() -> None:
    # Chance agreement is 1 when gold and predicted are all one class: kappa is 0/0.
    assert cohen_kappa(["upheld"] * 3, ["upheld"] * 3) is None
    assert cohen_kappa([], []) is None
    pairs = [Pair(case="c", request=f"r{i}", gold="upheld", predicted="upheld") for i in range(3)]
    report = summarize(pairs)
    assert report["kappa"] is None and report["kappa_decided"] is None
    assert report["accuracy"] == 1.0


def test_evaluate_prints_undefined_kappa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openimr.cli import review as review_cli

    pairs = [Pair(case="c", request="r", gold="upheld", predicted="upheld")]
    monkeypatch.setattr(review_cli, "_pairs", lambda paths: (pairs, 0))
    letter = tmp_path / "letter.txt"
    letter.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(letter)])
    assert result.exit_code == 0, result.output
    assert "kappa undefined" in result.stdout
    result = runner.invoke(app, ["evaluate", str(letter), "--json"])
    assert json.loads(result.stdout)["kappa"] is None


def test_evaluate_lists_undecided_items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openimr.cli import review as review_cli

    pairs = [
        Pair(case="c", request="r1", gold="upheld", predicted="upheld"),
        Pair(case="c", request="Widget", gold="upheld", predicted="undecided", reason="no match"),
    ]
    monkeypatch.setattr(review_cli, "_pairs", lambda paths: (pairs, 0))
    letter = tmp_path / "letter.txt"
    letter.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(letter)])
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("undecided (counted against accuracy):")[1]
    assert "'Widget' no match" in tail and "r1" not in tail


def test_evaluate_seeds_reads_inputs_not_decisions(seeds_dir: Path) -> None:
    letters = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    result = runner.invoke(app, ["evaluate", *letters, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["items"] == 3
    # The two ketamine items are decided through the knowledge base with the right source.
    assert report["decided"] >= 2 and report["basis_source_agreement"] == 1.0
