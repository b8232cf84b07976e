"""SQLite state: one current document per (client, person, facet) and an append-only history.

**No acknowledged write is lost, whatever the number of processes.** ``update`` reads the current
document, lets the caller compute the new one and stores it, all inside one ``BEGIN IMMEDIATE``
transaction: two workers (or two instances on one data directory) writing for the same person are
serialised by SQLite's write lock, so neither overwrites what the other just wrote. WAL mode: a
write is either fully there after a restart or a ``kill -9``, or not at all.

**Costs stay flat.** A write stores the new document and a history row holding only what that
write changed (not the whole document), and bumps counters; a history read counts and pages in
SQL (``tags`` name what a change touched, so a kind of history is an index range). Neither grows
with the number of earlier writes. What one person or one client may hold is capped
(``StoreLimits``); beyond, ``update`` raises ``StorageLimitError`` and stores nothing.

**Reset is instant and gives the space back.** Every row carries its client's *generation*;
``reset`` bumps it in one tiny transaction (the client sees an empty state at once), and a
background purge deletes the old generations in small batches, then returns the pages to the file
system (incremental vacuum, WAL truncated), so other clients never wait behind it.

Every read and write is scoped by ``client_id``: two départements, or two CI jobs with different
clients, never see each other's writes.

**One code path, two engines.** The same statements run on the SQLite file of one machine and on
a PostgreSQL database shared by several instances (``database.py`` holds what differs). On
PostgreSQL a write locks its client's row instead of the whole database, so that clients never
wait for each other while the writes of one client stay serialised across instances. The schema
is created and upgraded by Alembic at start (``migrate.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import orjson

from sandbox.errors import BackendError
from sandbox.state.database import Connection, Database
from sandbox.state.migrate import migrate

LIMIT_CODE = "ERR_LIMITE_BAC_A_SABLE"
T = TypeVar("T")
_PURGE_BATCH = 500


@dataclass(frozen=True, slots=True)
class StoreLimits:
    """What one person or one client may hold (documented in the README, section Limits)."""

    versions_per_document: int = 20_000
    versions_per_client: int = 250_000
    documents_per_client: int = 50_000


class StorageLimitError(BackendError):
    """A write refused because it would go beyond a cap; nothing was stored (409).

    Rendered in the legacy back-end body of the writing API, ``codeErreur``
    ``ERR_LIMITE_BAC_A_SABLE``: a client that meets it is told how to start again.
    """

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(
            409,
            LIMIT_CODE,
            "Limite de stockage du bac à sable atteinte",
            f"Sandbox limit reached: {limit} {what}. Start again with POST /_sandbox/reset "
            "or `ft-sandbox reset --client ID`.",
        )
        self.what = what
        self.limit = limit


@dataclass(frozen=True, slots=True)
class Update:
    """What one write stores: the new document, the change it made, what the change touched."""

    document: dict[str, Any]
    change: dict[str, Any]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of a facet's changes, most recent first, and how many there are in the period."""

    items: list[tuple[dt.datetime, dict[str, Any]]]
    total: int


@dataclass(frozen=True, slots=True)
class Usage:
    """What a client holds."""

    documents: int
    versions: int


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A client-conformance campaign report the kit published (``reports`` table)."""

    id: int
    received_at: dt.datetime
    summary: dict[str, Any]
    result: str | None = None
    """The campaign's JSON text (read with ``report``, not listed)."""
    html: str | None = None
    """The campaign's HTML procès-verbal (read with ``report``, not listed)."""


