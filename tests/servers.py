"""Start real servers (subprocesses on loopback) for end-to-end tests, and stop them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(
    args: list[str], log: Path, env: dict[str, str], port: int, timeout: float = 60
) -> subprocess.Popen[bytes]:
    """Start ``python <args>`` and return it once it answers on ``port`` within ``timeout``
    seconds (its log in the error otherwise)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1) as probe:
        while True:
            try:
                probe.get(f"http://127.0.0.1:{port}/docs")
                return process
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    process.wait(timeout=10)
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by ``start`` (nothing to do if it is already gone)."""
    process.terminate()
    process.wait(timeout=10)


@contextmanager
def running(args: list[str], log: Path, env: dict[str, str], port: int) -> Iterator[str]:
    """Run ``python <args>`` until it answers on ``port``; yield its base URL; stop it."""
    process = start(args, log, env, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
