"""The « Page d'accueil pour la recherche »: nom, prénom, identifiant (numéro France Travail), NIR.

**Bounded.** The population may hold millions of generated people, and a page must answer at
once: a NIR or an identifiant is an exact look-up (the population's keyed permutations, then the
client's ingested people); a name is searched only among the personas and the people the client
registered through Annexe 1 files (at most ``MAX_INGESTED_PEOPLE``), never by scanning generated
people. Access is national (convention Annexe 3 §1.2: « un accès national aux individus
allocataires du RSA »): people of every département are listed, RSA beneficiaries or not (the
file itself opens only for a beneficiary), at most ``MAX_RESULTS``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.filedrop import IngestedPeople
from sandbox.identifiers import normalise_nir
from sandbox.population import Population
from sandbox.population.models import Person

MAX_RESULTS = 50
"""People one search lists (README "Limits")."""


@dataclass(frozen=True, slots=True)
class Criteria:
    """What the professional typed (empty strings: not given)."""

    nom: str = ""
    prenom: str = ""
    identifiant: str = ""
    nir: str = ""

    def is_empty(self) -> bool:
        """Nothing to search for."""
        return not (self.nom or self.prenom or self.identifiant or self.nir)


class CriteriaError(ValueError):
    """A criterion that cannot be searched (its message is French, shown on the page)."""


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


def _nir_body(text: str) -> str:
    # Spaces are how a NIR is usually written down: the page accepts them.
    try:
        return normalise_nir("".join(text.split()).upper())
    except ValueError as exc:
        raise CriteriaError(str(exc)) from None


def search(
    population: Population,
    ingested: IngestedPeople,
    client_id: str,
    criteria: Criteria,
) -> list[Person]:
    """The people matching every given criterion, whatever their département (bounded)."""
    candidates: Iterable[Person]
    if criteria.nir:
        body = _nir_body(criteria.nir)
        candidates = [*population.find_by_nir(body), *ingested.find_by_nir(client_id, body)]
    elif criteria.identifiant:
        numero = criteria.identifiant.strip()
        if not (numero.isdigit() and len(numero) == 11):
            raise CriteriaError("L'identifiant France Travail compte 11 chiffres.")
        candidates = [
            *population.find_by_numero(numero),
            *ingested.find_by_numero(client_id, numero),
        ]
    elif criteria.nom:
        candidates = [*population.personas, *ingested.all(client_id)]
    elif criteria.prenom:
        raise CriteriaError("Indiquez le nom avec le prénom, ou un identifiant, ou un NIR.")
    else:
        return []
    found: list[Person] = []
    for person in candidates:
        if criteria.nom and _folded(person.last_name) != _folded(criteria.nom):
            continue
        if criteria.prenom and _folded(person.first_name) != _folded(criteria.prenom):
            continue
        if criteria.identifiant and person.numero_france_travail != criteria.identifiant.strip():
            continue
        found.append(person)
        if len(found) == MAX_RESULTS:
            break
    return found
