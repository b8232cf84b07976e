"""Shared fixtures: settings, a frozen clock, the app, an in-process client, token helpers."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

import sandbox.runtime as sandbox_runtime
from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.recording import Journal
from sandbox.runtime import Runtime
from sandbox.settings import state_location
from sandbox.state import StateStore
from tests.postgres import Cluster, cluster

hypothesis_settings.register_profile("dev", max_examples=60, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
DEFAULT_CLIENT = ("PAR_ftsandbox_cd62", "ftsandbox-secret-cd62")
NORD_CLIENT = ("PAR_ftsandbox_cd59", "ftsandbox-secret-cd59")
AGENT_SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_contrat-usagerv2 statutcontratusager"
)
PARTENAIRE_SCOPES = "api_rechercher-usagerv1 api_statut-usagerv1"
AGENT_HEADERS = {
    "pa-nom-agent": "BATCH",
    "pa-prenom-agent": "BATCH",
    "pa-identifiant-agent": "BATCH",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded defaults with a fixed key and a throw-away data directory."""
    return Settings(data_dir=tmp_path / "data", secret_key="test-secret-key")


@pytest.fixture
def clock() -> FrozenClock:
    """A clock stopped on a known instant; tests advance it instead of sleeping."""
    return FrozenClock(NOW)


@pytest.fixture
def app(settings: Settings, clock: FrozenClock) -> FastAPI:
    """A sandbox app on the frozen clock."""
    return create_app(settings, clock)


@pytest.fixture
def runtime(app: FastAPI) -> Runtime:
    """The app's services (population, tokens…)."""
    result: Runtime = app.state.runtime
    return result


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process HTTP client."""
    with TestClient(app) as test_client:
        yield test_client


def request_token(
    client: TestClient,
    realm: str = "/agent",
    scope: str = AGENT_SCOPES,
    credentials: tuple[str, str] = DEFAULT_CLIENT,
) -> str:
    """Get an access token or fail the test."""
    response = client.post(
        "/connexion/oauth2/access_token",
        params={"realm": realm},
        data={
            "grant_type": "client_credentials",
            "client_id": credentials[0],
            "client_secret": credentials[1],
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


@pytest.fixture
def agent_headers(client: TestClient) -> dict[str, str]:
    """Headers of a generation-2 call with the default client."""
    return {"Authorization": f"Bearer {request_token(client)}", **AGENT_HEADERS}


@pytest.fixture
def partenaire_headers(client: TestClient) -> dict[str, str]:
    """Headers of a generation-1 call with the default client."""
    token = request_token(client, "/partenaire", PARTENAIRE_SCOPES)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def search_v2(client: TestClient, agent_headers: dict[str, str]) -> Callable[..., httpx2.Response]:
    """POST a Rechercher usager v2 by NIR and birth date; returns the response."""

    def search(
        nir: str, date_naissance: str, headers: dict[str, str] | None = None
    ) -> httpx2.Response:
        return client.post(
            "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
            json={"dateNaissance": date_naissance, "nir": nir},
            headers=headers or agent_headers,
        )

    return search


STATE_BACKED = (
    "tests/sandbox/apis/",
    "tests/sandbox/test_journal.py",
    "tests/sandbox/test_recording.py",
    "tests/sandbox/test_control_plane.py",
    "tests/sandbox/test_diagnostics.py",
    "tests/sandbox/test_limits.py",
    "tests/sandbox/test_shared_control.py",
    "tests/filedrop/",
    "tests/suivi/",
    "tests/web/test_panel.py",
    "tests/web/test_reports.py",
)
"""What ``FT_TEST_BACKEND=postgresql`` runs again on PostgreSQL: the tests of what is stored
(partner writes, journal, file drop, Suivi de parcours, control settings, reports). The state
tests themselves run on both engines in every run (``tests/sandbox/test_state.py``)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``FT_TEST_BACKEND=postgresql``, keep only the ``STATE_BACKED`` tests."""
    if os.environ.get("FT_TEST_BACKEND") != "postgresql":
        return
    root = Path(config.rootpath)
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        where = item.path.relative_to(root).as_posix()
        (kept if where.startswith(STATE_BACKED) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster for the session (skipped where none is installed)."""
    with cluster() as running:
        yield running


@pytest.fixture(autouse=True)
def _state_backend(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Under ``FT_TEST_BACKEND=postgresql``, every sandbox a test builds from its settings keeps
    its state in a fresh PostgreSQL schema instead of an SQLite file (CI runs the state, journal,
    file-drop and API tests both ways)."""
    if os.environ.get("FT_TEST_BACKEND") != "postgresql":
        yield
        return
    running: Cluster = request.getfixturevalue("pg_cluster")
    monkeypatch.setenv("FT_SANDBOX_DATABASE_URL", running.fresh_url())
    # Apps on different data directories have different states on SQLite: on PostgreSQL each
    # data directory gets its own schema too (apps sharing one share the schema).
    schemas: dict[Path, str] = {}

    def located(settings: Settings) -> Path | str:
        if settings.database_url != os.environ["FT_SANDBOX_DATABASE_URL"]:
            return state_location(settings)
        if settings.data_dir not in schemas:
            schemas[settings.data_dir] = running.fresh_url()
        return schemas[settings.data_dir]

    # Apps built by a test are seldom shut down: their journals and stores are closed here, or
    # the cluster would run out of connections.
    journals: list[Journal] = []
    stores: list[StateStore] = []
    build_journal, build_store = Journal.__init__, StateStore.__init__

    def journal_recorded(self: Journal, *args: Any, **kwargs: Any) -> None:
        build_journal(self, *args, **kwargs)
        journals.append(self)

    def store_recorded(self: StateStore, *args: Any, **kwargs: Any) -> None:
        build_store(self, *args, **kwargs)
        stores.append(self)

    monkeypatch.setattr(sandbox_runtime, "state_location", located)
    monkeypatch.setattr(Journal, "__init__", journal_recorded)
    monkeypatch.setattr(StateStore, "__init__", store_recorded)
    yield
    for journal in journals:
        journal.close()
    for store in stores:
        store.close()
