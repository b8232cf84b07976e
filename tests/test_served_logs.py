"""A real `ft-sandbox serve`: what its log and its journal say about URLs, give-ups and faults."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

from sandbox.jetons import PersonReferences
from tests.conftest import DEFAULT_CLIENT, PARTENAIRE_SCOPES
from tests.servers import free_port, running

SECRET_KEY = "served-logs-secret-key"
PROFILES = [
    {
        "name": "slow",
        "description": "two seconds on every call",
        "rules": [{"id": "slow-2s", "type": "latency", "distribution": "fixed", "seconds": 2.0}],
    },
    {
        "name": "hung",
        "description": "a gateway timeout after two seconds",
        "rules": [{"id": "hung-2s", "type": "timeout", "seconds": 2.0}],
    },
    {
        "name": "broken",
        "description": "connections broken on purpose",
        "rules": [
            {
                "id": "broken-close",
                "type": "connection",
                "mode": "close",
                "match": {"paths": ["/partenaire/statut-usager/*"]},
            },
            {
                "id": "broken-truncate",
                "type": "connection",
                "mode": "truncate",
                "match": {"paths": ["/partenaire/rechercher-usager/*"]},
            },
        ],
    },
]


@dataclass(frozen=True)
class Served:
    base: str
    log: Path
    admin_token: str

    def token(self) -> str:
        response = httpx.post(
            f"{self.base}/connexion/oauth2/access_token",
            params={"realm": "/partenaire"},
            data={
                "grant_type": "client_credentials",
                "client_id": DEFAULT_CLIENT[0],
                "client_secret": DEFAULT_CLIENT[1],
                "scope": PARTENAIRE_SCOPES,
            },
            timeout=5,
        )
        token: str = response.json()["access_token"]
        return token

    def journal(self) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.base}/_sandbox/journal/{DEFAULT_CLIENT[0]}",
            params={"limit": 1000},
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=5,
        )
        entries: list[dict[str, Any]] = response.json()
        return entries


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    profiles = root / "profiles"
    profiles.mkdir()
    for profile in PROFILES:
        (profiles / f"{profile['name']}.yaml").write_text(yaml.safe_dump(profile), "utf-8")
    # The admin token as the instance generates it: 64 lowercase hex digits.
    admin_token = secrets.token_hex(32)
    (root / "data").mkdir()
    (root / "data" / "admin.token").write_text(admin_token, "ascii")
    port = free_port()
    env = {
        "FT_SANDBOX_DATA_DIR": str(root / "data"),
        "FT_SANDBOX_ACCESS_LOG": "true",
        "FT_SANDBOX_SECRET_KEY": SECRET_KEY,
    }
    args = ["-m", "sandbox", "serve", "--port", str(port), "--profiles-dir", str(profiles)]
    log = root / "serve.log"
    with running(args, log, env, port) as base:
        yield Served(base, log, admin_token)


def _settled_log(served: Served) -> str:
    time.sleep(0.2)  # uvicorn writes its access line after the response
    return served.log.read_text()


def test_credentials_nirs_and_identifiants_in_urls_reach_neither_log_nor_journal(
    served: Served,
) -> None:
    identifiant = PersonReferences(SECRET_KEY.encode()).identifiant("p-s001-certifiee")
    uuid_half = identifiant.split("#")[0]
    id_diagnostic = "0f8fad5b-d9cb-469f-a165-70867728950e"
    headers = {"Authorization": f"Bearer {served.token()}"}
    urls = [
        f"/partenaire/statut-usager/v1/x?admin={served.admin_token}",
        f"/partenaire/{DEFAULT_CLIENT[1]}/x",
        f"/partenaire/x/{SECRET_KEY}",
        "/partenaire/x/2-90-03-62-041-901-75",
        "/partenaire/x/2.90.03.62.041.901.75?nir=2%2090%2003%2062%20041%20901%2075",
        f"/partenaire/diagnosticargumente/v1/individus/{quote(identifiant, safe='')}/contraintes",
        f"/partenaire/diagnosticargumente/v4/diagnostics/{id_diagnostic}",
    ]
    for url in urls:
        httpx.get(f"{served.base}{url}", headers=headers, timeout=5)
    paths = " ".join(entry["path"] for entry in served.journal())
    logged = _settled_log(served)
    assert "/v1/individus/[masqué]/contraintes" in paths
    assert f"/v4/diagnostics/{id_diagnostic}" in paths and id_diagnostic in logged
    assert "2900362" in paths and "2900362" in logged
    for text in (paths, logged):
        for secret in (served.admin_token, DEFAULT_CLIENT[1], SECRET_KEY, uuid_half):
            assert secret not in text
        for nir_part in ("041-901", "041.901", "041%20901"):
            assert nir_part not in text


@pytest.mark.parametrize(
    ("scenario", "rule", "fault_type"),
    [("slow", "slow-2s", "latency"), ("hung", "hung-2s", "timeout")],
)
def test_a_client_giving_up_during_an_injected_wait_is_journaled_as_such(
    served: Served, scenario: str, rule: str, fault_type: str
) -> None:
    path = "/partenaire/statut-usager/v1/statut"
    headers = {"Authorization": f"Bearer {served.token()}", "X-Sandbox-Scenario": scenario}
    seen = max(entry["index"] for entry in served.journal())
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{served.base}{path}", json={"idNat": "x"}, headers=headers, timeout=0.3)
    deadline = time.monotonic() + 5
    while not (new := [e for e in served.journal() if e["index"] > seen and e["path"] == path]):
        assert time.monotonic() < deadline, "the exchange was never journaled"
        time.sleep(0.05)
    (entry,) = new
    assert entry["status"] is None
    assert entry["outcome"] == "client_disconnected"
    assert (entry["fault_rule"], entry["fault_type"], entry["delay_ms"]) == (
        rule,
        fault_type,
        2000.0,
    )
    assert 250 <= entry["duration_ms"] < 1500  # journaled when the client left, not after


def test_injected_connection_faults_are_logged_as_faults_not_errors(served: Served) -> None:
    headers = {"X-Sandbox-Scenario": "broken"}
    for path in ("/partenaire/statut-usager/v1/broken", "/partenaire/rechercher-usager/v1/b"):
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{served.base}{path}", headers=headers, timeout=5)
    logged = _settled_log(served)
    assert "ERROR" not in logged and "Traceback" not in logged
    assert "INFO:     injected fault broken-close (connection close)" in logged
    assert "INFO:     injected fault broken-truncate (connection truncate)" in logged
