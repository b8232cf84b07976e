"""Gestion des sanctions RSA: manquements, their sanction consequences, and partners' writes.

A sanction consequence proposed by France Travail is the ``idConsequenceSanction`` of one of the
person's GLI100 activities (``activites.py``): its manquement, proposal and events are derived
from (seed, person, activity), so ``/detailManquement`` describes exactly the activities the
person has. What a client writes lives in one document of facet ``sanctions-rsa`` per (client,
person), through ``StateStore.update``: the events it publishes on a consequence
(``/evenementSanctionRSA``), the decisions it transmits for people it accompanies
(``/decisionSanctionRSAPartenaire``, new consequence and manquement ids) and its radiation
requests (``/demandeRadiation``). Every write is read back by ``/detailManquement`` and moves the
activity on (ACT366 instructed → ACT367; decided, refused or lifted → gone), for that client.
At most ``MAX_WRITES_PER_PERSON`` writes per person and client (409 ``ERR_LIMITE_BAC_A_SABLE``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import BackendError
from sandbox.lpe.activites import (
    SANCTION_CODES,
    ActivitiesService,
    Activity,
    CodeActivite,
    Progress,
    activities_of,
    has_activities,
)
from sandbox.population import Population
from sandbox.population.models import Person, RegistrationStatus
from sandbox.randomness import derive_rng
from sandbox.state import StateStore, StorageLimitError, Update

FACET = "sanctions-rsa"
MAX_WRITES_PER_PERSON = 100
"""Events, decisions and radiation requests one client may write for one person (README)."""


class Stage(StrEnum):
    """Where a sanction consequence stands (from its last event)."""

    A_INSTRUIRE = "a-instruire"
    A_TRAITER = "a-traiter"
    LEVEE_A_TRAITER = "levee-a-traiter"
    DECIDEE = "decidee"
    REFUSEE = "refusee"
    LEVEE = "levee"
    ANNULEE = "annulee"
    RADIATION = "radiation"


class TypeEvenement(StrEnum):
    """The events a partner may publish (published ``Evenement.typeEvenement`` enum)."""

    SAISIE_SANCTION = "SAISIE_SANCTION"
    REFUS_SAISIE_SANCTION = "REFUS_SAISIE_SANCTION"
    VALID_SANCTION = "VALID_SANCTION"
    REFUS_SANCTION = "REFUS_SANCTION"
    VALID_LEVEE_SUSP = "VALID_LEVEE_SUSP"
    REFUS_LEVEE_SUSP = "REFUS_LEVEE_SUSP"
    ANNULATION_SANCTION = "ANNULATION_SANCTION"


TRANSITIONS: dict[TypeEvenement, tuple[frozenset[Stage], Stage]] = {
    TypeEvenement.SAISIE_SANCTION: (frozenset({Stage.A_INSTRUIRE}), Stage.A_TRAITER),
    # Published: refusing to instruct validates the proposal (France Travail takes it back).
    TypeEvenement.REFUS_SAISIE_SANCTION: (frozenset({Stage.A_INSTRUIRE}), Stage.DECIDEE),
    TypeEvenement.VALID_SANCTION: (frozenset({Stage.A_TRAITER}), Stage.DECIDEE),
    TypeEvenement.REFUS_SANCTION: (frozenset({Stage.A_TRAITER}), Stage.REFUSEE),
    TypeEvenement.VALID_LEVEE_SUSP: (frozenset({Stage.LEVEE_A_TRAITER}), Stage.LEVEE),
    TypeEvenement.REFUS_LEVEE_SUSP: (frozenset({Stage.LEVEE_A_TRAITER}), Stage.DECIDEE),
    TypeEvenement.ANNULATION_SANCTION: (
        frozenset({Stage.DECIDEE, Stage.LEVEE_A_TRAITER}),
        Stage.ANNULEE,
    ),
}
"""Which stages accept each event, and the stage it leads to; anything else is C999."""

_STAGE_OF_ACTIVITY = {
    CodeActivite.ACT366: (Stage.A_INSTRUIRE, "SUSP_RSA"),
    CodeActivite.ACT367: (Stage.A_TRAITER, "SUSP_RSA"),
    CodeActivite.ACT369: (Stage.LEVEE_A_TRAITER, "SUSP_RSA"),
    CodeActivite.ACT370: (Stage.A_TRAITER, "SUPPR_RSA"),
}
_FAMILLE_OF_NATURE = {"N61": "F01", "N63": "F03", "N64": "F03", "N65": "F04"}


@dataclass(frozen=True, slots=True)
class Event:
    """One event of a consequence."""

    identifiant: str
    type: str
    date: dt.datetime
    commentaire: str | None = None
    motif: str | None = None


@dataclass(slots=True)
class Consequence:
    """One sanction consequence and what was decided on it."""

    identifiant: str
    type: str
    stage: Stage
    code_initiateur: str
    modalite_proposee: str | None
    montant_propose: int | None
    duree_proposee: int | None
    events: list[Event]
    modalite_validee: str | None = None
    montant_valide: int | None = None
    duree_validee: int | None = None
    date_debut: dt.datetime | None = None
    date_fin: dt.datetime | None = None
    date_remobilisation: dt.datetime | None = None
    justif_remobilisation: str | None = None
    date_levee: dt.datetime | None = None
    source: str | None = None
    """For a radiation: the RSA sanction consequence it was requested for."""


@dataclass(slots=True)
class Manquement:
    """A manquement and its consequences."""

    identifiant: str
    famille: str
    date_manquement: dt.datetime
    date_avertissement: dt.datetime | None
    justification: str | None
    demarche_remobilisation: str | None
    faisceau: list[tuple[str, dt.datetime, list[tuple[str, str]]]]
    consequences: list[Consequence] = field(default_factory=list)


_JUSTIFICATIONS = {
    "F01": "Absence à 2 RDV avec le conseiller",
    "F03": "Refus de signature du contrat d'engagement",
    "F04": "Second refus d'une offre raisonnable d'emploi",
}


def _event(rng_bits: int, kind: str, moment: dt.datetime, **extra: str) -> Event:
    return Event(str(uuid.UUID(int=rng_bits, version=4)), kind, moment, **extra)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    return moment + dt.timedelta(days=30 * months)


def derived_manquement(seed: int, person: Person, activity: Activity) -> Manquement:
    """The manquement behind a GLI100 activity, with its consequence as France Travail proposed."""
    stage, kind = _STAGE_OF_ACTIVITY[activity.code]
    ident = activity.id_consequence_sanction or ""
    rng = derive_rng(seed, "manquement", f"{person.key}\x1f{ident}")
    famille = (
        rng.choice(("F01", "F03", "F04")) if kind == "SUSP_RSA" else rng.choice(("F01", "F03"))
    )
    proposed = activity.date_creation - dt.timedelta(days=rng.randrange(3, 10))
    dated = proposed - dt.timedelta(days=rng.randrange(20, 60))
    warned = dated + dt.timedelta(days=rng.randrange(5, 15))
    faisceau: list[tuple[str, dt.datetime, list[tuple[str, str]]]] = []
    if famille == "F01":
        rdv = (dated - dt.timedelta(days=rng.randrange(1, 20))).strftime("%Y%m%d")
        faisceau.append(("N23", dated, [("ARDV_TYPE_RDV", "N3"), ("ARDV_DATE_RDV", rdv)]))
    montant = rng.randrange(3, 11) * 10
    duree = rng.randrange(1, 5)
    events = [
        _event(rng.getrandbits(128), "PROP_SANCTION", proposed),
        _event(
            rng.getrandbits(128),
            "ACCORD_FT_SANCTION",
            proposed + dt.timedelta(minutes=rng.randrange(1, 600)),
            commentaire=f"{'susp' if kind == 'SUSP_RSA' else 'suppr'} RSA {montant}% {duree} mois",
        ),
    ]
    consequence = Consequence(
        identifiant=ident,
        type=kind,
        stage=stage,
        code_initiateur="FT",
        modalite_proposee="P",
        montant_propose=montant,
        duree_proposee=duree,
        events=events,
    )
    if stage in (Stage.A_TRAITER, Stage.LEVEE_A_TRAITER) and kind == "SUSP_RSA":
        events.append(
            _event(rng.getrandbits(128), "SAISIE_SANCTION", proposed + dt.timedelta(days=1))
        )
    if stage is Stage.LEVEE_A_TRAITER:
        decided = proposed + dt.timedelta(days=2)
        events.append(
            _event(rng.getrandbits(128), "VALID_SANCTION", decided, motif="VALIDATION_CD")
        )
        events.append(_event(rng.getrandbits(128), "PROP_LEVEE_SUSP", activity.date_creation))
        events.append(
            _event(
                rng.getrandbits(128),
                "ACCORD_FT_LEVEE_SUSP",
                activity.date_creation + dt.timedelta(minutes=5),
            )
        )
        consequence.modalite_validee = "P"
        consequence.montant_valide = montant
        consequence.duree_validee = duree
        consequence.date_debut = decided
        consequence.date_fin = _add_months(decided, duree)
        consequence.date_remobilisation = activity.date_creation
        consequence.justif_remobilisation = "Signature du contrat d'engagement"
    remobilisation = (
        "Effectuer 10 candidatures, être présent à la prochaine convocation"
        if famille == "F01" and kind == "SUSP_RSA"
        else None
    )
    return Manquement(
        identifiant=str(rng.randrange(1_000, 10_000_000)),
        famille=famille,
        date_manquement=dated,
        date_avertissement=warned,
        justification=_JUSTIFICATIONS[famille],
        demarche_remobilisation=remobilisation,
        faisceau=faisceau,
        consequences=[consequence],
    )


@dataclass(frozen=True, slots=True)
class EventRequest:
    """What ``/evenementSanctionRSA`` sends, once its published checks passed."""

    identifiant: str
    type: TypeEvenement
    date: dt.date
    commentaire: str | None
    motif: str | None
    type_valide: str | None
    modalite: str | None
    montant: int | None
    duree: int | None


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """What ``/decisionSanctionRSAPartenaire`` sends, once its published checks passed."""

    date_notification: dt.date
    nature: str
    rang: str | None
    date_manquement: dt.date
    type_valide: str
    modalite: str
    montant: int
    duree: int
    justification: str | None


@dataclass(frozen=True, slots=True)
class Radiation:
    """The answer to a radiation request: its published ``codeSortie`` and message."""

    code: str
    message: str
    created: str | None = None


RADIATION_MESSAGES = {
    "C000": "Demande de radiation créée",
    "C001": "Demande de radiation non créée car le DE est déjà en statut radié suite à sanction",
    "C002": "Demande de radiation non créée car non conforme aux cas d'usages",
    "C003": "Demande de radiation non créée car l’identifiantConsequenceSanction n’est pas "
    "rattaché au demandeur d’emploi",
    "C004": "Demande de radiation non créée car une radiation a déjà été appliquée pour cette "
    "même sanction financière",
}
"""Published messages of each ``codeSortie`` of ``/demandeRadiation``."""
DECISION_MESSAGE = "Sanction partenaire créée et prise en compte par France Travail"


def _midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


class SanctionsService:
    """The manquements and sanctions of one instance, as each client sees them."""

    def __init__(self, store: StateStore, population: Population, clock: Clock) -> None:
        self._store = store
        self._population = population
        self._clock = clock

    def _now(self) -> dt.datetime:
        now = self._clock.now()
        return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)

    def _derived(self, person: Person) -> list[Manquement]:
        if not has_activities(self._population, person):
            return []
        seed = self._population.seed
        return [
            derived_manquement(seed, person, activity)
            for activity in activities_of(seed, person, self._now().date())
            if activity.code in SANCTION_CODES
        ]

    def manquements(self, client_id: str, person: Person) -> list[Manquement]:
        """The person's manquements, with every write of this client applied in order."""
        stored = self._store.read(client_id, person.key, FACET)
        return _replay(self._derived(person), stored)

    def detail(self, client_id: str, person: Person, identifiant: str) -> Manquement | None:
        """The manquement one of whose consequences has this id (None: the published 204)."""
        for manquement in self.manquements(client_id, person):
            if any(c.identifiant == identifiant for c in manquement.consequences):
                return manquement
        return None

    def _write(self, client_id: str, person: Person, decide: _Decide) -> Any:
        """Run ``decide`` on the replayed manquements and store the write it returns, if any."""
        now = self._now()
        derived = self._derived(person)
        results: list[Any] = []

        def apply(stored: dict[str, Any] | None) -> Update:
            writes = list((stored or {}).get("ecritures", []))
            current = _replay(derived, stored)
            outcome, write = decide(current, len(writes), now)
            results.append(outcome)
            if write is None:
                raise _NothingStored
            if len(writes) >= MAX_WRITES_PER_PERSON:
                raise StorageLimitError("sanction writes per person", MAX_WRITES_PER_PERSON)
            writes.append({**write, "at": now.isoformat()})
            return Update(
                document={"ecritures": writes},
                change=write,
                tags=(str(write.get("kind")),),
            )

        with contextlib.suppress(_NothingStored):
            self._store.update(client_id, person.key, FACET, now, apply)
        return results[0]

    def publish(self, client_id: str, person: Person, request: EventRequest) -> str | None:
        """Publish an event: ``C001``, ``C999`` (incompatible), or None (unknown id: 204)."""
        today = self._now().date()
        if request.date > today:
            raise sanction_error("R031", "the event date is after the instance's today.")

        def decide(current: list[Manquement], count: int, now: dt.datetime) -> tuple[Any, Any]:
            consequence = _find(current, request.identifiant)
            if consequence is None:
                return None, None
            allowed, _ = TRANSITIONS[request.type]
            if consequence.stage not in allowed:
                return "C999", None
            return "C001", {
                "kind": "evenement",
                "id": request.identifiant,
                "type": request.type.value,
                "date": request.date.isoformat(),
                "commentaire": request.commentaire,
                "motif": request.motif,
                "typeValide": request.type_valide,
                "modalite": request.modalite,
                "montant": request.montant,
                "duree": request.duree,
                "evenementId": str(_uuid(self._population.seed, client_id, person.key, count)),
            }

        result: str | None = self._write(client_id, person, decide)
        return result

    def decide(self, client_id: str, person: Person, request: DecisionRequest) -> tuple[str, str]:
        """Record a partner's decision; its new consequence and manquement ids."""
        today = self._now().date()
        if request.date_notification > today:
            raise sanction_error("R033", "dateNotificationDecisionSanction is after today.")
        if request.date_manquement > request.date_notification:
            raise sanction_error(
                "R091", "dateManquement comes after dateNotificationDecisionSanction."
            )
        seed = self._population.seed

        def decide(current: list[Manquement], count: int, now: dt.datetime) -> tuple[Any, Any]:
            rng = derive_rng(seed, "decision-partenaire", f"{client_id}\x1f{person.key}\x1f{count}")
            ids = (
                str(rng.randrange(10_000_000, 100_000_000)),
                str(rng.randrange(10_000_000, 100_000_000)),
            )
            return ids, {
                "kind": "decision",
                "consequence": ids[0],
                "manquement": ids[1],
                "dateNotification": request.date_notification.isoformat(),
                "nature": request.nature,
                "rang": request.rang,
                "dateManquement": request.date_manquement.isoformat(),
                "typeValide": request.type_valide,
                "modalite": request.modalite,
                "montant": request.montant,
                "duree": request.duree,
                "justification": request.justification,
                "evenementId": str(_uuid(seed, client_id, person.key, count)),
            }

        result: tuple[str, str] = self._write(client_id, person, decide)
        return result

    def radiate(
        self, client_id: str, person: Person, identifiant: str, justification: str | None
    ) -> Radiation:
        """A radiation request on a decided RSA sanction: C000 (created) or why not."""
        seed = self._population.seed

        def decide(current: list[Manquement], count: int, now: dt.datetime) -> tuple[Any, Any]:
            manquement = next(
                (m for m in current if any(c.identifiant == identifiant for c in m.consequences)),
                None,
            )
            if manquement is None:
                return _radiation("C003"), None
            radiations = [c for m in current for c in m.consequences if c.type == "RADIATION"]
            if any(c.source == identifiant for c in radiations):
                return _radiation("C004"), None
            if person.registration.status is RegistrationStatus.RADIE or radiations:
                return _radiation("C001"), None
            target = _find(current, identifiant)
            assert target is not None
            if not _radiation_allowed(manquement.famille, target):
                return _radiation("C002"), None
            rng = derive_rng(seed, "radiation", f"{client_id}\x1f{person.key}\x1f{count}")
            created = str(rng.randrange(10_000_000, 100_000_000))
            return Radiation("C000", RADIATION_MESSAGES["C000"], created), {
                "kind": "radiation",
                "id": identifiant,
                "consequence": created,
                "justification": justification,
                "evenementId": str(_uuid(seed, client_id, person.key, count)),
            }

        result: Radiation = self._write(client_id, person, decide)
        return result

    def progress_for(self, client_id: str) -> Progress:
        """What this client's writes leave of a person's activities (for Activités v2)."""

        def progress(person: Person, activities: tuple[Activity, ...]) -> tuple[Activity, ...]:
            if not any(a.code in SANCTION_CODES for a in activities):
                return activities
            stored = self._store.read(client_id, person.key, FACET)
            if not stored:
                return activities
            stages = {
                c.identifiant: c
                for m in _replay(self._derived(person), stored)
                for c in m.consequences
            }
            kept = []
            for activity in activities:
                ident = activity.id_consequence_sanction
                if ident is None or ident not in stages:
                    kept.append(activity)
                    continue
                code = _activity_of(stages[ident])
                if code is None:
                    continue
                kept.append(activity if code is activity.code else replace(activity, code=code))
            return tuple(kept)

        return progress

    def activities(self, client_id: str) -> ActivitiesService:
        """The activities service seeing this client's sanction writes."""
        return ActivitiesService(self._population, self._clock, self.progress_for(client_id))


