"""Informations administratives usager v1: the person behind the jeton, as their persona says.

Expected values come from the persona files (fixtures/personas/*.yaml) and from the published
file (``informations-administratives-usager.json``: field names, the 13-character NIR of its
example, upper-case names), never from the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, NOW, request_token

PERSONAS = Path(__file__).resolve().parents[3] / "fixtures" / "personas"
USAGER = "/partenaire/informations-administratives/v1/usager"
RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
# The scopes of the published file's description, with Rechercher usager's.
SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_informations-administrativesv1 informationsadministrativesusager profil_accedant"
)
RSA_SUITE = ("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")
NOW_MS = int(NOW.timestamp() * 1000)
PHONE = re.compile(r"^(063998|019900)[0-9]{4}$")  # ARCEP fiction blocks, ten digits


def persona(name: str) -> dict[str, Any]:
    """A persona file, read as YAML."""
    data: dict[str, Any] = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client, scope=SCOPES)}", **AGENT_HEADERS}


def _jeton(client: TestClient, headers: dict[str, str], spec: dict[str, Any]) -> str:
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    response = client.post(RECHERCHE, json=body, headers=headers)
    assert response.json()["codeRetour"] == "S001", response.text
    jeton: str = response.json()["jetonUsager"]
    return jeton


def test_the_etat_civil_is_the_personas(client: TestClient, headers: dict[str, str]) -> None:
    spec = persona("s001-certifiee")
    jeton = _jeton(client, headers, spec)
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": jeton})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["numeroFranceTravail"] == spec["numeroFranceTravail"]
    assert (
        body["etatCivil"]
        == {
            "civilite": "Mme",  # NIR starting with 2
            "nom": spec["nom"].upper(),
            "prenom": spec["prenom"].upper(),
            "nomCorrespondance": spec["nom"].upper(),
            "prenomCorrespondance": spec["prenom"].upper(),
            "dateNaissance": str(spec["dateNaissance"]),
            "nir": spec["nir"][:13],  # the published example's 13 characters, without the key
        }
    )
    [adresse] = body["adresses"]
    assert adresse["numeroTypeLibelleVoie"] == spec["adresse"]["ligne"]
    assert adresse["codeInseeCommune"] == spec["adresse"]["commune"]
    # Commune 62041 of the shipped COG: Arras, 62000.
    assert (adresse["libelleCommune"], adresse["codePostal"]) == ("ARRAS", "62000")
    assert adresse["libellePays"] == "FRANCE"
    assert adresse["indicateurResidentQPV"] in {"AT", "IN", "NT", "NQ", "QP"}
    assert not {"complementAdresse", "complementDestinataire", "complementDistribution"} & set(
        adresse
    )  # absent, never null
    assert all(e["adresseEmail"].endswith("@example.com") for e in body["emails"])
    assert all(PHONE.match(t["numeroTelephone"]) for t in body["telephones"])


def test_the_answer_is_stable_and_the_rsa_suite_client_reads_it(client: TestClient) -> None:
    suite = {
        "Authorization": f"Bearer {request_token(client, scope=SCOPES, credentials=RSA_SUITE)}",
        **AGENT_HEADERS,
    }
    jeton = _jeton(client, suite, persona("s001-certifiee"))
    first = client.get(USAGER, headers={**suite, "ft-jeton-usager": jeton})
    second = client.get(USAGER, headers={**suite, "ft-jeton-usager": jeton})
    assert first.status_code == 200 and first.json() == second.json()


def test_coordinates_are_synthetic_for_many_people(runtime: Runtime) -> None:
    from sandbox.population.coordinates import coordinates_of

    people = [runtime.population.get(f"g{i}") for i in range(300)]
    seen = [coordinates_of(runtime.settings.seed, p) for p in people if p is not None]
    assert len(seen) == 300
    assert all(e.endswith("@example.com") for c in seen for e in c.emails)
    assert all(PHONE.match(t) for c in seen for t in c.telephones)
    assert any(c.emails for c in seen) and any(not c.emails for c in seen)


def test_the_r998_persona_has_no_address_and_gets_no_jeton(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    from sandbox.apis.informations_administratives.schemas import UsagerResource
    from sandbox.population.coordinates import coordinates_of

    spec = persona("r998-sans-adresse")
    assert spec["adresse"] is None
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    assert client.post(RECHERCHE, json=body, headers=headers).json()["codeRetour"] == "R998"
    person = runtime.population.get(f"p-{spec['id']}")
    assert person is not None
    view = UsagerResource.of(person, coordinates_of(runtime.settings.seed, person))
    assert view.adresses == []
    assert view.etat_civil.nir == spec["nir"][:13]
    # A jeton forged for them anyway: no address, no rattachement, the access rule refuses.
    forced = runtime.references.issue_jeton(person.key, "PAR_ftsandbox_cd62", NOW_MS)
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": forced})
    assert (response.status_code, response.json()["codeErreur"]) == (
        403,
        "ERR_USAGER_NON_RATTACHE",
    )


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda j: None, 400, "ERR_JETON_USAGER_ABSENT"),
        (lambda j: "", 400, "ERR_JETON_USAGER_ABSENT"),
        (lambda j: "pas-un-jeton", 401, "ERR_JETON_USAGER_INVALIDE"),
        (lambda j: j[:-8] + "AAAAAAAA", 401, "ERR_JETON_USAGER_INVALIDE"),
    ],
)
def test_bad_jetons_are_refused(
    client: TestClient, headers: dict[str, str], make: Any, status: int, code: str
) -> None:
    value = make(_jeton(client, headers, persona("s001-certifiee")))
    sent = dict(headers) if value is None else {**headers, "ft-jeton-usager": value}
    response = client.get(USAGER, headers=sent)
    assert (response.status_code, response.json()["codeErreur"]) == (status, code)
    assert response.headers["x-sandbox-hint"]


def test_a_jeton_of_another_client_is_refused(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    borrowed = runtime.references.issue_jeton("p-s001-certifiee", NORD_CLIENT[0], NOW_MS)
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": borrowed})
    assert (response.status_code, response.json()["codeErreur"]) == (
        403,
        "ERR_JETON_USAGER_NON_AUTORISE",
    )


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
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": forced})
    assert (response.status_code, response.json()["codeErreur"]) == (403, code)


def test_a_person_the_population_no_longer_holds_gets_204(
    client: TestClient, headers: dict[str, str], runtime: Runtime
) -> None:
    gone = runtime.references.issue_jeton("p-persona-disparu", "PAR_ftsandbox_cd62", NOW_MS)
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": gone})
    assert (response.status_code, response.content) == (204, b"")


def test_a_token_without_the_scopes_is_refused_by_the_gateway(client: TestClient) -> None:
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    jeton = _jeton(client, headers, persona("s001-certifiee"))
    response = client.get(USAGER, headers={**headers, "ft-jeton-usager": jeton})
    assert (response.status_code, response.content) == (403, b"")
