"""The Annexe 4 indicators file the sandbox returns for an accepted Annexe 4 pilot file.

A pilot row carries no NIR and no name (data minimisation): only ``ID_CAF``, ``ROLE_CAF``, the
commune and the birth month. Which person a row stands for is decided here (documented in
``contracts/files/README.md``):

1. an Annexe 1 person the client ingested, living in the row's commune and born in the row's
   month (each used once, in the order they were registered);
2. otherwise a generated person drawn from (seed, ID_CAF, ROLE_CAF), moved to the row's commune
   and birth month (the day of birth kept when the month has it): the platform's matricule CAF is
   not modelled, so the mapping is deterministic rather than looked up.

The row is then written by the sample generator's indicators builder (the same one as
``ft-conformance files sample``), with what the pilot row says: communes, département, entry
into the parcours (``DATE_ORIENTATION``) and its libellé (``C_TYPEPARCOURS``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from sandbox.exchange.codes import code_lists, departements
from sandbox.exchange.models import ROW_MODELS
from sandbox.exchange.samples import ROW_BUILDERS, Sample
from sandbox.population import Person, Population
from sandbox.population.models import Address, RsaFollowUp
from sandbox.population.referentials import communes_by_code
from sandbox.randomness import derive_seed

KIND = "annexe4-indicateurs"


def _header() -> list[str]:
    return [field.alias or "" for field in ROW_MODELS[KIND].model_fields.values()]


def _generated(
    population: Population, seed: int, row: dict[str, str], taken: set[str]
) -> Person | None:
    """A generated person for a pilot row, never one already used in this file."""
    if population.size == 0:
        return None
    start = derive_seed(seed, "depot-indicateurs", f"{row['ID_CAF']}:{row['ROLE_CAF']}")
    for step in range(min(population.size, 1000)):
        person = population.generated((start + step) % population.size)
        if person.key not in taken:
            return person
    return None


def _moved(person: Person, row: dict[str, str]) -> Person:
    """The person placed in the row's commune and birth month."""
    month = dt.date.fromisoformat(row["DATE_NAISSANCE"])
    last_day = calendar.monthrange(month.year, month.month)[1]
    birth = month.replace(day=min(person.birth_date.day, last_day))
    commune = communes_by_code().get(row["COMMUNE"])
    address = Address(
        ligne=person.address.ligne if person.address else "1 rue de la Mairie",
        code_postal=commune.code_postal if commune else "",
        commune_code=row["COMMUNE"],
        commune_nom=commune.nom if commune else row["COMMUNE"],
        departement=commune.departement if commune else row["DEPARTEMENT"],
    )
    rsa = RsaFollowUp(beneficiary=True, orientation=None, referent_structure=None)
    return replace(person, birth_date=birth, address=address, rsa=rsa)


def _ingested_match(row: dict[str, str], ingested: list[Person], taken: set[str]) -> Person | None:
    month = row["DATE_NAISSANCE"][:7]
    for person in ingested:
        if (
            person.key not in taken
            and person.address is not None
            and person.address.commune_code == row["COMMUNE"]
            and person.birth_date.isoformat()[:7] == month
        ):
            return person
    return None


def indicators_for(
    rows: list[dict[str, str]], ingested: list[Person], population: Population
) -> Sample:
    """The indicators file answering the rows of an accepted pilot file, one row per pilot row."""
    seed = population.seed
    parcours = code_lists()["orientations"]
    table: list[list[str]] = []
    header = _header()
    taken: set[str] = set()
    for i, row in enumerate(rows):
        person = _ingested_match(row, ingested, taken)
        if person is None:
            generated = _generated(population, seed, row, taken)
            if generated is None:
                continue
            person = _moved(generated, row)
        taken.add(person.key)
        cells = dict(zip(header, ROW_BUILDERS[KIND](person, i, seed), strict=True))
        commune = communes_by_code().get(row["COMMUNE"])
        libelle = parcours.get(row.get("C_TYPEPARCOURS") or "", "")
        name = departements().get(row["DEPARTEMENT"], "")
        cells.update(
            {
                "Commune Entree": row["COMMUNE"],
                "Commune Actuelle": row["COMMUNE"],
                "Libelle Commune Actuelle": commune.nom if commune else "",
                "Territoire Entree": name,
                "Territoire Actuel": name,
                "Departement Actuel": row["DEPARTEMENT"],
                "Agence Dans Xp": "O" if row["DEPARTEMENT"] == "62" else "N",
                "Direction territoriale Actuelle": f"DT {name}".strip(),
                "Date Entree Parcours": row.get("DATE_ORIENTATION") or "",
                "Date Sortie": "",
                "Motif Sortie": "",
                "Libelle Parcours Entree": libelle,
                "Libelle Parcours Actuel": libelle,
            }
        )
        table.append([cells[column] for column in header])
    return Sample(kind=KIND, header=header, rows=table)
