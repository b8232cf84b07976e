"""Statut usager: jetons and identifiants, refused when forged, expired or borrowed."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, request_token

CONTRAT = "/partenaire/contrat-usager/v2/contrat"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}


@pytest.fixture
def jeton(client: TestClient, agent_headers: dict[str, str]) -> str:
    response = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=PERSONA,
        headers=agent_headers,
    )
    value: str = response.json()["jetonUsager"]
    return value


def test_a_jeton_looks_like_the_platform_one(jeton: str) -> None:
    envelope = json.loads(base64.b64decode(jeton))
    assert set(envelope) == {"vers", "uuid", "expire", "type", "data"}
    assert envelope["vers"] == "0.1" and envelope["type"] == "/partenaire"
    now_ms = int(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC).timestamp() * 1000)
    assert envelope["expire"] == now_ms + 24 * 3600 * 1000
    uuid_part, _, sealed = envelope["data"].partition("#")
    assert len(uuid_part) == 36 and len(sealed) == 171


def test_the_contract_has_every_m_field(
    client: TestClient, agent_headers: dict[str, str], jeton: str
) -> None:
    body = client.get(CONTRAT, headers={**agent_headers, "ft-jeton-usager": jeton}).json()
    assert body["m_messageErreur"] == " "
    assert body["m_contrat"] == {
        "m_statut": "Inscrit",
        "m_date_effet_statut": "2024-02-05",
        "m_duree_inscription_12": 12,
        "m_duree_inscription_24": 24,
        "m_duree_inscription_36": 34,
        "m_motif_inscription_code": "14",
        "m_motif_inscription_lib": "FIN DE CDD OU DE CONTRAT AIDE",
        "m_categ_inscription_code": "1",
        "m_categ_inscription_lib": "PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS",
        "m_situation_reg_emp_code": "SAN",
        "m_situation_reg_emp_lib": "SANS OBJET",
    }  # registered once and never closed: no m_motif_cloture_* (optional, never null)


def _tamper(jeton: str) -> str:
    envelope = json.loads(base64.b64decode(jeton))
    uuid_part, _, sealed = envelope["data"].partition("#")
    flipped = sealed[:10] + ("A" if sealed[10] != "A" else "B") + sealed[11:]
    envelope["data"] = f"{uuid_part}#{flipped}"
    return base64.b64encode(json.dumps(envelope).encode()).decode()


def _extend(jeton: str) -> str:
    envelope = json.loads(base64.b64decode(jeton))
    envelope["expire"] += 10 * 24 * 3600 * 1000
    return base64.b64encode(json.dumps(envelope).encode()).decode()


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda j: None, 400, "ERR_JETON_USAGER_ABSENT"),
        (lambda j: "", 400, "ERR_JETON_USAGER_ABSENT"),
        (lambda j: "pas-un-jeton", 401, "ERR_JETON_USAGER_INVALIDE"),
        (lambda j: base64.b64encode(b'{"vers": "0.1"}').decode(), 401, "ERR_JETON_USAGER_INVALIDE"),
        (_tamper, 401, "ERR_JETON_USAGER_INVALIDE"),
        (_extend, 401, "ERR_JETON_USAGER_INVALIDE"),
    ],
)
def test_bad_jetons_are_refused_with_a_documented_error(
    client: TestClient,
    agent_headers: dict[str, str],
    jeton: str,
    make: object,
    status: int,
    code: str,
) -> None:
    value = make(jeton)  # type: ignore[operator]
    headers = dict(agent_headers) if value is None else {**agent_headers, "ft-jeton-usager": value}
    response = client.get(CONTRAT, headers=headers)
    assert response.status_code == status
    assert response.json()["codeErreur"] == code
    assert response.json()["codeHttp"] == status
    assert response.headers["x-sandbox-hint"]


def test_a_jeton_expires_after_one_day(client: TestClient, clock: FrozenClock, jeton: str) -> None:
    clock.advance(dt.timedelta(hours=23, minutes=59))
    fresh = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    assert client.get(CONTRAT, headers={**fresh, "ft-jeton-usager": jeton}).status_code == 200
    clock.advance(dt.timedelta(minutes=1))
    fresh = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    response = client.get(CONTRAT, headers={**fresh, "ft-jeton-usager": jeton})
    assert (response.status_code, response.json()["codeErreur"]) == (401, "ERR_JETON_USAGER_EXPIRE")


def test_a_jeton_of_another_client_is_refused(client: TestClient, app: object) -> None:
    from sandbox.runtime import Runtime

    runtime: Runtime = app.state.runtime  # type: ignore[attr-defined]
    borrowed = runtime.references.issue_jeton("p-s001-certifiee", NORD_CLIENT[0], 1795_000_000_000)
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    response = client.get(CONTRAT, headers={**headers, "ft-jeton-usager": borrowed})
    assert (response.status_code, response.json()["codeErreur"]) == (
        403,
        "ERR_JETON_USAGER_NON_AUTORISE",
    )


def test_v1_refuses_a_forged_identifiant(
    client: TestClient, partenaire_headers: dict[str, str]
) -> None:
    identifiant = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche",
        json=PERSONA,
        headers=partenaire_headers,
    ).json()["identifiant"]
    forged = identifiant[:-3] + ("AAA" if not identifiant.endswith("AAA") else "BBB")
    response = client.post(STATUT_V1, json={"idNat": forged}, headers=partenaire_headers)
    assert (response.status_code, response.json()["codeErreur"]) == (
        401,
        "ERR_IDENTIFIANT_INVALIDE",
    )
    missing = client.post(STATUT_V1, json={}, headers=partenaire_headers)
    assert (missing.status_code, missing.json()["codeErreur"]) == (400, "ERR_DONNEE_INCORRECTE")


def test_durations_are_months_within_each_window(
    client: TestClient, clock: FrozenClock, jeton: str
) -> None:
    clock.set(dt.datetime(2024, 8, 5, tzinfo=dt.UTC))
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    client_jeton = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=PERSONA,
        headers=headers,
    ).json()["jetonUsager"]
    contrat = client.get(CONTRAT, headers={**headers, "ft-jeton-usager": client_jeton}).json()[
        "m_contrat"
    ]
    assert (contrat["m_duree_inscription_12"], contrat["m_duree_inscription_24"]) == (6, 6)