_Decide = Callable[[list[Manquement], int, dt.datetime], tuple[Any, dict[str, Any] | None]]
"""Given the manquements, the number of writes so far and now: the answer, and what to store."""


class _NothingStored(Exception):
    """Raised inside an update to leave the document unchanged (C999, C00x, unknown id)."""


def _radiation(code: str) -> Radiation:
    return Radiation(code, RADIATION_MESSAGES[code])


def _radiation_allowed(famille: str, consequence: Consequence) -> bool:
    """Published rules: F01/F03 after a 100 % suppression for 4 months; F04 after 1-4 months."""
    if consequence.stage is not Stage.DECIDEE:
        return False
    if famille == "F04":
        return consequence.type in ("SUSP_RSA", "SUPPR_RSA")
    return (
        consequence.type == "SUPPR_RSA"
        and consequence.modalite_validee == "P"
        and consequence.montant_valide == 100
        and consequence.duree_validee == 4
    )


def _activity_of(consequence: Consequence) -> CodeActivite | None:
    if consequence.stage is Stage.A_INSTRUIRE:
        return CodeActivite.ACT366
    if consequence.stage is Stage.A_TRAITER:
        return CodeActivite.ACT367 if consequence.type == "SUSP_RSA" else CodeActivite.ACT370
    if consequence.stage is Stage.LEVEE_A_TRAITER:
        return CodeActivite.ACT369
    return None


