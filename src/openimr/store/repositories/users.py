"""API accounts: usernames, roles and argon2 password hashes."""

from __future__ import annotations

import re
from enum import StrEnum

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from openimr.errors import DuplicateRecord, RecordNotFound
from openimr.store.schema import UserRow
from openimr.store.types import utcnow

_USERNAME = re.compile(r"^[A-Za-z0-9_.@\-]{2,120}$")
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()


class Role(StrEnum):
    INTAKE = "intake"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    ANALYST = "analyst"


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self, username: str, role: Role, password: str, *, reviewer_pk: int | None = None
    ) -> UserRow:
        if not _USERNAME.match(username):
            raise ValueError("username: 2-120 letters, digits or . _ @ -")
        _check_password(password)
        if self.find(username) is not None:
            raise DuplicateRecord(f"user {username} already exists")
        if role is Role.REVIEWER and reviewer_pk is None:
            raise ValueError("a reviewer account must be linked to a reviewer of the roster")
        now = utcnow()
        row = UserRow(
            username=username,
            role=role.value,
            password_hash=_hasher.hash(password),
            reviewer_pk=reviewer_pk,
            active=True,
            password_changed_at=now,
        )
        self.session.add(row)
        return row

    def find(self, username: str) -> UserRow | None:
        return self.session.scalars(
            sa.select(UserRow).where(UserRow.username == username)
        ).one_or_none()

    def authenticate(self, username: str, password: str) -> UserRow | None:
        """The active user with this password, or None. Rehashes outdated hashes."""
        row = self.find(username)
        if row is None or not row.active:
            _hasher.hash(password)  # spend the same time: do not reveal which usernames exist
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        return row

    def set_password(self, username: str, password: str) -> None:
        _check_password(password)
        row = self.find(username)
        if row is None:
            raise RecordNotFound(f"user {username} does not exist")
        row.password_hash = _hasher.hash(password)
        row.password_changed_at = utcnow()

    def deactivate(self, username: str) -> None:
        row = self.find(username)
        if row is None:
            raise RecordNotFound(f"user {username} does not exist")
        row.active = False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
