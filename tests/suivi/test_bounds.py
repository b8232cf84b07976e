"""What the tool keeps and lists is bounded: the audit ring and the search (README "Limits")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sandbox import Settings
from sandbox.clock import FrozenClock
from sandbox.runtime import Runtime, build_runtime
from sandbox.suivi import audit
from sandbox.suivi.accounts import SUIVI_OWNER
from sandbox.suivi.search import MAX_RESULTS, Criteria, search
from tests.filedrop.builders import annexe1, person

CD62 = "PAR_ftsandbox_cd62"


def _runtime(tmp_path: Path) -> Runtime:
    settings = Settings(data_dir=tmp_path, secret_key="k")
    return build_runtime(settings, FrozenClock(dt.datetime(2025, 1, 15, tzinfo=dt.UTC)))


def test_the_audit_ring_keeps_the_most_recent_entries_and_gives_space_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "_CHUNK_SIZE", 3)
    monkeypatch.setattr(audit, "_CHUNKS", 2)
    runtime = _runtime(tmp_path)
    trail = audit.AuditTrail(runtime.store, runtime.clock)
    for index in range(10):
        trail.record("a@b.fr", CD62, "1234567********", "consultation", f"page {index}")
    # 10 entries in chunks of 3: 0-2, 3-5, 6-8, 9; two chunks kept, the last one partly full.
    assert [e.detail for e in trail.entries()] == ["page 6", "page 7", "page 8", "page 9"]
    assert [e.sequence for e in trail.entries()] == [6, 7, 8, 9]
    usage = runtime.store.usage(SUIVI_OWNER)
    assert (usage.documents, usage.versions) == (2, 4)


def test_a_name_search_lists_at_most_the_bound(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    people = [
        person(runtime.population, "DUPONT", "Anne", dt.date(1980, 1, 1), order=i)
        for i in range(MAX_RESULTS + 5)
    ]
    upload = runtime.drop.drop(CD62, annexe1(runtime.population, people).to_csv(), "a.csv")
    assert upload.registered == MAX_RESULTS + 5
    found = search(runtime.population, runtime.ingested, CD62, Criteria(nom="Dupont"))
    assert len(found) == MAX_RESULTS
    # Another client never sees them.
    other = search(
        runtime.population,
        runtime.ingested,
        "PAR_ftsandbox_cd62_convention",
        Criteria(nom="Dupont"),
    )
    assert other == []


def test_a_name_search_never_scans_the_generated_population(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    generated = next(p for p in (runtime.population.generated(i) for i in range(200)))
    by_name = Criteria(nom=generated.last_name, prenom=generated.first_name)
    assert generated not in search(runtime.population, runtime.ingested, CD62, by_name)
    by_nir = Criteria(nir=generated.nir)
    assert search(runtime.population, runtime.ingested, CD62, by_nir) == [generated]
    by_numero = Criteria(identifiant=generated.numero_france_travail)
    assert search(runtime.population, runtime.ingested, CD62, by_numero) == [generated]