def _uuid(seed: int, client_id: str, person_key: str, count: int) -> uuid.UUID:
    rng = derive_rng(seed, "sanction-evenement", f"{client_id}\x1f{person_key}\x1f{count}")
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _find(manquements: list[Manquement], identifiant: str) -> Consequence | None:
    for manquement in manquements:
        for consequence in manquement.consequences:
            if consequence.identifiant == identifiant:
                return consequence
    return None


def _replay(derived: list[Manquement], stored: dict[str, Any] | None) -> list[Manquement]:
    """The derived manquements with every stored write applied, in order."""
    manquements = derived
    for write in (stored or {}).get("ecritures", []):
        at = dt.datetime.fromisoformat(write["at"])
        if write["kind"] == "evenement":
            consequence = _find(manquements, write["id"])
            if consequence is None:
                continue  # the population changed: the write no longer applies
            _apply_event(consequence, write, at)
        elif write["kind"] == "decision":
            manquements.append(_partner_manquement(write, at))
        elif write["kind"] == "radiation":
            for manquement in manquements:
                if any(c.identifiant == write["id"] for c in manquement.consequences):
                    manquement.consequences.append(_radiation_consequence(write, at))
    return manquements


def _apply_event(consequence: Consequence, write: dict[str, Any], at: dt.datetime) -> None:
    kind = TypeEvenement(write["type"])
    moment = _midday(dt.date.fromisoformat(write["date"]))
    consequence.events.append(
        Event(
            write["evenementId"], kind.value, moment, write.get("commentaire"), write.get("motif")
        )
    )
    _, consequence.stage = TRANSITIONS[kind]
    if kind is TypeEvenement.VALID_SANCTION:
        consequence.type = write.get("typeValide") or consequence.type
        consequence.modalite_validee = write.get("modalite")
        consequence.montant_valide = write.get("montant")
        consequence.duree_validee = write.get("duree")
    elif kind is TypeEvenement.REFUS_SAISIE_SANCTION:
        consequence.modalite_validee = consequence.modalite_proposee
        consequence.montant_valide = consequence.montant_propose
        consequence.duree_validee = consequence.duree_proposee
    if kind in (TypeEvenement.VALID_SANCTION, TypeEvenement.REFUS_SAISIE_SANCTION):
        consequence.date_debut = moment
        consequence.date_fin = _add_months(moment, consequence.duree_validee or 1)
    elif kind is TypeEvenement.VALID_LEVEE_SUSP:
        consequence.date_levee = moment


