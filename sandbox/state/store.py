"""SQLite state: one JSON document per (client, person, facet), plus an append-only history.

Writes are single transactions (document upsert and history row together), in WAL mode, so a
write is either fully there after a restart or a ``kill -9``, or not at all. Every read and write
is scoped by ``client_id``: two départements, or two CI jobs with different clients, never see
each other's writes. Each worker process opens its own connection to the same file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    client_id TEXT NOT NULL,
    person_key TEXT NOT NULL,
    facet TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (client_id, person_key, facet)
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL,
    person_key TEXT NOT NULL,
    facet TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_by_person
    ON history (client_id, person_key, facet, recorded_at);
"""


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of a facet's history, most recent first."""

    items: list[tuple[dt.datetime, dict[str, Any]]]
    total: int


class StateStore:
    """Per-client documents and history in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def read(self, client_id: str, person_key: str, facet: str) -> dict[str, Any] | None:
        """The client's current document for a person's facet, if it ever wrote one."""
        with self._lock:
            row = self._conn.execute(
                "SELECT body FROM documents WHERE client_id=? AND person_key=? AND facet=?",
                (client_id, person_key, facet),
            ).fetchone()
        if row is None:
            return None
        document: dict[str, Any] = json.loads(row[0])
        return document

    def write(
        self,
        client_id: str,
        person_key: str,
        facet: str,
        document: dict[str, Any],
        at: dt.datetime,
    ) -> None:
        """Replace the document and append it to the history, atomically."""
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        stamp = at.isoformat()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO documents (client_id, person_key, facet, body, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, person_key, facet) "
                    "DO UPDATE SET body=excluded.body, updated_at=excluded.updated_at",
                    (client_id, person_key, facet, body, stamp),
                )
                self._conn.execute(
                    "INSERT INTO history (client_id, person_key, facet, body, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (client_id, person_key, facet, body, stamp),
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def history(
        self,
        client_id: str,
        person_key: str,
        facet: str,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> HistoryPage:
        """A page of the facet's past documents between ``start`` and ``end``, newest first."""
        clauses = ["client_id=?", "person_key=?", "facet=?"]
        params: list[Any] = [client_id, person_key, facet]
        if start is not None:
            clauses.append("recorded_at>=?")
            params.append(start.isoformat())
        if end is not None:
            clauses.append("recorded_at<=?")
            params.append(end.isoformat())
        where = " AND ".join(clauses)
        with self._lock:
            total = self._conn.execute(f"SELECT COUNT(*) FROM history WHERE {where}", params)
            count = int(total.fetchone()[0])
            rows = self._conn.execute(
                f"SELECT recorded_at, body FROM history WHERE {where} "
                "ORDER BY recorded_at DESC, id DESC LIMIT ? OFFSET ?",
                [*params, per_page, (page - 1) * per_page],
            ).fetchall()
        items = [(dt.datetime.fromisoformat(stamp), json.loads(body)) for stamp, body in rows]
        return HistoryPage(items=items, total=count)

    def reset(self, client_id: str) -> int:
        """Delete everything one client wrote; returns the number of documents removed."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                removed = self._conn.execute(
                    "DELETE FROM documents WHERE client_id=?", (client_id,)
                ).rowcount
                self._conn.execute("DELETE FROM history WHERE client_id=?", (client_id,))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        return int(removed)
