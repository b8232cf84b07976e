"""Driving ``wrk`` (Debian package ``wrk``): a Lua script per scenario, one parsed result per run.

wrk is a keep-alive load generator written in C: one of its threads drives tens of thousands of
requests per second, so on a 2-core machine it takes far less CPU than the Python servers it
measures (a Python generator would compete with them for the same cores). The Lua script cycles
through pre-formatted requests and prints its own summary line, which is what is parsed here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import HttpRequest

INSTALL_HINT = "wrk is missing: install it with `apt-get install wrk` (Debian/Ubuntu package)."
_RESULT = re.compile(r"^BENCH_RESULT (.+)$", re.MULTILINE)
_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %d %d %.0f %.0f %d %d %d %d %d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles (µs) and every kind of error."""

    requests: int
    duration_us: int
    p50_us: float
    p99_us: float
    socket_errors: int
    non_2xx: int
    timeouts: int

    @property
    def requests_per_second(self) -> float:
        """Completed requests per second over the run."""
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0


def wrk_path() -> str:
    """The wrk executable, or a ``SystemExit`` that says how to install it."""
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(INSTALL_HINT)
    return path


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(requests: list[HttpRequest]) -> str:
    """A wrk script that sends ``requests`` in turn, forever, and prints a BENCH_RESULT line."""
    lines = ["local requests = {}", "local index = 0", "init = function(args)"]
    for request in requests:
        headers = ", ".join(
            f"[ {_lua_string(name)} ] = {_lua_string(value)}"
            for name, value in request.headers.items()
        )
        body = _lua_string(request.body) if request.body is not None else "nil"
        lines.append(
            f"  requests[#requests + 1] = wrk.format({_lua_string(request.method)}, "
            f"{_lua_string(request.path)}, {{{headers}}}, {body})"
        )
    lines += [
        "end",
        "request = function()",
        "  index = index % #requests + 1",
        "  return requests[index]",
        "end",
    ]
    return "\n".join(lines) + _DONE


def run_wrk(
    url: str, requests: list[HttpRequest], connections: int, seconds: float, workdir: Path
) -> WrkResult:
    """Load ``url`` with ``connections`` keep-alive connections for ``seconds``; one wrk thread."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".lua", dir=workdir, delete=False, encoding="utf-8"
    ) as script:
        script.write(lua_script(requests))
    command = [
        wrk_path(),
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "5s",
        "--script",
        script.name,
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    Path(script.name).unlink()
    found = _RESULT.search(completed.stdout)
    if completed.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    fields = found.group(1).split()
    requests_done, duration, p50, p99 = int(fields[0]), int(fields[1]), fields[2], fields[3]
    connect, read, write, status, timeout = (int(v) for v in fields[4:9])
    return WrkResult(
        requests=requests_done,
        duration_us=duration,
        p50_us=float(p50),
        p99_us=float(p99),
        socket_errors=connect + read + write,
        non_2xx=status,
        timeouts=timeout,
    )
