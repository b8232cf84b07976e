"""Code lists of the Suivi de parcours data: entretien types and modalités, démarches, agencies.

Entretien types and modalités de contact are the published enums of Conclusions entretiens v1
(explo-ftio ``schemas/conclusions-entretiens.json``, with their published libellés). The
démarches référentiel is shipped data (``data/demarches-referentiel.yaml``), which says which
codes are published and which are the sandbox's reconstruction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sandbox.population.models import Coded
from sandbox.population.referentials import nomenclatures

TYPES_ENTRETIEN: dict[str, str] = {
    "ESI": "ENTRETIEN DE SITUATION",
    "EDP": "ENTRETIEN PERSONNALISE",
    "CRL": "ENTRETIEN - LONGUE DUREE",
    "PE1": "ENTRETIEN TRIPARTITE PEC/CIE",
    "PE2": "ENTRETIEN DE SUIVI PEC/CIE",
    "PE3": "ENTRETIEN BILATERAL SORTIE PEC/CIE",
    "PBI": "PRE BILAN CRP",
    "ETP": "ENTRETIEN POINT D'ETAPE",
    "PSP": "PLAN DE SECURISATION PROFESSIONNEL",
    "CRP": "ENTRETIEN ACTUALISATION CRP",
    "BIL": "BILAN CRP",
    "SEF": "SUIVI EMPLOI/FORMATION",
    "CPS": "CONCLUSION PSYCHO DU TRAVAIL",
    "CRE": "CONTROLE RECHERCHE EMPLOI",
    "IND": "ENTRETIEN INDEMNISATION",
    "DCE": "DIAGNOSTIC CROISE CAP EMPLOI",
    "USA": "ENTRETIEN USAGER",
    "PAK": "ENTRETIEN PACK DE DEMARRAGE",
    "EPK": "ENTRETIEN PPAE PACK DIFFERE",
    "EDA": "1ER ENTRETIEN D'ACCOMPAGNEMENT",
    "EDO": "ENTRETIEN D'ORIENTATION",
}
"""Published ``typeEntretien`` codes and their libellés, in the published order."""

MODALITES_CONTACT: dict[str, str] = {
    "B": "BILAN EN LIGNE",
    "C": "ECHANGE COURRIEL",
    "F": "ENTRETIEN VISIOCONFERENCE INFO",
    "I": "ENTRETIEN INDIVIDUEL PHYSIQUE",
    "R": "ENTRETIEN COLLECTIF PHYSIQUE",
    "T": "ENTRETIEN INDIVIDUEL TELEPHONI",
    "V": "ENTRETIEN INDIVIDUEL VISIOGUIC",
    "W": "ENTRETIEN INDIVIDUEL VISIOCONF",
}
"""Published ``codeModaliteContact`` codes and their libellés (truncated as published)."""


@dataclass(frozen=True, slots=True)
class Quoi:
    """A type of démarche (quoi) with its ways of doing it (comment)."""

    coded: Coded
    comments: tuple[Coded, ...]
    published: bool


@dataclass(frozen=True, slots=True)
class Pourquoi:
    """An objective (pourquoi) with its types of démarche."""

    coded: Coded
    quois: tuple[Quoi, ...]
    published: bool


@cache
def referentiel_demarches() -> tuple[Pourquoi, ...]:
    """The shipped démarches référentiel, in file order."""
    text = (
        resources.files("sandbox")
        .joinpath("data", "demarches-referentiel.yaml")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = yaml.safe_load(text)
    return tuple(
        Pourquoi(
            coded=Coded(p["code"], p["libelle"]),
            published=bool(p.get("publie", False)),
            quois=tuple(
                Quoi(
                    coded=Coded(q["code"], q["libelle"]),
                    published=bool(q.get("publie", False)),
                    comments=tuple(Coded(c["code"], c["libelle"]) for c in q["comment"]),
                )
                for q in p["quoi"]
            ),
        )
        for p in loaded["pourquoi"]
    )


def agency_label(safir: str) -> str:
    """The label of a France Travail agency, as Conclusions entretiens prints it (upper case)."""
    known = nomenclatures()["agences_safir"].get(safir)
    return f"FRANCE TRAVAIL {known.upper()}" if known else f"FRANCE TRAVAIL AGENCE {safir}"
