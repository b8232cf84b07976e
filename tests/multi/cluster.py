"""Several sandbox instances on one PostgreSQL database behind HAProxy, for the tests.

The balancer runs the deployment's own configuration, ``deploy/haproxy.cfg`` (the one compose.yaml
mounts), with the test's addresses given through the environment, so there is one HAProxy
configuration. CI installs HAProxy (``.ci/run``) and sets ``FT_REQUIRE_HAPROXY=1``: there a missing
binary fails the tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, start, stop

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
PROFILES = Path(__file__).resolve().parent / "profiles"
"""The tests' own fault profiles, given to every instance (FT_SANDBOX_PROFILES_DIR)."""
SERVERS = ("sandbox-1", "sandbox-2", "sandbox-3")
"""The server names of deploy/haproxy.cfg, in order; the balancer's X-Sandbox-Instance header."""
INSTANCE_HEADER = "X-Sandbox-Instance"


def haproxy() -> str:
    """The HAProxy binary; skip, or fail where CI requires it."""
    # Debian installs it in /usr/sbin, which an unprivileged user's PATH often leaves out.
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/local/sbin:/usr/sbin")
    if found is None:
        reason = "HAProxy is not installed (Debian package haproxy)"
        if os.environ.get("FT_REQUIRE_HAPROXY") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def balancer_environment(bind: str, addresses: list[str], admin_token: str) -> dict[str, str]:
    """The variables deploy/haproxy.cfg reads: where it listens, the instances, the token."""
    servers = {f"FT_SANDBOX_{n}": address for n, address in enumerate(addresses, start=1)}
    return {"FT_LB_BIND": bind, "FT_SANDBOX_ADMIN_TOKEN": admin_token, **servers}


@dataclass
class Instance:
    """One ``python -m sandbox serve`` process; it can be killed and started again."""

    name: str
    port: int
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Its base URL, to call it directly (not through the balancer)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it and wait until it answers."""
        args = ["-m", "sandbox", "serve", "--port", str(self.port)]
        # Generous: three instances importing at once on a small, busy machine take a while.
        self.process = start(args, self.log, self.env, self.port, timeout=90)

    def kill(self) -> None:
        """``kill -9``: no shutdown, no flush, whatever it was doing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it if it runs."""
        if self.process is not None:
            stop(self.process)


@dataclass
class Sandboxes:
    """Three instances, one database, one balancer."""

    instances: list[Instance]
    balancer: str
    admin_token: str
    balancer_log: Path
    http: httpx.Client
    """One client for the tests' calls (a new one per call costs more than the call)."""

    @property
    def admin(self) -> dict[str, str]:
        """Headers of a control-plane call."""
        return {"Authorization": f"Bearer {self.admin_token}"}

    def times_taken_out(self, name: str) -> int:
        """How many times the balancer has logged taking instance ``name`` out (its checks)."""
        lines = self.balancer_log.read_text().splitlines()
        return sum(1 for line in lines if line.startswith(f"Server instances/{name} is DOWN"))

    def wait_in_service(self, timeout: float = 20) -> None:
        """Wait until the balancer sends requests to every instance (its log if it does not)."""
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while seen != set(SERVERS):
            try:
                answer = self.http.get(f"{self.balancer}/_sandbox/health", headers=self.admin)
                seen.add(answer.headers.get(INSTANCE_HEADER, ""))
                seen &= set(SERVERS)
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the balancer serves only {sorted(seen)}:\n{self.balancer_log.read_text()}"
                )
            time.sleep(0.05)


def instance_environment(
    root: Path, name: str, database_url: str, secret_key: str, admin_token: str
) -> dict[str, str]:
    """What an instance of the cluster is given: the shared database, key and token."""
    return {
        "FT_SANDBOX_DATA_DIR": str(root / name),
        "FT_SANDBOX_DATABASE_URL": database_url,
        "FT_SANDBOX_SECRET_KEY": secret_key,
        "FT_SANDBOX_ADMIN_TOKEN": admin_token,
        "FT_SANDBOX_PROFILES_DIR": str(PROFILES),
    }


@contextmanager
def balancer(root: Path, addresses: list[str], admin_token: str) -> Iterator[str]:
    """HAProxy in the foreground on a free loopback port, round-robin over ``addresses``."""
    binary = haproxy()
    port = free_port()
    env = {**os.environ, **balancer_environment(f"127.0.0.1:{port}", addresses, admin_token)}
    with (root / "haproxy.log").open("w") as out:
        process = subprocess.Popen(
            [binary, "-f", str(HAPROXY_CONFIG), "-db"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def sandboxes(
    root: Path, database_url: str, secret_key: str, admin_token: str
) -> Iterator[Sandboxes]:
    """Start three instances on ``database_url`` and HAProxy in front; stop them all."""
    haproxy()  # skip before starting anything
    with ExitStack() as stack:
        instances = [
            Instance(
                name,
                free_port(),
                root / f"{name}.log",
                instance_environment(root, name, database_url, secret_key, admin_token),
            )
            for name in SERVERS
        ]
        for instance in instances:
            stack.callback(instance.stop)
        # Together, as a deployment starts them (the first to take the lock migrates the schema).
        with ThreadPoolExecutor(len(instances)) as pool:
            list(pool.map(Instance.start, instances))
        addresses = [f"127.0.0.1:{instance.port}" for instance in instances]
        url = stack.enter_context(balancer(root, addresses, admin_token))
        http = stack.enter_context(httpx.Client(timeout=30))
        cluster = Sandboxes(instances, url, admin_token, root / "haproxy.log", http)
        cluster.wait_in_service()
        yield cluster
