"""The control plane refuses what would break the instance (README, Limits: control-plane ranges).

Expected ranges and codes are the README's, written out here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from tests.conftest import AGENT_HEADERS, request_token
from tests.sandbox.apis.test_diagnostic_individu import V4_SCOPES

SEARCH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
PERSON = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
WINDOW = {"start": "2027-01-10T09:00:00+00:00", "end": "2027-01-10T10:00:00+00:00"}
INVALID = "ERR_COMMANDE_INVALIDE"
UNKNOWN = "ERR_CLIENT_INCONNU"
CLOCK = "/_sandbox/clock"
OUTAGES = "/_sandbox/outages"
ALL_SCOPES = (
    f"{' '.join(V4_SCOPES)} api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_contrat-usagerv2 statutcontratusager"
)


def _advance(seconds: str) -> str:
    return f'{{"action": "advance", "seconds": {seconds}}}'


def _set(instant: str) -> str:
    return f'{{"action": "set", "instant": {instant}}}'


HOUR = ('"2027-01-01T00:00:00Z"', '"2027-01-01T01:00:00Z"')


def _window(start: str, end: str, extra: str = "") -> str:
    return f'{{"start": {start}, "end": {end}{extra}}}'


# README, Limits: |seconds| at most 3 155 760 000 (100 years), instants ISO 8601 with a timezone
# within 2000-01-01T00:00:00Z..2099-12-31T23:59:59Z, outages at most 31 days, known clients.
EXTREMES: list[tuple[str, str, str, int, str]] = [
    ("POST", CLOCK, _advance("NaN"), 400, INVALID),
    ("POST", CLOCK, _advance("Infinity"), 400, INVALID),
    ("POST", CLOCK, _advance("-Infinity"), 400, INVALID),
    ("POST", CLOCK, _advance("1e12"), 400, INVALID),
    ("POST", CLOCK, _advance("3155760001"), 400, INVALID),
    ("POST", CLOCK, _advance('"60"'), 400, INVALID),
    ("POST", CLOCK, _advance("true"), 400, INVALID),
    # Within 100 years, but past 2099-12-31T23:59:59Z from today.
    ("POST", CLOCK, _advance("3155760000"), 400, "ERR_HORLOGE_HORS_LIMITES"),
    ("POST", CLOCK, _set('"0001-01-01T00:00:00+01:00"'), 400, INVALID),
    ("POST", CLOCK, _set('"9999-12-31T23:59:59-01:00"'), 400, INVALID),
    ("POST", CLOCK, _set('"1999-12-31T23:59:59Z"'), 400, INVALID),
    ("POST", CLOCK, _set('"2100-01-01T00:00:00Z"'), 400, INVALID),
    ("POST", CLOCK, _set('"2026-01-01T00:00:00"'), 400, INVALID),
    ("POST", CLOCK, _set("1767225600"), 400, INVALID),
    ("POST", CLOCK, _set('"1767225600"'), 400, INVALID),
    ("POST", OUTAGES, _window('"0001-01-01T00:00:00Z"', '"2000-01-02T00:00:00Z"'), 400, INVALID),
    ("POST", OUTAGES, _window('"2099-12-31T00:00:00Z"', '"9999-12-31T23:59:59Z"'), 400, INVALID),
    ("POST", OUTAGES, _window("0", "4102444799"), 400, INVALID),
    ("POST", OUTAGES, _window('"2027-01-01T00:00:00Z"', '"2027-02-01T00:00:01Z"'), 400, INVALID),
    ("POST", OUTAGES, _window(*HOUR, ', "apis": ["x"]'), 400, INVALID),
    ("POST", OUTAGES, _window(*HOUR, ', "client_id": "PAR_nobody"'), 404, UNKNOWN),
    ("PUT", "/_sandbox/faults/PAR_nobody", '{"profile": "outage"}', 404, UNKNOWN),
    ("POST", "/_sandbox/reset", '{"client_id": "PAR_nobody"}', 404, UNKNOWN),
    ("GET", "/_sandbox/journal/PAR_nobody", "", 404, UNKNOWN),
]  # fmt: skip


@pytest.fixture
def controlled(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An app on the server's controllable clock, and the admin headers."""
    app = create_app(Settings(data_dir=tmp_path, secret_key="k"))
    admin = {"Authorization": f"Bearer {app.state.runtime.admin_token}"}
    with TestClient(app) as client:
        yield client, admin


