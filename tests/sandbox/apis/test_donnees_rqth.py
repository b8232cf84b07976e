"""Données RQTH v1: the RQTH of the person behind the jeton, as les-emplois reads it.

Expected values come from the persona files (fixtures/personas/rqth-*.yaml), from the reference
(§6.4: path, scopes, the four keys, 9999-12-31 for no end; les-emplois maps 204 to "no data")
and from the rules the contract states (16th birthday, 2019 for no end, validity on the
instance's day), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from sandbox.clock import FrozenClock
from sandbox.population import Population
from sandbox.rqth import rqth_of
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, NORD_CLIENT, request_token

PERSONAS = Path(__file__).resolve().parents[3] / "fixtures" / "personas"
RQTH = "/partenaire/donnees-rqth/v1/rqth"
RECHERCHE = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RSA_SUITE = ("PAR_ftsandbox_cd62_rsa", "ftsandbox-secret-cd62-rsa")
# The scope string of the issue, exactly as les-emplois builds it ("application_<key> " + scopes).
ISSUE_SCOPE = (
    f"application_{RSA_SUITE[0]} api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_donnees-rqthv1 h2a"
)
KEYS = ["dateDebutRqth", "dateFinRqth", "source", "topValiditeRQTH"]


def persona(name: str) -> dict[str, Any]:
    """A persona file, read as YAML."""
    data: dict[str, Any] = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def token_response(client: TestClient, scope: str, credentials: tuple[str, str]) -> Any:
    response = client.post(
        "/connexion/oauth2/access_token",
        params={"realm": "/agent"},
        data={
            "grant_type": "client_credentials",
            "client_id": credentials[0],
            "client_secret": credentials[1],
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    token = token_response(client, ISSUE_SCOPE, RSA_SUITE)["access_token"]
    return {"Authorization": f"Bearer {token}", **AGENT_HEADERS}


def with_jeton(client: TestClient, headers: dict[str, str], name: str) -> dict[str, str]:
    spec = persona(name)
    body = {"nir": spec["nir"], "dateNaissance": str(spec["dateNaissance"])}
    found = client.post(RECHERCHE, json=body, headers=headers).json()
    assert found["codeRetour"] == "S001", found
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


def test_the_issue_token_request_then_recherche_then_rqth(client: TestClient) -> None:
    granted = token_response(client, ISSUE_SCOPE, RSA_SUITE)
    assert granted["token_type"] == "Bearer"
    for scope in ISSUE_SCOPE.split():
        assert scope in granted["scope"].split()
    headers = {"Authorization": f"Bearer {granted['access_token']}", **AGENT_HEADERS}
    response = client.get(RQTH, headers=with_jeton(client, headers, "rqth-en-cours"))
    assert response.status_code == 200, response.text
    spec = persona("rqth-en-cours")["rqth"]
    assert response.json() == {
        "dateDebutRqth": str(spec["dateDebut"]),
        "dateFinRqth": str(spec["dateFin"]),
        "source": spec["source"],
        "topValiditeRQTH": True,
    }


def test_an_expired_rqth_keeps_its_dates_and_is_not_valid(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(RQTH, headers=with_jeton(client, headers, "rqth-expiree"))
    assert response.status_code == 200
    spec = persona("rqth-expiree")["rqth"]
    assert response.json() == {
        "dateDebutRqth": str(spec["dateDebut"]),
        "dateFinRqth": str(spec["dateFin"]),
        "source": "FRANCE TRAVAIL",
        "topValiditeRQTH": False,
    }


def test_a_person_without_rqth_gets_204_without_body(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get(RQTH, headers=with_jeton(client, headers, "rqth-aucune"))
    assert (response.status_code, response.content) == (204, b"")


def test_validity_follows_the_instance_clock(client: TestClient, clock: FrozenClock) -> None:
    last_day = dt.datetime.combine(
        persona("rqth-en-cours")["rqth"]["dateFin"], dt.time(12), tzinfo=dt.UTC
    )
    clock.set(last_day)  # tokens and jetons of another day have expired: ask again
    fresh = with_jeton(client, _fresh_headers(client), "rqth-en-cours")
    assert client.get(RQTH, headers=fresh).json()["topValiditeRQTH"] is True
    clock.set(last_day + dt.timedelta(days=1))
    fresh = with_jeton(client, _fresh_headers(client), "rqth-en-cours")
    body = client.get(RQTH, headers=fresh).json()
    assert body["topValiditeRQTH"] is False
    assert body["dateFinRqth"] == "2031-08-31"  # the dates never move with the clock


def _fresh_headers(client: TestClient) -> dict[str, str]:
    token = token_response(client, ISSUE_SCOPE, RSA_SUITE)["access_token"]
    return {"Authorization": f"Bearer {token}", **AGENT_HEADERS}


def test_the_token_needs_both_scopes(client: TestClient) -> None:
    token = request_token(
        client,
        scope="api_rechercher-usagerv2 rechercheusager profil_accedant api_donnees-rqthv1",
        credentials=RSA_SUITE,
    )
    response = client.get(RQTH, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS})
    assert (response.status_code, response.content) == (403, b"")


def test_jeton_errors_and_the_access_rule(client: TestClient, headers: dict[str, str]) -> None:
    missing = client.get(RQTH, headers=headers)
    assert (missing.status_code, missing.json()["codeErreur"]) == (400, "ERR_JETON_USAGER_ABSENT")
    forged = client.get(RQTH, headers={**headers, "ft-jeton-usager": "bm9wZQ=="})
    assert (forged.status_code, forged.json()["codeErreur"]) == (401, "ERR_JETON_USAGER_INVALIDE")
    # A jeton issued to the Nord client names a person of another département for it.
    nord_token = request_token(
        client,
        scope="api_rechercher-usagerv2 rechercheusager profil_accedant",
        credentials=NORD_CLIENT,
    )
    nord = {"Authorization": f"Bearer {nord_token}"}
    nord_jeton = with_jeton(client, {**nord, **AGENT_HEADERS}, "r002-autre-departement")
    other_app = client.get(
        RQTH, headers={**headers, "ft-jeton-usager": nord_jeton["ft-jeton-usager"]}
    )
    assert (other_app.status_code, other_app.json()["codeErreur"]) == (
        403,
        "ERR_JETON_USAGER_NON_AUTORISE",
    )


def test_absent_pa_headers_are_redirected(client: TestClient, headers: dict[str, str]) -> None:
    jeton = with_jeton(client, headers, "rqth-en-cours")["ft-jeton-usager"]
    bare = {"Authorization": headers["Authorization"], "ft-jeton-usager": jeton}
    response = client.get(RQTH, headers=bare, follow_redirects=False)
    assert response.status_code == 302


def test_generated_rqth_share_and_shapes(runtime: Runtime) -> None:
    population = runtime.population
    epoch = population.epoch
    records = [
        (person, rqth)
        for index in range(2_000)
        if (rqth := rqth_of(population.seed, person := population.generated(index), epoch))
    ]
    # About 12 % (contract), never more: some drawn kinds do not fit the person's age.
    assert 0.09 * 2_000 <= len(records) <= 0.12 * 2_000 + 40
    without_end = [r for _, r in records if r.ends_on is None]
    expired = [r for _, r in records if r.ends_on is not None and r.ends_on < epoch]
    assert without_end and expired
    assert {r.source.value for _, r in records} == {"MDPH", "FRANCE TRAVAIL"}
    for person, rqth in records:
        born = person.birth_date
        day = 28 if (born.month, born.day) == (2, 29) else born.day
        assert rqth.starts_on >= dt.date(born.year + 16, born.month, day), person.key
        assert rqth.starts_on <= epoch
        if rqth.ends_on is None:
            assert rqth.starts_on >= dt.date(2019, 1, 1)
        else:
            assert rqth.starts_on <= rqth.ends_on
            assert rqth.ends_on <= dt.date(rqth.starts_on.year + 10, 12, 31)


@given(seed=st.integers(0, 2**32), index=st.integers(0, 999))
def test_the_same_seed_gives_the_same_rqth(seed: int, index: int) -> None:
    epoch = dt.date(2026, 1, 1)
    first = Population(seed, 1_000, epoch).generated(index)
    again = Population(seed, 1_000, epoch).generated(index)
    assert rqth_of(seed, first, epoch) == rqth_of(seed, again, epoch)


def test_a_generated_person_with_a_rqth_without_end_is_served_it(
    client: TestClient, runtime: Runtime, headers: dict[str, str]
) -> None:
    population = runtime.population
    candidates = (
        person
        for index in range(population.size)
        if (r := rqth_of(population.seed, person := population.generated(index), population.epoch))
        and r.ends_on is None
    )
    for person in candidates:
        found = client.post(
            RECHERCHE,
            json={"nir": person.nir, "dateNaissance": person.birth_date.isoformat()},
            headers=headers,
        ).json()
        if found["codeRetour"] == "S001":
            break
    else:
        pytest.fail("no generated person with a RQTH without end is found by Recherche usager")
    rqth = rqth_of(population.seed, person, population.epoch)
    assert rqth is not None
    response = client.get(RQTH, headers={**headers, "ft-jeton-usager": found["jetonUsager"]})
    assert list(response.json()) == KEYS
    assert response.json()["dateFinRqth"] == "9999-12-31"
    assert response.json()["dateDebutRqth"] == rqth.starts_on.isoformat()
    assert response.json()["topValiditeRQTH"] is True
