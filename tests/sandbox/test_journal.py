"""The journal is rich enough to judge a client, masked, bounded, durable, and can be switched off.

Issue 12, step 1: per OAuth client, every exchange with its route template, status, timings,
fault, keyed hashes of its token and jeton, the state of its ``pa-*`` headers, the masked shape
of its bodies, the URL flags, and what the client asked for in its token requests. Expected
values are what each test sends (its scopes, its headers, its NIR) and what the published
contracts answer (``codeRetour`` S001, the published paths).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.recording import TOKEN_PATH, Captured, Journal
from sandbox.state import StateStore
from tests.conftest import (
    AGENT_HEADERS,
    AGENT_SCOPES,
    DEFAULT_CLIENT,
    NOW,
    PARTENAIRE_SCOPES,
    request_token,
)

CD62 = DEFAULT_CLIENT[0]
NIR, BIRTH = "290036204190175", "1990-03-14"  # persona s001-certifiee (62)
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
STATUT_V1 = "/partenaire/statut-usager/v1/statut"
OK = dict.fromkeys(AGENT_HEADERS, "ok")


def _settings(data: Path, **extra: Any) -> Settings:
    return Settings(data_dir=data, secret_key="journal-test-key", **extra)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(_settings(tmp_path / "data"), FrozenClock(NOW))) as client:
        yield client


def _admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.runtime.admin_token}"}  # type: ignore[attr-defined]


def _journal(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/_sandbox/journal/{CD62}", params=params, headers=_admin(client))
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


def _v2_flow(client: TestClient) -> tuple[str, str]:
    token = request_token(client)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(RECHERCHE_V2, json={"nir": NIR, "dateNaissance": BIRTH}, headers=headers)
    assert found.json()["codeRetour"] == "S001", found.text
    jeton: str = found.json()["jetonUsager"]
    statut = client.get(STATUT_V2, headers={**headers, "ft-jeton-usager": jeton})
    assert statut.status_code == 200, statut.text
    return token, jeton


def test_a_v2_flow_is_journaled_with_every_field(sandbox: TestClient) -> None:
    token, jeton = _v2_flow(sandbox)
    grant, search, statut = _journal(sandbox)
    assert [e["index"] for e in (grant, search, statut)] == [1, 2, 3]
    assert [e["route"] for e in (grant, search, statut)] == [TOKEN_PATH, RECHERCHE_V2, STATUT_V2]
    assert [e["method"] for e in (grant, search, statut)] == ["POST", "POST", "GET"]
    assert [e["status"] for e in (grant, search, statut)] == [200, 200, 200]
    # The token request: what the client asked for, and the identity of what it got.
    asked = grant["token_request"]
    assert asked["realm"] == "/agent"
    assert asked["scopes"] == AGENT_SCOPES.split()
    assert asked["grant_type"] == "client_credentials"
    assert asked["granted_scopes"] == AGENT_SCOPES.split()
    assert grant["query"] == ["realm"]
    assert grant["request"]["client_secret"] == "[masqué]"
    assert grant["response"]["access_token"] == f"<token {asked['issued_token']}>"
    # The calls carry that token, and the Statut carries the jeton Recherche handed out.
    assert search["token"] == statut["token"] == asked["issued_token"]
    assert search["jeton"] is None and statut["jeton"] is not None
    assert search["response"]["jetonUsager"] == f"<jeton {statut['jeton']}>"
    masked_nir, person = search["request"]["nir"].removesuffix(">").rsplit(" ", 1)
    assert masked_nir == "<nir 2900362********"
    assert search["request"]["dateNaissance"] == "<date AAAA-MM-JJ>"
    # The person's keyed hash: the same NIR gives the same one, another NIR another one.
    assert re.fullmatch("[0-9a-f]{16}", person)
    assert search["response"]["codeRetour"] == "S001"
    assert search["agent_headers"] == statut["agent_headers"] == OK
    assert grant["agent_headers"] == dict.fromkeys(AGENT_HEADERS, "absent")
    assert search["api"] == "rechercher-usager-v2"
    for entry in (grant, search, statut):
        assert entry["arrived_at"] == entry["started_at"] == entry["ended_at"] == NOW.timestamp()
        assert entry["fault_type"] is None and entry["outcome"] == "answered"
        assert entry["nir_in_url"] is False and entry["secret_in_url"] is False
        text = json.dumps(entry)
        assert token not in text and jeton not in text and NIR not in text


def test_a_v1_flow_is_journaled_with_route_templates_and_hashed_identifiants(
    sandbox: TestClient,
) -> None:
    token = request_token(sandbox, "/partenaire", PARTENAIRE_SCOPES)
    headers = {"Authorization": f"Bearer {token}"}
    found = sandbox.post(RECHERCHE_V1, json={"nir": NIR, "dateNaissance": BIRTH}, headers=headers)
    identifiant = found.json()["identifiant"]
    statut = sandbox.post(STATUT_V1, json={"idNat": identifiant}, headers=headers)
    assert statut.status_code == 200, statut.text
    grant, search, status = _journal(sandbox)
    assert grant["token_request"]["realm"] == "/partenaire"
    assert grant["token_request"]["scopes"] == PARTENAIRE_SCOPES.split()
    assert [search["route"], status["route"]] == [RECHERCHE_V1, STATUT_V1]
    assert search["response"]["codeRetour"] == "S001"
    # The identifiant handed out and the one sent back have one identity.
    assert search["response"]["identifiant"] == status["request"]["idNat"]
    assert status["request"]["idNat"].startswith("<identifiant ")
    assert identifiant not in json.dumps([grant, search, status])


def test_a_v1_identifiant_sent_as_the_id_national_header_is_journaled_as_its_identity(
    sandbox: TestClient,
) -> None:
    token = request_token(
        sandbox, "/partenaire", "api_rechercher-usagerv1 api_metiers-profil-competencesv1 ciblepro"
    )
    headers = {"Authorization": f"Bearer {token}"}
    found = sandbox.post(RECHERCHE_V1, json={"nir": NIR, "dateNaissance": BIRTH}, headers=headers)
    identifiant = found.json()["identifiant"]
    metiers = sandbox.get(
        "/partenaire/metiers-profil-competences/v1/metiers-recherches",
        headers={**headers, "id-national": identifiant},
    )
    assert metiers.status_code in (200, 204), metiers.text
    search, used = _journal(sandbox)[-2:]
    assert search["response"]["identifiant"] == f"<identifiant {used['identifiant']}>"


def test_a_v1_path_parameter_is_journaled_as_its_template(sandbox: TestClient) -> None:
    token = request_token(sandbox, "/partenaire", PARTENAIRE_SCOPES)
    path = "/partenaire/diagnosticargumente/v1/individus/quelqu-un"
    sandbox.get(path, headers={"Authorization": f"Bearer {token}"})
    entry = _journal(sandbox)[-1]
    assert entry["route"] == "/partenaire/diagnosticargumente/v1/individus/{identifiant}"
    assert entry["identifiant"] is not None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({**AGENT_HEADERS, "pa-nom-agent": "DUPONT|JEAN"}, "forbidden_character"),
        ({**AGENT_HEADERS, "pa-nom-agent": " "}, "empty"),
        ({k: v for k, v in AGENT_HEADERS.items() if k != "pa-nom-agent"}, "absent"),
    ],
)
def test_agent_headers_are_journaled_as_present_and_well_formed_or_not(
    sandbox: TestClient, headers: dict[str, str], expected: str
) -> None:
    token = request_token(sandbox)
    sandbox.post(
        RECHERCHE_V2,
        json={"nir": NIR, "dateNaissance": BIRTH},
        headers={"Authorization": f"Bearer {token}", **headers},
        follow_redirects=False,
    )
    entry = _journal(sandbox)[-1]
    assert entry["agent_headers"] == {**OK, "pa-nom-agent": expected}
    assert "DUPONT" not in json.dumps(entry)


def test_a_nir_or_a_secret_in_the_url_is_flagged_and_never_stored(sandbox: TestClient) -> None:
    token = request_token(sandbox)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    sandbox.get(STATUT_V2, params={"nir": NIR}, headers=headers)
    sandbox.get(STATUT_V2, params={"client_secret": DEFAULT_CLIENT[1]}, headers=headers)
    sandbox.get(f"{STATUT_V2}?acces={token}", headers=headers)
    with_nir, with_secret, with_token = _journal(sandbox)[-3:]
    assert (with_nir["nir_in_url"], with_nir["secret_in_url"]) == (True, False)
    assert with_nir["query"] == ["nir"]
    assert (with_secret["nir_in_url"], with_secret["secret_in_url"]) == (False, True)
    assert with_token["secret_in_url"] is True
    text = json.dumps(_journal(sandbox))
    for value in (NIR, NIR[7:], DEFAULT_CLIENT[1], token):
        assert value not in text


def test_a_request_answered_by_an_injected_fault_keeps_its_shape(sandbox: TestClient) -> None:
    # Two people searched during an outage: the rules must tell a retry from the next person.
    token = request_token(sandbox)
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    for profile in ("outage", "rate-limited"):
        answered = sandbox.post(
            RECHERCHE_V2,
            json={"nir": NIR, "dateNaissance": BIRTH},
            headers={**headers, "X-Sandbox-Scenario": profile},
        )
        assert answered.status_code in (503, 200, 429)
    outage = _journal(sandbox)[-2]
    assert outage["fault_type"] == "outage" and outage["status"] == 503
    assert outage["request"]["nir"].startswith("<nir 2900362******** ")
    assert outage["request"]["dateNaissance"] == "<date AAAA-MM-JJ>"


def test_identities_are_stable_within_an_instance_and_differ_across_secrets(
    tmp_path: Path,
) -> None:
    same = Journal(StateStore(tmp_path / "a.sqlite3"), b"secret-a", 10)
    again = Journal(StateStore(tmp_path / "b.sqlite3"), b"secret-a", 10)
    other = Journal(StateStore(tmp_path / "c.sqlite3"), b"secret-b", 10)
    assert same.identity("token", "T") == again.identity("token", "T")
    assert same.identity("token", "T") != other.identity("token", "T")
    assert same.identity("token", "T") != same.identity("token", "U")
    assert same.identity("token", "T") != same.identity("jeton", "T")


def test_two_tokens_have_two_identities_and_one_token_keeps_its_own(sandbox: TestClient) -> None:
    for token in (request_token(sandbox), request_token(sandbox)):
        for _ in range(2):
            sandbox.get(STATUT_V2, headers={"Authorization": f"Bearer {token}", **AGENT_HEADERS})
    calls = [e["token"] for e in _journal(sandbox) if e["route"] == STATUT_V2]
    assert calls[0] == calls[1] != calls[2] == calls[3]


def test_the_journal_survives_a_restart_on_the_same_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with TestClient(create_app(_settings(data), FrozenClock(NOW))) as first:
        _v2_flow(first)  # never read: only the shutdown flushes it
    with TestClient(create_app(_settings(data), FrozenClock(NOW))) as second:
        before = _journal(second)
        _v2_flow(second)
        after = _journal(second)
    assert [e["route"] for e in before] == [TOKEN_PATH, RECHERCHE_V2, STATUT_V2]
    assert [e["index"] for e in after] == [1, 2, 3, 4, 5, 6]


def test_the_per_client_bound_drops_the_oldest_and_paging_goes_forward(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data", journal_size=4)
    with TestClient(create_app(settings, FrozenClock(NOW))) as client:
        _v2_flow(client)
        _v2_flow(client)
        assert [e["index"] for e in _journal(client)] == [3, 4, 5, 6]
        assert [e["index"] for e in _journal(client, since=4, limit=1)] == [5]
        assert [e["index"] for e in _journal(client, since=0, limit=2)] == [3, 4]
        assert [e["index"] for e in _journal(client, limit=1)] == [6]
        counters = client.get("/_sandbox/counters", headers=_admin(client)).json()
    assert counters[CD62]["calls"] == 6


def test_a_reset_clears_the_journal_and_numbering_starts_again(sandbox: TestClient) -> None:
    _v2_flow(sandbox)
    answer = sandbox.post("/_sandbox/reset", json={"client_id": CD62}, headers=_admin(sandbox))
    assert answer.status_code == 200
    assert _journal(sandbox) == []
    request_token(sandbox)
    assert [e["index"] for e in _journal(sandbox)] == [1]


def test_the_off_switch_records_nothing_and_says_so(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data", journal=False)
    with TestClient(create_app(settings, FrozenClock(NOW))) as client:
        _v2_flow(client)
        response = client.get(f"/_sandbox/journal/{CD62}", headers=_admin(client))
        health = client.get("/_sandbox/health", headers=_admin(client)).json()
        counters = client.get("/_sandbox/counters", headers=_admin(client)).json()
    assert response.json() == [] and response.headers["x-sandbox-journal"] == "off"
    assert health["journal"] == "off"
    assert counters == {}


def test_the_off_switch_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FT_SANDBOX_JOURNAL", "off")
    assert Settings().journal is False


def test_the_journal_answer_says_it_is_on(sandbox: TestClient) -> None:
    response = sandbox.get(f"/_sandbox/journal/{CD62}", headers=_admin(sandbox))
    assert response.headers["x-sandbox-journal"] == "on"
    assert sandbox.get("/_sandbox/health", headers=_admin(sandbox)).json()["journal"] == "on"


# The property: whatever a client puts in its requests, no entry holds a full NIR, a token, a
# jeton, a secret or a name.

_NIRS = st.builds(
    lambda sex, year, month, dep, commune, order: (
        f"{sex}{year:02}{month:02}{dep}{commune:03}{order:03}"
    ),
    st.sampled_from("12"),
    st.integers(0, 99),
    st.integers(1, 12),
    st.sampled_from(["62", "59", "2A", "75"]),
    st.integers(1, 999),
    st.integers(1, 999),
)
# Names as the population writes them, with a letter no journal field contains.
_NAMES = st.builds(
    lambda first, rest: f"{first}{rest}ï",
    st.sampled_from("ABCDÉLMZ"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéè", min_size=3, max_size=10),
)
_SECRETS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=12, max_size=40
).filter(lambda s: any(c.islower() for c in s))
_TOKENS = st.binary(min_size=48, max_size=64).map(lambda b: base64.urlsafe_b64encode(b).decode())
_FIELDS = st.sampled_from(
    ["nom", "prenom", "nir", "codeRetour", "typeVoie", "commentaire", "jetonUsager", "idNat", "x"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    nir=_NIRS,
    name=_NAMES,
    secret=_SECRETS,
    token=_TOKENS,
    jeton=_TOKENS,
    fields=st.lists(_FIELDS, min_size=1, max_size=5),
    nested=st.booleans(),
)
def test_no_entry_ever_holds_a_nir_a_token_a_jeton_a_secret_or_a_name(
    tmp_path_factory: pytest.TempPathFactory,
    nir: str,
    name: str,
    secret: str,
    token: str,
    jeton: str,
    fields: list[str],
    nested: bool,
) -> None:
    store = StateStore(tmp_path_factory.mktemp("j") / "state.sqlite3")
    journal = Journal(store, b"k", 10, clients=[CD62])
    values = [nir, name, secret, token, jeton, f"{name} {nir}", f"{nir[:5]} {nir[5:]}"]
    body: dict[str, Any] = {field: values[i % len(values)] for i, field in enumerate(fields)}
    body[nir] = name  # a NIR as a key
    if nested:
        body = {"usager": [body, body], nir: {"nom": name}}
    raw = json.dumps(body).encode()
    journal.capture(
        Captured(
            CD62,
            None,
            "POST",
            f"/p/{nir}",
            f"nir={nir}&q={secret}&t={token}".encode(),
            200,
            1.0,
            1.0,
            1.0,
            token=token,
            jeton=jeton,
            agent=(name, name, secret),
            request_type="application/json",
            request_body=raw,
            response_type="application/json",
            response_body=raw,
        )
    )
    journal.capture(
        Captured(
            None,
            None,
            "POST",
            TOKEN_PATH,
            b"realm=/agent",
            200,
            1.0,
            1.0,
            1.0,
            request_type="application/x-www-form-urlencoded",
            request_body=f"client_id={CD62}&client_secret={secret}&scope={name}+{nir}".encode(),
            response_type="application/json",
            response_body=json.dumps({"access_token": token, "scope": name}).encode(),
        )
    )
    entries = journal.entries(CD62)
    store.close()
    assert [e.path for e in entries][1] == TOKEN_PATH  # both attributed and journaled
    assert entries[0].nir_in_url and entries[1].token_request is not None
    text = json.dumps([e.as_dict() for e in entries], ensure_ascii=False)
    for value in (nir, nir[7:], name, secret, token, jeton):
        assert value not in text
