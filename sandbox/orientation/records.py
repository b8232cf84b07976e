"""A person's orientations, version-neutral: what both generations of the API serve.

The names follow Orientation usager v2 (``parcours``, ``organisme``, ``statut``, ``etat``…); the
HTTP layer maps them to each published schema (v1 ``structure.code_aurore``, v2
``referent_parcours``). Generated orientations are pure functions of (seed, person).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from sandbox.population.models import Orientation, OrientationState, Person
from sandbox.randomness import derive_rng


class Parcours(StrEnum):
    """Parcours (published codes): pro, socio-pro, social, entretien, indéterminé."""

    PED = "PED"
    PSP = "PSP"
    PSO = "PSO"
    EO = "EO"
    IND = "IND"


class Organisme(StrEnum):
    """Organisme of an orientation (published codes)."""

    CD = "CD"
    CAF = "CAF"
    FT = "FT"
    ML = "ML"
    CE = "CE"
    IND = "IND"


class Etat(StrEnum):
    """État d'avancement (v2's list; v1 serves all but ``ABANDON``)."""

    EN_ATTENTE = "EN_ATTENTE"
    BROUILLON = "BROUILLON"
    SAISIE_COMPLETE = "SAISIE_COMPLETE"
    OUVERT = "OUVERT"
    CLOTURE = "CLOTURE"
    ABANDON = "ABANDON"


PENDING = frozenset({Etat.EN_ATTENTE, Etat.BROUILLON, Etat.SAISIE_COMPLETE})
"""States of a proposal not decided yet: a new proposal or orientation abandons them."""


class Statut(StrEnum):
    """Statut of an orientation (the values the sandbox writes, from v2's list)."""

    PRECONISE = "PRECONISE"
    PRECONISE_REORIENTATION = "PRECONISE_REORIENTATION"
    DECIDE = "DECIDE"
    DECIDE_REORIENTATION = "DECIDE_REORIENTATION"
    MODIFIE = "MODIFIE"


class Structure(BaseModel):
    """A structure: its Aurore code (``AAA9999``), its SAFIR code for an agency, its libellé."""

    code: str
    safir: str | None = None
    libelle: str


class Decision(BaseModel):
    """The decision taken on a proposal."""

    etat_decision: str
    date_decision: dt.date
    agent_decision: str
    organisme_decision: Organisme | None = None
    motif_refus: str | None = None
    commentaire_refus: str | None = None


class Record(BaseModel):
    """One orientation of a person."""

    id: str
    parcours: Parcours
    organisme: Organisme
    structure: Structure | None = None
    statut: Statut
    etat: Etat
    origine: str
    agent_creation: str
    agent_derniere_modification: str
    date_entree_parcours: dt.date | None = None
    date_sortie_parcours: dt.date | None = None
    motif_sortie_parcours: str | None = None
    date_creation: dt.datetime
    date_modification: dt.datetime
    criteres: dict[str, Any] | None = None
    decision: Decision | None = None


GENERATED_AGENT = "BATCH_ORIENTATION"
"""The agent of generated orientations: the département's orientation batch (webrsa sends one)."""
_BY_PARCOURS = {
    Orientation.PRO: (Parcours.PED, Organisme.FT),
    Orientation.SOCIO_PRO: (Parcours.PSP, Organisme.CD),
    Orientation.SOCIAL: (Parcours.PSO, Organisme.CD),
}


def structure_of(seed: int, person: Person | None, organisme: Organisme) -> Structure:
    """The structure an organisme means for a person: their agency for FT, else the département's.

    Aurore codes are synthetic (``HDF`` and four digits derived from the seed), SAFIR the person's
    agency: the same seed gives the same codes.
    """
    key = person.key if person else "-"
    departement = person.address.departement if person and person.address else "62"
    rng = derive_rng(seed, "orientation-structure", f"{key}\x1f{organisme.value}")
    code = f"HDF{rng.randrange(10_000):04d}"
    if organisme is Organisme.FT:
        safir = person.safir_agency if person else None
        return Structure(code=code, safir=safir, libelle="Agence France Travail")
    labels = {
        Organisme.CD: f"Conseil départemental ({departement})",
        Organisme.CAF: f"Caisse d'allocations familiales ({departement})",
        Organisme.ML: f"Mission locale ({departement})",
        Organisme.CE: f"Cap emploi ({departement})",
        Organisme.IND: "Indéterminé",
    }
    return Structure(code=code, libelle=labels[organisme])


def generated(seed: int, person: Person | None) -> list[Record]:
    """The orientation the platform holds for a person before any client writes (none without one).

    From the person's RSA data: parcours professionnel → PED with France Travail, socio-pro → PSP
    and social → PSO with the département (IND for a partial questionnaire, BROUILLON); its état
    is the persona's (OUVERT by default). The
    dates follow the registration (convention Art. 1: the orientation leads to the registration).
    """
    if person is None or not person.rsa.beneficiary or person.rsa.orientation is None:
        return []
    state = person.rsa.orientation_state
    parcours, organisme = _BY_PARCOURS[person.rsa.orientation]
    if state is OrientationState.BROUILLON:
        # A partial questionnaire proposes nothing yet (as the calculation does).
        parcours, organisme = Parcours.IND, Organisme.IND
    registration = person.registration
    entry = registration.registered_on or registration.status_date
    rng = derive_rng(seed, "orientation-generated", person.key)
    created = dt.datetime.combine(
        entry - dt.timedelta(days=rng.randint(7, 40)), dt.time(9, rng.randrange(60)), dt.UTC
    )
    decided = state in (OrientationState.OUVERT, OrientationState.CLOTURE)
    record = Record(
        id=f"{person.key}-0",
        parcours=parcours,
        organisme=organisme,
        structure=None if organisme is Organisme.IND else structure_of(seed, person, organisme),
        statut=Statut.DECIDE if decided else Statut.PRECONISE,
        etat=Etat(state.value),
        origine="INSCRIPTION_AUTO_CAF",
        agent_creation=GENERATED_AGENT,
        agent_derniere_modification=GENERATED_AGENT,
        date_entree_parcours=entry if decided else None,
        date_creation=created,
        date_modification=created,
    )
    if state is OrientationState.CLOTURE:
        ended = registration.ended_on or entry + dt.timedelta(days=rng.randint(90, 400))
        record = record.model_copy(
            update={"date_sortie_parcours": ended, "motif_sortie_parcours": "Sortie du RSA"}
        )
    if decided:
        record = record.model_copy(
            update={
                "decision": Decision(
                    etat_decision="ACCEPTEE",
                    date_decision=entry,
                    agent_decision=GENERATED_AGENT,
                    organisme_decision=Organisme.CD,
                )
            }
        )
    return [record]
