"""Rendez-vous partenaire v1: an appointment tool's flow, end to end, as published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.rendezvous import MAX_PER_PERSON
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, request_token

V1 = "/partenaire/rendez-vous-partenaire/v1"
RDV_CLIENT = ("PAR_ftsandbox_cd62_rdv", "ftsandbox-secret-cd62-rdv")
# The scope string an appointment tool sends in one token request (issue 10, done when).
RDV_SCOPE = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_rendez-vous-partenairev1 gererRDV"
)
PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
RDV: dict[str, Any] = {
    "id": None,
    "date": "2026-12-16T08:30:00.000Z",
    "duree": 30,
    "modaliteContact": "PHYSIQUE",
    "motif": "ORI",
    "theme": "RSA Orientation : Convocation sur site",
    "organisme": {"code": "CD", "idStructure": "62000", "libelleStructure": "CD du Pas-de-Calais"},
    "statut": "PRIS",
    "typeReception": "IND",
    "initiateur": "PARTENAIRE",
    "interlocuteur": {"civilite": "Mme", "nom": "DUPONT", "prenom": "Alexandra"},
    "libelleAdresse": "Maison du Département Solidarité",
    "adresse": "14 rue Foch 62000 Arras",
    "information": "Veuillez apporter un CV à jour.",
}


def headers_of(client: TestClient, credentials: tuple[str, str] = RDV_CLIENT) -> dict[str, str]:
    """A token of the appointment tool's scopes, the agent headers and a jeton of the persona."""
    scope = RDV_SCOPE if credentials == RDV_CLIENT else RDV_SCOPE + " api_contrat-usagerv2"
    token = request_token(client, scope=scope, credentials=credentials)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=PERSONA,
        headers=headers,
    ).json()
    assert found["codeRetour"] == "S001"
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


@pytest.fixture
def rdv_headers(client: TestClient) -> dict[str, str]:
    return headers_of(client)


def create(client: TestClient, headers: dict[str, str], **changes: Any) -> str:
    response = client.post(f"{V1}/rendez-vous", json={**RDV, **changes}, headers=headers)
    assert response.status_code == 202, response.text
    assert list(response.json()) == ["id"]
    rdv_id: str = response.json()["id"]
    return rdv_id


