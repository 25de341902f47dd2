"""Bearer tokens: JSON Web Tokens (HS256, PyJWT) with an expiry; roles come from the database.

The token carries the username, issue and expiry times. On every request the user is
reloaded: a deactivated account, or one whose password changed after the token was issued,
is refused (401).
The signing secret is $OPENIMR_API_SECRET, else a random one per process (tokens then end
with the server).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import jwt
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from openimr.api.problems import ApiProblem
from openimr.store.engine import Database
from openimr.store.repositories.users import Role, UserRepository
from openimr.store.schema import ReviewerRow

SECRET_ENV = "OPENIMR_API_SECRET"
DEFAULT_TTL_SECONDS = 3600
STAFF = (Role.INTAKE, Role.ADMIN)

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    """The authenticated user of a request."""

    username: str
    role: Role
    reviewer_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


class TokenSigner:
    """Issues and checks HS256 JSON Web Tokens (PyJWT) carrying the username and times."""

    algorithm = "HS256"

    def __init__(self, secret: bytes | None = None, ttl_seconds: int = DEFAULT_TTL_SECONDS):
        env = os.environ.get(SECRET_ENV)
        self._key = secret or (env.encode() if env else secrets.token_bytes(32))
        self.ttl_seconds = ttl_seconds

    def issue(self, username: str, *, now: float | None = None) -> tuple[str, int]:
        issued = now if now is not None else time.time()
        payload = {
            "sub": username,
            "iat": int(issued),
            "iat_ms": int(issued * 1000),  # compared with the time the password last changed
            "exp": int(issued) + self.ttl_seconds,
        }
        return jwt.encode(payload, self._key, algorithm=self.algorithm), self.ttl_seconds

    def verify(self, token: str, *, now: float | None = None) -> tuple[str, int]:
        """(username, issued-at in milliseconds) of a valid token, else ApiProblem 401."""
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[self.algorithm],
                options={"require": ["sub", "iat", "exp"], "verify_exp": now is None},
            )
            username, issued = str(payload["sub"]), int(payload["iat_ms"])
            expires = int(payload["exp"])
        except jwt.ExpiredSignatureError as exc:
            raise unauthorized("token expired") from exc
        except (jwt.InvalidTokenError, KeyError, TypeError, ValueError) as exc:
            raise unauthorized("invalid token") from exc
        if now is not None and now >= expires:
            raise unauthorized("token expired")
        return username, issued


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthorized", detail, headers={"WWW-Authenticate": "Bearer"})


def forbidden(detail: str = "your role may not do this") -> ApiProblem:
    return ApiProblem(403, "forbidden", detail)


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_signer(request: Request) -> TokenSigner:
    signer: TokenSigner = request.app.state.signer
    return signer


def current_user(
    token: str | None = Depends(oauth2_scheme),
    db: Database = Depends(get_db),
    signer: TokenSigner = Depends(get_signer),
) -> Principal:
    if not token:
        raise unauthorized("a bearer token is required")
    username, issued = signer.verify(token)
    with db.read() as session:
        row = UserRepository(session).find(username)
        if row is None or not row.active:
            raise unauthorized("invalid token")
        if int(row.password_changed_at.timestamp() * 1000) > issued:
            raise unauthorized("token issued before the password changed")
        reviewer_id = None
        if row.reviewer_pk is not None:
            reviewer = session.get(ReviewerRow, row.reviewer_pk)
            reviewer_id = reviewer.reviewer_id if reviewer is not None else None
        return Principal(row.username, Role(row.role), reviewer_id)


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only these roles (403 for the others)."""
    allowed = frozenset(roles)

    def dependency(user: Principal = Depends(current_user)) -> Principal:
        if user.role not in allowed:
            raise forbidden()
        return user

    return dependency
