"""`openimr reviewers|users|intake|eligibility|assign|finalize|letters|serve` on the examples."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openimr.cli import app
from openimr.documents import load_document_bytes
from test_api_helpers import EXAMPLES, PARTY_STRINGS, draft_determination

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_cli_whole_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imr.db'}"
    code, out = run("reviewers", "import", str(EXAMPLES / "roster.csv"), "--database-url", url)
    assert code == 0, out
    assert "new" in out and "Avery" not in out  # counts, never reviewer names

    code, out = run(
        "users", "add", "ada", "--role", "admin", "--database-url", url,
        env={"OPENIMR_USER_PASSWORD": "a-long-enough-password"},
    )  # fmt: skip
    assert code == 0, out
    code, out = run("users", "add", "bob", "--role", "wizard", "--database-url", url)
    assert code == 2

    note = tmp_path / "note.txt"
    note.write_text("Progress note: right shoulder pain.")
    code, out = run(
        "intake", str(EXAMPLES / "application.json"), "--document", str(note),
        "--database-url", url,
    )  # fmt: skip
    assert code == 0, out
    intake = json.loads(out)
    case = intake["case_number"]
    assert len(intake["document_ids"]) == 1
    code, out = run("intake", str(EXAMPLES / "application.json"), "--database-url", url)
    assert code == 2 and "duplicate-record" in out

    code, out = run("eligibility", case, "--as-of", "2016-03-29", "--database-url", url)
    assert code == 0, out
    assert json.loads(out)["status"] == "eligible"

    code, out = run("assign", case, "--as-of", "2016-03-30", "--database-url", url)
    assert code == 0, out
    assigned = json.loads(out)
    assert assigned["reviewer_id"] == "R-ORTH-02"
    assert any(e["reviewer_id"] == "R-PMR-01" for e in assigned["exclusions"])

    det = tmp_path / "det.json"
    det.write_text(json.dumps(draft_determination()))
    code, out = run("finalize", case, "--determination", str(det), "--database-url", url)
    assert code == 0, out
    code, out = run("finalize", case, "--database-url", url)
    assert code == 2 and "already-finalized" in out

    out_dir = tmp_path / "letters"
    code, out = run("letters", case, "-o", str(out_dir), "--database-url", url)
    assert code == 0, out
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 4 and any(n.endswith("public.pdf") for n in names)
    public = next(out_dir.glob("*public.txt")).read_text()
    public_pdf = load_document_bytes(next(out_dir.glob("*public.pdf")).read_bytes()).text
    for text in (public, public_pdf):
        assert [s for s in PARTY_STRINGS if s.casefold() in text.casefold()] == []
    assert "Alvarez" in next(out_dir.glob("*parties.txt")).read_text()


def test_cli_unknown_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imr.db'}"
    code, out = run("eligibility", "CM16-0000999", "--database-url", url)
    assert code == 2 and "not-found" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_starts_and_migrates(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "served.db"
    cli = Path(sys.executable).parent / "openimr"
    proc = subprocess.Popen(
        [str(cli), "serve", "--port", str(port), "--database-url", f"sqlite:///{db}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "OPENIMR_API_SECRET": "x" * 32},
    )
    try:
        deadline = time.monotonic() + 60
        spec = None
        while time.monotonic() < deadline and spec is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json") as r:
                    spec = json.load(r)
            except OSError:
                time.sleep(0.3)
        assert spec is not None, "server did not answer"
        assert "/auth/token" in spec["paths"]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/cases")
            raise AssertionError("expected 401")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
            assert exc.headers["content-type"] == "application/problem+json"
        assert db.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


LUMBAR_CASE = EXAMPLES.parent / "cases" / "lumbar-case-file.txt"


def test_cli_engine_draft_then_finalize(tmp_path: Path) -> None:
    """`openimr draft` saves the engine's draft (as the API's empty-body POST does) and
    prints each item's decision and guideline basis; finalize then makes it final."""
    from openimr.store.engine import Database
    from openimr.store.repositories.determinations import DeterminationRepository

    url = f"sqlite:///{tmp_path / 'imr.db'}"
    assert run("reviewers", "import", str(EXAMPLES / "roster.csv"), "--database-url", url)[0] == 0
    code, out = run(
        "intake", str(EXAMPLES / "lumbar-application.json"),
        "--document", str(LUMBAR_CASE), "--database-url", url,
    )  # fmt: skip
    assert code == 0, out
    case = json.loads(out)["case_number"]
    code, out = run("eligibility", case, "--as-of", "2015-03-30", "--database-url", url)
    assert code == 0 and json.loads(out)["status"] == "eligible", out
    code, out = run("assign", case, "--as-of", "2015-03-31", "--database-url", url)
    assert code == 0, out
    excluded = {e["reviewer_id"] for e in json.loads(out)["exclusions"]}
    assert "R-PMR-01" in excluded  # the insurer's medical director

    code, out = run("draft", case, "--database-url", url)
    assert code == 0, out
    lines = out.splitlines()
    assert "engine draft, version 1" in lines[0]
    decisions = [ln.strip() for ln in lines if ln.strip()[:2] in ("1.", "2.", "3.", "4.")]
    assert decisions == [
        "1. Left L5-S1 transforaminal epidural steroid injection: overturned",
        "2. Norco 10/325mg #120: upheld",
        "3. Ketamine 5% cream 60gr: upheld",
        "4. Repeat MRI of the lumbar spine: upheld",
    ]
    bases = [ln.strip() for ln in lines if ln.strip().startswith("basis:")]
    assert len(bases) == 4 and all("MTUS" in b for b in bases), bases
    assert "Epidural steroid injections" in bases[0] and "46 of 127" in bases[0]
    assert "radicul" not in out.casefold()  # decisions and citations, never the records

    code, out = run("draft", case, "--database-url", url)  # a rerun is a new version
    assert code == 0 and "version 2" in out.splitlines()[0], out
    code, out = run("finalize", case, "--database-url", url)
    assert code == 0 and "final version 3" in out, out

    db = Database(url)
    try:
        with db.read() as session:
            versions = DeterminationRepository(session).versions(1)
            assert [(v.source, v.is_final) for v in versions][:2] == [
                ("engine", False),
                ("engine", False),
            ]
            assert versions[-1].is_final
    finally:
        db.dispose()


