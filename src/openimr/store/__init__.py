"""The system of record: SQLAlchemy tables, Alembic migrations, repositories, units of work.

- `engine.Database`: `transaction()` (one unit of work, BEGIN IMMEDIATE on SQLite) and
  `read()`; database errors leave as `openimr.errors.StoreError` subclasses.
- `migrate.upgrade(url)`: what `openimr db upgrade` runs.
- `operations`: intake, drafts, finalization, letters, audited document reads, each in one
  transaction (crash-safe, one final per case).
- `repositories`: typed access to the tables inside a caller's transaction.
- `audit.AuditLog`: the append-only log (whitelisted, non-clinical details only).
"""
