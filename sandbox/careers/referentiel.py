"""Shipped reference data of the profil de compétences: ROME 4.0 fiches and the API's code lists."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sandbox.careers.models import ContractType
from sandbox.population.models import Coded


@dataclass(frozen=True, slots=True)
class RomeFiche:
    """A ROME 4.0 fiche (code and label) with the appellations the sandbox uses."""

    code: str
    libelle: str
    appellations: tuple[Coded, ...]

    @property
    def coded(self) -> Coded:
        """The fiche as a code and its libellé."""
        return Coded(self.code, self.libelle)


@dataclass(frozen=True, slots=True)
class CareersNomenclatures:
    """The API's code lists (``code → libellé`` unless said otherwise)."""

    contract_types: dict[str, ContractType]
    working_times: dict[str, str]
    experience_units: dict[str, str]
    mobility_units: dict[str, str]
    place_types: dict[str, str]
    salary_scales: tuple[str, ...]
    typologies: dict[str, str]

    def coded(self, table: dict[str, str], code: str) -> Coded:
        """``code`` of one of the tables above with its libellé."""
        return Coded(code, table[code])


def _data_text(name: str) -> str:
    return resources.files("sandbox").joinpath("data", name).read_text(encoding="utf-8")


@cache
def rome_fiches() -> tuple[RomeFiche, ...]:
    """The curated ROME 4.0 fiches of ``rome.csv``, sorted by code."""
    grouped: dict[str, tuple[str, list[Coded]]] = {}
    for row in csv.DictReader(_data_text("rome.csv").splitlines()):
        _, appellations = grouped.setdefault(row["code_rome"], (row["libelle_rome"], []))
        appellations.append(Coded(row["code_appellation"], row["libelle_appellation"]))
    return tuple(
        RomeFiche(code, libelle, tuple(appellations))
        for code, (libelle, appellations) in sorted(grouped.items())
    )


@cache
def rome_by_code() -> dict[str, RomeFiche]:
    """The curated fiches indexed by ROME code."""
    return {fiche.code: fiche for fiche in rome_fiches()}


def _strings(items: dict[Any, Any]) -> dict[str, str]:
    return {str(code): str(libelle) for code, libelle in items.items()}


@cache
def nomenclatures() -> CareersNomenclatures:
    """The code lists of ``careers-nomenclatures.yaml``."""
    loaded: dict[str, Any] = yaml.safe_load(_data_text("careers-nomenclatures.yaml"))
    return CareersNomenclatures(
        contract_types={
            str(code): ContractType(str(code), str(item["libelle"]), str(item["libelleLong"]))
            for code, item in loaded["types_contrat"].items()
        },
        working_times=_strings(loaded["temps_travail"]),
        experience_units=_strings(loaded["unites_duree_experience"]),
        mobility_units=_strings(loaded["unites_mobilite"]),
        place_types=_strings(loaded["types_lieu"]),
        salary_scales=tuple(str(scale) for scale in loaded["salaire_libelles"]),
        typologies=_strings(loaded["typologies_emploi"]),
    )
