"""The control plane: admin token only, health, per-client reset; docs served offline."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandbox.runtime import Runtime
from tests.conftest import request_token
from tests.sandbox.test_state import put

T0 = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)

# One persona per file of fixtures/personas.
PERSONA_FILES = len(
    list((Path(__file__).resolve().parents[2] / "fixtures" / "personas").glob("*.yaml"))
)


def _admin(runtime: Runtime) -> dict[str, str]:
    return {"Authorization": f"Bearer {runtime.admin_token}"}


def test_the_control_plane_refuses_partner_tokens_and_no_token(
    client: TestClient, runtime: Runtime
) -> None:
    partner = {"Authorization": f"Bearer {request_token(client)}"}
    for headers in ({}, partner, {"Authorization": "Bearer wrong"}):
        response = client.get("/_sandbox/health", headers=headers)
        assert response.status_code == 401
        assert "admin token" in response.headers["x-sandbox-hint"]
    health = client.get("/_sandbox/health", headers=_admin(runtime)).json()
    assert health == {
        "status": "ok",
        "database": "postgresql" if os.environ.get("FT_TEST_BACKEND") == "postgresql" else "sqlite",
        "database_reachable": True,
        "seed": 2024253,
        "population_size": 10000,
        "personas": PERSONA_FILES,
        "journal": "on",  # README: FT_SANDBOX_JOURNAL=off makes it "off"
        "journal_dropped": 0,
    }


def test_reset_wipes_only_the_named_client(client: TestClient, runtime: Runtime) -> None:
    a, b = "PAR_ftsandbox_cd62", "PAR_ftsandbox_cd59"
    for client_id, value in ((a, 1), (b, 2)):
        runtime.store.update(client_id, "g1", "contraintes", T0, put({"x": value}))
    response = client.post("/_sandbox/reset", json={"client_id": a}, headers=_admin(runtime))
    assert response.json() == {"client_id": a, "documents_removed": 1}
    assert runtime.store.read(a, "g1", "contraintes") is None
    assert runtime.store.read(b, "g1", "contraintes") == {"x": 2}


def test_interactive_docs_use_packaged_assets(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "cdn" not in page.lower()
    script = next(part.split('"')[1] for part in page.split("<script src=")[1:])
    asset = client.get(script)
    assert asset.status_code == 200 and len(asset.content) > 100_000
    assert "cdn" not in client.get("/redoc").text.lower()


def test_health_answers_503_while_the_database_does_not_answer(
    client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.store, "reachable", lambda: False)
    response = client.get("/_sandbox/health", headers=_admin(runtime))
    assert response.status_code == 503
    assert (response.json()["status"], response.json()["database_reachable"]) == (
        "unavailable",
        False,
    )