def _partner_manquement(write: dict[str, Any], at: dt.datetime) -> Manquement:
    notified = _midday(dt.date.fromisoformat(write["dateNotification"]))
    consequence = Consequence(
        identifiant=write["consequence"],
        type=write["typeValide"],
        stage=Stage.DECIDEE,
        code_initiateur="CD",
        modalite_proposee=None,
        montant_propose=None,
        duree_proposee=None,
        events=[Event(write["evenementId"], "VALID_SANCTION", notified, motif="VALIDATION_CD")],
        modalite_validee=write["modalite"],
        montant_valide=write["montant"],
        duree_validee=write["duree"],
        date_debut=notified,
        date_fin=_add_months(notified, write["duree"]),
    )
    return Manquement(
        identifiant=write["manquement"],
        famille=_FAMILLE_OF_NATURE[write["nature"]],
        date_manquement=_midday(dt.date.fromisoformat(write["dateManquement"])),
        date_avertissement=None,
        justification=write.get("justification"),
        demarche_remobilisation=None,
        faisceau=[],
        consequences=[consequence],
    )


def _radiation_consequence(write: dict[str, Any], at: dt.datetime) -> Consequence:
    return Consequence(
        identifiant=write["consequence"],
        type="RADIATION",
        stage=Stage.RADIATION,
        code_initiateur="CD",
        modalite_proposee=None,
        montant_propose=None,
        duree_proposee=None,
        events=[Event(write["evenementId"], "PROP_SANCTION", at, write.get("justification"))],
        source=write["id"],
    )


