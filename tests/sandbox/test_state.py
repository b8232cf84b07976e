"""State: atomic per-client documents with history, surviving a restart and a kill -9."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from sandbox.state import StateStore

T0 = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def test_documents_are_isolated_per_client(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s.sqlite3")
    store.write("A", "g1", "contraintes", {"v": 1}, T0)
    assert store.read("A", "g1", "contraintes") == {"v": 1}
    assert store.read("B", "g1", "contraintes") is None
    assert store.reset("B") == 0
    assert store.reset("A") == 1
    assert store.read("A", "g1", "contraintes") is None


def test_history_pages_newest_first_within_dates(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s.sqlite3")
    for n in range(12):
        store.write("A", "g1", "pouvoirAgir", {"n": n}, T0 + dt.timedelta(hours=n))
    first = store.history("A", "g1", "pouvoirAgir", per_page=5)
    assert first.total == 12 and [doc["n"] for _, doc in first.items] == [11, 10, 9, 8, 7]
    window = store.history(
        "A", "g1", "pouvoirAgir", T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=4)
    )
    assert [doc["n"] for _, doc in window.items] == [4, 3, 2]


def test_a_write_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    script = (
        "import datetime as dt, os, signal, sys\n"
        "from pathlib import Path\n"
        "from sandbox.state import StateStore\n"
        f"s = StateStore(Path({str(path)!r}))\n"
        "s.write('A', 'g7', 'dossier', {'ok': True}, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == -9
    assert StateStore(path).read("A", "g7", "dossier") == {"ok": True}
