"""Server CPU per request: read from /proc/<pid>/stat, summed over the process tree, per request.

The expected values are worked out by hand from proc(5): in ``/proc/<pid>/stat`` utime, stime,
cutime and cstime are fields 14–17, in clock ticks (``sysconf(SC_CLK_TCK)``), counted after the
process name, which is in parentheses and may itself hold spaces and parentheses.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.report import LoadFigures, cpu_targets
from bench.servers import cpu_seconds, cpu_us_per_request, stat_cpu_ticks
from bench.wrk import WrkResult

TICK = os.sysconf("SC_CLK_TCK")


def stat_line(pid: int, name: str, utime: int, stime: int, cutime: int, cstime: int) -> str:
    """A /proc/<pid>/stat line: fields 3–13 arbitrary, 14–17 the CPU times, then 35 more."""
    before = "S 1 1 1 0 -1 4194560 26510 0 0 0"  # fields 3–13
    after = " ".join(["20", "0", "3", "0", "12345"] + ["0"] * 30)  # fields 18 onwards
    return f"{pid} ({name}) {before} {utime} {stime} {cutime} {cstime} {after}\n"


def test_the_four_cpu_fields_are_summed_whatever_the_process_name() -> None:
    # A name with a space and a closing parenthesis: naive splitting would shift every field.
    line = stat_line(4242, "uvicorn) worker 1", utime=250, stime=50, cutime=7, cstime=3)
    assert stat_cpu_ticks(line) == 310


def fake_proc(root: Path, tree: dict[int, list[int]], ticks: dict[int, tuple[int, ...]]) -> Path:
    for pid, (utime, stime, cutime, cstime) in ticks.items():
        task = root / str(pid) / "task" / str(pid)
        task.mkdir(parents=True)
        (root / str(pid) / "stat").write_text(
            stat_line(pid, "python3", utime, stime, cutime, cstime)
        )
        (task / "children").write_text(" ".join(str(c) for c in tree.get(pid, [])))
    return root


def test_the_server_and_every_process_under_it_are_counted(tmp_path: Path) -> None:
    # 10 → 11 → 12, and 13 (another process, not under 10) must not be counted.
    proc = fake_proc(
        tmp_path,
        {10: [11], 11: [12]},
        {10: (100, 20, 0, 0), 11: (300, 40, 5, 5), 12: (30, 0, 0, 0), 13: (999, 999, 0, 0)},
    )
    assert cpu_seconds(10, proc) == pytest.approx(500 / TICK)
    assert cpu_seconds(12, proc) == pytest.approx(30 / TICK)


def test_a_process_that_vanished_is_skipped(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, {10: [11, 99]}, {10: (100, 0, 0, 0), 11: (50, 0, 0, 0)})
    assert cpu_seconds(10, proc) == pytest.approx(150 / TICK)


def test_this_process_reads_a_positive_and_growing_cpu_time() -> None:
    first = cpu_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))  # some CPU work
    assert cpu_seconds(os.getpid()) >= first > 0


def test_cpu_per_request_is_the_window_s_cpu_over_its_requests() -> None:
    # 0.5 s of CPU for 1 000 requests: 500 µs each.
    assert cpu_us_per_request(12.0, 12.5, 1_000) == pytest.approx(500.0)
    with pytest.raises(ValueError, match="no request"):
        cpu_us_per_request(1.0, 2.0, 0)


def run(requests: int) -> WrkResult:
    return WrkResult(requests, 3_000_000, 1_000.0, 5_000.0, 0, 0, 0)


def figures(name: str, cpu_per_run: list[tuple[int, float]]) -> LoadFigures:
    cell = LoadFigures(name, name, 16)
    clock = 100.0
    for requests, seconds in cpu_per_run:
        cell.add(run(requests), clock, clock + seconds)
        clock += seconds + 1.0  # CPU spent between runs is no run's
    return cell


def test_the_median_run_and_the_ratio_to_the_reference() -> None:
    # Runs at 400, 600 and 500 µs per request → median 500; reference 250, 200, 200 → 200.
    route = figures("route", [(1_000, 0.4), (1_000, 0.6), (2_000, 1.0)])
    route.reference = figures("reference", [(4_000, 1.0), (5_000, 1.0), (10_000, 2.0)])
    assert route.cpu_us == pytest.approx(500.0)
    assert route.reference.cpu_us == pytest.approx(200.0)
    assert route.cpu_ratio == pytest.approx(2.5)
    assert route.as_dict()["runs"][0]["server_cpu_seconds"] == pytest.approx(0.4)


def test_the_target_counts_routes_within_one_and_a_half_times_and_holds_writes_to_20_ms() -> None:
    cheap = figures("cheap", [(1_000, 0.3)])
    cheap.reference = figures("reference", [(1_000, 0.2)])  # 1.5×: within
    costly = figures("costly", [(1_000, 0.31)])
    costly.reference = figures("reference", [(1_000, 0.2)])  # 1.55×: not within
    costly.write = True  # p99 5 ms (run() above): within 20 ms
    found = cpu_targets([cheap, costly])
    assert found[0].met is False
    assert found[0].measured.startswith("1 of 2 routes")
    assert found[1].met is True
    assert cpu_targets([cheap])[0].met is True
