"""The shipped ROME 4.0 referential: whole, consistent, with the labels of France Travail's files.

Expected labels are those of the source (les-emplois' dumps of the referential, SOURCES.md) and
of the Diagnostic Usager v4 OpenAPI file's examples (13782 and 19070).
"""

from __future__ import annotations

import re

from sandbox.careers.referentiel import (
    COMMON_FICHES,
    appellations,
    appellations_by_libelle,
    rome_by_code,
    rome_fiches,
)
from sandbox.population.models import Coded


def test_the_whole_referential_is_shipped() -> None:
    assert len(rome_fiches()) == 1911
    assert len(appellations()) == 14313
    assert sum(len(fiche.appellations) for fiche in rome_fiches()) == 14313


def test_codes_have_the_rome_shapes_and_every_appellation_has_its_fiche() -> None:
    codes = [fiche.code for fiche in rome_fiches()]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-N]\d{4}", code) for code in codes)
    for appellation in appellations().values():
        assert re.fullmatch(r"\d{5,6}", appellation.code)
        fiche = rome_by_code()[appellation.code_rome]
        assert Coded(appellation.code, appellation.libelle) in fiche.appellations
    assert all(fiche.appellations for fiche in rome_fiches())


def test_the_published_examples_have_their_rome_4_labels() -> None:
    assert rome_by_code()["F1204"].libelle == (
        "Animateur / Animatrice QSE - Qualité Sécurité Environnement BTP"
    )
    assert rome_by_code()["H2409"].libelle == (
        "Coupeur / Coupeuse en industrie textile et matériaux souples"
    )
    coupeur = appellations()["13782"]
    assert (coupeur.libelle, coupeur.code_rome) == ("Coupeur / Coupeuse en bonneterie", "H2409")
    responsable = appellations()["19070"]
    assert (responsable.libelle, responsable.code_rome) == (
        "Responsable environnement et sécurité chantier",
        "F1204",
    )


def test_labels_are_verbatim_up_to_six_digit_codes_and_quotes() -> None:
    assert rome_by_code()["K2204"].libelle == "Agent / Agente de nettoyage industriel"
    last = appellations()["522403"]
    assert (last.libelle, last.code_rome) == (
        "Technicien / Technicienne bureau d'études écoconception",
        "H1239",
    )
    assert appellations()["520573"].libelle == (
        'Chargé / Chargée de mission "Villes et Territoires Durables"'
    )


def test_a_label_shared_by_two_appellations_lists_both_by_code() -> None:
    shared = appellations_by_libelle()["Technicien / Technicienne en gestion des écosystèmes"]
    assert [(a.code, a.code_rome) for a in shared] == [("517898", "A1318"), ("521695", "A1318")]
    assert sum(len(items) > 1 for items in appellations_by_libelle().values()) == 6


def test_the_common_fiches_are_fiches_of_the_referential() -> None:
    assert len(set(COMMON_FICHES)) == len(COMMON_FICHES) == 21
    assert set(COMMON_FICHES) <= set(rome_by_code())
