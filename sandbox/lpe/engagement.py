"""Contrat d'engagement: the CER or PPAE of a person, derived from the seed, then as written.

Annexe 4 of the convention tells the two contracts apart (``TYPE_CONTRAT``: CER or PPAE): an RSA
beneficiary oriented towards employment (orientation ``pro``) signs the PPAE with France
Travail; one oriented social or socio-professional signs the CER with the département. A person
not oriented yet has no contract. Its state (signed, refused…) and dates are a pure function of
(seed, person), unless a persona fixes the state.

What a client writes (sign or refuse, first contract or existing one) lives in one document of
facet ``contrat-engagement`` per (client, person), through ``StateStore.update``; a read returns
the written contract when there is one, the derived one otherwise. Each document keeps the list
of its writes, capped at ``MAX_WRITES_PER_PERSON`` (409 ``ERR_LIMITE_BAC_A_SABLE`` beyond).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from sandbox.clock import Clock
from sandbox.errors import ProblemError
from sandbox.lpe.orientation import orientation_of
from sandbox.orientation import Effective, effective_orientation
from sandbox.population.models import EngagementContract, Orientation, Person, RegistrationStatus
from sandbox.randomness import derive_rng, weighted_choice
from sandbox.state import StateStore, StorageLimitError, Update

FACET = "contrat-engagement"
MAX_WRITES_PER_PERSON = 50
"""Signatures and refusals one client may write for one person (README, Limits)."""

FRANCE_TRAVAIL = "France Travail"


class Etat(StrEnum):
    """Etat du contrat d'engagement (published enum)."""

    SIGNE = "SIGNE"
    REFUSE = "REFUSE"
    A_SIGNER = "A_SIGNER"
    EN_ATTENTE_SIGNATURE = "EN_ATTENTE_SIGNATURE"
    SUSPENDU = "SUSPENDU"


class TypeContrat(StrEnum):
    """Annexe 4 ``TYPE_CONTRAT``: which contract the person signs, and with whom."""

    CER = "CER"
    PPAE = "PPAE"


class Contract(BaseModel):
    """One person's contrat d'engagement, as read or written."""

    etat: Etat
    type_contrat: TypeContrat
    organisme: str
    date_signature: dt.datetime | None = None
    date_refus: dt.datetime | None = None
    date_suspension: dt.datetime | None = None


class Action(StrEnum):
    """The four published writes."""

    SIGNER_PREMIER = "signer-premier"
    SIGNER_EXISTANT = "signer-existant"
    REFUSER_PREMIER = "refuser-premier"
    REFUSER_EXISTANT = "refuser-existant"


# Generated people: (state, weight) once oriented and registered; ``None`` is "no contract yet".
_STATES: tuple[tuple[Etat | None, float], ...] = (
    (Etat.SIGNE, 0.60),
    (None, 0.15),
    (Etat.REFUSE, 0.08),
    (Etat.A_SIGNER, 0.10),
    (Etat.EN_ATTENTE_SIGNATURE, 0.07),
)
_ENDED = (RegistrationStatus.CESSE, RegistrationStatus.RADIE)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$")

_TITLES = {
    Action.SIGNER_PREMIER: "SignatureException",
    Action.SIGNER_EXISTANT: "SignatureException",
    Action.REFUSER_PREMIER: "RefusException",
    Action.REFUSER_EXISTANT: "RefusException",
}
EXISTS_DETAIL = {
    Action.SIGNER_PREMIER: "Un contrat d'engagement est déjà existant, impossible de créer un "
    "contrat d'engagmeent à l'état signé.",
    Action.REFUSER_PREMIER: "Un contrat d'engagement est déjà existant, impossible de créer un "
    "contrat d'engagmeent à l'état refusé.",
}
"""Published details (typos included) of a first contract written over an existing one."""
ALREADY_DETAIL = {
    Action.SIGNER_EXISTANT: "Impossible de signer un contrat d'engagemenet déjà signé.",
    Action.REFUSER_EXISTANT: "Impossible de refuser un contrat d'engagement déjà refusé.",
}
"""Published details of signing a signed contract, or refusing a refused one."""
NONE_DETAIL = {
    Action.SIGNER_EXISTANT: "Aucun contrat d'engagement existant, impossible de signer le contrat.",
    Action.REFUSER_EXISTANT: "Aucun contrat d'engagement existant, impossible de refuser le "
    "contrat.",
}
"""The sandbox's details (none published) for PATCH on a person without contract."""
SUSPENDED_DETAIL = (
    "Un contrat d'engagement existe déjà à l'état suspendu, impossible de signer le contrat."
)
"""Published 500 detail of a PATCH on a suspended contract (the same for refusing)."""


