"""State: per-client documents and history, safe with several processes, bounded, truly reset."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sandbox.state import StateStore, StorageLimitError, StoreLimits, Update, Usage
from tests.postgres import Cluster

T0 = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def put(document: dict[str, Any], tags: tuple[str, ...] = ()) -> Any:
    """An update that stores ``document`` and records it as the change."""
    return lambda _current: Update(document=document, change=document, tags=tags)


def append(item: int) -> Any:
    """An update that appends to the stored list (a read-modify-write)."""

    def apply(current: dict[str, Any] | None) -> Update:
        items = [*(current or {"items": []})["items"], item]
        return Update(document={"items": items}, change={"item": item})

    return apply


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store keeps its state: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "postgresql":
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        return cluster.fresh_url()
    return tmp_path / "s.sqlite3"


def opening(location: Path | str) -> str:
    """Python source that opens a store on ``location`` (for the scripts of other processes)."""
    where = repr(location) if isinstance(location, str) else f"Path({str(location)!r})"
    return f"s = StateStore({where})\n"


def on_disk(path: Path) -> int:
    """Bytes of the state file and its WAL."""
    wal = Path(f"{path}-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def test_documents_are_isolated_per_client(location: Path | str) -> None:
    store = StateStore(location)
    store.update("A", "g1", "contraintes", T0, put({"v": 1}))
    assert store.read("A", "g1", "contraintes") == {"v": 1}
    assert store.read("B", "g1", "contraintes") is None
    assert store.reset("B") == 0
    assert store.reset("A") == 1
    assert store.read("A", "g1", "contraintes") is None
    store.close()


def test_history_pages_newest_first_within_dates_and_by_tag(location: Path | str) -> None:
    store = StateStore(location)
    for n in range(12):
        tags = ("even",) if n % 2 == 0 else ()
        store.update("A", "g1", "f", T0 + dt.timedelta(hours=n), put({"n": n}, tags))
    first = store.history("A", "g1", "f", per_page=5)
    assert first.total == 12 and [doc["n"] for _, doc in first.items] == [11, 10, 9, 8, 7]
    third = store.history("A", "g1", "f", page=3, per_page=5)
    assert [doc["n"] for _, doc in third.items] == [1, 0]
    window = store.history(
        "A", "g1", "f", None, T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=4)
    )
    assert [doc["n"] for _, doc in window.items] == [4, 3, 2]
    even = store.history("A", "g1", "f", "even", per_page=4)
    assert even.total == 6 and [doc["n"] for _, doc in even.items] == [10, 8, 6, 4]
    assert store.history("B", "g1", "f").total == 0
    beyond = store.history("A", "g1", "f", page=2**62, per_page=100)
    assert (beyond.total, beyond.items) == (12, [])
    store.close()


def test_a_refused_update_stores_nothing(location: Path | str) -> None:
    store = StateStore(location)
    store.update("A", "g1", "f", T0, put({"v": 1}))

    def refuse(_current: dict[str, Any] | None) -> Update:
        raise ValueError("refused")

    with pytest.raises(ValueError):
        store.update("A", "g1", "f", T0, refuse)
    assert store.read("A", "g1", "f") == {"v": 1}
    assert store.history("A", "g1", "f").total == 1
    store.close()


def test_a_write_survives_kill_9(location: Path | str) -> None:
    path = location
    script = (
        "import datetime as dt, os, signal, sys\n"
        "from pathlib import Path\n"
        "from sandbox.state import StateStore, Update\n"
        + opening(path)
        + "s.update('A', 'g7', 'dossier', dt.datetime(2026, 1, 1, tzinfo=dt.UTC),\n"
        "         lambda _: Update(document={'ok': True}, change={'ok': True}))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode == -9
    store = StateStore(path)
    assert store.read("A", "g7", "dossier") == {"ok": True}
    store.close()


def test_read_modify_writes_from_several_processes_are_all_kept(location: Path | str) -> None:
    path = location
    StateStore(path).close()
    script = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from sandbox.state import StateStore, Update\n"
        + opening(path)
        + "base = int(sys.argv[1])\n"
        "for i in range(base, base + 150):\n"
        "    s.update('A', 'g1', 'f', dt.datetime(2026, 1, 1, tzinfo=dt.UTC),\n"
        "             lambda cur, i=i: Update(document={'items': [*(cur or {'items': []})"
        "['items'], i]}, change={'item': i}))\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(n * 1000)]) for n in range(3)]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    store = StateStore(path)
    items = store.read("A", "g1", "f")
    assert items is not None
    expected = {n * 1000 + i for n in range(3) for i in range(150)}
    assert sorted(items["items"]) == sorted(expected)
    assert store.history("A", "g1", "f").total == 450
    store.close()


def test_caps_refuse_the_write_beyond_them_and_keep_what_was_stored(location: Path | str) -> None:
    limits = StoreLimits(versions_per_document=3, versions_per_client=5, documents_per_client=2)
    store = StateStore(location, limits)
    for item in range(3):
        store.update("A", "p1", "f", T0, append(item))
    with pytest.raises(StorageLimitError) as per_person:
        store.update("A", "p1", "f", T0, append(3))
    assert per_person.value.http_status == 409 and per_person.value.code == "ERR_LIMITE_BAC_A_SABLE"
    assert store.read("A", "p1", "f") == {"items": [0, 1, 2]}
    store.update("A", "p2", "f", T0, append(0))
    with pytest.raises(StorageLimitError) as per_client:
        store.update("A", "p3", "f", T0, append(0))  # a third person
    assert "2 documents per client" in per_client.value.hint
    store.update("A", "p2", "f", T0, append(1))
    with pytest.raises(StorageLimitError):
        store.update("A", "p2", "f", T0, append(2))  # a sixth version for the client
    assert store.usage("A").documents == 2 and store.usage("A").versions == 5
    store.update("B", "p1", "f", T0, append(0))  # other clients are not affected
    store.reset("A")
    store.update("A", "p3", "f", T0, append(0))  # a reset starts the client again
    store.close()


def test_reset_gives_the_space_back_and_keeps_other_clients(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = StateStore(path)
    padding = "x" * 2000
    for n in range(1500):
        store.update("A", f"p{n % 30}", "f", T0, put({"n": n, "padding": padding}, ("t",)))
    store.update("B", "p1", "f", T0, put({"kept": True}))
    store.close()
    grown = on_disk(path)
    assert grown > 3_000_000
    store = StateStore(path)
    assert store.reset("A") == 30
    assert store.read("A", "p1", "f") is None and store.history("A", "p1", "f").total == 0
    purger = store._purger
    assert purger is not None
    purger.join()  # the space is back while the instance still runs, WAL included
    after = on_disk(path)
    assert after < grown / 5, (grown, after)
    store.close()
    store = StateStore(path)
    assert store.read("B", "p1", "f") == {"kept": True}
    store.close()


def test_a_state_file_of_the_first_layout_is_upgraded_without_losing_a_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE documents (client_id TEXT, person_key TEXT, facet TEXT, body TEXT, "
        "updated_at TEXT, PRIMARY KEY (client_id, person_key, facet));"
        "CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT, "
        "person_key TEXT, facet TEXT, body TEXT, recorded_at TEXT);"
    )
    for n in range(3):
        body = json.dumps({"whole": n, "change": n})
        stamp = (T0 + dt.timedelta(minutes=n)).isoformat()
        conn.execute("INSERT INTO history VALUES (NULL, 'A', 'p1', 'f', ?, ?)", (body, stamp))
    conn.execute(
        "INSERT INTO documents VALUES ('A', 'p1', 'f', ?, ?)",
        (json.dumps({"whole": 2, "change": 2}), T0.isoformat()),
    )
    conn.commit()
    conn.close()

    def upgrade(facet: str, document: dict[str, Any]) -> Update:
        assert facet == "f"
        return Update(document={"whole": document["whole"]}, change={"n": document["change"]})

    store = StateStore(path, upgrade=upgrade)
    assert store.read("A", "p1", "f") == {"whole": 2}
    page = store.history("A", "p1", "f")
    assert page.total == 3 and [change["n"] for _, change in page.items] == [2, 1, 0]
    assert store.usage("A").versions == 3
    store.update("A", "p1", "f", T0, put({"whole": 3}))
    store.close()
    assert StateStore(path).history("A", "p1", "f").total == 4


def test_caps_of_one_let_the_first_write_through_and_the_refusal_says_which_cap(
    tmp_path: Path,
) -> None:
    limits = StoreLimits(versions_per_document=1, versions_per_client=1, documents_per_client=1)
    store = StateStore(tmp_path / "s.sqlite3", limits)
    store.update("A", "p1", "f", T0, append(0))
    with pytest.raises(StorageLimitError) as refused:
        store.update("A", "p1", "f", T0, append(1))
    assert "1 versions per client" in refused.value.hint
    assert (refused.value.what, refused.value.limit) == ("versions per client", 1)
    store.close()
    per_person = StateStore(tmp_path / "t.sqlite3", StoreLimits(versions_per_document=2))
    per_person.update("A", "p1", "f", T0, append(0))
    per_person.update("A", "p1", "f", T0, append(1))
    with pytest.raises(StorageLimitError) as refused:
        per_person.update("A", "p1", "f", T0, append(2))
    assert "2 versions per person" in refused.value.hint and "/_sandbox/reset" in refused.value.hint
    per_person.close()


def test_a_client_that_never_wrote_holds_nothing_and_pages_hold_10_by_default(
    location: Path | str,
) -> None:
    store = StateStore(location)
    assert store.usage("never") == Usage(documents=0, versions=0)
    for n in range(11):
        store.update("A", "g1", "f", T0, put({"n": n}))
    assert len(store.history("A", "g1", "f").items) == 10
    assert store.usage("A") == Usage(documents=1, versions=11)
    store.close()


def test_a_purge_cut_short_is_finished_by_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    script = (
        "import datetime as dt, os, signal\n"
        "from pathlib import Path\n"
        "from sandbox.state import StateStore, Update\n"
        f"s = StateStore(Path({str(path)!r}))\n"
        "for n in range(200):\n"
        "    s.update('A', f'p{n % 7}', 'f', dt.datetime(2026, 1, 1, tzinfo=dt.UTC),\n"
        "             lambda _: Update(document={'x': 1}, change={'x': 1}, tags=('t',)))\n"
        "s._start_purge = lambda: None  # the process dies before its purge runs\n"
        "s.reset('A')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == -9

    def rows() -> list[int]:
        conn = sqlite3.connect(path)
        try:
            tables = ("history", "history_tags", "documents")
            return [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables]
        finally:
            conn.close()

    assert rows() == [200, 200, 7]
    store = StateStore(path)
    assert store.read("A", "p1", "f") is None
    store.close()  # waits for the purge the start found necessary
    assert rows() == [0, 0, 0]


def test_a_state_file_from_a_newer_sandbox_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    StateStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        StateStore(path)
    # A newer sandbox's migration, as Alembic records it.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=6")
    conn.execute("UPDATE alembic_version SET version_num='0099'")
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="0099 is newer"):
        StateStore(path)


def file_before_alembic(path: Path, layout: int) -> None:
    """Turn a new state file into one a sandbox before Alembic wrote, of layout 2 or 3, holding
    one write: A's document {"n": 1} for p1's facet f."""
    store = StateStore(path)
    store.update("A", "p1", "f", T0, lambda _: Update({"n": 1}, {"n": 1}))
    store.close()
    conn = sqlite3.connect(path)
    later = ["control", "instance_secrets", "reports", "fault_streams", "alembic_version"]
    if layout == 2:
        later += ["journal", "journal_clients"]
    for table in later:
        conn.execute(f"DROP TABLE {table}")
    conn.execute(f"PRAGMA user_version={layout}")
    conn.close()


def test_a_state_file_of_the_second_layout_gains_the_journal_and_keeps_its_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    file_before_alembic(path, 2)
    store = StateStore(path)
    assert store.read("A", "p1", "f") == {"n": 1}
    store.journal_append({"A": [({"method": "GET"}, None)]}, 10)
    assert store.journal_read("A", 10) == [(1, {"method": "GET"})]
    store.close()


def test_a_store_on_postgresql_serves_again_after_the_server_dropped_its_sessions(
    pg_cluster: Cluster,
) -> None:
    import psycopg

    url = pg_cluster.fresh_url()
    store = StateStore(url)
    store.update("A", "g1", "f", T0, put({"v": 1}))
    schema = url.rsplit("application_name=", 1)[1]
    with psycopg.connect(pg_cluster.url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name=%s",
            (schema,),
        ).fetchall()
    assert ended
    # The statement that meets the lost session fails; the store then opens a new one.
    with pytest.raises(psycopg.OperationalError):
        store.read("A", "g1", "f")
    assert store.reachable()
    assert store.read("A", "g1", "f") == {"v": 1}
    store.close()


def test_the_head_a_migrated_database_is_at_is_alembics_head(location: Path | str) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sandbox.state import migrate

    config = Config()
    config.set_main_option("script_location", str(Path(migrate.__file__).with_name("migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    store = StateStore(location)
    assert migrate.current_revision(store._conn) == head == migrate.HEAD
    store.close()


def test_instances_starting_together_on_a_new_database_migrate_it_once(
    location: Path | str,
) -> None:
    script = (
        "from pathlib import Path\n"
        "from sandbox.state import StateStore\n" + opening(location) + "s.close()\n"
    )
    starting = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(3)]
    assert [process.wait(timeout=120) for process in starting] == [0, 0, 0]
    store = StateStore(location)
    store.update("A", "g1", "f", T0, put({"v": 1}))
    assert store.read("A", "g1", "f") == {"v": 1}
    store.close()


def test_a_state_file_of_the_third_layout_gains_the_reports_and_keeps_its_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    file_before_alembic(path, 3)
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    store = StateStore(path)
    assert store.read("A", "p1", "f") == {"n": 1}
    kept = store.report_add("A", at, {"exit_code": 0}, "{}", "<p>pv</p>", keep=2)
    assert [r.id for r in store.reports("A")] == [kept]
    # Kept per client, the latest ``keep``; a reset drops them at once.
    later = [store.report_add("A", at, {}, "{}", "<p></p>", keep=2) for _ in range(2)]
    assert [r.id for r in store.reports("A")] == list(reversed(later))
    assert store.report("B", later[0]) is None
    store.reset("A")
    assert store.reports("A") == []
    store.close()