def _still_serves(client: TestClient, admin: dict[str, str]) -> None:
    assert client.get("/_sandbox/clock", headers=admin).status_code == 200
    token = request_token(client, scope=ALL_SCOPES)
    agent = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    found = client.post(SEARCH, json=PERSON, headers=agent)
    assert found.status_code == 200
    person = {**agent, "ft-jeton-usager": found.json()["jetonUsager"]}
    for path in (
        "/partenaire/contrat-usager/v2/contrat",
        "/partenaire/diagnosticargumente/v4/dossiers",
    ):
        assert client.get(path, headers=person).status_code == 200, path
    contraintes = {
        "dateExploration": "2026-11-27T10:00:00Z",
        "contraintesAEnregistrer": [{"code": "23", "valeur": "OUI"}],
    }
    written = client.post(
        "/partenaire/diagnosticargumente/v4/contraintes", json=contraintes, headers=person
    )
    assert written.status_code == 200
    history = client.get(
        "/partenaire/diagnosticargumente/v4/historisation/contraintes", headers=person
    )
    assert history.status_code == 200


def test_every_extreme_input_is_refused_and_the_instance_keeps_serving(
    controlled: tuple[TestClient, dict[str, str]],
) -> None:
    client, admin = controlled
    for method, path, body, status, code in EXTREMES:
        headers = {**admin, "Content-Type": "application/json"}
        response = client.request(method, path, content=body or None, headers=headers)
        assert response.status_code == status, body
        assert response.json()["codeErreur"] == code, body
        if code == "ERR_CLIENT_INCONNU":
            assert "GET /_sandbox/clients" in response.json()["message"]
        else:
            assert response.json()["message"] != "Les données fournies sont incorrectes"
    _still_serves(client, admin)


@pytest.mark.parametrize(
    ("instant", "outage"),
    [
        ("2000-01-01T00:00:00Z", ("2000-01-01T00:00:00Z", "2000-02-01T00:00:00Z")),
        ("2099-12-31T23:59:59Z", ("2099-12-01T00:00:00Z", "2099-12-31T23:59:59Z")),
    ],
)
def test_the_apis_serve_at_both_ends_of_the_clock_range(
    controlled: tuple[TestClient, dict[str, str]], instant: str, outage: tuple[str, str]
) -> None:
    client, admin = controlled
    moved: dict[str, Any] = {"action": "set", "instant": instant}
    assert client.post(CLOCK, json=moved, headers=admin).status_code == 200
    client.post(CLOCK, json={"action": "freeze"}, headers=admin)
    _still_serves(client, admin)
    window = {"start": outage[0], "end": outage[1]}
    assert client.post(OUTAGES, json=window, headers=admin).status_code == 201


def test_scheduled_outages_are_capped_at_fifty(
    controlled: tuple[TestClient, dict[str, str]],
) -> None:
    client, admin = controlled
    for _ in range(50):
        assert client.post("/_sandbox/outages", json=WINDOW, headers=admin).status_code == 201
    refused = client.post("/_sandbox/outages", json=WINDOW, headers=admin)
    assert refused.status_code == 409
    assert refused.json()["codeErreur"] == "ERR_TROP_D_INDISPONIBILITES"
    assert "DELETE /_sandbox/outages" in refused.json()["message"]
    assert client.delete("/_sandbox/outages", headers=admin).json() == {"removed": 50}
    assert client.post("/_sandbox/outages", json=WINDOW, headers=admin).status_code == 201


def test_the_clients_route_lists_the_ids_the_control_plane_accepts(
    controlled: tuple[TestClient, dict[str, str]],
) -> None:
    client, admin = controlled
    listed = client.get("/_sandbox/clients", headers=admin).json()
    ids = [c["client_id"] for c in listed]
    assert ids == [  # fixtures/clients.yaml, in file order
        "PAR_ftsandbox_cd62",
        "PAR_ftsandbox_cd59",
        "PAR_ftsandbox_cd62_convention",
        "PAR_ftsandbox_cd62_rdv",
        "PAR_ftsandbox_cd62_rsa",
    ]
    assert not any("secret" in key for c in listed for key in c)
    for client_id in ids:
        journal = client.get(f"/_sandbox/journal/{client_id}", headers=admin)
        assert journal.status_code == 200
