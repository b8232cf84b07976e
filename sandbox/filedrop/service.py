"""The file drop: the convention's "solution de partage de fichiers sécurisée … délai d'expiration
court", as a sandbox service (no HTTP here; ``sandbox.apis.depot_fichiers`` serves it).

**Storage.** Everything goes through the state layer, under the pseudo person key
``DROP_OWNER`` of the uploading client: an index document (the uploads' metadata, the next
rank), one document per upload holding its bytes (base64) and one holding its report. History
rows record sizes and counts only, never the content. A client's reset takes its drop along.

**Limits** (README "Limits"): ``MAX_FILE_BYTES`` per file (413 beyond), ``MAX_UPLOADS`` kept per
client (409 ``ERR_LIMITE_BAC_A_SABLE``; a pilot file needs two places: its indicators file is
stored beside it).

**Retention.** An upload expires ``retention_days`` after it was dropped, on the instance's
(virtual) clock. Every drop operation, of any client, first purges what has expired — content,
report and metadata deleted from the store for good — so an expired upload is gone from the
listing and answers 404, whichever client asks first.

**Ingestion.** An accepted Annexe 1 file (no error-severity finding) registers its people for
the client (``ingestion``); an accepted Annexe 4 pilot file gets its indicators file back
(``indicators``), checked before it is stored; an accepted Annexe 3 §1.1 habilitation file
registers one Suivi de parcours account per person for the client (``sandbox.suivi.accounts``;
``registered`` counts them).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import BackendError
from sandbox.exchange import ROW_MODELS, Limits, check
from sandbox.filedrop.indicators import indicators_for
from sandbox.filedrop.ingestion import DROP_OWNER, IngestedPeople
from sandbox.findings import Report, Severity
from sandbox.identifiers import normalise_nir
from sandbox.population import Population
from sandbox.randomness import derive_key
from sandbox.state import StateStore, Update
from sandbox.state.store import LIMIT_CODE
from sandbox.suivi.accounts import Accounts

log = logging.getLogger("sandbox.filedrop")

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest file accepted by the drop (README "Limits")."""
MAX_UPLOADS = 20
"""Uploads one client keeps at once, the indicators files the sandbox returns included."""
INDEX_FACET = "depot-index"
_NAME_KEPT = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100
ORIGIN_CLIENT = "client"
ORIGIN_SANDBOX = "bac-a-sable"


def _content_facet(upload_id: str) -> str:
    return f"depot-contenu:{upload_id}"


def _report_facet(upload_id: str) -> str:
    return f"depot-rapport:{upload_id}"


