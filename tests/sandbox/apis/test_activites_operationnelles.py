"""Gestion activités opérationnelles v2: a département lists its activities, as published.

Expected values are the published file's (``gestion-activites-operationnelles.json``: the
``codeActivite`` enum, the families GLI100 and INSEA of the description, the attribute names,
``PARAM_INCOHERENT`` « Il faut renseigner exactement un paramètre. », 1 000 activities a page
by due date) and the personas' (fixtures/personas).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox.lpe.activites import activities_of, activity_codes
from sandbox.population.models import Orientation
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NOW, request_token

V2 = "/partenaire/activites-operationnelles/v2"
SCOPE = "api_activites-operationnellesv2 activitesCD referentielCD profil_accedant"
PUBLISHED_CODES = {"ACT366", "ACT367", "ACT369", "ACT370", "ACT380", "ACT382", "ACT395"}
SANCTIONS = {"ACT366", "ACT367", "ACT369", "ACT370"}  # published: codeFamille GLI100
PUBLISHED_ATTRIBUTES = {
    "idConsequenceSanction", "motif", "typeOrganismeAccompagnateur", "codeInseeCommune",
    "typeParcours",
}  # fmt: skip
NON_ORIENTE_NUMERO = "90000003535"  # persona contrat-non-oriente: an orientation to decide


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client, scope=SCOPE)}", **AGENT_HEADERS}


def search(client: TestClient, headers: dict[str, str], **query: str) -> Any:
    return client.get(f"{V2}/activites/chercher", params=query, headers=headers)


def test_the_sanction_family_lists_sanction_activities_with_their_consequence_id(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = search(client, headers, codeFamille="GLI100")
    assert response.status_code == 200
    page = response.json()
    assert page["size"] == len(page["activites"]) > 0
    for activite in page["activites"]:
        assert activite["codeActivite"] in SANCTIONS
        names = [a["nom"] for a in activite["attributsSpecifiques"]]
        assert names == ["idConsequenceSanction"]
        assert activite["usager"]["typeIdentifiant"] == "numeroFranceTravail"
        created, due, near = (
            dt.datetime.strptime(activite[k], "%Y-%m-%dT%H:%M:%S.000Z")
            for k in ("dateCreation", "dateEcheance", "dateEcheanceProche")
        )
        assert created <= near <= due
    dues = [a["dateEcheance"] for a in page["activites"]]
    assert dues == sorted(dues)  # published: « classées par date échéance ascendante »


def test_the_orientation_family_gives_a_non_oriented_persona_its_decision_to_take(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = search(client, headers, codeFamille="INSEA", numeroFranceTravail=NON_ORIENTE_NUMERO)
    assert response.status_code == 200
    (activite,) = response.json()["activites"]
    assert activite["codeActivite"] == "ACT382"
    attributes = {a["nom"]: a["valeur"] for a in activite["attributsSpecifiques"]}
    assert set(attributes) == {"typeOrganismeAccompagnateur", "codeInseeCommune", "typeParcours"}
    assert attributes["codeInseeCommune"] == "62193"  # the persona's commune (Calais)
    assert response.json()["hasMore"] is False and "cursor" not in response.json()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"codeFamille": "GLI100", "codeDomaine": "GLI"},
        {"codeActivite": "ACT366", "codeFamille": "GLI100"},
    ],
)
def test_not_exactly_one_code_is_the_published_400(
    client: TestClient, headers: dict[str, str], query: dict[str, str]
) -> None:
    response = search(client, headers, **query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "PARAM_INCOHERENT"
    assert body["message"] == "Il faut renseigner exactement un paramètre."
    assert body.get("details", {}) == query


@pytest.mark.parametrize(
    "query",
    [
        {"codeActivite": "act366"},
        {"codeDomaine": "GL"},
        {"codeFamille": "GLI-100"},
        {"codeFamille": "GLI100", "numeroFranceTravail": "12 34"},
        {"codeFamille": "GLI100", "cursor": "pas-un-curseur"},
        {"codeFamille": "X" * 21},
    ],
)
def test_a_malformed_parameter_is_a_400_naming_it(
    client: TestClient, headers: dict[str, str], query: dict[str, str]
) -> None:
    response = search(client, headers, **query)
    assert response.status_code == 400
    assert response.json()["code"] == "PARAM_INCOHERENT"


def test_an_unknown_code_or_usager_answers_204(client: TestClient, headers: dict[str, str]) -> None:
    assert search(client, headers, codeActivite="ACT999").status_code == 204
    assert (
        search(client, headers, codeFamille="GLI100", numeroFranceTravail="99999999999").status_code
        == 204
    )


def test_a_domain_with_more_than_1000_activities_pages_with_the_cursor(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = search(client, headers, codeDomaine="ACC").json()
    assert first["size"] == 1000 and first["hasMore"] is True
    second = search(client, headers, codeDomaine="ACC", cursor=first["cursor"]).json()
    assert 0 < second["size"] <= 1000
    ids = [a["identifiantActivite"] for a in first["activites"] + second["activites"]]
    assert len(ids) == len(set(ids))
    assert first["activites"][-1]["dateEcheance"] <= second["activites"][0]["dateEcheance"]


def test_a_person_of_another_departement_is_not_in_the_structure(
    client: TestClient, headers: dict[str, str]
) -> None:
    # Persona r002-autre-departement lives in the Nord: not in the Pas-de-Calais structure.
    for family in ("GLI100", "INSEA", "MSACC", "ACC100"):
        response = search(client, headers, codeFamille=family, numeroFranceTravail="90000000606")
        assert response.status_code == 204
    listed = search(client, headers, codeDomaine="ACC").json()["activites"]
    assert "90000000606" not in {a["usager"]["identifiant"] for a in listed}


def test_the_referentiel_holds_every_published_code(
    client: TestClient, headers: dict[str, str]
) -> None:
    domaines = client.get(f"{V2}/referentiel-activites", headers=headers).json()
    codes = {a["code"] for d in domaines for f in d["familles"] for a in f["activites"]}
    assert PUBLISHED_CODES | {"ACT414"} == codes  # ACT414 is described, not in the enum
    familles = {f["code"] for d in domaines for f in d["familles"]}
    assert {"GLI100", "INSEA", "MSACC", "ACC100"} == familles
    activite = client.get(f"{V2}/referentiel-activites/activites/ACT366", headers=headers).json()
    assert activite["libelle"] == "Proposition suspension RSA à instruire"
    assert activite["codeFamille"] == "GLI100"
    famille = client.get(f"{V2}/referentiel-activites/familles/INSEA", headers=headers).json()
    assert "activites" not in famille
    detail = client.get(f"{V2}/referentiel-activites/familles/INSEA/detail", headers=headers).json()
    assert [a["code"] for a in detail["activites"]] == ["ACT382", "ACT414"]
    domaine = client.get(f"{V2}/referentiel-activites/domaines/GLI", headers=headers).json()
    assert set(domaine) == {"code", "libelle"}
    detail = client.get(f"{V2}/referentiel-activites/domaines/GLI/detail", headers=headers).json()
    assert detail["familles"][0]["code"] == "GLI100"
    for path in ("activites/ACT999", "familles/ZZZ999", "domaines/ZZZ"):
        assert client.get(f"{V2}/referentiel-activites/{path}", headers=headers).status_code == 204
    bad = client.get(f"{V2}/referentiel-activites/domaines/gli", headers=headers)
    assert bad.status_code == 400 and bad.json()["details"] == {"codeDomaine": "gli"}


def test_activities_follow_the_orientation(runtime: Runtime) -> None:
    population = runtime.population
    for index in range(300):
        person = population.generated(index)
        if not person.rsa.beneficiary:
            continue
        codes = set(activity_codes(population.seed, person))
        assert codes <= PUBLISHED_CODES
        if person.rsa.orientation is not Orientation.PRO:
            # Sanctions are proposed for beneficiaries accompanied by France Travail only.
            assert not codes & SANCTIONS
        activities = activities_of(population.seed, person, NOW.date())
        assert activities == activities_of(population.seed, person, NOW.date())
        for activity in activities:
            assert {name for name, _ in activity.attributs} <= PUBLISHED_ATTRIBUTES
            assert activity.numero_france_travail == person.numero_france_travail
