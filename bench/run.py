"""The benchmark command: ``python -m bench`` (see bench/README.md).

In one run it starts the sandbox as users do (``ft-sandbox serve``, default settings, a throw-away
data directory), the bare reference app (uvicorn, one worker) and, when the sandbox has a fault
layer, the same sandbox without it; drives each scenario of ``bench.scenarios.SCENARIOS`` with wrk
at every connection count, interleaving the servers so that they see the same machine; then
measures `serve` start-up at national scale and the in-process figures; and prints Markdown
tables with the ratio to the reference and the targets of issue 5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench import report
from bench.reference_app import ANSWERS_VARIABLE, Answer
from bench.scenarios import QUICK, HttpRequest, Scenario, call, gather, sample_people
from bench.scenarios import select as select_scenarios
from bench.servers import (
    REPO,
    Running,
    clean_environment,
    free_port,
    reference_command,
    sandbox_command,
    serve,
)
from bench.wrk import run_wrk, wrk_path


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per cell (median)")
    parser.add_argument("--warm-up", type=float, default=1.0, help="seconds before each cell")
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[1, 16, 64], help="connection counts"
    )
    parser.add_argument(
        "--scenario",
        "--only",
        dest="scenario",
        nargs="+",
        metavar="NAME",
        help="scenario keys or groups (an API id such as diagnostic-individu-v4, `writes`, "
        "`quick`) to run; each is measured with its same-JSON reference",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI smoke: 1 run × 1 s at 16 connections, the `quick` scenarios unless "
        "--scenario says otherwise, no start-up or in-process figures",
    )
    parser.add_argument("--people", type=int, default=200, help="people sampled for requests")
    parser.add_argument("--population-size", type=int, default=2_000_000)
    parser.add_argument("--startups", type=int, default=3, help="`serve` start-ups to time")
    parser.add_argument("--skip-load", action="store_true", help="no wrk runs")
    parser.add_argument("--skip-startup", action="store_true", help="no start-up timing")
    parser.add_argument("--skip-inprocess", action="store_true", help="no in-process figures")
    parser.add_argument(
        "--sandbox-bin",
        help="ft-sandbox executable to measure (default: the one next to this Python); its "
        "sibling `python` runs the in-process figures, so a scratch copy can be compared",
    )
    parser.add_argument(
        "--sandbox-arg",
        action="append",
        default=[],
        help="extra argument for `ft-sandbox serve` (repeatable), e.g. --sandbox-arg=--workers=2",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    return parser


def machine() -> dict[str, Any]:
    """Date, cores, RAM, CPU, Python, commit and the machine's load when the run starts."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit += " (+ uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    return {
        "load_average": round(os.getloadavg()[0], 2),
        "date": dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "commit": commit,
    }


def _python_of(ft_sandbox: str) -> str:
    return str(Path(ft_sandbox).with_name("python"))


def _checkout_of(python: str) -> Path:
    """The checkout whose ``sandbox`` that Python imports, if it holds a bench/ too; else ours.

    Commands run with ``-m bench.…`` from there, so that a scratch copy measured with
    ``--sandbox-bin`` is measured whole (the working directory comes first on ``sys.path``).
    """
    code = "import pathlib, sandbox; print(pathlib.Path(sandbox.__file__).parent.parent)"
    result = subprocess.run(
        [python, "-c", code], cwd="/", capture_output=True, text=True, check=False
    )
    root = Path(result.stdout.strip() or REPO)
    return root if (root / "bench" / "inprocess.py").exists() else REPO


