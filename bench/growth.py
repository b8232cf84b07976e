"""Does the cost of a write or a read grow with the writes before it? ``python -m bench.growth``.

Starts ``ft-sandbox serve`` as users do (throw-away data directory), then writes ``--writes``
times on ONE person through Diagnostic individu v4 (contraintes, besoins, pouvoir d'agir and a
diagnostic modification in turn: the writes a long recette campaign repeats), one keep-alive
connection. After every ``--window`` writes it measures, on that window: write p50/p99, the
server's CPU time per write (utime + stime of its processes), bytes the database file grew by
per write and the state's size (database and WAL); then p99 of reads (the dossier, page 1 of
the dossier's history, page 1 of a diagnostic's besoins history). Each figure is also given as
a ratio to the first window of the same run: flat means ratios near 1.

Then it resets the client (``POST /_sandbox/reset``) while another connection keeps asking for
tokens, and reports the reset's latency, the slowest token answer during the reset and its purge,
and the state's size once the purge has given the space back.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.scenarios import AGENT, CLIENT_ID, CLIENT_SECRET, RECHERCHE_V2, TOKEN_PATH
from bench.servers import (
    Running,
    clean_environment,
    cpu_us_per_request,
    free_port,
    sandbox_command,
    serve,
)

V4 = "/partenaire/diagnosticargumente/v4"
SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant "
    "api_diagnosticargumentev4 diagnosticusageragent"
)
PERSONA = {"dateNaissance": "1990-03-14", "nir": "290036204190175"}
ADMIN_TOKEN = "bench-growth-admin-token"
READS = 100


def _state_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.glob("state.sqlite3*") if p.exists())


def _database_bytes(data_dir: Path) -> int:
    # The WAL is a bounded, reused buffer: growth is read on the database file itself.
    database = data_dir / "state.sqlite3"
    return database.stat().st_size if database.exists() else 0


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _headers(http: httpx.Client) -> dict[str, str]:
    token = http.post(
        TOKEN_PATH,
        params={"realm": "/agent"},
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scope": SCOPES,
        },
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", **AGENT}
    jeton = http.post(RECHERCHE_V2, json=PERSONA, headers=headers).json()["jetonUsager"]
    return {**headers, "ft-jeton-usager": jeton}


def _writes(diagnostic_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    contraintes = {
        "dateExploration": "2026-11-27T10:00:00.000+01:00",
        "contraintesAEnregistrer": [
            {"code": "23", "valeur": "OUI", "estPrioritaire": True, "impact": "FORT"}
        ],
        "situationsAEnregistrer": [{"code": "7", "valeur": "OUI"}],
        "objectifsAEnregistrer": [{"code": "29", "valeur": "EN_COURS"}],
    }
    besoins = {
        "dateExploration": "2026-11-27T10:00:00.000+01:00",
        "besoinAEnregistrer": [{"code": "1", "valeur": "BESOIN"}],
    }
    return [
        ("POST", f"{V4}/contraintes", contraintes),
        ("POST", f"{V4}/diagnostics/{diagnostic_id}/besoins", besoins),
        ("POST", f"{V4}/pouvoiragir", {"confiance": "OUI", "accompagnement": "NON"}),
        ("PUT", f"{V4}/diagnostics/{diagnostic_id}", {"codeAppellation": "11450"}),
    ]


def _timed(call: Callable[[], httpx.Response]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 204):
        raise AssertionError(f"{response.request.url.path}: {response.status_code} {response.text}")
    return elapsed


def measure(writes: int, window: int, server: Running, data_dir: Path) -> dict[str, Any]:
    """Write ``writes`` times on one person; figures per window, then the reset."""
    with httpx.Client(base_url=server.url, timeout=60) as http:
        headers = _headers(http)
        created = http.post(
            f"{V4}/diagnostics",
            json={"codeAppellation": "11450", "codeTypologie": "PM"},
            headers=headers,
        )
        diagnostic_id = created.json()["idDiagnostic"]
        cycle = _writes(diagnostic_id)
        reads: list[tuple[str, dict[str, Any]]] = [
            (f"{V4}/dossiers", {}),
            (f"{V4}/dossiers/historisation", {"donneesParPage": 10}),
            (f"{V4}/historisation/diagnostics/{diagnostic_id}/besoins", {"donneesParPage": 10}),
        ]
        windows: list[dict[str, Any]] = []
        done = 0
        while done < writes:
            size_before, cpu_before = _database_bytes(data_dir), server.cpu_seconds()
            timings = []
            for n in range(done, min(writes, done + window)):
                method, path, body = cycle[n % len(cycle)]
                timings.append(
                    _timed(
                        lambda m=method, p=path, b=body: http.request(m, p, json=b, headers=headers)
                    )
                )
            cpu_after = server.cpu_seconds()
            done += len(timings)
            row: dict[str, Any] = {
                "writes_so_far": done,
                "write_p50_ms": statistics.median(timings),
                "write_p99_ms": _p(timings, 0.99),
                "cpu_us_per_write": cpu_us_per_request(cpu_before, cpu_after, len(timings)),
                "bytes_per_write": (_database_bytes(data_dir) - size_before) / len(timings),
                "state_bytes": _state_bytes(data_dir),
            }
            for path, params in reads:
                name = path.rsplit("/", 1)[-1] if "besoins" not in path else "besoins-historisation"
                samples = [
                    _timed(lambda p=path, q=params: http.get(p, params=q, headers=headers))
                    for _ in range(READS)
                ]
                row[f"read_p99_ms[{name}]"] = _p(samples, 0.99)
            windows.append(row)
        return {"windows": windows, "reset": _reset(http, server, data_dir)}


def _reset(http: httpx.Client, server: Running, data_dir: Path) -> dict[str, Any]:
    before = _state_bytes(data_dir)
    stop = threading.Event()
    token_ms: list[float] = []

    def ask_tokens() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as other:
            while not stop.is_set():
                token_ms.append(
                    _timed(
                        lambda: other.post(
                            TOKEN_PATH,
                            params={"realm": "/agent"},
                            data={
                                "grant_type": "client_credentials",
                                "client_id": "PAR_ftsandbox_cd59",
                                "client_secret": "ftsandbox-secret-cd59",
                                "scope": "api_rechercher-usagerv2",
                            },
                        )
                    )
                )

    asker = threading.Thread(target=ask_tokens)
    asker.start()
    time.sleep(0.5)
    reset_ms = _timed(
        lambda: http.post(
            "/_sandbox/reset",
            json={"client_id": CLIENT_ID},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    )
    # The purge runs in the background: wait until the file stops shrinking.
    size, deadline = _state_bytes(data_dir), time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _state_bytes(data_dir)
        if now == size:
            break
        size = now
    stop.set()
    asker.join()
    return {
        "state_bytes_before": before,
        "state_bytes_after_purge": size,
        "reset_ms": reset_ms,
        "token_requests_during": len(token_ms),
        "token_max_ms_during": max(token_ms),
        "token_p50_ms_during": statistics.median(token_ms),
    }


def report(figures: dict[str, Any]) -> str:
    """Markdown tables: every window, with its ratio to the first one, then the reset."""
    windows = figures["windows"]
    keys = [k for k in windows[0] if k != "writes_so_far"]
    first = windows[0]
    lines = [
        "| writes so far | " + " | ".join(keys) + " |",
        "|---" * (len(keys) + 1) + "|",
    ]
    for row in windows:
        cells = []
        for key in keys:
            ratio = row[key] / first[key] if first[key] else float("nan")
            value = f"{row[key]:,.0f}" if row[key] >= 100 else f"{row[key]:.2f}"
            cells.append(f"{value} (×{ratio:.2f})")
        lines.append(f"| {row['writes_so_far']:,} | " + " | ".join(cells) + " |")
    reset = figures["reset"]
    lines += [
        "",
        "| reset | value |",
        "|---|---|",
        *(f"| {key} | {value:,.1f} |" for key, value in reset.items()),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the growth scenario and print its tables (``--json`` for the raw figures)."""
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__)
    parser.add_argument("--writes", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=1_000)
    parser.add_argument("--sandbox-bin", help="ft-sandbox executable to measure")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        port = free_port()
        env = clean_environment(
            FT_SANDBOX_DATA_DIR=str(data_dir), FT_SANDBOX_ADMIN_TOKEN=ADMIN_TOKEN
        )
        command = sandbox_command(args.sandbox_bin, port)
        with serve("sandbox", command, port, env, Path(tmp) / "serve.log") as server:
            figures = measure(args.writes, args.window, server, data_dir)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    print(report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