def contract_type(person: Person, effective: Effective | None = None) -> TypeContrat:
    """PPAE for an employment orientation (or none yet), CER for a social or socio-pro one.

    ``effective``: the orientation the calling client sees (a written one wins).
    """
    orientation = orientation_of(person, effective)
    if orientation in (Orientation.SOCIAL, Orientation.SOCIO_PRO):
        return TypeContrat.CER
    return TypeContrat.PPAE


def _organisme(person: Person, kind: TypeContrat) -> str:
    if kind is TypeContrat.PPAE:
        return FRANCE_TRAVAIL
    structure = person.rsa.referent_structure
    if structure is not None and structure.code.startswith("CD"):
        return structure.libelle
    # Oriented to the département by a client's orientation: its conseil départemental.
    return f"Conseil départemental ({person.attachment_departement})"


def _moment(day: dt.date, rng_minutes: int) -> dt.datetime:
    start = dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC)
    return start + dt.timedelta(minutes=rng_minutes)


def derived_contract(
    seed: int, person: Person, today: dt.date, effective: Effective | None = None
) -> Contract | None:
    """The contract the person has before any write: a pure function of (seed, person).

    ``effective``: the orientation the calling client sees; a written one decides the type.
    """
    if orientation_of(person, effective) is None and person.engagement is None:
        return None
    rng = derive_rng(seed, "contrat-engagement", person.key)
    if person.engagement is not None:
        state = None if person.engagement is EngagementContract.AUCUN else Etat(person.engagement)
    elif person.registration.status in _ENDED:
        state = Etat.SUSPENDU
    else:
        state = weighted_choice(rng, _STATES)
    if state is None:
        return None
    kind = contract_type(person, effective)
    registered = person.registration.registered_on or (today - dt.timedelta(days=180))
    signed_day = min(registered + dt.timedelta(days=rng.randrange(7, 45)), today)
    moment = _moment(signed_day, rng.randrange(9 * 60))
    contract = Contract(etat=state, type_contrat=kind, organisme=_organisme(person, kind))
    if state is Etat.SUSPENDU:
        ended = person.registration.ended_on or person.registration.status_date
        contract.date_suspension = _moment(min(ended, today), 0)
    elif state is Etat.REFUSE:
        contract.date_refus = moment
    elif state is Etat.SIGNE:
        contract.date_signature = moment
    elif state is Etat.A_SIGNER:
        # A_SIGNER keeps the date of its previous state (published): mostly signed before.
        if rng.random() < 0.75:
            contract.date_signature = moment
        else:
            contract.date_refus = moment
    return contract


def invalid_date(field: str, hint: str) -> ProblemError:
    """The published 400 of a badly written date."""
    what = "signature" if field == "dateSignature" else "refus"
    return ProblemError(
        400,
        "DonneeEnEntreeInvalideException",
        f"Format de date de {what} invalide, format attendu yyyy-MM-dd'T'HH:mm:ssZ.",
        hint,
    )


def parse_date(text: str, field: str, now: dt.datetime) -> dt.datetime:
    """A written ``yyyy-MM-dd'T'HH:mm:ssZ`` date (milliseconds allowed), not after now."""
    if not _DATE.match(text):
        raise invalid_date(
            field,
            f"{field} must be written yyyy-MM-ddTHH:mm:ss with a zone, e.g. "
            "2024-06-01T15:35:00.000Z.",
        )
    try:
        moment = dt.datetime.fromisoformat(text).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise invalid_date(field, f"{field} is not a real date and time.") from None
    if moment > now:
        what = "signature" if field == "dateSignature" else "refus"
        raise ProblemError(
            400,
            "DonneeEnEntreeInvalideException",
            f"La date de {what} doit être antérieur ou égale à la date du jour.",
            f"{field} is after the instance's clock ({now.isoformat()}): send a past date.",
        )
    return moment


