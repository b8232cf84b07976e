"""The file drop's domain: ids, retention, storage given back, ingestion keys and costs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from sandbox import Settings
from sandbox.clock import FrozenClock
from sandbox.errors import BackendError
from sandbox.exchange import check
from sandbox.exchange.samples import Sample, sample
from sandbox.filedrop.indicators import indicators_for
from sandbox.filedrop.ingestion import DROP_OWNER, IngestedPeople
from sandbox.findings import Severity
from sandbox.runtime import Runtime, build_runtime
from sandbox.state import Update
from tests.conftest import NOW
from tests.filedrop.builders import annexe1, person

CD62 = "PAR_ftsandbox_cd62"
CD59 = "PAR_ftsandbox_cd59"
BIRTH = dt.date(1979, 2, 3)


def _runtime(tmp_path: Path, name: str = "data", **changes: object) -> Runtime:
    settings = Settings(data_dir=tmp_path / name, secret_key="k", **changes)  # type: ignore[arg-type]
    return build_runtime(settings, FrozenClock(NOW))


def test_ids_depend_on_seed_client_and_rank_only(tmp_path: Path) -> None:
    content = sample("annexe3-habilitations", 1).to_csv()
    first, second = _runtime(tmp_path, "a"), _runtime(tmp_path, "b")
    ids_a = [first.drop.drop(CD62, content, "f.csv").id for _ in range(3)]
    ids_b = [second.drop.drop(CD62, content, "f.csv").id for _ in range(3)]
    assert ids_a == ids_b and len(set(ids_a)) == 3
    assert first.drop.drop(CD59, content, "f.csv").id != ids_a[0]
    other_seed = _runtime(tmp_path, "c", seed=7)
    assert other_seed.drop.drop(CD62, content, "f.csv").id != ids_a[0]


def test_the_retention_setting_moves_the_expiry(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, drop_retention_days=2)
    upload = runtime.drop.drop(CD62, sample("annexe3-habilitations", 1).to_csv(), "f.csv")
    assert upload.expires_at == NOW + dt.timedelta(days=2)


def test_purging_gives_the_space_back(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    before = runtime.store.usage(CD62).documents
    runtime.drop.drop(CD62, sample("annexe4-pilotage", 4).to_csv(), "p.csv")
    assert runtime.store.usage(CD62).documents == before + 5  # index, 2 contents, 2 reports
    clock.advance(dt.timedelta(days=7))
    assert runtime.drop.purge_expired() == 2
    assert runtime.store.usage(CD62).documents == before + 1  # the (empty) index
    assert runtime.drop.uploads(CD62) == []


def test_a_foreign_upload_id_is_404_and_ingested_keys_name_their_client(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    upload = runtime.drop.drop(CD62, sample("annexe3-habilitations", 1).to_csv(), "f.csv")
    with pytest.raises(BackendError) as refused:
        runtime.drop.content(CD59, upload.id)
    assert (refused.value.http_status, refused.value.code) == (404, "ERR_DEPOT_INTROUVABLE")
    people = runtime.ingested
    key = people.key_for(CD62, "2790362041001")
    assert IngestedPeople.client_of(key) == CD62
    assert people.key_for(CD59, "2790362041001") != key
    assert IngestedPeople.client_of("g42") is None and IngestedPeople.client_of("p-x") is None


def test_a_person_already_known_is_not_registered_twice(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    known = sample("annexe1-inscription", 2)  # people of the population
    upload = runtime.drop.drop(CD62, known.to_csv(), "a1.csv")
    assert (upload.registered, upload.already_known) == (0, 2)
    assert runtime.ingested.count(CD62) == 0


def test_a_refused_annexe1_file_registers_nobody(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    cells = person(runtime.population, "REFUS", "Denise", BIRTH)
    broken = annexe1(runtime.population, [cells])
    broken.rows[0][broken.column("DATE_NAISSANCE")] = "1979-02-03"  # not jj/mm/aaaa
    upload = runtime.drop.drop(CD62, broken.to_csv(), "a1.csv")
    assert upload.status == "refuse" and upload.registered is None
    assert runtime.ingested.count(CD62) == 0


def test_an_ingested_person_follows_the_one_access_rule(tmp_path: Path) -> None:
    # The Nord client uploads a person living in Arras (62): found, but not attached to it.
    runtime = _runtime(tmp_path)
    cells = person(runtime.population, "ARRAS", "Eloi", BIRTH, sex="1")
    runtime.drop.drop(CD59, annexe1(runtime.population, [cells]).to_csv(), "a1.csv")
    [found] = runtime.ingested.find_by_nir(CD59, cells["NIR"][:13])
    assert found.rsa.beneficiary and found.attachment_departement == "62"
    assert runtime.ingested.find_by_nir(CD62, cells["NIR"][:13]) == []
    assert runtime.ingested.get(found.key, CD62) is None
    assert runtime.ingested.get(found.key, CD59) == found


@pytest.mark.skipif(
    os.environ.get("FT_TEST_BACKEND") == "postgresql",
    reason="SQLite's data_version makes the shortcut; on PostgreSQL each stamp is new (store.py)",
)
def test_nothing_ingested_costs_no_query_while_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = _runtime(tmp_path)
    assert runtime.ingested.find_by_nir(CD62, "2790362041001") == []
    calls: list[str] = []
    original = runtime.store.revision

    def counted(*args: str) -> tuple[int, int] | None:
        calls.append(args[0])
        return original(*args)

    monkeypatch.setattr(runtime.store, "revision", counted)
    for _ in range(100):
        runtime.ingested.find_by_nir(CD62, "2790362041001")
    assert calls == []
    cells = person(runtime.population, "APRES", "Fanny", BIRTH)
    runtime.drop.drop(CD62, annexe1(runtime.population, [cells]).to_csv(), "a1.csv")
    assert len(runtime.ingested.find_by_nir(CD62, cells["NIR"][:13])) == 1


def test_a_pilot_row_is_an_ingested_person_of_its_commune_and_birth_month(
    tmp_path: Path,
) -> None:
    runtime = _runtime(tmp_path)
    cells = person(runtime.population, "PILOTEE", "Gaelle", BIRTH)
    runtime.drop.drop(CD62, annexe1(runtime.population, [cells]).to_csv(), "a1.csv")
    pilot = sample("annexe4-pilotage", 3)
    row = pilot.rows[1]
    row[pilot.column("COMMUNE")] = "62041"  # Arras, where builders.annexe1 puts people
    row[pilot.column("DATE_NAISSANCE")] = "1979-02-01"
    rows = [dict(zip(pilot.header, r, strict=True)) for r in pilot.rows]

    produced = indicators_for(rows, runtime.ingested.all(CD62), runtime.population)

    assert [r[0] for r in produced.rows].count("PILOTEE") == 1
    assert produced.rows[1][:3] == ["PILOTEE", "Gaelle", "1979-02-03"]
    assert not check(produced.to_csv(), "annexe4-indicateurs").fails(Severity.ERROR)


def test_a_pilot_file_of_many_rows_gives_a_valid_indicators_file(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    pilot: Sample = sample("annexe4-pilotage", 400)
    upload = runtime.drop.drop(CD62, pilot.to_csv(), "p.csv")
    assert upload.status == "accepte" and upload.indicators is not None
    indicators = runtime.drop.upload(CD62, upload.indicators)
    assert indicators.rows == 400 and indicators.counts["erreur"] == 0
    stored = runtime.store.read(CD62, DROP_OWNER, f"depot-rapport:{indicators.id}")
    assert stored is not None and stored["kind"] == "annexe4-indicateurs"


def test_a_person_ingested_by_another_process_is_seen_at_once(tmp_path: Path) -> None:
    # Two runtimes on one data directory: two workers, two SQLite connections.
    first, second = _runtime(tmp_path), _runtime(tmp_path)
    cells = person(first.population, "AUTREPROCESSUS", "Ines", BIRTH)
    body = cells["NIR"][:13]
    assert second.ingested.find_by_nir(CD62, body) == []  # cached: nobody ingested

    first.drop.drop(CD62, annexe1(first.population, [cells]).to_csv(), "a1.csv")

    [found] = second.ingested.find_by_nir(CD62, body)
    assert found.last_name == "AUTREPROCESSUS"
    assert second.drop.uploads(CD62)[0].registered == 1
    first.store.reset(CD62)
    assert second.ingested.find_by_nir(CD62, body) == []


def test_deleting_a_document_removes_its_history_and_gives_the_counts_back(
    tmp_path: Path,
) -> None:
    runtime = _runtime(tmp_path)
    store = runtime.store

    def write(current: dict[str, object] | None) -> Update:
        return Update(document={"n": 1}, change={})

    for _ in range(3):
        store.update(CD62, "k", "f", NOW, write)
    before = store.usage(CD62)
    assert store.delete(CD62, "k", "f") is True
    assert store.read(CD62, "k", "f") is None and store.history(CD62, "k", "f").total == 0
    after = store.usage(CD62)
    assert (after.documents, after.versions) == (before.documents - 1, before.versions - 3)
    assert store.delete(CD62, "k", "f") is False
