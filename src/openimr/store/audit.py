"""The append-only audit log: who did what, when, to which record. Never clinical text.

`details` is limited to a whitelist of keys whose values are numbers, booleans or short
identifier-like strings (no spaces), so a sentence of a medical record cannot be logged by
mistake. The repository has no update or delete, and the database refuses both (triggers
created by the migration).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from openimr.errors import AuditDetailRejected
from openimr.store.schema import AuditEntryRow
from openimr.store.types import utcnow

#: the only keys `details` may carry
ALLOWED_DETAIL_KEYS = frozenset(
    {
        "application_id",
        "audience",
        "case_number",
        "count",
        "deadline_kind",
        "document_count",
        "documents_new",
        "eligibility",
        "format",
        "from_status",
        "from_type",
        "item_count",
        "outcome",
        "page_count",
        "party_count",
        "reason_codes",
        "result",
        "reviewer_id",
        "role",
        "sha256",
        "size_bytes",
        "source",
        "to_status",
        "to_type",
        "username",
        "version",
        "version_no",
        "via",
    }
)
_TOKEN = re.compile(r"^[A-Za-z0-9_.:@/+\-]{0,80}$")
_ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_MAX_LIST = 32


def check_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """Return `details` if every key is whitelisted and every value is a safe scalar/token."""
    clean: dict[str, Any] = {}
    for key, value in details.items():
        if key not in ALLOWED_DETAIL_KEYS:
            raise AuditDetailRejected(f"audit detail key {key!r} is not allowed")
        clean[key] = _check_value(key, value)
    return clean


def _check_value(key: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        if not _TOKEN.match(value):
            raise AuditDetailRejected(
                f"audit detail {key!r} must be a short token (no spaces, at most 80 characters)"
            )
        return value
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        if len(value) > _MAX_LIST:
            raise AuditDetailRejected(f"audit detail {key!r} lists more than {_MAX_LIST} values")
        items = [_check_value(key, v) for v in value]
        if any(isinstance(v, list) for v in items):
            raise AuditDetailRejected(f"audit detail {key!r} must not nest lists")
        return items
    raise AuditDetailRejected(f"audit detail {key!r} has an unsupported type")


class AuditLog:
    """Append and read audit entries inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        *,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str | int,
        case_id: int | None = None,
        at: datetime | None = None,
        **details: Any,
    ) -> AuditEntryRow:
        if not _ACTION.match(action):
            raise AuditDetailRejected(f"audit action {action!r} must look like 'case.intake'")
        if not actor or not _TOKEN.match(actor):
            raise AuditDetailRejected("audit actor must be a username-like token")
        if not _TOKEN.match(entity_type) or not _TOKEN.match(str(entity_id)):
            raise AuditDetailRejected("audit entity must be a type name and an id")
        row = AuditEntryRow(
            occurred_at=at or utcnow(),
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            case_id=case_id,
            details=check_details(details),
        )
        self.session.add(row)
        return row

    def entries(
        self,
        *,
        case_id: int | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 1000,
        after_id: int = 0,
    ) -> list[AuditEntryRow]:
        """Entries oldest first, optionally filtered; `after_id` pages through long logs."""
        query = sa.select(AuditEntryRow).where(AuditEntryRow.id > after_id)
        if case_id is not None:
            query = query.where(AuditEntryRow.case_id == case_id)
        if actor is not None:
            query = query.where(AuditEntryRow.actor == actor)
        if action is not None:
            query = query.where(AuditEntryRow.action == action)
        return list(self.session.scalars(query.order_by(AuditEntryRow.id).limit(limit)))
