"""The gateway opens an API only to a token carrying every one of its scopes, in its realm.

The scope sets are literals from the reference (francetravail-partner-apis.md §7.1, "Scope
catalogue", and §6.4 for Données RQTH), plus `api_statut-usagerv1`, the sandbox's reconstruction
named in contracts/README.md.
The routes come from the app's own OpenAPI document, so a new route cannot escape the check.
For each route: with the whole set the gateway lets the call through (the API answers, with a
body); with any one scope removed, the gateway answers 403 with an empty body (README: "missing
scopes with 403").
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, NOW, request_token

# path prefix → (realm, scopes), from the reference's §7.1.
EXPECTED = {
    "/partenaire/rechercher-usager/v2/": (
        "/agent",
        ("api_rechercher-usagerv2", "rechercheusager", "profil_accedant"),
    ),
    "/partenaire/rechercher-usager/v1/": ("/partenaire", ("api_rechercher-usagerv1",)),
    "/partenaire/contrat-usager/v2/": (
        "/agent",
        ("api_contrat-usagerv2", "statutcontratusager", "profil_accedant"),
    ),
    "/partenaire/statut-usager/v1/": ("/partenaire", ("api_statut-usagerv1",)),
    "/partenaire/diagnosticargumente/v4/": (
        "/agent",
        ("api_diagnosticargumentev4", "diagnosticusageragent"),
    ),
    "/partenaire/diagnosticargumente/v1/": ("/partenaire", ("api_diagnosticargumentev1",)),
    "/partenaire/metiers-projets-entreprises/v2/": (
        "/agent",
        ("api_metiers-projets-entreprisesv2", "ciblepro", "profil_accedant"),
    ),
    "/partenaire/metiers-profil-competences/v1/": (
        "/partenaire",
        ("api_metiers-profil-competencesv1", "ciblepro"),
    ),
    "/partenaire/projet-creation-entreprise/v1/": (
        "/partenaire",
        ("api_projet-creation-entreprisev1",),
    ),
    "/partenaire/informations-administratives/v1/": (
        "/agent",
        (
            "api_informations-administrativesv1",
            "informationsadministrativesusager",
            "profil_accedant",
        ),
    ),
    "/partenaire/rendez-vous-partenaire/v1/": (
        "/agent",
        ("api_rendez-vous-partenairev1", "gererRDV", "profil_accedant"),
    ),
    # conclusions-entretiens.json, info.description: « Scope » and « Royaume ».
    "/partenaire/conclusions-entretiens/v1/": (
        "/agent",
        ("api_conclusions-entretiensv1", "conclusionsentretienagent"),
    ),
    "/partenaire/orientationusager/v1/": (
        "/agent",
        ("api_orientationusagerv1", "orientationusager"),
    ),
    "/partenaire/orientationusager/v2/": (
        "/agent",
        ("api_orientationusagerv2", "decisionorientationusager", "lireorientationusager"),
    ),
    "/partenaire/donnees-rqth/v1/": ("/agent", ("api_donnees-rqthv1", "h2a")),
    # The 2024 push: scope and realm from the reference §6.2 and §7.1; path reconstructed.
    "/partenaire/rendezvous-partenaires/v1/": ("/partenaire", ("api_rendezvous-partenairesv1",)),
    "/partenaire/contrat-engagement/v1/": (
        "/agent",
        ("api_contrat-engagementv1", "contratengagementpart", "profil_accedant"),
    ),
    "/partenaire/activites-operationnelles/v2/": (
        "/agent",
        ("api_activites-operationnellesv2", "activitesCD", "referentielCD", "profil_accedant"),
    ),
    "/partenaire/gestion-sanctions-rsa/v1/": (
        "/agent",
        (
            "api_gestion-sanctions-rsav1",
            "gestiondesmanquements",
            "profil_accedant",
            "decisionSanctionPartenaire",
            "demandeRadiation",
        ),
    ),
}
# Operations whose published security names their own scopes (a subset of their API's): a
# token without one of the others still opens them. From orientation-usager-v2.json, security
# of each operation (the bac-à-sable scopes aside: that server is not served).
OPERATION_SCOPES = {
    ("GET", "/partenaire/orientationusager/v2/lectureOrientation"): (
        "api_orientationusagerv2",
        "lireorientationusager",
    ),
    **{
        (method, f"/partenaire/orientationusager/v2/{name}"): (
            "api_orientationusagerv2",
            "decisionorientationusager",
        )
        for method, name in (
            ("POST", "calculerOrientation"),
            ("POST", "orientation"),
            ("PUT", "modificationOrientation"),
            ("POST", "decisionOrientation"),
        )
    },
}


def _partner_routes() -> list[tuple[str, str]]:
    # A throw-away data directory: never the user's default state file.
    data_dir = Path(tempfile.mkdtemp(prefix="ft-gateway-scopes-"))
    app = create_app(Settings(secret_key="k", data_dir=data_dir), FrozenClock(NOW))
    routes = [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/partenaire/")
        for method in operations
    ]
    assert len(routes) >= 40  # README: 25 Diagnostic v4 operations alone
    return routes


ROUTES = _partner_routes()


def _prefix(path: str) -> str:
    return next(prefix for prefix in EXPECTED if path.startswith(prefix))


def _call(client: TestClient, method: str, path: str, token: str) -> Any:
    concrete = re.sub(r"\{[^}]+\}", "x", path)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    body: dict[str, Any] | None = {} if method in ("POST", "PUT") else None
    return client.request(method, concrete, headers=headers, json=body)


def test_every_partner_route_belongs_to_a_documented_api() -> None:
    assert {_prefix(path) for _, path in ROUTES} == set(EXPECTED)


def test_every_orientation_v2_operation_has_its_published_scopes() -> None:
    v2 = {(m, p) for m, p in ROUTES if p.startswith("/partenaire/orientationusager/v2/")}
    assert v2 == set(OPERATION_SCOPES)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_each_scope_of_an_api_is_required(client: TestClient, prefix: str) -> None:
    realm, scopes = EXPECTED[prefix]
    routes = [(method, path) for method, path in ROUTES if path.startswith(prefix)]
    complete = request_token(client, realm, " ".join(scopes))
    for method, path in routes:
        opened = _call(client, method, path, complete)
        # Past the gateway: the API itself answers (with a body, even when it refuses "x").
        assert opened.content, (method, path, opened.status_code)
    for missing in scopes:
        kept = [scope for scope in scopes if scope != missing]
        # A token must carry a scope: with none of the API's left, one of another API's.
        other = next(
            s for r, group in EXPECTED.values() if r == realm for s in group if s not in scopes
        )
        token = request_token(client, realm, " ".join(kept) or other)
        for method, path in routes:
            if missing not in OPERATION_SCOPES.get((method, path), scopes):
                opened = _call(client, method, path, token)
                assert opened.status_code != 403 or opened.content, (method, path, missing)
                continue
            refused = _call(client, method, path, token)
            assert (refused.status_code, refused.content) == (403, b""), (method, path, missing)
            assert missing in refused.headers["x-sandbox-hint"]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_a_token_of_the_other_realm_gets_401(client: TestClient, prefix: str) -> None:
    """README: "a token of the other realm with 401 and an empty body"."""
    realm, _ = EXPECTED[prefix]
    other_realm = "/partenaire" if realm == "/agent" else "/agent"
    other_scopes = " ".join(
        {s: None for r, group in EXPECTED.values() if r == other_realm for s in group}
    )
    token = request_token(client, other_realm, other_scopes)
    method, path = next((m, p) for m, p in ROUTES if p.startswith(prefix))
    refused = _call(client, method, path, token)
    assert (refused.status_code, refused.content) == (401, b"")
