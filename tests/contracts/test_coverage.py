"""Every field of the convention's data lists is served, at a path that exists in the contract."""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.apis.coverage import Serving, load_data_lists, missing, render_coverage, resolves
from sandbox.resources import contracts_dir

LISTS = load_data_lists(contracts_dir() / "convention-data-lists.yaml")


def test_every_convention_field_resolves_in_the_contracts(app: FastAPI) -> None:
    assert missing(app.openapi(), LISTS) == []


def test_the_five_apis_are_transcribed() -> None:
    assert [api.api for api in LISTS.apis] == [
        "Recherche usager",
        "Statut usager",
        "Diagnostic individu",
        "Métiers recherchés et projets d'évolution",
        "Création, reprise ou franchise entreprise",
    ]


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
    text = render_coverage(app.openapi(), LISTS)
    assert "**missing**" not in text
    for api in LISTS.apis:
        for field in api.fields:
            assert f"| {field.name}" in text
