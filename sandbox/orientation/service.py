"""Read, send, calculate, decide and modify a person's orientations, in the state store.

Before a client writes, a person's orientations are the generated ones (``records.generated``).
The first write copies them into one document of facet ``orientation`` per (client, person), then
changes it: a write is one ``StateStore.update``, so it survives a restart, is seen by every
process and by no other client. Nothing is removed: a new decided orientation closes the open one
(``CLOTURE``, with its ``date_sortie_parcours``) and abandons a pending proposal (``ABANDON``).

Other APIs read a person's orientation only through ``effective_orientation``; Statut usager's
category follows it through ``convention_category`` (convention Art. 1).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import SpringError
from sandbox.orientation.calcul import propose
from sandbox.orientation.records import (
    PENDING,
    Decision,
    Etat,
    Organisme,
    Parcours,
    Record,
    Statut,
    Structure,
    generated,
    structure_of,
)
from sandbox.population.models import Coded, Person
from sandbox.population.referentials import label
from sandbox.randomness import derive_rng, weighted_choice
from sandbox.state import StateStore, StorageLimitError, Update

FACET = "orientation"
MAX_PER_PERSON = 100
"""Orientations one client may hold for one person, closed and abandoned ones included (README)."""
FT_CATEGORIES = (("1", 0.6), ("2", 0.15), ("3", 0.25))
"""Categories of a person oriented to France Travail (convention Art. 1), drawn when needed."""
REORIENTATION = "Réorientation"


def refused(message: str, hint: str) -> SpringError:
    """A 400 of Orientation usager, in its published Spring Boot body."""
    return SpringError(400, message, hint)


@dataclass(frozen=True, slots=True)
class Sent:
    """An orientation sent without criteria (``POST /orientation``)."""

    origine: str
    parcours: Parcours
    organisme: Organisme
    date_entree_parcours: dt.date | None
    structure_code: str | None
    agent: str


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision on the pending proposal (``POST /decisionOrientation``)."""

    etat_decision: str
    date_decision: dt.date
    agent: str
    organisme_decision: Organisme | None
    motif_refus: str | None
    commentaire_refus: str | None
    parcours: Parcours | None
    organisme: Organisme | None


@dataclass(frozen=True, slots=True)
class Modified:
    """A change of the open orientation (``PUT /modificationOrientation``)."""

    parcours: Parcours | None
    structure_code: str | None
    date_entree_parcours: dt.date | None
    agent: str


class Effective:
    """A person's open orientation for one client, and whether that client wrote it.

    The generated orientation is built only when ``record`` is read: Statut usager, which needs
    only ``written`` for a person nobody wrote for, pays one state read and nothing more.
    """

    __slots__ = ("_person", "_record", "_seed", "written")

    def __init__(self, written: list[Record] | None, seed: int, person: Person) -> None:
        self.written = written is not None
        self._record = _current(written) if written is not None else None
        self._seed = seed
        self._person = person

    @property
    def record(self) -> Record | None:
        """The open orientation: the written one, else the generated one (if it is open)."""
        if self.written:
            return self._record
        return _current(generated(self._seed, self._person))


def _current(records: list[Record]) -> Record | None:
    opened = [r for r in records if r.etat is Etat.OUVERT]
    return max(opened, key=lambda r: (r.date_creation, r.id)) if opened else None


def _load(stored: dict[str, Any] | None) -> list[Record] | None:
    if stored is None:
        return None
    return [Record.model_validate(item) for item in stored.get("orientations", [])]


def effective_orientation(
    store: StateStore, seed: int, client_id: str, person: Person
) -> Effective:
    """The person's open (``OUVERT``) orientation as ``client_id`` sees it: one state read.

    The one it wrote (envoi, décision, modification) if it ever wrote one, else the generated
    one. The only way other APIs read a person's orientation.
    """
    return Effective(_load(store.read(client_id, person.key, FACET)), seed, person)


def convention_category(seed: int, person: Person, effective: Effective) -> Coded | None:
    """The registration category coherent with the orientation (convention Art. 1).

    Oriented to France Travail (organisme FT) → category 1, 2 or 3 (the person's own if it is
    one of them, else one drawn from the seed); oriented elsewhere → category 5. Only a client's
    written orientation changes the generated category; a person never registered has none.
    """
    category = person.registration.category
    if not effective.written or category is None:
        return category
    record = effective.record
    if record is None:
        return category
    if record.organisme is Organisme.FT:
        if category.code in ("1", "2", "3"):
            return category
        code = weighted_choice(derive_rng(seed, "orientation-categorie", person.key), FT_CATEGORIES)
    else:
        code = "5"
    return Coded(code, label("categories_inscription", code))


