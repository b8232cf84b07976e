"""``python -m bench.files``: the exchange-file checker against frictionless, same file and schema.

One run measures, on the same generated 100 000-row Annexe 4 pilot file and the exported Table
Schema (``contracts/files/annexe4-pilotage.schema.json``): our checker (median of 3 runs) and
frictionless-py (one run: it takes about ten seconds), in rows per second, and their ratio; then
the peak resident memory of our checker on a 1 000 000-row file, in a child process
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``), next to the memory of a child that only
imports the checker. Both files are valid, and both tools must find no error in them. Prints a
Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sandbox.exchange import check
from sandbox.exchange.samples import write_large_pilot
from sandbox.exchange.schema import table_schema

KIND = "annexe4-pilotage"


def _ours(path: Path, runs: int) -> tuple[float, int]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        report = check(path)
        timings.append(time.perf_counter() - started)
        if report.findings:
            raise SystemExit(f"our checker found {report.by_rule} in a valid file")
    return statistics.median(timings), report.rows


def _frictionless(path: Path) -> float:
    from frictionless import Resource, Schema
    from frictionless.formats import CsvControl

    previous = os.getcwd()
    os.chdir(path.parent)  # frictionless opens relative paths only, by default
    try:
        started = time.perf_counter()
        report = Resource(
            path=path.name,
            schema=Schema.from_descriptor(table_schema(KIND)),
            control=CsvControl(delimiter=";"),
        ).validate()
        elapsed = time.perf_counter() - started
    finally:
        os.chdir(previous)
    if not report.valid:
        errors = [e.type for task in report.tasks for e in task.errors][:5]
        raise SystemExit(f"frictionless found errors in a valid file: {errors}")
    return elapsed


def _child_peak(code: str) -> int:
    """Peak RSS in KiB of a fresh interpreter running ``code`` (the only child waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after)


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the Markdown section."""
    parser = argparse.ArgumentParser(prog="python -m bench.files", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of our checker (median kept)")
    parser.add_argument("--json", help="also write the raw figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        small, large = Path(scratch) / "pilotage.csv", Path(scratch) / "pilotage-1m.csv"
        print(f"generating {args.rows} rows…", file=sys.stderr)
        with small.open("w", encoding="utf-8", newline="") as handle:
            write_large_pilot(handle, args.rows)
        ours, rows = _ours(small, args.runs)
        print("frictionless…", file=sys.stderr)
        theirs = _frictionless(small)
        print(f"generating {args.memory_rows} rows…", file=sys.stderr)
        with large.open("w", encoding="utf-8", newline="") as handle:
            write_large_pilot(handle, args.memory_rows)
        # The import-only child runs first: RUSAGE_CHILDREN keeps the maximum over children.
        baseline = _child_peak("import sandbox.exchange, sandbox.exchange.checker")
        code = (
            "import time; from sandbox.exchange import check; t = time.perf_counter(); "
            f"r = check({str(large)!r}); "
            "print(r.rows, sum(r.by_rule.values()), round(time.perf_counter() - t, 2))"
        )
        peak = _child_peak(code)
        figures = {
            "rows": rows,
            "file_bytes": small.stat().st_size,
            "ours_seconds": round(ours, 3),
            "ours_rows_per_s": round(rows / ours),
            "frictionless_seconds": round(theirs, 3),
            "frictionless_rows_per_s": round(rows / theirs),
            "ratio": round(theirs / ours, 1),
            "memory_rows": args.memory_rows,
            "memory_file_bytes": large.stat().st_size,
            "peak_rss_mib": round(peak / 1024, 1),
            "import_only_rss_mib": round(baseline / 1024, 1),
        }
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    from importlib.metadata import version

    f = figures
    lines = [
        "## Exchange-file checker vs frictionless (issue 11)",
        "",
        f"`python -m bench.files` on {platform.machine()} ({os.cpu_count()} cores shared), "
        f"Python {platform.python_version()}, frictionless {version('frictionless')}. Same "
        f"generated, valid {f['rows']:,}-row Annexe 4 pilot file "
        f"({f['file_bytes'] / 1e6:.1f} MB, 16 columns, `;`) and the same exported Table Schema "
        "for both.",
        "",
        "| Checker | Seconds | Rows/s | Ratio |",
        "|---|---:|---:|---:|",
        f"| ft-conformance (`sandbox.exchange.check`, median of {args.runs}) "
        f"| {f['ours_seconds']} | {f['ours_rows_per_s']:,} | **{f['ratio']}×** |",
        f"| frictionless `Resource.validate()` | {f['frictionless_seconds']} "
        f"| {f['frictionless_rows_per_s']:,} | 1× |",
        "",
        f"Peak RSS of our checker on {f['memory_rows']:,} rows "
        f"({f['memory_file_bytes'] / 1e6:.0f} MB): **{f['peak_rss_mib']} MiB** (a child that "
        f"only imports the checker: {f['import_only_rss_mib']} MiB). Targets: ≥ 10× "
        "frictionless; < 200 MB on 1 000 000 rows.",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
