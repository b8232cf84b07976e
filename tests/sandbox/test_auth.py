"""OAuth2 client credentials, token lifetime, realms and scopes at the gateway."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, DEFAULT_CLIENT, NORD_CLIENT, request_token

TOKEN_URL = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}


def _form(**overrides: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": DEFAULT_CLIENT[0],
        "client_secret": DEFAULT_CLIENT[1],
        "scope": AGENT_SCOPES,
        **overrides,
    }


def test_a_token_has_the_platform_shape_and_headers(client: TestClient) -> None:
    response = client.post(TOKEN_URL, params={"realm": "/agent"}, data=_form())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 1499, AGENT_SCOPES)
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    assert response.headers["content-type"].startswith("application/json")


def test_the_application_scope_is_accepted_and_echoed(client: TestClient) -> None:
    scope = f"application_{DEFAULT_CLIENT[0]} api_rechercher-usagerv2"
    response = client.post(TOKEN_URL, params={"realm": "/agent"}, data=_form(scope=scope))
    assert response.json()["scope"] == scope


@pytest.mark.parametrize(
    ("params", "form", "error", "description"),
    [
        (
            {"realm": "/agent"},
            {"client_secret": "wrong"},
            "invalid_client",
            "Client authentication failed",
        ),
        (
            {"realm": "/agent"},
            {"client_id": "PAR_inconnu"},
            "invalid_client",
            "Client authentication failed",
        ),
        ({}, {}, "invalid_client", "Client authentication failed"),
        (
            {"realm": "/agent"},
            {"scope": "api_inconnuev1"},
            "invalid_scope",
            "Unknown/invalid scope(s): [api_inconnuev1]",
        ),
        (
            {"realm": "/partenaire"},
            {"scope": "api_rechercher-usagerv2"},
            "invalid_scope",
            "Unknown/invalid scope(s): [api_rechercher-usagerv2]",
        ),
        (
            {"realm": "/agent"},
            {"scope": "application_PAR_autre"},
            "invalid_scope",
            "Unknown/invalid scope(s): [application_PAR_autre]",
        ),
        (
            {"realm": "/agent"},
            {"grant_type": "authorization_code_flow"},
            "unsupported_grant_type",
            "Grant type is not supported: authorization_code_flow",
        ),
    ],
)
def test_refused_token_requests_get_the_platform_error(
    client: TestClient, params: dict[str, str], form: dict[str, str], error: str, description: str
) -> None:
    response = client.post(TOKEN_URL, params=params, data=_form(**form))
    assert response.status_code == 400
    assert response.json() == {"error": error, "error_description": description}
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-sandbox-hint"]


def test_a_realm_in_the_body_is_ignored(client: TestClient) -> None:
    response = client.post(TOKEN_URL, data=_form(realm="/agent"))
    assert response.status_code == 400
    assert "query string" in response.headers["x-sandbox-hint"]


def test_a_client_gets_only_the_scopes_it_subscribed(client: TestClient) -> None:
    response = client.post(
        TOKEN_URL,
        params={"realm": "/agent"},
        data=_form(
            client_id=NORD_CLIENT[0],
            client_secret=NORD_CLIENT[1],
            scope="api_rechercher-usagerv2 api_contrat-usagerv2 statutcontratusager",
        ),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_token_expires_after_1499_seconds(client: TestClient, clock: FrozenClock) -> None:
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    clock.advance(dt.timedelta(seconds=1498))
    assert client.post(RECHERCHE_V2, json=PERSONA, headers=headers).status_code == 200
    clock.advance(dt.timedelta(seconds=1))
    response = client.post(RECHERCHE_V2, json=PERSONA, headers=headers)
    assert response.status_code == 401
    assert response.content == b""
    assert "expired" in response.headers["x-sandbox-hint"]
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer " + "A" * 200],
)
def test_missing_or_invalid_tokens_get_401(client: TestClient, authorization: str) -> None:
    headers = {"Authorization": authorization, **AGENT_HEADERS} if authorization else AGENT_HEADERS
    response = client.post(RECHERCHE_V2, json=PERSONA, headers=headers)
    assert response.status_code == 401
    assert response.content == b""


def test_a_token_works_only_in_its_realm(client: TestClient) -> None:
    agent = request_token(client)
    response = client.post(RECHERCHE_V1, json=PERSONA, headers={"Authorization": f"Bearer {agent}"})
    assert response.status_code == 401
    assert "realm /agent" in response.headers["x-sandbox-hint"]


def test_a_token_without_the_api_scopes_gets_403(client: TestClient) -> None:
    token = request_token(client, scope="api_contrat-usagerv2 statutcontratusager profil_accedant")
    response = client.post(
        RECHERCHE_V2, json=PERSONA, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    )
    assert response.status_code == 403
    assert 'scope="api_rechercher-usagerv2 rechercheusager"' in response.headers["www-authenticate"]


def test_a_token_signed_by_another_instance_is_refused(client: TestClient, app: object) -> None:
    from sandbox.auth.scopes import Realm
    from sandbox.auth.tokens import TokenService

    foreign = TokenService(b"another-key").issue(
        DEFAULT_CLIENT[0],
        Realm.AGENT,
        AGENT_SCOPES.split(),
        dt.datetime(2026, 11, 28, tzinfo=dt.UTC).timestamp(),
    )
    response = client.post(
        RECHERCHE_V2, json=PERSONA, headers={"Authorization": f"Bearer {foreign}", **AGENT_HEADERS}
    )
    assert response.status_code == 401


@pytest.mark.parametrize("realm", ["/agent", "/partenaire"])
def test_a_token_can_carry_every_scope_of_a_realm(client: TestClient, realm: str) -> None:
    from sandbox.auth.scopes import Realm, scopes_of_realm

    scope = " ".join(sorted(scopes_of_realm(Realm(realm))))
    token = request_token(client, realm, scope)
    assert len(token) > 100
