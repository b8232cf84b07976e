"""Métiers recherchés and projets CREF: exact wire spelling, 204, v1 = v2, scopes and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.apis.metiers_projets.schemas import MetierRecherche
from sandbox.careers import baseline
from sandbox.clock import FrozenClock
from sandbox.population.referentials import communes_by_code
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, NOW, PARTENAIRE_SCOPES, request_token

METIERS_V2 = "/partenaire/metiers-projets-entreprises/v2/metiers-recherches"
PROJETS_V2 = "/partenaire/metiers-projets-entreprises/v2/projets-cref"
METIERS_V1 = "/partenaire/metiers-profil-competences/v1/metiers-recherches"
PROJETS_V1 = "/partenaire/projet-creation-entreprise/v1/projets-cref"
NOW_MS = int(NOW.timestamp() * 1000)
V2_SCOPES = f"{AGENT_SCOPES} api_metiers-projets-entreprisesv2 ciblepro"
V1_SCOPES = (
    f"{PARTENAIRE_SCOPES} api_metiers-profil-competencesv1 ciblepro "
    "api_projet-creation-entreprisev1"
)
# Personas, searched by NIR and birth date; their profiles come from their key (see README).
# statut-population-non-geree (the persona the default seed gives a CREF project)
WITH_PROJECTS = {"nir": "177096204192261", "dateNaissance": "1977-09-09"}
WITHOUT_ANY = {"nir": "290036204190175", "dateNaissance": "1990-03-14"}  # s001-certifiee
SOCIO_PRO = {"nir": "279126210891493", "dateNaissance": "1979-12-01"}  # categorie-5-socio-pro

METIER_KEYS = {
    "identifiant",
    "appellation",
    "rome",
    "typologieEmploi",
    "contrats",
    "dureesHebdomadaires",
    "dureeExperience",
    "mobilites",
    "mobiliteHabitation",
    "salaire",
    "mrs",
    "passeportEmploi",
    "dateValidationPasseportEmploi",
}
PROJET_KEYS = {
    "identifiant",
    "appellation",
    "rome",
    "typeCrefCreation",
    "typeCrefReprise",
    "typeCrefFranchise",
    "mobilites",
    "mobiliteHabitation",
}


@pytest.fixture
def v2_headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client, scope=V2_SCOPES)}", **AGENT_HEADERS}


@pytest.fixture
def v1_headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client, '/partenaire', V1_SCOPES)}"}


def _jeton(client: TestClient, headers: dict[str, str], who: dict[str, str]) -> str:
    response = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json=who,
        headers=headers,
    )
    jeton: str = response.json()["jetonUsager"]
    return jeton


def _identifiant(client: TestClient, headers: dict[str, str], who: dict[str, str]) -> str:
    response = client.post(
        "/partenaire/rechercher-usager/v1/usagers/recherche", json=who, headers=headers
    )
    identifiant: str = response.json()["identifiant"]
    return identifiant


def _assert_mobilite(mobilite: dict[str, Any]) -> None:
    assert set(mobilite) == {"lieu", "mobilitePrioritaire", "rayon", "unite"}
    assert set(mobilite["lieu"]) == {"code", "Libelle", "type"}
    assert mobilite["lieu"]["type"] == {"code": "5", "libelle": "Commune"}
    assert communes_by_code()[mobilite["lieu"]["code"]].nom == mobilite["lieu"]["Libelle"]
    assert set(mobilite["unite"]) == {"code", "libelle"}


# Keys a métier may leave out (absent, never null): nothing declared, or not yet deployed.
OPTIONAL_METIER_KEYS = {
    "dureeExperience",
    "mobiliteHabitation",
    "salaire",
    "passeportEmploi",
    "dateValidationPasseportEmploi",
}


def _assert_metiers(body: list[dict[str, Any]]) -> None:
    for metier in body:
        assert METIER_KEYS - OPTIONAL_METIER_KEYS <= set(metier) <= METIER_KEYS
        assert set(metier["rome"]) == {"code", "libellé"}
        assert set(metier["appellation"]) == {"code", "libelle"}
        assert set(metier["typologieEmploi"]) == {"code", "libelle"}
        for contrat in metier["contrats"]:
            assert set(contrat) == {"critereOre", "priorite", "type"}
            assert set(contrat["type"]) == {"code", "libelle", "libelleLong"}
        for duree in metier["dureesHebdomadaires"]:
            assert set(duree) == {"critereOre", "tempsTravail"}
            assert set(duree["tempsTravail"]) == {"code", "libelle", "min", "max"}
        if "dureeExperience" in metier:
            assert set(metier["dureeExperience"]) == {"valeur", "unite"}
        if "mobiliteHabitation" in metier:
            assert set(metier["mobiliteHabitation"]) == {"valeur", "unite", "mobilitePrioritaire"}
        for mobilite in metier["mobilites"]:
            _assert_mobilite(mobilite)
        # "Donnée non renseignée aujourd'hui, en cours de déploiement" (published): left out.
        assert not {"passeportEmploi", "dateValidationPasseportEmploi"} & set(metier)
        assert None not in (metier.get(key, 0) for key in OPTIONAL_METIER_KEYS)
    assert {m["typologieEmploi"]["code"] for m in body} <= {"MR", "PM", "EF"}


def _assert_projets(body: list[dict[str, Any]]) -> None:
    for projet in body:
        assert PROJET_KEYS - {"mobiliteHabitation"} <= set(projet) <= PROJET_KEYS
        assert set(projet["rome"]) == {"code", "libellé"}
        assert (
            projet["typeCrefCreation"] or projet["typeCrefReprise"] or projet["typeCrefFranchise"]
        )
        for mobilite in projet["mobilites"]:
            _assert_mobilite(mobilite)


def test_v2_answers_the_published_single_object_with_the_platform_spelling(
    client: TestClient, v2_headers: dict[str, str]
) -> None:
    """metiers-recherches-projets-evolution.json: 200 is one `metierRecherche` / `projetCref`."""
    headers = {**v2_headers, "ft-jeton-usager": _jeton(client, v2_headers, WITH_PROJECTS)}
    metier = client.get(METIERS_V2, headers=headers)
    projet = client.get(PROJETS_V2, headers=headers)
    assert (metier.status_code, projet.status_code) == (200, 200)
    assert isinstance(metier.json(), dict) and isinstance(projet.json(), dict)
    _assert_metiers([metier.json()])
    _assert_projets([projet.json()])


def test_the_list_reading_is_an_option_of_the_instance(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="k", metiers_shape="liste")
    with TestClient(create_app(settings, FrozenClock(NOW))) as client:
        headers = {"Authorization": f"Bearer {request_token(client, scope=V2_SCOPES)}"}
        headers = {**headers, **AGENT_HEADERS}
        # fixtures/README.md: 3 métiers recherchés for categorie-5-socio-pro, 1 projet CREF for
        # statut-population-non-geree.
        metiers = client.get(
            METIERS_V2, headers={**headers, "ft-jeton-usager": _jeton(client, headers, SOCIO_PRO)}
        ).json()
        headers["ft-jeton-usager"] = _jeton(client, headers, WITH_PROJECTS)
        projets = client.get(PROJETS_V2, headers=headers).json()
        documented = client.get("/openapi.json").json()["paths"][METIERS_V2]["get"]
    assert isinstance(metiers, list) and len(metiers) == 3
    assert isinstance(projets, list) and projets
    _assert_metiers(metiers)
    _assert_projets(projets)
    assert documented["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
        "array"
    )


def test_a_person_with_an_empty_profile_gets_204_without_body_everywhere(
    client: TestClient, v2_headers: dict[str, str], v1_headers: dict[str, str]
) -> None:
    jeton = _jeton(client, v2_headers, WITHOUT_ANY)
    identifiant = _identifiant(client, v1_headers, WITHOUT_ANY)
    for path in (METIERS_V2, PROJETS_V2):
        response = client.get(path, headers={**v2_headers, "ft-jeton-usager": jeton})
        assert (response.status_code, response.content) == (204, b"")
    for path in (METIERS_V1, PROJETS_V1):
        response = client.get(path, headers={**v1_headers, "id-national": identifiant})
        assert (response.status_code, response.content) == (204, b"")


def test_v1_serves_the_v2_data_under_the_convention_roots(
    client: TestClient, v2_headers: dict[str, str], v1_headers: dict[str, str]
) -> None:
    jeton_headers = {**v2_headers, "ft-jeton-usager": _jeton(client, v2_headers, WITH_PROJECTS)}
    v1 = {**v1_headers, "id-national": _identifiant(client, v1_headers, WITH_PROJECTS)}
    metiers = client.get(METIERS_V1, headers=v1)
    projets = client.get(PROJETS_V1, headers=v1)
    assert (metiers.status_code, projets.status_code) == (200, 200)
    # v2 answers the first entry of the same list (the published single object).
    assert (
        metiers.json()["metierRecherche"][0] == client.get(METIERS_V2, headers=jeton_headers).json()
    )
    assert projets.json()["projetCref"][0] == client.get(PROJETS_V2, headers=jeton_headers).json()


def test_routes_serve_the_generated_baseline(
    client: TestClient, runtime: Runtime, v2_headers: dict[str, str]
) -> None:
    person = next(
        p
        for p in map(runtime.population.generated, range(200))
        if p.rsa.beneficiary
        and p.attachment_departement == "62"
        and baseline(runtime.settings.seed, p).jobs
    )
    jeton = runtime.references.issue_jeton(person.key, "PAR_ftsandbox_cd62", NOW_MS)
    response = client.get(METIERS_V2, headers={**v2_headers, "ft-jeton-usager": jeton})
    first = baseline(runtime.settings.seed, person).jobs[0]
    assert response.json() == MetierRecherche.of(first).model_dump(mode="json", by_alias=True)
    home = person.address
    assert home is not None
    assert all(
        communes_by_code()[m["lieu"]["code"]].departement == home.departement
        for m in response.json()["mobilites"]
    )


def test_a_person_outside_the_rsa_perimeter_is_refused(
    client: TestClient, runtime: Runtime, v2_headers: dict[str, str], v1_headers: dict[str, str]
) -> None:
    jeton = runtime.references.issue_jeton("p-r001-hors-perimetre", "PAR_ftsandbox_cd62", NOW_MS)
    identifiant = runtime.references.identifiant("p-r001-hors-perimetre")
    responses = [
        client.get(path, headers={**v2_headers, "ft-jeton-usager": jeton})
        for path in (METIERS_V2, PROJETS_V2)
    ] + [
        client.get(path, headers={**v1_headers, "id-national": identifiant})
        for path in (METIERS_V1, PROJETS_V1)
    ]
    for response in responses:
        assert response.status_code == 403
        assert response.json()["codeErreur"] == "ERR_USAGER_HORS_PERIMETRE"


@pytest.mark.parametrize("path", [METIERS_V2, PROJETS_V2])
@pytest.mark.parametrize(
    ("jeton", "status", "code"),
    [
        (None, 400, "ERR_JETON_USAGER_ABSENT"),
        ("pas-un-jeton", 401, "ERR_JETON_USAGER_INVALIDE"),
    ],
)
def test_v2_refuses_a_missing_or_bad_jeton(
    client: TestClient,
    v2_headers: dict[str, str],
    path: str,
    jeton: str | None,
    status: int,
    code: str,
) -> None:
    headers = v2_headers if jeton is None else {**v2_headers, "ft-jeton-usager": jeton}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.json() == {
        "codeErreur": code,
        "codeHttp": status,
        "message": response.json()["message"],
    }


@pytest.mark.parametrize("path", [METIERS_V1, PROJETS_V1])
def test_v1_refuses_a_missing_or_forged_identifiant(
    client: TestClient, v1_headers: dict[str, str], path: str
) -> None:
    missing = client.get(path, headers=v1_headers)
    assert (missing.status_code, missing.json()["codeErreur"]) == (400, "ERR_IDENTIFIANT_ABSENT")
    identifiant = _identifiant(client, v1_headers, WITH_PROJECTS)
    in_query = client.get(path, params={"id-national": identifiant}, headers=v1_headers)
    assert in_query.status_code == 400
    forged = identifiant[:-3] + ("AAA" if not identifiant.endswith("AAA") else "BBB")
    response = client.get(path, headers={**v1_headers, "id-national": forged})
    assert (response.status_code, response.json()["codeErreur"]) == (
        401,
        "ERR_IDENTIFIANT_INVALIDE",
    )


@pytest.mark.parametrize(
    ("realm", "scope", "path"),
    [
        ("/agent", "api_metiers-projets-entreprisesv2 profil_accedant", METIERS_V2),
        ("/agent", "api_metiers-projets-entreprisesv2 profil_accedant", PROJETS_V2),
        ("/partenaire", "api_metiers-profil-competencesv1", METIERS_V1),
        ("/partenaire", "api_metiers-profil-competencesv1 ciblepro", PROJETS_V1),
    ],
)
def test_the_gateway_requires_every_scope(
    client: TestClient, realm: str, scope: str, path: str
) -> None:
    headers = {"Authorization": f"Bearer {request_token(client, realm, scope)}", **AGENT_HEADERS}
    response = client.get(path, headers={**headers, "ft-jeton-usager": "x", "id-national": "x"})
    assert (response.status_code, response.content) == (403, b"")
    assert "insufficient_scope" in response.headers["www-authenticate"]


def test_v2_needs_agent_headers_and_v1_an_agent_free_partenaire_token(
    client: TestClient, v2_headers: dict[str, str], v1_headers: dict[str, str]
) -> None:
    bare = {"Authorization": v2_headers["Authorization"]}
    assert client.get(METIERS_V2, headers=bare, follow_redirects=False).status_code == 302
    assert client.get(METIERS_V1, headers=v2_headers).status_code == 401
    assert client.get(METIERS_V2, headers={**v1_headers, **AGENT_HEADERS}).status_code == 401
