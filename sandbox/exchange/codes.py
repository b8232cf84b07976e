"""The code lists the exchange files use, loaded once from the shipped data (``sandbox/data``).

``exchange-codes.yaml`` holds the small lists; ``nomenclatures.yaml`` the parcours; INSEE's COG
2026 (``cog-communes-2026.csv``, ``departements.csv``) the communes and départements;
``rome-fiches.csv`` the ROME 4.0 fiches. Sources in ``sandbox/data/SOURCES.md``.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

import yaml


def _text(name: str) -> str:
    return resources.files("sandbox").joinpath("data", name).read_text(encoding="utf-8")


@cache
def departements() -> dict[str, str]:
    """INSEE département code → name (COG 2026: 101 départements and the 8 COM)."""
    return {
        row["code"]: row["nom"] for row in csv.DictReader(_text("departements.csv").splitlines())
    }


@cache
def commune_codes() -> frozenset[str]:
    """Every current commune and municipal arrondissement code of the COG 2026."""
    rows = csv.DictReader(_text("cog-communes-2026.csv").splitlines())
    return frozenset(row["code"] for row in rows)


@cache
def code_lists() -> dict[str, dict[str, str]]:
    """Every code list by name, ``code → libellé``."""
    loaded: dict[str, Any] = yaml.safe_load(_text("exchange-codes.yaml"))
    lists = {name: {str(k): str(v) for k, v in items.items()} for name, items in loaded.items()}
    nomenclatures: dict[str, Any] = yaml.safe_load(_text("nomenclatures.yaml"))
    lists["orientations"] = {str(k): str(v) for k, v in nomenclatures["orientations"].items()}
    lists["noms_departements"] = {name: code for code, name in departements().items()}
    fiches = csv.DictReader(_text("rome-fiches.csv").splitlines())
    lists["rome"] = {row["code"]: row["libelle"] for row in fiches}
    return lists
