"""The token endpoint knows France Travail's whole partner catalogue, served by the sandbox or not.

Expected values are literals from the sources, never from the code under test:
- the three scope strings real clients send in one token request (issue 10, "Done when");
- each API's realm and scopes as France Travail's published OpenAPI files state them
  (louije/explo-ftio `schemas/*.json`: `info.description` "Scope / Royaume", `security`,
  `securitySchemes` tokenUrl) and the reference's §6.4 for Données RQTH;
- the new clients of fixtures/clients.yaml, as fixtures/README.md describes them.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, request_token

TOKEN_URL = "/connexion/oauth2/access_token"

DONE_WHEN = [
    f"application_{DEFAULT_CLIENT[0]} api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_donnees-rqthv1 h2a",
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_rendez-vous-partenairev1 gererRDV",
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_orientationusagerv1 "
    "orientationusager",
]

# (published file, realm it states, scopes it states) for catalogued APIs (served or not:
# Informations administratives since issue 10 step 2, Contrat d'engagement since step 7).
PUBLISHED = [
    (
        "informations-administratives-usager.json",
        "/agent",
        "api_informations-administrativesv1 informationsadministrativesusager profil_accedant",
    ),
    ("rendez-vous-partenaires.json", "/agent", "api_rendez-vous-partenairev1 gererRDV"),
    ("orientation-usager.json", "/agent", "api_orientationusagerv1 orientationusager"),
    (
        "orientation-usager-v2.json",
        "/agent",
        "api_orientationusagerv2 decisionorientationusager lireorientationusager",
    ),
    (
        "conclusions-entretiens.json",
        "/agent",
        "api_conclusions-entretiensv1 conclusionsentretienagent",
    ),
    (
        "contrat-engagement.json",
        "/agent",
        "api_contrat-engagementv1 contratengagementpart profil_accedant",
    ),
    (
        "gestion-activites-operationnelles.json",
        "/agent",
        "api_activites-operationnellesv2 activitesCD referentielCD profil_accedant",
    ),
    (
        "gestion-sanctions-rsa.json",
        "/agent",
        "api_gestion-sanctions-rsav1 gestiondesmanquements profil_accedant "
        "decisionSanctionPartenaire demandeRadiation",
    ),
    ("reference §6.4 (Données RQTH)", "/agent", "api_donnees-rqthv1 h2a"),
    ("referentiel-agences.json", "/partenaire", "api_referentielagencesv1 organisationpe"),
    ("offres-emploi.json", "/partenaire", "api_offresdemploiv2 o2dsoffre"),
    ("rome-4-0-metiers.json", "/partenaire", "api_rome-metiersv1 nomenclatureRome"),
    ("romeo.json", "/partenaire", "api_romeov2"),
    ("la-bonne-boite.json", "/partenaire", "api_labonneboitev2 search office"),
]
OTHER_REALM = {"/agent": "/partenaire", "/partenaire": "/agent"}


def _token_request(
    client: TestClient, realm: str, scope: str, credentials: tuple[str, str] = DEFAULT_CLIENT
) -> dict[str, str]:
    response = client.post(
        TOKEN_URL,
        params={"realm": realm},
        data={
            "grant_type": "client_credentials",
            "client_id": credentials[0],
            "client_secret": credentials[1],
            "scope": scope,
        },
    )
    body: dict[str, str] = response.json()
    return body


@pytest.mark.parametrize("scope", DONE_WHEN)
def test_real_clients_scope_strings_are_granted_as_they_are(client: TestClient, scope: str) -> None:
    body = _token_request(client, "/agent", scope)
    assert body["scope"] == scope
    assert body["token_type"] == "Bearer"


@pytest.mark.parametrize(("source", "realm", "scope"), PUBLISHED)
def test_each_catalogued_api_is_granted_in_its_published_realm_only(
    client: TestClient, source: str, realm: str, scope: str
) -> None:
    assert _token_request(client, realm, scope)["scope"] == scope, source
    # Scopes shared with an API of the other realm (profil_accedant, ciblepro...) are not used
    # here: the first one of each list is the API's own.
    own = scope.split()[0]
    refused = _token_request(client, OTHER_REALM[realm], own)
    assert refused == {
        "error": "invalid_scope",
        "error_description": f"Unknown/invalid scope(s): [{own}]",
    }, source


def test_an_unknown_scope_is_still_refused_alone(client: TestClient) -> None:
    body = _token_request(client, "/agent", "api_donnees-rqthv1 h2a api_inconnuev1")
    assert body == {
        "error": "invalid_scope",
        "error_description": "Unknown/invalid scope(s): [api_inconnuev1]",
    }


def test_a_scope_of_the_other_realm_is_refused_in_this_one(client: TestClient) -> None:
    # Référentiel des agences is realm /partenaire (its file's tokenUrl); RQTH is realm /agent.
    body = _token_request(client, "/partenaire", "api_referentielagencesv1 organisationpe h2a")
    assert body == {
        "error": "invalid_scope",
        "error_description": "Unknown/invalid scope(s): [h2a]",
    }


@pytest.mark.parametrize(
    ("method", "path", "hint"),
    [
        (
            # An API of realm /partenaire: the hint does not depend on the token's realm.
            "GET",
            "/partenaire/referentielagences/v1/agences",
            "Referentiel des agences v1 (api_referentielagencesv1) is in France Travail's "
            "catalogue but not simulated by this sandbox.",
        ),
        (
            # The "Bac à sable" server of orientation-usager-v2.json: never served.
            "POST",
            "/partenaire/testorientationusager/v2/orientation",
            "Orientation usager (bac a sable) v2 (api_testorientationusagerv2) is in France "
            "Travail's catalogue but not simulated by this sandbox.",
        ),
    ],
)
def test_a_route_of_an_api_not_simulated_answers_the_unknown_resource_body_naming_it(
    app: FastAPI, client: TestClient, method: str, path: str, hint: str
) -> None:
    token = request_token(client, scope=DONE_WHEN[2])
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    response = client.request(method, path, headers=headers, json={} if method == "POST" else None)
    assert response.status_code == 404
    assert response.json() == {
        "codeErreur": "ERR_RESSOURCE_INCONNUE",
        "codeHttp": 404,
        "message": "Not Found",
    }
    # Header values are ASCII: the platform's "Données" is folded to "Donnees".
    assert response.headers["x-sandbox-hint"] == hint
    runtime: Runtime = app.state.runtime
    last = runtime.journal.entries(DEFAULT_CLIENT[0], 1)[-1]
    assert (last.api, last.method, last.path, last.status) == (None, method, path, 404)


CONVENTION = ("PAR_ftsandbox_cd62_convention", "ftsandbox-secret-cd62-convention")
RDV = ("PAR_ftsandbox_cd62_rdv", "ftsandbox-secret-cd62-rdv")
RSA = ("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")


@pytest.mark.parametrize(
    ("credentials", "realm", "granted", "refused"),
    [
        (
            CONVENTION,
            "/agent",
            "api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-usagerv2 "
            "statutcontratusager api_diagnosticargumentev4 diagnosticusageragent "
            "api_metiers-projets-entreprisesv2 ciblepro",
            "api_rendez-vous-partenairev1",
        ),
        (
            CONVENTION,
            "/partenaire",
            "api_rechercher-usagerv1 api_statut-usagerv1 api_diagnosticargumentev1 "
            "api_metiers-profil-competencesv1 ciblepro api_projet-creation-entreprisev1",
            "api_referentielagencesv1",
        ),
        (RDV, "/agent", DONE_WHEN[1], "api_orientationusagerv1"),
        (RSA, "/agent", DONE_WHEN[2], "api_rendez-vous-partenairev1"),
        (
            RSA,
            "/agent",
            "api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-usagerv2 "
            "statutcontratusager api_diagnosticargumentev4 diagnosticusageragent "
            "api_informations-administrativesv1 informationsadministrativesusager "
            "api_donnees-rqthv1 h2a api_orientationusagerv2 decisionorientationusager "
            "lireorientationusager",
            "api_metiers-projets-entreprisesv2",
        ),
    ],
)
def test_the_subscription_clients_get_exactly_their_apis(
    client: TestClient, credentials: tuple[str, str], realm: str, granted: str, refused: str
) -> None:
    assert _token_request(client, realm, granted, credentials)["scope"] == granted
    body = _token_request(client, realm, f"{granted.split()[0]} {refused}", credentials)
    assert body == {
        "error": "invalid_scope",
        "error_description": f"Unknown/invalid scope(s): [{refused}]",
    }


_ENTRY = """
  - id: {id}
    nom: Une API
    version: v1
    realm: /agent
    scopes: [{scopes}]
    prefix: {prefix}
    source: test
    served: {served}
"""


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ([("a", "api_av1, api_bv1", "/partenaire/a/v1/", "false")], "exactly one scope"),
        ([("a", "av1", "/partenaire/a/v1/", "false")], "exactly one scope"),
        ([("a", "api_av1, api_av1", "/partenaire/a/v1/", "false")], "listed twice"),
        ([("a", "api_av1", "null", "true")], "needs its path prefix"),
        ([("a", "api_av1", "/partenaire/a/", "false")], "prefix"),
        (
            [
                ("a", "api_av1", "/partenaire/a/v1/", "false"),
                ("b", "api_bv1", "/partenaire/a/v1/", "false"),
            ],
            "appears once",
        ),
    ],
)
def test_a_malformed_catalogue_is_refused_with_its_problem(
    entries: list[tuple[str, str, str, str]], problem: str
) -> None:
    text = "version: 1\napis:" + "".join(
        _ENTRY.format(id=i, scopes=s, prefix=p, served=v) for i, s, p, v in entries
    )
    from sandbox.auth.scope_catalogue import parse_catalogue  # the module under test

    with pytest.raises(ValueError, match=problem):
        parse_catalogue(text)
