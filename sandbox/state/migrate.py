"""The state schema brought to this sandbox's version at start, by Alembic, on either engine.

Migrations live in ``migrations/versions`` (one file per step, numbered). A database already at
``HEAD`` costs one query and no import of Alembic. Several processes or instances starting at
once take a lock first (an advisory lock on PostgreSQL, a lock file beside an SQLite file), read
the version again, and only then migrate: one of them does the work, the others find it done.

SQLite files written before Alembic carried their layout in ``PRAGMA user_version`` (2: documents
and history; 3: with the journal): they are stamped at the matching revision, and the pragma is
still set, so that an older sandbox refuses a file it cannot read rather than misreading it.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sandbox.state.database import Connection, Database

HEAD = "0005"
"""The newest revision in ``migrations/versions`` (a test checks it is Alembic's head)."""
LAYOUT = 6
"""``PRAGMA user_version`` of an SQLite file at ``HEAD`` (layouts 2 and 3 came before Alembic)."""
_LAYOUT_REVISIONS = {2: "0001", 3: "0002"}
_MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = int.from_bytes(hashlib.sha256(b"ft-sandbox state migrations").digest()[:8], "big") >> 1


class NewerSchemaError(RuntimeError):
    """The database was written by a newer sandbox: this one refuses to touch it."""


def current_revision(conn: Connection) -> str | None:
    """The Alembic revision a database is at; None if it has none (new, or before Alembic)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception:  # the table does not exist: a new database, or an older SQLite file
        return None
    return str(row[0]) if row else None


def _known(revision: str) -> bool:
    return any(_MIGRATIONS.glob(f"versions/{revision}_*.py"))


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    if db.postgres:
        conn = db.connect()
        try:
            conn.execute("SELECT pg_advisory_lock(?)", (_LOCK_KEY,))
            yield
        finally:
            conn.close()  # the session's lock goes with it
        return
    lock = Path(db.location).with_name(Path(db.location).name + ".migrate.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _run_alembic(db: Database, stamp: str | None) -> None:
    import sqlalchemy
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    engine = sqlalchemy.create_engine(db.sqlalchemy_url(), poolclass=sqlalchemy.pool.NullPool)
    try:
        with engine.begin() as connection:
            if not db.postgres:
                # As the store's own connections: in WAL mode, no fsync per DDL statement.
                connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            config.attributes["connection"] = connection
            if stamp is not None:
                command.stamp(config, stamp)
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _sqlite_layout(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    db: Database, conn: Connection, before: Callable[[Connection], None] | None = None
) -> bool:
    """Bring the schema to ``HEAD``; True if anything was migrated.

    ``before`` runs inside the lock on an SQLite file that has no revision yet, before Alembic:
    the store uses it to set aside tables of the first layout, which no revision knows.
    """
    if not db.postgres and (layout := _sqlite_layout(conn)) > LAYOUT:
        raise NewerSchemaError(
            f"{db.label}: state schema {layout} is newer than this sandbox ({LAYOUT})"
        )
    if current_revision(conn) == HEAD:
        return False
    with _migration_lock(db):
        revision = current_revision(conn)
        if revision == HEAD:
            return False
        if revision is not None and not _known(revision):
            raise NewerSchemaError(
                f"{db.label}: state schema {revision} is newer than this sandbox ({HEAD})"
            )
        stamp = None
        if not db.postgres and revision is None:
            stamp = _LAYOUT_REVISIONS.get(_sqlite_layout(conn))
            if stamp is None and before is not None:
                before(conn)
        _run_alembic(db, stamp)
        if not db.postgres:
            conn.execute(f"PRAGMA user_version={LAYOUT}")
    return True
