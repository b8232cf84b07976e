"""Medians, ratios to the reference, targets of issue 5, rendered as Markdown tables."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.wrk import WrkResult

MB = 1024 * 1024


@dataclass
class LoadFigures:
    """Every wrk run of one scenario at one connection count."""

    scenario: str
    title: str
    connections: int
    runs: list[WrkResult] = field(default_factory=list)

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
            "runs": [vars(r) for r in self.runs],
        }


@dataclass(frozen=True)
class Target:
    """One target of issue 5 with its measured figure (None when not measured)."""

    name: str
    goal: str
    measured: str
    met: bool | None


def load_table(figures: list[LoadFigures], runs: int, seconds: float) -> str:
    """Requests/s, p50, p99 and ratio to the reference at the same connection count."""
    reference = {f.connections: f.rps for f in figures if f.scenario == "reference"}
    lines = [
        f"Medians of {runs} runs × {seconds:g} s per cell (wrk, 1 thread, keep-alive).",
        "",
        "| Scenario | Conn. | Requests/s | p50 (ms) | p99 (ms) | × reference | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        base = reference.get(f.connections)
        ratio = f"{f.rps / base:.2f}" if base else "—"
        lines.append(
            f"| {f.title} | {f.connections} | {f.rps:,.0f} | {f.p50_ms:.2f} | {f.p99_ms:.2f} "
            f"| {ratio} | {f.errors} |"
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
    search, reference = _find(figures, "recherche-v2", 16), _find(figures, "reference", 16)
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
