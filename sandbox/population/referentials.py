"""Reference data shipped with the package: communes, countries, France Travail code lists."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune of the Code officiel géographique (COG 2026)."""

    code: str
    nom: str
    code_postal: str
    departement: str
    population: int


@dataclass(frozen=True, slots=True)
class Country:
    """A foreign country with its INSEE code (``99xxx``)."""

    code: str
    libelle: str


def _data_text(name: str) -> str:
    return resources.files("sandbox").joinpath("data", name).read_text(encoding="utf-8")


@cache
def communes() -> tuple[Commune, ...]:
    """All shipped communes, sorted by INSEE code."""
    rows = csv.DictReader(_data_text("communes.csv").splitlines())
    return tuple(
        Commune(
            code=row["code"],
            nom=row["nom"],
            code_postal=row["code_postal"],
            departement=row["departement"],
            population=int(row["population"]),
        )
        for row in rows
    )


@cache
def communes_by_code() -> dict[str, Commune]:
    """Communes indexed by INSEE code."""
    return {commune.code: commune for commune in communes()}


@cache
def countries() -> tuple[Country, ...]:
    """Foreign countries with their INSEE code."""
    rows = csv.DictReader(_data_text("pays.csv").splitlines())
    return tuple(Country(code=row["code"], libelle=row["libelle"]) for row in rows)


@cache
def nomenclatures() -> dict[str, dict[str, str]]:
    """France Travail code lists (``code → libellé``) keyed by list name."""
    loaded: dict[str, Any] = yaml.safe_load(_data_text("nomenclatures.yaml"))
    return {name: {str(k): str(v) for k, v in items.items()} for name, items in loaded.items()}


def label(list_name: str, code: str) -> str:
    """Return the libellé of ``code`` in one code list."""
    return nomenclatures()[list_name][code]
