"""Reads, writes and history of dossiers, one per (OAuth client, person), in the state store.

A read is the client's stored dossier if it ever wrote one, else the generated baseline. A write
is one ``StateStore.update``: inside one transaction it loads the stored dossier (or the
baseline), applies the change on a copy (``Editor``), and stores the dossier as the document of
facet ``diagnostic`` and what the write changed (``Version``) as its history row, tagged with the
historisation routes that list it. So both API generations see it, after a restart too, whatever
the number of processes, and no other client ever does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sandbox.clock import Clock
from sandbox.diagnostics.baseline import baseline, random_uuid
from sandbox.diagnostics.commands import utc
from sandbox.diagnostics.models import Agent, Dossier, Version
from sandbox.diagnostics.referentiel import referentiel
from sandbox.diagnostics.writes import Editor
from sandbox.population.models import Person
from sandbox.randomness import derive_rng
from sandbox.state import StateStore, Update

FACET = "diagnostic"
T = TypeVar("T")

Subject = Person | str
"""Whose dossier: a person, or the key of one the population no longer holds (a valid jeton or
identifiant outlives a change of the population's size or personas). Nothing is generated for
such a key: its dossier starts empty, like a person's who never registered, and takes writes."""


def _key(subject: Subject) -> str:
    return subject if isinstance(subject, str) else subject.key


class HistoryKind(StrEnum):
    """What a historisation route lists."""

    DOSSIER = "dossier"
    DIAGNOSTICS = "diagnostics"
    BESOINS = "besoins"
    CONTRAINTES = "contraintes"
    POUVOIR_AGIR = "pouvoir-agir"
    AUTONOMIE = "autonomie-numerique"


def _tag(kind: HistoryKind, diagnostic_id: str | None = None) -> str | None:
    """The store tag of a historisation route (None: every version)."""
    if kind is HistoryKind.DOSSIER:
        return None
    if kind is HistoryKind.BESOINS:
        return f"{kind.value}:{diagnostic_id}"
    return kind.value


def tags(version: Version) -> tuple[str, ...]:
    """The historisation routes (other than the dossier's) that list a version."""
    found: list[str | None] = []
    if version.diagnostics:
        found.append(_tag(HistoryKind.DIAGNOSTICS))
    found.extend(_tag(HistoryKind.BESOINS, b.diagnostic_id) for b in version.besoins)
    if version.contraintes is not None:
        found.append(_tag(HistoryKind.CONTRAINTES))
    if version.pouvoir_agir is not None:
        found.append(_tag(HistoryKind.POUVOIR_AGIR))
    if version.autonomie is not None:
        found.append(_tag(HistoryKind.AUTONOMIE))
    return tuple(dict.fromkeys(tag for tag in found if tag is not None))


def upgrade_legacy(facet: str, document: dict[str, Any]) -> Update:
    """A document of the first state layout ({dossier, version} in every history row)."""
    if facet != FACET:
        return Update(document=document, change=document)
    version = Version.model_validate(document["version"])
    return Update(document=document["dossier"], change=document["version"], tags=tags(version))


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

    def dossier(self, client_id: str, person: Subject) -> Dossier:
        """The client's stored dossier of a person, else the generated one."""
        return self._loaded(person, self._store.read(client_id, _key(person), FACET))

    def _loaded(self, person: Subject, stored: dict[str, Any] | None) -> Dossier:
        if stored is not None:
            return Dossier.model_validate(stored)
        if isinstance(person, str):
            return Dossier()
        return baseline(self._seed, person, self._epoch)

    def edit(
        self, client_id: str, person: Subject, agent: Agent, change: Callable[[Editor], T]
    ) -> T:
        """Apply ``change`` to the person's dossier and store the result atomically."""
        now = utc(self._clock.now())

        def new_id(position: int) -> str:
            key = f"{client_id}\x1f{_key(person)}\x1f{position}"
            return random_uuid(derive_rng(self._seed, "diagnostic-id", key))

        results: list[T] = []

        def apply(stored: dict[str, Any] | None) -> Update:
            editor = Editor(self._loaded(person, stored), agent, now, referentiel(), new_id)
            results.append(change(editor))
            return Update(
                document=editor.dossier.model_dump(mode="json"),
                change=editor.version.model_dump(mode="json"),
                tags=tags(editor.version),
            )

        self._store.update(client_id, _key(person), FACET, now, apply)
        return results[0]

    def versions(
        self,
        client_id: str,
        person: Subject,
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
            _key(person),
            FACET,
            _tag(kind, diagnostic_id),
            utc(start) if start else None,
            utc(end) if end else None,
            page=page,
            per_page=per_page,
        )
        return VersionPage(
            versions=[Version.model_validate(body) for _, body in rows.items], total=rows.total
        )
