"""Every fault type through the HTTP app, per-request scenarios, per-client isolation, journal."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import Clock, FrozenClock
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, NOW, request_token
from tests.sandbox.asgi import Answer, Driver

RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}


def _app(tmp_path: Path, rules: list[dict[str, Any]], clock: Clock | None = None) -> FastAPI:
    profiles = tmp_path / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "test.yaml").write_text(
        yaml.safe_dump({"name": "test", "description": "test", "rules": rules}), encoding="utf-8"
    )
    settings = Settings(
        data_dir=tmp_path / "data", secret_key="k", profiles_dir=profiles, profile="test"
    )
    return create_app(settings, clock or FrozenClock(NOW))


def _search(client: TestClient, headers: dict[str, str] | None = None) -> Any:
    token = request_token(client)
    return client.post(
        RECHERCHE,
        json=PERSONA,
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS, **(headers or {})},
    )


def http_scope(path: str, method: str) -> dict[str, Any]:
    """A bare ASGI HTTP scope, for driving the middleware without a server."""
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("t", 80),
        "client": ("c", 1),
        "root_path": "",
    }


def test_latency_waits_on_the_instance_clock(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    app = _app(
        tmp_path,
        [{"id": "slow", "type": "latency", "distribution": "fixed", "seconds": 2.5}],
        clock,
    )
    with TestClient(app) as client:
        before = clock.timestamp()
        response = _search(client)
    assert response.json()["codeRetour"] == "S001"
    assert clock.timestamp() - before == pytest.approx(5.0)  # token call + search, 2.5 s each


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            500,
            {
                "codeRetour": "R998",
                "message": "Un service a répondu en erreur",
                "topIdentiteCertifiee": None,
                "jetonUsager": None,
            },
        ),
        (
            503,
            {
                "codeRetour": "R999",
                "message": "Service indisponible, veuillez réessayer ultérieurement",
                "topIdentiteCertifiee": None,
                "jetonUsager": None,
            },
        ),
    ],
)
def test_errors_on_recherche_carry_its_return_codes(
    tmp_path: Path, status: int, body: dict[str, Any]
) -> None:
    rule = {
        "id": "boom",
        "type": "error",
        "status": status,
        "match": {"apis": ["rechercher-usager-v2"]},
    }
    with TestClient(_app(tmp_path, [rule])) as client:
        response = _search(client)
    assert (response.status_code, response.json()) == (status, body)
    assert response.headers["x-sandbox-fault"] == "boom"


def test_errors_elsewhere_use_the_back_end_shape_and_gateway_errors_no_body(tmp_path: Path) -> None:
    rules = [
        {"id": "e500", "type": "error", "status": 500, "match": {"apis": ["statut-usager-v2"]}},
        {"id": "e502", "type": "error", "status": 502, "match": {"apis": ["rechercher-usager-v2"]}},
    ]
    with TestClient(_app(tmp_path, rules)) as client:
        token = request_token(client)
        headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
        statut = client.get("/partenaire/contrat-usager/v2/contrat", headers=headers)
        gateway = client.post(RECHERCHE, json=PERSONA, headers=headers)
    assert statut.status_code == 500 and statut.json()["codeErreur"] == "ERR_TECHNIQUE"
    assert (gateway.status_code, gateway.content) == (502, b"")


def test_a_quota_answers_429_text_with_retry_after(tmp_path: Path) -> None:
    rule = {
        "id": "quota",
        "type": "rate_limit",
        "requests": 2,
        "per_seconds": 10,
        "match": {"paths": ["/partenaire/*"]},
    }
    with TestClient(_app(tmp_path, [rule])) as client:
        statuses = [_search(client) for _ in range(3)]
    limited = statuses[2]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert limited.headers["content-type"].startswith("text/plain")
    assert limited.headers["retry-after"] == "5"
    assert (
        limited.headers["cache-control"] == "no-store" and limited.headers["pragma"] == "no-cache"
    )


def test_token_trouble_gets_the_gateway_401(tmp_path: Path) -> None:
    rule = {
        "id": "revoked",
        "type": "token",
        "mode": "revoked",
        "match": {"paths": ["/partenaire/*"]},
    }
    with TestClient(_app(tmp_path, [rule])) as client:
        response = _search(client)
    assert (response.status_code, response.content) == (401, b"")
    assert "revoked" in response.headers["x-sandbox-hint"]


def test_a_timeout_answers_after_the_clients_patience(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    rule = {"id": "late", "type": "timeout", "seconds": 65, "match": {"paths": ["/partenaire/*"]}}
    with TestClient(_app(tmp_path, [rule], clock)) as client:
        before = clock.timestamp()
        response = _search(client)
    assert response.status_code == 504
    assert clock.timestamp() - before >= 65


def test_a_malformed_body_is_not_json(tmp_path: Path) -> None:
    rule = {
        "id": "bad",
        "type": "connection",
        "mode": "malformed",
        "match": {"paths": ["/partenaire/*"]},
    }
    with TestClient(_app(tmp_path, [rule])) as client:
        response = _search(client)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def _calls(runtime: Runtime, clock: FrozenClock) -> dict[str, tuple[str, str, dict[str, str]]]:
    """A Recherche, a Statut and a Diagnostic v1 call about persona s001-certifiee."""
    from sandbox.auth.scopes import Realm

    now = clock.timestamp()
    agent = runtime.tokens.issue(
        "PAR_ftsandbox_cd62",
        Realm.AGENT,
        ["api_rechercher-usagerv2", "rechercheusager", "profil_accedant"]
        + ["api_contrat-usagerv2", "statutcontratusager"],
        now,
    )
    partenaire = runtime.tokens.issue(
        "PAR_ftsandbox_cd62", Realm.PARTENAIRE, ["api_diagnosticargumentev1"], now
    )
    jeton = runtime.references.issue_jeton(
        "p-s001-certifiee", "PAR_ftsandbox_cd62", int(now * 1000)
    )
    # An ASGI scope carries the decoded path: the server has already turned %23 back into #.
    identifiant = runtime.references.identifiant("p-s001-certifiee")
    v2 = {"Authorization": f"Bearer {agent}", **AGENT_HEADERS}
    return {
        "recherche": ("POST", RECHERCHE, v2),
        "contrat": (
            "GET",
            "/partenaire/contrat-usager/v2/contrat",
            {**v2, "ft-jeton-usager": jeton},
        ),
        "diagnostic-v1": (
            "GET",
            f"/partenaire/diagnosticargumente/v1/individus/{identifiant}",
            {"Authorization": f"Bearer {partenaire}"},
        ),
    }


def _answers(tmp_path: Path, rules: list[dict[str, Any]]) -> dict[str, Answer]:
    clock = FrozenClock(NOW)
    driver = Driver(_app(tmp_path, rules, clock), clock)
    try:
        answers = {}
        for name, (method, path, headers) in _calls(driver.runtime, clock).items():
            body = json.dumps(PERSONA).encode() if method == "POST" else b""
            answers[name] = driver.call(method, path, headers, body)
        return answers
    finally:
        driver.close()


@pytest.mark.parametrize("mode", ["close", "truncate", "dribble"])
def test_a_network_fault_damages_the_delivery_of_the_routes_own_answer(
    tmp_path: Path, mode: str
) -> None:
    rule = {
        "id": "cx",
        "type": "connection",
        "mode": mode,
        "bytes_per_second": 64,
        "match": {"paths": ["/partenaire/*"]},
    }
    nominal = _answers(tmp_path / "nominal", [])
    faulty = _answers(tmp_path / "faulty", [rule])
    for name, expected in nominal.items():
        got = faulty[name]
        assert (expected.status, expected.complete) == (200, True), name
        assert got.status == expected.status, name
        assert got.headers["content-length"] == str(len(expected.body)), name
        assert got.headers["content-type"] == expected.headers["content-type"], name
        assert got.headers["x-sandbox-fault"] == "cx", name
        if mode == "dribble":
            # Slow, but the real answer, whole: 8 bytes at a time at 64 bytes per second.
            assert (got.body, got.complete) == (expected.body, True), name
            assert got.seconds >= len(expected.body) / 64 - 1, name
        else:
            assert not got.complete, name
            assert expected.body.startswith(got.body), name
            assert len(got.body) == (len(expected.body) // 2 if mode == "truncate" else 0), name


def test_a_malformed_answer_keeps_the_routes_status_and_is_not_json(tmp_path: Path) -> None:
    rule = {"id": "bad", "type": "connection", "mode": "malformed"}
    nominal = _answers(tmp_path / "nominal", [])
    faulty = _answers(tmp_path / "faulty", [rule])
    for name, expected in nominal.items():
        got = faulty[name]
        assert (got.status, got.complete) == (expected.status, True), name
        assert expected.body.startswith(got.body), name
        with pytest.raises(json.JSONDecodeError):
            json.loads(got.body)


def test_outage_scenario_by_header_and_unknown_scenarios(client: TestClient) -> None:
    response = _search(client, {"X-Sandbox-Scenario": "outage"})
    assert (response.status_code, response.json()["codeRetour"]) == (503, "R999")
    assert _search(client).status_code == 200
    unknown = _search(client, {"X-Sandbox-Scenario": "apocalypse"})
    assert unknown.status_code == 400
    assert (
        "apocalypse" in unknown.json()["message"] and "convention-sla" in unknown.json()["message"]
    )


def test_two_clients_with_different_profiles_do_not_affect_each_other(
    app: FastAPI, client: TestClient
) -> None:
    runtime: Runtime = app.state.runtime
    runtime.faults.set_profile("PAR_ftsandbox_cd62", "outage")
    assert _search(client).status_code == 503
    token = request_token(
        client,
        scope="api_rechercher-usagerv2 rechercheusager profil_accedant",
        credentials=NORD_CLIENT,
    )
    nord = client.post(
        RECHERCHE,
        json={"dateNaissance": "1988-09-03", "nir": "288095935090696"},
        headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS},
    )
    assert (nord.status_code, nord.json()["codeRetour"]) == (200, "S001")


def test_the_journal_records_faults_masked_with_their_rule(
    app: FastAPI, client: TestClient
) -> None:
    runtime: Runtime = app.state.runtime
    _search(client, {"X-Sandbox-Scenario": "outage"})
    _search(client)
    entries = runtime.journal.entries("PAR_ftsandbox_cd62")
    outage = [e for e in entries if e.fault_rule]
    assert len(outage) == 1 and outage[0].status == 503 and outage[0].fault_type == "outage"
    assert [e.index for e in entries] == list(range(1, len(entries) + 1))
    assert runtime.journal.counters()["PAR_ftsandbox_cd62"]["faults"] == {"outage": 1}


def test_the_control_plane_scripts_profiles_outages_and_the_clock(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, secret_key="k"))  # the server's controllable clock
    runtime: Runtime = app.state.runtime
    admin = {"Authorization": f"Bearer {runtime.admin_token}"}
    with TestClient(app) as client:
        frozen = client.post(
            "/_sandbox/clock",
            json={"action": "set", "instant": "2027-01-10T08:00:00+00:00"},
            headers=admin,
        )
        assert frozen.json()["now"].startswith("2027-01-10T08:00")
        client.post("/_sandbox/clock", json={"action": "freeze"}, headers=admin)
        client.post(
            "/_sandbox/outages",
            json={"start": "2027-01-10T09:00:00+00:00", "end": "2027-01-10T10:00:00+00:00"},
            headers=admin,
        )
        assert _search(client).status_code == 200
        client.post("/_sandbox/clock", json={"action": "advance", "seconds": 3600}, headers=admin)
        assert _search(client).status_code == 503
        client.post("/_sandbox/clock", json={"action": "advance", "seconds": 3600}, headers=admin)
        assert _search(client).status_code == 200
        assigned = client.put(
            "/_sandbox/faults/PAR_ftsandbox_cd62", json={"profile": "outage"}, headers=admin
        )
        assert assigned.json()["clients"] == {"PAR_ftsandbox_cd62": "outage"}
        assert _search(client).status_code == 503
        wrong = client.put("/_sandbox/faults", json={"profile": "nope"}, headers=admin)
        assert wrong.status_code == 400 and "nominal" in wrong.json()["message"]
        journal = client.get("/_sandbox/journal/PAR_ftsandbox_cd62", headers=admin).json()
        assert [e["status"] for e in journal if e["api"] == "rechercher-usager-v2"] == [
            200,
            503,
            200,
            503,
        ]
        assert not any("290036204190175" in json.dumps(e) for e in journal)
        assert (
            client.get("/_sandbox/clock", headers={"Authorization": "Bearer nope"}).status_code
            == 401
        )


def test_latency_does_not_block_other_requests(tmp_path: Path) -> None:
    from sandbox.clock import SystemClock

    rule = {
        "id": "slow-statut",
        "type": "latency",
        "distribution": "fixed",
        "seconds": 0.3,
        "match": {"apis": ["statut-usager-v2"]},
    }
    app = _app(tmp_path, [rule], SystemClock())
    finished: list[str] = []

    async def call(name: str, path: str, method: str) -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished.append(name)

        await app(http_scope(path, method), receive, send)  # type: ignore[arg-type]

    async def both() -> None:
        await asyncio.gather(
            call("slow", "/partenaire/contrat-usager/v2/contrat", "GET"),
            call("fast", RECHERCHE, "POST"),
        )

    asyncio.run(both())
    assert finished == ["fast", "slow"]


def test_a_rule_can_target_one_persona(tmp_path: Path) -> None:
    rule = {
        "id": "one-person",
        "type": "error",
        "status": 500,
        "match": {"personas": ["s001-certifiee"], "apis": ["statut-usager-v2"]},
    }
    app = _app(tmp_path, [rule])
    runtime: Runtime = app.state.runtime
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}
        statuses = {}
        for key in ("p-s001-certifiee", "p-statut-cesse"):
            jeton = runtime.references.issue_jeton(
                key, "PAR_ftsandbox_cd62", int(NOW.timestamp() * 1000)
            )
            response = client.get(
                "/partenaire/contrat-usager/v2/contrat",
                headers={**headers, "ft-jeton-usager": jeton},
            )
            statuses[key] = response.status_code
    assert statuses == {"p-s001-certifiee": 500, "p-statut-cesse": 200}


def test_a_dribble_stops_when_the_client_leaves_and_the_journal_says_so(tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    rule = {"id": "drip", "type": "connection", "mode": "dribble", "bytes_per_second": 8}
    app = _app(tmp_path, [rule], clock)
    runtime: Runtime = app.state.runtime
    messages: list[dict[str, Any]] = []
    # The client reads the status line and the first bytes, then gives up.
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    method, path, headers = _calls(runtime, clock)["contrat"]
    scope = {
        **http_scope(path, method),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert messages[0]["status"] == 200 and len(messages) < 3
    (entry,) = runtime.journal.entries("PAR_ftsandbox_cd62")
    assert (entry.status, entry.outcome, entry.fault_rule) == (200, "client_disconnected", "drip")


def test_an_answered_call_records_the_injected_delay(tmp_path: Path) -> None:
    rule = {"id": "slow", "type": "latency", "distribution": "fixed", "seconds": 1.25}
    app = _app(tmp_path, [rule])
    with TestClient(app) as client:
        assert _search(client).json()["codeRetour"] == "S001"
    runtime: Runtime = app.state.runtime
    search = runtime.journal.entries("PAR_ftsandbox_cd62")[-1]
    assert (search.status, search.outcome, search.delay_ms) == (200, "answered", 1250.0)