def safe_name(name: str | None) -> str:
    """A file name kept for the listing: letters, digits, ``._-`` only, 100 characters at most."""
    kept = _NAME_KEPT.sub("_", name or "").strip("._")[:_MAX_NAME]
    return kept or "fichier"


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload's metadata as the drop lists it (no content, no finding)."""

    id: str
    name: str
    kind: str | None
    size: int
    dropped_at: dt.datetime
    expires_at: dt.datetime
    origin: str
    status: str
    rows: int
    counts: dict[str, int]
    registered: int | None = None
    already_known: int | None = None
    source: str | None = None
    indicators: str | None = None

    def to_document(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "size": self.size,
            "dropped_at": self.dropped_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "origin": self.origin,
            "status": self.status,
            "rows": self.rows,
            "counts": self.counts,
            "registered": self.registered,
            "already_known": self.already_known,
            "source": self.source,
            "indicators": self.indicators,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Upload:
        """Read the stored form back."""
        return cls(
            **{
                **document,
                "dropped_at": dt.datetime.fromisoformat(document["dropped_at"]),
                "expires_at": dt.datetime.fromisoformat(document["expires_at"]),
            }
        )


def status_of(report: Report) -> str:
    """``illisible`` (not a table), ``refuse`` (an error-severity finding) or ``accepte``."""
    if not report.readable:
        return "illisible"
    return "refuse" if report.fails(Severity.ERROR) else "accepte"


def not_found(upload_id: str) -> BackendError:
    """The 404 of an upload this client does not have (never had, deleted, or expired)."""
    return BackendError(
        404,
        "ERR_DEPOT_INTROUVABLE",
        "Dépôt introuvable",
        f"No upload {upload_id[:40]!r} in this client's drop: uploads are per client, and expire "
        "after the retention period (FT_SANDBOX_DROP_RETENTION_DAYS, README 'File drop').",
    )


class FileDrop:
    """The uploads of every client of one instance."""

    def __init__(
        self,
        store: StateStore,
        clock: Clock,
        population: Population,
        people: IngestedPeople,
        retention_days: int,
        client_ids: Callable[[], Iterable[str]],
        max_file_bytes: int = MAX_FILE_BYTES,
        max_uploads: int = MAX_UPLOADS,
        accounts: Accounts | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._population = population
        self._people = people
        self._accounts = accounts
        self._client_ids = client_ids
        self.retention = dt.timedelta(days=retention_days)
        self.max_file_bytes = max_file_bytes
        self.max_uploads = max_uploads
        self._id_key = derive_key(population.seed, "depot-id")

    # Reads ----------------------------------------------------------------------------------

    def uploads(self, client_id: str) -> list[Upload]:
        """The client's uploads still kept, oldest first."""
        self.purge_expired()
        return self._listing(client_id)

    def upload(self, client_id: str, upload_id: str) -> Upload:
        """One upload's metadata; 404 if the client has no such upload (or it expired)."""
        self.purge_expired()
        for upload in self._listing(client_id):
            if upload.id == upload_id:
                return upload
        raise not_found(upload_id)

    def report(self, client_id: str, upload_id: str) -> dict[str, Any]:
        """The stored report of an upload (values masked by the checker)."""
        self.upload(client_id, upload_id)
        document = self._store.read(client_id, DROP_OWNER, _report_facet(upload_id))
        if document is None:
            raise not_found(upload_id)
        return document

    def content(self, client_id: str, upload_id: str) -> tuple[Upload, bytes]:
        """An upload's metadata and bytes, as dropped (or as the sandbox produced them)."""
        upload = self.upload(client_id, upload_id)
        document = self._store.read(client_id, DROP_OWNER, _content_facet(upload_id))
        if document is None:
            raise not_found(upload_id)
        return upload, base64.b64decode(document["base64"])

    def _listing(self, client_id: str) -> list[Upload]:
        index = self._store.read(client_id, DROP_OWNER, INDEX_FACET) or {}
        return [Upload.from_document(item) for item in index.get("uploads", [])]

    # Writes ---------------------------------------------------------------------------------

    def drop(
        self, client_id: str, content: bytes, name: str | None, kind: str | None = None
    ) -> Upload:
        """Check a file, store it with its report, ingest it if accepted; returns its metadata.

        Raises 400 for an empty file or an unknown ``kind``, 413 past ``max_file_bytes``, 409
        ``ERR_LIMITE_BAC_A_SABLE`` when the client already keeps ``max_uploads`` uploads.
        """
        self.purge_expired()
        if kind is not None and kind not in ROW_MODELS:
            raise BackendError(
                400,
                "ERR_TYPE_FICHIER_INCONNU",
                "Type de fichier inconnu",
                f"kind must be one of {', '.join(sorted(ROW_MODELS))}, or be left out to detect "
                "it from the header.",
            )
        if not content:
            raise BackendError(
                400,
                "ERR_FICHIER_ABSENT",
                "Le fichier est vide ou absent",
                "Send the file as the request body (or as the multipart part 'fichier').",
            )
        if len(content) > self.max_file_bytes:
            raise too_large(self.max_file_bytes)
        kept = self._listing(client_id)
        if len(kept) >= self.max_uploads:
            raise _limit(self.max_uploads)
        rows: list[dict[str, str]] = []
        report = check(
            content,
            kind,
            name=safe_name(name),
            limits=Limits(max_file_bytes=self.max_file_bytes),
            on_row=lambda _line, row: rows.append(row),
        )
        status = status_of(report)
        accepted = status == "accepte"
        if accepted and report.kind == "annexe4-pilotage" and len(kept) + 2 > self.max_uploads:
            raise _limit(self.max_uploads)
        now = self._clock.now()
        # Two places for a pilot file: its indicators file gets the next rank.
        rank = self._reserve(client_id, 2 if report.kind == "annexe4-pilotage" else 1, now)
        upload_id = self._id(client_id, rank)
        registered = already = None
        if accepted and report.kind == "annexe1-inscription":
            known = {
                body
                for body in (normalise_nir(row["NIR"]) for row in rows)
                if self._population.find_by_nir(body)
            }
            summary = self._people.register(client_id, upload_id, rows, known, now)
            registered, already = summary.registered, summary.already_known
        if accepted and report.kind == "annexe3-habilitations" and self._accounts is not None:
            registered = self._accounts.register(client_id, rows)
        upload = Upload(
            id=upload_id,
            name=safe_name(name),
            kind=report.kind,
            size=len(content),
            dropped_at=now,
            expires_at=now + self.retention,
            origin=ORIGIN_CLIENT,
            status=status,
            rows=report.rows,
            counts={severity.value: report.counts.get(severity, 0) for severity in Severity},
            registered=registered,
            already_known=already,
        )
        produced = None
        if accepted and report.kind == "annexe4-pilotage":
            produced = self._indicators(client_id, upload, rows, rank + 1, now)
            if produced is not None:
                upload = replace(upload, indicators=produced[0].id)
        self._store_upload(client_id, upload, content, report)
        if produced is not None:
            self._store_upload(client_id, *produced)
        log.info(
            "drop: client %s stored upload %s (kind %s, %d rows, %s)",
            client_id,
            upload.id,
            upload.kind,
            upload.rows,
            upload.status,
        )
        return upload

    def _indicators(
        self,
        client_id: str,
        pilot: Upload,
        rows: list[dict[str, str]],
        rank: int,
        now: dt.datetime,
    ) -> tuple[Upload, bytes, Report] | None:
        """Build and check the indicators file answering an accepted pilot file."""
        ingested = list(self._people.all(client_id))
        sample = indicators_for(rows, ingested, self._population)
        content = sample.to_csv()
        name = f"indicateurs-{pilot.id}.csv"
        report = check(content, sample.kind, name=name)
        if report.fails(Severity.ERROR):
            # A bug of the sandbox, never the client's: the pilot upload stays, without answer.
            log.error("drop: the indicators file of upload %s does not pass the checker", pilot.id)
            return None
        upload = Upload(
            id=self._id(client_id, rank),
            name=name,
            kind=report.kind,
            size=len(content),
            dropped_at=now,
            expires_at=now + self.retention,
            origin=ORIGIN_SANDBOX,
            status=status_of(report),
            rows=report.rows,
            counts={severity.value: report.counts.get(severity, 0) for severity in Severity},
            source=pilot.id,
        )
        return upload, content, report

    def delete(self, client_id: str, upload_id: str) -> None:
        """Delete an upload, its bytes and its report; 404 if the client has no such upload."""
        self.purge_expired()
        if not self._remove(client_id, {upload_id}):
            raise not_found(upload_id)

    def _reserve(self, client_id: str, count: int, at: dt.datetime) -> int:
        """Take ``count`` ranks in one transaction (concurrent uploads never share an id)."""
        taken: list[int] = []

        def bump(current: dict[str, Any] | None) -> Update:
            index = current or {}
            taken.append(int(index.get("rank", 0)))
            return Update(
                document={"rank": taken[0] + count, "uploads": index.get("uploads", [])},
                change={"reserved": count},
            )

        self._store.update(client_id, DROP_OWNER, INDEX_FACET, at, bump)
        return taken[0]

    def _id(self, client_id: str, rank: int) -> str:
        """The id of a client's ``rank``-th upload: a UUID derived from (seed, client, rank)."""
        digest = blake(self._id_key, f"{client_id}\x1f{rank}")
        return str(uuid.UUID(bytes=digest, version=4))

    def _store_upload(self, client_id: str, upload: Upload, content: bytes, report: Report) -> None:
        at = self._clock.now()
        encoded = base64.b64encode(content).decode("ascii")
        report_document = report.model_dump(mode="json")

        def add(current: dict[str, Any] | None) -> Update:
            index = current or {}
            kept = index.get("uploads", [])
            # Checked again in the transaction: two uploads at once cannot both take the last place.
            if len(kept) >= self.max_uploads:
                raise _limit(self.max_uploads)
            return Update(
                document={"rank": index.get("rank", 0), "uploads": [*kept, upload.to_document()]},
                change={"added": upload.id},
                tags=("depot",),
            )

        try:
            self._store.update(
                client_id,
                DROP_OWNER,
                _content_facet(upload.id),
                at,
                lambda _: Update(document={"base64": encoded}, change={"size": upload.size}),
            )
            self._store.update(
                client_id,
                DROP_OWNER,
                _report_facet(upload.id),
                at,
                lambda _: Update(document=report_document, change={"rows": report.rows}),
            )
            self._store.update(client_id, DROP_OWNER, INDEX_FACET, at, add)
        except BackendError:
            # Listed nowhere, bytes or a report stored so far would outlive every purge.
            self._store.delete(client_id, DROP_OWNER, _content_facet(upload.id))
            self._store.delete(client_id, DROP_OWNER, _report_facet(upload.id))
            raise

    # Retention ------------------------------------------------------------------------------

    def purge_expired(self) -> int:
        """Delete every client's expired uploads (content, report, metadata); returns how many.

        One index read per known client: the drop keeps no list of its own to go stale.
        """
        now = self._clock.now()
        purged = 0
        for client_id in self._client_ids():
            expired = {u.id for u in self._listing(client_id) if u.expires_at <= now}
            if expired:
                purged += len(self._remove(client_id, expired))
        return purged

    def _remove(self, client_id: str, ids: set[str]) -> set[str]:
        """Take uploads out of the index, then delete their bytes and reports for good."""
        removed: set[str] = set()

        def take(current: dict[str, Any] | None) -> Update:
            index = current or {}
            kept = [u for u in index.get("uploads", []) if u["id"] not in ids]
            removed.update(u["id"] for u in index.get("uploads", []) if u["id"] in ids)
            return Update(
                document={"rank": index.get("rank", 0), "uploads": kept},
                change={"removed": sorted(removed)},
                tags=("depot",),
            )

        if self._store.read(client_id, DROP_OWNER, INDEX_FACET) is None:
            return removed
        self._store.update(client_id, DROP_OWNER, INDEX_FACET, self._clock.now(), take)
        for upload_id in removed:
            self._store.delete(client_id, DROP_OWNER, _content_facet(upload_id))
            self._store.delete(client_id, DROP_OWNER, _report_facet(upload_id))
        return removed


def blake(key: bytes, text: str) -> bytes:
    """16 bytes of a keyed BLAKE2b digest."""
    return hashlib.blake2b(text.encode(), key=key, digest_size=16).digest()


def too_large(limit: int) -> BackendError:
    """The 413 of a file over the drop's size limit."""
    return BackendError(
        413,
        "ERR_FICHIER_TROP_VOLUMINEUX",
        f"Le fichier dépasse {limit} octets",
        f"The file drop accepts files of {limit} bytes at most (README, Limits): split the file.",
    )


def _limit(limit: int) -> BackendError:
    return BackendError(
        409,
        LIMIT_CODE,
        "Limite de stockage du bac à sable atteinte",
        f"Sandbox limit reached: {limit} uploads kept per client (an Annexe 4 pilot file needs "
        "two: its indicators file is stored beside it). Delete uploads (DELETE "
        "/depot-fichiers/v1/depots/{id}) or reset the client.",
    )