class EngagementService:
    """The contrats d'engagement of one instance."""

    def __init__(self, store: StateStore, seed: int, clock: Clock) -> None:
        self._store = store
        self._seed = seed
        self._clock = clock

    def _now(self) -> dt.datetime:
        now = self._clock.now()
        return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)

    def read(self, client_id: str, person: Person) -> Contract | None:
        """The person's contract for this client: the last written one, else the derived one."""
        stored = self._store.read(client_id, person.key, FACET)
        if stored and stored.get("contrat"):
            return Contract.model_validate(stored["contrat"])
        effective = effective_orientation(self._store, self._seed, client_id, person)
        return derived_contract(self._seed, person, self._now().date(), effective)

    def write(self, client_id: str, person: Person, action: Action, date_text: str) -> Contract:
        """Sign or refuse (a first contract, or the existing one); the published refusals."""
        now = self._now()
        field = "dateSignature" if action in _SIGNING else "dateRefus"
        moment = parse_date(date_text, field, now)
        effective = effective_orientation(self._store, self._seed, client_id, person)
        derived = derived_contract(self._seed, person, now.date(), effective)
        results: list[Contract] = []

        def apply(stored: dict[str, Any] | None) -> Update:
            writes = list((stored or {}).get("ecritures", []))
            if len(writes) >= MAX_WRITES_PER_PERSON:
                raise StorageLimitError(
                    "contrat d'engagement writes per person", MAX_WRITES_PER_PERSON
                )
            current = (
                Contract.model_validate(stored["contrat"])
                if stored and stored.get("contrat")
                else derived
            )
            written = _apply(person, action, current, moment, effective)
            results.append(written)
            writes.append(
                {"action": action.value, "date": moment.isoformat(), "at": now.isoformat()}
            )
            contract = written.model_dump(mode="json")
            return Update(
                document={"contrat": contract, "ecritures": writes},
                change={"action": action.value, "contrat": contract},
                tags=(action.value,),
            )

        self._store.update(client_id, person.key, FACET, now, apply)
        return results[0]


_SIGNING = (Action.SIGNER_PREMIER, Action.SIGNER_EXISTANT)


def _apply(
    person: Person,
    action: Action,
    current: Contract | None,
    moment: dt.datetime,
    effective: Effective,
) -> Contract:
    title = _TITLES[action]
    if action in (Action.SIGNER_PREMIER, Action.REFUSER_PREMIER):
        if current is not None:
            raise ProblemError(
                400,
                title,
                EXISTS_DETAIL[action],
                f"This person already has a contrat d'engagement ({current.etat}): sign or "
                "refuse it with PATCH on the same path.",
            )
        kind = contract_type(person, effective)
        base = Contract(etat=Etat.SIGNE, type_contrat=kind, organisme=_organisme(person, kind))
    else:
        if current is None:
            raise ProblemError(
                400,
                title,
                NONE_DETAIL[action],
                "This person has no contrat d'engagement yet: create the first one with POST "
                "on the same path.",
            )
        if current.etat is Etat.SUSPENDU:
            raise ProblemError(
                500,
                "Exception",
                SUSPENDED_DETAIL,
                "The contract is SUSPENDU (the person's registration has ended): it can be "
                "neither signed nor refused (published 500).",
            )
        target = Etat.SIGNE if action is Action.SIGNER_EXISTANT else Etat.REFUSE
        if current.etat is target:
            raise ProblemError(
                400,
                title,
                ALREADY_DETAIL[action],
                f"The contract is already {target}: read it with GET /lecture.",
            )
        base = current
    if action in _SIGNING:
        return base.model_copy(
            update={"etat": Etat.SIGNE, "date_signature": moment, "date_refus": None}
        )
    return base.model_copy(
        update={"etat": Etat.REFUSE, "date_refus": moment, "date_signature": None}
    )
