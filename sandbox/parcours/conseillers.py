"""The France Travail advisers who follow a person: principal, délégué and coordinateur.

One stream per person (``derive_rng(seed, "conseillers", key)``) so that the advisers who hold
the person's entretiens are the ones the « Suivi d'intensité » view names. IDGASI, the advisers'
identifier in France Travail's directory, is not public in any form: the sandbox writes it as
four capital letters and four digits, like the agent ids of the platform's published mocks.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from faker.providers.person.fr_FR import Provider as FrenchNames

from sandbox.population.models import Person
from sandbox.randomness import derive_rng

FACET = "conseillers"
_DELEGATE = 0.3
_COORDINATOR = 0.4


@dataclass(frozen=True, slots=True)
class Conseiller:
    """A France Travail adviser: IDGASI, names and the SAFIR code of their agency."""

    idgasi: str
    nom: str
    prenom: str
    code_safir: str

    @property
    def libelle(self) -> str:
        """« NOM PRENOM », as Conclusions entretiens prints an agent (published example)."""
        return f"{self.nom} {self.prenom.upper()}"


@dataclass(frozen=True, slots=True)
class Advisers:
    """The person's advisers; ``principal`` is None for someone France Travail does not follow."""

    principal: Conseiller | None
    delegue: Conseiller | None
    coordinateur: Conseiller | None


def _adviser(rng: random.Random, safir: str) -> Conseiller:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(4))
    return Conseiller(
        idgasi=f"{letters}{rng.randrange(10_000):04d}",
        nom=rng.choice(FrenchNames.last_names).upper(),
        prenom=rng.choice(FrenchNames.first_names),
        code_safir=safir,
    )


def advisers_of(seed: int, person: Person) -> Advisers:
    """Who follows ``person``: only people registered with France Travail have advisers."""
    if person.registration.registered_on is None:
        return Advisers(None, None, None)
    rng = derive_rng(seed, FACET, person.key)
    principal = _adviser(rng, person.safir_agency)
    delegue = _adviser(rng, person.safir_agency) if rng.random() < _DELEGATE else None
    coordinateur = _adviser(rng, person.safir_agency) if rng.random() < _COORDINATOR else None
    return Advisers(principal, delegue, coordinateur)