def listing(client: TestClient, headers: dict[str, str], **query: str) -> list[dict[str, Any]]:
    response = client.get(f"{V1}/rendez-vous-usager", params=query, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    return items


def test_an_appointment_tool_creates_updates_cancels_and_reads_back(
    client: TestClient, clock: FrozenClock, rdv_headers: dict[str, str]
) -> None:
    rdv_id = create(client, rdv_headers)
    assert len(rdv_id) == 36 and rdv_id.count("-") == 4  # a uuid, like the published example

    moved = {**RDV, "id": rdv_id, "date": "2026-12-17T14:00:00+01:00", "statut": "MODIFIE"}
    response = client.put(f"{V1}/rendez-vous", json=moved, headers=rdv_headers)
    assert (response.status_code, response.content) == (202, b"")

    assert listing(client, rdv_headers) == [
        {
            "adresse": {
                "adresseLibre": "Maison du Département Solidarité",
                "libelleAdresse": "14 rue Foch 62000 Arras",
            },
            "date": "2026-12-17T13:00:00.000Z",
            "duree": 30,
            "estEnConflit": False,
            "idOrigine": rdv_id,
            "informationUtile": "Veuillez apporter un CV à jour.",
            "initiateur": "CONSEILLER",
            "interlocuteur": {"civilite": "MME", "nom": "DUPONT", "prenom": "Alexandra"},
            "modaliteContact": "PHYSIQUE",
            "motif": "ORI",
            "organisme": {
                "code": "CD",
                "idStructure": "62000",
                "libelleStructure": "CD du Pas-de-Calais",
            },
            "statut": "MODIFIE",
            "theme": "RSA Orientation : Convocation sur site",
            "typeReception": "IND",
        }
    ]

    clock.advance(dt.timedelta(minutes=10))  # tokens live 1499 s
    response = client.delete(f"{V1}/rendez-vous/{rdv_id}", headers=rdv_headers)
    assert (response.status_code, response.content) == (202, b"")
    [cancelled] = listing(client, rdv_headers)
    assert cancelled["statut"] == "ANNULE"
    assert cancelled["dateAnnulation"] == "2026-11-28T09:40:00.000Z"
    # Cancelling again is harmless; a cancelled rendez-vous is no longer modified.
    assert client.delete(f"{V1}/rendez-vous/{rdv_id}", headers=rdv_headers).status_code == 202
    response = client.put(f"{V1}/rendez-vous", json=moved, headers=rdv_headers)
    assert (response.status_code, response.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_unknown_id_gets_id_non_reconnu(
    client: TestClient, rdv_headers: dict[str, str], method: str
) -> None:
    create(client, rdv_headers)
    unknown = "7aea9cbd-d98e-464a-b38a-17662f4a718a"
    if method == "PUT":
        response = client.put(f"{V1}/rendez-vous", json={**RDV, "id": unknown}, headers=rdv_headers)
    else:
        response = client.delete(f"{V1}/rendez-vous/{unknown}", headers=rdv_headers)
    assert response.status_code == 400
    assert response.json() == {
        "codeErreur": "ID_NON_RECONNU",
        "codeHttp": 400,
        "message": "Il n'existe pas de rdv pour l'id et l'utilisateur indiqué",
    }
    assert "POST /rendez-vous" in response.headers["x-sandbox-hint"]


def test_a_put_without_id_is_refused(client: TestClient, rdv_headers: dict[str, str]) -> None:
    response = client.put(f"{V1}/rendez-vous", json=RDV, headers=rdv_headers)
    assert (response.status_code, response.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")


def test_the_default_window_and_the_date_filters(
    client: TestClient, rdv_headers: dict[str, str]
) -> None:
    # The clock is on 2026-11-28: 40 days ago, 10 days ago, in a month, in a year.
    dates = ["2026-10-19T09:00:00Z", "2026-11-18T09:00:00Z", "2026-12-28T09:00:00Z"]
    dates.append("2027-11-28T09:00:00Z")
    ids = [create(client, rdv_headers, date=date) for date in dates]

    def listed(**query: str) -> list[str]:
        return [item["idOrigine"] for item in listing(client, rdv_headers, **query)]

    # Without dates: every future rendez-vous and those of the last 30 days.
    assert listed() == ids[1:]
    assert listed(**{"date-debut": "19-10-2026", "date-fin": "18-11-2026"}) == ids[:2]
    assert listed(**{"date-debut": "19-11-2026"}) == ids[2:]
    assert listed(**{"date-fin": "28-12-2026"}) == ids[:3]
    for query in ({"date-debut": "2026-11-01"}, {"date-fin": "31-02-2026"}):
        response = client.get(f"{V1}/rendez-vous-usager", params=query, headers=rdv_headers)
        assert (response.status_code, response.json()["codeErreur"]) == (
            400,
            "ERR_DONNEE_INCORRECTE",
        )
    response = client.get(
        f"{V1}/rendez-vous-usager",
        params={"date-debut": "02-12-2026", "date-fin": "01-12-2026"},
        headers=rdv_headers,
    )
    assert response.status_code == 400


def test_overlapping_rendez_vous_are_in_conflict_until_one_is_cancelled(
    client: TestClient, rdv_headers: dict[str, str]
) -> None:
    first = create(client, rdv_headers, date="2026-12-16T08:30:00Z", duree=60)
    create(client, rdv_headers, date="2026-12-16T09:00:00Z", duree=30)
    create(client, rdv_headers, date="2026-12-16T09:30:00Z", duree=30)
    assert [item["estEnConflit"] for item in listing(client, rdv_headers)] == [True, True, False]
    client.delete(f"{V1}/rendez-vous/{first}", headers=rdv_headers)
    assert [item["estEnConflit"] for item in listing(client, rdv_headers)] == [False] * 3


def test_a_minimal_rendez_vous_reads_back_with_its_defaults(
    client: TestClient, rdv_headers: dict[str, str]
) -> None:
    minimal = {key: RDV[key] for key in ("date", "modaliteContact", "motif", "statut")}
    create_body = {**minimal, "organisme": {"code": "FT"}, "typeReception": "COL"}
    response = client.post(f"{V1}/rendez-vous", json=create_body, headers=rdv_headers)
    assert response.status_code == 202
    [item] = listing(client, rdv_headers)
    assert item == {
        "date": "2026-12-16T08:30:00.000Z",
        "duree": 30,
        "estEnConflit": False,
        "idOrigine": response.json()["id"],
        "modaliteContact": "PHYSIQUE",
        "motif": "ORI",
        "organisme": {"code": "FT"},
        "statut": "PRIS",
        "theme": "Orientation",
        "typeReception": "COL",
    }


@pytest.mark.parametrize(
    "change",
    [
        {"motif": "RDV"},
        {"statut": "REPORTE"},
        {"date": "16-12-2026"},
        {"date": "2026-12-16T08:30:00"},
        {"duree": 0},
        {"organisme": {}},
        {"theme": "x" * 256},
    ],
)
def test_a_malformed_rendez_vous_gets_err_donnee_incorrecte(
    client: TestClient, rdv_headers: dict[str, str], change: dict[str, Any]
) -> None:
    response = client.post(f"{V1}/rendez-vous", json={**RDV, **change}, headers=rdv_headers)
    assert (response.status_code, response.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")
    assert listing(client, rdv_headers) == []


def test_rendez_vous_persist_across_a_restart(
    client: TestClient, settings: Settings, clock: FrozenClock, rdv_headers: dict[str, str]
) -> None:
    rdv_id = create(client, rdv_headers)
    restarted: FastAPI = create_app(settings, clock)
    with TestClient(restarted) as again:
        assert [item["idOrigine"] for item in listing(again, rdv_headers)] == [rdv_id]
        moved = {**RDV, "id": rdv_id, "statut": "MODIFIE"}
        assert again.put(f"{V1}/rendez-vous", json=moved, headers=rdv_headers).status_code == 202


def test_ids_are_derived_from_the_seed_and_the_calls(
    client: TestClient, settings: Settings, clock: FrozenClock, rdv_headers: dict[str, str]
) -> None:
    first = create(client, rdv_headers)
    other = settings.model_copy(update={"data_dir": settings.data_dir.parent / "other"})
    with TestClient(create_app(other, clock)) as fresh:
        assert create(fresh, headers_of(fresh)) == first


def test_each_client_sees_only_its_own_rendez_vous(
    client: TestClient, rdv_headers: dict[str, str]
) -> None:
    rdv_id = create(client, rdv_headers)
    other = headers_of(client, DEFAULT_CLIENT)
    assert listing(client, other) == []
    response = client.delete(f"{V1}/rendez-vous/{rdv_id}", headers=other)
    assert response.json()["codeErreur"] == "ID_NON_RECONNU"
    assert [item["statut"] for item in listing(client, rdv_headers)] == ["PRIS"]


def test_the_cap_per_person_refuses_with_409_and_stores_nothing(
    client: TestClient, rdv_headers: dict[str, str]
) -> None:
    for _ in range(MAX_PER_PERSON):
        create(client, rdv_headers)
    response = client.post(f"{V1}/rendez-vous", json=RDV, headers=rdv_headers)
    assert response.status_code == 409
    assert response.json() == {
        "codeErreur": "ERR_LIMITE_BAC_A_SABLE",
        "codeHttp": 409,
        "message": "Limite de stockage du bac à sable atteinte",
    }
    assert "200 rendez-vous per person" in response.headers["x-sandbox-hint"]
    assert len(listing(client, rdv_headers)) == MAX_PER_PERSON


def test_jetons_are_refused_as_documented(client: TestClient, rdv_headers: dict[str, str]) -> None:
    without = {k: v for k, v in rdv_headers.items() if k != "ft-jeton-usager"}
    borrowed = headers_of(client, DEFAULT_CLIENT)["ft-jeton-usager"]
    cases = [
        (without, 400, "ERR_JETON_USAGER_ABSENT"),
        ({**without, "ft-jeton-usager": "bm90IGEgamV0b24="}, 401, "ERR_JETON_USAGER_INVALIDE"),
        # The access rule: a jeton issued to another application opens nothing.
        ({**without, "ft-jeton-usager": borrowed}, 403, "ERR_JETON_USAGER_NON_AUTORISE"),
    ]
    for headers, status, code in cases:
        for method, path in [("POST", "/rendez-vous"), ("GET", "/rendez-vous-usager")]:
            body = RDV if method == "POST" else None
            response = client.request(method, f"{V1}{path}", json=body, headers=headers)
            assert (response.status_code, response.json()["codeErreur"]) == (status, code)


def test_the_gateway_wants_the_apis_scopes(client: TestClient) -> None:
    token = request_token(client, scope="api_rechercher-usagerv2 rechercheusager profil_accedant")
    response = client.get(
        f"{V1}/rendez-vous-usager", headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    )
    assert (response.status_code, response.content) == (403, b"")
    assert "api_rendez-vous-partenairev1" in response.headers["www-authenticate"]
