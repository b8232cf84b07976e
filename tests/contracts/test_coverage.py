"""Every field of the convention's data lists is served, at a path that exists in the contract."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from sandbox.apis.contracts import CONTROL_DOCUMENT, documents
from sandbox.apis.coverage import Serving, load_data_lists, missing, render_coverage, resolves
from sandbox.resources import contracts_dir

LISTS = load_data_lists(contracts_dir() / "convention-data-lists.yaml")


def _documents(app: FastAPI) -> list[dict[str, Any]]:
    return [app.openapi(), documents(app)[CONTROL_DOCUMENT]]


def test_every_convention_field_resolves_in_the_contracts(app: FastAPI) -> None:
    assert missing(_documents(app), LISTS) == []


def test_the_five_apis_and_the_suivi_de_parcours_lists_are_transcribed() -> None:
    assert [(api.api, api.section) for api in LISTS.apis] == [
        ("Recherche usager", "Annexe 2 §10.1"),
        ("Statut usager", "Annexe 2 §10.2"),
        ("Diagnostic individu", "Annexe 2 §10.3"),
        ("Métiers recherchés et projets d'évolution", "Annexe 2 §10.4"),
        ("Création, reprise ou franchise entreprise", "Annexe 2 §10.5"),
        ("Rendez-vous", "Annexe 3 §2"),
        ("Rendez-vous – Données d'entretien", "Annexe 3 §2"),
        ("Accès aux démarches", "Annexe 3 §2"),
        ("Suivi d'intensité d'accompagnement", "Annexe 3 §2"),
    ]


def test_every_field_of_the_annexe_3_lists_is_transcribed() -> None:
    # The convention's lists, line by line (Annexe 3 §2): 24, 8, 25 and 13 lines (the
    # rendez-vous list's headings « Conseiller », « Participants », « Informations » aside).
    counts = {api.api: len(api.fields) for api in LISTS.apis if api.section == "Annexe 3 §2"}
    assert counts == {
        "Rendez-vous": 24,
        "Rendez-vous – Données d'entretien": 8,
        "Accès aux démarches": 25,
        "Suivi d'intensité d'accompagnement": 13,
    }


def test_a_field_not_served_says_why_and_is_not_counted_as_served(app: FastAPI) -> None:
    text = render_coverage(_documents(app), LISTS)
    assert "| conseiller partenaire du CD avec son IDGASI | sortie | — | not served: " in text


def test_a_wrong_path_shows_as_missing(app: FastAPI) -> None:
    document = app.openapi()
    wrong = Serving(operation="recupererContratV2", location="response", path="m_contrat.m_inconnu")
    assert not resolves(document, wrong)
    assert not resolves(document, Serving(operation="inconnue", location="response", path="x"))
    assert resolves(
        document,
        Serving(operation="recupererContratV2", location="response", path="m_contrat.m_statut"),
    )


def test_coverage_renders_every_field_as_served(app: FastAPI) -> None:
    text = render_coverage(_documents(app), LISTS)
    assert "**missing**" not in text
    for api in LISTS.apis:
        for field in api.fields:
            assert f"| {field.name}" in text
