"""``python -m bench.files``: the exchange-file checker against frictionless, same file and schema.

One run measures, on the same generated 100 000-row Annexe 4 pilot file and the exported Table
Schema (``contracts/files/annexe4-pilotage.schema.json``): our checker (median of 3 runs) and
frictionless-py (one run: it takes about ten seconds), in rows per second, and their ratio; then
the peak resident memory of our checker on a 1 000 000-row file, in a child process
(``VmHWM``, with ``resource.getrusage`` ``ru_maxrss`` beside it), next to the memory of a child
that only imports the checker. Both files are valid, and both tools must find no error in them.
Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


_PEAK = (
    "import json, resource\n"
    "hwm = next((int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')),"
    " None)\n"
    "print(json.dumps({'vmhwm_kib': hwm, 'ru_maxrss_kib': "
    "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, **result}))\n"
)


def _child_peak(code: str) -> dict[str, int]:
    """Peak RSS of a fresh interpreter running ``code`` (which sets ``result``), in KiB.

    ``ru_maxrss`` of a child started from this process also counts the pages it shared with
    this (large) parent before ``exec``; ``VmHWM`` is the high-water mark of the child's own
    address space, so it is the figure kept when the system has it (Linux).
    """
    done = subprocess.run(
        [sys.executable, "-c", code + "\n" + _PEAK], check=True, capture_output=True, text=True
    )
    figures: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["peak_kib"] = figures["vmhwm_kib"] or figures["ru_maxrss_kib"]
    return figures


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
        baseline = _child_peak("import sandbox.exchange.checker\nresult = {}")
        peak = _child_peak(
            "import time\nfrom sandbox.exchange import check\nt = time.perf_counter()\n"
            f"r = check({str(large)!r})\n"
            "result = {'rows': r.rows, 'findings': sum(r.by_rule.values()), "
            "'seconds': round(time.perf_counter() - t, 2)}"
        )
        if peak["rows"] != args.memory_rows or peak["findings"]:
            raise SystemExit(f"the large file was not checked clean: {peak}")
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
            "memory_check_seconds": peak["seconds"],
            "peak_rss_mib": round(peak["peak_kib"] / 1024, 1),
            "peak_ru_maxrss_mib": round(peak["ru_maxrss_kib"] / 1024, 1),
            "import_only_rss_mib": round(baseline["peak_kib"] / 1024, 1),
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
        f"({f['memory_file_bytes'] / 1e6:.0f} MB, checked in {f['memory_check_seconds']} s): "
        f"**{f['peak_rss_mib']} MiB** peak RSS (`VmHWM` of the child; its `ru_maxrss`, which "
        f"also counts pages shared with the parent before `exec`: {f['peak_ru_maxrss_mib']} "
        f"MiB); a child that only imports the checker: {f['import_only_rss_mib']} MiB. "
        "Targets: ≥ 10× frictionless; < 200 MB on 1 000 000 rows.",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
