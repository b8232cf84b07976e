"""Every refusal the routes give is documented, with the body it sends (issue 9, point 8).

Each case drives one refusal against the application and looks it up in the exported file of
its API: the status must be documented for that operation, and a body, when there is one, must
validate against the documented schema. Expected statuses and codes are the README's ("Limits",
the control plane) and the platform's (reference §1: the token form fields).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, AGENT_SCOPES, DEFAULT_CLIENT, request_token

OPENAPI = Path(__file__).resolve().parents[2] / "contracts" / "openapi"
TOKEN_URL = "/connexion/oauth2/access_token"


def document(name: str) -> dict[str, Any]:
    """One exported contract file."""
    result: dict[str, Any] = json.loads((OPENAPI / f"{name}.json").read_text(encoding="utf-8"))
    return result


def documented(doc: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    """The response entry of a status, failing the test when it is not documented."""
    responses = doc["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path}: {status} undocumented ({sorted(responses)})"
    entry: dict[str, Any] = responses[str(status)]
    return entry


def assert_body_documented(doc: dict[str, Any], entry: dict[str, Any], body: Any) -> None:
    """The body validates against the entry's JSON schema (resolved in its document)."""
    content = entry.get("content", {})
    assert "application/json" in content, f"no schema documented for {body!r}"
    schema = {**content["application/json"]["schema"], "components": doc["components"]}
    errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(body)]
    assert errors == [], body


def assert_answer_documented(
    doc: dict[str, Any], path: str, method: str, response: httpx2.Response
) -> None:
    """Status documented for the operation; a JSON body, if any, validates against it."""
    entry = documented(doc, path, method, response.status_code)
    if response.content:
        assert_body_documented(doc, entry, response.json())


# Reference §1 (token request): "Form fields: grant_type=client_credentials, client_id,
# client_secret, scope".
TOKEN_FIELDS = ["grant_type", "client_id", "client_secret", "scope"]


def _form(**overrides: str) -> dict[str, str]:
    form = dict(
        zip(TOKEN_FIELDS, ["client_credentials", *DEFAULT_CLIENT, AGENT_SCOPES], strict=True)
    )
    return {**form, **overrides}


