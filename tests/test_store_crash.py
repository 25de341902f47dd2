"""Crash safety: a process killed (SIGKILL) in the middle of intake or finalization leaves
the database in the state before the step or the state after it, never part of it.

A child process runs the real unit of work; a listener on SQLAlchemy's session events makes
it stop at a synchronization point (after the Nth flush, just before COMMIT, just after
COMMIT) and say so on stdout; the test then kills it with SIGKILL and inspects the database
from a fresh connection, and checks that the database still takes new writes.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from openimr.errors import AlreadyFinalized
from openimr.model.case import CaseStatus
from openimr.model.determination import Decision
from openimr.store import operations as ops
from openimr.store.engine import Database
from openimr.store.repositories import CaseRepository, DeterminationRepository
from openimr.store.testing import sample_application, sample_determination

pytest_plugins = ["conftest_store"]

CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from openimr.model.determination import Decision
    from openimr.store import operations as ops
    from openimr.store.engine import Database
    from openimr.store.repositories import DocumentInput
    from openimr.store.testing import sample_application, sample_determination

    url, step, stop_at, case_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    flushes = 0

    def pause(where):
        print("PAUSED " + where, flush=True)
        time.sleep(120)

    @event.listens_for(Session, "after_flush_postexec")
    def after_flush(session, context):
        global flushes
        flushes += 1
        if stop_at == "flush-%d" % flushes:
            pause(stop_at)

    @event.listens_for(Session, "before_commit")
    def before_commit(session):
        if stop_at == "before-commit":
            pause(stop_at)

    @event.listens_for(Session, "after_commit")
    def after_commit(session):
        if stop_at == "after-commit":
            pause(stop_at)

    db = Database(url)
    if step == "intake":
        docs = [
            DocumentInput.from_bytes("a.txt", b"First record of the crash test.\\n"),
            DocumentInput.from_bytes("b.txt", b"Second record of the crash test.\\n"),
        ]
        ops.intake(db, sample_application("APP-CRASH"), docs, actor="crash.clerk")
    else:
        ops.finalize(db, case_id, sample_determination(Decision.UPHELD), actor="crash.rev")
    print("FINISHED", flush=True)
    """
)

INTAKE_TABLES = (
    "cases",
    "applications",
    "parties",
    "disputed_items",
    "ur_decisions",
    "documents",
    "case_documents",
    "case_status_changes",
    "audit_log",
)
#: rows one intake of the sample application with two documents writes
INTAKE_ROWS = {
    "cases": 1,
    "applications": 1,
    "parties": 4,
    "disputed_items": 2,
    "ur_decisions": 1,
    "documents": 2,
    "case_documents": 2,
    "case_status_changes": 1,
    "audit_log": 1,
}


def _run_child_and_kill(url: str, step: str, stop_at: str, case_id: int = 0) -> str:
    """Start the child, wait for its pause line, SIGKILL it; return the line."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, step, stop_at, str(case_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    line = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 1)
            if ready:
                line = proc.stdout.readline()
                break
            if proc.poll() is not None:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    text = line.decode().strip()
    assert text == f"PAUSED {stop_at}", f"child did not reach {stop_at}: {text!r} {stderr[-800:]}"
    return text


def _counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            table: session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in INTAKE_TABLES
        }


@pytest.mark.parametrize(
    ("stop_at", "committed"),
    [
        ("flush-1", False),
        ("flush-2", False),
        ("flush-4", False),
        ("before-commit", False),
        ("after-commit", True),
    ],
)
def test_killed_intake_leaves_nothing_or_everything(
    store_url: str, stop_at: str, committed: bool
) -> None:
    _run_child_and_kill(store_url, "intake", stop_at)
    db = Database(store_url)
    try:
        counts = _counts(db)
        expected = INTAKE_ROWS if committed else dict.fromkeys(INTAKE_TABLES, 0)
        assert counts == expected
        # the database is usable at once: no lock or half-written page left behind
        again = ops.intake(db, sample_application("APP-AFTER"), actor="intake.clerk")
        with db.read() as session:
            assert CaseRepository(session).get(again.case_id).version == 1
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("stop_at", "committed"),
    [
        ("flush-1", False),
        ("flush-2", False),
        ("before-commit", False),
        ("after-commit", True),
    ],
)
def test_killed_finalization_leaves_the_draft_or_the_final(
    store_url: str, stop_at: str, committed: bool
) -> None:
    db = Database(store_url)
    try:
        case_id = ops.intake(db, sample_application(), actor="intake.clerk").case_id
        draft = ops.save_draft(
            db, case_id, sample_determination(None), author="engine", source="engine"
        )
        _run_child_and_kill(store_url, "finalize", stop_at, case_id)
        with db.read() as session:
            case = CaseRepository(session).get(case_id)
            versions = DeterminationRepository(session).versions(case_id)
            actions = [
                a for (a,) in session.execute(sa.text("SELECT action FROM audit_log ORDER BY id"))
            ]
        old = (draft.case_version, CaseStatus.RECEIVED.value, None, [False])
        new = (draft.case_version + 1, CaseStatus.DETERMINED.value, 2, [False, True])
        state = (
            case.version,
            case.status,
            case.decision_date and len(versions),
            [v.is_final for v in versions],
        )
        assert state == (new if committed else old)
        assert actions[-1] == ("determination.finalize" if committed else "determination.draft")
        # a reviewer can finalize right away (or is told it is already final)
        if committed:
            with pytest.raises(AlreadyFinalized):
                ops.finalize(db, case_id, sample_determination(Decision.UPHELD), actor="r.b")
        else:
            done = ops.finalize(db, case_id, sample_determination(Decision.UPHELD), actor="r.b")
            assert done.version_no == 2
    finally:
        db.dispose()
