"""Clock jumps scheduled at a client's call number (control plane `advance` + `after_calls`).

README, "The control plane": the jump falls just before the client's call `after_calls + 1`,
counted from the command; other clients' calls do not count; one pending jump per client;
`reset` (clock) and a client reset drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from tests.conftest import AGENT_HEADERS, DEFAULT_CLIENT, NORD_CLIENT, request_token

CD62 = DEFAULT_CLIENT[0]
STATUT_V2 = "/partenaire/contrat-usager/v2/contrat"
DAY = 86_400.0


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[TestClient]:
    # The default, controllable clock: a fixed clock cannot be driven (409).
    with TestClient(create_app(Settings(data_dir=tmp_path, secret_key="jumps"))) as client:
        client.post("/_sandbox/clock", json={"action": "freeze"}, headers=_admin(client))
        yield client


def _admin(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.app.state.runtime.admin_token}"}  # type: ignore[attr-defined]


def _clock(client: TestClient, **command: Any) -> Any:
    return client.post("/_sandbox/clock", json=command, headers=_admin(client))


def _now(client: TestClient) -> dt.datetime:
    return dt.datetime.fromisoformat(
        client.get("/_sandbox/clock", headers=_admin(client)).json()["now"]
    )


def _call(client: TestClient, token: str) -> int:
    # Any partner call counts, whatever its answer (here 400: no jeton).
    headers = {"Authorization": f"Bearer {token}", **AGENT_HEADERS}
    return client.get(STATUT_V2, headers=headers).status_code


def test_the_jump_falls_just_before_the_clients_call_after_calls_plus_one(
    sandbox: TestClient,
) -> None:
    token = request_token(sandbox)
    start = _now(sandbox)
    scheduled = _clock(sandbox, action="advance", seconds=DAY, after_calls=2, client_id=CD62)
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["scheduled"] == [{"client_id": CD62, "calls_left": 2, "seconds": DAY}]
    assert _now(sandbox) == start
    _call(sandbox, token)
    _call(sandbox, token)
    assert _now(sandbox) == start
    _call(sandbox, token)
    assert _now(sandbox) - start == dt.timedelta(days=1)
    assert sandbox.get("/_sandbox/clock", headers=_admin(sandbox)).json()["scheduled"] == []


def test_other_clients_calls_do_not_count(sandbox: TestClient) -> None:
    ours, theirs = (
        request_token(sandbox),
        request_token(
            sandbox,
            scope="api_rechercher-usagerv2 rechercheusager profil_accedant",
            credentials=NORD_CLIENT,
        ),
    )
    start = _now(sandbox)
    _clock(sandbox, action="advance", seconds=DAY, after_calls=1, client_id=CD62)
    for _ in range(3):
        _call(sandbox, theirs)
    _call(sandbox, ours)
    assert _now(sandbox) == start
    _call(sandbox, ours)
    assert _now(sandbox) - start == dt.timedelta(days=1)


@pytest.mark.parametrize("reset", ["clock", "client"])
def test_a_reset_drops_a_pending_jump(sandbox: TestClient, reset: str) -> None:
    token = request_token(sandbox)
    _clock(sandbox, action="advance", seconds=DAY, after_calls=0, client_id=CD62)
    if reset == "clock":
        _clock(sandbox, action="reset")
        _clock(sandbox, action="freeze")
    else:
        sandbox.post("/_sandbox/reset", json={"client_id": CD62}, headers=_admin(sandbox))
    start = _now(sandbox)
    _call(sandbox, token)
    assert _now(sandbox) == start


@pytest.mark.parametrize(
    "command",
    [
        {"action": "advance", "seconds": 60, "after_calls": 2},
        {"action": "advance", "seconds": 60, "client_id": CD62},
        {"action": "freeze", "after_calls": 2, "client_id": CD62},
        {"action": "advance", "seconds": 60, "after_calls": -1, "client_id": CD62},
        {"action": "advance", "seconds": 60, "after_calls": 100_001, "client_id": CD62},
        {"action": "advance", "seconds": 3_000_000_000, "after_calls": 1, "client_id": CD62},
    ],
)
def test_an_incoherent_or_out_of_range_jump_is_refused(
    sandbox: TestClient, command: dict[str, Any]
) -> None:
    answer = _clock(sandbox, **command)
    assert answer.status_code == 400, answer.text
    assert answer.json()["codeErreur"] in ("ERR_COMMANDE_INVALIDE", "ERR_HORLOGE_HORS_LIMITES")
    assert sandbox.get("/_sandbox/clock", headers=_admin(sandbox)).json()["scheduled"] == []


def test_a_jump_for_an_unknown_client_is_refused(sandbox: TestClient) -> None:
    answer = _clock(sandbox, action="advance", seconds=60, after_calls=1, client_id="PAR_inconnu")
    assert answer.status_code == 404
    assert answer.json()["codeErreur"] == "ERR_CLIENT_INCONNU"
