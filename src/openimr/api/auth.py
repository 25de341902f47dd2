"""Bearer tokens: HMAC-SHA256-signed, with an expiry; roles come from the database.

A token is `base64url(payload).base64url(signature)`; the payload carries the username,
issue and expiry times. On every request the user is reloaded: a deactivated account, or
one whose password changed after the token was issued, is refused (401).
The signing secret is $OPENIMR_API_SECRET, else a random one per process (tokens then end
with the server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    def __init__(self, secret: bytes | None = None, ttl_seconds: int = DEFAULT_TTL_SECONDS):
        env = os.environ.get(SECRET_ENV)
        self._key = secret or (env.encode() if env else secrets.token_bytes(32))
        self.ttl_seconds = ttl_seconds

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest())

    def issue(self, username: str, *, now: float | None = None) -> tuple[str, int]:
        issued = now if now is not None else time.time()
        payload = {
            "sub": username,
            "iat": int(issued * 1000),  # milliseconds: compared with the password change
            "exp": int(issued) + self.ttl_seconds,
        }
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}", self.ttl_seconds

    def verify(self, token: str, *, now: float | None = None) -> tuple[str, int]:
        """(username, issued-at in milliseconds) of a valid token, else ApiProblem 401."""
        try:
            body, signature = token.split(".")
            if not hmac.compare_digest(signature, self._sign(body)):
                raise ValueError("bad signature")
            payload = json.loads(_unb64(body))
            username, issued, expires = payload["sub"], int(payload["iat"]), int(payload["exp"])
        except (ValueError, KeyError, TypeError, UnicodeError) as exc:
            raise unauthorized("invalid token") from exc
        if (now if now is not None else time.time()) >= expires:
            raise unauthorized("token expired")
        return str(username), issued


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