def test_the_token_form_fields_are_required_strings() -> None:
    doc = document("token")
    body = doc["paths"][TOKEN_URL]["post"]["requestBody"]
    ref = body["content"]["application/x-www-form-urlencoded"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["required"] is True
    assert sorted(schema["required"]) == sorted(TOKEN_FIELDS)
    assert {name: schema["properties"][name].get("type") for name in TOKEN_FIELDS} == dict.fromkeys(
        TOKEN_FIELDS, "string"
    )
    assert not any("anyOf" in schema["properties"][name] for name in TOKEN_FIELDS)


@pytest.mark.parametrize("field", TOKEN_FIELDS)
def test_a_token_request_without_a_field_gets_the_documented_oauth_error(
    client: TestClient, field: str
) -> None:
    form = {k: v for k, v in _form().items() if k != field}
    response = client.post(TOKEN_URL, params={"realm": "/agent"}, data=form)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"  # RFC 6749 §5.2: a missing parameter
    assert_answer_documented(document("token"), TOKEN_URL, "POST", response)


def test_every_refused_token_request_is_documented(client: TestClient) -> None:
    for params, form in [
        ({}, _form()),
        ({"realm": "/agent"}, _form(client_secret="wrong")),
        ({"realm": "/agent"}, _form(grant_type="password")),
        ({"realm": "/agent"}, _form(scope="")),
        ({"realm": "/agent"}, _form(scope="x" * 9000)),
    ]:
        response = client.post(TOKEN_URL, params=params, data=form)
        assert response.status_code in (400, 413)
        assert_answer_documented(document("token"), TOKEN_URL, "POST", response)


CD62 = "PAR_ftsandbox_cd62"
WINDOW = {"start": "2027-01-10T09:00:00+00:00", "end": "2027-01-10T10:00:00+00:00"}
LONG_ID = "P" * 101
BIG = {"client_id": "x" * 17_000}

INVALID, UNKNOWN, PROFILE = "ERR_COMMANDE_INVALIDE", "ERR_CLIENT_INCONNU", "ERR_SCENARIO_INCONNU"
RESET, FAULTS, OUTAGES, CLOCK = (
    "/_sandbox/reset",
    "/_sandbox/faults",
    "/_sandbox/outages",
    "/_sandbox/clock",
)
JOURNAL = "/_sandbox/journal"
BACKWARDS = {"start": WINDOW["end"], "end": WINDOW["start"]}
CENTURY = {"action": "advance", "seconds": 3155760000}

# (method, path, json body or None, query, status, codeErreur) — README "Limits" (control plane)
# and "The control plane": every refusal its routes give.
REFUSALS: list[tuple[str, str, Any, dict[str, Any], int, str]] = [
    ("POST", RESET, {}, {}, 400, INVALID),
    ("POST", RESET, {"client_id": "PAR_x"}, {}, 404, UNKNOWN),
    ("POST", RESET, BIG, {}, 413, "ERR_REQUETE_TROP_VOLUMINEUSE"),
    ("PUT", FAULTS, {"profile": 3}, {}, 400, INVALID),
    ("PUT", FAULTS, {"profile": "x"}, {}, 400, PROFILE),
    ("PUT", f"{FAULTS}/{CD62}", {"profile": "x"}, {}, 400, PROFILE),
    ("PUT", f"{FAULTS}/{LONG_ID}", {"profile": None}, {}, 400, INVALID),
    ("PUT", f"{FAULTS}/PAR_x", {"profile": None}, {}, 404, UNKNOWN),
    ("POST", OUTAGES, BACKWARDS, {}, 400, INVALID),
    ("POST", OUTAGES, {**WINDOW, "client_id": "PAR_x"}, {}, 404, UNKNOWN),
    ("POST", CLOCK, {"action": "advance"}, {}, 400, INVALID),
    ("POST", CLOCK, CENTURY, {}, 400, "ERR_HORLOGE_HORS_LIMITES"),
    ("GET", f"{JOURNAL}/{CD62}", None, {"limit": 0}, 400, INVALID),
    ("GET", f"{JOURNAL}/{LONG_ID}", None, {}, 400, INVALID),
    ("GET", f"{JOURNAL}/PAR_x", None, {}, 404, UNKNOWN),
]


def _template(path: str) -> str:
    """The documented path of a control-plane URL (its client id as ``{client_id}``)."""
    for prefix in (f"{FAULTS}/", f"{JOURNAL}/"):
        if path.startswith(prefix):
            return prefix + "{client_id}"
    return path


@pytest.fixture
def controlled(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An app on the server's controllable clock, and the admin headers."""
    app = create_app(Settings(data_dir=tmp_path, secret_key="k"))
    with TestClient(app) as client:
        yield client, {"Authorization": f"Bearer {app.state.runtime.admin_token}"}


@pytest.mark.parametrize(
    ("method", "path", "body", "query", "status", "code"),
    REFUSALS,
    ids=[f"{r[0]} {r[1][:30]} {r[4]} {r[5]}" for r in REFUSALS],
)
def test_every_control_plane_refusal_is_documented_with_its_body(
    controlled: tuple[TestClient, dict[str, str]],
    method: str,
    path: str,
    body: Any,
    query: dict[str, Any],
    status: int,
    code: str,
) -> None:
    client, admin = controlled
    response = client.request(method, path, json=body, params=query, headers=admin)
    assert (response.status_code, response.json()["codeErreur"]) == (status, code)
    assert_answer_documented(document("control-plane"), _template(path), method, response)


def test_too_many_outages_is_documented(controlled: tuple[TestClient, dict[str, str]]) -> None:
    client, admin = controlled
    for _ in range(50):
        client.post(OUTAGES, json=WINDOW, headers=admin)
    response = client.post(OUTAGES, json=WINDOW, headers=admin)
    assert response.json()["codeErreur"] == "ERR_TROP_D_INDISPONIBILITES"
    assert_answer_documented(document("control-plane"), "/_sandbox/outages", "POST", response)


def test_a_fixed_clock_refusal_is_documented(tmp_path: Path) -> None:
    app = create_app(
        Settings(data_dir=tmp_path, secret_key="k"),
        FrozenClock(dt.datetime(2026, 11, 28, tzinfo=dt.UTC)),
    )
    with TestClient(app) as client:
        admin = {"Authorization": f"Bearer {app.state.runtime.admin_token}"}
        response = client.post("/_sandbox/clock", json={"action": "freeze"}, headers=admin)
    assert response.json()["codeErreur"] == "ERR_HORLOGE_NON_PILOTABLE"
    assert_answer_documented(document("control-plane"), "/_sandbox/clock", "POST", response)


def test_every_control_plane_operation_documents_the_missing_admin_token(
    controlled: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = controlled
    doc = document("control-plane")
    for template, item in doc["paths"].items():
        for method in item:
            path = template.replace("{client_id}", CD62)
            response = client.request(method.upper(), path, headers={"Authorization": "Bearer x"})
            assert response.status_code == 401, path
            assert response.content == b""
            documented(doc, template, method, 401)


RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
# fixtures/personas: r001-hors-perimetre (not an RSA beneficiary), r002-autre-departement.
R001 = {"nir": "192016211990576", "dateNaissance": "1992-01-25"}
R002 = {"nir": "288095935090696", "dateNaissance": "1988-09-03"}


@pytest.mark.parametrize(
    ("realm", "path", "name"),
    [
        ("/agent", RECHERCHE_V2, "rechercher-usager-v2"),
        ("/partenaire", RECHERCHE_V1, "rechercher-usager-v1"),
    ],
)
def test_recherche_documents_both_403s_the_r_code_body_and_the_gateways(
    client: TestClient, realm: str, path: str, name: str
) -> None:
    scopes = {"/agent": AGENT_SCOPES, "/partenaire": "api_rechercher-usagerv1"}[realm]
    token = request_token(client, realm=realm, scope=scopes)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    doc = document(name)
    # Rechercher usager's published Resultat403DTO examples: R001 and R002.
    for person, code in ((R001, "R001"), (R002, "R002")):
        response = client.post(path, json=person, headers=headers)
        assert (response.status_code, response.json()["codeRetour"]) == (403, code)
        assert_answer_documented(doc, path, "POST", response)
    other = request_token(client, realm=realm, scope=OTHER_SCOPE[realm])
    refused = client.post(path, json=R001, headers={**headers, "Authorization": f"Bearer {other}"})
    assert (refused.status_code, refused.content) == (403, b"")
    assert "corps vide" in documented(doc, path, "POST", 403)["description"]


OTHER_SCOPE = {"/agent": "api_contrat-usagerv2", "/partenaire": "api_statut-usagerv1"}


# Loi plein emploi APIs: each refusal family's body (RFC 9457 ProblemDetails for Contrat
# d'engagement, Erreur for Activités opérationnelles, codeErreur for Sanctions RSA) as documented.
LPE_SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-engagementv1 "
    "contratengagementpart api_activites-operationnellesv2 activitesCD referentielCD "
    "api_gestion-sanctions-rsav1 gestiondesmanquements decisionSanctionPartenaire demandeRadiation"
)
CE = "/partenaire/contrat-engagement/v1"
AO = "/partenaire/activites-operationnelles/v2"
SR = "/partenaire/gestion-sanctions-rsa/v1"
# Personas (fixtures/README.md): statut-cesse has a SUSPENDU contract; sanction-a-instruire ACT366.
CESSE = {"nir": "180066217890937", "dateNaissance": "1980-06-30"}
A_INSTRUIRE = {"numeroFranceTravail": "90000003636"}
BAD_JETON = {"ft-jeton-usager": "pas-un-jeton"}


def test_every_lpe_refusal_is_documented_with_its_body(client: TestClient) -> None:
    token = request_token(client, scope=LPE_SCOPES)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    search = "/partenaire/rechercher-usager/v2/usagers"
    cesse = client.post(f"{search}/par-datenaissance-et-nir", json=CESSE, headers=headers).json()
    sanction = client.post(
        f"{search}/par-numero-francetravail", json=A_INSTRUIRE, headers=headers
    ).json()
    with_cesse = {**headers, "ft-jeton-usager": cesse["jetonUsager"]}
    with_sanction = {**headers, "ft-jeton-usager": sanction["jetonUsager"]}
    date = {"dateSignature": "2026-11-01T10:00:00Z"}
    cases: list[tuple[str, str, str, dict[str, str], Any, dict[str, str], int]] = [
        ("contrat-engagement-v1", "GET", f"{CE}/lecture", headers, None, {}, 400),
        ("contrat-engagement-v1", "GET", f"{CE}/lecture", {**headers, **BAD_JETON}, None, {}, 401),
        ("contrat-engagement-v1", "POST", f"{CE}/signer", with_cesse, {"dateRefus": 1}, {}, 400),
        ("contrat-engagement-v1", "POST", f"{CE}/signer", with_cesse, date, {}, 400),
        ("contrat-engagement-v1", "PATCH", f"{CE}/signer", with_cesse, date, {}, 500),
        ("contrat-engagement-v1", "POST", f"{CE}/refuser", with_cesse, "x" * 70_000, {}, 413),
        ("activites-operationnelles-v2", "GET", f"{AO}/activites/chercher", headers, None, {}, 400),
        (
            "activites-operationnelles-v2", "GET", f"{AO}/activites/chercher", headers, None,
            {"codeActivite": "ACT999"}, 204,
        ),
        (
            "activites-operationnelles-v2", "GET",
            f"{AO}/referentiel-activites/domaines/{{codeDomaine}}", headers, None, {}, 400,
        ),
        ("gestion-sanctions-rsa-v1", "GET", f"{SR}/detailManquement", with_sanction, None, {}, 400),
        (
            "gestion-sanctions-rsa-v1", "GET", f"{SR}/detailManquement", with_sanction, None,
            {"identifiantSanction": "424242"}, 204,
        ),
        (
            "gestion-sanctions-rsa-v1", "POST", f"{SR}/evenementSanctionRSA", with_sanction,
            {"identifiantConsequenceSanction": "1", "evenement": {"typeEvenement": "X"}}, {}, 400,
        ),
        ("gestion-sanctions-rsa-v1", "POST", f"{SR}/demandeRadiation", with_sanction, {}, {}, 400),
    ]  # fmt: skip
    for name, method, path, sent, body, query, status in cases:
        url = path.replace("{codeDomaine}", "gl")
        content = body if isinstance(body, str) else None
        response = client.request(
            method,
            url,
            headers={**sent, "Content-Type": "application/json"} if content else sent,
            json=None if content else body,
            content=content,
            params=query,
        )
        assert response.status_code == status, (path, response.text)
        assert_answer_documented(document(name), path, method, response)
