"""Rows describing people for testers and scripts (``ft-sandbox population sample``).

This is test data by design: it prints full synthetic NIRs so that a tester can call the API
with them. These people are synthetic; the output never leaves the tester's machine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sandbox.population import Population
from sandbox.population.personas import load_personas
from sandbox.population.search import decide
from sandbox.resources import fixtures_dir
from sandbox.settings import Settings


def sample_rows(
    settings: Settings, count: int, departement: str, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Describe ``count`` people (personas first) with the code a caller of ``departement`` gets."""
    personas, _ = load_personas(fixtures_dir(settings.fixtures_dir) / "personas")
    population = Population(
        settings.seed, settings.population_size, settings.population_epoch, personas
    )
    today = today or dt.date.today()
    rows = []
    for person in population.sample(count):
        homonyms = [
            p for p in population.find_by_nir(person.nir_body) if p.birth_date == person.birth_date
        ]
        outcome = decide(homonyms, departement, today)
        rows.append(
            {
                "nir": person.nir,
                "dateNaissance": person.birth_date.isoformat(),
                "numeroFranceTravail": person.numero_france_travail,
                "codeRetour": outcome.code.value,
                "nom": person.last_name,
                "prenom": person.first_name,
                "statut": person.registration.status.value,
                "topIdentiteCertifiee": "O" if person.identity_certified else "N",
                "persona": person.persona,
            }
        )
    return rows
