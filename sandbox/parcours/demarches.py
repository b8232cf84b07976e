"""A person's démarches (Annexe 3, « Accès aux démarches »).

The closest published shape is the démarche of the PE Connect démarches API as France Travail's
own client reads it (pass-emploi-api ``DemarcheDto``): it carries every field of Annexe 3's list
(libellés court et long, acteurs de création et de modification, application d'origine, nombre,
contact, lieu, métier, organisme, droits), where the FT Connect « Déclaration de démarche » file
lacks half of them. Codes come from the shipped référentiel (``data/demarches-referentiel.yaml``).

A pure function of (seed, person, epoch): only people registered with France Travail have
démarches, created between their registration and the epoch. A démarche whose end date is past
is mostly réalisée (RE), sometimes annulée (AN) or still active (AC, late); one not yet ended is
active. Métiers come from the person's profil de compétences (the same draw Métiers recherchés
serves), and the création d'entreprise objective only appears with a CREF project.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sandbox.careers.baseline import baseline
from sandbox.parcours.referentiel import Pourquoi, Quoi, referentiel_demarches
from sandbox.population.models import Coded, Person
from sandbox.randomness import derive_rng, weighted_choice

FACET = "demarches"
MAX_DEMARCHES = 10
"""Démarches one person has at most (README, Limits)."""


class Etat(StrEnum):
    """État de la démarche: Annexe 3's Actif, Réalisé, Annulé."""

    ACTIF = "AC"
    REALISE = "RE"
    ANNULE = "AN"


class Acteur(StrEnum):
    """Who created or last changed a démarche (Annexe 3's four actors)."""

    INDIVIDU = "INDIVIDU"
    CONSEILLER = "CONSEILLER"
    PARTENAIRE = "PARTENAIRE"
    ENTREPRISE = "ENTREPRISE"


class Application(StrEnum):
    """Application à l'origine de la démarche (Annexe 3's twelve values)."""

    ACTION = "ACTION"
    ACTUALISATION = "ACTUALISATION"
    CANDIDATURE = "CANDIDATURE"
    JRE_CONSEILLER = "JRE_CONSEILLER"
    JRE_DE = "JRE_DE"
    CV = "CV"
    LM = "LM"
    PUBLICATION_PROFIL = "PUBLICATION_PROFIL"
    ENTRETIEN = "ENTRETIEN"
    RECHERCHE_ENREGISTREE = "RECHERCHE_ENREGISTREE"
    SUGGESTION = "SUGGESTION"
    PASS_EMPLOI = "PASS_EMPLOI"


@dataclass(frozen=True, slots=True)
class Droits:
    """What may still be done with a démarche: only an active one can change."""

    annulation: bool
    realisation: bool
    replanification: bool
    modification_date: bool


@dataclass(frozen=True, slots=True)
class Demarche:
    """One démarche, with the fields of Annexe 3's list."""

    identifiant: str
    etat: Etat
    date_debut: dt.date
    date_fin: dt.date
    date_creation: dt.date
    date_modification: dt.date | None
    date_annulation: dt.date | None
    origine_createur: Acteur
    origine_modificateur: Acteur | None
    origine_demarche: Application
    pourquoi: Coded
    quoi: Coded
    comment: Coded | None
    libelle_court: str
    libelle_long: str
    description: str | None
    description2: str | None
    nombre: int | None
    contact: str | None
    lieu: str | None
    metier: str | None
    organisme: str | None
    droits: Droits


_COUNTS = ((0, 0.2), (1, 0.15), (2, 0.2), (3, 0.15), (4, 0.1), (5, 0.08), (6, 0.05),
           (8, 0.04), (10, 0.03))  # fmt: skip
_CREATORS = ((Acteur.INDIVIDU, 0.6), (Acteur.CONSEILLER, 0.3), (Acteur.PARTENAIRE, 0.08),
             (Acteur.ENTREPRISE, 0.02))  # fmt: skip
_PAST_STATES = ((Etat.REALISE, 0.7), (Etat.ANNULE, 0.2), (Etat.ACTIF, 0.1))
_OBJECTIVES = (("P01", 0.15), ("P02", 0.12), ("P03", 0.5), ("P04", 0.13), ("P05", 0.05),
               ("P06", 0.05))  # fmt: skip
