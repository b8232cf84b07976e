"""Alembic migrations of the state schema (``sandbox.state.migrate`` applies them at start)."""
