"""The exported Table Schemas are valid for frictionless, and describe the convention's columns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from frictionless import Resource, Schema
from frictionless.formats import CsvControl

from sandbox.exchange.samples import sample
from sandbox.exchange.schema import render

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "contracts" / "files"
VALID = sorted((ROOT / "fixtures" / "files" / "valid").glob("*.csv"))

# Annexe 4 of the convention, in its order.
PILOT_COLUMNS = [
    "ID_CAF",
    "ROLE_CAF",
    "COMMUNE",
    "DATE_NAISSANCE",
    "DATE_NOTIFICATION_DEPARTEMENT",
    "DATE_INVITATION",
    "DATE_RDV_ORIENTATION",
    "DATE_ORIENTATION",
    "DATE_1ER_RDV_ACCOMPAGNEMENT",
    "STRUCTURE_REFERENTE",
    "C_TYPEPARCOURS",
    "DATE_CER",
    "TYPE_CONTRAT",
    "DEPARTEMENT",
    "DEPARTEMENT_CODE_CAF",
    "STOCK",
]
INDICATORS = [
    "Nom",
    "Prénom",
    "Date De Naissance",
    "Tranche Age Actuel",
    "Obligation Emploi Actuel",
    "Inscription Actuelle",
    "Rome Actuel",
    "Diagnostic Realise (oui/non)",
    "Commune Entree",
    "Commune Actuelle",
    "Libelle Commune Actuelle",
    "Territoire Entree",
    "Territoire Actuel",
    "Departement Actuel",
    "Agence Dans Xp",
    "Agence",
    "Direction territoriale Actuelle",
    "Date Entree Parcours",
    "Date Sortie",
    "Motif Sortie",
    "Libelle Parcours Entree",
    "Libelle Parcours Actuel",
    "Modalité de suivi et d'accompagnement (Msa) Actuelle",
    "Libelle Pni (si suivi délégué à un partenaire non informatisé)",
    "Libelle Type de Suivi délégué",
    "Top Demandeur d'emploi de Longue Duree",
]


def _schema(kind: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text("utf-8"))
    return loaded


def test_the_annexe4_schemas_carry_the_convention_names_in_order() -> None:
    pilot = _schema("annexe4-pilotage")["fields"]
    indicators = _schema("annexe4-indicateurs")["fields"]
    assert [f["name"] for f in pilot] == PILOT_COLUMNS  # type: ignore[attr-defined]
    assert [f["name"] for f in indicators] == INDICATORS  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_frictionless_finds_no_error_in_a_valid_sample(path: Path) -> None:
    kind = "-".join(path.stem.split("-")[:2])
    encoding = (
        "windows-1252" if "1252" in path.name else ("utf-8-sig" if "bom" in path.name else "utf-8")
    )
    delimiter = "," if "virgule" in path.name else ";"
    previous = os.getcwd()
    os.chdir(path.parent)  # frictionless only opens relative paths by default
    try:
        resource = Resource(
            path=path.name,
            schema=Schema.from_descriptor(_schema(kind)),
            control=CsvControl(delimiter=delimiter),
            encoding=encoding,
        )
        report = resource.validate()
    finally:
        os.chdir(previous)
    errors = [(e.type, e.note) for task in report.tasks for e in task.errors]
    assert report.valid, errors


def test_frictionless_catches_what_the_schema_says(tmp_path: Path) -> None:
    broken = sample("annexe4-pilotage", 3)
    broken.rows[1][3] = broken.rows[1][3][:8] + "15"  # not the 1st of the month
    broken.rows[2][1] = "ENF"  # not a role of the list
    (tmp_path / "f.csv").write_bytes(broken.to_csv())
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        resource = Resource(
            path="f.csv",
            schema=Schema.from_descriptor(_schema("annexe4-pilotage")),
            control=CsvControl(delimiter=";"),
        )
        report = resource.validate()
    finally:
        os.chdir(previous)
    cells = {
        (getattr(e, "row_number", None), getattr(e, "field_name", None))
        for t in report.tasks
        for e in t.errors
    }
    assert cells == {(3, "DATE_NAISSANCE"), (4, "ROLE_CAF")}


def test_the_committed_schemas_are_the_generated_ones() -> None:
    for path in SCHEMAS.glob("*.schema.json"):
        assert path.read_text("utf-8") == render(path.name.removesuffix(".schema.json"))
