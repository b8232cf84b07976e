"""Every refusal's ``X-Sandbox-Hint`` says exactly what to change (README: "what to fix").

One row per refusal a client meets, with the exact hint expected: a hint the log scrubber
mangled (``Authorization: [masqué]``), that names the wrong header, or that says "no such route"
for a wrong method fails here.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx2
import pytest
from fastapi.testclient import TestClient

from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, NORD_CLIENT, request_token

TOKEN = "/connexion/oauth2/access_token"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
CONTRAT = "/partenaire/contrat-usager/v2/contrat"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
DIAGNOSTIC_V1 = "/partenaire/diagnosticargumente/v1/individus"
METIERS_V1 = "/partenaire/metiers-profil-competences/v1/metiers-recherches"
S001 = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
V1_SCOPES = "api_rechercher-usagerv1 api_statut-usagerv1 api_diagnosticargumentev1"
FORM = {"grant_type": "client_credentials", "client_id": "PAR_ftsandbox_cd62"}
SECRET = "ftsandbox-secret-cd62"


@dataclass(frozen=True)
class Ctx:
    """What a row needs to build its request."""

    client: TestClient
    runtime: Runtime
    clock: FrozenClock

    def agent(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {request_token(self.client)}", **AGENT_HEADERS}

    def partenaire(self, scope: str = V1_SCOPES) -> dict[str, str]:
        return {"Authorization": f"Bearer {request_token(self.client, '/partenaire', scope)}"}

    def jeton(self, person: str = "p-s001-certifiee", client_id: str = FORM["client_id"]) -> str:
        now_ms = int(self.runtime.clock.timestamp() * 1000)
        return self.runtime.references.issue_jeton(person, client_id, now_ms)

    def contrat(self, jeton: str) -> httpx2.Response:
        return self.client.get(CONTRAT, headers={**self.agent(), "ft-jeton-usager": jeton})


def _token(form: dict[str, str], realm: str | None = "/agent") -> Callable[[Ctx], httpx2.Response]:
    params = {"realm": realm} if realm else {}
    return lambda c: c.client.post(TOKEN, params=params, data=form)


def _expired_jeton(c: Ctx) -> httpx2.Response:
    jeton = c.jeton()
    c.clock.advance(dt.timedelta(days=1))
    return c.contrat(jeton)


def _altered_jeton(c: Ctx) -> httpx2.Response:
    envelope = json.loads(base64.b64decode(c.jeton()))
    envelope["vers"] = "0.2"
    return c.contrat(base64.b64encode(json.dumps(envelope).encode()).decode())


def _identifiant_path(c: Ctx, value: str) -> httpx2.Response:
    return c.client.get(f"{DIAGNOSTIC_V1}/{value}", headers=c.partenaire())


ROWS: dict[str, tuple[Callable[[Ctx], httpx2.Response], int, str]] = {
    "token: no grant_type": (
        _token({"client_id": "x"}),
        400,
        "Send grant_type=client_credentials in the form body.",
    ),
    "token: wrong secret": (
        _token({**FORM, "client_secret": "wrong", "scope": "rechercheusager"}),
        400,
        "Unknown client_id or wrong client_secret (see fixtures/clients.yaml).",
    ),
    "token: no realm": (
        _token({**FORM, "client_secret": SECRET, "scope": "rechercheusager"}, realm=None),
        400,
        "Pass the realm in the query string: ?realm=/agent or ?realm=/partenaire (a realm in "
        "the form body is ignored by the platform).",
    ),
    "token: no scope": (
        _token({**FORM, "client_secret": SECRET}),
        400,
        "Send at least one scope (space-separated) in the form body.",
    ),
    "token: unknown scope": (
        _token({**FORM, "client_secret": SECRET, "scope": "rechercheusager api_inconnuev9"}),
        400,
        "Scopes not available to this client in realm /agent: api_inconnuev9. Remove them from "
        "scope, or use a client subscribed to them (fixtures/clients.yaml).",
    ),
    "gateway: no token": (
        lambda c: c.client.post(RECHERCHE_V2, json=S001, headers=AGENT_HEADERS),
        401,
        "Send 'Authorization: Bearer <access_token>' (POST /connexion/oauth2/access_token?realm="
        "... first).",
    ),
    "gateway: a token not ours": (
        lambda c: c.client.post(
            RECHERCHE_V2, json=S001, headers={**AGENT_HEADERS, "Authorization": "Bearer abc"}
        ),
        401,
        "The access token was not issued by this sandbox, or was altered: request one at POST "
        "/connexion/oauth2/access_token?realm=... and send it unchanged.",
    ),
    "gateway: wrong realm": (
        lambda c: c.client.post(
            RECHERCHE_V2, json=S001, headers={**c.partenaire(), **AGENT_HEADERS}
        ),
        401,
        "This token was issued in realm /partenaire; this API needs a token of realm /agent.",
    ),
    "gateway: missing scope": (
        lambda c: c.client.post(
            RECHERCHE_V1, json=S001, headers=c.partenaire("api_statut-usagerv1")
        ),
        403,
        "The token lacks the scope(s) api_rechercher-usagerv1 required by this API: add them to "
        "the scope of the token request.",
    ),
    "gateway: no agent headers": (
        lambda c: c.client.post(
            RECHERCHE_V2,
            json=S001,
            headers={"Authorization": c.agent()["Authorization"]},
            follow_redirects=False,
        ),
        302,
        "Missing agent header(s): pa-nom-agent, pa-prenom-agent, pa-identifiant-agent. Send all "
        "three pa-* headers (a batch sends its logical name, and BATCH as pa-identifiant-agent).",
    ),
    "gateway: empty agent header": (
        lambda c: c.client.post(
            RECHERCHE_V2, json=S001, headers={**c.agent(), "pa-prenom-agent": " "}
        ),
        401,
        "Empty agent header(s): pa-prenom-agent. Give each a value.",
    ),
    "recherche: body not JSON": (
        lambda c: c.client.post(
            RECHERCHE_V2,
            content=json.dumps(S001).encode(),
            headers={**c.agent(), "Content-Type": "text/plain"},
        ),
        400,
        "Send the body as JSON with 'Content-Type: application/json' (Content-Type: 'text/plain').",
    ),
    "recherche: fields missing": (
        lambda c: c.client.post(RECHERCHE_V2, json={}, headers=c.agent()),
        400,
        "dateNaissance: Field required; nir: Field required",
    ),
    "jeton: absent": (
        lambda c: c.client.get(CONTRAT, headers=c.agent()),
        400,
        "Send the jetonUsager of Rechercher usager v2 in header ft-jeton-usager.",
    ),
    "jeton: malformed": (
        lambda c: c.contrat("pas-un-jeton"),
        401,
        "ft-jeton-usager is not a jeton (standard base64 of a JSON envelope): send jetonUsager "
        "exactly as Rechercher usager v2 returned it.",
    ),
    "jeton: altered": (
        _altered_jeton,
        401,
        "This jeton was not issued by this sandbox, or was changed: send jetonUsager exactly as "
        "Rechercher usager v2 returned it.",
    ),
    "jeton: expired": (
        _expired_jeton,
        401,
        "Jetons live one day: call Rechercher usager v2 again for a new one.",
    ),
    "jeton: another client's": (
        lambda c: c.contrat(c.jeton(client_id=NORD_CLIENT[0])),
        403,
        "This jeton was issued to another OAuth client: call Rechercher usager v2 with this "
        "application's own token.",
    ),
    "identifiant: absent from the body": (
        lambda c: c.client.post(STATUT_V1, json={"idNat": " "}, headers=c.partenaire()),
        400,
        "Send the identifiant of Recherche usager v1 in body field idNat.",
    ),
    "identifiant: '#' not encoded in the path": (
        lambda c: _identifiant_path(
            c, c.runtime.references.identifiant("p-s001-certifiee").partition("#")[0]
        ),
        401,
        "The identifiant in the URL path segment {identifiant} has no '#': percent-encode it as "
        "%23 in the URL path (<uuid>%23<base64url>); an unencoded '#' starts the URL fragment "
        "and is never sent.",
    ),
    "identifiant: changed": (
        lambda c: _identifiant_path(
            c,
            quote(
                "00000000-0000-4000-8000-000000000000#"
                + c.runtime.references.identifiant("p-s001-certifiee").partition("#")[2],
                safe="",
            ),
        ),
        401,
        "This identifiant was not issued by this sandbox, or was changed: send it exactly as "
        "Recherche usager v1 returned it (<uuid>#<base64url>).",
    ),
    "access: not an RSA beneficiary": (
        lambda c: _identifiant_path(
            c, quote(c.runtime.references.identifiant("p-r001-hors-perimetre"), safe="")
        ),
        403,
        "Only RSA beneficiaries are readable by a departement (convention, Annexe 3 1.2; R001 at "
        "Recherche usager).",
    ),
    "route: unknown camelCase path": (
        lambda c: c.client.get(
            "/partenaire/rechercherUsagerParDateNaissanceEtNir2/v2", headers=c.agent()
        ),
        404,
        "No such route: GET /partenaire/rechercherUsagerParDateNaissanceEtNir2/v2",
    ),
    "route: wrong method": (
        lambda c: c.client.post(CONTRAT, headers=c.agent()),
        405,
        "POST is not served on /partenaire/contrat-usager/v2/contrat: use GET.",
    ),
    "limits: body too large": (
        lambda c: c.client.post(
            RECHERCHE_V2,
            content=b" " * (64 * 1024 + 1),
            headers={**c.agent(), "Content-Type": "application/json"},
        ),
        413,
        "The request body exceeds 65536 bytes, the limit of this route (README, Limits).",
    ),
}


@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_refusal_says_what_to_change(
    client: TestClient, runtime: Runtime, clock: FrozenClock, row: str
) -> None:
    build, status, hint = ROWS[row]
    response = build(Ctx(client, runtime, clock))
    assert response.status_code == status, response.text
    assert response.headers["x-sandbox-hint"] == hint


def test_the_recherche_scopes_of_the_readme_are_what_the_hints_name(client: TestClient) -> None:
    # The gateway hint names exactly the scopes a token lacks, nothing it already has.
    token = request_token(client, scope=AGENT_SCOPES.replace(" api_contrat-usagerv2", ""))
    response = client.get(CONTRAT, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS})
    assert response.headers["x-sandbox-hint"] == (
        "The token lacks the scope(s) api_contrat-usagerv2 required by this API: add them to the "
        "scope of the token request."
    )
