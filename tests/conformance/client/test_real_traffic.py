"""The rules on real traffic: the in-process sandbox's own journal, fetched over its control plane.

A correct v2 flow (one token, Recherche usager v2, Statut usager v2 and Métiers recherchés v2
with the jeton handed out) passes every rule it gives something to judge; each broken flow
fails the rule it breaks, with evidence on the calls the test made to break it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conformance.client.checks import evaluate
from conformance.client.traffic import Context
from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, NOW

CD62 = DEFAULT_CLIENT[0]
NIR, BIRTH = "290036204190175", "1990-03-14"  # persona s001-certifiee (62)
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
METIERS_V2 = "/partenaire/metiers-projets-entreprises/v2/metiers-recherches"
# Exactly the scopes of the three APIs called (the published catalogue's strings).
RECHERCHE_SCOPES = "api_rechercher-usagerv2 rechercheusager profil_accedant"
STATUT_SCOPES = f"{RECHERCHE_SCOPES} api_contrat-usagerv2 statutcontratusager"
SCOPES = f"{STATUT_SCOPES} api_metiers-projets-entreprisesv2 ciblepro"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", secret_key="rules-test-key")
    with TestClient(create_app(settings, FrozenClock(NOW))) as client:
        yield client


def _admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.runtime.admin_token}"}  # type: ignore[attr-defined]


def _journal(client: TestClient) -> list[dict[str, Any]]:
    answer = client.get(f"/_sandbox/journal/{CD62}", params={"limit": 1000}, headers=_admin(client))
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()
    return entries


def _context(client: TestClient) -> Context:
    registered = client.app.state.runtime.clients.get(CD62)  # type: ignore[attr-defined]
    return Context(client_id=CD62, scopes=frozenset(registered.scopes), scenario="reel")


def _token(client: TestClient, scopes: str = SCOPES) -> dict[str, str]:
    answer = client.post(
        "/connexion/oauth2/access_token",
        params={"realm": "/agent"},
        data={
            "grant_type": "client_credentials",
            "client_id": DEFAULT_CLIENT[0],
            "client_secret": DEFAULT_CLIENT[1],
            "scope": scopes,
        },
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}", **AGENT_HEADERS}


def _search(client: TestClient, headers: dict[str, str], **extra: str) -> Any:
    return client.post(
        RECHERCHE_V2, json={"nir": NIR, "dateNaissance": BIRTH}, headers={**headers, **extra}
    )


def _findings(client: TestClient) -> dict[str, list[list[int]]]:
    report = evaluate(_journal(client), _context(client))
    found: dict[str, list[list[int]]] = {}
    for finding in report.findings:
        found.setdefault(finding.rule, []).append([e.call for e in finding.evidence])
    return found


def test_a_correct_v2_flow_passes_every_rule_it_exercises(sandbox: TestClient) -> None:
    headers = _token(sandbox)
    found = _search(sandbox, headers)
    assert found.json()["codeRetour"] == "S001", found.text
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    assert sandbox.get(STATUT_V2, headers={**headers, **jeton}).status_code == 200
    assert sandbox.get(METIERS_V2, headers={**headers, **jeton}).status_code in (200, 204)
    report = evaluate(_journal(sandbox), _context(sandbox))
    assert report.findings == [], report.findings
    assert report.rows == 4
    exercised = {
        "token-realm",
        "token-scopes-minimal",
        "token-reuse",
        "agent-headers",
        "jeton-from-recherche",
        "recherche-first",
        "subscribed-apis",
        "formats",
    }
    assert exercised <= set(report.rules)


def test_a_token_per_call_fails_token_reuse_on_the_second_token(sandbox: TestClient) -> None:
    found = _search(sandbox, _token(sandbox, STATUT_SCOPES))
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    sandbox.get(STATUT_V2, headers={**_token(sandbox, STATUT_SCOPES), **jeton})
    assert _findings(sandbox) == {"token-reuse": [[1, 3]]}


def test_a_nir_in_the_query_fails_no_nir_in_url_on_that_call(sandbox: TestClient) -> None:
    headers = _token(sandbox, STATUT_SCOPES)
    found = _search(sandbox, headers)
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    sandbox.get(STATUT_V2, params={"nir": NIR}, headers={**headers, **jeton})
    assert _findings(sandbox) == {"no-nir-in-url": [[3]]}


def test_a_forged_jeton_fails_jeton_from_recherche_on_that_call(sandbox: TestClient) -> None:
    headers = _token(sandbox, STATUT_SCOPES)
    _search(sandbox, headers)
    forged = "eyJ2ZXJzIjoiMC4xIn0="
    sandbox.get(STATUT_V2, headers={**headers, "ft-jeton-usager": forged})
    assert _findings(sandbox) == {"jeton-from-recherche": [[3]]}


def test_ignoring_retry_after_under_the_rate_limited_profile_fails_its_rule(
    sandbox: TestClient,
) -> None:
    headers = _token(sandbox, RECHERCHE_SCOPES)
    scenario = {"X-Sandbox-Scenario": "rate-limited"}
    statuses = [_search(sandbox, headers, **scenario).status_code for _ in range(5)]
    # The profile's quota: 3 calls per second per API; the clock does not move.
    assert statuses == [200, 200, 200, 429, 429]
    entries = _journal(sandbox)
    assert [e["retry_after"] for e in entries[4:]] == [1, 1]
    assert _findings(sandbox) == {"retry-after-honoured": [[5, 6]]}


def test_the_report_of_real_traffic_holds_no_nir_token_or_jeton(sandbox: TestClient) -> None:
    headers = _token(sandbox, STATUT_SCOPES)
    found = _search(sandbox, headers)
    jeton = found.json()["jetonUsager"]
    sandbox.get(STATUT_V2, params={"nir": NIR}, headers={**headers, "ft-jeton-usager": jeton})
    text = evaluate(_journal(sandbox), _context(sandbox)).model_dump_json()
    token = headers["Authorization"].removeprefix("Bearer ")
    for secret in (NIR, NIR[7:], jeton, token, DEFAULT_CLIENT[1]):
        assert secret not in text
    (finding,) = json.loads(text)["findings"]
    assert finding["evidence"] == [
        {
            "call": 3,
            "at": "2026-11-28T09:30:00.000+00:00",
            "excerpt": f"GET {STATUT_V2}?nir=… → 200",
        }
    ]


@pytest.fixture
def clocked(tmp_path: Path) -> Iterator[tuple[TestClient, FrozenClock]]:
    clock = FrozenClock(NOW)
    settings = Settings(data_dir=tmp_path / "data", secret_key="rules-test-key")
    with TestClient(create_app(settings, clock)) as client:
        yield client, clock


OUTAGE = {"X-Sandbox-Scenario": "outage"}
PEOPLE = [("290036204190175", "1990-03-14"), ("190036204190158", "1990-03-14")]


def _attempt(client: TestClient, headers: dict[str, str], person: tuple[str, str]) -> int:
    nir, birth = person
    answer = client.post(RECHERCHE_V2, json={"nir": nir, "dateNaissance": birth}, headers=headers)
    return answer.status_code


def test_backing_off_during_an_outage_passes_the_retry_and_outage_rules(
    clocked: tuple[TestClient, FrozenClock],
) -> None:
    client, clock = clocked
    headers = {**_token(client, RECHERCHE_SCOPES), **OUTAGE}
    statuses = []
    for person in PEOPLE:  # a call and 3 retries after 0.5 s, 1 s, 2 s, for each person
        for wait in (0.0, 0.5, 1.0, 2.0):
            clock.advance(dt.timedelta(seconds=wait))
            statuses.append(_attempt(client, headers, person))
    assert statuses == [503] * 8
    report = evaluate(_journal(client), _context(client))
    assert {"retry-bounded", "retry-backoff", "outage-rate"} <= set(report.rules)
    assert report.findings == []


def test_storming_during_an_outage_fails_the_retry_and_outage_rules(
    clocked: tuple[TestClient, FrozenClock],
) -> None:
    client, clock = clocked
    headers = _token(client, STATUT_SCOPES)
    found = _search(client, headers)  # before the outage: the person is found
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    for _ in range(12):  # then the same Statut again and again, 0.1 s apart, in the outage
        answer = client.get(STATUT_V2, headers={**headers, **jeton, **OUTAGE})
        assert answer.status_code == 503
        clock.advance(dt.timedelta(seconds=0.1))
    calls = list(range(3, 15))
    assert _findings(client) == {
        "retry-bounded": [calls],
        "retry-backoff": [[3, 4]],
        "outage-rate": [calls],
    }


def test_an_outage_answer_keeps_each_request_and_never_joins_two_people(
    clocked: tuple[TestClient, FrozenClock],
) -> None:
    # Under an injected fault the route never reads the body; the sandbox reads it for the
    # journal, so two people's Recherche calls are never taken for one request retried.
    client, _ = clocked
    headers = {**_token(client, RECHERCHE_SCOPES), **OUTAGE}
    for person in PEOPLE * 3:
        assert _attempt(client, headers, person) == 503
    entries = _journal(client)
    people = [e["request"]["nir"] for e in entries[1:]]
    assert people[:2] * 3 == people and people[0] != people[1]
    report = evaluate(entries, _context(client), ["retry-bounded", "no-functional-retry"])
    assert report.findings == []


R001_PERSON = ("192016211990576", "1992-01-25")  # persona r001-hors-perimetre
NO_STATUT_PERSON = ("291076204192170", "1991-07-07")  # persona statut-aucune-donnee


def test_replaying_an_r001_fails_no_functional_retry(sandbox: TestClient) -> None:
    headers = _token(sandbox, RECHERCHE_SCOPES)
    assert [_attempt(sandbox, headers, R001_PERSON) for _ in range(2)] == [403, 403]
    assert _journal(sandbox)[1]["response"]["codeRetour"] == "R001"
    assert _findings(sandbox) == {"no-functional-retry": [[2, 3]]}


def test_replaying_a_204_at_once_fails_no_content_no_retry(sandbox: TestClient) -> None:
    headers = _token(sandbox, STATUT_SCOPES)
    nir, birth = NO_STATUT_PERSON
    found = sandbox.post(RECHERCHE_V2, json={"nir": nir, "dateNaissance": birth}, headers=headers)
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    statuses = [sandbox.get(STATUT_V2, headers={**headers, **jeton}).status_code for _ in "ab"]
    assert statuses == [204, 204]
    assert _findings(sandbox) == {"no-content-no-retry": [[3, 4]]}


def test_a_date_in_the_wrong_format_fails_formats(sandbox: TestClient) -> None:
    headers = _token(sandbox, RECHERCHE_SCOPES)
    answer = sandbox.post(
        RECHERCHE_V2, json={"nir": NIR, "dateNaissance": "14/03/1990"}, headers=headers
    )
    assert answer.status_code == 400, answer.text
    assert _findings(sandbox) == {"formats": [[2]]}


def test_renewing_once_after_the_token_expired_mid_run_passes_the_token_rules(
    clocked: tuple[TestClient, FrozenClock],
) -> None:
    client, clock = clocked
    headers = _token(client, STATUT_SCOPES)
    found = _search(client, headers)
    jeton = {"ft-jeton-usager": found.json()["jetonUsager"]}
    clock.advance(dt.timedelta(seconds=1500))  # past the token's 1499 s
    assert client.get(STATUT_V2, headers={**headers, **jeton}).status_code == 401
    renewed = _token(client, STATUT_SCOPES)
    assert client.get(STATUT_V2, headers={**renewed, **jeton}).status_code == 200
    report = evaluate(_journal(client), _context(client))
    assert {"token-reuse", "token-renewal"} <= set(report.rules)
    assert report.findings == []


def test_a_token_storm_after_the_token_expired_fails_token_renewal(
    clocked: tuple[TestClient, FrozenClock],
) -> None:
    client, clock = clocked
    headers = _token(client, RECHERCHE_SCOPES)
    clock.advance(dt.timedelta(seconds=1500))
    assert _search(client, headers).status_code == 401
    for _ in range(3):
        renewed = _token(client, RECHERCHE_SCOPES)
    assert _search(client, renewed).json()["codeRetour"] == "S001"
    found = _findings(client)
    # Three requests at once after the refusal: too many, and a storm.
    assert found["token-renewal"] == [[2, 3, 4, 5], [3, 4, 5]]
    # The second and third were asked while the first new one was fresh.
    assert found["token-reuse"] == [[3, 4], [4, 5]]