def test_cli_draft_unknown_case(tmp_path: Path) -> None:
    code, out = run("draft", "CM15-0000999", "--database-url", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2 and "not-found" in out


def test_cli_draft_without_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openimr.api import services

    url = f"sqlite:///{tmp_path / 'imr.db'}"
    code, out = run("intake", str(EXAMPLES / "application.json"), "--database-url", url)
    assert code == 0, out
    monkeypatch.setattr(services, "engine_available", lambda: False)
    code, out = run("draft", "1", "--database-url", url)
    assert code == 2 and "engine-unavailable" in out


def _application_file(tmp_path: Path, name: str, **changes: object) -> Path:
    data = json.loads((EXAMPLES / "application.json").read_text())
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_cli_consolidate_and_terminate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imr.db'}"
    items = [{"text_as_requested": "MRI of the right shoulder", "ur_action": "deny"}]
    second = _application_file(tmp_path, "second.json", application_id="EX-2016-000102",
                               disputed_items=items)  # fmt: skip
    third = _application_file(tmp_path, "third.json", application_id="EX-2016-000103",
                              disputed_items=items, date_of_injury="2015-07-01")  # fmt: skip
    numbers = []
    for path in (EXAMPLES / "application.json", second, third):
        code, out = run("intake", str(path), "--database-url", url)
        assert code == 0, out
        numbers.append(json.loads(out)["case_number"])
        code, out = run("eligibility", numbers[-1], "--as-of", "2016-03-29", "--database-url", url)
        assert code == 0 and json.loads(out)["status"] == "eligible", out
    lead, other, stranger = numbers

    code, out = run("consolidate", lead, stranger, "--database-url", url)
    assert code == 2 and "consolidation-error" in out and "different date of injury" in out
    code, out = run("consolidate", lead, other, "--as-of", "2016-03-30", "--database-url", url)
    assert code == 0, out
    merged = json.loads(out)
    assert merged["application_ids"] == ["EX-2016-000101", "EX-2016-000102"]

    code, out = run(
        "terminate", lead, "--item", "MRI of the right shoulder", "--date", "2016-04-02",
        "--database-url", url,
    )  # fmt: skip
    assert code == 0, out
    partial = json.loads(out)
    assert partial == {
        "case_id": merged["lead_id"], "status": "eligible", "terminated": False,
        "authorized_items": [2], "pending_items": [0, 1],
    }  # fmt: skip
    code, out = run("terminate", lead, "--item", "Acupuncture", "--database-url", url)
    assert code == 2 and "invalid-record" in out and "Acupuncture" not in out
    code, out = run("terminate", lead, "--date", "2016-04-03", "--database-url", url)
    assert code == 0, out
    assert json.loads(out)["terminated"] is True
    code, out = run("terminate", lead, "--database-url", url)
    assert code == 2 and "invalid-transition" in out
    code, out = run("terminate", other, "--database-url", url)
    assert code == 2 and "invalid-transition" in out  # consolidated into the lead
    code, out = run("terminate", lead, "--date", "April 3", "--database-url", url)
    assert code == 2


def test_cli_records_complete(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'imr.db'}"
    code, out = run("reviewers", "import", str(EXAMPLES / "roster.csv"), "--database-url", url)
    assert code == 0, out
    code, out = run("intake", str(EXAMPLES / "application.json"), "--database-url", url)
    assert code == 0, out
    case = json.loads(out)["case_number"]
    code, out = run("records-complete", case, "--date", "2016-04-08", "--database-url", url)
    assert code == 2 and "invalid-transition" in out  # not assigned yet
    for step in ("eligibility", "assign"):
        day = "2016-03-29" if step == "eligibility" else "2016-03-30"
        code, out = run(step, case, "--as-of", day, "--database-url", url)
        assert code == 0, out
    code, out = run("records-complete", case, "--date", "April 8", "--database-url", url)
    assert code == 2
    code, out = run("records-complete", case, "--date", "2016-04-08", "--database-url", url)
    assert code == 0, out
    done = json.loads(out)
    assert done["status"] == "in_review" and done["records_complete_at"] == "2016-04-08"
    assert done["deadlines"]["determination_due"] == "2016-05-08"
    code, out = run("records-complete", case, "--database-url", url)
    assert code == 2 and "invalid-transition" in out
    code, out = run("records-complete", "CM16-0000999", "--database-url", url)
    assert code == 2 and "not-found" in out
