"""A throwaway PostgreSQL cluster on loopback for the tests (Debian's ``postgresql``).

CI installs the server (``.ci/run``) and sets ``FT_REQUIRE_POSTGRES=1``: there a missing server
fails the tests that need it; elsewhere they are skipped with the reason. The cluster belongs to
an unprivileged user (``postgres`` when the tests run as root: PostgreSQL refuses root), listens
on 127.0.0.1 on a free port with trust authentication, and is removed at the end of the session.
Each test gets its own schema (``fresh_url``), so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import free_port

USER = "ftsandbox"


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def unavailable(reason: str) -> None:
    """Skip, or fail where CI requires PostgreSQL."""
    if os.environ.get("FT_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass(frozen=True)
class Cluster:
    """A running cluster: its base URL (one database, ``ft``)."""

    url: str

    def fresh_url(self) -> str:
        """The URL of a new, empty schema of the cluster's database.

        Its sessions carry the schema's name as ``application_name``: a test can find them.
        """
        import psycopg

        schema = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self.url}?options=-csearch_path%3D{schema}&application_name={schema}"


@contextmanager
def cluster() -> Iterator[Cluster]:
    """Start a cluster for the session; stop and delete it afterwards."""
    bindir = _bindir()
    if bindir is None:
        unavailable("PostgreSQL is not installed (Debian package postgresql)")
    assert bindir is not None
    root = Path(tempfile.mkdtemp(prefix="ft-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chmod(root, 0o755)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def pg(*args: str) -> None:
        subprocess.run([*run_as, *args], check=True, capture_output=True, timeout=120)

    try:
        pg(str(bindir / "initdb"), "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8",
           "--no-sync")  # fmt: skip
        options = f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=300"
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
           "-w", "start")  # fmt: skip
        base = f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("CREATE DATABASE ft")
        yield Cluster(f"postgresql://{USER}@127.0.0.1:{port}/ft")
    finally:
        if (data / "postmaster.pid").exists():
            pg(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
