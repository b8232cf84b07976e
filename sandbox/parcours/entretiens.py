"""A person's conclusions d'entretien (Annexe 3, « Rendez-vous – Données d'entretien »).

A pure function of (seed, person, epoch): only people registered with France Travail have had
entretiens, all between their registration and the end of it (or the population's epoch), held
in their agency by their principal adviser. A RSA beneficiary's first entretien is the
entretien d'orientation (EDO); when France Travail accompanies them (professional parcours) the
next is the 1er entretien d'accompagnement (EDA). An « ENTRETIEN USAGER » (USA) is the one
entretien whose origine is the individu. Syntheses and action plans are drawn from fixed,
impersonal sentences: the sandbox never writes free text about a person.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sandbox.parcours.conseillers import Conseiller, advisers_of
from sandbox.parcours.referentiel import MODALITES_CONTACT, TYPES_ENTRETIEN, agency_label
from sandbox.population.models import Coded, Orientation, Person
from sandbox.randomness import derive_rng, weighted_choice

FACET = "entretiens"
MAX_ENTRETIENS = 6
"""Entretiens one person has at most (README, Limits: every list is bounded)."""

ORIGINE_CONSEILLER = "Conseiller"
ORIGINE_INDIVIDU = "Individu"

_COUNTS = ((0, 0.15), (1, 0.2), (2, 0.25), (3, 0.2), (4, 0.1), (5, 0.06), (6, 0.04))
_FOLLOW_UPS = (("EDP", 0.35), ("ETP", 0.25), ("ESI", 0.1), ("SEF", 0.1), ("CRE", 0.05),
               ("IND", 0.05), ("USA", 0.1))  # fmt: skip
_MODALITES = (("I", 0.45), ("T", 0.25), ("W", 0.1), ("V", 0.05), ("R", 0.07), ("C", 0.05),
              ("B", 0.02), ("F", 0.01))  # fmt: skip
_SYNTHESES = {
    "EDO": "Entretien d'orientation : situation et besoins examinés, parcours proposé.",
    "EDA": "Premier entretien d'accompagnement : projet professionnel et démarches à engager.",
    "USA": "Échange à l'initiative de l'usager : questions sur son parcours.",
}
_DEFAULT_SYNTHESE = "Point sur les démarches engagées depuis le dernier entretien."
_PLANS = (
    "Mettre à jour le CV et le déposer en ligne.",
    "Répondre à trois offres d'emploi avant le prochain entretien.",
    "Participer à un atelier de préparation aux entretiens d'embauche.",
    "Prendre contact avec un organisme de formation.",
    "Préparer les pièces du dossier de reprise d'entreprise.",
)
_PLAN = 0.5
_ORIENTATION_DAYS = 60


@dataclass(frozen=True, slots=True)
class Entretien:
    """One entretien and its conclusion."""

    type: Coded
    date: dt.date
    modalite: Coded
    synthese: str
    plan_action: str | None
    origine: str
    agent: Conseiller
    code_agence: str
    libelle_agence: str


def _span(person: Person, epoch: dt.date) -> tuple[dt.date, dt.date] | None:
    start = person.registration.registered_on
    if start is None:
        return None
    end = min(person.registration.ended_on or epoch, epoch)
    return (start, end) if end >= start else None


def _types(rng: random.Random, person: Person, count: int) -> list[str]:
    first: list[str] = []
    if person.rsa.beneficiary:
        first.append("EDO")
        if person.rsa.orientation is Orientation.PRO:
            first.append("EDA")
    follow_ups = [weighted_choice(rng, _FOLLOW_UPS) for _ in range(count)]
    return (first + follow_ups)[:count]


def entretiens_of(seed: int, person: Person, epoch: dt.date) -> tuple[Entretien, ...]:
    """The person's entretiens, most recent first (as Suivi de parcours lists them)."""
    span = _span(person, epoch)
    advisers = advisers_of(seed, person)
    if span is None or advisers.principal is None:
        return ()
    rng = derive_rng(seed, FACET, person.key)
    count = weighted_choice(rng, _COUNTS)
    days = (span[1] - span[0]).days
    dates = sorted(span[0] + dt.timedelta(days=rng.randint(0, days)) for _ in range(count))
    if dates and person.rsa.beneficiary:
        # The orientation interview follows the registration closely (Art. L262-35 CASF).
        dates[0] = span[0] + dt.timedelta(days=rng.randint(0, min(days, _ORIENTATION_DAYS)))
        dates.sort()
    agence = agency_label(person.safir_agency)
    entretiens = []
    for code, date in zip(_types(rng, person, count), dates, strict=True):
        modalite = weighted_choice(rng, _MODALITES)
        plan = rng.choice(_PLANS) if code != "USA" and rng.random() < _PLAN else None
        entretiens.append(
            Entretien(
                type=Coded(code, TYPES_ENTRETIEN[code]),
                date=date,
                modalite=Coded(modalite, MODALITES_CONTACT[modalite]),
                synthese=_SYNTHESES.get(code, _DEFAULT_SYNTHESE),
                plan_action=plan,
                origine=ORIGINE_INDIVIDU if code == "USA" else ORIGINE_CONSEILLER,
                agent=advisers.principal,
                code_agence=person.safir_agency,
                libelle_agence=agence,
            )
        )
    return tuple(reversed(entretiens))
