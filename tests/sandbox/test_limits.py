"""The README's "Limits": body size per route family, list lengths, years of dates.

Expected figures are the README's table, written out here, never read from the code.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandbox.diagnostics import referentiel
from sandbox.runtime import Runtime
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT
from tests.sandbox.apis.test_diagnostic_individu import V4, v1_headers, v1_path, v4_headers
from tests.servers import free_port, running

TOKEN = "/connexion/oauth2/access_token?realm=%2Fagent"
RECHERCHE_V2 = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
RECHERCHE_V1 = "/partenaire/rechercher-usager/v1/usagers/recherche"
DOSSIERS = f"{V4}/dossiers"
# README, Limits: body size per route family, and the refusal each gets.
FAMILIES = [
    (TOKEN, 8192, {"error": "invalid_request"}),
    (RECHERCHE_V2, 65536, {"codeRetour": "R997", "jetonUsager": None}),
    (RECHERCHE_V1, 65536, {"codeRetour": "R997", "identifiant": None}),
    (DOSSIERS, 65536, {"codeErreur": "ERR_REQUETE_TROP_VOLUMINEUSE", "codeHttp": 413}),
    ("/_sandbox/clock", 16384, {"codeErreur": "ERR_REQUETE_TROP_VOLUMINEUSE", "codeHttp": 413}),
]
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": DEFAULT_CLIENT[0],
    "client_secret": DEFAULT_CLIENT[1],
    "scope": "api_rechercher-usagerv2 rechercheusager profil_accedant",
}
DATE = "2026-11-27T10:00:00.000+01:00"


def _padded(body: dict[str, Any], size: int) -> bytes:
    """``body`` as JSON followed by spaces, exactly ``size`` bytes long."""
    text = json.dumps(body, separators=(",", ":")).encode()
    assert len(text) <= size
    return text + b" " * (size - len(text))


@pytest.mark.parametrize(("path", "limit", "expected"), FAMILIES)
def test_a_body_over_its_family_limit_gets_413_in_the_family_body(
    client: TestClient, path: str, limit: int, expected: dict[str, Any]
) -> None:
    content_type = {"Content-Type": "application/json"}
    at_limit = client.post(path, content=_padded({}, limit), headers=content_type)
    assert at_limit.status_code != 413
    over = client.post(path, content=_padded({}, limit + 1), headers=content_type)
    assert over.status_code == 413
    assert over.json().items() >= expected.items()
    assert f"{limit} bytes" in over.headers["x-sandbox-hint"]


def test_a_streamed_body_without_length_is_counted(
    client: TestClient, agent_headers: dict[str, str]
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"dateNaissance": "1990-03-14", "nir": "290036204190175"'
        for _ in range(70):
            yield b" " * 1024
        yield b"}"

    response = client.post(
        RECHERCHE_V2,
        content=chunks(),
        headers={**agent_headers, "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413 and response.json()["codeRetour"] == "R997"


def _arrays_without_max_items(schema: Any, components: dict[str, Any], seen: set[str]) -> list[str]:
    if isinstance(schema, list):
        return [m for item in schema for m in _arrays_without_max_items(item, components, seen)]
    if not isinstance(schema, dict):
        return []
    missing = []
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference not in seen:
        seen.add(reference)
        name = reference.rsplit("/", 1)[-1]
        missing += _arrays_without_max_items(components[name], components, seen)
    # A list is declared with its items; "minItems: 1" fragments of anyOf only add a rule.
    if schema.get("type") == "array" and "items" in schema and "maxItems" not in schema:
        missing.append(json.dumps(schema)[:80])
    for value in schema.values():
        missing += _arrays_without_max_items(value, components, seen)
    return missing


def test_every_list_of_every_request_body_has_max_items(app: FastAPI) -> None:
    document = app.openapi()
    components = document["components"]["schemas"]
    bodies = [
        operation["requestBody"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "requestBody" in operation
    ]
    assert len(bodies) > 10
    assert _arrays_without_max_items(bodies, components, set()) == []


def test_every_operation_taking_a_body_documents_its_413(app: FastAPI) -> None:
    """A contract-generated client (or Schemathesis) must know the 413 of the Limits table."""
    documented = {
        (path, method): operation["responses"].get("413", {})
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    }
    assert all(
        "65536 octets" in r.get("description", "")
        for (p, _), r in documented.items()
        if p.startswith("/partenaire/")
    )
    token = documented[("/connexion/oauth2/access_token", "post")]
    assert "8192 octets" in token["description"] and "content" in token


def _full_dossier(diagnostics: int) -> dict[str, Any]:
    """A dossier with every contrainte, situation and objectif of the référentiel."""
    ref = referentiel()
    thematique = ref.contraintes_thematique
    numerique = next(c for c in ref.contraintes if c.code == ref.contrainte_numerique)
    metier = ref.metier("13782")
    assert metier is not None
    diagnostic = {
        "codeAppellation": metier.code,
        "codeRome": metier.code_rome,
        "nomMetier": metier.libelle,
        "codeTypologie": "MR",
    }
    return {
        "diagnosticsAEnregistrer": [diagnostic] * diagnostics,
        "contraintesDossierAEnregistrer": {
            "dateExploration": DATE,
            "contraintesAEnregistrer": [{"code": c.code, "valeur": "OUI"} for c in thematique],
            "situationsAEnregistrer": [
                {"code": s.code, "valeur": "OUI"} for c in thematique for s in c.situations
            ],
            "objectifsAEnregistrer": [
                {"code": o.code, "valeur": "EN_COURS"} for c in thematique for o in c.objectifs
            ],
        },
        "autonomieNumeriqueAEnregistrer": {
            "dateExploration": DATE,
            "besoinAEnregistrer": {"code": ref.besoin_numerique, "valeur": "BESOIN"},
            "contrainteAEnregistrer": {"code": numerique.code, "valeur": "OUI"},
            "situationsAEnregistrer": [
                {"code": s.code, "valeur": "OUI"} for s in numerique.situations
            ],
            "objectifsAEnregistrer": [
                {"code": o.code, "valeur": "EN_COURS"} for o in numerique.objectifs
            ],
        },
        "pouvoirAgirAEnregistrer": {"accompagnement": "OUI", "confiance": "OUI"},
    }


def _every_besoin(diagnostic_ids: list[str]) -> dict[str, Any]:
    codes = [b.code for t in referentiel().besoins_diagnostic for b in t.besoins]
    return {
        "besoinsParDiagnosticAEnregistrer": [
            {
                "idDiagnostic": diagnostic_id,
                "dateExploration": DATE,
                "besoinAEnregistrer": [{"code": code, "valeur": "BESOIN"} for code in codes],
            }
            for diagnostic_id in diagnostic_ids
        ]
    }


def test_the_fullest_legitimate_dossier_fits_the_limits(
    client: TestClient, runtime: Runtime
) -> None:
    headers = v4_headers(client, runtime)

    def diagnostic_ids() -> set[str]:
        diagnostics = client.get(f"{V4}/diagnostics", headers=headers).json()["diagnostics"]
        return {d["idDiagnostic"] for d in diagnostics}

    before = diagnostic_ids()
    written = client.post(DOSSIERS, json=_full_dossier(20), headers=headers)
    assert written.status_code == 200, written.headers.get("x-sandbox-hint")
    ids = sorted(diagnostic_ids() - before)
    assert len(ids) == 20
    besoins = client.post(DOSSIERS, json=_every_besoin(ids), headers=headers)
    assert besoins.status_code == 200, besoins.headers.get("x-sandbox-hint")


# README, Limits: maxItems of the write lists.
MAX_ITEMS_V4 = [
    ("diagnosticsAEnregistrer", 20),
    ("besoinsParDiagnosticAEnregistrer", 20),
    ("contraintesDossierAEnregistrer.contraintesAEnregistrer", 16),
    ("contraintesDossierAEnregistrer.situationsAEnregistrer", 128),
    ("contraintesDossierAEnregistrer.objectifsAEnregistrer", 64),
    ("autonomieNumeriqueAEnregistrer.situationsAEnregistrer", 32),
    ("autonomieNumeriqueAEnregistrer.objectifsAEnregistrer", 16),
]


@pytest.mark.parametrize(("field", "max_items"), MAX_ITEMS_V4)
def test_a_v4_list_over_its_max_items_gets_the_family_400(
    client: TestClient, runtime: Runtime, field: str, max_items: int
) -> None:
    body = _full_dossier(1)
    if field == "besoinsParDiagnosticAEnregistrer":
        body.update(_every_besoin(["unknown"] * (max_items + 1)))
    container, _, name = field.rpartition(".")
    target = body[container] if container else body
    target[name] = (target[name] * (max_items + 1))[: max_items + 1]
    response = client.post(DOSSIERS, json=body, headers=v4_headers(client, runtime))
    assert response.status_code == 400
    assert response.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"
    assert name in response.headers["x-sandbox-hint"]


def test_v4_besoins_and_v1_lists_over_their_max_items_get_the_family_400(
    client: TestClient, runtime: Runtime
) -> None:
    besoin = {"code": "1", "valeur": "BESOIN"}
    besoins = {"dateExploration": DATE, "besoinAEnregistrer": [besoin] * 33}  # maxItems 32
    response = client.post(
        f"{V4}/diagnostics/some-id/besoins", json=besoins, headers=v4_headers(client, runtime)
    )
    assert (
        response.status_code == 400 and "besoinAEnregistrer" in response.headers["x-sandbox-hint"]
    )
    contrainte = {"code": "27", "valeur": "OUI"}
    # README: v1 contraintes at most 16, situations 32 and objectifs 16 per contrainte.
    for contraintes in (
        [contrainte] * 17,
        [{**contrainte, "situations": [{"code": "2710", "valeur": "OUI"}] * 33}],
        [{**contrainte, "objectifs": [{"code": "36", "valeur": "EN_COURS"}] * 17}],
    ):
        body = {"dateExploration": DATE, "idConseiller": "TNAN0260", "contraintes": contraintes}
        answer = client.post(
            v1_path(runtime, suffix="/contraintes"), json=body, headers=v1_headers(client)
        )
        assert answer.status_code == 400
        assert answer.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"


def _maximal_body() -> bytes:
    """The largest body the limits accept: every list at its maxItems, padded to 64 KiB."""
    body = _full_dossier(20)
    body.update(_every_besoin([f"unknown-{i}" for i in range(20)]))
    for besoins in body["besoinsParDiagnosticAEnregistrer"]:
        besoins["besoinAEnregistrer"] = (besoins["besoinAEnregistrer"] * 2)[:32]
    contraintes = body["contraintesDossierAEnregistrer"]
    for name, max_items in (
        ("contraintesAEnregistrer", 16),
        ("situationsAEnregistrer", 128),
        ("objectifsAEnregistrer", 64),
    ):
        contraintes[name] = (contraintes[name] * 3)[:max_items]
    autonomie = body["autonomieNumeriqueAEnregistrer"]
    autonomie["situationsAEnregistrer"] = (autonomie["situationsAEnregistrer"] * 2)[:32]
    autonomie["objectifsAEnregistrer"] = (autonomie["objectifsAEnregistrer"] * 3)[:16]
    return _padded(body, 65536)


def test_a_maximal_body_beside_token_requests_leaves_them_fast(tmp_path: Path) -> None:
    # A real server: in-process ASGI calls never yield to each other, so they cannot overlap.
    port = free_port()
    env = {"FT_SANDBOX_DATA_DIR": str(tmp_path / "data"), "FT_SANDBOX_SECRET_KEY": "k"}
    with running(
        ["-m", "sandbox", "serve", "--port", str(port)], tmp_path / "log", env, port
    ) as base:
        statuses, latencies = writes_beside_tokens(base)
    # Unknown idDiagnostic: nothing written (204). An oversized body may be refused before the
    # client has sent it all, and the server then closes the connection (0 here).
    assert statuses[::2] == [204] * 3 and set(statuses[1::2]) <= {413, 0}
    assert len(latencies) >= 3
    assert max(latencies) < 0.05, f"a token waited {max(latencies) * 1000:.0f} ms"


def writes_beside_tokens(base: str) -> tuple[list[int], list[float]]:
    """Maximal and oversized dossier writes in a thread; token latencies meanwhile."""
    maximal = _maximal_body()
    oversized = b'{"contraintesAEnregistrer": [' + b'{"code": "23"},' * 700_000 + b"{}]}"
    with httpx.Client(base_url=base) as http, httpx.Client(base_url=base) as other:
        scope = "api_diagnosticargumentev4 diagnosticusageragent " + TOKEN_FORM["scope"]
        token = http.post(TOKEN, data={**TOKEN_FORM, "scope": scope}).json()["access_token"]
        agent = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
        person = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
        jeton = http.post(RECHERCHE_V2, json=person, headers=agent).json()["jetonUsager"]
        headers = {**agent, "ft-jeton-usager": jeton, "Content-Type": "application/json"}
        http.post(DOSSIERS, content=maximal, headers=headers)  # warm-up: caches
        other.post(TOKEN, data=TOKEN_FORM)
        statuses: list[int] = []
        latencies: list[float] = []

        def writes() -> None:
            for content in (maximal, oversized) * 3:
                try:
                    statuses.append(
                        http.post(DOSSIERS, content=content, headers=headers).status_code
                    )
                except httpx.TransportError:
                    statuses.append(0)

        writer = threading.Thread(target=writes)
        writer.start()
        while writer.is_alive():
            start = time.perf_counter()
            assert other.post(TOKEN, data=TOKEN_FORM).status_code == 200
            latencies.append(time.perf_counter() - start)
        writer.join()
        return statuses, latencies


# README, Limits: a written date has a year from 1900 to 2100; others get the family's 400.
OUT_OF_RANGE = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "1899-12-31T23:59:59Z",
    "2101-01-01T00:00:00Z",
]
AT_THE_BOUNDS = ["1900-01-01T00:00:00+14:00", "2100-12-31T23:59:59-12:00"]


def _dated_writes(moment: str) -> list[tuple[str, dict[str, Any]]]:
    contraintes = {**_full_dossier(0)["contraintesDossierAEnregistrer"], "dateExploration": moment}
    besoins = {"dateExploration": moment, "besoinAEnregistrer": [{"code": "1", "valeur": "BESOIN"}]}
    return [
        (DOSSIERS, {"contraintesDossierAEnregistrer": contraintes}),
        (f"{V4}/contraintes", contraintes),
        (
            f"{V4}/autonomienumerique",
            {**_full_dossier(0)["autonomieNumeriqueAEnregistrer"], "dateExploration": moment},
        ),
        (DOSSIERS, {"besoinsParDiagnosticAEnregistrer": [{**besoins, "idDiagnostic": "x"}]}),
        (f"{V4}/diagnostics/x/besoins", besoins),
    ]


@pytest.mark.parametrize("moment", OUT_OF_RANGE)
def test_a_date_outside_the_documented_years_gets_the_family_400(
    client: TestClient, runtime: Runtime, moment: str
) -> None:
    headers = v4_headers(client, runtime)
    for path, body in _dated_writes(moment):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 400, path
        assert response.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"
        assert "dateExploration" in response.headers["x-sandbox-hint"]
    v1 = {
        "dateExploration": moment,
        "idConseiller": "TNAN0260",
        "contraintes": [{"code": "27", "valeur": "OUI"}],
    }
    answer = client.post(
        v1_path(runtime, suffix="/contraintes"), json=v1, headers=v1_headers(client)
    )
    assert answer.status_code == 400 and answer.json()["codeErreur"] == "ERR_DONNEE_INCORRECTE"


@pytest.mark.parametrize("moment", AT_THE_BOUNDS)
def test_dates_at_the_documented_bounds_are_written_and_read_back(
    client: TestClient, runtime: Runtime, moment: str
) -> None:
    headers = v4_headers(client, runtime)
    for path, body in _dated_writes(moment)[:3]:
        assert client.post(path, json=body, headers=headers).status_code == 200, path
    for path in ("/dossiers", "/contraintes", "/dossiers/historisation"):
        assert client.get(f"{V4}{path}", headers=headers).status_code == 200, path
    period = {"dateDebut": "1000-01-01T00:00:00", "dateFin": "9999-12-31T23:59:59"}
    history = client.get(f"{V4}/historisation/contraintes", params=period, headers=headers)
    assert history.status_code == 200
