"""The exchange journal is bounded per client, as the README's Limits table says."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sandbox import Settings
from sandbox.recording import Journal
from sandbox.state import StateStore


def test_the_journal_keeps_the_last_exchanges_of_each_client_and_counts_them_all(
    tmp_path: Path,
) -> None:
    journal = Journal(StateStore(tmp_path / "state.sqlite3"), b"secret", 3)
    for n in range(5):
        journal.record("PAR_a", "rechercher-usager-v2", "POST", f"/p/{n}", 200, float(n), 0.001)
    journal.record("PAR_b", None, "GET", "/q", 404, 9.0, 0.001)
    assert [e.path for e in journal.entries("PAR_a", 10)] == ["/p/2", "/p/3", "/p/4"]
    assert [e.index for e in journal.entries("PAR_a", 10)] == [3, 4, 5]
    assert journal.counters()["PAR_a"]["calls"] == 5
    assert [e.path for e in journal.entries("PAR_b", 10)] == ["/q"]


@pytest.mark.parametrize("size", [0, 1_000_001])
def test_the_journal_size_setting_has_a_documented_range(size: int) -> None:
    with pytest.raises(ValidationError):
        Settings(journal_size=size)
    assert Settings(journal_size=1_000_000).journal_size == 1_000_000
