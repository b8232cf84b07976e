"""Dépôt de fichiers: upload, listing, report, download, retention, and the loop it closes.

An accepted Annexe 1 file registers its people for the uploading client only: Rechercher usager
finds them (S001) and Statut usager gives the category of convention Art. 1 (1, 2 or 3 when
oriented to France Travail, 5 otherwise). Uploads expire after the retention period on the
virtual clock (README "File drop": 7 days by default).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.apis.recherche_usager.fastpath import RechercheFastPath
from sandbox.clock import FrozenClock
from sandbox.exchange.samples import sample
from sandbox.filedrop.ingestion import DROP_OWNER
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NOW, PARTENAIRE_SCOPES, request_token
from tests.filedrop.builders import annexe1, person

DEPOTS = "/depot-fichiers/v1/depots"
V2_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
V2_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"
V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
CONTRAT = "/partenaire/contrat-usager/v2/contrat"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
OTHER_62 = ("PAR_ftsandbox_cd62_convention", "ftsandbox-secret-cd62-convention")
BIRTH = dt.date(1988, 5, 17)


def _bearer(client: TestClient, credentials: tuple[str, str] | None = None) -> dict[str, str]:
    token = request_token(client, credentials=credentials) if credentials else request_token(client)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def bearer(client: TestClient) -> dict[str, str]:
    return _bearer(client)


def _iso_birth(cells: dict[str, str]) -> str:
    day, month, year = cells["DATE_NAISSANCE"].split("/")
    return f"{year}-{month}-{day}"


def _upload(
    client: TestClient, headers: dict[str, str], content: bytes, **params: str
) -> httpx2.Response:
    return client.post(
        DEPOTS,
        content=content,
        params={"nom": "inscriptions.csv", **params},
        headers={**headers, "Content-Type": "text/csv"},
    )


def test_an_annexe1_person_is_found_for_the_uploader_only_with_the_convention_category(
    client: TestClient, runtime: Runtime, bearer: dict[str, str]
) -> None:
    to_ft = person(runtime.population, "NOUVELLE", "Annabelle", BIRTH, orientation="FT")
    to_cd = person(runtime.population, "AUTRE", "Basile", BIRTH, sex="1", orientation="CD")
    content = annexe1(runtime.population, [to_ft, to_cd]).to_csv()

    created = _upload(client, bearer, content)

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["statut"] == "accepte" and body["type"] == "annexe1-inscription"
    assert body["personnesInscrites"] == 2 and body["personnesDejaConnues"] == 0
    assert body["expireLe"].startswith((NOW + dt.timedelta(days=7)).date().isoformat())
    assert body["liens"]["contenu"] == f"{DEPOTS}/{body['id']}/contenu"

    agent = {"Authorization": bearer["Authorization"], **AGENT_HEADERS}
    found = client.post(
        V2_NIR, json={"nir": to_ft["NIR"], "dateNaissance": _iso_birth(to_ft)}, headers=agent
    ).json()
    assert found["codeRetour"] == "S001" and found["jetonUsager"]
    by_numero = {"numeroFranceTravail": found["numeroFranceTravail"]}
    again = client.post(V2_NUMERO, json=by_numero, headers=agent).json()
    assert again["codeRetour"] == "S001"
    contrat = client.get(CONTRAT, headers={**agent, "ft-jeton-usager": found["jetonUsager"]})
    assert contrat.json()["m_contrat"]["m_categ_inscription_code"] in {"1", "2", "3"}

    other = client.post(
        V2_NIR, json={"nir": to_cd["NIR"], "dateNaissance": _iso_birth(to_cd)}, headers=agent
    ).json()
    contrat_cd = client.get(CONTRAT, headers={**agent, "ft-jeton-usager": other["jetonUsager"]})
    assert contrat_cd.json()["m_contrat"]["m_categ_inscription_code"] == "5"

    # Generation 1 too: v1 search, then Statut usager v1 with the identifiant.
    partenaire = {
        "Authorization": f"Bearer {request_token(client, '/partenaire', PARTENAIRE_SCOPES)}"
    }
    v1 = client.post(
        V1, json={"nir": to_ft["NIR"], "dateNaissance": _iso_birth(to_ft)}, headers=partenaire
    ).json()
    assert v1.get("codeRetour") == "S001", v1
    statut = client.post(STATUT_V1, json={"idNat": v1["identifiant"]}, headers=partenaire)
    assert statut.json()["categInscriptionCode"] in {"1", "2", "3"}

    # Another client of the same département does not know them.
    stranger = {
        "Authorization": f"Bearer {request_token(client, credentials=OTHER_62)}",
        **AGENT_HEADERS,
    }
    unknown = client.post(
        V2_NIR, json={"nir": to_ft["NIR"], "dateNaissance": _iso_birth(to_ft)}, headers=stranger
    ).json()
    assert unknown["codeRetour"] == "S002"
    assert client.post(V2_NUMERO, json=by_numero, headers=stranger).json()["codeRetour"] == "S002"
    assert client.get(f"{DEPOTS}/{body['id']}", headers=stranger).status_code == 404


def test_after_the_retention_period_the_upload_and_its_report_are_gone(
    client: TestClient, runtime: Runtime, clock: FrozenClock, bearer: dict[str, str]
) -> None:
    content = sample("annexe4-pilotage", 3).to_csv()
    upload_id = _upload(client, bearer, content).json()["id"]
    assert client.get(f"{DEPOTS}/{upload_id}", headers=bearer).status_code == 200
    clock.advance(dt.timedelta(days=7) - dt.timedelta(seconds=1))
    bearer = _bearer(client)  # access tokens live 1499 s
    assert client.get(f"{DEPOTS}/{upload_id}/contenu", headers=bearer).content == content

    clock.advance(dt.timedelta(seconds=1))
    bearer = _bearer(client)

    assert client.get(f"{DEPOTS}/{upload_id}", headers=bearer).status_code == 404
    assert client.get(f"{DEPOTS}/{upload_id}/contenu", headers=bearer).status_code == 404
    assert client.get(DEPOTS, headers=bearer).json() == {"depots": []}
    client_id = "PAR_ftsandbox_cd62"
    for facet in (f"depot-contenu:{upload_id}", f"depot-rapport:{upload_id}"):
        assert runtime.store.read(client_id, DROP_OWNER, facet) is None
    assert runtime.store.history(client_id, DROP_OWNER, f"depot-contenu:{upload_id}").total == 0


def test_another_client_s_operation_purges_expired_uploads(
    client: TestClient, runtime: Runtime, clock: FrozenClock, bearer: dict[str, str]
) -> None:
    upload_id = _upload(client, bearer, sample("annexe4-pilotage", 2).to_csv()).json()["id"]
    clock.advance(dt.timedelta(days=8))
    stranger = _bearer(client, OTHER_62)

    assert client.get(DEPOTS, headers=stranger).status_code == 200

    facet = f"depot-contenu:{upload_id}"
    assert runtime.store.read("PAR_ftsandbox_cd62", DROP_OWNER, facet) is None


def test_the_pilot_file_gets_its_indicators_file_back(
    client: TestClient, bearer: dict[str, str]
) -> None:
    pilot = _upload(client, bearer, sample("annexe4-pilotage", 5).to_csv()).json()
    assert pilot["statut"] == "accepte" and pilot["depotIndicateurs"]

    indicators = client.get(f"{DEPOTS}/{pilot['depotIndicateurs']}", headers=bearer).json()
    assert indicators["depot"]["type"] == "annexe4-indicateurs"
    assert indicators["depot"]["origine"] == "bac-a-sable"
    assert indicators["depot"]["depotSource"] == pilot["id"]
    assert indicators["rapport"]["counts"].get("erreur", 0) == 0
    download = client.get(f"{DEPOTS}/{pilot['depotIndicateurs']}/contenu", headers=bearer)
    assert download.status_code == 200
    lines = download.content.decode("utf-8").splitlines()
    assert lines[0].startswith("Nom;Prénom;Date De Naissance;") and len(lines) == 6


def test_listing_report_download_and_delete(client: TestClient, bearer: dict[str, str]) -> None:
    content = sample("annexe3-habilitations", 2).to_csv()
    created = _upload(client, bearer, content).json()
    listing = client.get(DEPOTS, headers=bearer).json()["depots"]
    assert [item["id"] for item in listing] == [created["id"]]
    detail = client.get(f"{DEPOTS}/{created['id']}", headers=bearer).json()
    assert detail["rapport"]["kind"] == "annexe3-habilitations" and detail["rapport"]["rows"] == 2
    download = client.get(f"{DEPOTS}/{created['id']}/contenu", headers=bearer)
    assert download.content == content
    assert download.headers["content-disposition"] == 'attachment; filename="inscriptions.csv"'

    assert client.delete(f"{DEPOTS}/{created['id']}", headers=bearer).status_code == 204

    assert client.get(f"{DEPOTS}/{created['id']}", headers=bearer).status_code == 404
    assert client.delete(f"{DEPOTS}/{created['id']}", headers=bearer).status_code == 404


def test_multipart_upload_keeps_the_part_s_file_name(
    client: TestClient, bearer: dict[str, str]
) -> None:
    content = sample("annexe4-pilotage", 2).to_csv()
    response = client.post(
        DEPOTS, files={"fichier": ("pilotage mars.csv", content, "text/csv")}, headers=bearer
    )
    assert response.status_code == 201
    assert response.json()["nom"] == "pilotage_mars.csv"


def test_a_partenaire_token_opens_the_drop_and_no_token_is_401(client: TestClient) -> None:
    token = request_token(client, "/partenaire", PARTENAIRE_SCOPES)
    assert client.get(DEPOTS, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    refused = client.get(DEPOTS)
    assert refused.status_code == 401 and refused.content == b""
    assert client.get(DEPOTS, headers={"Authorization": "Bearer x"}).status_code == 401


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02\xff\xfe" * 50, b"PK\x03\x04 pas un classeur", b"a;b\n1;2\n", b"\xe9\xe8;\n"],
)
def test_unreadable_or_unknown_input_gets_a_report_not_a_500(
    client: TestClient, bearer: dict[str, str], content: bytes
) -> None:
    response = _upload(client, bearer, content)
    assert response.status_code == 201
    body = response.json()
    assert body["statut"] in {"illisible", "refuse"} and body["constats"]["erreur"] >= 1
    report = client.get(f"{DEPOTS}/{body['id']}", headers=bearer).json()["rapport"]
    assert report["findings"]


def test_bad_requests_get_their_documented_400(client: TestClient, bearer: dict[str, str]) -> None:
    empty = _upload(client, bearer, b"")
    assert (empty.status_code, empty.json()["codeErreur"]) == (400, "ERR_FICHIER_ABSENT")
    kind = _upload(client, bearer, b"a;b\n", type="annexe9")
    assert (kind.status_code, kind.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")
    no_part = client.post(DEPOTS, files={"autre": ("a.csv", b"x")}, headers=bearer)
    assert (no_part.status_code, no_part.json()["codeErreur"]) == (400, "ERR_FICHIER_ABSENT")


def test_a_file_over_the_size_cap_is_refused(client: TestClient, bearer: dict[str, str]) -> None:
    # README "Limits": 5 MiB per file.
    over = _upload(client, bearer, b"a" * (5 * 1024 * 1024 + 1))
    assert over.status_code == 413
    assert over.json()["codeErreur"] == "ERR_FICHIER_TROP_VOLUMINEUX"
    # Past the route's body limit (5 MiB + 64 KiB), refused before the body is read.
    way_over = _upload(client, bearer, b"a" * (6 * 1024 * 1024))
    assert (way_over.status_code, way_over.json()["codeErreur"]) == (
        413,
        "ERR_REQUETE_TROP_VOLUMINEUSE",
    )
    assert client.get(DEPOTS, headers=bearer).json() == {"depots": []}


def test_the_number_of_uploads_kept_is_capped(client: TestClient, bearer: dict[str, str]) -> None:
    # README "Limits": 20 uploads kept per client.
    content = sample("annexe3-habilitations", 1).to_csv()
    for _ in range(20):
        assert _upload(client, bearer, content).status_code == 201
    refused = _upload(client, bearer, content)
    assert (refused.status_code, refused.json()["codeErreur"]) == (409, "ERR_LIMITE_BAC_A_SABLE")


def test_uploads_and_people_survive_a_restart_and_go_with_a_reset(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="test-secret-key")
    first = create_app(settings, FrozenClock(NOW))
    population = first.state.runtime.population
    cells = person(population, "DURABLE", "Camille", BIRTH)
    with TestClient(first) as client:
        bearer = {"Authorization": f"Bearer {request_token(client)}"}
        upload_id = _upload(client, bearer, annexe1(population, [cells]).to_csv()).json()["id"]
    first.state.runtime.store.close()

    second = create_app(settings, FrozenClock(NOW + dt.timedelta(days=1)))
    with TestClient(second) as client:
        bearer = {"Authorization": f"Bearer {request_token(client)}"}
        assert client.get(f"{DEPOTS}/{upload_id}", headers=bearer).status_code == 200
        agent = {**bearer, **AGENT_HEADERS}
        search = {"nir": cells["NIR"], "dateNaissance": _iso_birth(cells)}
        assert client.post(V2_NIR, json=search, headers=agent).json()["codeRetour"] == "S001"

        admin = {"Authorization": f"Bearer {second.state.runtime.admin_token}"}
        reset = client.post(
            "/_sandbox/reset", json={"client_id": "PAR_ftsandbox_cd62"}, headers=admin
        )
        assert reset.status_code in (200, 204), reset.text

        assert client.get(DEPOTS, headers=bearer).json() == {"depots": []}
        assert client.post(V2_NIR, json=search, headers=agent).json()["codeRetour"] == "S002"


def test_the_recherche_fast_path_answers_an_ingested_person_itself(
    client: TestClient, app: FastAPI, runtime: Runtime, bearer: dict[str, str]
) -> None:
    cells = person(runtime.population, "RAPIDE", "Hugo", BIRTH, sex="1")
    _upload(client, bearer, annexe1(runtime.population, [cells]).to_csv())
    layer: Any = app.middleware_stack
    while not isinstance(layer, RechercheFastPath):
        layer = layer.app
    headers = {**bearer, **AGENT_HEADERS, "content-type": "application/json"}
    scope = {"headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    body = json.dumps({"nir": cells["NIR"], "dateNaissance": _iso_birth(cells)}).encode()

    answer = layer._answer(scope, body)

    assert answer is not None and json.loads(answer)["codeRetour"] == "S001"
