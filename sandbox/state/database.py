"""The two engines the state runs on: an SQLite file (the embedded default) and PostgreSQL.

The store's SQL is written once, with ``?`` placeholders and the syntax both engines share
(``ON CONFLICT … DO UPDATE``, ``RETURNING``, ``LIMIT``). What differs lives here and only here:
how a connection is opened, how a write transaction takes its lock, the placeholder style, the
clause that locks a row, the hidden row key used to delete in batches, and what "giving the
space back" means.

Why each write takes a lock: ``update`` is a read-modify-write. SQLite's ``BEGIN IMMEDIATE``
takes the database's write lock before the read; PostgreSQL's default isolation lets two
transactions read the same row, so the store reads its client's row ``FOR UPDATE``, which
serialises the writes of one client (and only of that client) across every instance.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

_WAL_LIMIT_BYTES = 16 * 1024 * 1024
_VACUUM_STEP_PAGES = 2000
POSTGRES_SCHEMES = ("postgresql", "postgres")


class Cursor(Protocol):
    """What the store reads from an executed statement (sqlite3 and psycopg cursors alike)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the store uses."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Cursor: ...

    def executemany(self, sql: str, rows: Any) -> Any: ...

    def close(self) -> None: ...


def is_postgres(location: str | Path) -> bool:
    """Whether a state location names a PostgreSQL database rather than an SQLite file."""
    return isinstance(location, str) and urlsplit(location).scheme in POSTGRES_SCHEMES


def masked_url(url: str) -> str:
    """A database URL fit for a log or an error: its password replaced by ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


@lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    # The store's statements hold no literal '?' or '%': a plain replace is exact.
    return sql.replace("?", "%s")


@dataclass(frozen=True, slots=True)
class Database:
    """One state location and the dialect of its engine."""

    location: str | Path
    """An SQLite file path, or a ``postgresql://`` URL."""

    @property
    def postgres(self) -> bool:
        """Whether this is PostgreSQL."""
        return is_postgres(self.location)

    @property
    def label(self) -> str:
        """The location fit for messages (no password)."""
        return masked_url(self.location) if isinstance(self.location, str) else str(self.location)

    @property
    def for_update(self) -> str:
        """The clause that locks the rows a transaction read (SQLite locks the whole file)."""
        return " FOR UPDATE" if self.postgres else ""

    @property
    def row_key(self) -> str:
        """A hidden column naming one row of a table, to delete a table's rows in batches."""
        return "ctid" if self.postgres else "rowid"

    def sqlalchemy_url(self) -> str:
        """The URL Alembic's engine takes (psycopg 3 as the PostgreSQL driver)."""
        if self.postgres:
            parts = urlsplit(str(self.location))
            return parts._replace(scheme="postgresql+psycopg").geturl()
        return f"sqlite:///{Path(self.location)}"

    def connect(self) -> Connection:
        """A new connection in autocommit mode: transactions are opened by ``transaction``."""
        if self.postgres:
            return _PostgresConnection(str(self.location))
        path = Path(self.location)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10.0)
        # Only takes effect on a new file, and must come before WAL mode writes its first page.
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA journal_size_limit={_WAL_LIMIT_BYTES}")
        return conn

    @contextmanager
    def transaction(self, conn: Connection, write: bool = True) -> Iterator[Connection]:
        """One transaction; a write one takes SQLite's write lock before it reads.

        A read one sees one snapshot on both engines (SQLite's ``BEGIN``; PostgreSQL's default
        isolation would let a count and the page after it see different commits).
        """
        if self.postgres:
            conn.execute("BEGIN" if write else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def give_back_space(self, conn: Connection) -> None:
        """Return freed pages to the file system (SQLite); PostgreSQL's autovacuum does it."""
        if self.postgres:
            return
        if conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2:
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
            while free:
                conn.execute(f"PRAGMA incremental_vacuum({_VACUUM_STEP_PAGES})")
                left = conn.execute("PRAGMA freelist_count").fetchone()[0]
                if left >= free:
                    break
                free = left
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def data_version(self, conn: Connection) -> int | None:
        """A number another connection's commit changes (SQLite); None where there is none."""
        if self.postgres:
            return None
        return int(conn.execute("PRAGMA data_version").fetchone()[0])


class _PostgresConnection:
    """A psycopg 3 connection that takes the store's ``?`` statements."""

    def __init__(self, url: str) -> None:
        import psycopg  # the `postgresql` extra: only needed when a PostgreSQL URL is given

        self._url = url
        self._conn = psycopg.connect(url, autocommit=True, connect_timeout=5)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        # After the server restarted or dropped the session, the next statement opens a new
        # connection: the request that met the loss fails, the instance does not stay down.
        if self._conn.broken or self._conn.closed:
            import psycopg

            self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=5)
        return self._conn.execute(_pyformat(sql), params)

    def executemany(self, sql: str, rows: Any) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(_pyformat(sql), rows)

    def close(self) -> None:
        self._conn.close()
