"""Servers under test: started as subprocesses on 127.0.0.1, ready when they answer, then stopped.

The sandbox is started the way users start it (``ft-sandbox serve --port P``) with a throw-away
data directory and otherwise default settings: every ``FT_SANDBOX_*`` variable of the caller's
environment is removed, so a developer's own configuration never leaks into the figures.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
READY_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Running:
    """A server that answers on ``url``; ``ready_seconds`` from spawn to its first HTTP answer."""

    name: str
    url: str
    pid: int
    ready_seconds: float

    def rss_bytes(self) -> int:
        """Resident memory of the server and its worker processes, summed."""
        return sum(_rss(pid) for pid in [self.pid, *_descendants(self.pid)])

    def cpu_seconds(self) -> float:
        """CPU time the server and its worker processes have used so far (see ``cpu_seconds``)."""
        return cpu_seconds(self.pid)


def stat_cpu_ticks(stat: str) -> int:
    """utime + stime + cutime + cstime, in clock ticks, of one ``/proc/<pid>/stat`` line.

    The process name (field 2) is in parentheses and may hold spaces or parentheses itself, so
    the fields are counted from the last ``)``: the state is field 3, utime field 14 (proc(5)).
    The children's fields count the CPU of workers that exited and were waited for: a worker
    replaced during a window is still counted, once.
    """
    fields = stat.rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15])


def cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float:
    """CPU time (user + system) of ``pid`` and every process under it, in seconds.

    Read from ``/proc`` at the moment of the call; the difference of two readings around a
    measured window is the CPU the server spent in it, whatever the load generator took.
    A process that vanished between listing and reading is skipped (its CPU moved to its
    parent's children fields, read with the parent).
    """
    ticks = 0
    for process in [pid, *_descendants(pid, proc)]:
        try:
            ticks += stat_cpu_ticks((proc / str(process) / "stat").read_text())
        except OSError:
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_us_per_request(cpu_before: float, cpu_after: float, requests: int) -> float:
    """Server CPU per request in µs over a window: the CPU spent in it over the requests served."""
    if requests <= 0:
        raise ValueError("no request was served in the window: CPU per request is undefined")
    return (cpu_after - cpu_before) / requests * 1e6


def free_port() -> int:
    """A TCP port of the loopback interface that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def clean_environment(**extra: str) -> dict[str, str]:
    """The caller's environment without any ``FT_SANDBOX_*`` setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FT_SANDBOX_")}
    env.update(extra)
    return env


def sandbox_command(executable: str | None, port: int, extra: Sequence[str] = ()) -> list[str]:
    """``ft-sandbox serve --port P``, from this interpreter's environment unless told otherwise."""
    ft_sandbox = executable or str(Path(sys.executable).with_name("ft-sandbox"))
    return [ft_sandbox, "serve", "--port", str(port), *extra]


def reference_command(port: int) -> list[str]:
    """The bare reference app under uvicorn: one worker, no access log, uvicorn's defaults."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.reference_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


@contextmanager
def serve(
    name: str, command: list[str], port: int, env: dict[str, str], log: Path, cwd: Path = REPO
) -> Iterator[Running]:
    """Run ``command`` until the block ends; yields once ``http://HOST:port/`` answers."""
    with log.open("wb") as output:
        started = time.perf_counter()
        # A session of its own: stopping it stops the workers a multi-worker server spawned.
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://{HOST}:{port}"
            _wait_until_ready(process, url, log)
            yield Running(name, url, process.pid, time.perf_counter() - started)
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.perf_counter() + READY_TIMEOUT_SECONDS
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see {log}")
        try:
            # Any cheap path will do (a 404 is an answer); /openapi.json would be built on demand.
            with urllib.request.urlopen(f"{url}/", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answered: a status is an answer
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within {READY_TIMEOUT_SECONDS:.0f} s; see {log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _descendants(pid: int, proc: Path = Path("/proc")) -> list[int]:
    children: list[int] = []
    try:
        text = (proc / str(pid) / "task" / str(pid) / "children").read_text()
    except OSError:
        return children
    for child in (int(c) for c in text.split()):
        children += [child, *_descendants(child, proc)]
    return children


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
