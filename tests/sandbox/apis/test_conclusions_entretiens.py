"""Conclusions entretiens v1: the entretiens of the usager behind the jeton.

Expected values come from the published file (``conclusions-entretiens.json``: paths, enums and
their libellés, scopes), from the persona files and from the readings the contract states
(first entretien of a RSA beneficiary is the EDO, then the EDA for a professional parcours).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from sandbox.app import create_app
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime
from sandbox.settings import Settings
from tests.conftest import AGENT_HEADERS, NOW, request_token

PERSONAS = Path(__file__).resolve().parents[3] / "fixtures" / "personas"
ENTRETIENS = "/partenaire/conclusions-entretiens/v1/entretiens"
RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_conclusions-entretiensv1 conclusionsentretienagent"
)
NOW_MS = int(NOW.timestamp() * 1000)
EPOCH = dt.date(2026, 1, 1)  # README: the population's default epoch
# The published enums with their libellés (typeEntretien, codeModaliteContact descriptions).
PUBLISHED_TYPES = {
    "ESI": "ENTRETIEN DE SITUATION", "EDP": "ENTRETIEN PERSONNALISE",
    "CRL": "ENTRETIEN - LONGUE DUREE", "PE1": "ENTRETIEN TRIPARTITE PEC/CIE",
    "PE2": "ENTRETIEN DE SUIVI PEC/CIE", "PE3": "ENTRETIEN BILATERAL SORTIE PEC/CIE",
    "PBI": "PRE BILAN CRP", "ETP": "ENTRETIEN POINT D'ETAPE",
    "PSP": "PLAN DE SECURISATION PROFESSIONNEL", "CRP": "ENTRETIEN ACTUALISATION CRP",
    "BIL": "BILAN CRP", "SEF": "SUIVI EMPLOI/FORMATION", "CPS": "CONCLUSION PSYCHO DU TRAVAIL",
    "CRE": "CONTROLE RECHERCHE EMPLOI", "IND": "ENTRETIEN INDEMNISATION",
    "DCE": "DIAGNOSTIC CROISE CAP EMPLOI", "USA": "ENTRETIEN USAGER",
    "PAK": "ENTRETIEN PACK DE DEMARRAGE", "EPK": "ENTRETIEN PPAE PACK DIFFERE",
    "EDA": "1ER ENTRETIEN D'ACCOMPAGNEMENT", "EDO": "ENTRETIEN D'ORIENTATION",
}  # fmt: skip
PUBLISHED_MODALITES = {
    "B": "BILAN EN LIGNE", "C": "ECHANGE COURRIEL", "F": "ENTRETIEN VISIOCONFERENCE INFO",
    "I": "ENTRETIEN INDIVIDUEL PHYSIQUE", "R": "ENTRETIEN COLLECTIF PHYSIQUE",
    "T": "ENTRETIEN INDIVIDUEL TELEPHONI", "V": "ENTRETIEN INDIVIDUEL VISIOGUIC",
    "W": "ENTRETIEN INDIVIDUEL VISIOCONF",
}  # fmt: skip
PUBLISHED_PROPERTIES = {
    "codeAgent", "codeModaliteContact", "commentaire", "dateEntretien", "libelleAgent",
    "libelleEntretien", "typeEntretien", "codeAgence", "libelleAgence", "libelleModalite",
}  # fmt: skip


def persona(name: str) -> dict[str, Any]:
    """A persona file, read as YAML."""
    data: dict[str, Any] = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client, scope=SCOPES)}", **AGENT_HEADERS}


def _entretiens(client: TestClient, headers: dict[str, str], name: str) -> list[dict[str, Any]]:
    spec = persona(name)
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    found = client.post(RECHERCHE, json=body, headers=headers)
    assert found.json()["codeRetour"] == "S001", found.text
    response = client.get(
        ENTRETIENS, headers={**headers, "ft-jeton-usager": found.json()["jetonUsager"]}
    )
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


@pytest.mark.parametrize("name", ["s001-certifiee", "categorie-3-pro", "categorie-5-social"])
def test_entretiens_are_published_items_within_the_registration(
    client: TestClient, headers: dict[str, str], name: str
) -> None:
    entretiens = _entretiens(client, headers, name)
    registered = dt.date.fromisoformat(str(persona(name)["inscription"]["dateInscription"]))
    assert entretiens, "a registered RSA beneficiary has had at least the orientation interview"
    for item in entretiens:
        assert set(item) == PUBLISHED_PROPERTIES
        assert PUBLISHED_TYPES[item["typeEntretien"]] == item["libelleEntretien"]
        assert PUBLISHED_MODALITES[item["codeModaliteContact"]] == item["libelleModalite"]
        assert registered <= dt.date.fromisoformat(item["dateEntretien"]) <= EPOCH
        assert re.fullmatch(r"[0-9]{5}", item["codeAgence"])
        assert re.fullmatch(r"[A-Z]{4}[0-9]{4}", item["codeAgent"])
        assert item["commentaire"]
    dates = [item["dateEntretien"] for item in entretiens]
    assert dates == sorted(dates, reverse=True)  # most recent first
    # One principal adviser in one agency holds them all.
    assert len({(i["codeAgent"], i["codeAgence"], i["libelleAgence"]) for i in entretiens}) == 1


@pytest.mark.parametrize(
    ("name", "first"),
    [("s001-certifiee", ["EDO", "EDA"]), ("categorie-3-pro", ["EDO", "EDA"])],
)
def test_a_rsa_beneficiary_starts_with_the_orientation_interview(
    client: TestClient, headers: dict[str, str], name: str, first: list[str]
) -> None:
    oldest_first = list(reversed(_entretiens(client, headers, name)))
    assert [item["typeEntretien"] for item in oldest_first[: len(first)]] == first
    registered = dt.date.fromisoformat(str(persona(name)["inscription"]["dateInscription"]))
    assert dt.date.fromisoformat(oldest_first[0]["dateEntretien"]) - registered <= dt.timedelta(
        days=60
    )


def test_someone_not_registered_has_no_entretien(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert _entretiens(client, headers, "statut-identifie") == []


def test_a_person_the_population_no_longer_holds_gets_422(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    gone = runtime.references.issue_jeton("p-persona-disparu", "PAR_ftsandbox_cd62", NOW_MS)
    response = client.get(ENTRETIENS, headers={**headers, "ft-jeton-usager": gone})
    assert response.status_code == 422
    assert response.json()["codeErreur"] == "ERR_USAGER_INCONNU"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("r001-hors-perimetre", "ERR_USAGER_HORS_PERIMETRE"),
        ("r002-autre-departement", "ERR_USAGER_NON_RATTACHE"),
    ],
)
def test_the_access_rule_applies(
    client: TestClient, headers: dict[str, str], runtime: Runtime, name: str, code: str
) -> None:
    forced = runtime.references.issue_jeton(f"p-{name}", "PAR_ftsandbox_cd62", NOW_MS)
    response = client.get(ENTRETIENS, headers={**headers, "ft-jeton-usager": forced})
    assert (response.status_code, response.json()["codeErreur"]) == (403, code)


def test_without_jeton_the_call_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(ENTRETIENS, headers=headers)
    assert (response.status_code, response.json()["codeErreur"]) == (400, "ERR_JETON_USAGER_ABSENT")


def test_a_token_without_the_scopes_is_refused_by_the_gateway(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    spec = persona("s001-certifiee")
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    jeton = client.post(RECHERCHE, json=body, headers=headers).json()["jetonUsager"]
    response = client.get(ENTRETIENS, headers={**headers, "ft-jeton-usager": jeton})
    assert (response.status_code, response.content) == (403, b"")


def test_the_same_seed_gives_the_same_entretiens(
    client: TestClient, headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    first = _entretiens(client, headers, "categorie-3-pro")
    again = create_app(
        settings.model_copy(update={"data_dir": tmp_path / "other"}), FrozenClock(NOW)
    )
    with TestClient(again) as other:
        other_headers = {
            "Authorization": f"Bearer {request_token(other, scope=SCOPES)}",
            **AGENT_HEADERS,
        }
        assert _entretiens(other, other_headers, "categorie-3-pro") == first
