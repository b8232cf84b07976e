"""Reads, writes and history of dossiers, one per (OAuth client, person), in the state store.

A read is the client's stored dossier if it ever wrote one, else the generated baseline. A write
loads that dossier, applies the change on a copy (``Editor``) and stores the whole dossier plus the
change (``Version``) as one document of facet ``diagnostic``: one atomic store write, so both API
generations see it, after a restart too, and no other client ever does. The store's history rows
are the versions the historisation routes list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sandbox.clock import Clock
from sandbox.diagnostics.baseline import baseline, random_uuid
from sandbox.diagnostics.commands import utc
from sandbox.diagnostics.models import Agent, Dossier, Version
from sandbox.diagnostics.referentiel import referentiel
from sandbox.diagnostics.writes import Editor
from sandbox.population.models import Person
from sandbox.randomness import derive_rng
from sandbox.state import StateStore

FACET = "diagnostic"
_ALL_ROWS = 2**31 - 1
T = TypeVar("T")


class HistoryKind(StrEnum):
    """What a historisation route lists."""

    DOSSIER = "dossier"
    DIAGNOSTICS = "diagnostics"
    BESOINS = "besoins"
    CONTRAINTES = "contraintes"
    POUVOIR_AGIR = "pouvoir-agir"
    AUTONOMIE = "autonomie-numerique"


def touches(version: Version, kind: HistoryKind, diagnostic_id: str | None = None) -> bool:
    """Whether a version changed what a historisation route lists."""
    if kind is HistoryKind.DIAGNOSTICS:
        return bool(version.diagnostics)
    if kind is HistoryKind.BESOINS:
        return any(b.diagnostic_id == diagnostic_id for b in version.besoins)
    if kind is HistoryKind.CONTRAINTES:
        return version.contraintes is not None
    if kind is HistoryKind.POUVOIR_AGIR:
        return version.pouvoir_agir is not None
    if kind is HistoryKind.AUTONOMIE:
        return version.autonomie is not None
    return True


@dataclass(frozen=True, slots=True)
class VersionPage:
    """One page of versions, most recent first, and how many there are in the period."""

    versions: list[Version]
    total: int


class DiagnosticService:
    """The dossiers of one instance."""

    def __init__(self, store: StateStore, seed: int, epoch: dt.date, clock: Clock) -> None:
        self._store = store
        self._seed = seed
        self._epoch = epoch
        self._clock = clock

    def dossier(self, client_id: str, person: Person) -> Dossier:
        """The client's stored dossier of a person, else the generated one."""
        stored = self._store.read(client_id, person.key, FACET)
        if stored is not None:
            return Dossier.model_validate(stored["dossier"])
        return baseline(self._seed, person, self._epoch)

    def edit(
        self, client_id: str, person: Person, agent: Agent, change: Callable[[Editor], T]
    ) -> T:
        """Apply ``change`` to the person's dossier and store the result atomically."""
        now = utc(self._clock.now())

        def new_id(position: int) -> str:
            key = f"{client_id}\x1f{person.key}\x1f{position}"
            return random_uuid(derive_rng(self._seed, "diagnostic-id", key))

        editor = Editor(self.dossier(client_id, person), agent, now, referentiel(), new_id)
        result = change(editor)
        document = {
            "dossier": editor.dossier.model_dump(mode="json"),
            "version": editor.version.model_dump(mode="json"),
        }
        self._store.write(client_id, person.key, FACET, document, now)
        return result

    def versions(
        self,
        client_id: str,
        person: Person,
        kind: HistoryKind,
        *,
        diagnostic_id: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        page: int = 1,
        per_page: int = 10,
    ) -> VersionPage:
        """The client's versions of one kind recorded between ``start`` and ``end``."""
        rows = self._store.history(
            client_id,
            person.key,
            FACET,
            utc(start) if start else None,
            utc(end) if end else None,
            page=1,
            per_page=_ALL_ROWS,
        )
        versions = [
            version
            for version in (Version.model_validate(body["version"]) for _, body in rows.items)
            if touches(version, kind, diagnostic_id)
        ]
        first = (page - 1) * per_page
        return VersionPage(versions=versions[first : first + per_page], total=len(versions))
