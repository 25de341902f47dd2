"""Alembic migrations of the OpenIMR store (run with `openimr db upgrade`)."""