LegacyUpgrade = Callable[[str, dict[str, Any]], Update]
"""Turns a document of the version-1 layout (whole document in each history row) into an update."""


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class StateStore:
    """Per-client documents and their history, in an SQLite file or a PostgreSQL database.

    ``location`` is a path (SQLite, created if absent) or a ``postgresql://`` URL; every process
    and instance on one location shares its state.
    """

    def __init__(
        self,
        location: Path | str,
        limits: StoreLimits | None = None,
        upgrade: LegacyUpgrade | None = None,
    ) -> None:
        self.database = Database(location)
        self.limits = limits or StoreLimits()
        self._lock = threading.Lock()
        self._conn = self.database.connect()
        # The journal writes in batches from a background thread: on its own connection, so that
        # partner reads never wait behind a batch (WAL: readers do not block the writer).
        self._journal_lock = threading.Lock()
        self._journal_conn: Connection | None = None
        self._purger: threading.Thread | None = None
        self._purge_again = threading.Event()
        self._writes = 0
        # PostgreSQL has no cheap "anything changed" number: each stamp is new (see ``stamp``).
        self._stamps = itertools.count()
        with self._lock:
            self._open_schema(upgrade)
        if self._stale_generations():
            self._start_purge()

    def close(self) -> None:
        """Wait for a running purge, then close the connection."""
        purger = self._purger
        if purger is not None:
            purger.join()
        self._conn.close()
        if self._journal_conn is not None:
            self._journal_conn.close()

    # Schema --------------------------------------------------------------------------------

    def _open_schema(self, upgrade: LegacyUpgrade | None) -> None:
        conn = self._conn
        legacy = False

        def set_aside_the_first_layout(conn: Connection) -> None:
            nonlocal legacy
            legacy = self._has_table("history") and not self._has_table("clients")
            if legacy:
                if upgrade is None:
                    raise RuntimeError(
                        f"{self.database.label}: an older state file needs its facets' upgrade"
                    )
                with self.database.transaction(conn):
                    conn.execute("ALTER TABLE documents RENAME TO legacy_documents")
                    conn.execute("ALTER TABLE history RENAME TO legacy_history")
                    conn.execute("DROP INDEX IF EXISTS history_by_person")

        migrate(self.database, conn, before=set_aside_the_first_layout)
        if legacy and upgrade is not None:
            with self.database.transaction(conn):
                self._upgrade_legacy(upgrade)
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")
            conn.execute("VACUUM")

    def _has_table(self, name: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
        ).fetchone()
        return row is not None

    def _upgrade_legacy(self, upgrade: LegacyUpgrade) -> None:
        # Layout 1 (SQLite only) kept the whole document in every history row: each row becomes
        # the change it recorded, and the current documents are kept as they are.
        conn = self._conn
        rows = conn.execute(
            "SELECT client_id, person_key, facet, body, recorded_at FROM legacy_history ORDER BY id"
        ).fetchall()
        for client_id, person_key, facet, body, stamp in rows:
            update = upgrade(facet, json.loads(body))
            self._append(conn, client_id, 0, person_key, facet, update, stamp)
        documents = conn.execute(
            "SELECT client_id, person_key, facet, body, updated_at FROM legacy_documents"
        ).fetchall()
        for client_id, person_key, facet, body, stamp in documents:
            update = upgrade(facet, json.loads(body))
            versions = conn.execute(
                "SELECT COUNT(*) FROM history WHERE client_id=? AND generation=0 "
                "AND person_key=? AND facet=?",
                (client_id, person_key, facet),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO documents VALUES (?, 0, ?, ?, ?, ?, ?)",
                (client_id, person_key, facet, _dump(update.document), stamp, versions),
            )
        conn.execute(
            "INSERT INTO clients (client_id, generation, documents, versions) "
            "SELECT client_id, 0, COUNT(*), SUM(versions) FROM documents GROUP BY client_id"
        )
        conn.execute("DROP TABLE legacy_history")
        conn.execute("DROP TABLE legacy_documents")

    # Reads ---------------------------------------------------------------------------------

    def read(self, client_id: str, person_key: str, facet: str) -> dict[str, Any] | None:
        """The client's current document for a person's facet, if it ever wrote one."""
        with self._lock:
            row = self._conn.execute(
                "SELECT d.body FROM documents d JOIN clients c "
                "ON c.client_id=d.client_id AND c.generation=d.generation "
                "WHERE d.client_id=? AND d.person_key=? AND d.facet=?",
                (client_id, person_key, facet),
            ).fetchone()
        if row is None:
            return None
        document: dict[str, Any] = json.loads(row[0])
        return document

    def history(
        self,
        client_id: str,
        person_key: str,
        facet: str,
        tag: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> HistoryPage:
        """A page of the changes (with ``tag`` if given) between ``start`` and ``end``."""
        table = "history" if tag is None else "history_tags"
        clauses = [
            "x.client_id=?",
            "x.generation=(SELECT generation FROM clients WHERE client_id=?)",
            "x.person_key=?",
            "x.facet=?",
        ]
        params: list[Any] = [client_id, client_id, person_key, facet]
        if tag is not None:
            clauses.append("x.tag=?")
            params.append(tag)
        if start is not None:
            clauses.append("x.recorded_at>=?")
            params.append(start.isoformat())
        if end is not None:
            clauses.append("x.recorded_at<=?")
            params.append(end.isoformat())
        where = " AND ".join(clauses)
        key = "x.id" if tag is None else "x.history_id"
        # One read transaction: the count and the page see the same snapshot.
        with self._lock, self.database.transaction(self._conn, write=False) as conn:
            count = conn.execute(f"SELECT COUNT(*) FROM {table} x WHERE {where}", params)
            total = int(count.fetchone()[0])
            offset = (page - 1) * per_page
            # A page past the end is empty (and its offset may not even fit SQLite's integers).
            rows = (
                conn.execute(
                    f"SELECT h.recorded_at, h.body FROM {table} x JOIN history h "
                    f"ON h.id={key} WHERE {where} "
                    f"ORDER BY x.recorded_at DESC, {key} DESC LIMIT ? OFFSET ?",
                    [*params, per_page, offset],
                ).fetchall()
                if offset < total
                else []
            )
        items = [(dt.datetime.fromisoformat(stamp), json.loads(body)) for stamp, body in rows]
        return HistoryPage(items=items, total=total)

    def revision(self, client_id: str, person_key: str, facet: str) -> tuple[int, int] | None:
        """The (generation, versions) of a current document, if any: changes with every write."""
        with self._lock:
            row = self._conn.execute(
                "SELECT d.generation, d.versions FROM documents d JOIN clients c "
                "ON c.client_id=d.client_id AND c.generation=d.generation "
                "WHERE d.client_id=? AND d.person_key=? AND d.facet=?",
                (client_id, person_key, facet),
            ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def stamp(self) -> tuple[int, int]:
        """A value that changes whenever anything was written, by this process or another.

        ``PRAGMA data_version`` moves with other connections' commits, the counter with this
        one's: a cache built from the state stays valid while the stamp stays the same, at the
        cost of one pragma instead of a query (the ingested people of the file drop). On
        PostgreSQL, where other instances write, every stamp is new: callers then check what
        they cached by its revision.
        """
        with self._lock:
            version = self.database.data_version(self._conn)
            if version is None:
                return -1, next(self._stamps)
            return version, self._writes

    def reachable(self) -> bool:
        """Whether the database answers now (the health check a load balancer polls)."""
        try:
            with self._lock:
                self._conn.execute("SELECT 1").fetchone()
        except Exception:  # any driver error means the same to a load balancer: not now
            return False
        return True

    def usage(self, client_id: str) -> Usage:
        """How many documents and versions a client holds now."""
        with self._lock:
            row = self._conn.execute(
                "SELECT documents, versions FROM clients WHERE client_id=?", (client_id,)
            ).fetchone()
        return Usage(documents=row[0], versions=row[1]) if row else Usage(0, 0)

    # Writes --------------------------------------------------------------------------------

    def update(
        self,
        client_id: str,
        person_key: str,
        facet: str,
        at: dt.datetime,
        apply: Callable[[dict[str, Any] | None], Update],
    ) -> Update:
        """Read the current document, store ``apply``'s result, in one transaction.

        ``apply`` receives the current document (None if there is none) and may raise to refuse
        the write: nothing is stored then. Raises ``StorageLimitError`` past a cap.
        """
        stamp = at.isoformat()
        limits = self.limits
        with self._lock, self.database.transaction(self._conn) as conn:
            generation, documents, versions = self._lock_client(conn, client_id)
            row = conn.execute(
                "SELECT body, versions FROM documents WHERE client_id=? AND generation=? "
                "AND person_key=? AND facet=?",
                (client_id, generation, person_key, facet),
            ).fetchone()
            if row is None and documents >= limits.documents_per_client:
                raise StorageLimitError("documents per client", limits.documents_per_client)
            if versions >= limits.versions_per_client:
                raise StorageLimitError("versions per client", limits.versions_per_client)
            if row is not None and row[1] >= limits.versions_per_document:
                raise StorageLimitError("versions per person", limits.versions_per_document)
            update = apply(json.loads(row[0]) if row else None)
            self._append(conn, client_id, generation, person_key, facet, update, stamp)
            conn.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (client_id, generation, person_key, facet) DO UPDATE SET "
                "body=excluded.body, updated_at=excluded.updated_at, versions=documents.versions+1",
                (client_id, generation, person_key, facet, _dump(update.document), stamp),
            )
            conn.execute(
                "UPDATE clients SET documents=documents+?, versions=versions+1 WHERE client_id=?",
                (int(row is None), client_id),
            )
            self._writes += 1
        return update

    def _lock_client(self, conn: Connection, client_id: str) -> tuple[int, int, int]:
        """A client's (generation, documents, versions), its row locked until the commit."""
        conn.execute(
            "INSERT INTO clients (client_id, generation, documents, versions) "
            "VALUES (?, 0, 0, 0) ON CONFLICT (client_id) DO NOTHING",
            (client_id,),
        )
        row = conn.execute(
            "SELECT generation, documents, versions FROM clients WHERE client_id=?"
            + self.database.for_update,
            (client_id,),
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def delete(self, client_id: str, person_key: str, facet: str) -> bool:
        """Delete one current document and its history for good; False if there was none.

        Unlike ``reset``, the rows go at once (the file drop's purge of an expired upload: its
        bytes must not outlive the retention), and the client's counters give the room back.
        """
        with self._lock, self.database.transaction(self._conn) as conn:
            client = conn.execute(
                "SELECT generation FROM clients WHERE client_id=?" + self.database.for_update,
                (client_id,),
            ).fetchone()
            if client is None:
                return False
            key = (client_id, client[0], person_key, facet)
            row = conn.execute(
                "SELECT versions FROM documents WHERE client_id=? AND generation=? "
                "AND person_key=? AND facet=?",
                key,
            ).fetchone()
            if row is None:
                return False
            where = "client_id=? AND generation=? AND person_key=? AND facet=?"
            for table in ("history_tags", "history", "documents"):
                conn.execute(f"DELETE FROM {table} WHERE {where}", key)
            conn.execute(
                "UPDATE clients SET documents=documents-1, "
                "versions=CASE WHEN versions>? THEN versions-? ELSE 0 END WHERE client_id=?",
                (int(row[0]), int(row[0]), client_id),
            )
            self._writes += 1
        return True

    @staticmethod
    def _append(
        conn: Connection,
        client_id: str,
        generation: int,
        person_key: str,
        facet: str,
        update: Update,
        stamp: str,
    ) -> None:
        history_id = conn.execute(
            "INSERT INTO history (client_id, generation, person_key, facet, recorded_at, body) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (client_id, generation, person_key, facet, stamp, _dump(update.change)),
        ).fetchone()[0]
        if update.tags:
            conn.executemany(
                "INSERT INTO history_tags VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (client_id, generation, person_key, facet, tag, stamp, history_id)
                    for tag in update.tags
                ],
            )

    # Journal -------------------------------------------------------------------------------

    def _journal(self) -> Connection:
        if self._journal_conn is None:
            self._journal_conn = self.database.connect()
        return self._journal_conn

    def journal_append(
        self, batches: dict[str, list[tuple[dict[str, Any], str | None]]], keep: int
    ) -> None:
        """Append exchanges per client in one transaction; number them; keep the last ``keep``.

        Each exchange comes with the fault type it carried (counted per client). Numbers are
        given here, inside the write lock, so that several processes on one file never reuse one.
        """
        with self._journal_lock, self.database.transaction(self._journal()) as conn:
            # Clients in one order: two instances locking the same clients never deadlock.
            for client_id, rows in sorted(batches.items()):
                conn.execute(
                    "INSERT INTO journal_clients (client_id) VALUES (?) "
                    "ON CONFLICT (client_id) DO NOTHING",
                    (client_id,),
                )
                generation, calls, faults_text = conn.execute(
                    "SELECT generation, calls, faults FROM journal_clients WHERE client_id=?"
                    + self.database.for_update,
                    (client_id,),
                ).fetchone()
                faults: dict[str, int] = json.loads(faults_text)
                numbered = []
                for body, fault in rows:
                    calls += 1
                    numbered.append((client_id, generation, calls, orjson.dumps(body).decode()))
                    if fault:
                        faults[fault] = faults.get(fault, 0) + 1
                # A rowid table: entries of a kilobyte or more append at its end (a WITHOUT ROWID
                # table would rebalance its tree with every such row).
                conn.executemany(
                    "INSERT INTO journal (client_id, generation, idx, body) VALUES (?, ?, ?, ?)",
                    numbered,
                )
                conn.execute(
                    "UPDATE journal_clients SET calls=?, faults=? WHERE client_id=?",
                    (calls, _dump(faults), client_id),
                )
                conn.execute(
                    "DELETE FROM journal WHERE client_id=? AND generation=? AND idx<=?",
                    (client_id, generation, calls - keep),
                )

    def journal_read(
        self, client_id: str, limit: int, since: int | None = None
    ) -> list[tuple[int, dict[str, Any]]]:
        """A client's exchanges, oldest first: the last ``limit``, or the first after ``since``."""
        return self.journal_page(client_id, limit, since)[1]

    def journal_page(
        self, client_id: str, limit: int, since: int | None = None
    ) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
        """The journal's generation and, from that generation, ``journal_read``'s exchanges.

        The generation goes up with every reset of the client (its numbers start again from
        1): a reader paging with ``since`` knows by it that its last number means nothing now.
        Both are read in one transaction, so the exchanges are of the generation returned.
        """
        with self._journal_lock, self.database.transaction(self._journal(), write=False) as conn:
            found = conn.execute(
                "SELECT generation FROM journal_clients WHERE client_id=?", (client_id,)
            ).fetchone()
            generation = int(found[0]) if found else 0
            if since is None:
                rows = conn.execute(
                    "SELECT idx, body FROM journal WHERE client_id=? AND generation=? "
                    "ORDER BY idx DESC LIMIT ?",
                    (client_id, generation, limit),
                ).fetchall()
                rows.reverse()
            else:
                rows = conn.execute(
                    "SELECT idx, body FROM journal WHERE client_id=? AND generation=? "
                    "AND idx>? ORDER BY idx LIMIT ?",
                    (client_id, generation, since, limit),
                ).fetchall()
        return generation, [(int(idx), orjson.loads(body)) for idx, body in rows]

    def journal_counters(self) -> dict[str, tuple[int, dict[str, int]]]:
        """Calls and injected faults per client since its last reset."""
        with self._journal_lock:
            rows = (
                self._journal()
                .execute(
                    "SELECT client_id, calls, faults FROM journal_clients WHERE calls>0 "
                    "ORDER BY client_id"
                )
                .fetchall()
            )
        return {client: (int(calls), json.loads(faults)) for client, calls, faults in rows}

    def journal_forget(self, client_id: str) -> None:
        """Start a client's journal again from call 1; its old exchanges are deleted in batches."""
        with self._journal_lock, self.database.transaction(self._journal()) as conn:
            conn.execute(
                "UPDATE journal_clients SET generation=generation+1, calls=0, faults='{}' "
                "WHERE client_id=?",
                (client_id,),
            )
            found = conn.execute(
                "SELECT generation FROM journal_clients WHERE client_id=?", (client_id,)
            ).fetchone()
        if found is None:
            return
        while True:
            # Small transactions: other writers get the lock between two batches.
            with self._journal_lock:
                old = (
                    self._journal()
                    .execute(
                        "SELECT generation FROM journal WHERE client_id=? AND generation<? LIMIT 1",
                        (client_id, found[0]),
                    )
                    .fetchone()
                )
                if old is None:
                    return
                self._journal().execute(
                    "DELETE FROM journal WHERE client_id=? AND generation=? AND idx IN "
                    f"(SELECT idx FROM journal WHERE client_id=? AND generation=? "
                    f"LIMIT {_PURGE_BATCH})",
                    (client_id, old[0], client_id, old[0]),
                )

    # Control settings and instance secrets -------------------------------------------------

    def control_write(self, name: str, body: Any) -> int:
        """Store one control setting (JSON); returns its new version, which only grows."""
        with self._lock, self.database.transaction(self._conn) as conn:
            row = conn.execute(
                "INSERT INTO control (name, version, body) VALUES (?, 1, ?) "
                "ON CONFLICT (name) DO UPDATE SET version=control.version+1, body=excluded.body "
                "RETURNING version",
                (name, orjson.dumps(body).decode()),
            ).fetchone()
            self._writes += 1
        return int(row[0])

    def control_update(self, name: str, apply: Callable[[Any], tuple[Any, T]]) -> T:
        """Change one control setting from its current value (None if absent) in one
        transaction, the row locked: ``apply`` returns the new value and a result, returned."""
        with self._lock, self.database.transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO control (name, version, body) VALUES (?, 0, 'null') "
                "ON CONFLICT (name) DO NOTHING",
                (name,),
            )
            body = conn.execute(
                "SELECT body FROM control WHERE name=?" + self.database.for_update, (name,)
            ).fetchone()[0]
            value, result = apply(orjson.loads(body))
            conn.execute(
                "UPDATE control SET version=version+1, body=? WHERE name=?",
                (orjson.dumps(value).decode(), name),
            )
            self._writes += 1
        return result

    def control_changes(self, seen: dict[str, int]) -> list[tuple[str, int, Any]]:
        """The settings whose version differs from ``seen``: (name, version, body).

        One small read (a few settings, the outages the largest: ``MAX_OUTAGES`` of them).
        """
        with self._lock:
            rows = self._conn.execute("SELECT name, version, body FROM control").fetchall()
        return [
            (name, int(version), orjson.loads(body))
            for name, version, body in rows
            if seen.get(name) != int(version)
        ]

    @contextmanager
    def fault_stream(self, client_id: str) -> Iterator[dict[str, Any]]:
        """A client's fault stream (``position``, ``buckets``), locked while the caller decides;
        what the caller changed in it is stored on exit (nothing if it raised)."""
        with self._lock, self.database.transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO fault_streams (client_id, position, buckets) VALUES (?, 0, '{}') "
                "ON CONFLICT (client_id) DO NOTHING",
                (client_id,),
            )
            position, buckets = conn.execute(
                "SELECT position, buckets FROM fault_streams WHERE client_id=?"
                + self.database.for_update,
                (client_id,),
            ).fetchone()
            stream = {"position": int(position), "buckets": orjson.loads(buckets)}
            yield stream
            conn.execute(
                "UPDATE fault_streams SET position=?, buckets=? WHERE client_id=?",
                (stream["position"], orjson.dumps(stream["buckets"]).decode(), client_id),
            )
            self._writes += 1

    def fault_stream_forget(self, client_id: str) -> None:
        """Start a client's fault stream again from its beginning."""
        with self._lock:
            self._conn.execute("DELETE FROM fault_streams WHERE client_id=?", (client_id,))
            self._writes += 1

    def instance_secret(self, name: str, candidate: str) -> str:
        """The instance-wide secret ``name``: ``candidate`` if none was stored yet, else the
        stored one (several instances starting at once all get the first one stored)."""
        with self._lock, self.database.transaction(self._conn) as conn:
            conn.execute(
                "INSERT INTO instance_secrets (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                (name, candidate),
            )
            row = conn.execute(
                "SELECT value FROM instance_secrets WHERE name=?", (name,)
            ).fetchone()
        return str(row[0])

    # Published reports ---------------------------------------------------------------------

    def report_add(
        self,
        client_id: str,
        at: dt.datetime,
        summary: dict[str, Any],
        result: str,
        html: str,
        keep: int,
    ) -> int:
        """Keep a client's campaign report and drop its oldest beyond ``keep``; returns its id.

        Ids are never reused (a link to a dropped report never opens a newer one).
        """
        with self._lock, self.database.transaction(self._conn) as conn:
            report_id = conn.execute(
                "INSERT INTO reports (client_id, received_at, summary, result, html) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (client_id, at.isoformat(), _dump(summary), result, html),
            ).fetchone()[0]
            conn.execute(
                "DELETE FROM reports WHERE client_id=? AND id NOT IN "
                "(SELECT id FROM reports WHERE client_id=? ORDER BY id DESC LIMIT ?)",
                (client_id, client_id, keep),
            )
            self._writes += 1
        return int(report_id)

    def reports(self, client_id: str) -> list[StoredReport]:
        """A client's kept reports, newest first, without their JSON and HTML."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, received_at, summary FROM reports WHERE client_id=? ORDER BY id DESC",
                (client_id,),
            ).fetchall()
        return [
            StoredReport(int(i), dt.datetime.fromisoformat(at), json.loads(summary))
            for i, at, summary in rows
        ]

    def report(self, client_id: str, report_id: int) -> StoredReport | None:
        """One of a client's kept reports, with its JSON and HTML; None if not kept (or not its)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id, received_at, summary, result, html FROM reports "
                "WHERE client_id=? AND id=?",
                (client_id, report_id),
            ).fetchone()
        if row is None:
            return None
        report_id, at, summary, result, html = row
        return StoredReport(
            int(report_id), dt.datetime.fromisoformat(at), json.loads(summary), result, html
        )

    # Reset and purge -----------------------------------------------------------------------

    def reset(self, client_id: str, keep_reports: bool = False) -> int:
        """Forget everything one client wrote, at once; returns the number of documents removed.

        The rows themselves are deleted by a background purge, which gives their space back.
        The client's published reports go at once (a few rows, deleted in the same transaction),
        unless ``keep_reports`` (the conformance kit's reset between two scenarios).
        """
        with self._lock, self.database.transaction(self._conn) as conn:
            if not keep_reports:
                deleted = conn.execute("DELETE FROM reports WHERE client_id=?", (client_id,))
                self._writes += bool(deleted.rowcount)
            row = conn.execute(
                "SELECT documents FROM clients WHERE client_id=?" + self.database.for_update,
                (client_id,),
            ).fetchone()
            if row is None:
                return 0
            conn.execute(
                "UPDATE clients SET generation=generation+1, documents=0, versions=0 "
                "WHERE client_id=?",
                (client_id,),
            )
            self._writes += 1
        self._start_purge()
        return int(row[0])

    def purge(self) -> None:
        """Delete the rows of past generations in small transactions, then give the space back."""
        conn = self.database.connect()
        try:
            for client_id, generation in conn.execute(
                "SELECT client_id, generation FROM clients"
            ).fetchall():
                for table, key in (
                    ("history_tags", "history_id"),
                    ("documents", self.database.row_key),
                    ("history", "id"),
                ):
                    self._purge_table(conn, table, key, client_id, generation)
            self.database.give_back_space(conn)
        finally:
            conn.close()

    @staticmethod
    def _purge_table(conn: Connection, table: str, key: str, client_id: str, current: int) -> None:
        deleted = -1
        while deleted:
            # Small transactions: every other writer gets the lock between two batches.
            deleted = conn.execute(
                f"DELETE FROM {table} WHERE client_id=? AND generation<? AND {key} IN "
                f"(SELECT {key} FROM {table} WHERE client_id=? AND generation<? "
                f"LIMIT {_PURGE_BATCH})",
                (client_id, current, client_id, current),
            ).rowcount

    def _stale_generations(self) -> bool:
        with self._lock:
            clients = self._conn.execute("SELECT client_id, generation FROM clients").fetchall()
            return any(
                self._conn.execute(
                    "SELECT 1 FROM history WHERE client_id=? AND generation<? LIMIT 1", client
                ).fetchone()
                for client in clients
            )

    def _start_purge(self) -> None:
        self._purge_again.set()
        if self._purger is not None and self._purger.is_alive():
            return
        self._purger = threading.Thread(target=self._purge_loop, name="state-purge", daemon=True)
        self._purger.start()

    def _purge_loop(self) -> None:
        while self._purge_again.is_set():
            self._purge_again.clear()
            self.purge()
