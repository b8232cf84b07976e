"""Rechercher usager v2 and v1: inputs, codes, agent headers, and malformed requests."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx2
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.runtime import Runtime

V2_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
V2_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"
V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
R997 = {
    "codeRetour": "R997",
    "message": "Une erreur de validation s'est produite",
    "topIdentiteCertifiee": None,
    "jetonUsager": None,
}


def test_a_generated_person_is_found_with_13_or_15_characters(
    runtime: Runtime, search_v2: Callable[..., httpx2.Response]
) -> None:
    person = next(
        p
        for p in (runtime.population.generated(i) for i in range(200))
        if p.address
        and p.address.departement == "62"
        and p.rsa.beneficiary
        and p.registration.status.value == "Inscrit"
    )
    for nir in (person.nir, person.nir_body):
        body = search_v2(nir, person.birth_date.isoformat()).json()
        assert body["codeRetour"] == "S001"
        assert body["numeroFranceTravail"] == person.numero_france_travail


def test_a_wrong_birth_date_means_nobody(search_v2: Callable[..., httpx2.Response]) -> None:
    response = search_v2("290036204190175", "1990-03-15")
    assert response.status_code == 200
    assert response.json() == {
        "codeRetour": "S002",
        "message": "Aucun usager trouvé",
        "topIdentiteCertifiee": None,
        "jetonUsager": None,
        "numeroFranceTravail": None,
    }


def test_search_by_numero(client: TestClient, agent_headers: dict[str, str]) -> None:
    found = client.post(
        V2_NUMERO, json={"numeroFranceTravail": "90000000101"}, headers=agent_headers
    )
    assert found.json()["codeRetour"] == "S001"
    unknown = client.post(
        V2_NUMERO, json={"numeroFranceTravail": "90000009999"}, headers=agent_headers
    )
    assert unknown.json()["codeRetour"] == "S002"
    malformed = client.post(V2_NUMERO, json={"numeroFranceTravail": "1234"}, headers=agent_headers)
    assert (malformed.status_code, malformed.json()) == (400, R997)


@pytest.mark.parametrize(
    "body",
    [
        {"dateNaissance": "1990-03-14", "nir": "290036204190176"},  # wrong key
        {"dateNaissance": "1990-03-14", "nir": "29003620419"},  # too short
        {"dateNaissance": "1990-03-14", "nir": "2900362041X01"},
        {"dateNaissance": "14/03/1990", "nir": "290036204190175"},
        {"dateNaissance": "1990-02-30", "nir": "290036204190175"},
        {"dateNaissance": 637372800, "nir": "290036204190175"},
        {"dateNaissance": "1990-03-14"},
        {"nir": "290036204190175"},
        {"dateNaissance": "1990-03-14", "nir": 290036204190175},
        {},
        [],
        "nir",
        None,
    ],
)
def test_malformed_input_gets_r997_never_422(
    client: TestClient, agent_headers: dict[str, str], body: object
) -> None:
    response = client.post(
        V2_NIR,
        content=json.dumps(body),
        headers={**agent_headers, "Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()) == (400, R997)
    assert response.headers["x-sandbox-hint"]


def test_a_body_that_is_not_json_gets_r997(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    response = client.post(
        V2_NIR, content=b"{nir: ", headers={**agent_headers, "Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()) == (400, R997)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["nir", "dateNaissance", "x"]) | st.text(max_size=5),
                children,
                max_size=3,
            )
        ),
        max_leaves=6,
    )
)
def test_any_json_body_gets_a_documented_answer(
    client: TestClient, agent_headers: dict[str, str], body: object
) -> None:
    response = client.post(V2_NIR, json=body, headers=agent_headers)
    assert response.status_code in (200, 400, 403, 500)
    assert set(response.json()) >= {"codeRetour", "message", "topIdentiteCertifiee", "jetonUsager"}


def test_v1_returns_the_convention_fields_and_a_stable_identifiant(
    client: TestClient, partenaire_headers: dict[str, str]
) -> None:
    body = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
    first = client.post(V1, json=body, headers=partenaire_headers).json()
    second = client.post(V1, json=body, headers=partenaire_headers).json()
    assert set(first) == {"codeRetour", "identifiant", "message", "topIdentiteCertifiee"}
    assert first["message"] == "Approchant trouvé"
    assert first["identifiant"] == second["identifiant"]
    malformed = client.post(V1, json={"nir": "1"}, headers=partenaire_headers)
    assert malformed.status_code == 400
    assert malformed.json() == {
        "codeRetour": "R997",
        "identifiant": None,
        "message": "Une erreur de validation s'est produite",
        "topIdentiteCertifiee": None,
    }


@pytest.mark.parametrize(
    ("drop", "blank", "status"),
    [
        ("pa-nom-agent", None, 302),
        ("pa-identifiant-agent", None, 302),
        (None, "pa-prenom-agent", 401),
    ],
)
def test_agent_headers_behave_like_the_gateway(
    client: TestClient,
    agent_headers: dict[str, str],
    drop: str | None,
    blank: str | None,
    status: int,
) -> None:
    headers = {k: v for k, v in agent_headers.items() if k != drop}
    if blank:
        headers[blank] = ""
    response = client.post(
        V2_NIR,
        json={"dateNaissance": "1990-03-14", "nir": "290036204190175"},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == status
    named = drop or blank
    assert named is not None and named in response.headers["x-sandbox-hint"]
    if status == 302:
        assert response.headers["location"].startswith("/connexion/oauth2/agent/authorize")


def test_v1_routes_need_no_agent_headers(
    client: TestClient, partenaire_headers: dict[str, str]
) -> None:
    response = client.post(
        V1,
        json={"dateNaissance": "1990-03-14", "nir": "290036204190175"},
        headers=partenaire_headers,
    )
    assert response.status_code == 200


def test_unknown_routes_answer_a_documented_404(client: TestClient) -> None:
    response = client.get("/partenaire/inconnue/v1/290036204190175")
    assert response.status_code == 404
    assert response.json()["codeErreur"] == "ERR_RESSOURCE_INCONNUE"
    assert "290036204190175" not in response.headers["x-sandbox-hint"]
