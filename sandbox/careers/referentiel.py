"""Shipped reference data of the profil de compétences: ROME 4.0 fiches and the API's code lists."""

from __future__ import annotations

import csv
import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sandbox.careers.models import ContractType
from sandbox.population.models import Coded


@dataclass(frozen=True, slots=True)
class RomeFiche:
    """A ROME 4.0 fiche (code and label) with its appellations, sorted by code."""

    code: str
    libelle: str
    appellations: tuple[Coded, ...]

    @property
    def coded(self) -> Coded:
        """The fiche as a code and its libellé."""
        return Coded(self.code, self.libelle)


@dataclass(frozen=True, slots=True)
class Appellation:
    """A ROME 4.0 appellation and the fiche it belongs to."""

    code: str
    libelle: str
    code_rome: str


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


# Fiches frequent among RSA beneficiaries (shared/reference/reference-data.md §5.4 and
# neighbouring fiches): generated people mostly look for these jobs.
COMMON_FICHES = (
    "A1203", "A1402", "A1444", "G1602", "G1603", "J1301", "J1501", "K1302", "K1304", "K2204",
    "K2205", "K2303", "K2304", "K2503", "M1225", "M1601", "M1607", "N1102", "N1105", "N1110",
    "N1115",
)  # fmt: skip
# Share of generated métiers drawn from the whole referential, so clients meet its long tail
# (long labels, commas, quotes, 6-digit codes) and not only the common fiches.
ANY_FICHE = 0.2


@contextmanager
def _bulk_load() -> Iterator[None]:
    # Reading the referential builds ~60 000 objects; the collections they would trigger rescan
    # every object already built (measured: the three loads take ~50 ms instead of ~160 ms).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def appellations() -> dict[str, Appellation]:
    """The 14 313 appellations of ``rome-appellations.csv`` by code (read on first use)."""
    rows = csv.reader(_data_text("rome-appellations.csv").splitlines())
    if next(rows) != ["code", "libelle", "code_rome"]:
        raise ValueError("rome-appellations.csv: unexpected columns")
    # Plain rows, not DictReader: this is the sandbox's largest file, read on a first request.
    with _bulk_load():
        return {code: Appellation(code, libelle, rome) for code, libelle, rome in rows}


@cache
def rome_fiches() -> tuple[RomeFiche, ...]:
    """The 1 911 fiches of ``rome-fiches.csv`` with their appellations, sorted by code."""
    grouped: dict[str, list[Coded]] = {}
    with _bulk_load():
        for appellation in appellations().values():
            grouped.setdefault(appellation.code_rome, []).append(
                Coded(appellation.code, appellation.libelle)
            )
        return tuple(
            RomeFiche(row["code"], row["libelle"], tuple(grouped[row["code"]]))
            for row in csv.DictReader(_data_text("rome-fiches.csv").splitlines())
        )


@cache
def rome_by_code() -> dict[str, RomeFiche]:
    """The fiches indexed by ROME code."""
    return {fiche.code: fiche for fiche in rome_fiches()}


@cache
def appellations_by_libelle() -> dict[str, tuple[Appellation, ...]]:
    """The appellations of each label, by code: six labels have two appellations."""
    grouped: dict[str, list[Appellation]] = {}
    with _bulk_load():
        for appellation in appellations().values():
            grouped.setdefault(appellation.libelle, []).append(appellation)
        return {libelle: tuple(items) for libelle, items in grouped.items()}


@cache
def common_fiches() -> tuple[RomeFiche, ...]:
    """The fiches of ``COMMON_FICHES``."""
    return tuple(rome_by_code()[code] for code in COMMON_FICHES)


def draw_fiche(rng: random.Random) -> RomeFiche:
    """A fiche for a generated person: mostly a common one, sometimes any of the referential."""
    return rng.choice(rome_fiches() if rng.random() < ANY_FICHE else common_fiches())


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