_MESSAGES = {
    "R010": "Identifiant Consequence Sanction obligatoire",
    "R011": "Identifiant Consequence Sanction invalide, format donnée non respecté",
    "R012": "Identifiant Consequence Sanction obligatoire",
    "R013": "Identifiant Consequence Sanction invalide, format donnée non respecté",
    "R020": "Type evenement obligatoire",
    "R021": "Type evenement invalide, non présent au référentiel ou non transmissible",
    "R030": "Date evenement obligatoire",
    "R031": "Date evenement erronée, format YYYY-MM-DD non respecté ou date non présente au "
    "calendrier",
    "R032": "dateNotificationDecisionSanction obligatoire",
    "R033": "dateNotificationDecisionSanction invalide",
    "R040": "CommentaireEvenement invalide, format non respecté",
    "R041": "Commentaire invalide, format non respecté",
    "R050": "Type consequence sanction obligatoire pour le type d'événement transmis",
    "R051": "Type conséquence sanction invalide, seules valeurs acceptées sont SUSP_RSA et "
    "SUPPR_RSA",
    "R052": "Type consequence sanction obligatoire pour le type d'événement transmis",
    "R053": "Type conséquence sanction invalide, seules valeurs acceptées sont SUSP_RSA et "
    "SUPPR_RSA",
    "R060": "Montant obligatoire pour le type d'événement transmis",
    "R061": "Montant invalide, format non respecté",
    "R062": "Modalité de décision validée incorrecte, doit être 'P' pour pourcentage, 'M' pour "
    "montant, ou vide pour une levée de suspension",
    "R063": "Modalité de décision validée obligatoire pour le type d'événement transmis et si le "
    "« montantValide » est transmis",
    "R064": "Montant invalide pour le type de manquement concerné",
    "R070": "Durée obligatoire pour le type d'événement transmis",
    "R071": "Durée invalide, format non respecté",
    "R080": "natureManquement obligatoire",
    "R081": "natureManquement invalide, format non respecté",
    "R082": "rangManquement invalide, format non respecté",
    "R090": "dateManquement obligatoire",
    "R091": "dateManquement invalide, format non respecté",
    "R100": "Justification de la demande de radiation invalide, format non respecté",
}
"""Published messages of every ``codeErreur`` (the detail's R011 omits « format… »)."""
DETAIL_R011 = "Identifiant Consequence Sanction invalide"


