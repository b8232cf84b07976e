"""Control-plane and fault-rule behaviour that a first mutation run found unpinned.

Each test states what a CI pipeline relies on (README, "Faults…" and "The control plane";
contracts/openapi/control-plane.json), not how the code does it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.faults.engine import FaultEngine, draw_latency
from sandbox.faults.plan import LatencyRule, Profile, RateLimitRule, RequestMeta
from sandbox.population.search import is_known
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NOW, request_token

RECHERCHE_NIR = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_NUMERO = "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail"
CONTRAT = "/partenaire/contrat-usager/v2/contrat"
S001_PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
CD62 = "PAR_ftsandbox_cd62"


def _client(tmp_path: Path, profile: str = "nominal", controllable: bool = False) -> TestClient:
    settings = Settings(data_dir=tmp_path / "data", secret_key="k", profile=profile)
    app = create_app(settings) if controllable else create_app(settings, FrozenClock(NOW))
    return TestClient(app)


def _admin(client: TestClient) -> dict[str, str]:
    token = client.app.state.runtime.admin_token  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def _headers(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}


def _search(client: TestClient, headers: dict[str, str] | None = None) -> int:
    return client.post(
        RECHERCHE_NIR, json=S001_PERSONA, headers=headers or _headers(client)
    ).status_code


def test_a_refused_admin_call_says_how_to_authenticate(tmp_path: Path) -> None:
    """401 answers name the scheme in WWW-Authenticate (RFC 6750 §3), with an empty body."""
    with _client(tmp_path) as client:
        for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer nope"}):
            refused = client.get("/_sandbox/counters", headers=headers)
            assert (refused.status_code, refused.content) == (401, b"")
            assert refused.headers["www-authenticate"].startswith("Bearer ")
        token = client.app.state.runtime.admin_token  # type: ignore[attr-defined]
        lowercase = client.get("/_sandbox/counters", headers={"Authorization": f"bearer {token}"})
        assert lowercase.status_code == 200  # the scheme is case-insensitive (RFC 7235 §2.1)


def test_a_fixed_clock_cannot_be_driven_and_says_so(tmp_path: Path) -> None:
    """control-plane.json: POST /_sandbox/clock answers 409 "Fixed clock"."""
    with _client(tmp_path) as client:
        refused = client.post("/_sandbox/clock", json={"action": "freeze"}, headers=_admin(client))
    assert refused.status_code == 409
    body = refused.json()
    assert body["codeHttp"] == 409 and body["codeErreur"] and body["message"]
    assert refused.headers["x-sandbox-hint"]


def test_the_instance_profile_and_a_clients_own_can_be_changed_and_given_back(
    tmp_path: Path,
) -> None:
    with _client(tmp_path) as client:
        admin = _admin(client)
        changed = client.put("/_sandbox/faults", json={"profile": "outage"}, headers=admin)
        assert changed.json() == {"default": "outage", "clients": {}}
        assert _search(client) == 503
        client.put("/_sandbox/faults", json={"profile": None}, headers=admin)
        assert _search(client) == 200
        client.put(f"/_sandbox/faults/{CD62}", json={"profile": "outage"}, headers=admin)
        assert _search(client) == 503
        given_back = client.put(f"/_sandbox/faults/{CD62}", json={"profile": None}, headers=admin)
        assert given_back.json() == {"default": "nominal", "clients": {}}
        assert _search(client) == 200


def test_an_outage_can_target_one_api(tmp_path: Path) -> None:
    """POST /_sandbox/outages with `apis`: only those APIs answer 503."""
    with _client(tmp_path, controllable=True) as client:
        admin = _admin(client)
        client.post("/_sandbox/clock", json={"action": "freeze"}, headers=admin)
        now = dt.datetime.fromisoformat(client.get("/_sandbox/clock", headers=admin).json()["now"])
        window = {
            "start": (now - dt.timedelta(minutes=1)).isoformat(),
            "end": (now + dt.timedelta(hours=1)).isoformat(),
        }
        first = client.post(
            "/_sandbox/outages", json={**window, "apis": ["statut-usager-v2"]}, headers=admin
        )
        second = client.post("/_sandbox/outages", json=window, headers=admin)
        assert first.status_code == second.status_code == 201
        assert first.json()["rule_id"] != second.json()["rule_id"]
        assert client.delete("/_sandbox/outages", headers=admin).json() == {"removed": 2}
        client.post(
            "/_sandbox/outages", json={**window, "apis": ["statut-usager-v2"]}, headers=admin
        )
        headers = _headers(client)
        assert _search(client, headers) == 200
        contrat = client.get(CONTRAT, headers=headers)
        assert contrat.status_code == 503
        assert contrat.headers["x-sandbox-fault"]


def test_a_reset_restarts_the_clients_fault_stream_from_the_seed(tmp_path: Path) -> None:
    """README: "the same seed and the same calls give the same faults"; a reset starts over."""
    with _client(tmp_path, "chaos") as client:
        headers = _headers(client)

        def sequence() -> list[tuple[int, str | None]]:
            answers = []
            for _ in range(60):
                response = client.post(RECHERCHE_NIR, json=S001_PERSONA, headers=headers)
                answers.append((response.status_code, response.headers.get("x-sandbox-fault")))
            return answers

        first = sequence()
        assert any(fault for _, fault in first)
        client.post("/_sandbox/reset", json={"client_id": CD62}, headers=_admin(client))
        assert sequence() == first


def test_a_quota_is_shared_by_the_routes_of_one_api(tmp_path: Path) -> None:
    """README: "3 calls per second per client and per API" - per API, not per route."""
    with _client(tmp_path, "rate-limited") as client:
        headers = _headers(client)
        assert _search(client, headers) == _search(client, headers) == 200
        numero = {"numeroFranceTravail": "90000000101"}
        third = client.post(RECHERCHE_NUMERO, json=numero, headers=headers)
        assert third.status_code == 200
        fourth = client.post(RECHERCHE_NUMERO, json=numero, headers=headers)
        assert fourth.status_code == 429


def test_retry_after_says_how_long_until_a_call_passes() -> None:
    """A 429's Retry-After is the wait until the quota has room again, rounded up."""
    rule = RateLimitRule(id="q", requests=2, per_seconds=10)
    profile = Profile(name="q", description="q", rules=[rule])
    engine = FaultEngine(seed=1)
    meta = RequestMeta("GET", CONTRAT, "statut-usager-v2", CD62, None)
    start = NOW.timestamp()
    assert [engine.decide(profile, meta, start).fault for _ in range(2)] == [None, None]
    refused = engine.decide(profile, meta, start + 2.5).fault  # half a call back: 2.5 s to go
    assert refused is not None and (refused.status, refused.retry_after) == (429, 3)
    assert engine.decide(profile, meta, start + 2.5 + 2.4).fault is not None
    assert engine.decide(profile, meta, start + 2.5 + 3.0).fault is None


