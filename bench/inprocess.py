"""In-process figures, each printed as one JSON object by a fresh interpreter.

``python -m bench.inprocess population --size 2000000``: time to build the population (shipped
referentials included), the process's resident memory afterwards, and the median time of a
look-up by NIR + birth date, on people never looked up before (cold) and on 1,000 of them again
(warm).

``python -m bench.inprocess asgi``: one Rechercher usager v2 call through
``httpx.ASGITransport`` to the sandbox application versus the same call to the bare reference
application, interleaved, median of many; this is what Python integrators pay in their tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.reference_app import RECHERCHE_V2_PATH
from bench.reference_app import app as reference_app

SEED = 2024253
LOOKUPS = 20_000
WARM_LOOKUPS = 1_000
ASGI_CALLS = 3_000
ASGI_WARM_UP = 300


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def population_figures(size: int) -> dict[str, Any]:
    """Build time, RSS and look-up medians of a population of ``size`` people."""
    from sandbox.population import Population
    from sandbox.population.personas import load_personas
    from sandbox.resources import fixtures_dir
    from sandbox.settings import Settings

    settings = Settings(population_size=size)
    rss_before = _rss_bytes()
    started = time.perf_counter()
    personas, _ = load_personas(fixtures_dir(None) / "personas")
    population = Population(settings.seed, size, settings.population_epoch, personas)
    build_seconds = time.perf_counter() - started
    rss_after = _rss_bytes()

    # The probes come from a twin population, so that no cache of the measured one is warmed.
    twin = Population(settings.seed, size, settings.population_epoch, personas)
    rng = random.Random(SEED)
    probes: list[tuple[str, dt.date]] = []
    for index in rng.sample(range(size), min(LOOKUPS, size)):
        person = twin.generated(index)
        probes.append((person.nir_body, person.birth_date))

    def look_up(probes: list[tuple[str, dt.date]]) -> list[float]:
        timings = []
        for nir_body, birth_date in probes:
            started = time.perf_counter_ns()
            found = [p for p in population.find_by_nir(nir_body) if p.birth_date == birth_date]
            timings.append((time.perf_counter_ns() - started) / 1000)
            if len(found) != 1:
                raise AssertionError(f"look-up of {nir_body[:5]}… found {len(found)} people")
        return timings

    cold = look_up(probes)
    # A CI run asks for the same few people again and again: the latest ones, a second time.
    warm = look_up(probes[-WARM_LOOKUPS:])
    return {
        "size": size,
        "build_seconds": build_seconds,
        "rss_bytes": rss_after,
        "rss_before_build_bytes": rss_before,
        "lookup_cold_median_us": statistics.median(cold),
        "lookup_warm_median_us": statistics.median(warm),
        "lookups": len(probes),
    }


async def _asgi_medians(calls: int) -> dict[str, Any]:
    import httpx

    from sandbox.app import create_app
    from sandbox.population.sample import sample_rows
    from sandbox.settings import Settings

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        people = [r for r in sample_rows(settings, 200, "62") if r["codeRetour"] == "S001"]
        sandbox = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://sandbox"
        )
        reference = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=reference_app), base_url="http://reference"
        )
        async with sandbox, reference:
            token_response = await sandbox.post(
                "/connexion/oauth2/access_token",
                params={"realm": "/agent"},
                data={
                    "grant_type": "client_credentials",
                    "client_id": "PAR_ftsandbox_cd62",
                    "client_secret": "ftsandbox-secret-cd62",
                    "scope": "api_rechercher-usagerv2 rechercheusager profil_accedant",
                },
            )
            headers = {
                "Authorization": f"Bearer {token_response.json()['access_token']}",
                "pa-nom-agent": "BENCH",
                "pa-prenom-agent": "BENCH",
                "pa-identifiant-agent": "BATCH",
            }
            bodies = [{"dateNaissance": p["dateNaissance"], "nir": p["nir"]} for p in people]

            async def timed(client: httpx.AsyncClient, body: dict[str, str]) -> float:
                started = time.perf_counter_ns()
                response = await client.post(RECHERCHE_V2_PATH, json=body, headers=headers)
                elapsed = (time.perf_counter_ns() - started) / 1000
                if response.status_code != 200:
                    raise AssertionError(f"{client.base_url} answered {response.status_code}")
                return elapsed

            sandbox_us: list[float] = []
            reference_us: list[float] = []
            for call in range(ASGI_WARM_UP + calls):
                body = bodies[call % len(bodies)]
                s, r = await timed(sandbox, body), await timed(reference, body)
                if call >= ASGI_WARM_UP:
                    sandbox_us.append(s)
                    reference_us.append(r)
    sandbox_median, reference_median = (
        statistics.median(sandbox_us),
        statistics.median(reference_us),
    )
    return {
        "calls": calls,
        "sandbox_median_us": sandbox_median,
        "reference_median_us": reference_median,
        "ratio": sandbox_median / reference_median,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print one JSON object with the figures asked for."""
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    commands = parser.add_subparsers(dest="command", required=True)
    population = commands.add_parser("population")
    population.add_argument("--size", type=int, default=2_000_000)
    asgi = commands.add_parser("asgi")
    asgi.add_argument("--calls", type=int, default=ASGI_CALLS)
    args = parser.parse_args(argv)
    if args.command == "population":
        figures = population_figures(args.size)
    else:
        figures = asyncio.run(_asgi_medians(args.calls))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
