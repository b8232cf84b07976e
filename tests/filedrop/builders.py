"""Annexe 1 files listing people the synthetic population does not know."""

from __future__ import annotations

import datetime as dt

from sandbox.exchange.samples import Sample, sample
from sandbox.identifiers import full_nir
from sandbox.population import Population


def new_nir(population: Population, sex: str, birth: dt.date, order: int) -> str:
    """A valid 15-character NIR born in Arras (62041) that the population does not know."""
    for rank in range(order, order + 1000):
        body = f"{sex}{birth:%y}{birth:%m}62041{rank % 1000:03d}"
        if not population.find_by_nir(body):
            return full_nir(body)
    raise AssertionError("no free NIR")


def annexe1(population: Population, people: list[dict[str, str]]) -> Sample:
    """A valid Annexe 1 file whose rows are a sample's, with the given cells changed.

    Each entry gives at least ``NIR``, ``NOM``, ``PRENOM``, ``DATE_NAISSANCE`` (jj/mm/aaaa) and
    ``SEXE``; ``ORIENTATION`` (``FT`` or ``CD``) and ``TYPE_PARCOURS`` follow it if given.
    """
    base = sample("annexe1-inscription", len(people), seed=population.seed)
    for row, cells in zip(base.rows, people, strict=True):
        for column, value in cells.items():
            row[base.column(column)] = value
        row[base.column("CIVILITE")] = "MR" if cells["SEXE"] == "1" else "MME"
        row[base.column("CODE_POSTAL")] = "62000"
        row[base.column("VILLE")] = "Arras"
    return base


def person(
    population: Population,
    nom: str,
    prenom: str,
    birth: dt.date,
    sex: str = "2",
    orientation: str = "FT",
    order: int = 1,
) -> dict[str, str]:
    """The cells of one new person."""
    return {
        "NIR": new_nir(population, sex, birth, order),
        "NOM": nom,
        "PRENOM": prenom,
        "DATE_NAISSANCE": birth.strftime("%d/%m/%Y"),
        "SEXE": sex,
        "ORIENTATION": orientation,
        "TYPE_PARCOURS": "pro" if orientation == "FT" else "social",
    }
