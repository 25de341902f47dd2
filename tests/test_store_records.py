"""The system of record on SQLite and PostgreSQL: cases round-trip, documents are stored once
by content hash, final determinations and the audit log cannot be rewritten."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa

from openimr.errors import (
    AlreadyFinalized,
    AuditDetailRejected,
    ConcurrentUpdate,
    Conflict,
    DuplicateRecord,
    ImmutableRecord,
    InvalidRecord,
    InvalidTransition,
    RecordNotFound,
)
from openimr.model.case import (
    Affiliation,
    AffiliationKind,
    CaseStatus,
    DayKind,
    Deadline,
    DeadlineKind,
    License,
    ReviewerProfile,
)
from openimr.model.determination import Decision, Determination, Item, LetterDates
from openimr.store import operations as ops
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories import (
    CaseRepository,
    DeadlineRepository,
    DeterminationRepository,
    DocumentInput,
    DocumentRepository,
    LetterInput,
    LetterRepository,
    ReviewerRepository,
    Role,
    UserRepository,
)
from openimr.store.schema import AuditEntryRow, DeterminationVersionRow, DocumentRow
from openimr.store.testing import sample_application

pytest_plugins = ["conftest_store"]

make_application = sample_application


def _pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF with one line of Helvetica text per page."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled below)
    kids = []
    font_no = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_no = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_no, content_no)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _determination(*decisions: Decision | None, day: int = 18) -> Determination:
    return Determination(
        case_number="CM16-0001234",
        dates=LetterDates(decision_date=date(2016, 4, day)),
        items=[
            Item(request=f"Requested item {n}", decision=d, rationale="Rationale text.")
            for n, d in enumerate(decisions, start=1)
        ],
    )


def _case(db: Database, application_id: str = "APP-0001", **kw: object) -> int:
    return ops.intake(db, make_application(application_id), actor="intake.clerk", **kw).case_id


# --------------------------------------------------------------------------- cases


def test_intake_round_trips_the_application(db: Database) -> None:
    application = make_application()
    result = ops.intake(db, application, actor="intake.clerk", case_number="CM16-0001234")
    assert result.case_version == 1
    with db.read() as session:
        case = CaseRepository(session).load(result.case_id)
    assert case.applications == [application]
    assert case.case_number == "CM16-0001234"
    assert case.status is CaseStatus.RECEIVED
    assert [h.to_status for h in case.history] == [CaseStatus.RECEIVED]


def test_duplicate_application_id_is_refused(db: Database) -> None:
    _case(db)
    with pytest.raises(DuplicateRecord):
        _case(db)
    with db.read() as session:
        assert len(CaseRepository(session).page()) == 1


def test_duplicate_case_number_is_refused(db: Database) -> None:
    _case(db, "APP-1", case_number="CM16-0000001")
    with pytest.raises(DuplicateRecord):
        _case(db, "APP-2", case_number="CM16-0000001")


def test_applications_like_finds_the_same_worker(db: Database) -> None:
    _case(db, "APP-1")
    ops.intake(
        db,
        make_application("APP-2", claim_number="OTHER-1"),
        actor="intake.clerk",
    )
    with db.read() as session:
        found = CaseRepository(session).applications_like(
            date_of_injury=date(2014, 7, 2), worker_name="ROWAN T ELLERY"
        )
        none = CaseRepository(session).applications_like(
            date_of_injury=date(2014, 7, 3), worker_name="Rowan T. Ellery"
        )
    assert [a.application_id for a in found] == ["APP-1", "APP-2"]
    assert none == []


def test_status_change_bumps_version_and_is_recorded(db: Database) -> None:
    case_id = _case(db)
    with db.transaction() as session:
        repo = CaseRepository(session)
        case = repo.get(case_id)
        repo.set_status(case, CaseStatus.ELIGIBILITY_REVIEW, actor="intake.clerk")
    with db.read() as session:
        case = CaseRepository(session).get(case_id)
        assert case.version == 2
        loaded = CaseRepository(session).load(case_id)
    assert [h.to_status for h in loaded.history] == [
        CaseStatus.RECEIVED,
        CaseStatus.ELIGIBILITY_REVIEW,
    ]


def test_stale_write_through_the_orm_is_a_concurrent_update(db: Database) -> None:
    case_id = _case(db)
    with db.read() as session:
        stale = CaseRepository(session).get(case_id)
    with db.transaction() as session:
        CaseRepository(session).get(case_id).status = CaseStatus.ELIGIBILITY_REVIEW.value
    with pytest.raises(ConcurrentUpdate), db.transaction() as session:
        # an object read before the other write, attached again without reloading
        session.add(stale)
        stale.status = CaseStatus.INELIGIBLE.value


def test_expected_version_mismatch_is_a_concurrent_update(db: Database) -> None:
    case_id = _case(db)
    first = ops.save_draft(db, case_id, _determination(None), author="engine", source="engine")
    assert first.case_version == 2
    with pytest.raises(ConcurrentUpdate):
        ops.save_draft(db, case_id, _determination(None), author="rev.a", expected_version=1)
    second = ops.save_draft(db, case_id, _determination(None), author="rev.a", expected_version=2)
    assert (second.version_no, second.case_version) == (2, 3)


# --------------------------------------------------------------------------- documents


def test_documents_are_stored_once_by_content_hash(db: Database) -> None:
    pdf = _pdf(["Page one of the report", "Page two of the report"])
    doc = DocumentInput.from_bytes("report.pdf", pdf, submitted_by="claims_administrator")
    assert (doc.page_count, doc.media_type) == (2, "application/pdf")
    assert doc.text is not None and "Page two" in doc.text
    first = ops.intake(db, make_application("APP-1"), [doc], actor="intake.clerk")
    renamed = DocumentInput.from_bytes("copy-of-report.pdf", pdf)
    second = ops.intake(db, make_application("APP-2"), [renamed], actor="intake.clerk")
    assert first.documents_new == 1 and second.documents_new == 0
    assert first.document_ids == second.document_ids
    with db.read() as session:
        docs = DocumentRepository(session)
        assert session.scalar(sa.select(sa.func.count()).select_from(DocumentRow)) == 1
        row = docs.get(first.document_ids[0], with_content=True)
        assert row.sha256 == hashlib.sha256(pdf).hexdigest()
        assert (row.page_count, row.size_bytes) == (2, len(pdf))
        assert row.content == pdf and "Page one" in (row.text or "")
        assert docs.verify(row.id)
        assert [link.filename for link in docs.for_case(second.case_id)] == ["copy-of-report.pdf"]


def test_same_document_twice_in_one_case_is_filed_once(db: Database) -> None:
    doc = DocumentInput.from_bytes("notes.txt", b"Progress note, plain text.\n")
    assert (doc.page_count, doc.media_type) == (1, "text/plain; charset=utf-8")
    result = ops.intake(db, make_application(), [doc, doc], actor="intake.clerk")
    with db.read() as session:
        assert len(DocumentRepository(session).for_case(result.case_id)) == 1


# --------------------------------------------------------------------------- determinations


def test_drafts_then_final_and_the_final_is_immutable(db: Database) -> None:
    case_id = _case(db)
    ops.save_draft(db, case_id, _determination(None, None), author="engine", source="engine")
    ops.save_draft(
        db,
        case_id,
        _determination(Decision.UPHELD, None),
        author="rev.a",
        change_note="item 1 decided",
    )
    final = ops.finalize(
        db, case_id, _determination(Decision.UPHELD, Decision.OVERTURNED), actor="rev.a"
    )
    assert (final.version_no, final.is_final) == (3, True)
    with db.read() as session:
        repo = DeterminationRepository(session)
        versions = repo.versions(case_id)
        assert [(v.version_no, v.is_final, v.source) for v in versions] == [
            (1, False, "engine"),
            (2, False, "reviewer"),
            (3, True, "reviewer"),
        ]
        row = repo.final(case_id)
        assert row is not None
        assert (row.upheld_count, row.overturned_count) == (1, 1)
        case = CaseRepository(session).get(case_id)
        assert case.status == CaseStatus.DETERMINED.value
        assert case.decision_date == date(2016, 4, 18)

    with pytest.raises(ImmutableRecord), db.transaction() as session:
        final_row = session.get(DeterminationVersionRow, final.version_id)
        assert final_row is not None
        final_row.change_note = "rewritten"
    with pytest.raises(ImmutableRecord), db.transaction() as session:
        final_row = session.get(DeterminationVersionRow, final.version_id)
        session.delete(final_row)
    with pytest.raises(AlreadyFinalized):
        ops.save_draft(db, case_id, _determination(None, None), author="rev.a")
    with pytest.raises(AlreadyFinalized):
        ops.finalize(db, case_id, _determination(Decision.UPHELD, Decision.UPHELD), actor="x.y")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE determination_versions SET change_note = 'x' WHERE is_final = {true}",
        "DELETE FROM determination_versions WHERE is_final = {true}",
    ],
)
def test_database_refuses_changing_a_final_version(db: Database, statement: str) -> None:
    case_id = _case(db)
    ops.save_draft(db, case_id, _determination(None), author="engine", source="engine")
    ops.finalize(db, case_id, _determination(Decision.OVERTURNED), actor="rev.a")
    true = "TRUE" if db.dialect == "postgresql" else "1"
    with pytest.raises(ImmutableRecord), db.transaction() as session:
        session.execute(sa.text(statement.format(true=true)))
    # drafts stay editable at the database level (only finals are frozen)
    with db.transaction() as session:
        session.execute(
            sa.text(
                "UPDATE determination_versions SET change_note = 'ok' "
                f"WHERE is_final = {'FALSE' if true == 'TRUE' else '0'}"
            )
        )


def test_final_needs_every_item_decided(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(InvalidRecord):
        ops.finalize(db, case_id, _determination(Decision.UPHELD, None), actor="rev.a")
    with pytest.raises(InvalidRecord):
        ops.finalize(db, case_id, _determination(), actor="rev.a")
    with db.read() as session:
        assert DeterminationRepository(session).versions(case_id) == []


def test_finalize_by_a_reviewer_not_assigned_is_refused(db: Database) -> None:
    case_id = _case(db)
    with db.transaction() as session:
        reviewers = ReviewerRepository(session)
        for rid in ("R-1", "R-2"):
            reviewers.upsert(
                ReviewerProfile(
                    reviewer_id=rid,
                    name=f"Reviewer {rid}",
                    degree="MD",
                    years_in_practice=12,
                    weekly_practice_hours=30,
                )
            )
        session.flush()
        reviewers.assign(CaseRepository(session).get(case_id), "R-1", actor="admin.a")
    with pytest.raises(Conflict):
        ops.finalize(db, case_id, _determination(Decision.UPHELD), actor="r2", reviewer_id="R-2")
    done = ops.finalize(db, case_id, _determination(Decision.UPHELD), actor="r1", reviewer_id="R-1")
    with db.read() as session:
        row = DeterminationRepository(session).get(done.version_id)
        assert row.reviewer_pk is not None


def test_closed_case_takes_no_determination(db: Database) -> None:
    case_id = _case(db)
    with db.transaction() as session:
        repo = CaseRepository(session)
        repo.terminate(repo.get(case_id), reason="treatment authorized", actor="intake.clerk")
    with pytest.raises(InvalidTransition):
        ops.finalize(db, case_id, _determination(Decision.UPHELD), actor="rev.a")


# --------------------------------------------------------------------------- letters


def test_letters_come_from_the_final_and_are_append_only(db: Database) -> None:
    case_id = _case(db)
    letters = [
        LetterInput(audience="parties", format="txt", content=b"letter for the parties"),
        LetterInput(audience="public", format="txt", content=b"redacted letter"),
    ]
    with pytest.raises(InvalidTransition):
        ops.issue_letters(db, case_id, letters, actor="admin.a")
    ops.finalize(db, case_id, _determination(Decision.UPHELD), actor="rev.a")
    ids = ops.issue_letters(db, case_id, letters, actor="admin.a")
    with db.read() as session:
        repo = LetterRepository(session)
        assert [r.audience for r in repo.for_case(case_id)] == ["parties", "public"]
        assert repo.content(ids[1]) == b"redacted letter"
    with pytest.raises(ImmutableRecord), db.transaction() as session:
        session.execute(sa.text("UPDATE letters SET created_by = 'someone'"))
    with pytest.raises(DuplicateRecord):
        ops.issue_letters(db, case_id, letters[:1], actor="admin.a")


# --------------------------------------------------------------------------- audit


def test_audit_log_is_append_only_in_the_database(db: Database) -> None:
    _case(db)
    for statement in ("UPDATE audit_log SET actor = 'someone.else'", "DELETE FROM audit_log"):
        with pytest.raises(ImmutableRecord), db.transaction() as session:
            session.execute(sa.text(statement))
    with pytest.raises(ImmutableRecord), db.transaction() as session:
        entry = session.scalars(sa.select(AuditEntryRow)).first()
        assert entry is not None
        entry.actor = "someone.else"
    with db.read() as session:
        entries = AuditLog(session).entries()
    assert [(e.actor, e.action) for e in entries] == [("intake.clerk", "case.intake")]


def test_audit_log_refuses_truncate_on_postgresql(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _case(db)
    with pytest.raises(ImmutableRecord), db.transaction() as session:
        session.execute(sa.text("TRUNCATE audit_log"))


def test_audit_entries_carry_no_clinical_text_or_names(db: Database) -> None:
    application = make_application()
    doc = DocumentInput.from_bytes("notes.txt", b"Lumbar pain worse after lifting.\n")
    result = ops.intake(db, application, [doc], actor="intake.clerk")
    ops.finalize(db, result.case_id, _determination(Decision.UPHELD, Decision.UPHELD), actor="r.a")
    with db.read() as session:
        entries = AuditLog(session).entries(case_id=result.case_id)
    dumped = json.dumps([e.details for e in entries]) + " ".join(e.entity_id for e in entries)
    secrets = [p.name for p in application.parties]
    secrets += [i.text_as_requested for i in application.disputed_items]
    secrets += ["Lumbar", "Rationale", "Requested item"]
    assert [e.action for e in entries] == ["case.intake", "determination.finalize"]
    assert not [s for s in secrets if s.casefold() in dumped.casefold()]


@pytest.mark.parametrize(
    "details",
    [
        {"note": "anything"},  # key not whitelisted
        {"result": "patient reports severe pain"},  # a sentence, not a token
        {"reason_codes": ["OK", "two words"]},
        {"count": {"nested": 1}},
        {"reason_codes": [str(n) for n in range(40)]},
    ],
)
def test_audit_details_are_whitelisted(db: Database, details: dict[str, object]) -> None:
    with pytest.raises(AuditDetailRejected), db.transaction() as session:
        AuditLog(session).record(
            actor="intake.clerk", action="case.read", entity_type="case", entity_id=1, **details
        )


def test_audit_action_and_actor_must_be_tokens(db: Database) -> None:
    with db.transaction() as session:
        log = AuditLog(session)
        with pytest.raises(AuditDetailRejected):
            log.record(actor="intake clerk", action="case.read", entity_type="case", entity_id=1)
        with pytest.raises(AuditDetailRejected):
            log.record(actor="a.b", action="Read the case", entity_type="case", entity_id=1)
        log.record(actor="a.b", action="case.read", entity_type="case", entity_id=1, count=2)
    with db.read() as session:
        assert [e.details for e in AuditLog(session).entries()] == [{"count": 2}]


# --------------------------------------------------------------------------- roster, users


def test_reviewer_round_trip_and_single_open_assignment(db: Database) -> None:
    profile = ReviewerProfile(
        reviewer_id="R-9",
        name="Staff Only Name",
        degree="DO",
        licenses=[License(state="ca")],
        years_in_practice=8,
        weekly_practice_hours=24,
        affiliations=[Affiliation(kind=AffiliationKind.INSURER, name="ABC Insurance Co.")],
    )
    case_id = _case(db)
    with db.transaction() as session:
        reviewers = ReviewerRepository(session)
        _, created = reviewers.upsert(profile)
        assert created
        session.flush()
        reviewers.assign(CaseRepository(session).get(case_id), "R-9", actor="admin.a")
    with db.read() as session:
        assert ReviewerRepository(session).get("R-9") == profile
        assert ReviewerRepository(session).open_workload() == {"R-9": 1}
        assert CaseRepository(session).load(case_id).assigned_reviewer_id == "R-9"
    with pytest.raises(Conflict), db.transaction() as session:
        ReviewerRepository(session).assign(
            CaseRepository(session).get(case_id), "R-9", actor="admin.a"
        )


def test_deadlines_are_replaced_by_kind(db: Database) -> None:
    case_id = _case(db)

    def deadline(due: date) -> Deadline:
        return Deadline(
            kind=DeadlineKind.RECORDS_DUE,
            rule_id="records_due.regular",
            rule_version="1",
            basis="date_assigned",
            basis_date=date(2016, 3, 20),
            amount=15,
            day_kind=DayKind.CALENDAR,
            due=due,
        )

    with db.transaction() as session:
        DeadlineRepository(session).replace(case_id, [deadline(date(2016, 4, 4))])
    with db.transaction() as session:
        DeadlineRepository(session).replace(case_id, [deadline(date(2016, 4, 5))])
    with db.read() as session:
        repo = DeadlineRepository(session)
        assert repo.for_case(case_id) == [deadline(date(2016, 4, 5))]
        assert repo.open_past_due(date(2016, 5, 1)) == [(case_id, deadline(date(2016, 4, 5)))]


def test_users_hash_passwords_and_refuse_duplicates(db: Database) -> None:
    with db.transaction() as session:
        row = UserRepository(session).create("clerk.one", Role.INTAKE, "correct horse battery")
        assert "correct horse" not in row.password_hash
    with db.transaction() as session:
        users = UserRepository(session)
        assert users.authenticate("clerk.one", "correct horse battery") is not None
        assert users.authenticate("clerk.one", "wrong password!!") is None
        with pytest.raises(DuplicateRecord):
            users.create("clerk.one", Role.ADMIN, "another long password")


def test_reading_a_document_is_audited_and_scoped_to_its_case(db: Database) -> None:
    doc = DocumentInput.from_bytes("visit.txt", b"Visit note for the audit test.\n")
    first = ops.intake(db, make_application("APP-1"), [doc], actor="intake.clerk")
    other = ops.intake(db, make_application("APP-2"), actor="intake.clerk")
    read = ops.read_document(db, first.case_id, first.document_ids[0], actor="rev.a")
    assert read.content == doc.content and read.filename == "visit.txt"
    with pytest.raises(RecordNotFound):
        ops.read_document(db, other.case_id, first.document_ids[0], actor="rev.a")
    with db.read() as session:
        reads = AuditLog(session).entries(action="document.read")
    assert [(e.actor, e.case_id, e.entity_id) for e in reads] == [
        ("rev.a", first.case_id, str(first.document_ids[0]))
    ]
