"""Two writers at once, on separate connections: exactly one finalization wins, the other gets
a conflict; duplicate intakes and shared documents resolve without half-written rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
import sqlalchemy as sa

from openimr.errors import AlreadyFinalized, Conflict, DuplicateRecord
from openimr.model.determination import Decision
from openimr.store import operations as ops
from openimr.store.engine import Database
from openimr.store.repositories import CaseRepository, DeterminationRepository, DocumentInput
from openimr.store.schema import DeterminationVersionRow, DocumentRow
from openimr.store.testing import sample_application, sample_determination

pytest_plugins = ["conftest_store"]

HOLD_SECONDS = 0.6


@pytest.fixture
def two_dbs(store_url: str) -> Iterator[tuple[Database, Database]]:
    """Two independent engines on the same database: two processes' worth of connections."""
    first, second = Database(store_url), Database(store_url)
    try:
        yield first, second
    finally:
        first.dispose()
        second.dispose()


def _run_both(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads started together; each result is a value or an exception."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def runner(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a writer hung"
    return results


def test_second_finalizer_waits_then_gets_already_finalized(
    two_dbs: tuple[Database, Database],
) -> None:
    """A holds its finalization open; B starts meanwhile, must wait, and then loses."""
    db_a, db_b = two_dbs
    case_id = ops.intake(db_a, sample_application(), actor="intake.clerk").case_id
    a_flushed, b_started = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def reviewer_a() -> None:
        with db_a.transaction() as session:
            ops.finalize_in(session, case_id, sample_determination(Decision.UPHELD), actor="a.a")
            a_flushed.set()
            b_started.wait(10)
            time.sleep(HOLD_SECONDS)  # B is now blocked on the case lock / write lock
            outcome["a_commits_at"] = time.monotonic()  # the commit follows at block exit

    def reviewer_b() -> None:
        a_flushed.wait(10)
        b_started.set()
        try:
            ops.finalize(db_b, case_id, sample_determination(Decision.OVERTURNED), actor="b.b")
        except Exception as exc:
            outcome["b_error"] = exc
        outcome["b_done_at"] = time.monotonic()

    threads = [threading.Thread(target=reviewer_a), threading.Thread(target=reviewer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert isinstance(outcome.get("b_error"), AlreadyFinalized)
    assert outcome["b_done_at"] >= outcome["a_commits_at"]  # B really waited for A
    with db_a.read() as session:
        finals = [v for v in DeterminationRepository(session).versions(case_id) if v.is_final]
    assert [(v.author, v.overturned_count) for v in finals] == [("a.a", 0)]


@pytest.mark.parametrize("with_expected_version", [False, True])
def test_racing_finalizations_exactly_one_wins(
    two_dbs: tuple[Database, Database], with_expected_version: bool
) -> None:
    db_a, db_b = two_dbs
    for round_no in range(4):
        application = sample_application(f"APP-R{round_no}")
        case_id = ops.intake(db_a, application, actor="intake.clerk").case_id
        expected = 1 if with_expected_version else None
        results = _run_both(
            partial(
                ops.finalize,
                db_a,
                case_id,
                sample_determination(Decision.UPHELD),
                actor="a.a",
                expected_version=expected,
            ),
            partial(
                ops.finalize,
                db_b,
                case_id,
                sample_determination(Decision.OVERTURNED),
                actor="b.b",
                expected_version=expected,
            ),
        )
        wins = [r for r in results if isinstance(r, ops.VersionResult)]
        losses = [r for r in results if isinstance(r, Conflict)]
        assert (len(wins), len(losses)) == (1, 1), results
        with db_a.read() as session:
            finals = session.scalars(
                sa.select(DeterminationVersionRow).where(
                    DeterminationVersionRow.case_id == case_id,
                    DeterminationVersionRow.is_final.is_(True),
                )
            ).all()
            case = CaseRepository(session).get(case_id)
        assert [f.id for f in finals] == [wins[0].version_id]
        assert case.version == wins[0].case_version


def test_unique_index_stops_a_second_final_written_without_the_lock(
    two_dbs: tuple[Database, Database],
) -> None:
    """Last line of defence: code that skips the case lock still cannot store two finals."""
    db_a, db_b = two_dbs
    case_id = ops.intake(db_a, sample_application(), actor="intake.clerk").case_id
    a_flushed = threading.Event()
    errors: list[Exception] = []

    def write_final(db: Database, wait_for: threading.Event | None) -> None:
        if wait_for is not None:
            wait_for.wait(10)
        try:
            with db.transaction() as session:
                case = CaseRepository(session).get(case_id)  # no FOR UPDATE
                DeterminationRepository(session).add_version(
                    case, sample_determination(Decision.UPHELD), author="x.x", source="reviewer",
                    final=True,
                )  # fmt: skip
                session.flush()
                if wait_for is None:
                    a_flushed.set()
                    time.sleep(HOLD_SECONDS)
        except Exception as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=write_final, args=(db_a, None)),
        threading.Thread(target=write_final, args=(db_b, a_flushed)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    with db_a.read() as session:
        assert DeterminationRepository(session).final(case_id) is not None
        assert len(DeterminationRepository(session).versions(case_id)) == 1


def test_racing_intakes_of_one_application_store_one_case(
    two_dbs: tuple[Database, Database],
) -> None:
    db_a, db_b = two_dbs
    application = sample_application("APP-DUP")
    results = _run_both(
        lambda: ops.intake(db_a, application, actor="clerk.a"),
        lambda: ops.intake(db_b, application, actor="clerk.b"),
    )
    assert sum(isinstance(r, ops.IntakeResult) for r in results) == 1, results
    assert sum(isinstance(r, DuplicateRecord) for r in results) == 1, results
    with db_a.read() as session:
        assert len(CaseRepository(session).page()) == 1


def test_racing_intakes_share_one_copy_of_a_document(two_dbs: tuple[Database, Database]) -> None:
    db_a, db_b = two_dbs
    doc = DocumentInput.from_bytes("shared.txt", b"The same report filed twice.\n")
    results = _run_both(
        lambda: ops.intake(db_a, sample_application("APP-A"), [doc], actor="clerk.a"),
        lambda: ops.intake(db_b, sample_application("APP-B"), [doc], actor="clerk.b"),
    )
    assert all(isinstance(r, ops.IntakeResult) for r in results), results
    assert sorted(r.documents_new for r in results) == [0, 1]
    assert results[0].document_ids == results[1].document_ids
    with db_a.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(DocumentRow)) == 1
