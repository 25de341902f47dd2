"""`POST /auth/token` (password → bearer token), `GET /auth/me`, `POST /users`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form

from openimr.api import services
from openimr.api.auth import Principal, TokenSigner, current_user, get_db, get_signer, require
from openimr.api.auth import unauthorized as _unauthorized
from openimr.api.problems import ApiProblem
from openimr.api.schemas import Me, TokenOut, UserIn, UserOut
from openimr.store.audit import AuditLog
from openimr.store.engine import Database
from openimr.store.repositories.users import Role, UserRepository

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenOut)
def token(
    username: str = Form(..., min_length=1, max_length=120),
    password: str = Form(..., min_length=1, max_length=1024),
    db: Database = Depends(get_db),
    signer: TokenSigner = Depends(get_signer),
) -> TokenOut:
    """Exchange a username and password (form fields, OAuth2 password flow) for a token."""
    with db.transaction() as session:  # a transaction: authenticate() may rehash
        row = UserRepository(session).authenticate(username, password)
        if row is None:
            raise _unauthorized("wrong username or password")
        AuditLog(session).record(
            actor=row.username, action="auth.token", entity_type="user", entity_id=row.username
        )
        name = row.username
    access, ttl = signer.issue(name)
    return TokenOut(access_token=access, expires_in=ttl)


@router.get("/auth/me", response_model=Me)
def me(user: Principal = Depends(current_user)) -> Me:
    """Who the token belongs to."""
    return Me(username=user.username, role=user.role, reviewer_id=user.reviewer_id)


@router.post("/users", response_model=UserOut, status_code=201, tags=["admin"])
def create_user(
    body: UserIn,
    user: Principal = Depends(require(Role.ADMIN)),
    db: Database = Depends(get_db),
) -> UserOut:
    """Create an account (admin). Reviewer accounts name their roster id."""
    try:
        services.add_user(
            db,
            body.username,
            body.role,
            body.password,
            actor=user.username,
            reviewer_id=body.reviewer_id,
        )
    except ValueError as exc:
        raise ApiProblem(422, "invalid-user", str(exc)) from None
    return UserOut(username=body.username, role=body.role, reviewer_id=body.reviewer_id)
