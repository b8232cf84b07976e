"""The bench's scenario table covers what the sandbox serves, and selects as documented."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.reference_app import Answer, build_app
from bench.scenarios import QUICK, SCENARIOS, select
from sandbox import Settings, create_app
from sandbox.apis import PARTNER_ROUTERS
from sandbox.auth.scopes import API_ACCESS, Api


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), secret_key="bench-test")
    openapi: dict[str, Any] = create_app(settings).openapi()
    return openapi


def test_every_served_partner_api_has_a_scenario() -> None:
    # PARTNER_ROUTERS serve exactly the APIs of API_ACCESS (the catalogue's served entries).
    assert PARTNER_ROUTERS
    covered = {s.api for s in SCENARIOS}
    missing = [api.value for api in Api if api.value not in covered]
    assert not missing, f"served APIs without a bench scenario: {missing}"
    for s in SCENARIOS:
        if s.api in {api.value for api in Api}:
            assert s.route.startswith(API_ACCESS[Api(s.api)].prefix), s.key


def test_every_get_of_a_partner_api_has_a_scenario(document: dict[str, Any]) -> None:
    gets = {
        path
        for path, operations in document["paths"].items()
        if path.startswith("/partenaire/") and "get" in operations
    }
    assert len(gets) > 30
    benched = {s.route for s in SCENARIOS if s.method == "GET"}
    assert not gets - benched, f"GET routes without a bench scenario: {sorted(gets - benched)}"


def test_every_scenario_names_a_served_operation(document: dict[str, Any]) -> None:
    for s in SCENARIOS:
        assert s.method.lower() in document["paths"].get(s.route, {}), s.key


def test_there_are_write_scenarios_of_diagnostic_and_rendez_vous() -> None:
    writes = [s for s in SCENARIOS if s.write]
    assert {s.api for s in writes} >= {"diagnostic-individu-v4", "rendez-vous-partenaires-v1-2024"}
    assert all(s.method in {"POST", "PUT"} for s in writes)


def test_scenarios_are_selected_by_key_or_group() -> None:
    assert [s.key for s in select(["statut-v2"])] == ["statut-v2"]
    v1 = select(["diagnostic-individu-v1"])
    assert len(v1) == 5
    assert all(s.api == "diagnostic-individu-v1" for s in v1)
    assert {s.key for s in select(["writes"])} == {s.key for s in SCENARIOS if s.write}
    assert [s.key for s in select(["quick"])] == [s.key for s in SCENARIOS if s.key in QUICK]
    assert len(select(None)) == len(SCENARIOS) == len(select(["all"]))
    with pytest.raises(SystemExit, match="unknown scenario"):
        select(["statut-v3"])


def test_keys_are_unique() -> None:
    keys = [s.key for s in SCENARIOS]
    assert len(keys) == len(set(keys))


def test_the_reference_answers_the_captured_json_on_the_captured_path() -> None:
    body = {"codeRetour": "S001", "liste": [{"code": "1", "libellé": "é"}]}
    answers = (
        Answer("GET", "/partenaire/diagnosticargumente/v1/individus/a-b#c_d", 200, body),
        Answer("GET", "/partenaire/donnees-rqth/v1/rqth", 204, None),
        Answer("POST", "/partenaire/x", 202, [1, 2]),
    )
    client = TestClient(build_app(answers))
    found = client.get("/partenaire/diagnosticargumente/v1/individus/a-b%23c_d")
    assert (found.status_code, found.json()) == (200, body)
    empty = client.get("/partenaire/donnees-rqth/v1/rqth")
    assert (empty.status_code, empty.content) == (204, b"")
    posted = client.post("/partenaire/x", json={"ignored": True})
    assert (posted.status_code, posted.json()) == (202, [1, 2])
