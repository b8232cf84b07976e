"""The audit trail of the tool (convention Art. 5, traceability): every view and every edit.

An entry says who (the account's courriel), when (virtual clock), which person (NIR masked to
its first 7 characters, never more) and what (the page seen, or the change made).

**Bounded.** Entries go to a ring of ``_CHUNKS`` state documents of ``_CHUNK_SIZE`` entries
each: ``MAX_AUDIT_ENTRIES`` in all (README "Limits"); when the ring wraps, the oldest chunk is
deleted with its history (``StateStore.delete``), so neither the documents nor the store's
history grow past the cap. The process serialises its own writes; two workers writing at the
very moment a chunk wraps may lose one entry (the sandbox usually runs one worker).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from sandbox.clock import Clock
from sandbox.state import StateStore, Update
from sandbox.suivi.accounts import SUIVI_OWNER

_AUDIT_KEY = "_audit"
_CHUNK_SIZE = 500
_CHUNKS = 20
MAX_AUDIT_ENTRIES = _CHUNK_SIZE * _CHUNKS
"""Entries the audit trail keeps, the most recent (README "Limits")."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One view or edit."""

    sequence: int
    at: dt.datetime
    courriel: str
    client_id: str
    nir: str
    action: str
    detail: str

    def to_document(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "courriel": self.courriel,
            "client_id": self.client_id,
            "nir": self.nir,
            "action": self.action,
            "detail": self.detail,
        }

    @classmethod
    def of(cls, body: dict[str, Any]) -> AuditEntry:
        """An entry from its stored form."""
        return cls(**{**body, "at": dt.datetime.fromisoformat(body["at"])})


def _facet(chunk: int) -> str:
    return f"audit-{chunk:02d}"


class AuditTrail:
    """Records and lists the tool's views and edits."""

    def __init__(self, store: StateStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()

    def _chunks(self) -> list[tuple[int, dict[str, Any]]]:
        found = []
        for chunk in range(_CHUNKS):
            document = self._store.read(SUIVI_OWNER, _AUDIT_KEY, _facet(chunk))
            if document is not None:
                found.append((chunk, document))
        return found

    def record(self, courriel: str, client_id: str, nir: str, action: str, detail: str) -> None:
        """Trace one view or edit; ``nir`` must already be masked (7 characters)."""
        with self._lock:
            chunks = self._chunks()
            if chunks:
                chunk, last = max(chunks, key=lambda item: item[1]["first"])
                sequence = last["first"] + len(last["entries"])
                if len(last["entries"]) >= _CHUNK_SIZE:
                    chunk = (chunk + 1) % _CHUNKS
                    # The ring wraps: the oldest entries go, history included.
                    self._store.delete(SUIVI_OWNER, _AUDIT_KEY, _facet(chunk))
            else:
                chunk, sequence = 0, 0
            now = self._clock.now()
            entry = AuditEntry(sequence, now, courriel, client_id, nir, action, detail)
            body = entry.to_document()

            def apply(current: dict[str, Any] | None) -> Update:
                if current is None:
                    current = {"first": sequence, "entries": []}
                document = {**current, "entries": [*current["entries"], body]}
                return Update(document=document, change={"sequence": sequence}, tags=("audit",))

            self._store.update(SUIVI_OWNER, _AUDIT_KEY, _facet(chunk), now, apply)

    def entries(self) -> list[AuditEntry]:
        """Every kept entry, oldest first."""
        ordered = sorted(self._chunks(), key=lambda item: item[1]["first"])
        return [AuditEntry.of(body) for _, document in ordered for body in document["entries"]]
