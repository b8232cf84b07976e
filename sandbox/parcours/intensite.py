"""The « Suivi d'intensité d'accompagnement » view of a person (Annexe 3).

Annexe 3 lists what the view shows; no API publishes it (its démarches come from an internal
service, « ex077 »). Readings the sandbox takes, each said in the control plane's contract:

- « ID local + code Assedic »: the 8-character identifiant local (7 digits and a letter, the old
  France Travail id format) with a 3-digit code of the regional Assedic, taken from the agency's
  département;
- « BNI du DE »: the person's identifier in France Travail's base nationale des individus, i.e.
  the identifiant national that Recherche usager v1 returns (the table's value « RSA Orientation
  : Convocation sur site » belongs to the rendez-vous table above it: the lines are shifted);
- the type of parcours follows the RSA orientation (professional → « Emploi », or « Emploi
  direct » for the most autonomous; socio-professional, social), and for someone outside the RSA
  the accompaniment alone;
- the date d'entrée en parcours is the first entretien, else the registration;
- « Lien inter-application vers la synthèse MAP » needs a signed-in professional (the Suivi de
  parcours pages) and « conseiller partenaire du CD » is « fonctionnalité à venir »: not served.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sandbox.parcours.conseillers import Conseiller, advisers_of
from sandbox.parcours.demarches import Demarche
from sandbox.parcours.entretiens import Entretien
from sandbox.population.models import Coded, Orientation, Person, RegistrationStatus
from sandbox.randomness import derive_rng

FACET = "intensite"

PARCOURS_EMPLOI_DIRECT = Coded("EMPLOI_DIRECT", "Emploi direct")
PARCOURS_EMPLOI = Coded("EMPLOI", "Emploi")
PARCOURS_SOCIO_PRO = Coded("SOCIO_PRO", "Socio-professionnel")
PARCOURS_SOCIAL = Coded("SOCIAL", "Social")
_AUTONOMOUS = 0.4


@dataclass(frozen=True, slots=True)
class SuiviIntensite:
    """What the view shows of one person."""

    nom: str
    prenom: str
    identifiant_local: str
    code_assedic: str
    bni: str
    statut: RegistrationStatus
    date_statut: dt.date
    date_entree_parcours: dt.date | None
    type_parcours: Coded | None
    demarches: tuple[str, ...]
    conseiller_principal: Conseiller | None
    conseiller_delegue: Conseiller | None
    coordinateur: Conseiller | None
    codes_safir: tuple[str, ...]


def _parcours(person: Person, autonomous: bool) -> Coded | None:
    if person.registration.registered_on is None:
        return None
    orientation = person.rsa.orientation
    if orientation is Orientation.SOCIAL:
        return PARCOURS_SOCIAL
    if orientation is Orientation.SOCIO_PRO:
        return PARCOURS_SOCIO_PRO
    return PARCOURS_EMPLOI_DIRECT if autonomous else PARCOURS_EMPLOI


def _assedic(safir: str) -> str:
    departement = safir[:2] if safir[:2].isdigit() else "00"
    return f"0{departement}"


def suivi_intensite_of(
    seed: int,
    person: Person,
    bni: str,
    entretiens: tuple[Entretien, ...],
    demarches: tuple[Demarche, ...],
) -> SuiviIntensite:
    """The view of ``person``, from the entretiens and démarches their file already holds."""
    rng = derive_rng(seed, FACET, person.key)
    local = f"{rng.randrange(10_000_000):07d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
    registration = person.registration
    entry = min((e.date for e in entretiens), default=registration.registered_on)
    advisers = advisers_of(seed, person)
    since = [d.libelle_court for d in demarches if entry is not None and d.date_creation >= entry]
    agencies = [a.code_safir for a in (advisers.principal, advisers.delegue, advisers.coordinateur)
                if a is not None]  # fmt: skip
    return SuiviIntensite(
        nom=person.last_name,
        prenom=person.first_name,
        identifiant_local=local,
        code_assedic=_assedic(person.safir_agency),
        bni=bni,
        statut=registration.status,
        date_statut=registration.status_date,
        date_entree_parcours=entry,
        type_parcours=_parcours(person, rng.random() < _AUTONOMOUS),
        demarches=tuple(since),
        conseiller_principal=advisers.principal,
        conseiller_delegue=advisers.delegue,
        coordinateur=advisers.coordinateur,
        codes_safir=tuple(dict.fromkeys(agencies or [person.safir_agency])),
    )