def sanction_error(code: str, hint: str, message: str | None = None) -> BackendError:
    """A published 400 of the sanctions API, by its ``codeErreur``."""
    return BackendError(400, code, message or _MESSAGES[code], hint)


def check_event(request: EventRequest) -> None:
    """The published rules tied to the event type (R050, R060, R063, R064, R070; motif)."""
    needs_type = (TypeEvenement.VALID_SANCTION, TypeEvenement.ANNULATION_SANCTION)
    if request.type in needs_type and request.type_valide is None:
        raise sanction_error(
            "R050",
            "typeConsequenceSanctionValide (SUSP_RSA or SUPPR_RSA) is required for "
            f"{request.type.value}.",
        )
    if request.type is TypeEvenement.VALID_SANCTION:
        check_amount(request.modalite, request.montant, ("R060", "R063", "R064"))
        if request.duree is None:
            raise sanction_error("R070", "dureeValidee (1 to 4 months) is required.")
    elif request.montant is not None and request.modalite is None:
        raise sanction_error("R063", "modaliteDecisionValidee goes with montantValide.")
    if request.type is TypeEvenement.ANNULATION_SANCTION and request.motif is None:
        # No code is published for this case: the sandbox answers the event's R021.
        raise sanction_error(
            "R021",
            "ANNULATION_SANCTION needs evenement.motifEvenement (DROIT_ERREUR, RECOURS or "
            "AUTRE), as published.",
        )


def check_amount(modalite: str | None, montant: int | None, codes: tuple[str, str, str]) -> None:
    """Published amount rules: modality needed with an amount; a rate between 30 and 100."""
    missing_amount, missing_modality, bad_amount = codes
    if montant is None:
        raise sanction_error(missing_amount, "montantValide is required for this event.")
    if modalite is None:
        raise sanction_error(missing_modality, "modaliteDecisionValidee (P or M) is required.")
    if (modalite == "P" and not 30 <= montant <= 100) or (modalite == "M" and montant < 1):
        raise sanction_error(
            bad_amount, "A rate (modalite P) is between 30 and 100; an amount (M) is positive."
        )