class OrientationService:
    """The orientations of one instance."""

    def __init__(self, store: StateStore, seed: int, clock: Clock) -> None:
        self._store = store
        self._seed = seed
        self._clock = clock

    def _now(self) -> dt.datetime:
        return self._clock.now().astimezone(dt.UTC)

    def orientations(self, client_id: str, key: str, person: Person | None) -> list[Record]:
        """Every orientation of the person for this client, the most recent first."""
        records = _load(self._store.read(client_id, key, FACET))
        if records is None:
            records = generated(self._seed, person)
        return sorted(records, key=lambda r: (r.date_creation, r.id), reverse=True)

    def _write(
        self,
        client_id: str,
        key: str,
        person: Person | None,
        change: Callable[[list[Record], str], Record],
    ) -> Record:
        now = self._now()
        results: list[Record] = []

        def apply(stored: dict[str, Any] | None) -> Update:
            records = _load(stored)
            if records is None:
                records = generated(self._seed, person)
            rng = derive_rng(
                self._seed, "orientation-id", f"{client_id}\x1f{key}\x1f{len(records)}"
            )
            changed = change(records, str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            if len(records) > MAX_PER_PERSON:
                raise StorageLimitError("orientations per person", MAX_PER_PERSON)
            results.append(changed)
            return Update(
                document={"orientations": [r.model_dump(mode="json") for r in records]},
                change=changed.model_dump(mode="json"),
                tags=(changed.id,),
            )

        self._store.update(client_id, key, FACET, now, apply)
        return results[0]

    def _structure(
        self, person: Person | None, organisme: Organisme, code: str | None
    ) -> Structure:
        proposed = structure_of(self._seed, person, organisme)
        if code is None or code in (proposed.code, proposed.safir):
            return proposed
        if code.isdigit():
            return Structure(code=proposed.code, safir=code, libelle=f"Structure {code}")
        return Structure(code=code.upper(), libelle=f"Structure {code.upper()}")

    def _close_and_abandon(self, records: list[Record], until: dt.date) -> Record | None:
        """Close the open orientation on ``until`` and abandon pending proposals; the closed one."""
        now = self._now()
        current = _current(records)
        for index, record in enumerate(records):
            if record is current:
                records[index] = record.model_copy(
                    update={
                        "etat": Etat.CLOTURE,
                        "date_sortie_parcours": until,
                        "motif_sortie_parcours": REORIENTATION,
                        "date_modification": now,
                    }
                )
            elif record.etat in PENDING:
                records[index] = record.model_copy(
                    update={"etat": Etat.ABANDON, "date_modification": now}
                )
        return current

    def send(self, client_id: str, key: str, person: Person | None, sent: Sent) -> Record:
        """Store a decided, open orientation; the open one is closed (``POST /orientation``)."""
        now = self._now()
        entry = sent.date_entree_parcours or now.date()

        def change(records: list[Record], new_id: str) -> Record:
            current = _current(records)
            if current and current.date_entree_parcours and entry < current.date_entree_parcours:
                raise refused(
                    "La date d'entrée en parcours ne doit pas être antérieure à celle de "
                    "l'orientation en cours",
                    "date_entree_parcours is before the entry date of the open orientation: send "
                    "a later date (or none: today).",
                )
            previous = self._close_and_abandon(records, entry)
            created = Record(
                id=new_id,
                parcours=sent.parcours,
                organisme=sent.organisme,
                structure=self._structure(person, sent.organisme, sent.structure_code),
                statut=Statut.DECIDE_REORIENTATION if previous else Statut.DECIDE,
                etat=Etat.OUVERT,
                origine=sent.origine,
                agent_creation=sent.agent,
                agent_derniere_modification=sent.agent,
                date_entree_parcours=entry,
                date_creation=now,
                date_modification=now,
            )
            records.append(created)
            return created

        return self._write(client_id, key, person, change)

    def calculate(
        self, client_id: str, key: str, person: Person | None, criteres: dict[str, Any], agent: str
    ) -> Record:
        """Store the proposal of ``calcul.propose`` (``EN_ATTENTE`` or ``BROUILLON``)."""
        now = self._now()
        proposal = propose(criteres)

        def change(records: list[Record], new_id: str) -> Record:
            reorientation = _current(records) is not None
            for index, record in enumerate(records):
                if record.etat in PENDING:
                    records[index] = record.model_copy(
                        update={"etat": Etat.ABANDON, "date_modification": now}
                    )
            structure = (
                None
                if proposal.organisme is Organisme.IND
                else structure_of(self._seed, person, proposal.organisme)
            )
            created = Record(
                id=new_id,
                parcours=proposal.parcours,
                organisme=proposal.organisme,
                structure=structure,
                statut=Statut.PRECONISE_REORIENTATION if reorientation else Statut.PRECONISE,
                etat=proposal.etat,
                origine=str(criteres.get("origine") or "INSCRIPTION_CONSEILLER_CD"),
                agent_creation=agent,
                agent_derniere_modification=agent,
                date_creation=now,
                date_modification=now,
                criteres={**_person_criteres(person), **criteres},
            )
            records.append(created)
            return created

        return self._write(client_id, key, person, change)

    def decide(self, client_id: str, key: str, person: Person | None, decided: Decided) -> Record:
        """Accept or refuse the pending proposal; the decided orientation opens."""
        now = self._now()

        def change(records: list[Record], _: str) -> Record:
            pending = [r for r in records if r.etat in (Etat.EN_ATTENTE, Etat.SAISIE_COMPLETE)]
            if not pending:
                incomplete = any(r.etat is Etat.BROUILLON for r in records)
                raise refused(
                    "Aucune orientation en attente de décision pour cet usager",
                    "The latest calculation left the questionnaire partial (BROUILLON): send "
                    "calculOrientation again with situation_professionnelle or "
                    "capacite_a_travailler."
                    if incomplete
                    else "Nothing waits for a decision: calculate an orientation first "
                    "(calculOrientation), or send one directly (POST /orientation).",
                )
            proposal = max(pending, key=lambda r: (r.date_creation, r.id))
            accepted = decided.etat_decision == "ACCEPTEE"
            if not accepted and decided.motif_refus is None:
                raise refused(
                    "Le champ motifRefus est obligatoire lorsque la décision est refusée",
                    "A refusal (REFUSEE) needs motif_refus.",
                )
            if not accepted and (decided.parcours is None or decided.organisme is None):
                raise refused(
                    "Les champs parcours et organisme sont obligatoires lorsque la décision est "
                    "refusée",
                    "A refusal (REFUSEE) names the orientation chosen instead: parcours and "
                    "organisme (v2: referent_parcours.organisme.code).",
                )
            parcours = proposal.parcours if accepted else decided.parcours
            organisme = proposal.organisme if accepted else decided.organisme
            assert parcours is not None and organisme is not None
            current = _current(records)
            if (
                current
                and current.date_entree_parcours
                and (decided.date_decision < current.date_entree_parcours)
            ):
                raise refused(
                    "La date de décision ne doit pas être antérieure à la date d'entrée en "
                    "parcours de l'orientation en cours",
                    "date_decision opens the decided orientation and closes the open one: send a "
                    "date on or after the open orientation's date_entree_parcours.",
                )
            index = records.index(proposal)
            # Closes the open orientation and abandons every pending one, the proposal too:
            # the proposal's slot is then replaced by the decided orientation.
            previous = self._close_and_abandon(records, decided.date_decision)
            opened = proposal.model_copy(
                update={
                    "parcours": parcours,
                    "organisme": organisme,
                    "structure": proposal.structure
                    if accepted
                    else structure_of(self._seed, person, organisme),
                    "statut": Statut.DECIDE_REORIENTATION if previous else Statut.DECIDE,
                    "etat": Etat.OUVERT,
                    "date_entree_parcours": decided.date_decision,
                    "agent_derniere_modification": decided.agent,
                    "date_modification": now,
                    "decision": Decision(
                        etat_decision=decided.etat_decision,
                        date_decision=decided.date_decision,
                        agent_decision=decided.agent,
                        organisme_decision=decided.organisme_decision,
                        motif_refus=decided.motif_refus,
                        commentaire_refus=decided.commentaire_refus,
                    ),
                }
            )
            records[index] = opened
            return opened

        return self._write(client_id, key, person, change)

    def modify(self, client_id: str, key: str, person: Person | None, modified: Modified) -> Record:
        """Change the parcours, structure or entry date of the open orientation (``MODIFIE``)."""
        now = self._now()

        def change(records: list[Record], _: str) -> Record:
            current = _current(records)
            if current is None:
                raise refused(
                    "Aucune orientation ouverte pour cet usager",
                    "Only an open (OUVERT) orientation can be modified: send one first (POST "
                    "/orientation, or decide a calculated one).",
                )
            closed = [r.date_sortie_parcours for r in records if r.date_sortie_parcours]
            entry = modified.date_entree_parcours
            if entry is not None and closed and entry < max(closed):
                raise refused(
                    "La date d'entrée en parcours ne doit pas être antérieure à la date de sortie "
                    "de parcours de l'orientation précédente",
                    "date_entree_parcours is before the previous orientation's exit date.",
                )
            structure = current.structure
            if modified.structure_code is not None:
                structure = self._structure(person, current.organisme, modified.structure_code)
            updated = current.model_copy(
                update={
                    "parcours": modified.parcours or current.parcours,
                    "structure": structure,
                    "date_entree_parcours": entry or current.date_entree_parcours,
                    "statut": Statut.MODIFIE,
                    "agent_derniere_modification": modified.agent,
                    "date_modification": now,
                }
            )
            records[records.index(current)] = updated
            return updated

        return self._write(client_id, key, person, change)


def _person_criteres(person: Person | None) -> dict[str, Any]:
    """What the platform adds to the criteria it records: RSA, birth date, address."""
    if person is None:
        return {}
    added: dict[str, Any] = {
        "brsa": person.rsa.beneficiary,
        "date_naissance": person.birth_date.isoformat(),
    }
    if person.address is not None:
        added["adresse"] = {
            "code_commune": person.address.commune_code,
            "libelle_commune": person.address.commune_nom,
            "code_postal": person.address.code_postal,
            "numero_type_libelle_voie": person.address.ligne,
        }
    return added
