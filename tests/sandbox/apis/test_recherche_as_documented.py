"""Recherche usager as the platform's documents and the README state it, value for value.

Every expected status, code and message below is a literal copied from the reference
(francetravail-partner-apis.md §2.1, the v2 OpenAPI examples), the convention (Annexe 2 §1) or the
README ("Behaviour worth knowing"); none is read from the sandbox's own tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, request_token

V2_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
V2_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"
V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
V2_SCOPES = ("api_rechercher-usagerv2", "rechercheusager", "profil_accedant")

# fixtures/README.md: persona → (NIR, date de naissance).
PERSONAS = {
    "s001-certifiee": ("290036204190175", "1990-03-14"),
    "s002-radie-plus-de-3-ans": ("175056216090336", "1975-05-09"),
    "s003-homonyme-a": ("278116249890476", "1978-11-20"),
    "r001-hors-perimetre": ("192016211990576", "1992-01-25"),
    "r002-autre-departement": ("288095935090696", "1988-09-03"),
    "r998-sans-adresse": ("183126242790784", "1983-12-12"),
    "statut-radie-recent": ("286106221591004", "1986-10-07"),
}


def _v2(client: TestClient, persona: str, scopes: tuple[str, ...] = V2_SCOPES) -> Any:
    nir, born = PERSONAS[persona]
    token = request_token(client, scope=" ".join(scopes))
    return client.post(
        V2_NIR,
        json={"dateNaissance": born, "nir": nir},
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS},
    )


def _v1(client: TestClient, persona: str) -> Any:
    nir, born = PERSONAS[persona]
    token = request_token(client, "/partenaire", "api_rechercher-usagerv1")
    return client.post(
        V1, json={"dateNaissance": born, "nir": nir}, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize(
    ("persona", "status", "code", "message"),
    [
        ("s001-certifiee", 200, "S001", "Usager trouvé"),
        ("s002-radie-plus-de-3-ans", 200, "S002", "Aucun usager trouvé"),
        ("s003-homonyme-a", 200, "S003", "Plusieurs usagers trouvés"),
        ("r001-hors-perimetre", 403, "R001", "Accès non autorisé"),
        (
            "r002-autre-departement",
            403,
            "R002",
            "L'usager n'est pas rattaché à la structure de l'accédant",
        ),
        ("r998-sans-adresse", 500, "R998", "Un service a répondu en erreur"),
    ],
)
def test_each_return_code_answers_the_documented_http_status(
    client: TestClient, persona: str, status: int, code: str, message: str
) -> None:
    """Reference §2.1 (v2 OpenAPI examples): S00x 200, R001/R002 403, R998 500."""
    response = _v2(client, persona)
    assert (response.status_code, response.json()["codeRetour"]) == (status, code)
    assert response.json()["message"] == message
    if code != "S001":
        assert response.json()["jetonUsager"] is None


def test_r001_is_a_403_with_the_documented_body(client: TestClient) -> None:
    """rdv-insertion reads '403 + R001' as 'outside the partner's scope, do not retry'."""
    response = _v2(client, "r001-hors-perimetre")
    assert response.status_code == 403
    assert response.json() == {
        "codeRetour": "R001",
        "message": "Accès non autorisé",
        "topIdentiteCertifiee": None,
        "jetonUsager": None,
    }
    generation_1 = _v1(client, "r001-hors-perimetre")
    assert (generation_1.status_code, generation_1.json()["codeRetour"]) == (403, "R001")
    assert generation_1.json()["identifiant"] is None


def test_rechercher_usager_v2_needs_profil_accedant(client: TestClient) -> None:
    """Reference §7.1: v2 needs api_rechercher-usagerv2, rechercheusager AND profil_accedant."""
    refused = _v2(client, "s001-certifiee", ("api_rechercher-usagerv2", "rechercheusager"))
    assert (refused.status_code, refused.content) == (403, b"")
    assert "profil_accedant" in refused.headers["x-sandbox-hint"]
    token = request_token(client, scope="api_rechercher-usagerv2 rechercheusager")
    by_numero = client.post(
        V2_NUMERO,
        json={"numeroFranceTravail": "90000000101"},
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS},
    )
    assert by_numero.status_code == 403
    assert _v2(client, "s001-certifiee").status_code == 200


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (dt.date(2025, 3, 31), "S001"),  # the day of striking off
        (dt.date(2027, 3, 31), "S001"),  # two years on
        (dt.date(2028, 3, 30), "S001"),  # 3 years minus one day: "radié depuis moins de 3 ans"
        (dt.date(2028, 3, 31), "S002"),  # the anniversary itself
        (dt.date(2028, 4, 1), "S002"),  # 3 years plus one day
        (dt.date(2029, 3, 30), "S002"),  # 4 years minus one day
    ],
)
@pytest.mark.parametrize("generation", ["v2", "v1"])
def test_struck_off_people_are_forgotten_on_the_third_anniversary(
    client: TestClient, clock: FrozenClock, today: dt.date, code: str, generation: str
) -> None:
    """The convention knows people "inscrit ou radié depuis moins de 3 ans" (Annexe 2 §1).

    `statut-radie-recent` was struck off on 2025-03-31 (fixtures/README.md). Reading chosen for
    the anniversary day, as fixtures/README.md states it: on 2028-03-31 the person has been
    struck off for exactly 3 years, no longer "less than 3 years", so Recherche usager answers
    S002 "from 2028-03-31 on"; the day before, S001. The README's "struck off more than 3 years
    ago are unknown" is the same rule seen from the other side.
    """
    clock.set(dt.datetime.combine(today, dt.time(12, 0), dt.UTC))
    response = (
        _v2(client, "statut-radie-recent")
        if generation == "v2"
        else _v1(client, "statut-radie-recent")
    )
    assert (response.status_code, response.json()["codeRetour"]) == (200, code)


def test_someone_struck_off_in_2021_is_unknown_in_2026(client: TestClient) -> None:
    """`s002-radie-plus-de-3-ans`, struck off on 2021-06-30, is S002 on the suite's 2026-11-28."""
    response = _v2(client, "s002-radie-plus-de-3-ans")
    assert (response.status_code, response.json()["codeRetour"]) == (200, "S002")