def _sandbox_workers(python: str) -> str:
    code = "from sandbox.settings import Settings; print(Settings().workers)"
    result = subprocess.run(
        [python, "-c", code], env=clean_environment(), capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "?"


def _has_fault_layer(python: str) -> bool:
    code = "import sandbox.faults.middleware"
    return subprocess.run([python, "-c", code], capture_output=True, check=False).returncode == 0


def _answer(scenario: Scenario, first: HttpRequest, server: Running) -> Answer:
    """Send the scenario's first request; it must answer 2xx; what the reference will answer."""
    status, body = call(server.url, first)
    if not 200 <= status < 300:
        raise RuntimeError(
            f"{scenario.key}: {first.method} {first.path} answered {status}: {body[:300]!r}"
        )
    path = urllib.parse.unquote(urllib.parse.urlsplit(first.path).path)
    return Answer(first.method, path, status, json.loads(body) if body else None)


def _measure(
    cell: report.LoadFigures,
    server: Running,
    requests: list[HttpRequest],
    connections: int,
    seconds: float,
    workdir: Path,
) -> None:
    before = server.cpu_seconds()
    result = run_wrk(server.url, requests, connections, seconds, workdir)
    cell.add(result, before, server.cpu_seconds())
    _log(
        f"{cell.scenario:<40} c={connections:<3}: {result.requests_per_second:8,.0f} req/s  "
        f"p99 {result.p99_us / 1000:6.1f} ms  CPU {cell.cpu_us or 0:7,.0f} µs/req"
    )


def run_load(
    args: argparse.Namespace, ft_sandbox: str, workdir: Path, notes: list[str]
) -> tuple[list[report.LoadFigures], int]:
    """Every scenario at every connection count; returns the figures and the sandbox's final RSS.

    Each scenario is paired with the bare reference answering the JSON the sandbox gave to the
    scenario's first request (captured here, before the reference starts); the reference
    receives that first request again and again, the sandbox cycles through the people.
    """
    python = _python_of(ft_sandbox)
    chosen = select_scenarios(args.scenario)
    data = clean_environment(FT_SANDBOX_DATA_DIR=str(workdir / "data"))
    with ExitStack() as stack:
        servers: dict[str, Running] = {}
        port = free_port()
        servers["sandbox"] = stack.enter_context(
            serve(
                "sandbox",
                sandbox_command(ft_sandbox, port, args.sandbox_arg),
                port,
                data,
                workdir / "sandbox.log",
            )
        )
        if any(s.server == "sandbox-no-faults" for s in chosen):
            if _has_fault_layer(python):
                port = free_port()
                command = [python, "-m", "bench.variants", "no-faults", "--port", str(port)]
                servers["sandbox-no-faults"] = stack.enter_context(
                    serve(
                        "sandbox-no-faults",
                        command,
                        port,
                        data,
                        workdir / "no-faults.log",
                        cwd=_checkout_of(python),
                    )
                )
            else:
                notes.append("Fault layer on/off: skipped, this sandbox has no fault middleware.")
        fixtures = gather(servers["sandbox"].url, sample_people(ft_sandbox, data, args.people))
        _log(f"{len(fixtures.readers)} readers, {len(fixtures.writers)} writers (S001 people)")
        active: list[Scenario] = []
        requests: dict[str, list[HttpRequest]] = {}
        answers: list[Answer] = []
        prepared: set[object] = set()
        for scenario in chosen:
            if scenario.server not in servers:
                continue
            if scenario.route not in fixtures.paths:
                notes.append(f"{scenario.title}: skipped, {scenario.route} is not served yet.")
                continue
            if scenario.prepare is not None and scenario.prepare not in prepared:
                scenario.prepare(fixtures)
                prepared.add(scenario.prepare)
            requests[scenario.key] = scenario.build(fixtures)
            if not requests[scenario.key]:
                notes.append(f"{scenario.title}: skipped, no sampled person has what it needs.")
                continue
            answers.append(_answer(scenario, requests[scenario.key][0], servers[scenario.server]))
            active.append(scenario)
        answers_file = workdir / "reference-answers.json"
        answers_file.write_text(json.dumps([a.as_dict() for a in answers]), encoding="utf-8")
        port = free_port()
        reference = stack.enter_context(
            serve(
                "reference",
                reference_command(port),
                port,
                clean_environment(**{ANSWERS_VARIABLE: str(answers_file)}),
                workdir / "reference.log",
            )
        )
        figures: list[report.LoadFigures] = []
        for connections in args.connections:
            cells = {
                s.key: report.LoadFigures(
                    s.key,
                    s.title,
                    connections,
                    reference=report.LoadFigures(f"reference:{s.key}", "reference", connections),
                    write=s.write,
                )
                for s in active
            }
            for s in active:
                if args.warm_up > 0:
                    run_wrk(
                        servers[s.server].url, requests[s.key], connections, args.warm_up, workdir
                    )
                    run_wrk(reference.url, requests[s.key][:1], connections, args.warm_up, workdir)
            # Round-robin: every server sees the same moments of the machine's life, and each
            # scenario's reference runs right after it.
            for run in range(args.runs):
                _log(f"c={connections} run {run + 1}/{args.runs}")
                for s in active:
                    cell = cells[s.key]
                    assert cell.reference is not None
                    _measure(
                        cell,
                        servers[s.server],
                        requests[s.key],
                        connections,
                        args.duration,
                        workdir,
                    )
                    _measure(
                        cell.reference,
                        reference,
                        requests[s.key][:1],
                        connections,
                        args.duration,
                        workdir,
                    )
            figures += cells.values()
        return figures, servers["sandbox"].rss_bytes()


def time_startup(ft_sandbox: str, size: int, runs: int, workdir: Path) -> dict[str, Any]:
    """Median time from spawning ``ft-sandbox serve`` to its first answer, and its RSS."""
    readies, rss = [], []
    env = clean_environment(FT_SANDBOX_DATA_DIR=str(workdir / "data-startup"))
    for run in range(runs):
        port = free_port()
        command = sandbox_command(ft_sandbox, port, ["--population-size", str(size)])
        with serve("startup", command, port, env, workdir / "startup.log") as running:
            readies.append(running.ready_seconds)
            rss.append(running.rss_bytes())
        _log(f"serve start-up {run + 1}/{runs}: {running.ready_seconds:.2f} s")
    readies.sort()
    rss.sort()
    return {
        "size": size,
        "runs": runs,
        "ready_seconds": readies[runs // 2],
        "rss_bytes": rss[runs // 2],
    }


def in_process(ft_sandbox: str, *arguments: str) -> dict[str, Any]:
    """Run ``python -m bench.inprocess ARGUMENTS`` with the sandbox's Python; its JSON."""
    python = _python_of(ft_sandbox)
    completed = subprocess.run(
        [python, "-m", "bench.inprocess", *arguments],
        cwd=_checkout_of(python),
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.inprocess {' '.join(arguments)} failed:\n{completed.stderr}")
    figures: dict[str, Any] = json.loads(completed.stdout)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print Markdown tables on stdout (progress on stderr)."""
    args = build_parser().parse_args(argv)
    if args.quick:
        args.runs, args.duration, args.warm_up, args.connections = 1, 1.0, 0.0, [16]
        args.skip_startup = args.skip_inprocess = True
        args.scenario = args.scenario or list(QUICK)
    if not args.skip_load:
        wrk_path()
    ft_sandbox = args.sandbox_bin or str(Path(sys.executable).with_name("ft-sandbox"))
    about = machine()
    about["sandbox_workers"] = _sandbox_workers(_python_of(ft_sandbox))
    notes: list[str] = []
    figures: list[report.LoadFigures] = []
    final_rss = startup = population = asgi = None
    with tempfile.TemporaryDirectory(prefix="ft-bench-") as scratch:
        workdir = Path(scratch)
        if not args.skip_load:
            figures, final_rss = run_load(args, ft_sandbox, workdir, notes)
        if not args.skip_startup:
            startup = time_startup(ft_sandbox, args.population_size, args.startups, workdir)
        if not args.skip_inprocess:
            _log("in-process figures…")
            population = in_process(ft_sandbox, "population", "--size", str(args.population_size))
            asgi = in_process(ft_sandbox, "asgi")
    found = report.targets(figures, startup, population, asgi)

    out = [
        f"# ft-sandbox bench — {about['date']}",
        "",
        f"Machine: {about['cores']} cores ({about['cpu']}), {about['ram_gib']} GiB RAM, "
        f"Python {about['python']}; commit {about['commit']}; sandbox: `ft-sandbox serve` "
        f"defaults ({about['sandbox_workers']} worker(s)) {' '.join(args.sandbox_arg)}".rstrip(),
        "",
        f"Load average (1 min) at start: {about['load_average']}"
        + (
            " — other processes were using the cores: figures are noisy."
            if about["load_average"] > 0.5
            else "."
        ),
        "",
        "## Targets (issues 5 and 14)",
        "",
        report.targets_table(found),
    ]
    if figures:
        out += ["", "## HTTP load", "", report.load_table(figures, args.runs, args.duration)]
        if final_rss:
            out += ["", f"Sandbox RSS after the load runs: {final_rss / report.MB:.0f} MB."]
    if startup or population:
        out += [
            "",
            "## Population at national scale",
            "",
            report.population_table(startup, population),
        ]
    if asgi:
        out += ["", "## In-process", "", report.asgi_table(asgi)]
    if notes:
        out += ["", "## Notes", "", *(f"- {note}" for note in notes)]
    print("\n".join(out))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": about,
                    "arguments": {k: str(v) for k, v in vars(args).items()},
                    "load": [f.as_dict() for f in figures],
                    "sandbox_rss_after_load_bytes": final_rss,
                    "startup": startup,
                    "population": population,
                    "asgi": asgi,
                    "targets": [vars(t) for t in found],
                    "notes": notes,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0
