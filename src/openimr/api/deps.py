"""Dependencies shared by the routes: pagination parameters and case access rules."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query

from openimr.api.auth import Principal, forbidden
from openimr.store.engine import Database
from openimr.store.repositories.reviewers import ReviewerRepository
from openimr.store.repositories.users import Role

MAX_ID = 2**31 - 1
MAX_LIMIT = 200


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="Items per page"),
    offset: int = Query(0, ge=0, le=MAX_ID, description="Items to skip"),
) -> Paging:
    return Paging(limit, offset)


def assigned_case_ids(db: Database, user: Principal) -> set[int]:
    if user.reviewer_id is None:
        return set()
    with db.read() as session:
        return set(ReviewerRepository(session).cases_of(user.reviewer_id, open_only=False))


def check_case_access(db: Database, user: Principal, case_id: int) -> None:
    """Staff read every case; a reviewer only the cases assigned to them; analysts none.

    A reviewer asking for a case not assigned to them gets 403 whether or not it exists,
    so the answer does not reveal which case ids exist.
    """
    if user.is_staff:
        return
    if user.role is Role.REVIEWER and case_id in assigned_case_ids(db, user):
        return
    raise forbidden("this case is not assigned to you")