_DIGITAL = ("C11.06", "C12.01", "C18.01")
_ABOUT_A_JOB = ("P01", "P03", "P04")


def _application(quoi: Quoi, comment: Coded | None, creator: Acteur) -> Application:
    """The application a démarche of this kind is recorded from."""
    if quoi.coded.code == "Q14":
        return Application.CANDIDATURE
    if comment is not None and comment.code == "C11.02":
        return Application.CV
    if comment is not None and comment.code.endswith(".01") and comment.code not in _DIGITAL:
        return Application.ACTION
    if creator is Acteur.CONSEILLER:
        return Application.ENTRETIEN
    if creator is Acteur.INDIVIDU:
        return Application.JRE_DE
    return Application.SUGGESTION


def _contact(pourquoi: Pourquoi, creator: Acteur) -> str | None:
    """Who the démarche is with, when it is with someone (never a person's name)."""
    if creator is Acteur.ENTREPRISE:
        return "Service des ressources humaines"
    if pourquoi.coded.code == "P04":
        return "Responsable du recrutement"
    return None


def _objective(rng: random.Random, with_project: bool) -> Pourquoi:
    by_code = {p.coded.code: p for p in referentiel_demarches()}
    code = weighted_choice(rng, _OBJECTIVES)
    if code == "P05" and not with_project:
        code = "P03"
    return by_code[code]


def demarches_of(seed: int, person: Person, epoch: dt.date) -> tuple[Demarche, ...]:
    """The person's démarches, most recently created first."""
    start = person.registration.registered_on
    if start is None or start > epoch:
        return ()
    rng = derive_rng(seed, FACET, person.key)
    count = weighted_choice(rng, _COUNTS)
    careers = baseline(seed, person)
    metiers = [job.appellation.libelle for job in careers.jobs]
    commune = person.address.commune_nom if person.address else None
    found = []
    for _ in range(count):
        pourquoi = _objective(rng, bool(careers.projects))
        quoi = rng.choice(pourquoi.quois)
        comment = rng.choice(quoi.comments) if quoi.comments else None
        created = start + dt.timedelta(days=rng.randint(0, (epoch - start).days))
        end = created + dt.timedelta(days=rng.randint(7, 60))
        etat = weighted_choice(rng, _PAST_STATES) if end < epoch else Etat.ACTIF
        creator = weighted_choice(rng, _CREATORS)
        changed = etat is not Etat.ACTIF or rng.random() < 0.2
        closed = created + dt.timedelta(days=rng.randint(0, (min(end, epoch) - created).days))
        with_job = metiers and pourquoi.coded.code in _ABOUT_A_JOB
        metier = rng.choice(metiers) if with_job else None
        found.append(
            Demarche(
                identifiant=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                etat=etat,
                date_debut=created,
                date_fin=end,
                date_creation=created,
                date_modification=closed if changed else None,
                date_annulation=closed if etat is Etat.ANNULE else None,
                origine_createur=creator,
                origine_modificateur=(
                    rng.choice((Acteur.INDIVIDU, Acteur.CONSEILLER)) if changed else None
                ),
                origine_demarche=_application(quoi, comment, creator),
                pourquoi=pourquoi.coded,
                quoi=quoi.coded,
                comment=comment,
                libelle_court=quoi.coded.libelle,
                libelle_long=(
                    f"{quoi.coded.libelle} : {comment.libelle}" if comment else quoi.coded.libelle
                ),
                description=metier or pourquoi.coded.libelle,
                description2=comment.libelle if comment else None,
                nombre=rng.randint(1, 12) if quoi.coded.code == "Q14" else None,
                contact=_contact(pourquoi, creator),
                lieu=commune if comment is not None and comment.code not in _DIGITAL else None,
                metier=metier,
                organisme="France Travail" if comment and comment.code.endswith(".01") else None,
                droits=Droits(*(etat is Etat.ACTIF,) * 4),
            )
        )
    found.sort(key=lambda d: (d.date_creation, d.identifiant), reverse=True)
    return tuple(found)
