"""The control plane as the README tells a CI pipeline to use it: precedence, counters, reset.

README, "Three ways to choose": "a request's scenario wins over its client's profile, which wins
over the instance's". "/_sandbox/reset wipes one client's state" (writes persist per client, with
their history); the control plane counts every call and injected fault per client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, NOW, request_token

RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
V4 = "/partenaire/diagnosticargumente/v4"
S001_PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
CD62 = "PAR_ftsandbox_cd62"
V4_SCOPES = "api_rechercher-usagerv2 rechercheusager profil_accedant " + (
    "api_diagnosticargumentev4 diagnosticusageragent"
)


def _client(tmp_path: Path, profile: str = "nominal") -> TestClient:
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", profile=profile)
    return TestClient(create_app(settings, FrozenClock(NOW)))


def _admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.runtime.admin_token}"}  # type: ignore[attr-defined]


def _search(client: TestClient, scenario: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
    if scenario:
        headers["X-Sandbox-Scenario"] = scenario
    return client.post(RECHERCHE, json=S001_PERSONA, headers=headers).status_code


def _assign(client: TestClient, profile: str | None) -> None:
    response = client.put(
        f"/_sandbox/faults/{CD62}", json={"profile": profile}, headers=_admin(client)
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("instance", "client_profile", "scenario", "status"),
    [
        ("nominal", "outage", "nominal", 200),  # the request's scenario beats its client's profile
        ("nominal", "outage", None, 503),
        ("outage", "nominal", None, 200),  # the client's profile beats the instance's
        ("outage", "nominal", "outage", 503),
        ("outage", None, "nominal", 200),  # the scenario beats the instance's
        ("outage", None, None, 503),
        ("nominal", None, "outage", 503),
    ],
)
def test_a_requests_scenario_wins_over_its_clients_profile_which_wins_over_the_instances(
    tmp_path: Path, instance: str, client_profile: str | None, scenario: str | None, status: int
) -> None:
    with _client(tmp_path, instance) as client:
        if client_profile:
            _assign(client, client_profile)
        assert _search(client, scenario) == status


def test_counters_count_each_clients_calls_and_injected_faults(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        assert client.get("/_sandbox/counters", headers=_admin(client)).json() == {}
        statuses = [_search(client) for _ in range(3)]
        statuses += [_search(client, "outage") for _ in range(2)]
        assert statuses == [200, 200, 200, 503, 503]
        nord = request_token(
            client,
            scope="api_rechercher-usagerv2 rechercheusager profil_accedant",
            credentials=NORD_CLIENT,
        )
        client.post(
            RECHERCHE,
            json=S001_PERSONA,
            headers={"Authorization": f"Bearer {nord}", **AGENT_HEADERS},
        )
        counters = client.get("/_sandbox/counters", headers=_admin(client)).json()
    # Each search asked for its token first: token requests are the client's calls too.
    assert counters[CD62] == {"calls": 10, "faults": {"outage": 2}}
    assert counters[NORD_CLIENT[0]] == {"calls": 2, "faults": {}}


def test_a_429_is_counted_and_tagged(tmp_path: Path) -> None:
    """README: "Injected faults carry an `X-Sandbox-Fault: <rule id>` header"; 429s too."""
    with _client(tmp_path, "rate-limited") as client:
        headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
        answers = [client.post(RECHERCHE, json=S001_PERSONA, headers=headers) for _ in range(5)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
        assert all(a.headers["x-sandbox-fault"] for a in answers[3:])
        assert not any("x-sandbox-fault" in a.headers for a in answers[:3])
        counters = client.get("/_sandbox/counters", headers=_admin(client)).json()
        journal = client.get(f"/_sandbox/journal/{CD62}", headers=_admin(client)).json()
    # One token request, then the five searches.
    assert counters[CD62]["calls"] == 6 and sum(counters[CD62]["faults"].values()) == 2
    assert [e["status"] for e in journal if e["api"]] == [200, 200, 200, 429, 429]


def _v4_headers(client: TestClient) -> dict[str, str]:
    """A jeton obtained as a partner does: Rechercher usager v2, then Diagnostic v4."""
    token = request_token(client, scope=V4_SCOPES)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(RECHERCHE, json=S001_PERSONA, headers=headers).json()
    assert found["codeRetour"] == "S001"
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


HISTORY_ROUTES = (
    "/dossiers/historisation",
    "/historisation/contraintes",
    "/historisation/pouvoiragir",
    "/historisation/autonomienumerique",
    "/historisation/diagnostics",
)


def _snapshot(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    dossier = client.get(f"{V4}/dossiers", headers=headers)
    assert dossier.status_code == 200
    return {
        "dossier": dossier.json(),
        **{
            route: client.get(f"{V4}{route}", headers=headers).status_code
            for route in HISTORY_ROUTES
        },
    }


def test_reset_removes_the_clients_writes_journal_and_history(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        headers = _v4_headers(client)
        baseline = _snapshot(client, headers)
        # Before any write, every history route answers 204 (no content).
        assert {baseline[route] for route in HISTORY_ROUTES} == {204}
        writes = {
            "/pouvoiragir": {"confiance": "NON", "accompagnement": "OUI"},
            "/contraintes": {
                "dateExploration": "2026-11-27T10:00:00.000+01:00",
                "contraintesAEnregistrer": [
                    {"code": "23", "valeur": "OUI", "estPrioritaire": True, "impact": "FORT"}
                ],
            },
            "/autonomienumerique": {
                "dateExploration": "2026-11-27T10:00:00Z",
                "contrainteAEnregistrer": {"code": "22", "valeur": "OUI", "impact": "FAIBLE"},
            },
        }
        for route, body in writes.items():
            assert client.post(f"{V4}{route}", json=body, headers=headers).status_code == 200
        written = _snapshot(client, headers)
        assert written["dossier"] != baseline["dossier"]
        assert written["/historisation/pouvoiragir"] == 200
        assert written["/historisation/contraintes"] == 200
        assert written["/dossiers/historisation"] == 200
        admin = _admin(client)
        assert client.get(f"/_sandbox/journal/{CD62}", headers=admin).json() != []

        reset = client.post("/_sandbox/reset", json={"client_id": CD62}, headers=admin)
        assert reset.status_code == 200
        assert reset.json()["client_id"] == CD62 and reset.json()["documents_removed"] >= 1

        assert client.get(f"/_sandbox/journal/{CD62}", headers=admin).json() == []
        assert CD62 not in client.get("/_sandbox/counters", headers=admin).json()
        assert _snapshot(client, headers) == baseline


def test_reset_of_one_client_leaves_another_clients_history(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        headers = _v4_headers(client)
        body = {"confiance": "OUI", "accompagnement": "NON"}
        assert client.post(f"{V4}/pouvoiragir", json=body, headers=headers).status_code == 200
        admin = _admin(client)
        other = client.post("/_sandbox/reset", json={"client_id": NORD_CLIENT[0]}, headers=admin)
        assert other.json()["documents_removed"] == 0
        history = client.get(f"{V4}/historisation/pouvoiragir", headers=headers)
        assert history.status_code == 200 and history.json()["totalDonnees"] == 1