def test_uniform_latency_stays_between_its_bounds() -> None:
    rule = LatencyRule(id="u", distribution="uniform", low=2.0, high=3.0)
    draws = [draw_latency(rule, random.Random(n)) for n in range(500)]
    assert all(2.0 <= d <= 3.0 for d in draws)
    assert min(draws) < 2.1 and max(draws) > 2.9
    fixed = LatencyRule(id="f", distribution="fixed", seconds=1.25)
    assert draw_latency(fixed, random.Random(0)) == 1.25


def test_an_unknown_scenario_gets_a_documented_json_error(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = client.post(
            RECHERCHE_NIR,
            json=S001_PERSONA,
            headers={**_headers(client), "X-Sandbox-Scenario": "apocalypse"},
        )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["codeErreur"] and body["codeHttp"] == 400 and "apocalypse" in body["message"]
    assert int(response.headers["content-length"]) == len(response.content)


def test_a_lognormal_latency_has_its_median_and_p90() -> None:
    """A profile's `median` and `p90` are what the draws show (chaos: 0.3 s and 1.5 s)."""
    rule = LatencyRule(id="l", median=0.3, p90=1.5, cap=8.0)
    rng = random.Random(7)
    draws = sorted(draw_latency(rule, rng) for _ in range(20_000))
    assert abs(draws[10_000] - 0.3) < 0.03
    assert abs(draws[18_000] - 1.5) < 0.1


def test_someone_struck_off_on_29_february_is_forgotten_on_28_february_three_years_on(
    runtime: Runtime,
) -> None:
    """The sandbox's reading: the third anniversary of a 29 February is the 28 February."""
    persona = next(p for p in runtime.population.personas if p.nir == "286106221591004")
    leap = dt.date(2024, 2, 29)
    person = dataclasses.replace(
        persona,
        registration=dataclasses.replace(persona.registration, ended_on=leap, status_date=leap),
    )
    assert is_known(person, dt.date(2027, 2, 27))
    assert not is_known(person, dt.date(2027, 2, 28))
    assert not is_known(person, dt.date(2027, 3, 1))
