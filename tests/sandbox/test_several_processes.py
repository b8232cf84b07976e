"""Several processes on one state: every acknowledged write is there afterwards, ids never repeat.

Two real instances share one data directory, the first with ``--workers 2`` (the README's
documented option), and receive concurrent diagnostic creations for one person: three processes
read-modify-write the same dossier at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.servers import free_port, running

V4 = "/partenaire/diagnosticargumente/v4"
SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_diagnosticargumentev4 diagnosticusageragent"
)
AGENT = {"pa-nom-agent": "BATCH", "pa-prenom-agent": "BATCH", "pa-identifiant-agent": "BATCH"}
CREATIONS = 90


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    root = tmp_path_factory.mktemp("shared-state")
    env = {"FT_SANDBOX_DATA_DIR": str(root / "data"), "FT_SANDBOX_SECRET_KEY": "shared-key"}
    first, second = free_port(), free_port()
    with (
        running(
            ["-m", "sandbox", "serve", "--port", str(first), "--workers", "2"],
            root / "a.log",
            env,
            first,
        ) as a,
        running(
            ["-m", "sandbox", "serve", "--port", str(second)], root / "b.log", env, second
        ) as b,
    ):
        yield [a, b]


def _headers(base: str) -> dict[str, str]:
    token = httpx.post(
        f"{base}/connexion/oauth2/access_token",
        params={"realm": "/agent"},
        data={
            "grant_type": "client_credentials",
            "client_id": "PAR_ftsandbox_cd62",
            "client_secret": "ftsandbox-secret-cd62",
            "scope": SCOPES,
        },
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", **AGENT}
    found = httpx.post(
        f"{base}/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        json={"dateNaissance": "1990-03-14", "nir": "290036204190175"},
        headers=headers,
    ).json()
    return {**headers, "ft-jeton-usager": found["jetonUsager"]}


async def _create_concurrently(bases: list[str], headers: list[dict[str, str]]) -> list[str]:
    limits = httpx.Limits(max_connections=CREATIONS)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def create(n: int) -> str:
            response = await client.post(
                f"{bases[n % 2]}{V4}/diagnostics",
                json={"codeAppellation": "11450", "codeTypologie": "PM"},
                headers=headers[n % 2],
            )
            assert response.status_code == 200, response.text
            identifier: str = response.json()["idDiagnostic"]
            return identifier

        return await asyncio.gather(*(create(n) for n in range(CREATIONS)))


def test_every_acknowledged_write_survives_concurrent_processes(instances: list[str]) -> None:
    headers = [_headers(base) for base in instances]
    acknowledged = asyncio.run(_create_concurrently(instances, headers))
    assert len(set(acknowledged)) == CREATIONS, "two writes got the same idDiagnostic"
    for base, base_headers in zip(instances, headers, strict=True):
        diagnostics = httpx.get(f"{base}{V4}/diagnostics", headers=base_headers).json()
        created = {
            d["idDiagnostic"] for d in diagnostics["diagnostics"] if d["estCreationPartenaire"]
        }
        assert created == set(acknowledged)
        history = httpx.get(
            f"{base}{V4}/historisation/diagnostics",
            params={"donneesParPage": 1},
            headers=base_headers,
        ).json()
        assert history["totalDonnees"] == CREATIONS
