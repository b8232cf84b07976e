"""Medians, ratios to the reference, targets of issues 5 and 14, rendered as Markdown tables."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.servers import cpu_us_per_request
from bench.wrk import WrkResult

MB = 1024 * 1024
CPU_RATIO_TARGET = 1.5
WRITE_P99_TARGET_MS = 20.0


@dataclass
class LoadFigures:
    """Every wrk run of one scenario at one connection count, with the server's CPU per run.

    ``cpu`` holds, per run, the server's CPU seconds (its process tree, from ``/proc``) before
    and after the run; ``reference`` is the bare reference answering the same JSON, measured
    interleaved with this scenario in the same run.
    """

    scenario: str
    title: str
    connections: int
    runs: list[WrkResult] = field(default_factory=list)
    cpu: list[tuple[float, float]] = field(default_factory=list)
    reference: LoadFigures | None = None
    write: bool = False

    def add(self, result: WrkResult, cpu_before: float, cpu_after: float) -> None:
        """Record one wrk run and the server CPU readings around it."""
        self.runs.append(result)
        self.cpu.append((cpu_before, cpu_after))

    @property
    def cpu_us(self) -> float | None:
        """Median over the runs of the server's CPU µs per request served (None if unmeasured)."""
        per_run = [
            cpu_us_per_request(before, after, run.requests)
            for run, (before, after) in zip(self.runs, self.cpu, strict=True)
            if run.requests
        ]
        return statistics.median(per_run) if per_run else None

    @property
    def cpu_ratio(self) -> float | None:
        """CPU per request over the reference's, same JSON, same run (None if either missing)."""
        mine = self.cpu_us
        theirs = self.reference.cpu_us if self.reference else None
        return mine / theirs if mine is not None and theirs else None

    @property
    def rps_ratio(self) -> float | None:
        """Requests/s over the reference's (same JSON, same run)."""
        return self.rps / self.reference.rps if self.reference and self.reference.rps else None

    @property
    def rps(self) -> float:
        """Median requests per second."""
        return statistics.median(r.requests_per_second for r in self.runs)

    @property
    def p50_ms(self) -> float:
        """Median of the runs' median latencies, in ms."""
        return statistics.median(r.p50_us for r in self.runs) / 1000

    @property
    def p99_ms(self) -> float:
        """Median of the runs' 99th-percentile latencies, in ms."""
        return statistics.median(r.p99_us for r in self.runs) / 1000

    @property
    def errors(self) -> int:
        """Socket errors, non-2xx answers and timeouts over all runs (0 expected)."""
        return sum(r.socket_errors + r.non_2xx + r.timeouts for r in self.runs)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view, raw runs included."""
        return {
            "scenario": self.scenario,
            "connections": self.connections,
            "rps": self.rps,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "errors": self.errors,
            "cpu_us_per_request": self.cpu_us,
            "cpu_ratio": self.cpu_ratio,
            "rps_ratio": self.rps_ratio,
            "write": self.write,
            "runs": [
                {**vars(r), "server_cpu_seconds": after - before}
                for r, (before, after) in zip(self.runs, self.cpu, strict=True)
            ],
            "reference": self.reference.as_dict() if self.reference else None,
        }


@dataclass(frozen=True)
class Target:
    """One target of issue 5 with its measured figure (None when not measured)."""

    name: str
    goal: str
    measured: str
    met: bool | None


def _number(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def load_table(figures: list[LoadFigures], runs: int, seconds: float) -> str:
    """Requests/s, p50, p99, server CPU per request and both ratios to the same-JSON reference."""
    lines = [
        f"Medians of {runs} runs × {seconds:g} s per cell (wrk, 1 thread, keep-alive); "
        "CPU: utime + stime of the server's processes over the requests served; the reference "
        "is the bare FastAPI app answering the same JSON, interleaved in the same run.",
        "",
        "| Scenario | Conn. | Requests/s | p50 (ms) | p99 (ms) | × reference | CPU µs/req "
        f"| Reference CPU µs/req | CPU × reference | ≤ {CPU_RATIO_TARGET:g}× | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for f in figures:
        ratio = f.cpu_ratio
        verdict = "—" if ratio is None else ("yes" if ratio <= CPU_RATIO_TARGET else "**no**")
        reference_cpu = f.reference.cpu_us if f.reference else None
        lines.append(
            f"| {f.title} | {f.connections} | {f.rps:,.0f} | {f.p50_ms:.2f} | {f.p99_ms:.2f} "
            f"| {_number(f.rps_ratio, '.2f')} | {_number(f.cpu_us, ',.0f')} "
            f"| {_number(reference_cpu, ',.0f')} | {_number(ratio, '.2f')} | {verdict} "
            f"| {f.errors} |"
        )
    return "\n".join(lines)


def _find(figures: list[LoadFigures], scenario: str, connections: int) -> LoadFigures | None:
    for f in figures:
        if f.scenario == scenario and f.connections == connections:
            return f
    return None


def targets(
    figures: list[LoadFigures],
    startup: dict[str, Any] | None,
    population: dict[str, Any] | None,
    asgi: dict[str, Any] | None,
) -> list[Target]:
    """Every target of issue 5 that this run measured, with whether it is met."""
    found: list[Target] = []
    search = _find(figures, "recherche-v2", 16)
    reference = search.reference if search else None
    if search and reference:
        ratio = search.rps / reference.rps
        found.append(
            Target(
                "Rechercher usager v2 throughput, 16 conn.",
                "≥ 1.50× reference",
                f"{ratio:.2f}× ({search.rps:,.0f} vs {reference.rps:,.0f} req/s)",
                ratio >= 1.5,
            )
        )
        found.append(
            Target(
                "Rechercher usager v2 p99, 16 conn.",
                "≤ 10 ms",
                f"{search.p99_ms:.1f} ms",
                search.p99_ms <= 10,
            )
        )
    off = _find(figures, "recherche-v2-no-faults", 16)
    if search and off:
        cost = 1 - search.rps / off.rps
        found.append(
            Target(
                "Fault layer cost (no fault active), 16 conn.",
                "≤ 5 % of throughput",
                f"{cost:.1%} ({search.rps:,.0f} on vs {off.rps:,.0f} off req/s)",
                cost <= 0.05,
            )
        )
    else:
        found.append(
            Target(
                "Fault layer cost (no fault active)",
                "≤ 5 % of throughput",
                "not measured in this run",
                None,
            )
        )
    found += cpu_targets(figures)
    if startup:
        found.append(
            Target(
                f"`serve` ready, {startup['size']:,} people",
                "≤ 2 s",
                f"{startup['ready_seconds']:.2f} s",
                startup["ready_seconds"] <= 2,
            )
        )
        found.append(
            Target(
                f"`serve` RSS, {startup['size']:,} people",
                "≤ 250 MB",
                f"{startup['rss_bytes'] / MB:.0f} MB",
                startup["rss_bytes"] <= 250 * MB,
            )
        )
    if population:
        cold = population["lookup_cold_median_us"]
        found.append(
            Target(
                f"Look-up by NIR + birth date, {population['size']:,} people",
                "≤ 50 µs median",
                f"{cold:.1f} µs (cold; {population['lookup_warm_median_us']:.1f} µs warm)",
                cold <= 50,
            )
        )
    if asgi:
        found.append(
            Target(
                "In-process Rechercher usager v2 (httpx.ASGITransport)",
                "≤ 1.30× reference",
                f"{asgi['ratio']:.2f}× ({asgi['sandbox_median_us']:.0f} vs "
                f"{asgi['reference_median_us']:.0f} µs)",
                asgi["ratio"] <= 1.3,
            )
        )
    return found


def cpu_targets(figures: list[LoadFigures], connections: int = 16) -> list[Target]:
    """Issue 14 Part A: every route's CPU per request within 1.5× its reference; writes' p99."""
    found: list[Target] = []
    measured = [f for f in figures if f.connections == connections and f.cpu_ratio is not None]
    routes = [f for f in measured if f.scenario not in NOT_ROUTES]
    if routes:
        within = [f for f in routes if (f.cpu_ratio or 0) <= CPU_RATIO_TARGET]
        worst = max(routes, key=lambda f: f.cpu_ratio or 0)
        found.append(
            Target(
                f"CPU per request of every partner route, {connections} conn.",
                f"≤ {CPU_RATIO_TARGET:g}× reference (same JSON)",
                f"{len(within)} of {len(routes)} routes; worst {worst.title} "
                f"{worst.cpu_ratio:.2f}× ({_number(worst.cpu_us, ',.0f')} µs)",
                len(within) == len(routes),
            )
        )
    for f in measured:
        if f.write:
            found.append(
                Target(
                    f"{f.title} p99, {connections} conn. (SQLite)",
                    f"≤ {WRITE_P99_TARGET_MS:g} ms",
                    f"{f.p99_ms:.1f} ms",
                    f.p99_ms <= WRITE_P99_TARGET_MS,
                )
            )
    return found


NOT_ROUTES = frozenset({"token", "recherche-v2-no-faults"})
"""Scenarios that are no partner route (the token endpoint, a variant of the sandbox)."""


def targets_table(found: list[Target]) -> str:
    """The targets as a Markdown table."""
    lines = ["| Target | Goal | Measured | Met |", "|---|---|---|---|"]
    for t in found:
        verdict = "—" if t.met is None else ("yes" if t.met else "**no**")
        lines.append(f"| {t.name} | {t.goal} | {t.measured} | {verdict} |")
    return "\n".join(lines)


def population_table(startup: dict[str, Any] | None, population: dict[str, Any] | None) -> str:
    """Population at national scale: build, RSS, look-up; `serve` start-up."""
    lines = ["| Figure | Value |", "|---|---:|"]
    if population:
        lines += [
            f"| Population of {population['size']:,}: build (in-process, cold) | "
            f"{population['build_seconds'] * 1000:.0f} ms |",
            f"| Process RSS after build | {population['rss_bytes'] / MB:.0f} MB |",
            f"| Look-up NIR + birth date, median, cold ({population['lookups']:,} people) | "
            f"{population['lookup_cold_median_us']:.1f} µs |",
            f"| Look-up of people already asked for (warm) | "
            f"{population['lookup_warm_median_us']:.1f} µs |",
        ]
    if startup:
        lines += [
            f"| `ft-sandbox serve` ready (spawn → first answer), median of {startup['runs']} | "
            f"{startup['ready_seconds']:.2f} s |",
            f"| `ft-sandbox serve` RSS, all processes | {startup['rss_bytes'] / MB:.0f} MB |",
        ]
    return "\n".join(lines)


def asgi_table(asgi: dict[str, Any]) -> str:
    """In-process call through httpx.ASGITransport versus the reference."""
    return "\n".join(
        [
            "| In-process call (httpx.ASGITransport), median | µs |",
            "|---|---:|",
            f"| Sandbox, Rechercher usager v2 | {asgi['sandbox_median_us']:.0f} |",
            f"| Bare reference | {asgi['reference_median_us']:.0f} |",
            f"| Ratio ({asgi['calls']:,} interleaved calls each) | {asgi['ratio']:.2f}× |",
        ]
    )
